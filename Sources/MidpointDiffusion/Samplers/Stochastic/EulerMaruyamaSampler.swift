/// Euler–Maruyama on the reverse SDE `dx = (x + 2 s(T - t, x)) dt + √2 dB`:
/// `x' = x + h (x + 2 s) + √(2h) ξ`. First order in the mean, one evaluation per step.
public struct EulerMaruyamaSampler: SingleStepSampler {
    public let name = "euler-maruyama"
    public let summary = "Euler–Maruyama on the reverse SDE"
    public let costFormula = "N"
    public let defaultGrid = TimeGrid.Kind.uniformLogSNR
    public let isStochastic = true

    /// The sampler.
    public init() {}

    public func coefficients(from t: Double, to t1: Double) -> (state: Double, score: Double, noise: Double) {
        let h = t - t1
        return (1 + h, 2 * h, (2 * h).squareRoot())
    }
}
