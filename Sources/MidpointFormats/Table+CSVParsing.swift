import Foundation

extension Table {
    /// Parses CSV text with a header line into a table of text cells (RFC 4180: fields may be quoted,
    /// quotes doubled inside quotes; `\n` or `\r\n` line ends; a final newline is optional).
    public static func parseCSV(_ text: String) throws(TableError) -> Table {
        var records: [[String]] = []
        var record: [String] = []
        var field = ""
        var inQuotes = false
        var line = 1
        var recordLine = 1
        var lines: [Int] = []
        var chars = Array(text.unicodeScalars)[...]
        while let c = chars.popFirst() {
            if inQuotes {
                if c == "\"" {
                    if chars.first == "\"" { field.unicodeScalars.append("\""); chars.removeFirst() } else { inQuotes = false }
                } else {
                    if c == "\n" { line += 1 }
                    field.unicodeScalars.append(c)
                }
                continue
            }
            switch c {
            case "\"" where field.isEmpty: inQuotes = true
            case ",": record.append(field); field = ""
            case "\r": if chars.first != "\n" { field.unicodeScalars.append(c) }
            case "\n":
                record.append(field); field = ""
                records.append(record); lines.append(recordLine)
                record = []
                line += 1
                recordLine = line
            default: field.unicodeScalars.append(c)
            }
        }
        if inQuotes { throw .unterminatedQuote(line: recordLine) }
        if !field.isEmpty || !record.isEmpty {
            record.append(field)
            records.append(record); lines.append(recordLine)
        }
        guard let header = records.first, !(header.count == 1 && header[0].isEmpty) else { throw .empty }
        var table = Table(columns: header)
        for (r, l) in zip(records.dropFirst(), lines.dropFirst()) {
            if r.count == 1 && r[0].isEmpty { continue }
            guard r.count == header.count else { throw .fieldCount(line: l, expected: header.count, actual: r.count) }
            table.rows.append(r.map { .text($0) })
        }
        return table
    }

    /// Reads and parses a CSV file.
    public static func readCSV(contentsOf path: String) throws(TableError) -> Table {
        let text: String
        do {
            guard let decoded = String(data: try InputFile.read(path), encoding: .utf8) else {
                throw InputFileError.unreadable(path: path, reason: "not UTF-8 text")
            }
            text = decoded
        } catch let error as InputFileError {
            throw .io(path: path, reason: error.description)
        } catch {
            throw .io(path: path, reason: "\(error)")
        }
        return try parseCSV(text)
    }

    /// The named columns as a row-major matrix of numbers (`rows × names.count`).
    /// - Throws: ``TableError/missingColumn(_:available:)`` or ``TableError/notANumber(line:column:value:)``
    ///   (line numbers count the header as line 1).
    public func numericColumns(_ names: [String]) throws(TableError) -> (rows: Int, values: [Double]) {
        var indices: [Int] = []
        for name in names {
            guard let j = columns.firstIndex(of: name) else { throw .missingColumn(name, available: columns) }
            indices.append(j)
        }
        var values: [Double] = []
        values.reserveCapacity(rows.count * names.count)
        for (i, row) in rows.enumerated() {
            for j in indices {
                let s = row[j].description.trimmingCharacters(in: .whitespaces)
                guard let x = Double(s), x.isFinite else {
                    throw .notANumber(line: i + 2, column: columns[j], value: s)
                }
                values.append(x)
            }
        }
        return (rows.count, values)
    }
}
