import MidpointLinearAlgebra

/// The buffers of a batch of underdamped Langevin steps and the one place their pointers are taken,
/// so each integrator below reads like its formula (`docs/algorithms.md` §6).
///
/// A batch is `C` particles × `d` coordinates, row-major. The workspace holds the step's standard
/// normals `z₁, z₂, z₃` and the midpoint state; the positions `x`, velocities `v` and force come from
/// the caller (a diffusion corrector's scratch, a chain state). The *force* is what drives the
/// velocity: the score `s = ∇ log p` for diffusion, `-∇f` for a potential `f`; `forceSign` lets a
/// caller pass `∇f` itself (`-1`) without negating it first.
public struct LangevinWorkspace {
    /// Normals for the step's noise: `z₁`, `z₂` (both integrators) and `z₃` (randomized midpoint only).
    public var z1: Matrix, z2: Matrix, z3: Matrix
    /// The randomized-midpoint state `x_mid` (allocated with `z₃`).
    public var mid: Matrix

    /// A workspace for `rows × columns` batches; `midpoint` allocates the randomized-midpoint buffers.
    public init(rows: Int, columns: Int, midpoint: Bool = false) {
        z1 = Matrix(rows: rows, columns: columns)
        z2 = z1
        z3 = midpoint ? z1 : Matrix(rows: 0, columns: 0)
        mid = z3
    }

    /// Allocates the randomized-midpoint buffers (`z₃`, `mid`) at the shape of the others, once.
    public mutating func prepareMidpoint() {
        guard z3.rows != z1.rows || z3.columns != z1.columns else { return }
        z3 = Matrix(rows: z1.rows, columns: z1.columns)
        mid = z3
    }

    /// Raw pointers to one step's buffers, valid inside ``withPointers(x:v:force:_:)`` only.
    public struct Pointers {
        public let x: UnsafeMutablePointer<Double>, v: UnsafeMutablePointer<Double>, force: UnsafePointer<Double>
        public let z1: UnsafePointer<Double>, z2: UnsafePointer<Double>, z3: UnsafePointer<Double>?
        public let mid: UnsafeMutablePointer<Double>?
        /// Coordinates per particle and particles.
        public let columns: Int, rows: Int
    }

    /// Runs `body` with pointers to `x`, `v`, `force` and the workspace's buffers.
    public mutating func withPointers<R>(x: inout Matrix, v: inout Matrix, force: Matrix, _ body: (Pointers) -> R) -> R {
        precondition(x.rows == v.rows && x.columns == v.columns && force.rows == x.rows && force.columns == x.columns
                     && z1.rows == x.rows && z1.columns == x.columns, "Langevin buffers must share one shape")
        let (rows, columns) = (x.rows, x.columns)
        let hasMidpoint = z3.rows == rows && z3.columns == columns && rows > 0
        return x.storage.withUnsafeMutableBufferPointer { xp in
            v.storage.withUnsafeMutableBufferPointer { vp in
                force.storage.withUnsafeBufferPointer { gp in
                    z1.storage.withUnsafeBufferPointer { a in
                        z2.storage.withUnsafeBufferPointer { b in
                            z3.storage.withUnsafeBufferPointer { c in
                                mid.storage.withUnsafeMutableBufferPointer { m in
                                    body(Pointers(x: xp.baseAddress!, v: vp.baseAddress!, force: gp.baseAddress!,
                                                  z1: a.baseAddress!, z2: b.baseAddress!,
                                                  z3: hasMidpoint ? c.baseAddress : nil, mid: hasMidpoint ? m.baseAddress : nil,
                                                  columns: columns, rows: rows))
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}

extension LangevinWorkspace.Pointers {
    /// `x_mid = x + ψ₁(t) v + ψ₂(t) g(x) + L₁₁ z₁` per particle `i` with its own step `steps[i]`
    /// (``RandomizedMidpointULMCStep``); `force` holds `forceSign · g(x)`.
    public func moveToMidpoint(_ steps: [RandomizedMidpointULMCStep], forceSign: Double = 1) {
        guard let mid else { preconditionFailure("prepareMidpoint() before a randomized-midpoint step") }
        for (i, k) in steps.enumerated() {
            let (vx, gx, nz) = (k.midVelocity, forceSign * k.midForce, k.factor.0)
            for j in (i * columns)..<((i + 1) * columns) {
                mid[j] = x[j] + vx * v[j] + gx * force[j] + nz * z1[j]
            }
        }
    }

    /// `x' = x + ψ₁(h) v + h ψ₁(h - t) g_mid + L₂₁ z₁ + L₂₂ z₂`,
    /// `v' = ψ₀(h) v + h ψ₀(h - t) g_mid + L₃₁ z₁ + L₃₂ z₂ + L₃₃ z₃` per particle, in place; `force`
    /// holds `forceSign · g(x_mid)`.
    public func updateFromMidpoint(_ steps: [RandomizedMidpointULMCStep], forceSign: Double = 1) {
        guard let z3 else { preconditionFailure("prepareMidpoint() before a randomized-midpoint step") }
        for (i, k) in steps.enumerated() {
            let f = k.factor
            let (xv, xg, vv, vg) = (k.positionVelocity, forceSign * k.positionForce, k.velocityVelocity, forceSign * k.velocityForce)
            for j in (i * columns)..<((i + 1) * columns) {
                let vj = v[j], gj = force[j]
                x[j] += xv * vj + xg * gj + f.1 * z1[j] + f.2 * z2[j]
                v[j] = vv * vj + vg * gj + f.3 * z1[j] + f.4 * z2[j] + f.5 * z3[j]
            }
        }
    }

    /// One exponential-integrator step of every particle, in place (``ULMCStep/apply(x:v:force:z1:z2:count:)``).
    public func update(_ step: ULMCStep) {
        step.apply(x: x, v: v, force: force, z1: z1, z2: z2, count: rows * columns)
    }

    /// The position half of an exponential-integrator step, for a last step whose velocity is discarded.
    public func updatePosition(_ step: ULMCStep) {
        step.applyPosition(x: x, v: v, force: force, z1: z1, count: rows * columns)
    }

    /// One step from a fresh velocity with `v` read as its normal `ζ`, velocity discarded
    /// (``ULMCStep/applyFromFreshVelocity(x:force:zeta:count:)``). Returns whether the new `x` is finite.
    public func updateFromFreshVelocity(_ step: ULMCStep) -> Bool {
        step.applyFromFreshVelocity(x: x, force: force, zeta: v, count: rows * columns)
    }
}
