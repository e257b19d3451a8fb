import Foundation
import MidpointLinearAlgebra

/// How a model's data prediction `x̂₀ = (x + σ² s)/α` is kept in the data range `[lo, hi]`
/// (`docs/algorithms.md` §14), in the coordinates `u = (x̂₀ - c)/h` that map the range to `[-1, 1]`.
public enum DataRangeControl: Sendable, Equatable, CustomStringConvertible {
    /// `u ← clamp(u, -1 - m, 1 + m)`: `m = 0` is diffusers' `clip_sample`; the guard `m = 1` (the range
    /// widened by its half-width on each side) only stops a learned model's runaway predictions.
    case clip(margin: Double)
    /// Dynamic thresholding (Saharia et al. 2022): `r = max(1, the p-th percentile of |u|)` over the
    /// sample's coordinates, then `u ← clamp(u, -r, r)/r`.
    case threshold(percentile: Double)

    /// The default for a model with a data range, chosen by measurement (docs/digits-guard/): the
    /// guard keeps every sampler's particles at ≥ 4 NFE on the digits network and leaves its converged
    /// law as it was, where a tight clip biases it.
    public static let guardRail = DataRangeControl.clip(margin: 1)

    /// The allowed percentiles.
    public static let percentileRange = 50.0...100.0

    public var description: String {
        switch self {
        case let .clip(margin): margin == 0 ? "clip x0" : "guard x0 (range ± \(margin) half-widths)"
        case let .threshold(p): "threshold \(p)%"
        }
    }
}

/// A score model whose data prediction is kept in the data range: the score the samplers see is
/// `s' = (α x̂₀' - x)/σ²`, with `x̂₀'` the controlled `x̂₀` of the base model's score. Every sampler then
/// forms its update from `x̂₀'` — for the ε and x̂₀ forms alike, since both are affine in the score at a
/// fixed `(x, τ)` — which is what diffusers does when a scheduler clips `pred_original_sample` and
/// re-derives ε from it.
///
/// Caveat: the control is a nonlinear map of the score, so a randomized-midpoint step's estimate of the
/// integral of the drift is unbiased for the controlled drift, not for the model's (`docs/algorithms.md`
/// §14).
public struct DataRangeControlledModel: ScoreModel {
    /// The wrapped model.
    public let base: any ScoreModel
    /// The data range.
    public let range: ClosedRange<Double>
    /// How `x̂₀` is kept in it.
    public let control: DataRangeControl

    /// `base` with its data prediction kept in `range` by `control`.
    public init(_ base: any ScoreModel, range: ClosedRange<Double>, control: DataRangeControl) {
        precondition(range.lowerBound < range.upperBound, "an interval of positive length")
        self.base = base
        self.range = range
        self.control = control
    }

    public var dimension: Int { base.dimension }
    public func willScoreBatch(rows: Int) { base.willScoreBatch(rows: rows) }
    public var failure: String? { base.failure }
    public var scoresWholeBatches: Bool { base.scoresWholeBatches }

    public func score(times: UnsafeBufferPointer<Double>, x: MatrixView, into scores: MutableMatrixView) {
        base.score(times: times, x: x, into: scores)
        let d = x.columns
        let (center, half) = ((range.lowerBound + range.upperBound) / 2, (range.upperBound - range.lowerBound) / 2)
        // One scratch row per call (a chunk of rows), for the percentile.
        var u = [Double](repeating: 0, count: d), magnitudes = u
        for i in 0..<x.rows {
            let alpha = ForwardProcess.alpha(times[i]), sigma2 = ForwardProcess.sigmaSquared(times[i])
            for j in 0..<d { u[j] = ((x[i, j] + sigma2 * scores[i, j]) / alpha - center) / half }
            var scale = 1.0, bound = 1.0
            if case let .clip(margin) = control { bound = 1 + margin }
            if case let .threshold(p) = control {
                for j in 0..<d { magnitudes[j] = abs(u[j]) }
                magnitudes.sort()
                let rank = min(d - 1, max(0, Int((p / 100 * Double(d)).rounded(.up)) - 1))
                scale = max(1, magnitudes[rank])
            }
            for j in 0..<d {
                let controlled = center + half * min(max(u[j], -scale * bound), scale * bound) / scale
                scores[i, j] = (alpha * controlled - x[i, j]) / sigma2
            }
        }
    }
}
