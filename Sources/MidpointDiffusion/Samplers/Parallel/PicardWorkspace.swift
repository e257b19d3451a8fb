import MidpointLinearAlgebra

/// The buffers of ``RandomizedMidpointParallelSampler``'s windows, reused while the window length stays
/// the same: the batch of states `[z₀ … zₙ₋₁ | w₀ … wₙ₋₁]` (stored as `x = α y`), their scores, the
/// running grid state `z'ⱼ` (in `y`) and the window's end state. Each is a ``MatrixBuffer``, so the
/// rebuild takes its pointers once and a round allocates nothing.
final class PicardWorkspace {
    /// The window's states, `2n` blocks of `p` rows.
    private(set) var batch = MatrixBuffer(rows: 0, columns: 0)
    /// The scores of ``batch``, row for row.
    private(set) var scores = MatrixBuffer(rows: 0, columns: 0)
    /// The running grid state `z'ⱼ` of every particle.
    private(set) var front = MatrixBuffer(rows: 0, columns: 0)
    /// The window's end state `αₙ z'ₙ`.
    private(set) var end = MatrixBuffer(rows: 0, columns: 0)

    /// Reallocates the buffers unless they already have this shape (fresh pages cost a fault and a
    /// zero fill each): `rows` states of `columns` coordinates, `particles` particles.
    func prepare(rows: Int, columns: Int, particles: Int) {
        if !batch.hasShape(rows: rows, columns: columns) {
            batch = MatrixBuffer(rows: rows, columns: columns)
            scores = MatrixBuffer(rows: rows, columns: columns)
        }
        if !front.hasShape(rows: particles, columns: columns) {
            front = MatrixBuffer(rows: particles, columns: columns)
            end = MatrixBuffer(rows: particles, columns: columns)
        }
    }

    /// Starts every state from DDIM's guess with `ε̂ ≈ x₀`: `zⱼ = y₀ + (ςⱼ - ς₀) x₀`,
    /// `wⱼ = y₀ + (ςⱼᵐ - ς₀) x₀`, stored as `α y`.
    func startFromDDIMGuess(_ x0: Matrix, _ w: PicardWindow) {
        let (n, p, d) = (w.steps, w.particles, x0.columns)
        let inverseAlpha0 = 1 / w.alpha[0]
        let b = batch.base
        x0.withView { x0 in
            let x = x0.base
            for j in 0..<n {
                for i in 0..<p {
                    let zGain = w.alpha[j] * (inverseAlpha0 + w.level[j] - w.level[0])
                    let wGain = w.midAlpha[j * p + i] * (inverseAlpha0 + w.midLevel[j * p + i] - w.level[0])
                    let (z, m) = ((j * p + i) * d, ((n + j) * p + i) * d)
                    for k in 0..<d {
                        b[z + k] = zGain * x[i * d + k]
                        b[m + k] = wGain * x[i * d + k]
                    }
                }
            }
        }
    }

    /// Rebuilds the window from the round's scores, front to back (`docs/algorithms.md` §8):
    /// `w'ⱼ = z'ⱼ + (ςⱼᵐ - ςⱼ)[Ezⱼ + J(ςⱼ)(z'ⱼ - zⱼ)]`, `z'ⱼ₊₁ = z'ⱼ + (ςⱼ₊₁ - ςⱼ)[Ewⱼ + J(ςⱼᵐ)(w'ⱼ - wⱼ)]`
    /// with `E = -σ s`. Returns the largest change of a grid state, `‖Δz‖/(√d ς)` per particle, and
    /// whether every new state is finite.
    func rebuild(_ x0: Matrix, _ w: PicardWindow) -> (change: Double, finite: Bool) {
        let (n, p, d) = (w.steps, w.particles, x0.columns)
        precondition(front.hasShape(rows: p, columns: d), "prepare(rows:columns:particles:) before a rebuild")
        let block = p * d
        var change = 0.0
        let inverseAlpha0 = 1 / w.alpha[0]
        let (b, s, z) = (batch.base, scores.base, front.base)
        x0.withView { x0 in
            let x = x0.base
            for e in 0..<block { z[e] = x[e] * inverseAlpha0 }  // z'₀ = y₀
            for j in 0..<n {
                let (zb, wb) = (j * block, (n + j) * block)
                let (alpha, inverseAlpha, sigma, jz) = (w.alpha[j], 1 / w.alpha[j], w.sigma[j], w.jacobian[j])
                let h = w.level[j + 1] - w.level[j]
                for i in 0..<p {
                    let m = j * p + i
                    let (alphaM, midSigma, jw) = (w.midAlpha[m], w.midSigma[m], w.midJacobian[m])
                    let offset = w.midLevel[m] - w.level[j]
                    var moved = 0.0
                    for e in (i * d)..<((i + 1) * d) {
                        let zNew = z[e], zOld = b[zb + e] * inverseAlpha
                        moved += (zNew - zOld) * (zNew - zOld)
                        b[zb + e] = alpha * zNew
                        let wOld = b[wb + e] / alphaM
                        let wNew = zNew + offset * (-sigma * s[zb + e] + jz * (zNew - zOld))
                        b[wb + e] = alphaM * wNew
                        z[e] = zNew + h * (-midSigma * s[wb + e] + jw * (wNew - wOld))
                    }
                    change = max(change, (moved / Double(d)).squareRoot() / w.level[j])
                }
            }
        }
        // end = αₙ z'ₙ, as `Matrix.assign(αₙ, z', plus: 0, z')` always computed it (the same bits).
        let (alphaN, e) = (w.alpha[n], end.base)
        for k in 0..<block { e[k] = alphaN * z[k] + 0 * z[k] }
        return (change, change.isFinite && end.isFinite)
    }
}
