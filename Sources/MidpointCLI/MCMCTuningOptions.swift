import ArgumentParser
import Midpoint

/// `midpoint mcmc`'s sampler tuning flags; anything not given is chosen in warm-up.
struct MCMCTuningOptions: ParsableArguments {
    @Flag(name: .long, inversion: .prefixedNo, help: "Adapt the preconditioner, step size and friction in warm-up.")
    var adapt = true

    @Option(name: .long, help: "Warm-up's preconditioner: none, diagonal or dense (default: dense up to \(WarmupAdaptation.denseLimit) parameters, diagonal above).")
    var metric: WarmupAdaptation.Metric?

    @Option(name: .long, parsing: .unconditional, help: "Multiply warm-up's step size by this factor (to study the step's effect; the Stein check reports the bias).")
    var stepScale: Double = 1

    @Option(name: .long, parsing: .unconditional, help: "Step size h (default: warm-up's, see above); with --adapt it is in the preconditioned coordinates (unit posterior scale).")
    var stepSize: Double?

    @Option(name: .long, parsing: .unconditional, help: "Friction γ for kinetic samplers (default 2√m̃ from warm-up).")
    var friction: Double?

    @Option(name: .long, parsing: .unconditional, help: "rm-ulmc-pc: predictor steps per correction (default ⌈4/(√m̃ h)⌉: four relaxation times of the slowest direction).")
    var correctorWindow: Int?

    @Option(name: .long, parsing: .unconditional, help: "rm-ulmc-pc: ULMC steps per correction.")
    var correctorSteps: Int = 1

    @Option(name: .long, parsing: .unconditional, help: "rm-ulmc-pc: corrector step size (default 0.1/√L).")
    var correctorStepSize: Double?

    @Option(name: .long, parsing: .unconditional, help: "rm-ulmc-parallel: stratified midpoints per step.")
    var strata: Int = 4

    @Option(name: .long, parsing: .unconditional, help: "rm-ulmc-parallel: Picard rounds per step.")
    var rounds: Int = 3

    func validate() throws {
        guard stepScale.isFinite, (1e-3...1e3).contains(stepScale) else {
            throw ValidationError("--step-scale must be in 0.001...1000 (got \(stepScale))")
        }
        try RunOptions.require(stepSize, in: MCMCParameterRanges.stepSize, flag: "--step-size")
        try RunOptions.require(friction, in: MCMCParameterRanges.friction, flag: "--friction")
        if let correctorStepSize, !(correctorStepSize.isFinite && correctorStepSize > 0) {
            throw ValidationError("--corrector-step-size must be finite and > 0 (got \(correctorStepSize))")
        }
    }

    /// The warm-up adaptation these flags ask for (nil with --no-adapt).
    var adaptation: WarmupAdaptation? {
        guard adapt else { return nil }
        var a = WarmupAdaptation()
        a.metric = metric
        a.stepScale = stepScale
        return a
    }

    /// The library's parameters (nil where warm-up or the defaults choose).
    var parameters: MCMCSamplerRegistry.Parameters {
        var p = MCMCSamplerRegistry.Parameters()
        p.stepSize = stepSize
        p.friction = friction
        p.correctorWindow = correctorWindow
        p.correctorSteps = correctorSteps
        p.correctorStepSize = correctorStepSize
        p.strata = strata
        p.rounds = rounds
        return p
    }
}
