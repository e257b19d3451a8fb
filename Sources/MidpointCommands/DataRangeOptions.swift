import ArgumentParser
import Midpoint

/// `--clip-x0`, `--threshold P` and `--no-x0-guard`: how the model's data prediction is kept in its card's
/// data range (``DataRangeControlledModel``), for every sampler. By default a model with a data range runs
/// with the guard (``DataRangeControl/guardRail``).
struct DataRangeOptions: ParsableArguments {
    @Flag(name: .customLong("clip-x0"), help: "Clip the model's data prediction x̂₀ to its card's data_range at every evaluation (diffusers' clip_sample), for every sampler.")
    var clipX0 = false

    @Option(name: .long, parsing: .unconditional, help: "Dynamic thresholding of x̂₀ (Imagen): per sample, clip to the P-th percentile r of |x̂₀| (in range units, at least 1) and divide by r; P in 50...100 (Imagen: 99.5).")
    var threshold: Double?

    @Flag(name: .customLong("no-x0-guard"), help: "Do not guard x̂₀ of a model with a data range (by default it is clipped to the range widened by its half-width on each side, [-2, 2] for [-1, 1], which only stops runaway predictions).")
    var noGuard = false

    func validate() throws {
        if [clipX0, threshold != nil, noGuard].filter({ $0 }).count > 1 { throw ValidationError("give at most one of --clip-x0, --threshold and --no-x0-guard") }
        if let threshold, !(threshold.isFinite && DataRangeControl.percentileRange.contains(threshold)) {
            throw ValidationError("--threshold must be a percentile in 50...100 (got \(threshold))")
        }
    }

    /// The control for a subject with data range `range`: the flags', else the guard; nil without a range.
    func control(for range: ClosedRange<Double>?) -> DataRangeControl? {
        guard range != nil, !noGuard else { return nil }
        return clipX0 ? .clip(margin: 0) : threshold.map { .threshold(percentile: $0) } ?? .guardRail
    }

    /// The report line naming the control in force.
    static func report(_ control: DataRangeControl) -> String { "x̂₀ control: \(control) (--clip-x0, --threshold, --no-x0-guard)" }

    /// Refuses the flags for a subject without a data range.
    func check(subject: SamplingSubject) throws {
        if subject.dataRange == nil, let flag = [("--clip-x0", clipX0), ("--threshold", threshold != nil), ("--no-x0-guard", noGuard)].first(where: \.1)?.0 {
            throw ValidationError("\(flag) acts on x̂₀ in the model's data range, and \(subject.name) has none (a model card's data_range)")
        }
    }

    /// `model` with `control` applied in `range` (unchanged without either).
    func apply(_ control: DataRangeControl?, to model: any ScoreModel, range: ClosedRange<Double>?) -> any ScoreModel {
        guard let range, let control else { return model }
        return DataRangeControlledModel(model, range: range, control: control)
    }
}
