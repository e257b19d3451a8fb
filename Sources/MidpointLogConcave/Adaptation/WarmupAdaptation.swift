import Foundation
import MidpointLinearAlgebra
import MidpointRandom

/// Warm-up that tunes a log-concave sampler to its target (`docs/algorithms.md` §11), on by default in
/// `midpoint mcmc`.
///
/// Over Stan's windows (``WarmupSchedule``): after each slow window the per-coordinate posterior
/// variance of the window's draws (pooled over chains, shrunk toward 1e-3 like Stan's) becomes a diagonal
/// preconditioner `D` (``PreconditionedPotential``); the chains move to the new coordinates with fresh
/// velocities (a Gibbs refresh, which leaves the kinetic target invariant); the extreme curvatures
/// `L̃, m̃` of the preconditioned potential are estimated at the chains (``CurvatureEstimate``); and the
/// sampler is rebuilt with its rules for `L̃, m̃` (``MCMCSamplerRegistry/sampler(named:for:parameters:)``:
/// step `c/√L̃` or `c/L̃`, friction `2√m̃`, corrector window `⌈4/(√m̃ h)⌉`). MALA's step is then moved by
/// dual averaging toward acceptance 0.574 at every step. Parameters the user gave are kept as given; a given step size is in the preconditioned coordinates
/// (unit posterior scale) and applies from the first preconditioner on.
/// Every gradient — steps and curvature probes — is counted.
public struct WarmupAdaptation: Sendable {
    /// The preconditioner warm-up estimates.
    public enum Metric: String, Sendable, CaseIterable {
        /// None: only step size and friction adapt.
        case none
        /// The posterior sds (a diagonal mass matrix).
        case diagonal
        /// The posterior covariance's Cholesky factor (a dense mass matrix), shrunk toward its diagonal
        /// while the window has few draws per parameter.
        case dense
    }

    /// The preconditioner: dense up to ``denseLimit`` parameters, diagonal above (a `d × d` factor
    /// costs `O(d²)` per gradient).
    public var metric: Metric?
    /// Largest dimension that gets a dense preconditioner by default.
    public static let denseLimit = 200
    /// Lanczos iterations per curvature estimate (default `min(d, 20)`).
    public var curvatureIterations: Int?
    /// MALA's target acceptance rate.
    public var targetAcceptance = 0.574
    /// Whether warm-up starts at the mode (``ModeSearch``): chains start at `mode + L z` with `z` their
    /// `N(0, I)` draws and `L Lᵀ` the inverse Hessian there, which is also the first preconditioner (dense up to
    /// ``denseLimit`` parameters; above it only the center moves). Off, or when the search does not
    /// converge, chains start at their `N(0, I)` draws with the identity as before.
    public var startAtMode = true
    /// A multiple of the rule's step size (for studies of the step's effect; 1 by default). Not applied
    /// to `mala`, whose step dual averaging sets.
    public var stepScale = 1.0
    /// The allowed step-size factors.
    public static let stepScaleRange: ClosedRange<Double> = 1e-3...1e3

    /// Default adaptation.
    public init() {}

    /// A new preconditioner is kept only if the curvature ratio `L̃/m̃` it leaves is at most this many
    /// times the old one's (a window that still held the approach to the bulk inflates some variances and
    /// makes the target worse conditioned; measured on breast-cancer, seed 1: `L̃` went from 50 to 1,900
    /// and the warm-up never recovered).
    static let maximumConditioningGrowth = 2.0

    /// Philox slots of the warm-up's own draws (far above any sampler's).
    static let probeSlot = 1_000_000, refreshSlot = 1_000_001

