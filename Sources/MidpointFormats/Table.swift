import Foundation

/// A table of results: named columns and rows of numbers or text, rendered as CSV, JSON or aligned
/// text for a terminal. Also parses CSV (RFC 4180 quoting) for datasets.
public struct Table: Sendable, Equatable {
    /// One cell.
    public enum Value: Sendable, Equatable, CustomStringConvertible {
        /// An integer (counts: NFE, rounds, particles).
        case integer(Int)
        /// A real number.
        case number(Double)
        /// Free text (sampler names, units).
        case text(String)

        public var description: String {
            switch self {
            case let .integer(i): String(i)
            case let .number(x): Table.format(x)
            case let .text(s): s
            }
        }
    }

    /// Column names, in order.
    public var columns: [String]
    /// Rows; each has one value per column.
    public var rows: [[Value]]

    /// A table with `columns` and no rows yet.
    public init(columns: [String], rows: [[Value]] = []) {
        self.columns = columns
        self.rows = rows
    }

    /// Appends a row. - Precondition: it has one value per column.
    public mutating func append(_ row: [Value]) {
        precondition(row.count == columns.count, "row has \(row.count) values for \(columns.count) columns")
        rows.append(row)
    }

    /// Shortest round-tripping decimal for finite numbers; `nan`, `inf`, `-inf` otherwise.
    static func format(_ x: Double) -> String {
        if x.isNaN { return "nan" }
        if x.isInfinite { return x > 0 ? "inf" : "-inf" }
        return "\(x)"
    }

    /// RFC 4180 CSV with a header line; fields with commas, quotes or newlines are quoted.
    public func csv() -> String {
        func field(_ s: String) -> String {
            s.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" })
                ? "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : s
        }
        var out = columns.map(field).joined(separator: ",") + "\n"
        for row in rows { out += row.map { field($0.description) }.joined(separator: ",") + "\n" }
        return out
    }

    /// A JSON array of objects, one per row, keyed by column name. Non-finite numbers become `null`.
    public func json() -> String {
        func string(_ s: String) -> String {
            var out = "\""
            for u in s.unicodeScalars {
                switch u {
                case "\"": out += "\\\""
                case "\\": out += "\\\\"
                case "\n": out += "\\n"
                case "\r": out += "\\r"
                case "\t": out += "\\t"
                default:
                    if u.value < 0x20 { out += String(format: "\\u%04x", u.value) } else { out.unicodeScalars.append(u) }
                }
            }
            return out + "\""
        }
        let objects = rows.map { row in
            "  {" + zip(columns, row).map { name, value in
                let v: String
                switch value {
                case let .integer(i): v = String(i)
                case let .number(x): v = x.isFinite ? Table.format(x) : "null"
                case let .text(s): v = string(s)
                }
                return string(name) + ": " + v
            }.joined(separator: ", ") + "}"
        }
        return "[\n" + objects.joined(separator: ",\n") + "\n]\n"
    }

    /// Aligned columns for a terminal; numbers printed with `digits` significant digits.
    public func formatted(digits: Int = 4) -> String {
        let cells = rows.map { row in
            row.map { value -> String in
                if case let .number(x) = value, x.isFinite { return String(format: "%.\(digits)g", x) }
                return value.description
            }
        }
        var widths = columns.map(\.count)
        for row in cells { for (j, c) in row.enumerated() { widths[j] = max(widths[j], c.count) } }
        // Text columns align left, numeric columns right.
        let leftAligned = columns.indices.map { j in
            !rows.isEmpty && rows.allSatisfy { if case .text = $0[j] { true } else { false } }
        }
        func line(_ items: [String]) -> String {
            items.enumerated().map { j, s in
                let pad = String(repeating: " ", count: widths[j] - s.count)
                return leftAligned[j] ? s + pad : pad + s
            }.joined(separator: "  ").replacingOccurrences(of: "\\s+$", with: "", options: .regularExpression)
        }
        var out = line(columns) + "\n"
        for row in cells { out += line(row) + "\n" }
        return out
    }
}
