import Midpoint

extension MetricValue {
    /// The metric's row in a `metric | value | noise floor` table; a clipped estimate is printed as
    /// `0 (clipped)`: below the statistic's resolution, not an exact match.
    var cells: [Table.Value] {
        func cell(_ x: Double, _ clipped: Bool) -> Table.Value { clipped ? .text("0 (clipped)") : .number(x) }
        return [.text(name), cell(value, valueClipped), cell(floor, floorClipped)]
    }
}
