/// One tuning value as the CLI or a provenance file holds it: an integer, a number, a flag or a name.
///
/// Encoded as the bare JSON value, so a sampler's typed ``SamplerSettings`` record decodes it directly:
/// an integer is accepted where a number is expected, a name where an enumeration is.
public enum SettingValue: Codable, Sendable, Equatable, CustomStringConvertible {
    /// A whole number (`--corrector-steps 2`).
    case integer(Int)
    /// A real number (`--picard-tolerance 0.001`).
    case number(Double)
    /// A flag (`--plain-picard`).
    case flag(Bool)
    /// A name from a list (`--interpolant log`).
    case text(String)

    /// Decodes a bare JSON value: a flag, an integer, a number or a name, tried in that order.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.singleValueContainer()
        // JSON's true/false never decode as numbers, and a whole number is tried as an integer first.
        if let b = try? c.decode(Bool.self) {
            self = .flag(b)
        } else if let i = try? c.decode(Int.self) {
            self = .integer(i)
        } else if let d = try? c.decode(Double.self) {
            self = .number(d)
        } else {
            self = .text(try c.decode(String.self))
        }
    }

    /// Encodes the bare value.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        switch self {
        case let .integer(i): try c.encode(i)
        case let .number(d): try c.encode(d)
        case let .flag(b): try c.encode(b)
        case let .text(s): try c.encode(s)
        }
    }

    /// The value as a flag's argument is written.
    public var description: String {
        switch self {
        case let .integer(i): "\(i)"
        case let .number(d): "\(d)"
        case let .flag(b): "\(b)"
        case let .text(s): s
        }
    }
}
