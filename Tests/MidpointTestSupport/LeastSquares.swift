/// Least-squares fits for tests that measure rates (convergence orders, contraction factors).
public enum LeastSquares {
    /// The least-squares slope of `ys` against `xs`.
    public static func slope(_ xs: [Double], _ ys: [Double]) -> Double {
        precondition(xs.count == ys.count && xs.count >= 2, "need at least two points")
        let mx = xs.reduce(0, +) / Double(xs.count), my = ys.reduce(0, +) / Double(ys.count)
        return zip(xs, ys).reduce(0) { $0 + ($1.0 - mx) * ($1.1 - my) } / xs.reduce(0) { $0 + ($1 - mx) * ($1 - mx) }
    }
}
