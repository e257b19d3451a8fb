import Foundation
import MidpointLinearAlgebra
import MidpointScoreModels

/// A randomized multistep method with one evaluation per step — **our extension** of the randomized
/// midpoint, not an algorithm from the paper (`docs/algorithms.md` §5.3).
///
/// In the DDIM variables `y = x/α`, `ς = σ/α` (``RandomizedMidpointSampler``), step `k` from `ς_k` to
/// `ς_{k+1}` evaluates `ε̂` once, at a random point `ς_m = ς_k + U_k (ς_{k+1} - ς_k)` of the step, at a
/// midpoint state predicted from the last two evaluations instead of a fresh one:
/// ```
/// ŷ       = y_k + ∫_{ς_k}^{ς_m} p          p: the interpolant of the last two ε̂ (MultistepInterpolant)
/// f       = ε̂(ŷ, ς_m)
/// y_{k+1} = y_k + (ς_{k+1} - ς_k) f        the unbiased one-point quadrature of rm
/// ```
/// The first step is a DDIM step `y₁ = y₀ + (ς₁ - ς₀) ε̂(y₀, ς₀)` (first order where there is no history,
/// as DPM-Solver++ does); the second reaches its midpoint by a DDIM step from that same `ε̂(y₀, ς₀)`, which
/// is also the older point of the third step's interpolant. Measured (`docs/algorithms.md` §5.3): the
/// evaluation this saves buys one more step, which at 5 NFE halves the error on every exact target and the
/// Fashion-MNIST UNet's FD (7.8 → 3.9) and changes nothing measurable at 20 NFE. Per particle the midpoints follow the golden-ratio sequence
/// `U_k = frac(U_{k-1} + φ⁻¹)` from `U₀ ~ U[0, 1]` (Philox step 1, slot 1): every `U_k` is uniform, so
/// each step's quadrature stays unbiased, and from the third step on consecutive midpoints are `0.618 h` or
/// `1.618 h` apart on equal steps, so the slope is not a quotient over a tiny gap. (At the second step the gap
/// is `U₀ h₀`, which can be small; with exact scores the quotient stays a derivative, with a network it can
/// amplify the network's error.) Evaluations: `N`.
///
/// With `prediction: .data` the same scheme runs in DPM-Solver++'s variables, `z = x/σ` against `ρ = α/σ` with
/// `x̂₀` in place of `ε̂` (``MultistepPrediction``). It is not the default: on Gaussians its bias is 9–16× the
/// noise form's and on the exact targets its errors are up to 14× larger at 10–20 NFE; on the Fashion-MNIST
/// UNet its FD is lower at 10–20 NFE and, under guidance w = 2, at 5 NFE, and higher at 5 NFE for w = 0 and 1
/// (`docs/algorithms.md` §5.3, "Noise or data prediction").
public struct RandomizedMultistepSampler: DiffusionSampler {
    public let name = "rm-ms"
    /// Peak memory in batch-sized (N × d) matrices: the state, its score and this sampler's own buffers
    /// (measured: 6.12 × 8·N·d bytes above the process's own at N = 200,000, d = 64).
    public func workingMatrices(steps: Int) -> Int { 6 }
    public let summary = "**recommended** — *our extension*: randomized multistep, one evaluation per step at a random point, midpoint state from the last two evaluations"
    public let costFormula = "N"
    public let defaultGrid = TimeGrid.Kind.ddpmLinear

