import Foundation
import MidpointSettings
import Testing

@Suite struct SettingsTests {
    /// A value is its bare JSON: flags stay flags, whole numbers integers, others numbers or names.
    @Test func valuesRoundTripAsBareJSON() throws {
        let values: [String: SettingValue] = ["a": .flag(true), "b": .integer(3), "c": .number(0.25), "d": .text("log")]
        let data = try JSONEncoder().encode(values)
        let text = String(decoding: data, as: UTF8.self)
        #expect(text.contains("\"a\":true") && text.contains("\"b\":3") && text.contains("\"c\":0.25") && text.contains("\"d\":\"log\""))
        #expect(try JSONDecoder().decode([String: SettingValue].self, from: data) == values)
        #expect(values.mapValues(\.description) == ["a": "true", "b": "3", "c": "0.25", "d": "log"])
    }

    /// Given flags become values by their type; flags left off (nil) are absent.
    @Test func givenFlagsBecomeValues() {
        enum Choice: String, Sendable { case log }
        let none: Int? = nil
        let given = SettingValue.given(["a": 3, "b": none, "c": 0.5, "d": true, "e": Choice.log])
        #expect(given == ["a": .integer(3), "c": .number(0.5), "d": .flag(true), "e": .text("log")])
    }

    /// The index lists keys once, in first-seen order, and the readers of each.
    @Test func indexListsKeysAndReaders() {
        let index = SettingKeyIndex([("x", ["k1", "k2"]), ("y", []), ("z", ["k2", "k3"])])
        #expect(index.names == ["x", "y", "z"])
        #expect(index.keys == ["k1", "k2", "k3"])
        #expect(index.readers(of: "k2") == ["x", "z"] && index.readers(of: "k4").isEmpty)
    }
}
