import Foundation
import MidpointLangevin
import MidpointLinearAlgebra

/// Randomized-midpoint ULMC with `R` stratified midpoints per step solved by Picard rounds (the
/// parallel method of Shen & Lee 2019, `docs/algorithms.md` §8 in its log-concave form).
///
/// Per step and chain, `tᵢ = (i + uᵢ) h/R` with `uᵢ ~ U[0, 1]` (`i < R`). With `g₀ = ∇f(x)` and the
/// noise `Nᵢ = √(2γ) P(tᵢ)`, `N_x = √(2γ) P(h)`, `N_v = √(2γ) V(h)` of one Brownian path (their
/// `(R+2)×(R+2)` covariance from ``LangevinNoiseCovariance``, factored per chain), the midpoints solve
///
/// ```
/// yᵢ = x + ψ₁(tᵢ) v - ψ₂(tᵢ) g₀ - Σ_{j<i} (h/R) ψ₁(tᵢ - tⱼ) (∇f(yⱼ) - g₀) + Nᵢ
/// ```
///
/// by `K` Picard rounds from `yᵢ = x + ψ₁(tᵢ)v - ψ₂(tᵢ)g₀ + Nᵢ`; each round evaluates `∇f` at all
/// `R` midpoints of every chain in one batch. The step ends with the stratified estimates
///
/// ```
/// x' = x + ψ₁(h) v - Σᵢ (h/R) ψ₁(h - tᵢ) ∇f(yᵢ) + N_x,   v' = ψ₀(h) v - Σᵢ (h/R) ψ₀(h - tᵢ) ∇f(yᵢ) + N_v
/// ```
///
/// Cost per step: `1 + K·R` gradient evaluations in `1 + K` rounds. With `R = K = 1` this is
/// ``RandomizedMidpointULMCSampler`` with the same draws (a test).
public struct ParallelRandomizedMidpointULMCSampler: MCMCSampler {
    public let name = "rm-ulmc-parallel"
    /// The step size `h`.
    public var stepSize: Double
    /// The friction `γ`.
    public var friction: Double
    /// Strata (midpoints) per step, `R`.
    public var strata: Int
    /// Picard rounds per step, `K`.
    public var rounds: Int

    /// The parallel sampler.
    public init(stepSize: Double, friction: Double, strata: Int = 4, rounds: Int = 3) {
        self.stepSize = stepSize
        self.friction = friction
        self.strata = strata
        self.rounds = rounds
    }

    public func validate() throws(MCMCError) {
        try ULMCSampler(stepSize: stepSize, friction: friction).validate()
        guard MCMCParameterRanges.strata.contains(strata) else {
            throw .invalidParameter(name: "strata", value: "\(strata)", allowed: "must be in \(MCMCParameterRanges.strata)")
        }
        guard MCMCParameterRanges.rounds.contains(rounds) else {
            throw .invalidParameter(name: "rounds", value: "\(rounds)", allowed: "must be in \(MCMCParameterRanges.rounds)")
        }
    }

    public func step(_ state: inout ChainState, index: Int, context: MCMCContext) {
        let w = state.workspace.parallel(strata: strata)
        precondition(w.chains == state.x.rows && w.dimension == state.x.columns, "the workspace must fit the chains")
        drawNoise(w, index: index, context: context)
        let evaluator = context.evaluator
        state.move(using: evaluator) { x, v, g0 in
            startMidpoints(w, x: x.readOnly, v: v.readOnly, g0: g0)
            for round in 0..<rounds {
                evaluator.evaluate(w.midpoints.readOnly, into: w.gradients.view)
                guard round + 1 < rounds, strata > 1 else { continue }
                picardUpdate(w, g0: g0)
            }
            finish(w, x: x, v: v)
        }
    }

    /// Draws the step's uniforms (slot 0) and normals (slots `1 … R+2`), places the midpoint times, factors
    /// each chain's noise covariance and forms the correlated noises `N_a = Σ_{b ≤ a} L[a][b] z_b`, for
    /// `a < R` (midpoints), `R` (position) and `R+1` (velocity).
    func drawNoise(_ w: ParallelULMCWorkspace, index: Int, context: MCMCContext) {
        let (c, d, r, n) = (w.chains, w.dimension, strata, strata + 2)
        let (h, gamma) = (stepSize, friction)
        context.noise.fillUniform(w.uniforms.view, step: index, slot: 0)
        for k in 0..<n { context.noise.fillNormal(w.normals.rows((k * c)..<((k + 1) * c)), step: index, slot: 1 + k) }
        let cov = LangevinNoiseCovariance(friction: gamma)
        let (u, times) = (w.uniforms.base, w.times.base)
        for i in 0..<c {
            for k in 0..<r { times[i * r + k] = (Double(k) + u[i * r + k]) * h / Double(r) }
            let f = w.factors.base + i * n * n
            for a in 0..<(r + 1) {
                // The noise points t₀ … t_{R-1}, then h.
                let ta = a < r ? times[i * r + a] : h
                for b in 0...a {
                    let value = cov.noisePosition(ta, b < r ? times[i * r + b] : h)
                    f[a * n + b] = value
                    f[b * n + a] = value
                }
                let pv = cov.noisePositionVelocity(ta, h)
                f[(r + 1) * n + a] = pv
                f[a * n + r + 1] = pv
            }
            f[(r + 1) * n + r + 1] = cov.noiseVelocity(h)
            SemidefiniteCholesky.factor(f, n: n)
        }
        let (noise, z, factors) = (w.noise.base, w.normals.base, w.factors.base)
        noise.update(repeating: 0, count: w.noise.count)
        for a in 0..<n {
            for i in 0..<c {
                for b in 0...a {
                    let l = factors[i * n * n + a * n + b]
                    if l == 0 { continue }
                    let (out, zb) = (noise + (a * c + i) * d, z + (b * c + i) * d)
                    for j in 0..<d { out[j] += l * zb[j] }
                }
            }
        }
    }

