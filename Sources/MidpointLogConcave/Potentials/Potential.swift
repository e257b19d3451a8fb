import MidpointLinearAlgebra

/// A target `π ∝ e^{-f}` on `ℝᵈ` given by its potential `f` and gradient `∇f`, evaluated for a batch
/// of chains at once (rows of an `N × d` matrix).
///
/// Samplers use the force `g = -∇f`. `smoothness` (`L`, the Lipschitz constant of `∇f`) and
/// `strongConvexity` (`m`) set default step sizes and frictions when they are known; they are
/// bounds, not estimates.
public protocol Potential: Sendable {
    /// The dimension `d`.
    var dimension: Int { get }
    /// One name per coordinate, for summary tables.
    var parameterNames: [String] { get }
    /// One line saying what the target is.
    var summary: String { get }
    /// An upper bound on the Lipschitz constant `L` of `∇f`, if known.
    var smoothness: Double? { get }
    /// A lower bound on the strong-convexity constant `m` of `f`, if known.
    var strongConvexity: Double? { get }
    /// Writes `∇f(xᵢ)` for every row `xᵢ` of `x` to the same row of `gradients` and, when `values`
    /// is not nil, `f(xᵢ)` (up to an additive constant) to `values[i]`. Rows must not depend on
    /// each other, so any split of the batch gives the same numbers.
    func evaluate(x: MatrixView, gradients: MutableMatrixView, values: UnsafeMutablePointer<Double>?)
}

/// A potential whose law has known mean and covariance (Gaussians), for exact error measures.
public protocol ExactMomentsPotential: Potential {
    /// The mean of `π`.
    var mean: [Double] { get }
    /// The covariance of `π`.
    var covariance: Matrix { get }
}
