import MidpointLinearAlgebra
import MidpointRandom

/// Sliced 2-Wasserstein distance between two samples of equal size:
/// `SW₂² = E_θ W₂²(θᵀX, θᵀY)` over uniformly random unit directions `θ`, each 1-D distance from
/// sorted projections (`W₂² = (1/N) Σᵢ (x₍ᵢ₎ - y₍ᵢ₎)²`).
///
/// The directions come from Philox under `seed`, so the same seed gives the same directions for every
/// sampler compared. Projections are one GEMM.
public enum SlicedWasserstein {
    /// `SW₂` over `projections` directions.
    public static func distance(_ x: Matrix, _ y: Matrix, projections: Int = 128, seed: UInt64 = 0x5157) -> Double {
        precondition(x.rows == y.rows && x.columns == y.columns && x.rows > 0, "samples must have equal shapes")
        let (n, d) = (x.rows, x.columns)
        var directions = Matrix(rows: d, columns: projections)
        // Column k is direction k: normals down the column, then normalized.
        var normals = Matrix(rows: projections, columns: d)
        NoiseSource(seed: seed).fillNormal(&normals, step: 0, slot: 0)
        for k in 0..<projections {
            let norm = normals.row(k).reduce(0) { $0 + $1 * $1 }.squareRoot()
            for j in 0..<d { directions[j, k] = normals[k, j] / norm }
        }
        let px = x.multiplied(by: directions), py = y.multiplied(by: directions)
        var total = 0.0
        var a = [Double](repeating: 0, count: n), b = a
        for k in 0..<projections {
            for i in 0..<n { a[i] = px[i, k]; b[i] = py[i, k] }
            a.sort(); b.sort()
            var s = 0.0
            for i in 0..<n { s += (a[i] - b[i]) * (a[i] - b[i]) }
            total += s / Double(n)
        }
        return (total / Double(projections)).squareRoot()
    }
}
