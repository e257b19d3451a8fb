/// The priors of a ``RegressionModel``, one per block of parameters.
///
/// They apply to the sampled parameters: each coefficient on the transformed scale
/// (``PredictorTransform``) and the intercept at the transformed predictors (the predictor means under
/// `center` and `standardize`, brms's convention).
public struct RegressionPriors: Sendable, Equatable {
    /// The prior of every coefficient.
    public var coefficients: RegressionPrior
    /// The prior of the intercept (ignored without one).
    public var intercept: RegressionPrior
    /// The prior of the residual scale `σ` (gaussian family only), a density on `σ > 0`.
    public var sigma: RegressionPrior

    /// Priors given block by block.
    public init(coefficients: RegressionPrior, intercept: RegressionPrior, sigma: RegressionPrior) {
        (self.coefficients, self.intercept, self.sigma) = (coefficients, intercept, sigma)
    }

    /// Defaults in the manner of brms (simplified: brms also rounds, and shifts for log links and offsets)
    /// for `family` and response `y`: flat coefficients; intercept `student_t(3, m, s)` and
    /// sigma `half_student_t(3, s)` with, for the gaussian family, `m = median(y)` and
    /// `s = max(2.5, mad(y))` (`mad = 1.4826 · median|y − median(y)|`), otherwise `m = 0`, `s = 2.5`.
    public static func defaults(family: RegressionFamily, response y: [Double]) -> RegressionPriors {
        var (location, scale) = (0.0, 2.5)
        if family == .gaussian, !y.isEmpty {
            let m = median(y)
            location = m
            scale = max(2.5, 1.4826 * median(y.map { abs($0 - m) }))
        }
        return RegressionPriors(coefficients: .flat, intercept: .studentT(degrees: 3, location: location, scale: scale),
                                sigma: .studentT(degrees: 3, location: 0, scale: scale))
    }

    /// The median (mean of the two middle values for an even count).
    static func median(_ values: [Double]) -> Double {
        let s = values.sorted()
        let n = s.count
        return n % 2 == 1 ? s[n / 2] : 0.5 * (s[n / 2 - 1] + s[n / 2])
    }
}
