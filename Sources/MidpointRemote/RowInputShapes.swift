/// How a request shapes the inputs that hold one value per row (the time, and the class label of a
/// conditional model): `[N]`, as ONNX graphs and MLServer declare them, or `[N, 1]`, as a Triton model with
/// `max_batch_size > 0` must declare them (its `dims` cannot be empty, so a per-row scalar is `dims: [1]`,
/// listed as `[-1, 1]` in the metadata, and Triton refuses a request of shape `[N]`).
///
/// Decided once per connection from the server's metadata (``RemoteModelMetadata/check(_:url:)``); a
/// server that describes no tensors gets `[N]`.
public struct RowInputShapes: Sendable, Equatable {
    /// Whether the time input is sent as `[N, 1]`.
    public var timeAsColumn: Bool
    /// Whether the class-label input is sent as `[N, 1]`.
    public var labelAsColumn: Bool

    /// Both inputs as `[N]`.
    public static let vectors = RowInputShapes(timeAsColumn: false, labelAsColumn: false)

    /// These shapes.
    public init(timeAsColumn: Bool, labelAsColumn: Bool) {
        self.timeAsColumn = timeAsColumn
        self.labelAsColumn = labelAsColumn
    }

    /// The time input's shape for `rows` rows.
    public func time(rows: Int) -> [Int] { timeAsColumn ? [rows, 1] : [rows] }
    /// The class-label input's shape for `rows` rows.
    public func label(rows: Int) -> [Int] { labelAsColumn ? [rows, 1] : [rows] }
}
