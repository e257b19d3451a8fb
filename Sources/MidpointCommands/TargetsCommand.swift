import ArgumentParser
import Midpoint

/// `midpoint targets`: the built-in targets.
struct TargetsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "targets",
        abstract: "List the built-in targets with their dimension and a one-line description.",
        discussion: "Any command that takes --target also accepts a path to a JSON target file (see the README)."
    )

    func run() throws {
        var table = Table(columns: ["name", "dimension", "description"])
        for t in BuiltinTarget.allCases {
            table.append([.text(t.rawValue), .integer(t.dimension), .text(t.summary)])
        }
        print(table.formatted(), terminator: "")
    }
}
