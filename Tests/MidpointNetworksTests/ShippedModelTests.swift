import Foundation
import MidpointDiffusion
import MidpointFormats
import MidpointLinearAlgebra
import MidpointMetrics
import MidpointNetworks
import MidpointTargets
import Testing

/// The shipped networks: their files load, their data split is the training script's, the ring2d
/// network's score is close to the exact one, and sampling them is reproducible.
@Suite struct ShippedModelTests {
    @Test func digitsDataSplitsLikeTheTrainingScript() throws {
        let split = try #require(try ShippedModel.digits.data())
        // 1,797 rows; indices divisible by 6 (0, 6, …, 1794) are held out: 300 of them.
        #expect(split.heldOut.rows == 300 && split.train.rows == 1497)
        #expect(split.train.columns == 64)
        // Pixels 0…16 mapped by ·0.125 − 1.
        #expect(split.train.storage.min() == -1 && split.train.storage.max() == 1)
        let network = try ShippedModel.digits.load()
        #expect(network.metadata["image_shape"] == "8,8" && network.dimension == 64)
        #expect(try ShippedModel.ring2d.data() == nil)
    }

    /// The committed ring2d network against the exact ring2d score on exact draws of q_τ. Measured
    /// (`midpoint models --check ring2d`, 20,000 draws): 0.091 at τ = 0.1 and 0.014 at τ = 1; with 4,000
    /// draws the estimate's relative standard error is below 5%, so the bars (0.12, 0.02) hold a margin
    /// of more than 5 standard errors while catching a wrong embedding or layer order, which give errors
    /// of order 1.
    @Test func ring2dScoreIsCloseToTheExactScore() throws {
        let network = try ShippedModel.ring2d.load()
        let target = BuiltinTarget.ring2d.make()
        #expect(ScoreDiscrepancy.relative(model: network, target: target, tau: 0.1, count: 4000, seed: 3) < 0.12)
        #expect(ScoreDiscrepancy.relative(model: network, target: target, tau: 1, count: 4000, seed: 3) < 0.02)
    }

    /// A closed-form nonzero case of the score error: the exact score of `N(0, 4I)` used as a model of
    /// `N(0, I)`. At time τ the scores are `-x/cᵥ` with `cᵥ = α²v + σ²`, so every coordinate's error is
    /// `(c₁/c₄ - 1)` times the exact score, whatever the draws: the relative error is `|c₁/c₄ - 1|`
    /// exactly. Rounding: each score carries a few ε, which the difference `(a - b)` amplifies by
    /// `(|a| + |b|)/|a - b| = (c₄ + c₁)/(c₄ - c₁) ≤ 6` (c₄ ≥ 1.4 c₁ here), so ≤ 12ε per term and 24ε
    /// squared; summing the 200 positive terms adds ≤ 100ε to each sum; the square root halves the
    /// quotient's ≤ 430ε: 256ε relative bounds the result.
    @Test(arguments: [0.1, 1.0])
    func scoreErrorOfAWrongGaussianIsItsVarianceRatio(tau: Double) throws {
        let target = try GaussianMixtureTarget(mean: [0, 0], covariance: .isotropic(1))
        let model = try GaussianMixtureTarget(mean: [0, 0], covariance: .isotropic(4))
        let c = { (v: Double) in exp(-2 * tau) * v - expm1(-2 * tau) }
        let expected = abs(c(1) / c(4) - 1)
        let got = ScoreDiscrepancy.relative(model: model, target: target, tau: tau, count: 100, seed: 3)
        #expect(abs(got - expected) <= 256 * Double.ulpOfOne * expected, "τ = \(tau): \(got) vs \(expected)")
    }

    /// Fixed chunks make a network run independent of the thread count and of the batch size.
    @Test func samplingANetworkIsReproducible() throws {
        let network = try ShippedModel.digits.load()
        var options = DiffusionRunOptions(particles: 300, seed: 5)
        options.cost = .nfe(10)
        let sampler = try SamplerRegistry.sampler(named: "rm")
        let one = try DiffusionRun.run(sampler, model: network, options: options).samples
        options.threads = 2
        let two = try DiffusionRun.run(sampler, model: network, options: options).samples
        #expect(one == two)
        options.particles = 37
        let fewer = try DiffusionRun.run(sampler, model: network, options: options).samples
        #expect(fewer.storage == Array(one.storage.prefix(37 * 64)))
    }
}

