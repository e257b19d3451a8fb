extension SettingValue {
    /// The values of the flags that were given: each non-nil entry of `flags` as its ``SettingValue``
    /// (an `Int` as an integer, a `Double` as a number, a `Bool` as a flag, anything else by its text).
    public static func given(_ flags: [String: (any Sendable)?]) -> [String: SettingValue] {
        flags.compactMapValues { value -> SettingValue? in
            switch value {
            case nil: nil
            case let i as Int: .integer(i)
            case let d as Double: .number(d)
            case let b as Bool: .flag(b)
            case let text as any RawRepresentable<String>: .text(text.rawValue)
            case let other?: .text("\(other)")
            }
        }
    }
}
