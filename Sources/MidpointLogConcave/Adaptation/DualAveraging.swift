import Foundation

/// Nesterov's dual averaging of a step size toward a target acceptance rate, as Stan tunes NUTS and
/// HMC (`docs/algorithms.md` §11): with `H̄ₜ` the running mean of `target - acceptanceₜ`,
/// `log hₜ = μ - √t H̄ₜ / γ`, and the reported step is the weighted average
/// `log h̄ₜ = tᵏ log hₜ + (1 - tᵏ) log h̄ₜ₋₁` (`t` counting from `t₀`). Stan's constants.
public struct DualAveraging: Sendable {
    /// The acceptance rate aimed at.
    public let target: Double
    private let mu: Double
    private let gamma = 0.05, t0 = 10.0, kappa = 0.75
    private var t = 0.0, hBar = 0.0, logStepAverage = 0.0
    /// The step to use next.
    public private(set) var step: Double

    /// Averaging that starts from `initial` (and shrinks toward `10 · initial`'s neighbourhood, Stan's `μ`).
    public init(initial: Double, target: Double) {
        precondition(initial.isFinite && initial > 0 && target > 0 && target < 1, "need a positive step and a target in (0, 1)")
        self.target = target
        mu = log(10 * initial)
        step = initial
        logStepAverage = log(initial)
    }

    /// Records one step's mean acceptance probability and moves the step.
    public mutating func update(acceptance: Double) {
        t += 1
        let a = acceptance.isFinite ? min(max(acceptance, 0), 1) : 0
        let w = 1 / (t + t0)
        hBar = (1 - w) * hBar + w * (target - a)
        let logStep = mu - t.squareRoot() / gamma * hBar
        let eta = pow(t, -kappa)
        logStepAverage = eta * logStep + (1 - eta) * logStepAverage
        step = exp(logStep)
    }

    /// The averaged step: what to keep once adaptation stops.
    public var averagedStep: Double { exp(logStepAverage) }
}
