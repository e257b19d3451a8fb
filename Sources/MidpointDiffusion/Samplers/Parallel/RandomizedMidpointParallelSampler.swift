import Foundation
import MidpointLinearAlgebra

/// The paper's parallel-in-time randomized midpoint (Gupta, Cai & Chen 2024; `docs/algorithms.md` §8)
/// on the stable predictor: ``RandomizedMidpointSampler`` (`rm`, DDIM variables) solved by Picard
/// iteration over windows of grid steps, so that each round is one batched score call over every
/// (particle, sub-step) pair.
///
/// In a window with levels `ς₀ > … > ςₙ` and midpoints `ςⱼᵐ` (the same draws as `rm`: Philox step of
/// the global grid step, slot 1), the unknowns are the grid states `zⱼ` and the midpoint states `wⱼ`
/// (in `y = x/α`), started at `y₀`. One round evaluates `ε̂(zⱼ, ςⱼ)` and `ε̂(wⱼ, ςⱼᵐ)` for all `j` at
/// once (`2n` evaluations per particle), then, with no evaluations,
/// ```
/// zⱼ₊₁ ← zⱼ + (ςⱼ₊₁ - ςⱼ) ε̂(wⱼ, ςⱼᵐ)        (z₀ = y₀; plain prefix sums)
/// wⱼ   ← zⱼ + (ςⱼᵐ - ςⱼ) ε̂(zⱼ, ςⱼ)
/// ```
/// (stored as `x = α y`, the same per-row combinations as `rm`'s step). The fixed point is exactly
/// sequential `rm` with the same draws; it is reached after `2n` rounds (each round makes one more
/// state exact), and Picard contracts geometrically before that when the window's log-SNR span is
/// small. A window stops after ``PicardStopRule/maxRounds`` rounds or once the largest change of a
/// `zⱼ` falls under the tolerance.
public struct RandomizedMidpointParallelSampler: DiffusionSampler {
    public let name = "rm-parallel"
    public let defaultGrid = RandomizedMidpointSampler().defaultGrid
    /// Grid steps per Picard window (when ``windowSpan`` is nil).
    public var windowSteps: Int
    /// If set, a window holds the consecutive grid steps within this log-SNR span (at least one): the
    /// number of windows then stays fixed as grids are refined and only the sub-steps per window grow,
    /// which is the regime of the paper's polylog(d) rounds bound.
    public var windowSpan: Double?
    /// When a window's iteration stops.
    public var stop: PicardStopRule
    /// An optional ULMC correction after each window (the paper's parallel predictor–corrector), solved
    /// by Picard rounds over its steps (``LangevinCorrector``); nil runs the predictor alone.
    public var corrector: LangevinCorrector?

    /// The sampler; defaults: windows spanning 1 unit of log-SNR, at most 50 rounds each, tolerance 1e-4
    /// (chosen with `midpoint scaling`, README).
    public init(windowSteps: Int = 8, windowSpan: Double? = 1,
                stop: PicardStopRule = PicardStopRule(maxRounds: 50, tolerance: 1e-4),
                corrector: LangevinCorrector? = nil) {
        self.windowSteps = windowSteps
        self.windowSpan = windowSpan
        self.stop = stop
        self.corrector = corrector
    }

    /// Evaluations if every window runs all its rounds (early stopping only lowers it), plus at most
    /// `M²` per correction (a correction per window, at most one window per step).
    public func evaluations(steps: Int) -> Int {
        2 * steps * stop.maxRounds + (corrector.map { $0.steps * $0.steps } ?? 0) * steps
    }

    public var hasFixedCost: Bool { stop.tolerance == 0 }

