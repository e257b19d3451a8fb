import Foundation
import MidpointLinearAlgebra
import MidpointMetrics
import MidpointRandom
import Testing

/// Fréchet distance against its closed form, precision and recall at their extremes, and the image suite's
/// bookkeeping with a known feature map.
@Suite struct ImageMetricsTests {
    /// Between diagonal Gaussians FD = ‖μ₁ - μ₂‖² + Σᵢ (√aᵢ - √bᵢ)².
    @Test func frechetDistanceIsTheGaussianW2Squared() throws {
        let a = [0.5, 2, 1, 3], b = [1.5, 0.5, 1, 2]
        var ca = Matrix(rows: 4, columns: 4), cb = Matrix(rows: 4, columns: 4)
        for i in 0..<4 { ca[i, i] = a[i]; cb[i, i] = b[i] }
        let m1 = [0.0, 1, 2, 3], m2 = [1.0, 1, 0, 3]
        let exact = zip(m1, m2).reduce(0) { $0 + ($1.0 - $1.1) * ($1.0 - $1.1) } + zip(a, b).reduce(0) { $0 + pow($1.0.squareRoot() - $1.1.squareRoot(), 2) }
        #expect(abs(try FrechetDistance.between(mean: m1, covariance: ca, and: m2, cb) - exact) < 1e-10)
        #expect(abs(try FrechetDistance.between(mean: m1, covariance: ca, and: m1, ca)) < 1e-10)
    }

    /// A sample against itself has precision and recall 1 (each point lies in its own ball); against a far
    /// copy, 0 and 0; against a sample of half its spread, full precision and partial recall.
    @Test func precisionAndRecallAtTheirExtremes() {
        var x = Matrix(rows: 400, columns: 5)
        NoiseSource(seed: 3).fillNormal(&x, step: 0, slot: 0)
        let same = PrecisionRecall.of(generated: x, real: x)
        #expect(same.precision == 1 && same.recall == 1)
        var far = x
        for i in far.storage.indices { far.storage[i] += 100 }
        let apart = PrecisionRecall.of(generated: far, real: x)
        #expect(apart.precision == 0 && apart.recall == 0)
        var narrow = x
        for i in narrow.storage.indices { narrow.storage[i] *= 0.3 }
        let collapsed = PrecisionRecall.of(generated: narrow, real: x)
        #expect(collapsed.precision > 0.95 && collapsed.recall < 0.6, "\(collapsed)")
    }

    /// With the identity as the feature map and labels equal to the sign of coordinate 0, the suite's
    /// floor is measured on the floor images with their labels, and a sample whose intended classes are
    /// all wrong scores accuracy 0.
    @Test func suiteUsesFeaturesFloorsAndLabels() {
        var reference = Matrix(rows: 300, columns: 3), floor = reference, generated = reference
        let noise = NoiseSource(seed: 5)
        noise.fillNormal(&reference, step: 0, slot: 0)
        noise.fillNormal(&floor, step: 1, slot: 0)
        noise.fillNormal(&generated, step: 2, slot: 0)
        let classify: ImageMetricSuite.Classifier = { x in
            var logits = Matrix(rows: x.rows, columns: 2)
            for i in 0..<x.rows { logits[i, 0] = -x[i, 0]; logits[i, 1] = x[i, 0] }
            return (x, logits)
        }
        let floorLabels = (0..<300).map { floor[$0, 0] > 0 ? 1 : 0 }
        let wrong = (0..<300).map { generated[$0, 0] > 0 ? 0 : 1 }
        let suite = ImageMetricSuite(classify: classify, reference: reference, floorImages: floor, floorLabels: floorLabels, labels: wrong)
        #expect(suite.names == ["FD", "precision", "recall", "class accuracy"])
        let values = suite.evaluate(generated)
        #expect(values[3].value == 0 && values[3].floor == 1)
        // Two samples of one law: FD near its floor, both of order d(d+1)/N ≈ 0.04 (bias of the covariance estimates).
        #expect(values[0].value < 0.2 && values[0].floor < 0.2, "\(values[0])")
    }
}