    /// The early-stopping time for a budget of `n = steps + 1` NFE with the denoising step:
    /// `δ(n) = 10^{-3.9 + 14/n}` clamped to `[10⁻³, 0.1]` (0.1, 0.079, 0.027, 0.0071, 0.0032, 0.0011 at n = 4, 5,
    /// 6, 8, 10, 15; 10⁻³ from n = 16); without denoising, ``DiffusionRunOptions/defaultEarlyStop``.
    ///
    /// Why (`docs/algorithms.md` §5.3): the final Tweedie step is one evaluation spent at `δ`; at a small
    /// budget the steps it leaves are too long near the data, and ending the grid earlier shortens them. The
    /// rule is the least-squares line, in `log₁₀ δ` against `1/n`, through the `δ` (of 10⁻³, 3·10⁻³, 0.01,
    /// 0.03, 0.1) with the lowest geometric-mean error ratio per budget over seven subjects — product1024,
    /// mixture64, ring2d, gauss256, the digits network and the Fashion-MNIST UNet at w = 1 and at w = 2 with the
    /// guidance interval — at NFE 6–20, rounded (fitted: `−3.90 + 13.8/n`). At 4 and 5 NFE the best is the
    /// largest `δ` tried, which bounds it from below only, so they are left out; a best at 10⁻³, the floor,
    /// is kept (`docs/defaults/early-stop.md`). The denoised sample is `E[x₀ | x_δ]`, whose spread falls
    /// short of the data's by about `σ(δ)²` per unit variance (0.15 at `δ` = 0.079): a bias that is smaller
    /// than the discretization error it removes only at these budgets, which is why the rule reaches 10⁻³ by
    /// 16 NFE.
    public func defaultEarlyStop(steps: Int, denoise: Bool) -> Double {
        guard denoise else { return DiffusionRunOptions.defaultEarlyStop }
        let n = Double(evaluations(steps: steps) + 1)
        return min(0.1, max(DiffusionRunOptions.defaultEarlyStop, pow(10, -3.9 + 14 / n)))
    }

    /// One step of `rm-ms` is one step of `rm` (a DDIM midpoint), which needs two (``RandomizedMidpointSampler``).
    public let minimumSteps = 2
    /// The interpolant of the last two evaluations.
    public var interpolant: MultistepInterpolant
    /// Which prediction is integrated, in which variables.
    public var prediction: MultistepPrediction

    /// `1/φ = (√5 - 1)/2`, the golden-ratio increment of the midpoint sequence.
    public static let goldenIncrement = 0.6180339887498949

    /// The sampler.
    public init(interpolant: MultistepInterpolant = .linear, prediction: MultistepPrediction = .noise) {
        self.interpolant = interpolant
        self.prediction = prediction
    }

    /// `rm-ms`'s tuning: `interpolant` (``MultistepInterpolant``) and `prediction` (``MultistepPrediction``).
    public struct Settings: SamplerSettings {
        /// How the last two evaluations are extended across a step.
        public var interpolant: MultistepInterpolant
        /// Which prediction is integrated, in which variables.
        public var prediction: MultistepPrediction

        /// The tuning keys: the CLI flags without their dashes.

        public enum CodingKeys: String, CodingKey, CaseIterable { case interpolant, prediction }
        /// The keys in table order.
        public static let keys = CodingKeys.allCases.map(\.rawValue)

        /// The data form has one interpolant, linear in `ln ρ` (the log-SNR), so `interpolant` is read only by
        /// the noise form.
        public func unreadReason(_ key: String) -> String? {
            key == CodingKeys.interpolant.rawValue && prediction == .data
                ? "read only with prediction noise (the data form always extends x̂₀ linearly in ln(α/σ))" : nil
        }
    }

    /// The interpolant in force: the data form's is always ``MultistepInterpolant/logarithmic`` (linear in the
    /// log-SNR `ln ρ`, as DPM-Solver++ extends `x̂₀`); linear in `ρ` itself would extrapolate across steps
    /// that span decades of `ρ` (measured: sliced W2 0.57 against 0.063 on mixture64 at 5 NFE).
    public var effectiveInterpolant: MultistepInterpolant { prediction == .data ? .logarithmic : interpolant }

    /// The tuning in force, read from and written to the sampler's own properties.

    public var settings: Settings {
        get { Settings(interpolant: interpolant, prediction: prediction) }
        set { interpolant = newValue.interpolant; prediction = newValue.prediction }
    }

    public func evaluations(steps: Int) -> Int { steps }

