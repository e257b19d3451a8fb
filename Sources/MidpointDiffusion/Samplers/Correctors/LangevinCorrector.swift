import MidpointLangevin
import MidpointLinearAlgebra

/// A short underdamped-Langevin (ULMC) run at a fixed noise level `τ`, whose stationary law is
/// `q_τ ⊗ N(0, I)`: the corrector of the paper's predictor–corrector (after Chen et al. 2023).
///
/// Draw `v ~ N(0, I)` (slot 2), then ULMC steps with force `s(τ, ·)`; keep `x`. With the exponential
/// integrator (``ULMCStep``, one evaluation each) the noise is in slots `3 + 2j`, `4 + 2j`; normals per
/// coordinate: 1 for one step, `2·steps` otherwise (the discarded last velocity needs none). With the
/// randomized midpoint (``RandomizedMidpointULMCStep``, two evaluations each) step `j` draws its
/// midpoint in slot `3 + 4j` and its three normals in slots `4 + 4j … 6 + 4j`.
///
/// Time and friction are stated relative to the local scale `σ(τ)`: the score's Lipschitz constant
/// is at most `1/σ²`, so `1/√L ≥ σ` is the natural time unit. The run lasts `timeScale · σ` with
/// friction `frictionScale / σ`.
public struct LangevinCorrector: Sendable, Equatable {
    /// ULMC steps per correction (evaluations per correction).
    public var steps: Int
    /// Total time of a correction, in units of `σ(τ)`.
    public var timeScale: Double
    /// Friction, in units of `1/σ(τ)`.
    public var frictionScale: Double
    /// The ULMC step.
    public var integrator: LangevinIntegrator

    /// A corrector; the defaults come from the sweep in `docs/defaults/README.md`.
    public init(steps: Int = 1, timeScale: Double = 0.5, frictionScale: Double = 1,
                integrator: LangevinIntegrator = .exponential) {
        self.steps = steps
        self.timeScale = timeScale
        self.frictionScale = frictionScale
        self.integrator = integrator
    }

    /// Throws unless the parameters are usable.
    public func validate() throws(SamplingError) {
        guard steps >= 1 else {
            throw .invalidParameter(name: "corrector steps", value: "\(steps)", allowed: "must be ≥ 1")
        }
        guard timeScale.isFinite, timeScale > 0 else {
            throw .invalidParameter(name: "corrector time", value: "\(timeScale)", allowed: "must be finite and > 0")
        }
        guard frictionScale.isFinite, frictionScale > 0 else {
            throw .invalidParameter(name: "corrector friction", value: "\(frictionScale)", allowed: "must be finite and > 0")
        }
    }

    /// Runs the correction at level `tau` on `x`, drawing from Philox step `randomStep`.
    ///
    /// The final velocity is discarded, so its noise is never drawn: the last step uses only
    /// `z₁`, and a one-step correction folds the fresh velocity into the position noise
    /// (``ULMCStep/applyFromFreshVelocity(x:force:zeta:count:)``, one normal per coordinate, slot 2).
    /// Both are the same law as the full update.
    /// - Parameter subSteps: ULMC steps in this correction (default ``steps``); the run time stays
    ///   `timeScale · σ`, so more sub-steps mean shorter ones.
    func correct(_ x: inout Matrix, tau: Double, randomStep: Int, stepIndex: Int, subSteps: Int? = nil,
                 buffers: inout LangevinBuffers, context: SamplingContext) throws(SamplingError) {
        let steps = subSteps ?? self.steps
        let sigma = ForwardProcess.sigma(tau)
        let (gamma, h) = (frictionScale / sigma, timeScale * sigma / Double(steps))
        context.noise.fillNormal(&buffers.v, step: randomStep, slot: 2)
        if integrator == .randomizedMidpoint {
            buffers.prepareMidpoint()
            for j in 0..<steps {
                let a = context.noise.uniforms(particles: x.rows, step: randomStep, slot: 3 + 4 * j)
                let coefficients = a.map { RandomizedMidpointULMCStep(friction: gamma, step: h, midpoint: $0) }
                context.noise.fillNormal(&buffers.z1, step: randomStep, slot: 4 + 4 * j)
                context.noise.fillNormal(&buffers.z2, step: randomStep, slot: 5 + 4 * j)
                context.noise.fillNormal(&buffers.z3, step: randomStep, slot: 6 + 4 * j)
                context.evaluator.evaluate(tau: tau, x: x, into: &buffers.force)
                buffers.moveToMidpoint(x, coefficients)
                context.evaluator.evaluate(tau: tau, x: buffers.mid, into: &buffers.force)
                buffers.updateFromMidpoint(&x, coefficients)
                try context.checkFinite(x, step: stepIndex, tau: tau)
            }
            return
        }
        let coefficients = ULMCStep(friction: gamma, step: h)
        for j in 0..<steps {
            context.evaluator.evaluate(tau: tau, x: x, into: &buffers.force)
            if steps == 1 {
                if buffers.updateFromFreshVelocity(&x, coefficients) { continue }
            } else {
                context.noise.fillNormal(&buffers.z1, step: randomStep, slot: 3 + 2 * j)
                if j + 1 < steps {
                    context.noise.fillNormal(&buffers.z2, step: randomStep, slot: 4 + 2 * j)
                    buffers.update(&x, coefficients)
                } else {
                    buffers.updatePosition(&x, coefficients)
                }
            }
            try context.checkFinite(x, step: stepIndex, tau: tau)
        }
    }
}

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
