/// The allowed step sizes and frictions of the log-concave samplers: one source for the library's
/// validation and the CLI's. Beyond them the coefficients (`e^{-γh}`, `⌈4/(√m h)⌉`, the noise covariance)
/// overflow, underflow to a zero step, or stop being meaningful.
public enum MCMCParameterRanges {
    /// Step sizes `h`.
    public static let stepSize: ClosedRange<Double> = 1e-12...1e3
    /// Frictions `γ`.
    public static let friction: ClosedRange<Double> = 1e-6...1e6
    /// `rm-ulmc-pc`: predictor steps per correction (a correction every million steps is none).
    public static let correctorWindow = 1...1_000_000
    /// `rm-ulmc-pc`: ULMC steps per correction (each costs a gradient per chain).
    public static let correctorSteps = 1...1000
    /// `rm-ulmc-parallel`: stratified midpoints per step (each a gradient per chain and round).
    public static let strata = 1...64
    /// `rm-ulmc-parallel`: Picard rounds per step.
    public static let rounds = 1...100
}
