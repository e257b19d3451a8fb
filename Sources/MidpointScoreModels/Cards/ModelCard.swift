import Foundation

/// How to call a diffusion model that was trained elsewhere (`docs/model-cards.md`): what it predicts,
/// what time input it takes, its sample shape, dtype and tensor names. The project converts every card
/// to its own convention, the OU-time score `s(τ, x)` of `x_τ = α x₀ + σ ε`, `α = e^{-τ}`, `σ² = 1 - α²`
/// (``ModelCard/networkInput(tau:)``, ``ModelCard/score(from:x:tau:)``).
///
/// ```json
/// {"name": "digits", "prediction": "epsilon",
///  "time": {"kind": "ddpm_index", "steps": 1000, "beta_start": 0.0001, "beta_end": 0.02},
///  "sample_shape": [1, 8, 8], "dtype": "FP32",
///  "tensors": {"sample": "sample", "time": "timestep", "output": "output"}}
/// ```
public struct ModelCard: Sendable, Equatable {
    /// What the network's output is.
    public enum Prediction: String, Sendable, CaseIterable {
        /// The noise `ε` (DDPM, most UNets).
        case epsilon
        /// The clean data `x₀` (EDM's denoiser `D`).
        case x0
        /// The velocity `v = α ε - σ x₀` (v-prediction, Salimans & Ho).
        case v
        /// The score `∇ₓ log q_τ(x)` itself, in the OU variables.
        case score
    }

    /// What the network takes as its time input, and in which variables it takes the sample.
    public enum TimeInput: Sendable, Equatable {
        /// DDPM's discrete step `t ∈ [0, steps - 1]` (fractional between steps) for the linear schedule
        /// `β_t` from `betaStart` to `betaEnd`, `ᾱ_t = Π_{i ≤ t} (1 - β_i)`; the sample is `x_τ` itself.
        case ddpmIndex(steps: Int, betaStart: Double, betaEnd: Double)
        /// EDM's noise level `σ_EDM = σ/α` of the variance-exploding sample `x/α` (the network takes `x/α`).
        case sigma
        /// The OU time `τ` itself.
        case ouTime
        /// The log signal-to-noise ratio `λ = ln(α/σ)`.
        case logSNR
    }

    /// The model's name (for messages and the tensor request).
    public let name: String
    /// What the output is.
    public let prediction: Prediction
    /// The time input.
    public let time: TimeInput
    /// The shape of one sample, e.g. `[1, 8, 8]`; its product is the dimension.
    public let sampleShape: [Int]
    /// The datatype on the wire: `FP32` or `FP64`.
    public let dtype: String
    /// Tensor names: the sample input, the time input, the output.
    public let sampleTensor: String, timeTensor: String, outputTensor: String
    /// The range of the data the model was trained on, if bounded (e.g. `[-1, 1]` for images).
    public let dataRange: ClosedRange<Double>?
    /// The class-label input of a conditional model, if it has one.
    public let classInput: ClassInput?

    /// A card with every field given.
    public init(name: String, prediction: Prediction, time: TimeInput, sampleShape: [Int], dtype: String = "FP32",
                sampleTensor: String = "sample", timeTensor: String = "timestep", outputTensor: String = "output",
                dataRange: ClosedRange<Double>? = nil, classInput: ClassInput? = nil) {
        self.name = name
        self.prediction = prediction
        self.time = time
        self.sampleShape = sampleShape
        self.dtype = dtype
        self.sampleTensor = sampleTensor
        self.timeTensor = timeTensor
        self.outputTensor = outputTensor
        self.dataRange = dataRange
        self.classInput = classInput
        if case let .ddpmIndex(steps, start, end) = time {
            schedule = DDPMSchedule(steps: steps, betaStart: start, betaEnd: end)
        } else {
            schedule = nil
        }
    }

    /// The DDPM schedule's table, built once for a `ddpm_index` card.
    let schedule: DDPMSchedule?

    /// Coordinates per sample.
    public var dimension: Int { sampleShape.reduce(1, *) }
}
