/// The allowed step sizes and frictions of the log-concave samplers: one source for the library's
/// validation and the CLI's. Beyond them the coefficients (`e^{-γh}`, `⌈4/(√m h)⌉`, the noise covariance)
/// overflow, underflow to a zero step, or stop being meaningful.
public enum MCMCParameterRanges {
    /// Step sizes `h`.
    public static let stepSize: ClosedRange<Double> = 1e-12...1e3
    /// Frictions `γ`.
    public static let friction: ClosedRange<Double> = 1e-6...1e6
}
