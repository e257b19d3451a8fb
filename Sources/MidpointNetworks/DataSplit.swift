import MidpointFormats
import MidpointLinearAlgebra

/// A dataset in a model's coordinates, split as the model's training split it: rows whose index is a
/// multiple of `holdout_every` are held out, the rest were trained on.
public struct DataSplit: Sendable {
    /// The rows the model was trained on.
    public let train: Matrix
    /// The held-out rows (empty when the model's metadata names no split).
    public let heldOut: Matrix

    /// Reads a CSV with a header row, keeps the columns not in `ignoring`, maps values to model
    /// coordinates with the metadata's `data_scale` and `data_shift` (default 1 and 0) and splits by
    /// its `holdout_every`.
    ///
    /// - Throws: ``NetworkError/data(path:reason:)`` when the file cannot be read, a value is not a
    ///   number, or the column count differs from the model's `dimension`.
    public init(csv path: String, ignoring: Set<String> = [], metadata: [String: String]) throws(NetworkError) {
        let table: Table
        switch Result(catching: { () throws(TableError) in try Table.readCSV(contentsOf: path) }) {
        case .success(let t): table = t
        case .failure(let error): throw .data(path: path, reason: error.description)
        }
        let columns = table.columns.filter { !ignoring.contains($0) }
        let numeric: (rows: Int, values: [Double])
        switch Result(catching: { () throws(TableError) in try table.numericColumns(columns) }) {
        case .success(let n): numeric = n
        case .failure(let error): throw .data(path: path, reason: error.description)
        }
        if let d = metadata["dimension"].flatMap(Int.init), d != columns.count {
            throw .data(path: path, reason: "\(columns.count) data columns, the model has dimension \(d)")
        }
        let scale = metadata["data_scale"].flatMap(Double.init) ?? 1
        let shift = metadata["data_shift"].flatMap(Double.init) ?? 0
        let every = metadata["holdout_every"].flatMap(Int.init) ?? 0
        var train: [Double] = [], held: [Double] = []
        let d = columns.count
        for i in 0..<numeric.rows {
            let row = numeric.values[(i * d)..<((i + 1) * d)].map { $0 * scale + shift }
            if every > 0 && i % every == 0 { held += row } else { train += row }
        }
        self.train = Matrix(rows: train.count / max(d, 1), columns: d, storage: train)
        self.heldOut = Matrix(rows: held.count / max(d, 1), columns: d, storage: held)
    }
}
