import Foundation

/// Draws in CmdStan's output layout, one file per chain, so that ArviZ (`az.from_cmdstan`), `posterior`
/// and `cmdstanr` read them as they read Stan's: `#` comment lines of `key = value` settings, a header of
/// parameter names, then one row per kept draw.
///
/// Stan's sampler diagnostics (`lp__`, `accept_stat__`, …) are not written: an unadjusted sampler has no
/// acceptance statistic or tree depth, and the readers accept files without them.
public enum CmdStanCSV {
    /// The file of chain `chain` (1-based) for the path a user gave: `out.csv` → `out_1.csv` (CmdStan's
    /// numbering of per-chain outputs).
    public static func chainPath(_ path: String, chain: Int) -> String {
        let base = path.hasSuffix(".csv") ? String(path.dropLast(4)) : path
        return "\(base)_\(chain).csv"
    }

    /// Writes one chain atomically: `settings` as comment lines (in the given order), the header `names`, and
    /// `count` rows of `names.count` values read from `row(t)` (the shortest text that reads back to the same
    /// `Double`).
    public static func write(to path: String, names: [String], settings: [(String, String)], count: Int,
                             row: (Int) -> UnsafePointer<Double>) throws(OutputFileError) {
        try AtomicFile.write(to: path) { sink in
            var text = ""
            for (key, value) in settings { text += "# \(key) = \(value)\n" }
            text += names.map(quoted).joined(separator: ",") + "\n"
            func flush() { text.withUTF8 { sink.append(UnsafeRawBufferPointer($0)) }; text = "" }
            for t in 0..<count {
                let values = row(t)
                for j in names.indices {
                    if j > 0 { text += "," }
                    text += "\(values[j])"
                }
                text += "\n"
                if text.utf8.count > 1 << 16 { flush() }
            }
            flush()
        }
    }

    /// A header cell: names with a comma or quote are quoted (CSV), others as they are.
    static func quoted(_ name: String) -> String {
        name.contains(",") || name.contains("\"") ? "\"" + name.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : name
    }
}