/// Held-out metrics: training rows sit at the floor, shifted data far above it; the floor is the metric
/// between the held-out halves, never a silent 0.
@Suite struct HeldOutMetricTests {
    @Test func separatesDataFromShiftedData() throws {
        let split = try #require(try ShippedModel.digits.data())
        let suite = HeldOutMetricSuite(heldOut: split.heldOut)
        #expect(suite.names == ["energy", "MMD"])
        // The floor is the same statistic between the even and odd held-out rows, computed here from rows
        // picked one by one.
        let h = split.heldOut
        let pick = { (start: Int) in
            Matrix(rows: (h.rows - start + 1) / 2, columns: h.columns,
                   storage: stride(from: start, to: h.rows, by: 2).flatMap { i in (0..<h.columns).map { h[i, $0] } })
        }
        let (a, b) = (pick(0), pick(1))
        let energy = EnergyDistance.squared(a, b)
        #expect(suite.floors[0].floor == max(energy, 0).squareRoot() && suite.floors[0].floorClipped == (energy < 0))
        let mmd = MaximumMeanDiscrepancy.squared(a, b, bandwidth: MaximumMeanDiscrepancy.medianBandwidth(a, b))
        #expect(suite.floors[1].floor == max(mmd, 0).squareRoot() && suite.floors[1].floorClipped == (mmd < 0))
        // A reported 0 is always a clipped estimate.
        for m in suite.floors { #expect(m.floor > 0 || m.floorClipped) }
        // Training rows 600..<1200 (not the floor's rows): same law as the held-out rows, so each
        // statistic is within a few times the floor's own size — U-statistics print 0 below resolution.
        let others = Matrix(rows: 600, columns: 64, storage: Array(split.train.storage[(600 * 64)..<(1200 * 64)]))
        let same = suite.evaluate(others)
        // Shifting every pixel by a quarter of the range moves the law far beyond sampling noise.
        let shifted = suite.evaluate(Matrix(rows: 600, columns: 64, storage: others.storage.map { $0 + 0.5 }))
        for (s, f) in zip(same, shifted) {
            #expect(f.value > 10 * max(s.value, 0.01), "\(s.name): same law \(s.value), shifted \(f.value)")
        }
    }
}

/// Data files that do not fit the model are refused with the file and the reason.
@Suite struct DataSplitTests {
    @Test func refusesDataThatDoesNotFitTheModel() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("split-\(UUID()).csv").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        try "a,b,label\n1,2,0\n3,4,1\n5,6,0\n".write(toFile: path, atomically: true, encoding: .utf8)
        let split = try DataSplit(csv: path, ignoring: ["label"], metadata: ["dimension": "2", "data_scale": "2", "holdout_every": "2"])
        #expect(split.heldOut.storage == [2, 4, 10, 12] && split.train.storage == [6, 8])
        #expect(throws: NetworkError.self) { try DataSplit(csv: path, metadata: ["dimension": "2"]) }  // label kept: 3 columns
        try "a,b\n1,x\n".write(toFile: path, atomically: true, encoding: .utf8)
        #expect(throws: NetworkError.self) { try DataSplit(csv: path, metadata: [:]) }
        #expect(throws: NetworkError.self) { try DataSplit(csv: "/nonexistent.csv", metadata: [:]) }
    }
}

/// The shipped Fashion-MNIST classifier reproduces PyTorch's float64 features and logits on the first 16
/// test images (Fixtures/fashion-classifier-vectors.safetensors): float32 weights promoted to float64 on
/// both sides, so only summation order differs (≤ 1e-9 relative). Its predictions on those images agree
/// with PyTorch's argmax.
@Suite struct FashionClassifierTests {
    @Test func reproducesPyTorch() throws {
        let classifier = try ShippedClassifier.fashion()
        #expect(classifier.inputs == 784 && classifier.featureDimension == 256 && classifier.classes == 10)
        let url = try #require(Bundle.module.url(forResource: "Fixtures/fashion-classifier-vectors", withExtension: "safetensors"))
        let file = try SafeTensors.read(contentsOf: url.path)
        let input = try file.tensor("input"), features = try file.tensor("features"), logits = try file.tensor("logits")
        let (f, l) = classifier.evaluate(Matrix(rows: 16, columns: 784, storage: input.values))
        let scale = max(features.values.map(abs).max() ?? 1, 1)
        for (a, b) in zip(f.storage, features.values) { #expect(abs(a - b) <= 1e-9 * scale) }
        for (a, b) in zip(l.storage, logits.values) { #expect(abs(a - b) <= 1e-9 * max(abs(b), 1)) }
        let expected = (0..<16).map { i in (0..<10).max { logits.values[i * 10 + $0] < logits.values[i * 10 + $1] }! }
        #expect(classifier.predict(Matrix(rows: 16, columns: 784, storage: input.values)) == expected)
    }
}
