/// The single-step sampler ``ParaDiGMSSampler`` iterates (its `paradigms-base` setting).
public enum ParaDiGMSBase: String, Sendable, CaseIterable, Codable {
    /// DDIM (deterministic).
    case ddim
    /// DDPM ancestral sampling (its noise drawn up front).
    case ddpm

    /// The sampler whose steps are iterated.
    public var sampler: any SingleStepSampler {
        switch self {
        case .ddim: DDIMSampler()
        case .ddpm: DDPMSampler()
        }
    }
}
