/// Central finite differences, for checking analytic gradients in tests.
public enum FiniteDifference {
    /// `∇f(x)` by fourth-order central differences with step `h` per coordinate.
    public static func gradient(of f: ([Double]) -> Double, at x: [Double], step h: Double) -> [Double] {
        var g = [Double](repeating: 0, count: x.count)
        var y = x
        for j in x.indices {
            func at(_ k: Double) -> Double { y[j] = x[j] + k * h; defer { y[j] = x[j] }; return f(y) }
            g[j] = (-at(2) + 8 * at(1) - 8 * at(-1) + at(-2)) / (12 * h)
        }
        return g
    }
}
