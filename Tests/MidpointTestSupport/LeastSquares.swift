import Foundation

/// Least-squares fits for tests that measure rates (convergence orders, contraction factors).
public enum LeastSquares {
    /// The least-squares slope of `ys` against `xs`.
    public static func slope(_ xs: [Double], _ ys: [Double]) -> Double {
        precondition(xs.count == ys.count && xs.count >= 2, "need at least two points")
        let mx = xs.reduce(0, +) / Double(xs.count), my = ys.reduce(0, +) / Double(ys.count)
        return zip(xs, ys).reduce(0) { $0 + ($1.0 - mx) * ($1.1 - my) } / xs.reduce(0) { $0 + ($1 - mx) * ($1 - mx) }
    }

    /// The least-squares slope of `log ys` against `log xs`: the power `p` of `y ∝ xᵖ` (an order of
    /// convergence when `xs` are step sizes and `ys` errors).
    /// - Precondition: every `x` and `y` is > 0.
    public static func logLogSlope(_ xs: [Double], _ ys: [Double]) -> Double {
        precondition(xs.allSatisfy { $0 > 0 } && ys.allSatisfy { $0 > 0 }, "log-log fit needs positive values")
        return slope(xs.map { log($0) }, ys.map { log($0) })
    }
}
