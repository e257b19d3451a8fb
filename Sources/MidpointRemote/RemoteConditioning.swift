/// The class labels and guidance scale of a conditional served model (a card with a
/// ``ModelCard/ClassInput``).
///
/// Row `r` of a batch is particle `r mod labels.count`: every round of every sampler stacks whole blocks
/// of the run's particles in order (a Picard window stacks one block per sub-step). With guidance
/// `w ≠ 1` each request carries both halves — the rows with their labels and again with the null
/// label — and the output is `o_u + w (o_c - o_u)`; `w = 1` sends the conditional half alone, `w = 0`
/// the unconditional one.
///
/// Guidance applies in a limited interval (`docs/algorithms.md` §14, after Kynkäänniemi et al. 2024): rows
/// whose noise-to-signal ratio `σ/α` is at or above ``guidanceCeiling`` get the conditional output `o_c`
/// (`w = 1`), and a request whose rows all lie there sends the conditional half alone.
public struct RemoteConditioning: Sendable, Equatable {
    /// Each local particle's class label.
    public let labels: [Int64]
    /// The guidance scale `w` (diffusers' `guidance_scale`).
    public let guidance: Double
    /// The unconditional label.
    public let null: Int64
    /// The noise-to-signal ratio `σ/α` from which on guidance is off (`.infinity`: guidance everywhere, as
    /// diffusers' pipelines do).
    public let guidanceCeiling: Double

    /// The default ceiling, `σ/α = 10`: chosen by FD and class accuracy on the Fashion-MNIST UNet at 5, 10
    /// and 20 NFE (`docs/fashion/variants.md`, "Guidance interval").
    public static let defaultGuidanceCeiling = 10.0

    /// The allowed guidance scales.
    public static let guidanceRange = 0.0...100.0

    /// Conditioning with these labels, scale, null label and guidance ceiling.
    public init(labels: [Int64], guidance: Double, null: Int64, guidanceCeiling: Double = RemoteConditioning.defaultGuidanceCeiling) {
        precondition(guidanceCeiling > 0, "the guidance ceiling is a noise-to-signal ratio > 0")
        self.labels = labels
        self.guidance = guidance
        self.null = null
        self.guidanceCeiling = guidanceCeiling
    }

    /// Whether each request carries both halves.
    public var sendsBothHalves: Bool { guidance != 1 && guidance != 0 }

    /// Model rows per particle evaluation: 2 when both halves are sent.
    public var rowsPerEvaluation: Int { sendsBothHalves ? 2 : 1 }
}
