import MidpointLinearAlgebra

/// A network called as its ``ModelCard`` says, seen as a ``ScoreModel``: each row is sent as
/// `x · networkSampleScale(τ)` with the time input `networkInput(τ)`, and each output coordinate is
/// converted to the OU-time score (``ModelCard/score(from:x:tau:)``). The network is any function of a
/// batch — an in-process model or a remote one.
public struct CardScoreModel: ScoreModel {
    /// Evaluates the raw network on `rows` samples (`rows × d`, in its own variables) with one time
    /// input per row, writing its raw outputs into `output`.
    public typealias Network = @Sendable (_ samples: MatrixView, _ times: UnsafeBufferPointer<Double>, _ output: MutableMatrixView) -> Void

    /// How to call the network.
    public let card: ModelCard
    /// The network.
    public let network: Network

    /// A score model from `network` called as `card` says.
    public init(card: ModelCard, network: @escaping Network) {
        self.card = card
        self.network = network
    }

    public var dimension: Int { card.dimension }

    public func score(times: UnsafeBufferPointer<Double>, x: MatrixView, into scores: MutableMatrixView) {
        let (rows, d) = (x.rows, x.columns)
        var input = [Double](repeating: 0, count: rows * d), t = [Double](repeating: 0, count: rows)
        for i in 0..<rows {
            let scale = card.networkSampleScale(tau: times[i])
            t[i] = card.networkInput(tau: times[i])
            for j in 0..<d { input[i * d + j] = scale * x[i, j] }
        }
        input.withUnsafeBufferPointer { ip in
            t.withUnsafeBufferPointer { tp in
                network(MatrixView(base: ip.baseAddress!, rows: rows, columns: d), tp, scores)
            }
        }
        for i in 0..<rows {
            for j in 0..<d { scores[i, j] = card.score(from: scores[i, j], x: x[i, j], tau: times[i]) }
        }
    }
}
