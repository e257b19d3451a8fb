import Foundation

/// Gauss–Legendre quadrature on `[0, 1]`: `∫₀¹ φ(a) da ≈ Σ wᵢ φ(aᵢ)`, exact for polynomials of degree
/// below `2n`. Nodes by Newton's method on the Legendre polynomial `Pₙ` (three-term recurrence) from the
/// Tricomi starting values `cos(π(k - ¼)/(n + ½))`, weights `2/((1 - x²) Pₙ'(x)²)`, both mapped from
/// `[-1, 1]`; the iteration converges quadratically and cannot fail.
public struct GaussLegendre: Sendable {
    /// Nodes in `(0, 1)`, ascending.
    public let nodes: [Double]
    /// Weights, summing to 1.
    public let weights: [Double]

    /// The `n`-point rule (`n ≥ 1`).
    public init(points n: Int) {
        precondition(n >= 1, "a quadrature rule needs at least one point")
        var nodes = [Double](), weights = [Double]()
        for k in 1...n {
            var x = cos(Double.pi * (Double(k) - 0.25) / (Double(n) + 0.5))
            var derivative = 1.0
            for _ in 0..<100 {
                // Pₙ(x) and Pₙ'(x) by the recurrence (j+1) P_{j+1} = (2j+1) x P_j - j P_{j-1}.
                var (p0, p1) = (1.0, x)
                for j in 1..<max(n, 1) { (p0, p1) = (p1, ((2 * Double(j) + 1) * x * p1 - Double(j) * p0) / Double(j + 1)) }
                let pn = n == 1 ? x : p1, pnm1 = n == 1 ? 1.0 : p0
                derivative = Double(n) * (x * pn - pnm1) / (x * x - 1)
                let step = pn / derivative
                x -= step
                if abs(step) <= 1e-16 { break }
            }
            nodes.append(0.5 * (1 - x))
            weights.append(1 / ((1 - x * x) * derivative * derivative))
        }
        self.nodes = nodes
        self.weights = weights
    }
}
