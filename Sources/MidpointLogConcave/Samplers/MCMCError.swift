import MidpointLinearAlgebra

/// Why an MCMC run stopped or could not start.
public enum MCMCError: Error, Equatable, CustomStringConvertible {
    /// A sampler name that is not registered.
    case unknownSampler(String, available: [String])
    /// A parameter outside its allowed range.
    case invalidParameter(name: String, value: String, allowed: String)
    /// A chain reached a NaN or infinite state.
    case nonFinite(step: Int, chain: Int)
    /// The kept draws (and their gradients) would not fit in memory.
    case insufficientMemory(bytes: Double, budget: MemoryBudget)

    public var description: String {
        switch self {
        case let .unknownSampler(name, available):
            "unknown sampler '\(name)'; available: \(available.joined(separator: ", "))"
        case let .invalidParameter(name, value, allowed): "\(name) = \(value) is invalid: \(allowed)"
        case let .nonFinite(step, chain):
            "chain \(chain) reached a non-finite state at step \(step) (try a smaller step size)"
        case let .insufficientMemory(bytes, budget):
            "the kept draws and their diagnostics would need about \(MemoryBudget.describe(bytes)) of memory and the run may use \(budget.usableDescription): keep fewer draws (--draws; --thin keeps every k-th step, not fewer draws) or run fewer chains (--chains)"
        }
    }

}
