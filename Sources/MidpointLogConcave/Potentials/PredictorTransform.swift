/// How a ``RegressionModel`` transforms its predictors before sampling (as brms centers them).
///
/// The coefficients are sampled on the transformed scale and reported on the original one
/// (``RegressionModel/report(_:into:)``). Centering decorrelates the intercept from the coefficients;
/// standardizing also equalizes their scales, which is what makes `normal(0, 2.5)` on every coefficient a
/// sensible weakly informative prior (rstanarm's autoscaling).
public enum PredictorTransform: String, Sendable, CaseIterable {
    /// `Z = X`: the intercept is the linear predictor at `X = 0`.
    case none
    /// `Z = X − mean(X)` per column: the sampled intercept is the linear predictor at the predictor means.
    case center
    /// `Z = (X − mean(X)) / sd(X)` per column (sd with divisor `n − 1`): coefficients per sd of the predictor.
    case standardize
}