    public func run(_ x: inout Matrix, grid: TimeGrid, context: SamplingContext) throws(SamplingError) {
        guard windowSteps >= 1 else {
            throw .invalidParameter(name: "window steps", value: "\(windowSteps)", allowed: "must be ≥ 1")
        }
        try stop.validate()
        if let windowSpan, !(windowSpan.isFinite && windowSpan > 0) {
            throw .invalidParameter(name: "window span", value: "\(windowSpan)", allowed: "must be finite and > 0")
        }
        var start = 0
        var workspace = PicardWorkspace()
        while start < grid.steps {
            var n = min(windowSteps, grid.steps - start)
            if let windowSpan {
                let lambda0 = ForwardProcess.logSNR(grid.times[start])
                n = 1
                while start + n < grid.steps,
                      ForwardProcess.logSNR(grid.times[start + n + 1]) - lambda0 <= windowSpan * (1 + 1e-12) { n += 1 }
            }
            try solveWindow(&x, grid: grid, first: start, count: n, workspace: &workspace, context: context)
            start += n
            if let corrector {
                try corrector.validate()
                guard corrector.integrator == .exponential else {
                    throw .invalidParameter(name: "parallel corrector integrator", value: corrector.integrator.rawValue,
                                            allowed: "the Picard-solved corrector uses ei")
                }
                try corrector.correctInParallel(&x, tau: grid.times[start], randomStep: start, stepIndex: start - 1,
                                                context: context)
            }
            try context.finishStep(start - 1, of: grid, x)
        }
    }

