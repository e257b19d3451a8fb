import MidpointDiffusion
import MidpointLinearAlgebra
import MidpointMetrics
import MidpointRandom
import MidpointScoreModels
import MidpointTargets

/// The error of a sampler on a product target whose coordinates share one 1-D mixture law,
/// `q₀ = μ^{⊗d}`, measured by quadrature over stratified starting points instead of Monte Carlo.
///
/// Every coordinate of the `P` particles starts at a midpoint quantile `zₖ = Φ⁻¹((k + ½)/P)`,
/// each coordinate (column) with its own random permutation of `k` (so particles are not
/// copies of each other). On a product target the score acts coordinate-wise, so a deterministic
/// sampler maps each coordinate through one monotone 1-D map `T`, and column `j`'s sorted outputs
/// are `T(zₖ)`. The column's error is the P-point midpoint rule for the 1-D W2 against the exact
/// law at the final time δ (`docs/algorithms.md` §9),
/// `W2ⱼ² ≈ (1/P) Σₖ (x₍ₖ₎ⱼ - F_δ⁻¹((k + ½)/P))²`, and the reported error is `√(Σⱼ W2ⱼ²)`, the
/// W2 between the product of the column laws and `q_δ`. It is 0 for an exact map, whatever `P`:
/// there is no sampling floor, only quadrature error, which is relative to the error itself.
///
/// Caveats: for randomized samplers (a midpoint time shared by a particle's coordinates, injected
/// noise) the sorted column is an empirical quantile function, so Monte Carlo error of order
/// `spread/√P` per coordinate enters; and the product of the marginal errors ignores the
/// dependence between coordinates that the shared draws create, so it bounds the joint W2 from
/// below. The P-point rule also ignores the law's outer `1/(2P)` tails.
public enum ProductMixtureW2 {
    /// The quadrature W2 of `sampler` on `target` with `options.particles` stratified particles.
    /// - Parameter wrap: how the sampler sees the target (for example with a per-call latency).
    /// - Returns: the W2, and the NFE, rounds and wall seconds of the run.
    public static func w2(_ sampler: any DiffusionSampler, target: ProductMixtureTarget, options: DiffusionRunOptions,
                          wrap: (any ScoreModel) -> any ScoreModel = { $0 }) throws(SamplingError) -> (w2: Double, nfe: Double, rounds: Int, seconds: Double) {
        let (p, d) = (options.particles, target.dimension)
        let delta = try DiffusionRun.grid(for: sampler, options: options).earlyStop
        let levels = (0..<p).map { (Double($0) + 0.5) / Double(p) }
        let starts = levels.map(NormalQuantile.of)
        let exact = levels.map { target.marginal.quantile(tau: delta, $0) }
        var initial = Matrix(rows: p, columns: d)
        var keys = [Double](repeating: 0, count: p)
        for j in 0..<d {
            keys.withUnsafeMutableBufferPointer {
                RandomStream(seed: options.seed, particle: j, step: 0, slot: 7).fillUniform($0.baseAddress!, count: p)
            }
            for (row, k) in keys.indices.sorted(by: { keys[$0] < keys[$1] }).enumerated() { initial[row, j] = starts[k] }
        }
        let run = try DiffusionRun.run(sampler, model: wrap(target), options: options, initial: initial)
        var total = 0.0
        var column = [Double](repeating: 0, count: p)
        for j in 0..<d {
            for r in 0..<p { column[r] = run.samples[r, j] }
            column.sort()
            for k in 0..<p { total += (column[k] - exact[k]) * (column[k] - exact[k]) }
        }
        return ((total / Double(p)).squareRoot(), run.nfe, run.rounds, run.seconds)
    }
}
