/// Why a time grid is invalid. Messages name the offending entry and what is allowed.
public enum TimeGridError: Error, Equatable, CustomStringConvertible {
    /// Fewer than two times.
    case tooShort(count: Int)
    /// Entry `index` is NaN or infinite.
    case nonFinite(index: Int, value: Double)
    /// Entry `index` is not strictly below the one before it.
    case notDecreasing(index: Int, value: Double, previous: Double)
    /// Entry `index` lies outside `(0, horizon]`.
    case outOfRange(index: Int, value: Double, horizon: Double)
    /// Bad construction parameters (step count, horizon, early stop, ρ).
    case invalidParameter(name: String, value: Double, allowed: String)

    public var description: String {
        switch self {
        case let .tooShort(n): "a time grid needs at least 2 times, got \(n)"
        case let .nonFinite(i, v): "time grid entry \(i) is \(v); entries must be finite"
        case let .notDecreasing(i, v, p):
            "time grid entry \(i) (\(v)) is not below entry \(i - 1) (\(p)); grids must be strictly decreasing"
        case let .outOfRange(i, v, t): "time grid entry \(i) (\(v)) is outside (0, \(t)]"
        case let .invalidParameter(name, value, allowed): "\(name) = \(value) is invalid: \(allowed)"
        }
    }
}
