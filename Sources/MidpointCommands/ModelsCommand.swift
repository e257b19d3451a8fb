import ArgumentParser
import Foundation
import Midpoint

/// `midpoint models`: the shipped score networks, and how far a network's score is from an exact one.
struct ModelsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "models",
        abstract: "List the shipped score networks; with --check, measure a network's score against its exact target.",
        discussion: """
            --check MODEL prints the relative RMS score error √(E‖s_θ − s‖² / E‖s‖²) at several noise \
            levels τ, on exact draws of the noised target, for a network trained on a built-in target \
            (ring2d): the score-matching error the samplers' guarantees charge to the model.
            """
    )

    @Option(name: .long, help: "A network trained on a built-in target (a shipped name or a .safetensors file).")
    var check: String?

    @Option(name: .long, help: "Comma-separated times τ for --check, each finite and > 0.", transform: CommaList<Double>.parse)
    var times = CommaList([0.001, 0.01, 0.1, 0.3, 1, 3])

    @Option(name: .long, parsing: .unconditional, help: "Exact draws per time for --check.")
    var draws: Int = 20_000

    @Option(name: .long, parsing: .unconditional, help: "Seed for the draws.")
    var seed: UInt64 = 0

    /// The network and target of `--check`, loaded by validate().
    private var checked: (network: MLPScoreNetwork, target: BuiltinTarget)?

    enum CodingKeys: String, CodingKey {
        case check, times, draws, seed
    }

    mutating func validate() throws {
        try RunOptions.require(draws, in: ScoreDiscrepancy.drawsRange, flag: "--draws")
        try times.requirePositive(flag: "--times")
        if let check {
            let network: MLPScoreNetwork
            do { network = try ShippedModel.resolve(check) } catch { throw ValidationError(error.description) }
            guard let builtin = network.trainingTarget else {
                throw ValidationError("--check needs a network trained on a built-in target (metadata 'name' one of \(BuiltinTarget.allCases.map(\.rawValue).joined(separator: ", ")) with its dimension)")
            }
            checked = (network, builtin)
        }
    }

    func run() throws {
        guard let check, let (network, builtin) = checked else {
            var table = Table(columns: ["name", "dimension", "width", "blocks", "parameters", "trained on"])
            for m in ShippedModel.allCases {
                let network = try m.load()
                let a = network.architecture
                table.append([.text(m.rawValue), .integer(a.dimension), .integer(a.width),
                              .text("\(a.blocks)\(a.residual ? " residual" : "")"), .integer(a.parameterCount), .text(m.summary)])
            }
            print(table.formatted(), terminator: "")
            return
        }
        let target = builtin.make()
        var table = Table(columns: ["tau", "sigma", "relative score error"])
        for t in times.items {
            table.append([.number(t), .number(ForwardProcess.sigma(t)),
                          .number(ScoreDiscrepancy.relative(model: network, target: target, tau: t, count: draws, seed: seed))])
        }
        print("\(check) against the exact \(builtin.rawValue) score, \(draws) draws per time")
        print(table.formatted(), terminator: "")
    }
}