    /// Runs `warmup` steps of sampler `name` on `potential` from `state` (original coordinates, Philox
    /// steps `1…warmup`) and returns the tuned sampler in its preconditioned coordinates.
    /// - Parameter drawnStart: whether `state` holds the run's own `N(0, I)` starting draws, which a start at
    ///   the mode (``startAtMode``) maps to the Laplace approximation; a start a caller chose is kept.
    /// - Throws: ``MCMCError`` when a parameter is invalid or a chain diverges (with the step).
    public func run(sampler name: String, potential: any Potential, parameters given: MCMCSamplerRegistry.Parameters,
                    state initial: ChainState, warmup: Int, noise: NoiseSource, chunks: RowChunks, drawnStart: Bool = false,
                    progress: ((Int, Int) -> Void)? = nil) throws(MCMCError) -> WarmupResult {
        let (c, d) = (initial.x.rows, potential.dimension)
        let schedule = WarmupSchedule(warmup: warmup)
        let metric = self.metric ?? (d <= Self.denseLimit ? .dense : .diagonal)
        var state = initial
        var spent = 0.0, rounds = 0
        var step = 0

        // The target in the current coordinates, its evaluator, curvature and sampler.
        var target = PreconditionedPotential(potential, center: [Double](repeating: 0, count: d),
                                             scale: [Double](repeating: 1, count: d), smoothness: nil, strongConvexity: nil)
        var search: ModeSearch?
        if startAtMode, drawnStart {
            // Counted per chain: the search runs once for all of them.
            let found = ModeSearch.find(potential)
            spent += Double(found.gradientEvaluations) / Double(c)
            rounds += found.gradientEvaluations
            search = found
            if found.converged {
                var factor: Matrix?
                if d <= Self.denseLimit, metric != .none {
                    factor = ModeSearch.covarianceFactor(ofHessian: ModeSearch.hessian(potential, at: found.mode))
                    spent += Double(2 * d) / Double(c)
                    rounds += 1
                }
                if let l = factor, metric == .dense {
                    target = PreconditionedPotential(potential, center: found.mode, factor: l, smoothness: nil, strongConvexity: nil)
                } else {
                    // Diagonal: the Laplace covariance's sds (the norms of L's rows).
                    let scale = (0..<d).map { j in factor.map { l in (0...j).reduce(0.0) { $0 + l[j, $1] * l[j, $1] }.squareRoot() } ?? 1 }
                    target = PreconditionedPotential(potential, center: found.mode, scale: scale, smoothness: nil, strongConvexity: nil)
                }
                // The chains' N(0, I) draws, read in the new coordinates, are draws from the Laplace approximation.
            }
        }
        var evaluator = GradientEvaluator(potential: target, chains: c, chunks: chunks)
        var curvature = CurvatureEstimate(largest: .nan, smallest: .nan)
        var parameters = given
        var sampler: any MCMCSampler = ULASampler(stepSize: 1)
        var averaging: DualAveraging?

        func retune() throws(MCMCError) {
            spent += evaluator.gradientsPerChain
            rounds += evaluator.rounds
            evaluator = GradientEvaluator(potential: target, chains: c, chunks: chunks)
            state.ensureGradient(evaluator)
            curvature = CurvatureEstimate.estimate(at: state.x, gradients: state.gradient, evaluator: evaluator, noise: noise,
                                                   step: step, slot: Self.probeSlot, iterations: curvatureIterations)
            guard curvature.largest.isFinite else {
                throw .invalidParameter(name: "warm-up curvature at step \(step)", value: "\(curvature.largest)",
                                        allowed: "must be finite and positive: the chains diverged (a step size too large for this target) or the potential is not log-concave near them")
            }
            // A potential flat near the chains (in coordinates where the posterior should have unit scale) has
            // no usable step size: it is what an improper posterior looks like from the inside.
            guard curvature.largest > 1e-12 else {
                throw .invalidParameter(name: "warm-up curvature at step \(step)", value: "\(curvature.largest)",
                                        allowed: "must be above 1e-12: the potential is flat near the chains, so the posterior is probably improper (separable classes or a parameter the data do not identify, under a flat prior); give it a proper prior")
            }
            target = target.with(smoothness: curvature.largest, strongConvexity: curvature.smallest)
            // The same evaluator counts on: the new potential differs only in its curvature fields.
            spent += evaluator.gradientsPerChain
            rounds += evaluator.rounds
            evaluator = GradientEvaluator(potential: target, chains: c, chunks: chunks)
            try build(boost: Self.warmupBoost(name))
        }

        /// The sampler for the current target and curvature, its rule's step times `boost` unless given.
        func build(boost: Double) throws(MCMCError) {
            var p = given
            // A given step is in preconditioned coordinates: before the first preconditioner exists the
            // rule's step (safe for the raw target) runs instead.
            let preconditioned = target.factor != nil || target.scale.contains { $0 != 1 }
            if !preconditioned, metric != .none { p.stepSize = nil }
            if name == "mala", given.stepSize == nil, let averaging { p.stepSize = averaging.step }
            sampler = try MCMCSamplerRegistry.sampler(named: name, for: target, parameters: p)
            if stepScale * boost != 1, p.stepSize == nil, given.stepSize == nil, name != "mala" {
                // The boost speeds warm-up up to its own stable step; a larger --step-scale wins.
                p.stepSize = sampler.stepSize * (boost > 1 ? max(stepScale, boost) : stepScale)
                sampler = try MCMCSamplerRegistry.sampler(named: name, for: target, parameters: p)
            }
            parameters = Self.parameters(of: sampler, given: p)
            if name == "mala", given.stepSize == nil {
                averaging = DualAveraging(initial: sampler.stepSize, target: targetAcceptance)
            }
        }

        func advance(_ count: Int, window: inout WindowMoments?) throws(MCMCError) {
            for _ in 0..<count {
                step += 1
                let accepted = state.accepted.reduce(0, +)
                sampler.step(&state, index: step, context: MCMCContext(evaluator: evaluator, noise: noise))
                guard state.x.isFinite else {
                    let bad = state.x.storage.firstIndex { !$0.isFinite } ?? 0
                    throw .nonFinite(step: step, chain: bad / max(d, 1))
                }
                if var a = averaging {
                    a.update(acceptance: Double(state.accepted.reduce(0, +) - accepted) / Double(c))
                    averaging = a
                    if sampler is MALASampler { sampler = MALASampler(stepSize: a.step) }
                }
                window?.add(state.x)
                progress?(step, warmup)
            }
        }

        try retune()
        var none: WindowMoments?
        try advance(schedule.initial, window: &none)
        for length in schedule.windows {
            var moments: WindowMoments? = metric == .none ? nil : WindowMoments(dimension: d, dense: metric == .dense)
            try advance(length, window: &moments)
            guard let moments, let next = moments.preconditioner(refining: target) else {
                try retune()
                continue
            }
            let previous = (target: target, state: state, curvature: curvature)
            state.move(to: next.toPreconditioned(target.toOriginal(state.x)))
            target = next
            noise.fillNormal(&state.v, step: step, slot: Self.refreshSlot)
            try retune()
            // A window that still held the chains' approach to the bulk (or too few effective draws)
            // gives a preconditioner that makes the target worse conditioned, not better: keep the old one.
            let conditioning = { (c: CurvatureEstimate) in c.largest / c.smallest }
            if conditioning(curvature) > Self.maximumConditioningGrowth * conditioning(previous.curvature) {
                spent += evaluator.gradientsPerChain
                rounds += evaluator.rounds
                (target, state, curvature) = previous
                evaluator = GradientEvaluator(potential: target, chains: c, chunks: chunks)
                try build(boost: Self.warmupBoost(name))
            }
        }
        // The final phase settles the chains at the step sampling will use.
        try build(boost: 1)
        let acceptedBefore = state.accepted.reduce(0, +), proposedBefore = state.proposed
        try advance(schedule.final, window: &none)
        var acceptance: Double?
        if state.proposed > proposedBefore {
            acceptance = Double(state.accepted.reduce(0, +) - acceptedBefore) / Double(c * (state.proposed - proposedBefore))
        }
        if let averaging, name == "mala" {
            sampler = MALASampler(stepSize: averaging.averagedStep)
            parameters.stepSize = averaging.averagedStep
        }
        spent += evaluator.gradientsPerChain
        rounds += evaluator.rounds
        return WarmupResult(potential: target, sampler: sampler, state: state.x, curvature: curvature, parameters: parameters,
                            gradientEvaluations: spent, rounds: rounds, acceptance: acceptance, modeSearch: search)
    }

