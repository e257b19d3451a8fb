import ArgumentParser
import Foundation
import Midpoint
#if MIDPOINT_REMOTE
import MidpointRemote
#endif

/// `midpoint call-profile`: a served model's per-call time through its transport, and the client's share.
struct CallProfileCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "call-profile",
        abstract: "Measure a served model's time per call for several batch sizes, and this client's share of it.",
        discussion: """
            Sends --calls requests of each --rows size to the model at --model-url (one at a time, after a \
            warm-up call) and prints the median time per call, end to end, beside the median time this \
            process spends encoding the request and decoding an answer of the same size (measured \
            offline): the rest is the network stack and the server. Compare transports by running it \
            with an http:// and a grpc:// URL of the same server.
            """
    )

    @OptionGroup(title: "Served model (Open Inference Protocol)") var remote: RemoteModelOptions

    @Option(name: .long, help: "Comma-separated rows per request, each in 1...1000000 (default 256,4096).", transform: CommaList<Int>.parse)
    var rows = CommaList([256, 4096])

    @Option(name: .long, parsing: .unconditional, help: "Timed calls per batch size, 1...10000 (default 20).")
    var calls: Int = 20

    @Option(name: .long, help: "Write the table as CSV.")
    var csv: String?

    func validate() throws {
        guard remote.isRemote, let card = remote.card else { throw ValidationError("call-profile needs --model-url and --model-card") }
        try rows.require(in: 1...1_000_000, flag: "--rows")
        try RunOptions.require(calls, in: 1...10_000, flag: "--calls")
        try OutputPathOption.check(csv, flag: "--csv", suffix: ".csv")
        if let largest = rows.items.max(), largest * card.dimension > 50_000_000 {
            throw ValidationError("--rows \(largest) × dimension \(card.dimension) is too large: at most 50000000 values per request")
        }
    }

    func run() throws {
        #if MIDPOINT_REMOTE
        guard let model = try remote.connect(maxBatchSize: rows.items.max()) else { return }
        let profile = CallProfile(transport: model.transport)
        var table = Table(columns: ["wire", "rows", "d", "ms/call", "client ms", "client %"])
        for n in rows.items {
            let row: CallProfile.Row
            do { row = try profile.measure(rows: n, calls: calls) } catch { throw CommandFailure(error.description) }
            table.append([.text(row.wireFormat), .integer(n), .integer(row.dimension), .number(1000 * row.callSeconds),
                          .number(1000 * row.clientSeconds), .number(100 * row.clientShare)])
        }
        print(table.formatted(), terminator: "")
        if let csv {
            try AtomicFile.write(table.csv(), to: csv)
            print("wrote \(csv)")
        }
        #else
        // validate() refuses --model-url in a build without served models.
        throw CommandFailure("call-profile needs a build with served models")
        #endif
    }
}
