import ArgumentParser
import Midpoint

/// `midpoint samplers`: every diffusion and MCMC sampler with its cost and the tuning keys it reads,
/// read from the registries (the README's tables are this command's `--markdown` output).
struct SamplersCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "samplers",
        abstract: "List the diffusion and MCMC samplers: what each is, its cost, its default grid and the tuning flags it reads.",
        discussion: """
            A tuning key is also the flag of the same name (interpolant is --interpolant). `sample`, \
            `compare` and `scaling` refuse a diffusion tuning flag that the chosen samplers do not read, \
            and `mcmc` an MCMC one, naming the samplers that do.
            """
    )

    @Flag(name: .long, help: "Print Markdown tables (as in the README) instead of aligned text.")
    var markdown = false

    /// The diffusion samplers' table.
    static var diffusionTable: Table {
        var table = Table(columns: ["name", "what", "NFE for N steps", "default grid", "tuning keys"])
        for s in SamplerRegistry.all {
            table.append([.text(s.name), .text(s.summary), .text(s.costFormula), .text(s.defaultGrid.rawValue),
                          .text(s.settingKeys.isEmpty ? "—" : s.settingKeys.joined(separator: ", "))])
        }
        return table
    }

    /// The MCMC samplers' table.
    static var mcmcTable: Table {
        var table = Table(columns: ["name", "what", "gradients per step", "tuning keys"])
        for e in MCMCSamplerRegistry.entries {
            table.append([.text(e.name), .text(e.summary), .text(e.gradientsPerStep), .text(e.settingKeys.joined(separator: ", "))])
        }
        return table
    }

    /// Both tables as Markdown, headed like the README's sections.
    static var markdownText: String {
        "Diffusion samplers (`sample`, `compare`, `scaling`):\n\n" + diffusionTable.markdown()
            + "\nLog-concave samplers (`mcmc`; warm-up chooses every value not given):\n\n" + mcmcTable.markdown()
    }

    func run() throws {
        if markdown {
            print(Self.markdownText, terminator: "")
            return
        }
        // Markdown emphasis and code marks mean nothing on a terminal.
        func plain(_ table: Table) -> Table {
            var t = table
            t.rows = t.rows.map { $0.map { .text($0.description.replacingOccurrences(of: "**", with: "")
                .replacingOccurrences(of: "`", with: "").replacingOccurrences(of: "*", with: "")) } }
            return t
        }
        print("Diffusion samplers (sample, compare, scaling):")
        print(plain(Self.diffusionTable).formatted(), terminator: "")
        print("\nLog-concave samplers (mcmc; warm-up chooses every value not given):")
        print(plain(Self.mcmcTable).formatted(), terminator: "")
    }
}
