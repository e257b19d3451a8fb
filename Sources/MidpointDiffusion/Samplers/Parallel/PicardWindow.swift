import MidpointLinearAlgebra
import MidpointScoreModels

/// The coefficients of one ``RandomizedMidpointParallelSampler`` window: the levels of its grid steps,
/// every particle's midpoint, and the times of the batch rows `[z₀ … zₙ₋₁ | w₀ … wₙ₋₁]`.
struct PicardWindow {
    /// Steps `n` and particles `p`.
    let steps: Int, particles: Int
    /// One time per batch row (blocks of `p` rows: the grid states, then the midpoints).
    let times: [Double]
    /// Per level `j = 0…n`: `αⱼ`, `ςⱼ`, `σⱼ` and the Jacobian `J(ςⱼ)`.
    let alpha: [Double], level: [Double], sigma: [Double], jacobian: [Double]
    /// Per midpoint `(j, i)` at `j·p + i`: `αᵐ`, `ςᵐ`, `σᵐ` and `J(ςᵐ)`.
    let midAlpha: [Double], midLevel: [Double], midSigma: [Double], midJacobian: [Double]

    init(grid: TimeGrid, first: Int, steps n: Int, particles p: Int, jacobianVariance: Double?,
         context: SamplingContext) {
        steps = n
        particles = p
        let taus = (0...n).map { grid.times[first + $0] }
        let jacobianOf: (Double) -> Double = { s in jacobianVariance.map { s / ($0 + s * s) } ?? 0 }
        alpha = taus.map(ForwardProcess.alpha)
        level = taus.map(ForwardProcess.noiseToSignal)
        sigma = taus.map(ForwardProcess.sigma)
        jacobian = level.map(jacobianOf)
        var times = [Double](repeating: 0, count: 2 * n * p)
        var midAlpha = [Double](repeating: 0, count: n * p)
        var midLevel = midAlpha, midSigma = midAlpha, midJacobian = midAlpha
        for j in 0..<n {
            let u = context.noise.uniforms(particles: p, step: first + j + 1, slot: 1)
            for i in 0..<p {
                let vm = RandomizedMidpoint.noiseToSignalMidpoint(u: u[i], from: level[j], to: level[j + 1])
                let tm = ForwardProcess.tau(noiseToSignal: vm)
                times[j * p + i] = taus[j]
                times[(n + j) * p + i] = tm
                midAlpha[j * p + i] = ForwardProcess.alpha(tm)
                midLevel[j * p + i] = vm
                midSigma[j * p + i] = ForwardProcess.sigma(tm)
                midJacobian[j * p + i] = jacobianOf(vm)
            }
        }
        self.times = times
        self.midAlpha = midAlpha
        self.midLevel = midLevel
        self.midSigma = midSigma
        self.midJacobian = midJacobian
    }
}
