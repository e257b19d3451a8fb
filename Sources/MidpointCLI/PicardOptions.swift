import ArgumentParser
import Midpoint

/// The parallel-in-time samplers' tuning flags (rm-parallel, paradigms), shown under their own
/// heading in `--help`.
struct PicardOptions: ParsableArguments {
    @Option(name: .long, parsing: .unconditional, help: "paradigms: steps per Picard window (default \(ParaDiGMSSampler().windowSteps)); rm-parallel: windows of this many steps (default: one window over the grid).")
    var picardWindow: Int?

    @Option(name: .long, parsing: .unconditional, help: "rm-parallel: windows hold the grid steps within this log-SNR span (default: one window over the grid).")
    var picardSpan: Double?

    @Option(name: .long, parsing: .unconditional, help: "rm-parallel: Picard rounds per window (default: max(5, ⌈n/2⌉) for n steps).")
    var picardRounds: Int?

    @Option(name: .long, parsing: .unconditional, help: "rm-parallel, paradigms: Picard tolerance on ‖Δ‖/(√d σ) (defaults 0 and 1e-3; 0 never stops early). An early stop is decided over the whole batch.")
    var picardTolerance: Double?

    @Flag(name: .long, help: "rm-parallel: plain Picard updates (no Newton correction by the Gaussian Jacobian ς/(1+ς²)).")
    var plainPicard = false

    @Flag(name: .long, help: "rm-parallel: correct after each window with the Picard-solved ULMC corrector (uses the --corrector-* settings).")
    var parallelCorrector = false

    @Option(name: .long, help: "paradigms: the iterated sampler, ddim or ddpm (default ddim).")
    var paradigmsBase: ParaDiGMSBase?

    func validate() throws {
        try RunOptions.require(picardWindow, in: 1...10_000, flag: "--picard-window")
        try RunOptions.requirePositive(picardSpan, flag: "--picard-span")
        try RunOptions.require(picardRounds, in: 1...10_000, flag: "--picard-rounds")
        if let picardTolerance, !(picardTolerance.isFinite && picardTolerance >= 0) {
            throw ValidationError("--picard-tolerance must be finite and ≥ 0 (got \(picardTolerance))")
        }
    }

    /// `base` with the Picard flags applied; `corrector` is used with `--parallel-corrector`.
    func apply(to base: RandomizedMidpointParallelSampler, corrector: LangevinCorrector) -> RandomizedMidpointParallelSampler {
        var parallel = base
        if let picardWindow { parallel.windowSteps = picardWindow; parallel.windowSpan = nil }
        if plainPicard { parallel.jacobianVariance = nil }
        if let picardSpan { parallel.windowSpan = picardSpan }
        if let picardRounds { parallel.stop.maxRounds = picardRounds }
        if let picardTolerance { parallel.stop.tolerance = picardTolerance }
        if parallelCorrector { parallel.corrector = corrector }
        return parallel
    }

    /// `base` with the window, tolerance and iterated sampler set from the flags.
    func apply(to base: ParaDiGMSSampler) -> ParaDiGMSSampler {
        var paradigms = base
        if let picardWindow { paradigms.windowSteps = picardWindow }
        if let picardTolerance { paradigms.tolerance = picardTolerance }
        if paradigmsBase == .ddpm { paradigms.base = DDPMSampler() }
        return paradigms
    }

    /// The flags as provenance entries ("default" when not given).
    var provenance: [String: String] {
        ["picard_window": picardWindow.map { "\($0)" } ?? "default", "picard_span": picardSpan.map { "\($0)" } ?? "default",
         "picard_rounds": picardRounds.map { "\($0)" } ?? "default", "picard_tolerance": picardTolerance.map { "\($0)" } ?? "default",
         "plain_picard": "\(plainPicard)", "parallel_corrector": "\(parallelCorrector)", "paradigms_base": paradigmsBase?.rawValue ?? "default"]
    }
}
