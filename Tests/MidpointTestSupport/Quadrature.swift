/// Numerical integration for checking closed forms in tests.
public enum Quadrature {
    /// `∫₀ᵗ f` by composite 5-point Gauss–Legendre over `panels` equal panels: exact for polynomials of
    /// degree 9 on each panel, so for the smooth exponential integrands of the Langevin noise the error is
    /// far below 1e-12 relative with a few thousand panels.
    public static func gaussLegendre(_ f: (Double) -> Double, from0to t: Double, panels: Int = 4000) -> Double {
        var total = 0.0
        for (x, w) in gaussLegendreRule(from0to: t, panels: panels) { total += w * f(x) }
        return total
    }

    /// The nodes and weights of that composite rule on `[0, t]`, for integrands that are not a plain
    /// `(Double) -> Double` (matrix-valued ones, or ones set up once and reused).
    public static func gaussLegendreRule(from0to t: Double, panels: Int) -> [(node: Double, weight: Double)] {
        let nodes = [0.0, -0.5384693101056831, 0.5384693101056831, -0.9061798459386640, 0.9061798459386640]
        let weights = [0.5688888888888889, 0.4786286704993665, 0.4786286704993665, 0.2369268850561891, 0.2369268850561891]
        let w = t / Double(panels)
        var rule: [(node: Double, weight: Double)] = []
        rule.reserveCapacity(5 * panels)
        for p in 0..<panels {
            let mid = (Double(p) + 0.5) * w
            for (x, c) in zip(nodes, weights) { rule.append((mid + 0.5 * w * x, c * 0.5 * w)) }
        }
        return rule
    }
}
