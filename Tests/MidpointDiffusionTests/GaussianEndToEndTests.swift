import Foundation
import MidpointDiffusion
import MidpointLinearAlgebra
import MidpointScoreModels
import MidpointTargets
import Testing

/// DDIM on a diagonal Gaussian target, end to end.
///
/// There the score is affine in x, so DDIM is an affine map per coordinate, `x' = A x + B`, and the law
/// of its output is exactly Gaussian: pushing the start law's mean and variance through the maps gives
/// the output law with no sampling error. That law's distance from the target is DDIM's
/// discretization error (first order in the step), and the particles' sample moments then differ
/// from that law only by sampling error.
@Suite struct GaussianEndToEndTests {
    let mean = [1.0, -2.0, 0.5, 0.0]
    let variance = [0.5, 1.5, 0.1, 0.02]

    /// Output mean and variance per coordinate of DDIM (+ denoising) from start law N(μ₀, V₀).
    func ddimLaw(grid: TimeGrid, start: (Double, Double, Int) -> (Double, Double)) -> [(Double, Double)] {
        (0..<mean.count).map { j in
            var (mu, v) = start(mean[j], variance[j], j)
            for n in 0..<grid.steps {
                let (t, t1) = (grid.times[n], grid.times[n + 1])
                let (a, a1) = (ForwardProcess.alpha(t), ForwardProcess.alpha(t1))
                let (sg, sg1) = (ForwardProcess.sigma(t), ForwardProcess.sigma(t1))
                let k = a1 * sg * sg / a - sg1 * sg
                let c = a * a * variance[j] + sg * sg
                let slope = a1 / a - k / c
                (mu, v) = (slope * mu + k * a * mean[j] / c, slope * slope * v)
            }
            let t = grid.earlyStop
            let (a, s2) = (ForwardProcess.alpha(t), ForwardProcess.sigmaSquared(t))
            let c = a * a * variance[j] + s2
            let slope = (1 - s2 / c) / a
            return (slope * mu + s2 * mean[j] / c, slope * slope * v)
        }
    }

    func lawError(_ law: [(Double, Double)]) -> Double {
        zip(law, zip(mean, variance)).map { l, t in abs(l.0 - t.0) + abs(l.1.squareRoot() - t.1.squareRoot()) }.max()!
    }

    @Test func ddimIsFirstOrderAndItsParticlesMatchItsLaw() throws {
        let target = try GaussianMixtureTarget(mean: mean, covariance: .diagonal(variance))
        // First order: from the exact q_T start, doubling the steps halves the error.
        let exactStart: (Double, Double, Int) -> (Double, Double) = { m, v, _ in
            (ForwardProcess.alpha(8) * m, ForwardProcess.alpha(8) * ForwardProcess.alpha(8) * v + ForwardProcess.sigmaSquared(8))
        }
        let errors = try [100, 200, 400].map { n in
            lawError(ddimLaw(grid: try TimeGrid(.uniformLogSNR, steps: n, horizon: 8, earlyStop: 1e-3), start: exactStart))
        }
        let slope = log(errors[0] / errors[2]) / log(4)
        #expect(abs(slope - 1) < 0.1, "fitted order \(slope) from errors \(errors)")

        // Particles from N(0, I): sample moments against the exact output law. Standard errors:
        // √(V/N) for the mean, √(2V²/(N-1)) for the variance of a Gaussian; five of them.
        let steps = 200, particles = 20_000
        var options = DiffusionRunOptions(particles: particles, seed: 3)
        options.cost = .steps(steps)
        options.horizon = 8  // so that the start's mismatch e^{-T} m stays far below the 0.02 bound below
        let result = try DiffusionRun.run(DDIMSampler(), model: target, options: options)
        let law = ddimLaw(grid: result.grid, start: { _, _, _ in (0, 1) })
        let n = Double(particles)
        let sampleMean = result.samples.columnMeans()
        let sampleCov = result.samples.rowCovariance()
        for j in 0..<mean.count {
            let (mu, v) = law[j]
            #expect(abs(sampleMean[j] - mu) < 5 * (v / n).squareRoot(), "mean[\(j)]")
            #expect(abs(sampleCov[j, j] - v) < 5 * (2 * v * v / (n - 1)).squareRoot(), "variance[\(j)]")
            // DDIM is deterministic and acts per coordinate, and the start N(0, I) has independent
            // coordinates, so the output's coordinates are independent: each sample covariance is a
            // mean of N products of independent centred Gaussians, standard error √(vᵢvⱼ/(N-1)).
            for i in 0..<j {
                let se = (law[i].1 * v / (n - 1)).squareRoot()
                #expect(abs(sampleCov[i, j]) < 5 * se, "covariance[\(i), \(j)] = \(sampleCov[i, j]), SE \(se)")
            }
        }
        // And the discretization error at 200 steps is small in absolute terms.
        #expect(lawError(law) < 0.02, "law error \(lawError(law))")
    }
}
