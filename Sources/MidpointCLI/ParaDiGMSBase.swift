import ArgumentParser

/// `--paradigms-base`: the single-step sampler ParaDiGMS iterates.
enum ParaDiGMSBase: String, CaseIterable, ExpressibleByArgument {
    /// DDIM (deterministic).
    case ddim
    /// DDPM ancestral sampling (its noise drawn up front).
    case ddpm
}
