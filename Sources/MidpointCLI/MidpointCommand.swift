import ArgumentParser

/// The `midpoint` command-line tool.
@main
struct MidpointCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "midpoint",
        abstract: "Fast, provably accurate sampling with randomized-midpoint discretizations.",
        discussion: """
            Runs diffusion samplers on targets whose scores are exact, and reports their cost (score \
            evaluations per particle, NFE; sequential batched calls, rounds) and their error; and \
            samples log-concave targets (`mcmc`) with R-hat and ESS.
            """,
        subcommands: [TargetsCommand.self, ModelsCommand.self, SampleCommand.self, CompareCommand.self, ScalingCommand.self, MCMCCommand.self, MCMCCostCommand.self, MergeCommand.self, EvaluateCommand.self, CallProfileCommand.self]
    )
}
