import ArgumentParser
import Midpoint

/// `--clip-x0` and `--threshold P`: keep the model's data prediction in its card's data range
/// (``DataRangeControlledModel``), for every sampler.
struct DataRangeOptions: ParsableArguments {
    @Flag(name: .customLong("clip-x0"), help: "Clip the model's data prediction x̂₀ to its card's data_range at every evaluation (diffusers' clip_sample), for every sampler.")
    var clipX0 = false

    @Option(name: .long, parsing: .unconditional, help: "Dynamic thresholding of x̂₀ (Imagen): per sample, clip to the P-th percentile r of |x̂₀| (in range units, at least 1) and divide by r; P in 50...100 (Imagen: 99.5).")
    var threshold: Double?

    func validate() throws {
        if clipX0, threshold != nil { throw ValidationError("give --clip-x0 or --threshold, not both") }
        if let threshold, !(threshold.isFinite && DataRangeControl.percentileRange.contains(threshold)) {
            throw ValidationError("--threshold must be a percentile in 50...100 (got \(threshold))")
        }
    }

    /// The control the flags ask for, if any.
    var control: DataRangeControl? { clipX0 ? .clip : threshold.map { .threshold(percentile: $0) } }

    /// Refuses the flags for a subject without a data range.
    func check(subject: SamplingSubject) throws {
        if let control, subject.dataRange == nil {
            throw ValidationError("--\(control == .clip ? "clip-x0" : "threshold") keeps x̂₀ in the model's data range, and \(subject.name) has none (a model card's data_range)")
        }
    }

    /// `model` with the control applied in `range`.
    func apply(to model: any ScoreModel, range: ClosedRange<Double>?) -> any ScoreModel {
        guard let control, let range else { return model }
        return DataRangeControlledModel(model, range: range, control: control)
    }
}
