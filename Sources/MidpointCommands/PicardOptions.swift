import ArgumentParser
import Midpoint

/// The parallel-in-time samplers' tuning flags, shown under their own heading in `--help`. Each flag is
/// the tuning key of the same name (``SamplerSettings``); the samplers that read it check and apply it.
struct PicardOptions: ParsableArguments {
    @Option(name: .long, parsing: .unconditional, help: "paradigms: steps per Picard window (default \(ParaDiGMSSampler().windowSteps)); rm-parallel: windows of this many steps (default: one window over the grid).")
    var picardWindow: Int?

    @Option(name: .long, parsing: .unconditional, help: "rm-parallel: windows hold the grid steps within this log-SNR span (default: one window over the grid).")
    var picardSpan: Double?

    @Option(name: .long, parsing: .unconditional, help: "rm-parallel: Picard rounds per window (default: max(5, ⌈n/2⌉) for n steps).")
    var picardRounds: Int?

    @Option(name: .long, parsing: .unconditional, help: "rm-parallel, paradigms: Picard tolerance on ‖Δ‖/(√d σ) (defaults \(RandomizedMidpointParallelSampler().stop.tolerance) and \(ParaDiGMSSampler().tolerance); 0 never stops early). An early stop is decided over the whole batch.")
    var picardTolerance: Double?

    @Flag(name: .long, help: "rm-parallel: plain Picard updates (no Newton correction by the Gaussian Jacobian ς/(1+ς²)).")
    var plainPicard = false

    @Flag(name: .long, help: "rm-parallel: correct after each window with the Picard-solved ULMC corrector (reads --corrector-steps, --corrector-time, --corrector-friction).")
    var parallelCorrector = false

    @Option(name: .long, help: "paradigms: the iterated sampler, \(ParaDiGMSBase.allCases.map(\.rawValue).joined(separator: " or ")) (default \(ParaDiGMSSampler().settings.paradigmsBase.rawValue)).")
    var paradigmsBase: ParaDiGMSBase?

    /// The flags given, as tuning values under their keys (a flag left off is not given).
    var settings: [String: SettingValue] {
        // A flag left off is not given: false is "not given", not a value.
        SettingValue.given(["picard-window": picardWindow, "picard-span": picardSpan, "picard-rounds": picardRounds,
                "picard-tolerance": picardTolerance, "plain-picard": plainPicard ? true : nil,
                "parallel-corrector": parallelCorrector ? true : nil, "paradigms-base": paradigmsBase])
    }
}
