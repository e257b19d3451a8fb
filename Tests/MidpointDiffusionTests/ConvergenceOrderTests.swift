import Foundation
import MidpointDiffusion
import MidpointLinearAlgebra
import MidpointScoreModels
import MidpointTargets
import MidpointTestSupport
import Testing

/// Convergence orders of the deterministic samplers on a Gaussian target, with no sampling noise.
///
/// On `N(m, diag(v))` the score is affine, so a deterministic sampler is an affine map per coordinate,
/// `x ↦ A x + b`: running it from the all-zeros and all-ones states reads off `b` and `A`. Started from
/// the exact `q_T = N(αₜ m, cₜ)`, its output law is `N(A αₜ m + b, A² cₜ)`, compared in closed-form W2
/// with the exact `q_δ` (no denoising step, so no δ-bias). Fitting log W2 against log(steps) gives the
/// order.
@Suite struct ConvergenceOrderTests {
    let mean = [1.0, -2.0, 0.5, 0.0]
    let variance = [0.5, 1.5, 0.1, 0.05]

    func outputW2(_ sampler: any DiffusionSampler, steps: Int) throws -> Double {
        let target = try GaussianMixtureTarget(mean: mean, covariance: .diagonal(variance))
        var options = DiffusionRunOptions(particles: 2, seed: 0)
        options.cost = .steps(steps)
        options.denoise = false
        // Below EDM's cap (ς = 80 at τ ≈ 4.38): above it the EDM grid's first step does not refine.
        options.horizon = 4
        let start = Matrix(rowArrays: [[Double](repeating: 0, count: 4), [Double](repeating: 1, count: 4)])
        let result = try DiffusionRun.run(sampler, model: target, options: options, initial: start)
        let (t, d) = (options.horizon, result.grid.earlyStop)
        var w2 = 0.0
        for j in 0..<4 {
            let b = result.samples[0, j], a = result.samples[1, j] - b
            let cT = ForwardProcess.alpha(t) * ForwardProcess.alpha(t) * variance[j] + ForwardProcess.sigmaSquared(t)
            let cD = ForwardProcess.alpha(d) * ForwardProcess.alpha(d) * variance[j] + ForwardProcess.sigmaSquared(d)
            let outMean = a * ForwardProcess.alpha(t) * mean[j] + b
            let dm = outMean - ForwardProcess.alpha(d) * mean[j]
            let ds = abs(a) * cT.squareRoot() - cD.squareRoot()
            w2 += dm * dm + ds * ds
        }
        return w2.squareRoot()
    }

    /// Least-squares slope of log error against log step size (step size ∝ 1/steps).
    func fittedOrder(_ sampler: any DiffusionSampler, steps: [Int]) throws -> (Double, [Double]) {
        let errors = try steps.map { try outputW2(sampler, steps: $0) }
        let slope = GaussianOutputLaw.fittedOrder(steps: steps, errors: errors)
        return (slope, errors)
    }

    @Test(arguments: [("ei-ode", 1.0), ("ddim", 1.0), ("dpmpp-2m", 2.0), ("heun", 2.0)])
    func deterministicSamplersHaveTheirOrder(name: String, order: Double) throws {
        let (slope, errors) = try fittedOrder(try SamplerRegistry.sampler(named: name), steps: [32, 64, 128, 256])
        #expect(abs(slope - order) < 0.15 * order, "\(name): fitted order \(slope), errors \(errors)")
    }
}