    /// The midpoints' fixed part `x + ψ₁(tₖ) v - ψ₂(tₖ) g₀ + Nₖ`, the first guesses `yₖ` (equal to it) and
    /// the Picard weights `(h/R) ψ₁(tₖ - tₘ)`, `m < k`, fixed over the step's rounds.
    func startMidpoints(_ w: ParallelULMCWorkspace, x: MatrixView, v: MatrixView, g0: MatrixView) {
        let (c, d, r, h) = (w.chains, w.dimension, strata, stepSize)
        let flow = LangevinFlow(friction: friction)
        let (times, base, noise, weights) = (w.times.base, w.base.base, w.noise.base, w.weights.base)
        let (x, v, g) = (x.base, v.base, g0.base)
        for k in 0..<r {
            for i in 0..<c {
                let t = times[i * r + k]
                let (p1, p2) = (flow.psi1(t), flow.psi2(t))
                let (out, n) = (base + (k * c + i) * d, noise + (k * c + i) * d)
                for j in 0..<d {
                    let e = i * d + j
                    out[j] = x[e] + p1 * v[e] - p2 * g[e] + n[j]
                }
            }
        }
        w.midpoints.view.copy(from: w.base.readOnly)
        for i in 0..<c {
            for k in 1..<max(r, 1) {
                for m in 0..<k { weights[(i * r + k) * r + m] = h / Double(r) * flow.psi1(times[i * r + k] - times[i * r + m]) }
            }
        }
    }

    /// One Picard round's rebuild from the gradients at the current midpoints:
    /// `yₖ = baseₖ - Σ_{m<k} (h/R) ψ₁(tₖ - tₘ) (∇f(yₘ) - g₀)`.
    func picardUpdate(_ w: ParallelULMCWorkspace, g0: MatrixView) {
        let (c, d, r) = (w.chains, w.dimension, strata)
        let (y, base, gradients, weights, g0) = (w.midpoints.base, w.base.base, w.gradients.base, w.weights.base, g0.base)
        for k in 1..<r {
            for i in 0..<c {
                let row = (k * c + i) * d
                for j in 0..<d { y[row + j] = base[row + j] }
                for m in 0..<k {
                    let (weight, other) = (weights[(i * r + k) * r + m], (m * c + i) * d)
                    for j in 0..<d { y[row + j] -= weight * (gradients[other + j] - g0[i * d + j]) }
                }
            }
        }
    }

    /// The stratified end of the step from the last round's gradients, in place:
    /// `x' = x + ψ₁(h) v - Σₖ (h/R) ψ₁(h - tₖ) ∇f(yₖ) + N_x`, `v' = ψ₀(h) v - Σₖ (h/R) ψ₀(h - tₖ) ∇f(yₖ) + N_v`.
    func finish(_ w: ParallelULMCWorkspace, x: MutableMatrixView, v: MutableMatrixView) {
        let (c, d, r, h) = (w.chains, w.dimension, strata, stepSize)
        let flow = LangevinFlow(friction: friction)
        let (p1h, p0h) = (flow.psi1(h), flow.psi0(h))
        let (times, gradients, wx, wv) = (w.times.base, w.gradients.base, w.positionWeights.base, w.velocityWeights.base)
        let (noiseX, noiseV) = (w.noise.base + r * c * d, w.noise.base + (r + 1) * c * d)
        let (x, v) = (x.base, v.base)
        for i in 0..<c {
            for k in 0..<r {
                wx[k] = h / Double(r) * flow.psi1(h - times[i * r + k])
                wv[k] = h / Double(r) * flow.psi0(h - times[i * r + k])
            }
            for j in 0..<d {
                let e = i * d + j
                let vj = v[e]
                var dx = 0.0, dv = 0.0
                for k in 0..<r {
                    let g = gradients[(k * c + i) * d + j]
                    dx += wx[k] * g
                    dv += wv[k] * g
                }
                x[e] += p1h * vj - dx + noiseX[e]
                v[e] = p0h * vj - dv + noiseV[e]
            }
        }
    }
}
