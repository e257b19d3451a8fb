import MidpointLangevin
import MidpointLinearAlgebra

/// Work buffers of a ``LangevinCorrector``.
struct LangevinBuffers {
    var v: Matrix
    var force: Matrix
    var z1: Matrix
    var z2: Matrix
    /// The randomized-midpoint step's third normal and midpoint state (allocated on first use).
    var z3 = Matrix(rows: 0, columns: 0)
    var mid = Matrix(rows: 0, columns: 0)

    init(rows: Int, columns: Int) {
        v = Matrix(rows: rows, columns: columns)
        force = v
        z1 = v
        z2 = v
    }

    /// Allocates the randomized-midpoint buffers (`z₃`, `mid`) at the shape of the others.
    mutating func prepareMidpoint() {
        guard z3.rows != v.rows || z3.columns != v.columns else { return }
        z3 = Matrix(rows: v.rows, columns: v.columns)
        mid = z3
    }

    /// `mid ← x + ψ₁(t) v + ψ₂(t) g(x) + L₁₁ z₁` per particle (``RandomizedMidpointULMCStep``), with the
    /// force `g = s(τ, x)` in `force`.
    mutating func moveToMidpoint(_ x: Matrix, _ c: [RandomizedMidpointULMCStep]) {
        let d = x.columns
        x.storage.withUnsafeBufferPointer { xp in
            v.storage.withUnsafeBufferPointer { vp in
                force.storage.withUnsafeBufferPointer { g in
                    z1.storage.withUnsafeBufferPointer { n1 in
                        mid.storage.withUnsafeMutableBufferPointer { m in
                            for (i, k) in c.enumerated() {
                                for j in (i * d)..<((i + 1) * d) {
                                    m[j] = xp[j] + k.midVelocity * vp[j] + k.midForce * g[j] + k.factor.0 * n1[j]
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    /// `x ← x + ψ₁(h) v + h ψ₁(h - t) g_mid + L₂₁ z₁ + L₂₂ z₂`, `v ← ψ₀(h) v + h ψ₀(h - t) g_mid + L₃· z`
    /// per particle, with the midpoint force `g_mid` in `force`.
    mutating func updateFromMidpoint(_ x: inout Matrix, _ c: [RandomizedMidpointULMCStep]) {
        let d = x.columns
        x.storage.withUnsafeMutableBufferPointer { xp in
            v.storage.withUnsafeMutableBufferPointer { vp in
                force.storage.withUnsafeBufferPointer { g in
                    z1.storage.withUnsafeBufferPointer { n1 in
                        z2.storage.withUnsafeBufferPointer { n2 in
                            z3.storage.withUnsafeBufferPointer { n3 in
                                for (i, k) in c.enumerated() {
                                    let f = k.factor
                                    for j in (i * d)..<((i + 1) * d) {
                                        let vj = vp[j]
                                        xp[j] += k.positionVelocity * vj + k.positionForce * g[j] + f.1 * n1[j] + f.2 * n2[j]
                                        vp[j] = k.velocityVelocity * vj + k.velocityForce * g[j] + f.3 * n1[j] + f.4 * n2[j]
                                            + f.5 * n3[j]
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    /// One ULMC step of every particle, in place (``ULMCStep/apply(x:v:force:z1:z2:count:)``).
    mutating func update(_ x: inout Matrix, _ c: ULMCStep) {
        let n = x.storage.count
        x.storage.withUnsafeMutableBufferPointer { xp in
            v.storage.withUnsafeMutableBufferPointer { vp in
                force.storage.withUnsafeBufferPointer { g in
                    z1.storage.withUnsafeBufferPointer { a in
                        z2.storage.withUnsafeBufferPointer { b in
                            c.apply(x: xp.baseAddress!, v: vp.baseAddress!, force: g.baseAddress!,
                                    z1: a.baseAddress!, z2: b.baseAddress!, count: n)
                        }
                    }
                }
            }
        }
    }

    /// The last step's position update only (``ULMCStep/applyPosition(x:v:force:z1:count:)``).
    func updatePosition(_ x: inout Matrix, _ c: ULMCStep) {
        let n = x.storage.count
        x.storage.withUnsafeMutableBufferPointer { xp in
            v.storage.withUnsafeBufferPointer { vp in
                force.storage.withUnsafeBufferPointer { g in
                    z1.storage.withUnsafeBufferPointer { a in
                        c.applyPosition(x: xp.baseAddress!, v: vp.baseAddress!, force: g.baseAddress!,
                                        z1: a.baseAddress!, count: n)
                    }
                }
            }
        }
    }

    /// A one-step correction with `v` read as the fresh normal `ζ`
    /// (``ULMCStep/applyFromFreshVelocity(x:force:zeta:count:)``).
    /// Returns whether the new `x` is finite.
    func updateFromFreshVelocity(_ x: inout Matrix, _ c: ULMCStep) -> Bool {
        let n = x.storage.count
        guard n > 0 else { return true }
        return x.storage.withUnsafeMutableBufferPointer { xp in
            force.storage.withUnsafeBufferPointer { g in
                v.storage.withUnsafeBufferPointer { zeta in
                    c.applyFromFreshVelocity(x: xp.baseAddress!, force: g.baseAddress!, zeta: zeta.baseAddress!, count: n)
                }
            }
        }
    }
}
