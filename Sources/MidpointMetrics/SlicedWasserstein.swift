import MidpointLinearAlgebra
import MidpointRandom

/// Sliced 2-Wasserstein distance between two samples of equal size:
/// `SW₂² = E_θ W₂²(θᵀX, θᵀY)` over uniformly random unit directions `θ`, each 1-D distance from
/// sorted projections (`W₂² = (1/N) Σᵢ (x₍ᵢ₎ - y₍ᵢ₎)²`).
///
/// The directions come from Philox under `seed`, so the same seed gives the same directions for every
/// sampler compared. Projections are GEMMs over blocks of ``directionBlock`` directions, so a large
/// sample holds `2 · N · directionBlock` projections at a time, not `2 · N · projections`.
public enum SlicedWasserstein {
    /// Directions projected per GEMM.
    public static let directionBlock = 16

    /// The most rows of each sample used unless told otherwise: each direction sorts them, so 128
    /// directions over 5·10⁶ rows would take minutes while 2.5·10⁵ rows resolve it to ~0.3% already.
    public static let defaultMaxRows = 250_000

    /// `SW₂` over `projections` directions, on the first `maxRows` rows of each sample.
    public static func distance(_ x: Matrix, _ y: Matrix, projections: Int = 128, seed: UInt64 = 0x5157,
                                maxRows: Int = defaultMaxRows) -> Double {
        precondition(x.rows == y.rows && x.columns == y.columns && x.rows > 0, "samples must have equal shapes")
        let (x, y) = (PairwiseDistances.prefix(x, maxRows), PairwiseDistances.prefix(y, maxRows))
        let (n, d) = (x.rows, x.columns)
        // Row k is direction k: normals, then normalized.
        var normals = Matrix(rows: projections, columns: d)
        NoiseSource(seed: seed).fillNormal(&normals, step: 0, slot: 0)
        var total = 0.0
        var a = [Double](repeating: 0, count: n), b = a
        for first in stride(from: 0, to: projections, by: directionBlock) {
            let width = min(directionBlock, projections - first)
            // Column k of the block is direction first + k.
            var directions = Matrix(rows: d, columns: width)
            for k in 0..<width {
                let norm = normals.row(first + k).reduce(0) { $0 + $1 * $1 }.squareRoot()
                for j in 0..<d { directions[j, k] = normals[first + k, j] / norm }
            }
            let px = x.multiplied(by: directions), py = y.multiplied(by: directions)
            for k in 0..<width {
                for i in 0..<n { a[i] = px[i, k]; b[i] = py[i, k] }
                a.sort(); b.sort()
                var s = 0.0
                for i in 0..<n { s += (a[i] - b[i]) * (a[i] - b[i]) }
                total += s / Double(n)
            }
        }
        return (total / Double(projections)).squareRoot()
    }
}