    /// Picard iteration over grid steps `first ..< first + count`; on return `x` is the window's end state.
    func solveWindow(_ x: inout Matrix, grid: TimeGrid, first: Int, count n: Int, workspace: inout PicardWorkspace,
                     context: SamplingContext) throws(SamplingError) {
        let (p, d) = (x.rows, x.columns)
        let block = p * d
        // Per sub-step j and particle i: midpoint a, its time, and the coefficients of both updates.
        var midTimes = [Double](repeating: 0, count: n * p)
        // In x = α y: zⱼ₊₁ = (αⱼ₊₁/αⱼ) zⱼ - αⱼ₊₁ (ςⱼ₊₁ - ςⱼ) σᵐ S_w,ⱼ and
        // wⱼ = (αᵐ/αⱼ) zⱼ - αᵐ (ςᵐ - ςⱼ) σⱼ S_z,ⱼ, with S the raw scores (ε̂ = -σ s).
        var carry = [Double](repeating: 0, count: n)          // αⱼ₊₁/αⱼ
        var weight = [Double](repeating: 0, count: n * p)     // -αⱼ₊₁ (ςⱼ₊₁ - ςⱼ) σᵐ
        var midState = [Double](repeating: 0, count: n * p)   // αᵐ/αⱼ
        var midScore = [Double](repeating: 0, count: n * p)   // -αᵐ (ςᵐ - ςⱼ) σⱼ
        for j in 0..<n {
            let (t, t1) = (grid.times[first + j], grid.times[first + j + 1])
            let (alpha, alpha1, sigma) = (ForwardProcess.alpha(t), ForwardProcess.alpha(t1), ForwardProcess.sigma(t))
            let (v, v1) = (ForwardProcess.noiseToSignal(t), ForwardProcess.noiseToSignal(t1))
            carry[j] = alpha1 / alpha
            let u = context.noise.uniforms(particles: p, step: first + j + 1, slot: 1)
            for i in 0..<p {
                let vm = RandomizedMidpoint.noiseToSignalMidpoint(u: u[i], from: v, to: v1)
                let tm = ForwardProcess.tau(noiseToSignal: vm)
                let alphaM = ForwardProcess.alpha(tm)
                midTimes[j * p + i] = tm
                weight[j * p + i] = -alpha1 * (v1 - v) * ForwardProcess.sigma(tm)
                midState[j * p + i] = alphaM / alpha
                midScore[j * p + i] = -alphaM * (u[i] * (v1 - v)) * sigma
            }
        }
        // One batch: rows [z₀ … zₙ₋₁ | y₀ … yₙ₋₁], each block p × d; all start at x₀. The batch and
        // score buffers are kept across windows of the same length (fresh pages cost a fault and a
        // zero fill each).
        workspace.prepare(rows: 2 * n * p, columns: d)
        var batch = workspace.batch
        var scores = workspace.scores
        workspace = PicardWorkspace()  // drop the extra references so the buffers are mutated in place
        defer { workspace = PicardWorkspace(batch: batch, scores: scores) }
        batch.storage.withUnsafeMutableBufferPointer { bp in
            x.storage.withUnsafeBufferPointer { x0 in
                for k in 0..<(2 * n) { (bp.baseAddress! + k * block).update(from: x0.baseAddress!, count: block) }
            }
        }
        var times = [Double](repeating: 0, count: 2 * n * p)
        for j in 0..<n {
            for i in 0..<p { times[j * p + i] = grid.times[first + j] }
        }
        times.replaceSubrange((n * p)..<(2 * n * p), with: midTimes)
        var end = x
        let sigmas = (0..<n).map { ForwardProcess.sigma(grid.times[first + $0]) }
        var carryRows = [Double](repeating: 0, count: n * p)  // αⱼ₊₁/αⱼ, once per row for the row kernels
        for j in 0..<n { for i in 0..<p { carryRows[j * p + i] = carry[j] } }
        var rowChange = [Double](repeating: 0, count: p)
        for round in 0..<stop.maxRounds {
            context.evaluator.evaluate(times: times, x: batch, into: &scores)
            var change = 0.0
            var finite = true
            let coefficients = (carryRows, weight, midState, midScore)
            batch.storage.withUnsafeMutableBufferPointer { bp in
                scores.storage.withUnsafeBufferPointer { sp in
                    end.storage.withUnsafeMutableBufferPointer { ep in
                        rowChange.withUnsafeMutableBufferPointer { rc in
                            coefficients.0.withUnsafeBufferPointer { cr in
                                coefficients.1.withUnsafeBufferPointer { w in
                                    coefficients.2.withUnsafeBufferPointer { ms in
                                        coefficients.3.withUnsafeBufferPointer { mc in
                                            let (b, s) = (bp.baseAddress!, sp.baseAddress!)
                                            // z₀ = x₀ stays; zⱼ₊₁ from zⱼ (already updated) and S_y,ⱼ; then yⱼ from zⱼ and S_z,ⱼ.
                                            for j in 0..<n {
                                                let z = b + j * block, y = b + (n + j) * block
                                                let sz = s + j * block, sy = s + (n + j) * block
                                                let (c, wj) = (cr.baseAddress! + j * p, w.baseAddress! + j * p)
                                                if j + 1 == n {
                                                    finite = VectorKernels.combineRows(ep.baseAddress!, c, z, wj, sy, rows: p, count: d)
                                                } else {
                                                    VectorKernels.combineRowsMeasuringChange(b + (j + 1) * block, c, z, wj, sy, rows: p,
                                                                                             count: d, change: rc.baseAddress!)
                                                    let scale = 1 / (Double(d).squareRoot() * sigmas[j + 1])
                                                    for value in rc {
                                                        if !value.isFinite { finite = false }
                                                        change = max(change, value.squareRoot() * scale)
                                                    }
                                                }
                                                _ = VectorKernels.combineRows(y, ms.baseAddress! + j * p, z, mc.baseAddress! + j * p, sz,
                                                                              rows: p, count: d)
                                            }
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
            if !finite {
                // Name the first sub-step whose state went bad.
                for j in 1..<max(n, 1) {
                    let state = batch.rows((j * p)..<((j + 1) * p))
                    try context.checkFinite(state, step: first + j - 1, tau: grid.times[first + j])
                }
                try context.checkFinite(end, step: first + n - 1, tau: grid.times[first + n])
            }
            if change < stop.tolerance && round > 0 { break }
        }
        x = end
    }
}
