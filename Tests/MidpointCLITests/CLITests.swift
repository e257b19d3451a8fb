import ArgumentParser
import Foundation
@testable import MidpointCLI
import MidpointFormats
import Testing

@Suite struct CLITests {
    /// Parses and runs like the executable; returns the error message ArgumentParser would print.
    func failure(_ args: [String]) -> String? {
        do {
            var command = try MidpointCommand.parseAsRoot(args)
            try command.run()
            return nil
        } catch {
            return MidpointCommand.message(for: error)
        }
    }

    @Test func badFlagsGiveOneClearMessage() {
        let cases: [([String], String)] = [
            (["sample", "--particles", "1"], "--particles must be at least 2"),
            (["sample", "--steps", "0"], "--steps must be at least 1"),
            (["sample", "--threads", "0"], "--threads must be in 1...1024"),
            (["sample", "--early-stop", "9"], "0 < δ < T"),
            (["sample", "--horizon", "nan"], "--horizon must be finite"),
            (["sample", "--grid", "cosine"], "unknown time grid 'cosine'"),
            (["sample", "--sampler", "rk4", "--particles", "4"], "unknown sampler 'rk4'"),
            (["sample", "--target", "nope", "--particles", "4"], "unknown target 'nope'"),
            (["sample", "--output", "x.csv"], "--output must name a .npy file"),
            (["sample", "--seed", "-1"], "seed"),
        ]
        for (args, expected) in cases {
            let message = failure(args)
            #expect(message?.contains(expected) == true, "\(args): \(message ?? "no error")")
        }
    }

    @Test func sampleWritesNpyOfTheRightShape() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("cli-\(UUID()).npy").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        #expect(failure(["sample", "--target", "ring2d", "--particles", "50", "--steps", "5", "--output", path]) == nil)
        let a = try NPY.read(contentsOf: path)
        #expect(a.shape == [50, 2] && a.values.allSatisfy { $0.isFinite })
    }

    @Test func targetsListsBuiltins() {
        #expect(failure(["targets"]) == nil)
    }
}
