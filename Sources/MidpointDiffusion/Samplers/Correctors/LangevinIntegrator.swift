/// The ULMC step a ``LangevinCorrector`` takes (`docs/algorithms.md` §6).
public enum LangevinIntegrator: String, Sendable, CaseIterable, Codable {
    /// The exponential integrator: the force frozen at the start of the step (one evaluation).
    case exponential = "ei"
    /// Shen & Lee's randomized midpoint: the force at a random point of the step, with the exact
    /// Gaussian noise of one Brownian path (two evaluations; unbiased force integral).
    case randomizedMidpoint = "rm"

    /// Score evaluations per ULMC step.
    public var evaluationsPerStep: Int { self == .exponential ? 1 : 2 }
}
