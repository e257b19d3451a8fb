import MidpointLinearAlgebra

/// The buffers of a batch of underdamped Langevin steps, allocated once and reused for every step, and
/// the integrators' update loops over them, so each sampler reads like its formula (`docs/algorithms.md`
/// §6).
///
/// A batch is `rows` particles × `columns` coordinates, row-major. The workspace holds the step's
/// standard normals `z₁, z₂, z₃`, a force buffer, and for the randomized midpoint the midpoint state,
/// the midpoint fractions `a` and their coefficients. The positions `x` and velocities `v` come from
/// the caller (a diffusion corrector's state, a chain state) as views. The *force* is what drives the
/// velocity: the score `s = ∇ log p` for diffusion, `-∇f` for a potential `f`; `forceSign` lets a caller
/// pass `∇f` itself (`-1`) without negating it first.
///
/// Every buffer is a ``MatrixBuffer``: its address is fixed for the workspace's lifetime, so the loops
/// take their pointers directly, and a step allocates nothing (the midpoint buffers are allocated once,
/// by ``init(rows:columns:midpoint:)`` or the first ``prepareMidpoint()``).
public final class LangevinWorkspace {
    /// Particles in a batch.
    public let rows: Int
    /// Coordinates per particle.
    public let columns: Int
    /// Normals `z₁`, `z₂` of the step's noise (both integrators).
    public let z1: MatrixBuffer, z2: MatrixBuffer
    /// The force at the point the caller last evaluated it (a score, or `∇f` with `forceSign = -1`),
    /// for callers that keep no force buffer of their own.
    public let force: MatrixBuffer
    /// Normals `z₃` (randomized midpoint only; empty until ``prepareMidpoint()``).
    public private(set) var z3: MatrixBuffer
    /// The randomized-midpoint state `x_mid` (empty until ``prepareMidpoint()``).
    public private(set) var mid: MatrixBuffer
    /// The midpoint fraction `a ∈ [0, 1]` of each particle, one per row (empty until ``prepareMidpoint()``).
    public private(set) var fractions: MatrixBuffer
    /// The randomized-midpoint coefficients of each particle, set from ``fractions`` by
    /// ``setMidpointSteps(friction:step:)`` (capacity reserved once: refilling allocates nothing).
    public private(set) var midpointSteps: [RandomizedMidpointULMCStep] = []

    /// A workspace for `rows × columns` batches; `midpoint` allocates the randomized-midpoint buffers too.
    public init(rows: Int, columns: Int, midpoint: Bool = false) {
        self.rows = rows
        self.columns = columns
        z1 = MatrixBuffer(rows: rows, columns: columns)
        z2 = MatrixBuffer(rows: rows, columns: columns)
        force = MatrixBuffer(rows: rows, columns: columns)
        let empty = MatrixBuffer(rows: 0, columns: 0)
        (z3, mid, fractions) = (empty, empty, empty)
        if midpoint { prepareMidpoint() }
    }

    /// Whether the randomized-midpoint buffers are allocated.
    public var hasMidpoint: Bool { fractions.rows == rows && rows > 0 }

    /// Allocates the randomized-midpoint buffers (`z₃`, `mid`, the fractions and coefficients), once.
    public func prepareMidpoint() {
        guard !hasMidpoint else { return }
        z3 = MatrixBuffer(rows: rows, columns: columns)
        mid = MatrixBuffer(rows: rows, columns: columns)
        fractions = MatrixBuffer(rows: rows, columns: 1)
        midpointSteps.reserveCapacity(rows)
    }

    /// Sets ``midpointSteps`` for friction `gamma` and step `h` from the fractions the caller drew into
    /// ``fractions``.
    public func setMidpointSteps(friction gamma: Double, step h: Double) {
        precondition(hasMidpoint, "prepareMidpoint() before a randomized-midpoint step")
        midpointSteps.removeAll(keepingCapacity: true)
        for i in 0..<rows { midpointSteps.append(RandomizedMidpointULMCStep(friction: gamma, step: h, midpoint: fractions.base[i])) }
    }

    /// Checks that a caller's batch has the workspace's shape.
    func check(_ x: MatrixView, _ v: MatrixView, _ force: MatrixView) {
        precondition(x.rows == rows && x.columns == columns && v.rows == rows && v.columns == columns
                     && force.rows == rows && force.columns == columns, "Langevin buffers must share one shape")
    }

    /// `x_mid = x + ψ₁(t) v + ψ₂(t) g(x) + L₁₁ z₁` per particle `i` with its own step ``midpointSteps``[i];
    /// `force` holds `forceSign · g(x)`.
    public func moveToMidpoint(x: MatrixView, v: MatrixView, force: MatrixView, forceSign: Double = 1) {
        precondition(hasMidpoint && midpointSteps.count == rows, "setMidpointSteps(friction:step:) before a randomized-midpoint step")
        check(x, v, force)
        let (x, v, g, z1, mid) = (x.base, v.base, force.base, z1.base, mid.base)
        for (i, k) in midpointSteps.enumerated() {
            let (vx, gx, nz) = (k.midVelocity, forceSign * k.midForce, k.factor.0)
            for j in (i * columns)..<((i + 1) * columns) {
                mid[j] = x[j] + vx * v[j] + gx * g[j] + nz * z1[j]
            }
        }
    }

    /// `x' = x + ψ₁(h) v + h ψ₁(h - t) g_mid + L₂₁ z₁ + L₂₂ z₂`,
    /// `v' = ψ₀(h) v + h ψ₀(h - t) g_mid + L₃₁ z₁ + L₃₂ z₂ + L₃₃ z₃` per particle, in place; `force`
    /// holds `forceSign · g(x_mid)`.
    public func updateFromMidpoint(x: MutableMatrixView, v: MutableMatrixView, force: MatrixView, forceSign: Double = 1) {
        precondition(hasMidpoint && midpointSteps.count == rows, "setMidpointSteps(friction:step:) before a randomized-midpoint step")
        check(x.readOnly, v.readOnly, force)
        let (x, v, g, z1, z2, z3) = (x.base, v.base, force.base, z1.base, z2.base, z3.base)
        for (i, k) in midpointSteps.enumerated() {
            let f = k.factor
            let (xv, xg, vv, vg) = (k.positionVelocity, forceSign * k.positionForce, k.velocityVelocity, forceSign * k.velocityForce)
            for j in (i * columns)..<((i + 1) * columns) {
                let vj = v[j], gj = g[j]
                x[j] += xv * vj + xg * gj + f.1 * z1[j] + f.2 * z2[j]
                v[j] = vv * vj + vg * gj + f.3 * z1[j] + f.4 * z2[j] + f.5 * z3[j]
            }
        }
    }

    /// One exponential-integrator step of every particle with the normals in ``z1``, ``z2``, in place
    /// (``ULMCStep/apply(x:v:force:z1:z2:count:)``).
    public func update(_ step: ULMCStep, x: MutableMatrixView, v: MutableMatrixView, force: MatrixView) {
        check(x.readOnly, v.readOnly, force)
        step.apply(x: x.base, v: v.base, force: force.base, z1: z1.base, z2: z2.base, count: rows * columns)
    }

    /// The position half of an exponential-integrator step, for a last step whose velocity is discarded
    /// (``ULMCStep/applyPosition(x:v:force:z1:count:)``).
    public func updatePosition(_ step: ULMCStep, x: MutableMatrixView, v: MatrixView, force: MatrixView) {
        check(x.readOnly, v, force)
        step.applyPosition(x: x.base, v: v.base, force: force.base, z1: z1.base, count: rows * columns)
    }
}