    /// How much longer than its sampling step `ula` steps during the windows: its bias does not matter
    /// there (the draws only set the preconditioner, and a slightly inflated variance is harmless), its
    /// speed does — chains that have not moved give a preconditioner worse than none. `1/L̃` is half
    /// its stability limit `2/L̃`. (With `ula` at `0.1/L̃` and no boost, `gaussian100`'s means were 1.4 sd
    /// off after the default run; the sampling steps now come from the step sweep in
    /// docs/log-concave.md.) The kinetic samplers already step at `0.5/√L̃`.
    static func warmupBoost(_ name: String) -> Double {
        switch name {
        case "ula": 2.5
        default: 1
        }
    }

    /// The parameters a built sampler ended up with (defaults filled in).
    static func parameters(of sampler: any MCMCSampler, given: MCMCSamplerRegistry.Parameters) -> MCMCSamplerRegistry.Parameters {
        var p = given
        p.stepSize = sampler.stepSize
        switch sampler {
        case let s as ULMCSampler: p.friction = s.friction
        case let s as RandomizedMidpointULMCSampler: p.friction = s.friction
        case let s as RandomizedMidpointULMCPCSampler:
            p.friction = s.predictor.friction
            p.correctorWindow = s.window
            p.correctorStepSize = s.correctorStepSize
        case let s as ParallelRandomizedMidpointULMCSampler: p.friction = s.friction
        default: break
        }
        return p
    }
}

/// Running means and covariances of a window's draws in the current preconditioned coordinates, pooled
/// over chains (Welford; the full matrix when dense, its diagonal otherwise).
struct WindowMoments {
    private(set) var count = 0
    private(set) var mean: [Double]
    /// Co-moments: `d × d` when dense, `d` otherwise.
    private var m2: [Double]
    let dense: Bool

