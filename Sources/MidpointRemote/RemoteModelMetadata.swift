import MidpointScoreModels

/// A model's inputs and outputs as the server describes them (`GET /v2/models/{name}`, or gRPC
/// `ModelMetadata`): each tensor's name, datatype and shape, `-1` for a free (batch) dimension.
public struct RemoteModelMetadata: Sendable, Equatable {
    /// One described tensor.
    public struct Tensor: Sendable, Equatable {
        /// Its name.
        public let name: String
        /// Its datatype (`FP32`, `FP64`, …).
        public let datatype: String
        /// Its shape, `-1` for a free dimension.
        public let shape: [Int]

        /// A tensor description.
        public init(name: String, datatype: String, shape: [Int]) {
            self.name = name
            self.datatype = datatype
            self.shape = shape
        }
    }

    /// The inputs (empty when the server does not describe them).
    public let inputs: [Tensor]
    /// The outputs (empty when the server does not describe them).
    public let outputs: [Tensor]

    /// Metadata with these tensors.
    public init(inputs: [Tensor], outputs: [Tensor]) {
        self.inputs = inputs
        self.outputs = outputs
    }

    /// Refuses a card that the server's description contradicts: a missing tensor name, another dtype,
    /// or a per-sample shape that differs. A server that describes no tensors (MLServer's custom
    /// runtimes unless their settings declare them) cannot be checked here; wrong answers are then
    /// caught per request (count, dtype, finiteness).
    ///
    /// - Returns: the shapes requests must give the per-row inputs: `[N, 1]` for each the server lists
    ///   as `[-1, 1]` (a Triton model with batching), `[N]` otherwise.
    @discardableResult
    public func check(_ card: ModelCard, url: String) throws(RemoteModelError) -> RowInputShapes {
        if !inputs.isEmpty {
            try Self.check(inputs, name: card.sampleTensor, role: "sample input", dtype: card.dtype,
                           perRow: card.sampleShape, url: url)
            try Self.check(inputs, name: card.timeTensor, role: "time input", dtype: card.dtype, perRow: [], url: url)
            if let classInput = card.classInput {
                try Self.check(inputs, name: classInput.tensor, role: "class-label input", dtype: "INT64", perRow: [], url: url)
            }
        }
        if !outputs.isEmpty {
            try Self.check(outputs, name: card.outputTensor, role: "output", dtype: card.dtype,
                           perRow: card.sampleShape, url: url)
        }
        func isColumn(_ name: String?) -> Bool {
            inputs.first(where: { $0.name == name }).map { $0.shape.count == 2 && $0.shape[1] == 1 } ?? false
        }
        return RowInputShapes(timeAsColumn: isColumn(card.timeTensor), labelAsColumn: isColumn(card.classInput?.tensor))
    }

    static func check(_ tensors: [Tensor], name: String, role: String, dtype: String, perRow: [Int],
                      url: String) throws(RemoteModelError) {
        guard let tensor = tensors.first(where: { $0.name == name }) else {
            throw .cardMismatch(url: url, reason: "the card's \(role) \"\(name)\" is not among the server's (\(tensors.map(\.name).joined(separator: ", ")))")
        }
        guard tensor.datatype == dtype else {
            throw .cardMismatch(url: url, reason: "\(role) \"\(name)\" is \(tensor.datatype) on the server, \(dtype) in the card")
        }
        // The first dimension is the batch; a time input may be [-1] or [-1, 1].
        let rest = Array(tensor.shape.dropFirst())
        let matches = rest == perRow || (perRow.isEmpty && rest == [1]) || (rest.count == 1 && rest[0] == perRow.reduce(1, *))
        guard tensor.shape.first.map({ $0 == -1 || $0 > 0 }) ?? false, matches || rest.contains(-1) else {
            throw .cardMismatch(url: url, reason: "\(role) \"\(name)\" has shape \(tensor.shape) on the server; the card's sample shape needs [-1\(perRow.map { ", \($0)" }.joined())]")
        }
    }
}
