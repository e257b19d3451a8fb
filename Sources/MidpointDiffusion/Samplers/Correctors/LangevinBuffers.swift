import MidpointLangevin
import MidpointLinearAlgebra

/// Work buffers of a ``LangevinCorrector``: the velocity, the force (the score, filled by the
/// evaluator) and the step's normals and midpoint (``LangevinWorkspace``).
struct LangevinBuffers {
    var v: Matrix
    var force: Matrix
    var work: LangevinWorkspace

    init(rows: Int, columns: Int) {
        v = Matrix(rows: rows, columns: columns)
        force = v
        work = LangevinWorkspace(rows: rows, columns: columns)
    }

    /// Runs one Langevin update of `x` (and `v`) with the force in ``force`` (the score: sign +1).
    mutating func step<R>(_ x: inout Matrix, _ update: (LangevinWorkspace.Pointers) -> R) -> R {
        work.withPointers(x: &x, v: &v, force: force, update)
    }
}
