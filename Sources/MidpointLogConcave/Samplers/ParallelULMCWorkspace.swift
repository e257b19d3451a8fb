import MidpointLinearAlgebra

/// The buffers of one ``ParallelRandomizedMidpointULMCSampler`` step for `C` chains of dimension `d`
/// with `R` strata, allocated once per run (``ChainWorkspace/parallel(strata:)``) so a step allocates
/// nothing. Blocks of `C` rows are indexed by stratum: row `k·C + i` is chain `i`'s stratum `k`.
public final class ParallelULMCWorkspace {
    /// Chains `C`.
    public let chains: Int
    /// Coordinates per chain `d`.
    public let dimension: Int
    /// Strata (midpoints) per step `R`.
    public let strata: Int
    /// The uniforms `uᵢ` placing each stratum's midpoint (`C × R`).
    public let uniforms: MatrixBuffer
    /// The midpoint times `tᵢ = (i + uᵢ) h/R` (`C × R`).
    public let times: MatrixBuffer
    /// The standard normals `z₀ … z_{R+1}`, one block of `C` rows each (`(R+2)C × d`).
    public let normals: MatrixBuffer
    /// Each chain's lower Cholesky factor of the `(R+2)×(R+2)` noise covariance, row-major (`C × (R+2)²`).
    public let factors: MatrixBuffer
    /// The correlated noises `N₀ … N_{R-1}, N_x, N_v`, one block of `C` rows each (`(R+2)C × d`).
    public let noise: MatrixBuffer
    /// The midpoints' fixed part `x + ψ₁(tᵢ) v - ψ₂(tᵢ) g₀ + Nᵢ` (`RC × d`).
    public let base: MatrixBuffer
    /// The Picard weights `(h/R) ψ₁(tₖ - tₘ)`, `m < k`, per chain (`C × R²`).
    public let weights: MatrixBuffer
    /// The midpoints `yᵢ` of the current Picard round (`RC × d`).
    public let midpoints: MatrixBuffer
    /// `∇f` at the midpoints (`RC × d`).
    public let gradients: MatrixBuffer
    /// One chain's end-of-step weights `(h/R) ψ₁(h - tᵢ)` and `(h/R) ψ₀(h - tᵢ)` (`1 × R` each).
    public let positionWeights: MatrixBuffer, velocityWeights: MatrixBuffer

    /// The buffers for `chains × dimension` chains and `strata` midpoints per step.
    public init(chains c: Int, dimension d: Int, strata r: Int) {
        precondition(c >= 0 && d >= 0 && r >= 1, "need chains, dimension ≥ 0 and strata ≥ 1")
        (chains, dimension, strata) = (c, d, r)
        let n = r + 2
        uniforms = MatrixBuffer(rows: c, columns: r)
        times = MatrixBuffer(rows: c, columns: r)
        normals = MatrixBuffer(rows: n * c, columns: d)
        factors = MatrixBuffer(rows: c, columns: n * n)
        noise = MatrixBuffer(rows: n * c, columns: d)
        base = MatrixBuffer(rows: r * c, columns: d)
        weights = MatrixBuffer(rows: c, columns: r * r)
        midpoints = MatrixBuffer(rows: r * c, columns: d)
        gradients = MatrixBuffer(rows: r * c, columns: d)
        positionWeights = MatrixBuffer(rows: 1, columns: r)
        velocityWeights = MatrixBuffer(rows: 1, columns: r)
    }
}
