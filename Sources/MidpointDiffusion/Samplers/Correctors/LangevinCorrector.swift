import MidpointLangevin
import MidpointLinearAlgebra

/// A short underdamped-Langevin (ULMC) run at a fixed noise level `τ`, whose stationary law is
/// `q_τ ⊗ N(0, I)`: the corrector of the paper's predictor–corrector (after Chen et al. 2023).
///
/// Draw `v ~ N(0, I)` (slot 2), then `steps` exponential-integrator ULMC steps (``ULMCStep``) with
/// force `s(τ, ·)` (one evaluation each) and noise in slots `3 + 2j`, `4 + 2j`; keep `x`. Normals
/// per coordinate: 1 for one step, `2·steps` otherwise (the discarded last velocity needs none).
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

    /// A corrector; the defaults come from the sweep documented in the README.
    public init(steps: Int = 1, timeScale: Double = 0.5, frictionScale: Double = 1) {
        self.steps = steps
        self.timeScale = timeScale
        self.frictionScale = frictionScale
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
    func correct(_ x: inout Matrix, tau: Double, randomStep: Int, stepIndex: Int,
                 buffers: inout LangevinBuffers, context: SamplingContext) throws(SamplingError) {
        let sigma = ForwardProcess.sigma(tau)
        let coefficients = ULMCStep(friction: frictionScale / sigma, step: timeScale * sigma / Double(steps))
        context.noise.fillNormal(&buffers.v, step: randomStep, slot: 2)
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

    init(rows: Int, columns: Int) {
        v = Matrix(rows: rows, columns: columns)
        force = v
        z1 = v
        z2 = v
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
