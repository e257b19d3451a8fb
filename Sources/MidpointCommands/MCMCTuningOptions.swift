import ArgumentParser
import Midpoint

/// `midpoint mcmc`'s sampler tuning flags; anything not given is chosen in warm-up.
struct MCMCTuningOptions: ParsableArguments {
    @Flag(name: .long, inversion: .prefixedNo, help: "Adapt the preconditioner, step size and friction in warm-up.")
    var adapt = true

    @Flag(name: .long, inversion: .prefixedNo, help: "Start warm-up at the mode (L-BFGS, counted in the cost): chains from the Laplace approximation, whose inverse Hessian is the first preconditioner; --no-mode-start starts from N(0, I) draws.")
    var modeStart = true

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

    @Option(name: .long, parsing: .unconditional, help: "rm-ulmc-pc: ULMC steps per correction (default \(MCMCSamplerRegistry.Parameters().correctorSteps)).")
    var correctorSteps: Int?

    @Option(name: .long, parsing: .unconditional, help: "rm-ulmc-pc: corrector step size (default 0.1/√L).")
    var correctorStepSize: Double?

    @Option(name: .long, parsing: .unconditional, help: "rm-ulmc-parallel: stratified midpoints per step (default \(MCMCSamplerRegistry.Parameters().strata)).")
    var strata: Int?

    @Option(name: .long, parsing: .unconditional, help: "rm-ulmc-parallel: Picard rounds per step (default \(MCMCSamplerRegistry.Parameters().rounds)).")
    var rounds: Int?

    func validate() throws {
        try RunOptions.require(stepScale, in: WarmupAdaptation.stepScaleRange, flag: "--step-scale")
        try RunOptions.require(stepSize, in: MCMCParameterRanges.stepSize, flag: "--step-size")
        try RunOptions.require(friction, in: MCMCParameterRanges.friction, flag: "--friction")
        try RunOptions.require(correctorStepSize, in: MCMCParameterRanges.stepSize, flag: "--corrector-step-size")
        try RunOptions.require(correctorWindow, in: MCMCParameterRanges.correctorWindow, flag: "--corrector-window")
        try RunOptions.require(correctorSteps, in: MCMCParameterRanges.correctorSteps, flag: "--corrector-steps")
        try RunOptions.require(strata, in: MCMCParameterRanges.strata, flag: "--strata")
        try RunOptions.require(rounds, in: MCMCParameterRanges.rounds, flag: "--rounds")
        // Warm-up's own settings mean nothing without warm-up.
        if !adapt, let flag = [("--metric", metric != nil), ("--step-scale", stepScale != 1), ("--no-mode-start", !modeStart)].first(where: \.1)?.0 {
            throw ValidationError("\(flag) sets warm-up's adaptation, which --no-adapt turns off")
        }
    }

    /// The tuning flags given, as values under their keys (``MCMCSamplerRegistry/Parameters``).
    var settings: [String: SettingValue] {
        SettingValue.given(["step-size": stepSize, "friction": friction, "corrector-window": correctorWindow, "corrector-steps": correctorSteps,
                "corrector-step-size": correctorStepSize, "strata": strata, "rounds": rounds])
    }

    /// Refuses a tuning flag that `sampler` does not read, naming the samplers that do.
    func check(sampler: String) throws {
        guard let entry = MCMCSamplerRegistry.entries.first(where: { $0.name == sampler }) else { return }
        if let key = settings.keys.sorted().first(where: { !entry.settingKeys.contains($0) }) {
            throw ValidationError("--\(key) is not read by \(sampler); the samplers that read it: \(MCMCSamplerRegistry.readers(of: key).joined(separator: ", "))")
        }
    }

    /// The warm-up adaptation these flags ask for (nil with --no-adapt).
    var adaptation: WarmupAdaptation? {
        guard adapt else { return nil }
        var a = WarmupAdaptation()
        a.metric = metric
        a.stepScale = stepScale
        a.startAtMode = modeStart
        return a
    }

    /// The library's parameters (nil where warm-up or the defaults choose): the defaults with the given
    /// flags applied by key.
    var parameters: MCMCSamplerRegistry.Parameters {
        // The flags are typed and their keys are the record's, so applying them cannot fail.
        (try? MCMCSamplerRegistry.Parameters().applying(settings)) ?? MCMCSamplerRegistry.Parameters()
    }
}
