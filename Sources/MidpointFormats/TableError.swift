/// Why a CSV table could not be parsed. Messages name the line and column.
public enum TableError: Error, Equatable, CustomStringConvertible {
    /// The text has no header line.
    case empty
    /// A row has a different number of fields than the header.
    case fieldCount(line: Int, expected: Int, actual: Int)
    /// A quoted field is not closed before the end of the text.
    case unterminatedQuote(line: Int)
    /// A field that must be a number is not one.
    case notANumber(line: Int, column: String, value: String)
    /// A column named by the caller is absent.
    case missingColumn(String, available: [String])
    /// A read failed at the file-system level.
    case io(path: String, reason: String)

    public var description: String {
        switch self {
        case .empty: "the CSV text is empty: expected a header line"
        case let .fieldCount(line, expected, actual): "CSV line \(line) has \(actual) fields; the header has \(expected)"
        case let .unterminatedQuote(line): "CSV line \(line) opens a quoted field that is never closed"
        case let .notANumber(line, column, value):
            "CSV line \(line), column '\(column)': '\(value)' is not a finite number"
        case let .missingColumn(name, available):
            "CSV has no column '\(name)' (columns: \(available.joined(separator: ", ")))"
        case let .io(path, reason): "cannot access '\(path)': \(reason)"
        }
    }
}
