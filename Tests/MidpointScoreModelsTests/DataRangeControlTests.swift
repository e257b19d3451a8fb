import Foundation
import MidpointLinearAlgebra
import MidpointScoreModels
import Testing

/// The data-range control against its definition: the controlled score's Tweedie estimate
/// `x̂₀' = (x + σ² s')/α` is the clipped (or thresholded) `x̂₀` of the base score, coordinate by coordinate.
@Suite struct DataRangeControlTests {
    /// A model whose x̂₀ at every (x, τ) is the fixed vector `x0` (its score is (α x0 - x)/σ²).
    struct FixedPrediction: ScoreModel {
        let x0: [Double]
        var dimension: Int { x0.count }
        func score(times: UnsafeBufferPointer<Double>, x: MatrixView, into scores: MutableMatrixView) {
            for i in 0..<x.rows {
                let alpha = ForwardProcess.alpha(times[i]), sigma2 = ForwardProcess.sigmaSquared(times[i])
                for j in 0..<x.columns { scores[i, j] = (alpha * x0[j] - x[i, j]) / sigma2 }
            }
        }
    }

    func prediction(_ model: any ScoreModel, tau: Double, x: [Double]) -> [Double] {
        let s = model.score(tau: tau, at: x)
        let (alpha, sigma2) = (ForwardProcess.alpha(tau), ForwardProcess.sigmaSquared(tau))
        return zip(x, s).map { ($0 + sigma2 * $1) / alpha }
    }

    @Test func clipAndThresholdFollowTheirDefinitions() {
        // Data range [0, 2]: u = x̂₀ - 1. x̂₀ = [-3, 0.5, 1.5, 4] → u = [-4, -0.5, 0.5, 3].
        let base = FixedPrediction(x0: [-3, 0.5, 1.5, 4])
        let x = [0.3, -0.2, 0.9, 1.1]
        for tau in [0.05, 0.7, 3.0] {
            let clipped = prediction(DataRangeControlledModel(base, range: 0...2, control: .clip(margin: 0)), tau: tau, x: x)
            for (got, want) in zip(clipped, [0.0, 0.5, 1.5, 2.0]) { #expect(abs(got - want) < 1e-9, "τ = \(tau): \(clipped)") }
            // The 75th percentile of |u| = [4, 0.5, 0.5, 3] is the 3rd smallest, 3: u/3 clamped to ±1.
            let thresholded = prediction(DataRangeControlledModel(base, range: 0...2, control: .threshold(percentile: 75)), tau: tau, x: x)
            for (got, want) in zip(thresholded, [0.0, 1 - 0.5 / 3, 1 + 0.5 / 3, 2.0]) { #expect(abs(got - want) < 1e-9, "τ = \(tau): \(thresholded)") }
        }
        // The guard clips to the range widened by one half-width: [-1, 3] here.
        let guarded = prediction(DataRangeControlledModel(base, range: 0...2, control: .guardRail), tau: 0.3, x: x)
        for (got, want) in zip(guarded, [-1.0, 0.5, 1.5, 3.0]) { #expect(abs(got - want) < 1e-9, "\(guarded)") }
        // Inside the range nothing changes (a threshold below 1 is raised to 1).
        let inside = FixedPrediction(x0: [0.2, 1.9])
        let kept = prediction(DataRangeControlledModel(inside, range: 0...2, control: .threshold(percentile: 99.5)), tau: 0.4, x: [0.1, 0.1])
        #expect(abs(kept[0] - 0.2) < 1e-9 && abs(kept[1] - 1.9) < 1e-9)
    }
}
