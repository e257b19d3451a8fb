import Midpoint

/// Every registered sampler at one NFE budget on a learned model, counting the samples each loses: the
/// check behind "no sampler loses particles at ≥ 4 NFE" on the digits network and the served UNet.
///
/// "Lost" is the CLI's divergence test (an RMS coordinate above 100), applied to the states at δ before the
/// denoising step: that step returns the model's (guarded) x̂₀, which lies near the data range by
/// construction, so only the integrated states can show a divergence.
public struct StabilitySweep {
    /// The samplers that ran, with how many of their samples were lost.
    public private(set) var ran: [(sampler: String, diverged: Int)] = []
    /// The samplers that failed other than by refusing the budget as too small or too coarse for their steps
    /// (which is allowed), with the error.
    public private(set) var failures: [(sampler: String, error: String)] = []

    /// Runs every sampler of the registry on `model` at `nfe` NFE with `particles` particles (seed 0,
    /// 2 threads, no denoising step), in registry order.
    public init(model: any ScoreModel, nfe: Int, particles: Int) throws {
        for name in SamplerRegistry.names {
            let sampler = try SamplerRegistry.sampler(named: name)
            var options = DiffusionRunOptions(particles: particles, seed: 0)
            options.cost = .nfe(nfe)
            options.threads = 2
            options.denoise = false
            do {
                ran.append((name, try DiffusionRun.run(sampler, model: model, options: options).divergedCount()))
            } catch {
                switch error {
                case .budgetTooSmall, .unstableStep: continue
                default: failures.append((name, "\(error)"))
                }
            }
        }
    }
}
