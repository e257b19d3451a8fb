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
public struct RandomizedMultistepSampler: DiffusionSampler {
    public let name = "rm-ms"
    /// Peak memory in batch-sized (N × d) matrices: the state, its score and this sampler's own buffers
    /// (measured: 6.12 × 8·N·d bytes above the process's own at N = 200,000, d = 64).
    public func workingMatrices(steps: Int) -> Int { 6 }
    public let summary = "**recommended** — *our extension*: randomized multistep, one evaluation per step at a random point, midpoint state from the last two evaluations"
    public let costFormula = "N"
    public let defaultGrid = TimeGrid.Kind.ddpmLinear

    /// The early-stopping time for a budget of `n = steps + 1` NFE with the denoising step:
    /// `δ(n) = 10^{-3.5 + 10/n}` clamped to `[10⁻³, 0.1]` (0.1, 0.032, 0.015, 0.0056, 0.0032 at n = 4, 5, 6, 8,
    /// 10; 10⁻³ from n = 20); without denoising, ``DiffusionRunOptions/defaultEarlyStop``.
    ///
    /// Why (`docs/algorithms.md` §5.3): the final Tweedie step is one evaluation spent at `δ`; at a small
    /// budget the steps it leaves are too long near the data, and ending the grid earlier shortens them. The
    /// rule is the least-squares line through the best `δ` (of 10⁻³, 3·10⁻³, 0.01, 0.03, 0.1) per budget
    /// on mixture64, gauss256 and ring2d (Gaussian-fit and sliced W2) and the Fashion-MNIST UNet (FD), NFE
    /// 4–20 (`docs/defaults/early-stop.md`). The denoised sample is `E[x₀ | x_δ]`, whose spread falls short of
    /// the data's by about `σ(δ)²` (0.06 at `δ` = 0.03): a bias that is smaller than the discretization
    /// error it removes only at these budgets, which is why the rule reaches 10⁻³ by 20 NFE.
    public func defaultEarlyStop(steps: Int, denoise: Bool) -> Double {
        guard denoise else { return DiffusionRunOptions.defaultEarlyStop }
        let n = Double(evaluations(steps: steps) + 1)
        return min(0.1, max(DiffusionRunOptions.defaultEarlyStop, pow(10, -3.5 + 10 / n)))
    }

    /// One step of `rm-ms` is one step of `rm` (a DDIM midpoint), which needs two (``RandomizedMidpointSampler``).
    public let minimumSteps = 2
    /// The interpolant of the last two evaluations.
    public var interpolant: MultistepInterpolant

    /// `1/φ = (√5 - 1)/2`, the golden-ratio increment of the midpoint sequence.
    public static let goldenIncrement = 0.6180339887498949

    /// The sampler.
    public init(interpolant: MultistepInterpolant = .linear) {
        self.interpolant = interpolant
    }

    /// `rm-ms`'s tuning: `interpolant` (``MultistepInterpolant``).
    public struct Settings: SamplerSettings {
        /// How the last two evaluations are extended across a step.
        public var interpolant: MultistepInterpolant

        /// The tuning keys: the CLI flags without their dashes.

        public enum CodingKeys: String, CodingKey, CaseIterable { case interpolant }
        /// The keys in table order.
        public static let keys = CodingKeys.allCases.map(\.rawValue)
    }

    /// The tuning in force, read from and written to the sampler's own properties.

    public var settings: Settings {
        get { Settings(interpolant: interpolant) }
        set { interpolant = newValue.interpolant }
    }

    public func evaluations(steps: Int) -> Int { steps }

    public func run(_ x: inout Matrix, grid: TimeGrid, context: SamplingContext) throws(SamplingError) {
        let rows = x.rows
        let levels = grid.times.map(ForwardProcess.noiseToSignal)
        // y = x/α; the two newest noise predictions f_a (older) and f_b (newer), at ς = s_a, s_b.
        var y = x
        y.scale(by: 1 / ForwardProcess.alpha(grid.times[0]))
        var older = Matrix(rows: rows, columns: x.columns), newer = older, fresh = older, midState = older
        context.evaluator.evaluate(tau: grid.times[0], x: x, into: &older)
        older.scale(by: -ForwardProcess.sigma(grid.times[0]))
        var olderLevel = [Double](repeating: levels[0], count: rows), newerLevel = olderLevel
        var u = context.noise.uniforms(particles: rows, step: 1, slot: 1)
        var midTimes = [Double](repeating: 0, count: rows)
        var alphaM = midTimes, newerGain = midTimes, olderGain = midTimes, epsGain = midTimes
        let ones = [Double](repeating: 1, count: rows)
        for k in 0..<grid.steps {
            let (v, h) = (levels[k], levels[k + 1] - levels[k])
            if k == 0 {
                // DDIM from ε̂(y₀, ς₀) with the drawn noise as the noise (no history yet): y₁ = x̂₀ + ς₁ y₀/ς₀,
                // x̂₀ = y₀ - ς₀ ε̂, so the start gains the signal α_T x̂₀ that N(0, I) lacks (§5.3, "Its start").
                y.scaleAndAdd(1 + levels[1] / v, -v, older)
                try context.finishStep(k, of: grid, y)
                continue
            }
            // Step j of the randomized multistep: j = 0 has one history point (ε̂(y₀, ς₀)), later ones two.
            let j = k - 1
            for i in 0..<rows {
                let vm = RandomizedMidpoint.noiseToSignalMidpoint(u: u[i], from: v, to: levels[k + 1])
                let tm = ForwardProcess.tau(noiseToSignal: vm)
                midTimes[i] = tm
                alphaM[i] = ForwardProcess.alpha(tm)
                epsGain[i] = -ForwardProcess.sigma(tm)
                // ŷ = y + (ς_m - ς) f_b + c (f_b - f_a), scaled by α_m to the state the model sees.
                let c = j == 0 ? 0 : interpolant.slopeCoefficient(from: v, to: vm, older: olderLevel[i], newer: newerLevel[i])
                newerGain[i] = alphaM[i] * ((vm - v) + c)
                olderGain[i] = -alphaM[i] * c
                // History levels (the matrices follow after the evaluation): j = 0 keeps ς₀ as s_a.
                if j > 0 { olderLevel[i] = newerLevel[i] }
                newerLevel[i] = vm
            }
            // The row kernels check finiteness in the same pass; the last one to write decides.
            let finite = j == 0
                ? midState.assignRows(alphaM, y, plus: newerGain, older)  // DDIM to the first midpoint
                : midState.assignRows(alphaM, y, plus: newerGain, newer) && midState.scaleAndAddRows(ones, olderGain, older)
            if !finite { try context.checkFinite(midState, step: k, tau: midTimes[0]) }
            context.evaluator.evaluate(times: midTimes, x: midState, into: &fresh)
            fresh.scaleRows(epsGain)  // ε̂ = -σ_m s
            y.scaleAndAdd(1, h, fresh)
            // History: the newest becomes the older point (j = 0 keeps ε̂(y₀, ς₀) there).
            if j > 0 { swap(&older, &newer) }
            swap(&newer, &fresh)
            for i in 0..<rows { u[i] = (u[i] + Self.goldenIncrement).truncatingRemainder(dividingBy: 1) }
            try context.finishStep(k, of: grid, y)
        }
        x = y
        x.scale(by: ForwardProcess.alpha(grid.times[grid.steps]))
    }
}
