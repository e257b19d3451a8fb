import ArgumentParser
import Midpoint

/// The Langevin corrector's tuning flags, shown under their own heading in `--help`. Each flag is the
/// tuning key of the same name (``SamplerSettings``); the samplers that read it check and apply it.
struct CorrectorOptions: ParsableArguments {
    @Option(name: .long, parsing: .unconditional, help: "Least ULMC sub-steps per correction (rm-pc; rm-parallel with --parallel-corrector: sub-steps per correction) (default \(LangevinCorrector().steps)).")
    var correctorSteps: Int?

    @Option(name: .long, parsing: .unconditional, help: "Corrector run time in units of σ(τ) (default \(LangevinCorrector().timeScale)).")
    var correctorTime: Double?

    @Option(name: .long, parsing: .unconditional, help: "Corrector friction in units of 1/σ(τ) (default \(LangevinCorrector().frictionScale)).")
    var correctorFriction: Double?

    @Option(name: .long, parsing: .unconditional, help: "rm-pc: corrections per run, after evenly spaced grid steps (default \(RandomizedMidpointPCSampler().corrections)).")
    var corrections: Int?

    @Option(name: .long, parsing: .unconditional, help: "rm-pc: corrector sub-steps per predictor step; the sub-steps shrink as the grid is refined (default \(RandomizedMidpointPCSampler().correctorRatio)).")
    var correctorRatio: Double?

    @Option(name: .long, help: "rm-pc: the corrector's ULMC step, ei (exponential integrator, 1 NFE) or rm (randomized midpoint, 2 NFE) (default \(LangevinCorrector().integrator.rawValue)).")
    var correctorIntegrator: LangevinIntegrator?

    /// The flags given, as tuning values under their keys.
    var settings: [String: SettingValue] {
        SettingValue.given(["corrector-steps": correctorSteps, "corrector-time": correctorTime, "corrector-friction": correctorFriction,
                "corrections": corrections, "corrector-ratio": correctorRatio, "corrector-integrator": correctorIntegrator])
    }
}
