/// The class labels and guidance scale of a conditional served model (a card with a
/// ``ModelCard/ClassInput``).
///
/// Row `r` of a batch is particle `r mod labels.count`: every round of every sampler stacks whole blocks
/// of the run's particles in order (a Picard window stacks one block per sub-step). With guidance
/// `w ≠ 1` each request carries both halves — the rows with their labels and again with the null
/// label — and the output is `o_u + w (o_c - o_u)`; `w = 1` sends the conditional half alone, `w = 0`
/// the unconditional one.
public struct RemoteConditioning: Sendable, Equatable {
    /// Each local particle's class label.
    public let labels: [Int64]
    /// The guidance scale `w` (diffusers' `guidance_scale`).
    public let guidance: Double
    /// The unconditional label.
    public let null: Int64

    /// The allowed guidance scales.
    public static let guidanceRange = 0.0...100.0

    /// Conditioning with these labels, scale and null label.
    public init(labels: [Int64], guidance: Double, null: Int64) {
        self.labels = labels
        self.guidance = guidance
        self.null = null
    }

    /// Whether each request carries both halves.
    public var sendsBothHalves: Bool { guidance != 1 && guidance != 0 }

    /// Model rows per particle evaluation: 2 when both halves are sent.
    public var rowsPerEvaluation: Int { sendsBothHalves ? 2 : 1 }
}
