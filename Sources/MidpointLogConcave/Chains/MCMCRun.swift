import Dispatch
import MidpointLinearAlgebra
import MidpointRandom

/// Runs a batch of chains: start, warm-up, kept and thinned draws, exact cost accounting.
public enum MCMCRun {
    /// Runs `sampler` on `potential`.
    ///
    /// Chains start at `initial` or at `N(0, s² I)` draws (Philox step 0, slot 0); kinetic samplers start
    /// with `v ~ N(0, I)` (slot 1). Step `n ≥ 1` uses Philox step `n`, so a chain's path depends only on
    /// the seed, its index and the step: the same for any batch size or thread count.
    /// `observe`, if given, sees the positions after every step with the gradient evaluations per chain
    /// so far, and may stop the run early by returning false (the result then holds the draws kept so far).
    /// - Throws: ``MCMCError/nonFinite(step:chain:)`` as soon as a chain's state is NaN or infinite.
    public static func run(_ sampler: any MCMCSampler, potential: any Potential, options: MCMCOptions,
                           initial: Matrix? = nil, progress: ((Int, Int) -> Void)? = nil,
                           observe: ((Int, Matrix, Double) -> Bool)? = nil) throws(MCMCError) -> MCMCResult {
        try options.validate()
        try options.checkMemory(dimension: potential.dimension)
        try sampler.validate()
        let (c, d) = (options.chains, potential.dimension)
        let chunks = RowChunks(threads: options.threads)
        let noise = NoiseSource(seed: options.seed, chunks: chunks)
        let evaluator = GradientEvaluator(potential: potential, chains: c, chunks: chunks)
        var state = try initialState(potential: potential, options: options, initial: initial, noise: noise)
        let context = MCMCContext(evaluator: evaluator, noise: noise)
        let total = options.warmup + options.draws * options.thin
        var draws = [Double](repeating: 0, count: c * options.draws * d)
        var gradients = options.recordGradients ? draws : []
        let start = DispatchTime.now().uptimeNanoseconds
        var kept = 0
        for n in 1...total {
            sampler.step(&state, index: options.stepOffset + n, context: context)
            if !state.x.isFinite {
                let bad = state.x.storage.firstIndex { !$0.isFinite } ?? 0
                throw .nonFinite(step: options.stepOffset + n, chain: bad / max(d, 1))
            }
            if n > options.warmup, (n - options.warmup) % options.thin == 0 {
                if options.recordGradients { state.ensureGradient(evaluator) }
                for i in 0..<c {
                    let row = (i * options.draws + kept) * d
                    for j in 0..<d { draws[row + j] = state.x[i, j] }
                    if options.recordGradients { for j in 0..<d { gradients[row + j] = state.gradient[i, j] } }
                }
                kept += 1
            }
            progress?(n, total)
            if let observe, !observe(n, state.x, evaluator.gradientsPerChain) { break }
        }
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) * 1e-9
        let acceptance: Double? = state.proposed > 0
            ? Double(state.accepted.reduce(0, +)) / Double(state.proposed * c) : nil
        var result = MCMCResult(draws: draws, chains: c, drawsPerChain: options.draws, dimension: d,
                                gradientEvaluations: evaluator.gradientsPerChain, rounds: evaluator.rounds,
                                acceptanceRate: acceptance, seconds: seconds)
        if options.recordGradients { result.gradients = gradients }
        return result
    }

    /// The chains' start: `initial` (checked), or `N(0, s² I)` draws (Philox step `stepOffset`, slot 0);
    /// velocities `N(0, I)` (slot 1).
    static func initialState(potential: any Potential, options: MCMCOptions, initial: Matrix?,
                             noise: NoiseSource) throws(MCMCError) -> ChainState {
        let (c, d) = (options.chains, potential.dimension)
        var x = Matrix(rows: c, columns: d)
        if let initial {
            guard initial.rows == c, initial.columns == d else {
                throw .invalidParameter(name: "initial state", value: "\(initial.rows)×\(initial.columns)", allowed: "must be \(c)×\(d)")
            }
            guard initial.isFinite else { throw .invalidParameter(name: "initial state", value: "non-finite", allowed: "must be finite") }
            x = initial
        } else {
            noise.fillNormal(&x, step: options.stepOffset, slot: 0)
            x.scale(by: options.initialScale)
        }
        var v = Matrix(rows: c, columns: d)
        noise.fillNormal(&v, step: options.stepOffset, slot: 1)
        return ChainState(x: x, v: v)
    }
}
