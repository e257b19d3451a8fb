import ArgumentParser
import Foundation

/// A comma-separated list option (`--dims 16,64,256`): items are trimmed, and an empty item
/// (`16,,64`, a trailing comma, an empty string) or one its element type cannot read is refused
/// with the item named — never silently dropped.
struct CommaList<Element: LosslessStringConvertible>: CustomStringConvertible, Sendable where Element: Sendable {
    /// The items, in the order given.
    var items: [Element]

    /// A list of `items` (for defaults).
    init(_ items: [Element]) { self.items = items }

    /// Parses `text`; used as the option's `transform`, so its message appears after ArgumentParser's
    /// "The value '…' is invalid for '--flag'".
    static func parse(_ text: String) throws -> CommaList {
        var items: [Element] = []
        for (index, raw) in text.split(separator: ",", omittingEmptySubsequences: false).enumerated() {
            let item = raw.trimmingCharacters(in: .whitespaces)
            guard !item.isEmpty else { throw ValidationError("item \(index + 1) is empty (a list looks like 'a,b,c')") }
            guard let value = Element(item) else { throw ValidationError("item \(index + 1) '\(item)' is not \(Self.elementDescription)") }
            items.append(value)
        }
        return CommaList(items)
    }

    var description: String { items.map(\.description).joined(separator: ",") }

    /// What an item must be, for messages.
    static var elementDescription: String {
        switch Element.self {
        case is Int.Type: "an integer"
        case is Double.Type: "a number"
        default: "readable"
        }
    }

    /// Refuses items outside `range`, naming the flag, the item and the range.
    func require(in range: ClosedRange<Element>, flag: String) throws where Element: Comparable {
        if let bad = items.first(where: { !range.contains($0) }) {
            throw ValidationError("\(flag) entries must be in \(range.lowerBound)...\(range.upperBound) (got \(bad))")
        }
    }

    /// Refuses items that are not finite and positive.
    func requirePositive(flag: String) throws where Element == Double {
        if let bad = items.first(where: { !($0.isFinite && $0 > 0) }) {
            throw ValidationError("\(flag) entries must be finite and > 0 (got \(bad))")
        }
    }

    /// Refuses names not in `allowed`, with the allowed names.
    func require(oneOf allowed: [String], flag: String, what: String) throws where Element == String {
        if let bad = items.first(where: { !allowed.contains($0) }) {
            throw ValidationError("\(flag): unknown \(what) '\(bad)'; available: \(allowed.joined(separator: ", "))")
        }
    }
}
