import MidpointLangevin
import MidpointLinearAlgebra

/// Work buffers of a ``LangevinCorrector``, allocated once per run: the velocity and the step's normals,
/// force (the score, filled by the evaluator) and midpoint (``LangevinWorkspace``).
final class LangevinBuffers {
    /// The velocity `v` of every particle.
    let v: MatrixBuffer
    /// The normals, the force and the midpoint state.
    let work: LangevinWorkspace

    /// Buffers for `rows × columns` batches.
    init(rows: Int, columns: Int) {
        v = MatrixBuffer(rows: rows, columns: columns)
        work = LangevinWorkspace(rows: rows, columns: columns)
    }
}