    /// How much one window may rescale the preconditioner in any direction.
    static let maximumRescaling = 4.0
    /// Draws per parameter at which the full covariance and its diagonal weigh equally. Warm-up draws are
    /// autocorrelated and a sample covariance from `n ≈ 2d` draws already has eigenvalues spread over
    /// `[0.09, 2.9]` (Marchenko–Pastur), so the weight on the full matrix is `n/(n + 10 d)`.
    static let diagonalPrior = 10.0

    init(dimension d: Int, dense: Bool) {
        self.dense = dense
        mean = [Double](repeating: 0, count: d)
        m2 = [Double](repeating: 0, count: dense ? d * d : d)
    }

    mutating func add(_ y: Matrix) {
        let d = y.columns
        var delta = [Double](repeating: 0, count: d)
        for i in 0..<y.rows {
            count += 1
            let n = Double(count)
            for j in 0..<d {
                delta[j] = y[i, j] - mean[j]
                mean[j] += delta[j] / n
            }
            // m2 += (y - mean_old)(y - mean_new)ᵀ
            if dense {
                for j in 0..<d {
                    let a = delta[j]
                    for k in 0..<d { m2[j * d + k] += a * (y[i, k] - mean[k]) }
                }
            } else {
                for j in 0..<d { m2[j] += delta[j] * (y[i, j] - mean[j]) }
            }
        }
    }

    /// The current preconditioner refined by the window's draws; nil with fewer than 3 draws.
    ///
    /// In the current coordinates the draws' covariance `C` should be `I`. It is shrunk toward `I` as
    /// Stan shrinks toward its unit metric, `n/(n+5) C + 5/(n+5) I`; a dense `C` is also shrunk toward its
    /// diagonal with weight `n/(n + 10 d)` on the full matrix (a window with few draws per parameter cannot
    /// impose spurious correlations); and its eigenvalues are clamped to `[1/16, 16]` (sds rescaled by at
    /// most 4× per window), so chains that have not yet moved — a slow sampler's first windows — cannot
    /// collapse the preconditioner. The new map is `x = μ + T (ȳ + L z)`, `L Lᵀ = C`: `T ← T L`.
    func preconditioner(refining current: PreconditionedPotential) -> PreconditionedPotential? {
        guard count >= 3 else { return nil }
        let (n, d) = (Double(count), mean.count)
        let r = Self.maximumRescaling * Self.maximumRescaling
        let shrink = n / (n + 5)
        let variance = (0..<d).map { j -> Double in
            let raw = (dense ? m2[j * d + j] : m2[j]) / (n - 1)
            return min(max(shrink * raw + (1 - shrink), 1 / r), r)
        }
        guard variance.allSatisfy({ $0.isFinite }) else { return nil }
        let meanY = Matrix(rows: 1, columns: d, storage: mean)
        let center = current.toOriginal(meanY).storage
        var t = Matrix(rows: d, columns: d)
        for j in 0..<d {
            if let factor = current.factor { for k in 0...j { t[j, k] = factor[j, k] } } else { t[j, j] = current.scale[j] }
        }
        if !dense {
            if current.factor == nil {
                return PreconditionedPotential(current.base, center: center, scale: (0..<d).map { current.scale[$0] * variance[$0].squareRoot() },
                                               smoothness: nil, strongConvexity: nil)
            }
            for j in 0..<d { for k in 0...j { t[j, k] *= variance[k].squareRoot() } }
            return PreconditionedPotential(current.base, center: center, factor: t, smoothness: nil, strongConvexity: nil)
        }
        let w = n / (n + Self.diagonalPrior * Double(d))
        var c = Matrix(rows: d, columns: d)
        for j in 0..<d {
            for k in 0..<d { c[j, k] = j == k ? shrink * m2[j * d + j] / (n - 1) + (1 - shrink) : w * shrink * m2[j * d + k] / (n - 1) }
        }
        for j in 0..<d { for k in 0..<j { let v = 0.5 * (c[j, k] + c[k, j]); c[j, k] = v; c[k, j] = v } }
        guard let eigen = try? SymmetricEigen(c) else { return nil }
        let clamped = eigen.reconstruct { min(max($0, 1 / r), r) }
        guard let l = try? Cholesky(clamped) else { return nil }
        // T L, both lower triangular.
        var product = Matrix(rows: d, columns: d)
        for j in 0..<d {
            for k in 0...j {
                var sum = 0.0
                for m in k...j { sum += t[j, m] * l.lower[m, k] }
                product[j, k] = sum
            }
        }
        return PreconditionedPotential(current.base, center: center, factor: product, smoothness: nil, strongConvexity: nil)
    }
}
