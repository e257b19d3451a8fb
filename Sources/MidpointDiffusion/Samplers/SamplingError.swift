import MidpointLinearAlgebra

/// Why a sampling run stopped or could not start. Messages name the bad value, step and time.
public enum SamplingError: Error, Equatable, CustomStringConvertible {
    /// A particle's state became NaN or infinite after step `step`, arriving at time `tau`.
    case nonFinite(step: Int, tau: Double, particle: Int)
    /// The model failed to score a batch (``ScoreModel/failure``).
    case modelFailed(String)
    /// A run parameter is out of range.
    case invalidParameter(name: String, value: String, allowed: String)
    /// An NFE budget too small for even one step of this sampler.
    case budgetTooSmall(sampler: String, budget: Int, minimum: Int)
    /// A grid step longer (in OU time) than the sampler can take without diverging.
    case unstableStep(sampler: String, step: Int, length: Double, limit: Double)
    /// The run would need more memory than the process may use (``MemoryBudget``).
    case insufficientMemory(sampler: String, bytes: Double, budget: MemoryBudget, hint: String)
    /// The grid is invalid.
    case grid(TimeGridError)
    /// No sampler has this name.
    case unknownSampler(String, available: [String])
    /// A tuning key the sampler does not read (``SamplerSettings``), with the samplers that do.
    case unreadSetting(sampler: String, key: String, readers: [String] = [])
    /// A tuning value out of its allowed range.
    case invalidSetting(sampler: String, key: String, value: String, allowed: String)


    public var description: String {
        switch self {
        case let .nonFinite(step, tau, particle):
            "the sampler produced a non-finite state at step \(step) (τ = \(tau)), particle \(particle); try more steps or a larger early-stop δ"
        case let .invalidParameter(name, value, allowed): "\(name) = \(value) is invalid: \(allowed)"
        case let .budgetTooSmall(sampler, budget, minimum):
            "an NFE budget of \(budget) is too small for \(sampler): it needs at least \(minimum)"
        case let .unstableStep(sampler, step, length, limit):
            "\(sampler) is stable only for steps of length ≤ \(limit) in OU time, and step \(step) of this grid is \(length) long: raise the NFE budget, or use rm or rm-ms, which are stable at any step"
        case let .insufficientMemory(sampler, bytes, budget, hint):
            "\(sampler) would need about \(MemoryBudget.describe(bytes)) of memory for this run and may use \(budget.usableDescription): \(hint)"
        case let .grid(e): e.description
        case let .modelFailed(reason): "the model failed: \(reason)"
        case let .unknownSampler(name, available):
            "unknown sampler '\(name)' (available: \(available.joined(separator: ", ")))"
        case let .unreadSetting(sampler, key, readers):
            "\(sampler) does not read \(key)" + (readers.isEmpty ? "" : "; the samplers that do: \(readers.joined(separator: ", "))")
        case let .invalidSetting(sampler, key, value, allowed): "\(sampler): \(key) = \(value) is invalid: \(allowed)"
        }
    }
}
