/// Euler–Maruyama on the reverse SDE `dx = (x + 2 s(T - t, x)) dt + √2 dB`:
/// `x' = x + h (x + 2 s) + √(2h) ξ`. First order in the mean, one evaluation per step.
public struct EulerMaruyamaSampler: SingleStepSampler {
    public let name = "euler-maruyama"
    /// Peak memory in batch-sized (N × d) matrices: the state, its score and this sampler's own buffers
    /// (measured: 3.09 × 8·N·d bytes above the process's own at N = 200,000, d = 64).
    public func workingMatrices(steps: Int) -> Int { 3 }
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
