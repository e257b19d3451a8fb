import MidpointLangevin
import MidpointLinearAlgebra
import MidpointScoreModels

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
    /// ULMC sub-steps per correction (``RandomizedMidpointPCSampler`` takes at least this many, more on fine
    /// grids); each costs ``LangevinIntegrator/evaluationsPerStep`` evaluations.
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

    /// Throws unless the ULMC coefficients at level `tau` are usable (`σ(τ)` can be so small that the
    /// friction `c_γ/σ` overflows or the step `c_T σ/M` underflows to zero).
    static func checkCoefficients(gamma: Double, step h: Double, tau: Double) throws(SamplingError) {
        guard gamma.isFinite, gamma > 0, h.isFinite, h > 0 else {
            throw .invalidParameter(name: "corrector at τ = \(tau)", value: "friction \(gamma), step \(h)",
                                    allowed: "both must be finite and > 0: raise the early stop δ or change --corrector-friction/--corrector-time")
        }
    }

    /// The allowed run times, in units of `σ(τ)` (one source for the library and the CLI).
    public static let timeScaleRange: ClosedRange<Double> = 1e-6...1000
    /// The allowed frictions, in units of `1/σ(τ)`: beyond, `γ = frictionScale/σ` can overflow near the data.
    public static let frictionScaleRange: ClosedRange<Double> = 1e-6...1e6

    /// The allowed ULMC sub-steps per correction.
    public static let stepsRange = 1...1000

    /// Throws unless the parameters are usable, naming them by `sampler`'s tuning keys.
    public func validate(sampler: String) throws(SamplingError) {
        guard Self.stepsRange.contains(steps) else {
            throw .invalidSetting(sampler: sampler, key: "corrector-steps", value: "\(steps)", allowed: "must be in \(Self.stepsRange)")
        }
        guard Self.timeScaleRange.contains(timeScale) else {
            throw .invalidSetting(sampler: sampler, key: "corrector-time", value: "\(timeScale)", allowed: "must be in \(Self.timeScaleRange)")
        }
        guard Self.frictionScaleRange.contains(frictionScale) else {
            throw .invalidSetting(sampler: sampler, key: "corrector-friction", value: "\(frictionScale)",
                                  allowed: "must be in \(Self.frictionScaleRange)")
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
                 buffers: LangevinBuffers, context: SamplingContext) throws(SamplingError) {
        let steps = subSteps ?? self.steps
        let sigma = ForwardProcess.sigma(tau)
        let (gamma, h) = (frictionScale / sigma, timeScale * sigma / Double(steps))
        try Self.checkCoefficients(gamma: gamma, step: h, tau: tau)
        let (v, work, evaluator) = (buffers.v, buffers.work, context.evaluator)
        context.noise.fillNormal(v.view, step: randomStep, slot: 2)
        if integrator == .randomizedMidpoint {
            work.prepareMidpoint()
            for j in 0..<steps {
                context.noise.uniforms(into: work.fractions.base, particles: x.rows, step: randomStep, slot: 3 + 4 * j)
                work.setMidpointSteps(friction: gamma, step: h)
                context.noise.fillNormal(work.z1.view, step: randomStep, slot: 4 + 4 * j)
                context.noise.fillNormal(work.z2.view, step: randomStep, slot: 5 + 4 * j)
                context.noise.fillNormal(work.z3.view, step: randomStep, slot: 6 + 4 * j)
                x.withMutableView { x in
                    evaluator.evaluate(tau: tau, x: x.readOnly, into: work.force.view)
                    work.moveToMidpoint(x: x.readOnly, v: v.readOnly, force: work.force.readOnly)
                    evaluator.evaluate(tau: tau, x: work.mid.readOnly, into: work.force.view)
                    work.updateFromMidpoint(x: x, v: v.view, force: work.force.readOnly)
                }
                try context.checkFinite(x, step: stepIndex, tau: tau)
            }
            return
        }
        let coefficients = ULMCStep(friction: gamma, step: h)
        for j in 0..<steps {
            if steps == 1 {
                let finite = x.withMutableView { x in
                    evaluator.evaluate(tau: tau, x: x.readOnly, into: work.force.view)
                    // The velocity buffer holds the fresh velocity's normal ζ.
                    return coefficients.applyFromFreshVelocity(x: x.base, force: work.force.base, zeta: v.base, count: v.count)
                }
                if finite { continue }
            } else {
                context.noise.fillNormal(work.z1.view, step: randomStep, slot: 3 + 2 * j)
                if j + 1 < steps { context.noise.fillNormal(work.z2.view, step: randomStep, slot: 4 + 2 * j) }
                x.withMutableView { x in
                    evaluator.evaluate(tau: tau, x: x.readOnly, into: work.force.view)
                    if j + 1 < steps {
                        work.update(coefficients, x: x, v: v.view, force: work.force.readOnly)
                    } else {
                        work.updatePosition(coefficients, x: x, v: v.readOnly, force: work.force.readOnly)
                    }
                }
            }
            try context.checkFinite(x, step: stepIndex, tau: tau)
        }
    }
}
