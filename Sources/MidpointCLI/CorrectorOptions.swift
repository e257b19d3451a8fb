import ArgumentParser
import Midpoint

/// The Langevin corrector's tuning flags (rm-pc, and rm-parallel with `--parallel-corrector`), shown
/// under their own heading in `--help`.
struct CorrectorOptions: ParsableArguments {
    @Option(name: .long, parsing: .unconditional, help: "rm-pc: least ULMC sub-steps per correction (default \(LangevinCorrector().steps)); rm-parallel: sub-steps per correction.")
    var correctorSteps: Int?

    @Option(name: .long, parsing: .unconditional, help: "rm-pc: corrector run time in units of σ(τ) (default \(LangevinCorrector().timeScale)).")
    var correctorTime: Double?

    @Option(name: .long, parsing: .unconditional, help: "rm-pc: corrector friction in units of 1/σ(τ) (default \(LangevinCorrector().frictionScale)).")
    var correctorFriction: Double?

    @Option(name: .long, parsing: .unconditional, help: "rm-pc: corrections per run, after evenly spaced grid steps (default \(RandomizedMidpointPCSampler().corrections)).")
    var corrections: Int?

    @Option(name: .long, parsing: .unconditional, help: "rm-pc: corrector sub-steps per predictor step; the sub-steps shrink as the grid is refined (default \(RandomizedMidpointPCSampler().correctorRatio)).")
    var correctorRatio: Double?

    @Option(name: .long, help: "rm-pc: the corrector's ULMC step, ei (exponential integrator, 1 NFE) or rm (randomized midpoint, 2 NFE) (default \(LangevinCorrector().integrator.rawValue)).")
    var correctorIntegrator: LangevinIntegrator?

    func validate() throws {
        try RunOptions.require(correctorSteps, in: 1...1000, flag: "--corrector-steps")
        try RunOptions.require(correctorTime, in: LangevinCorrector.timeScaleRange, flag: "--corrector-time")
        try RunOptions.require(correctorFriction, in: LangevinCorrector.frictionScaleRange, flag: "--corrector-friction")
        try RunOptions.require(corrections, in: 1...10_000, flag: "--corrections")
        if let correctorRatio, !(correctorRatio.isFinite && (0...100).contains(correctorRatio)) {
            throw ValidationError("--corrector-ratio must be in 0...100 (got \(correctorRatio))")
        }
    }

    /// `base` with the `--corrector-*` flags applied.
    func apply(to base: LangevinCorrector) -> LangevinCorrector {
        var c = base
        if let correctorSteps { c.steps = correctorSteps }
        if let correctorTime { c.timeScale = correctorTime }
        if let correctorFriction { c.frictionScale = correctorFriction }
        if let correctorIntegrator { c.integrator = correctorIntegrator }
        return c
    }

    /// `base` with its corrector and correction schedule set from the flags.
    func apply(to base: RandomizedMidpointPCSampler) -> RandomizedMidpointPCSampler {
        var pc = base
        pc.corrector = apply(to: pc.corrector)
        if let corrections { pc.corrections = corrections }
        if let correctorRatio { pc.correctorRatio = correctorRatio }
        return pc
    }

    /// The flags as provenance entries ("default" when not given).
    var provenance: [String: String] {
        ["corrector_steps": correctorSteps.map { "\($0)" } ?? "default", "corrector_time": correctorTime.map { "\($0)" } ?? "default",
         "corrector_friction": correctorFriction.map { "\($0)" } ?? "default", "corrections": corrections.map { "\($0)" } ?? "default",
         "corrector_ratio": correctorRatio.map { "\($0)" } ?? "default", "corrector_integrator": correctorIntegrator?.rawValue ?? "default"]
    }
}
