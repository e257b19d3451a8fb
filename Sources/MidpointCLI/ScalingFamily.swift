import ArgumentParser

/// `scaling --family`: the family of targets whose cost is measured against the dimension.
enum ScalingFamily: String, CaseIterable, ExpressibleByArgument {
    /// `N(0, diag(λ))`, λ log-spaced in [0.1, 1].
    case product
    /// Every coordinate `0.4 N(-2, 0.3) + 0.6 N(1.5, 0.15)`, independent.
    case mixture
}
