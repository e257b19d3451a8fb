import MidpointLangevin

/// The exact moment map of one step of a linear sampler on one coordinate of a Gaussian target
/// `N(0, λ)` (`docs/algorithms.md` §13): the state `z = (x, v)` moves as `z' = A z + ε`, with `A` and
/// `ε`'s covariance `Q` depending on the step's own random draws (a randomized midpoint) but not on
/// `z`. The first and second moments then move exactly:
///
/// ```
/// E z' = E[A] E z,   E z'z'ᵀ = E[A (E zzᵀ) Aᵀ] + E[Q]
/// ```
///
/// with the expectations over the draws by Gauss–Legendre quadrature in the midpoint fraction (the
/// entries are smooth in it, so a few dozen nodes are exact to rounding).
struct LangevinMomentMap: Sendable {
    /// `E[A]`, row-major `(a₁₁, a₁₂, a₂₁, a₂₂)`.
    var mean: (Double, Double, Double, Double)
    /// `E[A P Aᵀ]` as a linear map of `(Pₓₓ, Pₓᵥ, Pᵥᵥ)`, row-major 3×3.
    var second: [Double]
    /// `E[Q]` as `(Qₓₓ, Qₓᵥ, Qᵥᵥ)`.
    var noise: (Double, Double, Double)

    /// The map of a fixed `A` and `Q`.
    init(_ a: (Double, Double, Double, Double), noise q: (Double, Double, Double)) {
        self.init(averaging: [(a, q)], weights: [1])
    }

    /// The average of the maps of `(A, Q)` pairs with `weights`.
    init(averaging maps: [((Double, Double, Double, Double), (Double, Double, Double))], weights: [Double]) {
        var mean = (0.0, 0.0, 0.0, 0.0), second = [Double](repeating: 0, count: 9), noise = (0.0, 0.0, 0.0)
        for (((a11, a12, a21, a22), q), w) in zip(maps, weights) {
            mean = (mean.0 + w * a11, mean.1 + w * a12, mean.2 + w * a21, mean.3 + w * a22)
            let rows: [Double] = [a11 * a11, 2 * a11 * a12, a12 * a12,
                                  a11 * a21, a11 * a22 + a12 * a21, a12 * a22,
                                  a21 * a21, 2 * a21 * a22, a22 * a22]
            for k in 0..<9 { second[k] += w * rows[k] }
            noise = (noise.0 + w * q.0, noise.1 + w * q.1, noise.2 + w * q.2)
        }
        self.mean = mean
        self.second = second
        self.noise = noise
    }

    /// One step of the moments `(mₓ, mᵥ)` and second moments `(Pₓₓ, Pₓᵥ, Pᵥᵥ)`, in place.
    func apply(_ m: inout (Double, Double), _ p: inout (Double, Double, Double)) {
        m = (mean.0 * m.0 + mean.1 * m.1, mean.2 * m.0 + mean.3 * m.1)
        let s = second
        p = (s[0] * p.0 + s[1] * p.1 + s[2] * p.2 + noise.0,
             s[3] * p.0 + s[4] * p.1 + s[5] * p.2 + noise.1,
             s[6] * p.0 + s[7] * p.1 + s[8] * p.2 + noise.2)
    }

    /// ULA, `x' = (1 - h k) x + √(2h) ξ` (`k = 1/λ`); the velocity is carried unchanged.
    static func ula(step h: Double, curvature k: Double) -> LangevinMomentMap {
        LangevinMomentMap((1 - h * k, 0, 0, 1), noise: (2 * h, 0, 0))
    }

    /// The exponential-integrator ULMC step (``ULMCStep``) with force `-k x`.
    static func ulmc(_ c: ULMCStep, curvature k: Double) -> LangevinMomentMap {
        LangevinMomentMap((1 - c.psi2 * k, c.psi1, -c.psi1 * k, c.psi0), noise: (c.varianceX, c.covariance, c.varianceV))
    }

    /// The randomized-midpoint ULMC step (``RandomizedMidpointULMCStep``) with force `-k x`, averaged over
    /// the midpoint fraction by `rule`.
    static func randomizedMidpoint(friction gamma: Double, step h: Double, curvature k: Double, rule: GaussLegendre) -> LangevinMomentMap {
        let maps = rule.nodes.map { a -> ((Double, Double, Double, Double), (Double, Double, Double)) in
            let s = RandomizedMidpointULMCStep(friction: gamma, step: h, midpoint: a)
            // x_m = (1 - m_f k) x + m_v v + W₁; x' = x + p_v v - p_f k x_m + W₂; v' = v_v v - v_f k x_m + W₃.
            let shrink = 1 - s.midForce * k
            let a11 = 1 - s.positionForce * k * shrink, a12 = s.positionVelocity - s.positionForce * k * s.midVelocity
            let a21 = -s.velocityForce * k * shrink, a22 = s.velocityVelocity - s.velocityForce * k * s.midVelocity
            // ε = M W, M = [[-p_f k, 1, 0], [-v_f k, 0, 1]], Cov W = C (upper triangle c₁₁ c₁₂ c₁₃ c₂₂ c₂₃ c₃₃).
            let c = RandomizedMidpointULMCStep.covariance(friction: gamma, step: h, midpoint: a)
            let (px, vx) = (-s.positionForce * k, -s.velocityForce * k)
            let qxx = px * px * c[0] + 2 * px * c[1] + c[3]
            let qxv = px * vx * c[0] + px * c[2] + vx * c[1] + c[4]
            let qvv = vx * vx * c[0] + 2 * vx * c[2] + c[5]
            return ((a11, a12, a21, a22), (qxx, qxv, qvv))
        }
        return LangevinMomentMap(averaging: maps, weights: rule.weights)
    }
}
