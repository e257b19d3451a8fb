import Foundation
import MidpointLinearAlgebra
import MidpointScoreModels
import MidpointTargets
import Testing

/// Model cards: strict parsing with field paths, the time inputs' closed forms, and exact conversion of
/// every prediction type to the OU-time score.
@Suite struct ModelCardTests {
    func parse(_ json: String) throws(ModelCardError) -> ModelCard { try ModelCard.parse(Data(json.utf8)) }

    @Test func parsesACardAndRefusesBadFieldsByPath() throws {
        let card = try parse(#"{"name": "digits", "prediction": "epsilon", "time": {"kind": "ddpm_index", "steps": 1000}, "sample_shape": [1, 8, 8], "tensors": {"time": "t"}, "data_range": [-1, 1]}"#)
        #expect(card.dimension == 64 && card.timeTensor == "t" && card.sampleTensor == "sample" && card.dtype == "FP32")
        #expect(card.time == .ddpmIndex(steps: 1000, betaStart: 1e-4, betaEnd: 0.02) && card.dataRange == -1...1)
        let cases: [(String, ModelCardError)] = [
            (#"{"name": "m", "prediction": "noise", "time": {"kind": "sigma"}, "sample_shape": [2]}"#,
             .invalidField(path: "prediction", reason: "must be one of epsilon, x0, v, score, got \"noise\"")),
            (#"{"name": "m", "prediction": "x0", "time": {"kind": "sigma", "rho": 7}, "sample_shape": [2]}"#,
             .unknownField(path: "time.rho", allowed: ["kind"])),
            (#"{"name": "m", "prediction": "v", "time": {"kind": "sigma"}, "sample_shape": [2]}"#,
             .invalidField(path: "prediction", reason: "\"v\" is defined for variance-preserving models; a \"sigma\" (EDM) model predicts \"x0\" or \"epsilon\"")),
            (#"{"name": "m", "prediction": "x0", "time": {"kind": "ddpm_index", "steps": "1000"}, "sample_shape": [2]}"#,
             .invalidField(path: "time.steps", reason: "must be a finite number, got 1000")),
            (#"{"name": "m", "prediction": "x0", "time": {"kind": "ou_time"}, "sample_shape": [2, 0]}"#,
             .invalidField(path: "sample_shape[1]", reason: "must be an integer in 1...1000000, got 0.0")),
            (#"{"name": "m", "prediction": "x0", "time": {"kind": "ou_time"}, "sample_shape": [2], "dtype": "FP16"}"#,
             .invalidField(path: "dtype", reason: "must be \"FP32\" or \"FP64\", got \"FP16\"")),
            (#"{"name": "m", "prediction": "x0", "time": {"kind": "ou_time"}, "sample_shape": [2], "extra": 1}"#,
             .unknownField(path: "extra", allowed: ["name", "description", "prediction", "time", "sample_shape", "dtype", "tensors", "data_range", "class_input"])),
            (#"{"name": "m", "prediction": "epsilon", "time": {"kind": "ou_time"}, "sample_shape": [2], "class_input": {"name": "y", "classes": 10, "null": 3}}"#,
             .invalidField(path: "class_input.null", reason: "the unconditional label 3 is one of the classes 0..<10: use a label of its own (often 10)")),
            (#"{"name": "m", "prediction": "epsilon", "time": {"kind": "ou_time"}, "sample_shape": [2], "class_input": {"name": "y", "datatype": "INT32", "classes": 10, "null": 10}}"#,
             .invalidField(path: "class_input.datatype", reason: "must be \"INT64\" (labels are 64-bit integers), got \"INT32\"")),
            (#"{"name": "m", "prediction": "epsilon", "time": {"kind": "ou_time"}, "sample_shape": [2], "class_input": {"name": "sample", "classes": 10, "null": 10}}"#,
             .invalidField(path: "class_input.name", reason: "\"sample\" is already the sample, time or output tensor")),
            (#"{"name": "m", "prediction": "epsilon", "time": {"kind": "ou_time"}, "sample_shape": [2], "class_input": {"name": "y", "classes": 0, "null": 10}}"#,
             .invalidField(path: "class_input.classes", reason: "must be an integer in 1...1000000, got 0.0")),
            (#"{"name": "m", "prediction": "epsilon", "time": {"kind": "ou_time"}, "sample_shape": [2], "class_input": {"name": "y", "classes": 10, "null": 10, "w": 1}}"#,
             .unknownField(path: "class_input.w", allowed: ["name", "datatype", "classes", "null"])),
            (#"{"prediction": "x0", "time": {"kind": "ou_time"}, "sample_shape": [2]}"#,
             .missingField(path: "name", expected: "the model's name")),
        ]
        for (json, error) in cases { #expect(throws: error) { try parse(json) } }
    }

    /// `ddpm_index` at `τ` with `e^{-2τ} = ᾱ_k` is exactly step `k`; halfway in `ln ᾱ` is `k + ½`.
    @Test func timeInputsFollowTheirDefinitions() throws {
        let card = ModelCard(name: "m", prediction: .epsilon, time: .ddpmIndex(steps: 1000, betaStart: 1e-4, betaEnd: 0.02), sampleShape: [2])
        var logAlphaBar = [Double](), sum = 0.0
        for t in 0..<1000 { sum += log1p(-(1e-4 + (0.02 - 1e-4) * Double(t) / 999)); logAlphaBar.append(sum) }
        for k in [0, 1, 10, 500, 998] {
            #expect(abs(card.networkInput(tau: -logAlphaBar[k] / 2) - Double(k)) <= 1e-9)
            #expect(abs(card.networkInput(tau: -(logAlphaBar[k] + logAlphaBar[k + 1]) / 4) - (Double(k) + 0.5)) <= 1e-9)
        }
        #expect(card.networkInput(tau: 50) == 999 && card.networkInput(tau: 0) == 0)
        let tau = 0.7
        let edm = ModelCard(name: "m", prediction: .x0, time: .sigma, sampleShape: [2])
        #expect(abs(edm.networkInput(tau: tau) - ForwardProcess.sigma(tau) / ForwardProcess.alpha(tau)) <= 1e-15)
        #expect(abs(edm.networkSampleScale(tau: tau) - exp(tau)) <= 1e-15)
        let snr = ModelCard(name: "m", prediction: .epsilon, time: .logSNR, sampleShape: [2])
        #expect(abs(snr.networkInput(tau: tau) - log(ForwardProcess.alpha(tau) / ForwardProcess.sigma(tau))) <= 1e-14)
    }

    /// A network that returns the exact ε, x₀, v or score of a Gaussian target in its own variables,
    /// called through its card, gives the target's exact OU-time score (to rounding, 1e-10 relative).
    @Test(arguments: [(ModelCard.Prediction.epsilon, ModelCard.TimeInput.ddpmIndex(steps: 1000, betaStart: 1e-4, betaEnd: 0.02)),
                      (.x0, .sigma), (.epsilon, .sigma), (.v, .ouTime), (.score, .logSNR), (.x0, .ddpmIndex(steps: 500, betaStart: 1e-4, betaEnd: 0.02))])
    func everyPredictionConvertsToTheExactScore(_ prediction: ModelCard.Prediction, _ time: ModelCard.TimeInput) throws {
        let target = try GaussianMixtureTarget(mean: [0.5, -1], covariance: .diagonal([0.3, 2]))
        let card = ModelCard(name: "m", prediction: prediction, time: time, sampleShape: [2])
        // The raw network knows the row times from the test (here one τ per batch); it works in its own variables.
        let taus = [0.01, 0.3, 1.2, 3.5]
        let points: [[Double]] = [[0.2, -0.7], [1.5, 0.3], [-2, 4], [0, 0]]
        for tau in taus {
            let model = CardScoreModel(card: card) { samples, _, output in
                let (a, s) = (ForwardProcess.alpha(tau), ForwardProcess.sigma(tau))
                for i in 0..<samples.rows {
                    let x = (0..<2).map { samples[i, $0] / card.networkSampleScale(tau: tau) }
                    let score = target.score(tau: tau, at: x)
                    for j in 0..<2 {
                        let eps = -s * score[j], x0 = (x[j] + s * s * score[j]) / a
                        output[i, j] = switch prediction {
                        case .epsilon: eps
                        case .x0: x0
                        case .v: a * eps - s * x0
                        case .score: score[j]
                        }
                    }
                }
            }
            for p in points {
                let got = model.score(tau: tau, at: p), want = target.score(tau: tau, at: p)
                for j in 0..<2 { #expect(abs(got[j] - want[j]) <= 1e-10 * max(abs(want[j]), 1), "\(prediction) \(time) τ=\(tau)") }
            }
        }
    }
}
