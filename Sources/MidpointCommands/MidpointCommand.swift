import ArgumentParser

/// The `midpoint` command-line tool.
public struct MidpointCommand: ParsableCommand {
    /// The root command; `main()` parses the process's arguments and runs the chosen subcommand.
    public static let configuration = CommandConfiguration(
        commandName: "midpoint",
        abstract: "Fast, provably accurate sampling with randomized-midpoint discretizations.",
        discussion: """
            Runs diffusion samplers on targets whose scores are exact, and reports their cost (score \
            evaluations per particle, NFE; sequential batched calls, rounds) and their error; and \
            samples log-concave targets (`mcmc`) with R-hat and ESS.
            """,
        subcommands: [TargetsCommand.self, ModelsCommand.self, SamplersCommand.self, SampleCommand.self, CompareCommand.self, ScalingCommand.self, MCMCCommand.self, MCMCCostCommand.self, MergeCommand.self, EvaluateCommand.self, CallProfileCommand.self]
    )

    /// The root command (it only dispatches to its subcommands).
    public init() {}
}