    public func run(_ x: inout Matrix, grid: TimeGrid, context: SamplingContext) throws(SamplingError) {
        let rows = x.rows
        let (form, interpolant) = (prediction, effectiveInterpolant)
        let levels = grid.times.map(form.level)
        // w = x/α (noise form) or x/σ (data form); the two newest predictions f_a (older) and f_b (newer),
        // at levels s_a, s_b.
        var w = x
        w.scale(by: 1 / form.stateScale(grid.times[0]))
        var older = Matrix(rows: rows, columns: x.columns), newer = older, fresh = older, midState = older
        context.evaluator.evaluate(tau: grid.times[0], x: x, into: &older)
        let start = form.gains(grid.times[0])
        switch form {
        case .noise: older.scale(by: start.score)  // ε̂ = -σ s
        case .data: older.scaleAndAdd(start.score, start.state, x)  // x̂₀ = (x + σ² s)/α
        }
        var olderLevel = [Double](repeating: levels[0], count: rows), newerLevel = olderLevel
        var u = context.noise.uniforms(particles: rows, step: 1, slot: 1)
        var midTimes = [Double](repeating: 0, count: rows)
        // Per-row gains: the state scale at the midpoint, the history's weights, and the map from the score to
        // the prediction (ε̂ = scoreGain·s; x̂₀ = scoreGain·s + stateGain·x, the latter only in the data form).
        var scaleM = midTimes, newerGain = midTimes, olderGain = midTimes, scoreGain = midTimes
        var stateGain = form == .data ? midTimes : []
        let ones = [Double](repeating: 1, count: rows)
        for k in 0..<grid.steps {
            let (v, h) = (levels[k], levels[k + 1] - levels[k])
            if k == 0 {
                // DDIM from the first prediction with the drawn noise as the noise (no history yet):
                // x₁ = α₁ x̂₀ + σ₁ x_T/σ_T, so the start gains the signal α_T x̂₀ that N(0, I) lacks (§5.3,
                // "Its start"). Noise form: y₁ = x̂₀ + ς₁ y₀/ς₀ with x̂₀ = y₀ - ς₀ ε̂; data form: z₁ = z₀ + ρ₁ x̂₀.
                switch form {
                case .noise: w.scaleAndAdd(1 + levels[1] / v, -v, older)
                case .data: w.scaleAndAdd(1, levels[1], older)
                }
                try context.finishStep(k, of: grid, w)
                continue
            }
            // Step j of the randomized multistep: j = 0 has one history point (the first prediction), later ones two.
            let j = k - 1
            for i in 0..<rows {
                let vm = RandomizedMidpoint.noiseToSignalMidpoint(u: u[i], from: v, to: levels[k + 1])
                let tm = form.tau(level: vm)
                midTimes[i] = tm
                scaleM[i] = form.stateScale(tm)
                let gain = form.gains(tm)
                scoreGain[i] = gain.score
                if form == .data { stateGain[i] = gain.state }
                // ŵ = w + (s_m - s) f_b + c (f_b - f_a), scaled to the state the model sees.
                let c = j == 0 ? 0 : interpolant.slopeCoefficient(from: v, to: vm, older: olderLevel[i], newer: newerLevel[i])
                newerGain[i] = scaleM[i] * ((vm - v) + c)
                olderGain[i] = -scaleM[i] * c
                // History levels (the matrices follow after the evaluation): j = 0 keeps the first level as s_a.
                if j > 0 { olderLevel[i] = newerLevel[i] }
                newerLevel[i] = vm
            }
            // The row kernels check finiteness in the same pass; the last one to write decides.
            let finite = j == 0
                ? midState.assignRows(scaleM, w, plus: newerGain, older)  // DDIM to the first midpoint
                : midState.assignRows(scaleM, w, plus: newerGain, newer) && midState.scaleAndAddRows(ones, olderGain, older)
            if !finite { try context.checkFinite(midState, step: k, tau: midTimes[0]) }
            context.evaluator.evaluate(times: midTimes, x: midState, into: &fresh)
            switch form {
            case .noise: fresh.scaleRows(scoreGain)  // ε̂ = -σ_m s
            case .data: fresh.scaleAndAddRows(scoreGain, stateGain, midState)  // x̂₀ = (x_m + σ_m² s)/α_m
            }
            w.scaleAndAdd(1, h, fresh)
            // History: the newest becomes the older point (j = 0 keeps the first prediction there).
            if j > 0 { swap(&older, &newer) }
            swap(&newer, &fresh)
            for i in 0..<rows { u[i] = (u[i] + Self.goldenIncrement).truncatingRemainder(dividingBy: 1) }
            try context.finishStep(k, of: grid, w)
        }
        x = w
        x.scale(by: form.stateScale(grid.times[grid.steps]))
    }
}
