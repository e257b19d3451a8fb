import MidpointLinearAlgebra

/// Gauss–Legendre quadrature on `[0, 1]`: `∫₀¹ φ(a) da ≈ Σ wᵢ φ(aᵢ)`, exact for polynomials of degree
/// below `2n`. Nodes and weights by Golub–Welsch: the eigenvalues of the Jacobi matrix of the Legendre
/// recurrence, and the squared first components of its eigenvectors.
public struct GaussLegendre: Sendable {
    /// Nodes in `(0, 1)`, ascending.
    public let nodes: [Double]
    /// Weights, summing to 1.
    public let weights: [Double]

    /// The `n`-point rule (`n ≥ 1`).
    public init(points n: Int) {
        precondition(n >= 1, "a quadrature rule needs at least one point")
        var jacobi = Matrix(rows: n, columns: n)
        for k in 1..<max(n, 1) {
            let b = Double(k) / (4 * Double(k * k) - 1).squareRoot()
            jacobi[k - 1, k] = b
            jacobi[k, k - 1] = b
        }
        // The Jacobi matrix is symmetric and finite: the decomposition cannot fail.
        let eigen = try! SymmetricEigen(jacobi)
        nodes = eigen.values.map { 0.5 * ($0 + 1) }
        weights = (0..<n).map { eigen.vectors[0, $0] * eigen.vectors[0, $0] }
    }
}
