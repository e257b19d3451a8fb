import Dispatch
import MidpointLinearAlgebra
import MidpointRandom

extension MCMCRun {
    /// Runs sampler `name` on `potential` with warm-up adaptation (``WarmupAdaptation``) when
    /// `adaptation` is given and `options.warmup > 0`, otherwise with `parameters` and the
    /// potential's own bounds, as ``run(_:potential:options:initial:progress:observe:)``.
    ///
    /// With adaptation, warm-up uses Philox steps `1…warmup` and sampling continues past them in the
    /// preconditioned coordinates; the draws (and, with `options.recordGradients`, the gradients
    /// `∇f`) come back in the original coordinates, and the cost counts warm-up and sampling.
    public static func run(sampler name: String, potential: any Potential, parameters: MCMCSamplerRegistry.Parameters,
                           options: MCMCOptions, adaptation: WarmupAdaptation?, initial: Matrix? = nil,
                           progress: ((Int, Int) -> Void)? = nil) throws(MCMCError) -> MCMCResult {
        guard let adaptation, options.warmup > 0 else {
            let sampler = try MCMCSamplerRegistry.sampler(named: name, for: potential, parameters: parameters)
            return try run(sampler, potential: potential, options: options, initial: initial, progress: progress)
        }
        try options.validate()
        try options.checkMemory(dimension: potential.dimension)
        let clock = DispatchTime.now().uptimeNanoseconds
        guard MCMCSamplerRegistry.names.contains(name) else { throw .unknownSampler(name, available: MCMCSamplerRegistry.names) }
        let chunks = RowChunks(threads: options.threads)
        let noise = NoiseSource(seed: options.seed, chunks: chunks)
        let start = try initialState(potential: potential, options: options, initial: initial, noise: noise)
        let total = options.warmup + options.draws * options.thin
        let warm = try adaptation.run(sampler: name, potential: potential, parameters: parameters, state: start,
                                      warmup: options.warmup, noise: noise, chunks: chunks, drawnStart: initial == nil,
                                      progress: { n, _ in progress?(n, total) })
        var sampling = options
        sampling.warmup = 0
        sampling.stepOffset = options.stepOffset + options.warmup + 1
        var result = try run(warm.sampler, potential: warm.potential, options: sampling, initial: warm.state,
                             progress: { n, _ in progress?(options.warmup + n, total) })
        // Back to the original coordinates: x = μ + T y, ∇ₓf = T⁻ᵀ ∇_y f̃.
        let d = potential.dimension
        let rows = result.draws.count / max(d, 1)
        // In place: each buffer is taken out of the result first, so that it is uniquely held and the kept
        // draws are never copied (MCMCOptions.keptBytes counts them once).
        var draws = Matrix(rows: rows, columns: d, storage: result.draws)
        result.draws = []
        warm.potential.mapToOriginal(&draws)
        var gradients = result.gradients.map { Matrix(rows: rows, columns: d, storage: $0) }
        result.gradients = nil
        if gradients != nil { warm.potential.mapGradientsToOriginal(&gradients!) }
        var combined = MCMCResult(draws: draws.storage, chains: result.chains, drawsPerChain: result.drawsPerChain, dimension: d,
                                  gradientEvaluations: result.gradientEvaluations + warm.gradientEvaluations,
                                  rounds: result.rounds + warm.rounds, acceptanceRate: result.acceptanceRate,
                                  seconds: Double(DispatchTime.now().uptimeNanoseconds - clock) * 1e-9)
        combined.gradients = gradients?.storage
        combined.warmup = warm
        result = combined
        return result
    }
}
