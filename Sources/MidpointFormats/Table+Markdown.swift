extension Table {
    /// A GitHub-flavoured Markdown table: a header row, a `|---|` rule and one line per row (cells as
    /// their text; a `|` in a cell is escaped).
    public func markdown() -> String {
        func line(_ items: [String]) -> String {
            "| " + items.map { $0.replacingOccurrences(of: "|", with: "\\|") }.joined(separator: " | ") + " |\n"
        }
        var out = line(columns)
        out += "|" + String(repeating: "---|", count: columns.count) + "\n"
        for row in rows { out += line(row.map(\.description)) }
        return out
    }
}
