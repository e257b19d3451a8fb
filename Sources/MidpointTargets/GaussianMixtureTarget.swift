import Foundation
import MidpointLinearAlgebra
import MidpointRandom
import MidpointScoreModels

/// A Gaussian mixture `q₀ = Σₖ wₖ N(mₖ, Σₖ)` (a single Gaussian is the one-component case), with
/// isotropic, diagonal or full covariances.
///
/// Under the OU process `q_τ = Σₖ wₖ N(α mₖ, Cₖ)`, `Cₖ = α² Σₖ + σ² I`, and the exact score is
/// `s(τ, x) = Σₖ rₖ(x) (-Cₖ⁻¹ (x - α mₖ))` with responsibilities `rₖ ∝ wₖ N(x; α mₖ, Cₖ)`.
/// Responsibilities are accumulated by an online log-sum-exp over components, so the score stays
/// finite for `|x|` up to 1e6 and `τ` down to 1e-6 (and at `τ = 0` itself). Each row may have its
/// own `τ`.
public struct GaussianMixtureTarget: ExactTarget {
    /// Variances (diagonal entries, eigenvalues) must lie in this range: it keeps every
    /// `α² v + σ²` and the determinant accumulation inside `Double`'s range.
    public static let varianceRange: ClosedRange<Double> = 1e-50...1e50

    /// The components as given (weights normalized).
    public let components: [GaussianComponent]
    /// The dimension `d`.
    public let dimension: Int
    /// One line saying what the target is.
    public let summary: String
    let prepared: [PreparedComponent]

    /// Rows processed together: a block's scratch stays in L1/L2 and full covariances use GEMMs of
    /// this height.
    static let blockRows = 32

    /// A mixture of `components`, validated.
    /// - Throws: ``TargetError`` naming the component field that is wrong: empty mixture, weight not
    ///   finite and > 0, mean of the wrong length or non-finite, variance outside ``varianceRange``,
    ///   covariance of the wrong shape or not positive definite.
    public init(components: [GaussianComponent], summary: String = "Gaussian mixture") throws(TargetError) {
        guard let first = components.first else {
            throw .invalidField(path: "components", reason: "must contain at least one component")
        }
        let d = first.mean.count
        guard d > 0 else { throw .invalidField(path: "components[0].mean", reason: "must have at least one entry") }
        var total = 0.0
        for (k, c) in components.enumerated() {
            let path = "components[\(k)]"
            guard c.weight.isFinite, c.weight > 0 else {
                throw .invalidField(path: path + ".weight", reason: "must be finite and > 0, got \(c.weight)")
            }
            guard c.mean.count == d else {
                throw .invalidField(path: path + ".mean", reason: "has \(c.mean.count) entries; the target's dimension is \(d)")
            }
            if let j = c.mean.firstIndex(where: { !$0.isFinite }) {
                throw .invalidField(path: path + ".mean[\(j)]", reason: "must be finite, got \(c.mean[j])")
            }
            try Self.validate(c.covariance, dimension: d, path: path + ".covariance")
        }
        // Scaled by the largest weight first: a plain sum of weights near 1e308 overflows to infinity
        // and would normalize every weight to zero.
        let largest = components.map(\.weight).max()!
        total = components.reduce(0) { $0 + $1.weight / largest }
        let normalized = components.map {
            GaussianComponent(weight: $0.weight / largest / total, mean: $0.mean, covariance: $0.covariance)
        }
        var prepared: [PreparedComponent] = []
        for (k, c) in normalized.enumerated() {
            prepared.append(try PreparedComponent(c, normalizedWeight: c.weight, path: "components[\(k)]"))
        }
        self.components = normalized
        self.prepared = prepared
        self.dimension = d
        self.summary = summary
    }

    /// A single Gaussian `N(mean, covariance)`.
    public init(mean: [Double], covariance: Covariance, summary: String = "Gaussian") throws(TargetError) {
        try self.init(components: [GaussianComponent(mean: mean, covariance: covariance)], summary: summary)
    }

    static func validate(_ cov: Covariance, dimension d: Int, path: String) throws(TargetError) {
        let allowed = "must be finite and in [1e-50, 1e50]"
        switch cov {
        case let .isotropic(v):
            guard v.isFinite, varianceRange.contains(v) else {
                throw .invalidField(path: path + ".isotropic", reason: "\(allowed), got \(v)")
            }
        case let .diagonal(v):
            guard v.count == d else {
                throw .invalidField(path: path + ".diagonal", reason: "has \(v.count) entries; the target's dimension is \(d)")
            }
            if let j = v.firstIndex(where: { !($0.isFinite && varianceRange.contains($0)) }) {
                throw .invalidField(path: path + ".diagonal[\(j)]", reason: "\(allowed), got \(v[j])")
            }
        case let .full(m):
            guard m.rows == d, m.columns == d else {
                throw .invalidField(path: path + ".full", reason: "is \(m.rows)×\(m.columns); expected \(d)×\(d)")
            }
        }
    }

    public func score(times: UnsafeBufferPointer<Double>, x: MatrixView, into scores: MutableMatrixView) {
        evaluate(times: times, x: x, scores: scores, logDensity: nil)
    }

    /// Responsibilities below this are dropped from the score: their terms change it by less than
    /// 1e-20 of a component's gradient, far below rounding, and skipping them saves most of the work
    /// for well-separated mixtures.
    static let negligibleResponsibility = 1e-20

    /// The shared kernel: scores and/or log-densities for a batch of rows, in blocks of ``blockRows``.
    ///
    /// Per block: every component's log-term `ℓₖ` for every row; per row the log-sum-exp (the
    /// log-density) and responsibilities `rₖ = e^{ℓₖ - max}/Σ`; then `s = Σₖ rₖ gₖ` accumulated
    /// directly into the output rows, skipping negligible `rₖ`.
    func evaluate(times: UnsafeBufferPointer<Double>, x: MatrixView, scores: MutableMatrixView?,
                  logDensity: UnsafeMutablePointer<Double>?) {
        let d = dimension
        let b = Self.blockRows
        let k = prepared.count
        let componentScratch = prepared.map { $0.scratchCount(rows: b) }
        var buffer = [Double](repeating: 0, count: (5 + k) * b + componentScratch.reduce(0, +))
        buffer.withUnsafeMutableBufferPointer { bp in
            let alpha = bp.baseAddress!
            let sigma2 = alpha + b
            let top = sigma2 + b
            let total = top + b
            let weight = total + b
            let terms = weight + b
            var next = terms + k * b
            var scratch: [PreparedComponent.Scratch] = []
            for c in 0..<k {
                scratch.append(PreparedComponent.Scratch(next, dimension: d, isFull: prepared[c].isFull))
                next += componentScratch[c]
            }
            var start = 0
            while start < x.rows {
                let rows = min(b, x.rows - start)
                let block = x.rows(start..<(start + rows))
                for i in 0..<rows {
                    alpha[i] = ForwardProcess.alpha(times[start + i])
                    sigma2[i] = ForwardProcess.sigmaSquared(times[start + i])
                }
                // A single Gaussian needs no responsibilities: unless the density is asked for, go
                // straight to its gradient (half the work).
                if k == 1, logDensity == nil, let scores {
                    for i in 0..<rows { weight[i] = 1 }
                    let out = scores.row(start)
                    if prepared[0].isFull {
                        prepared[0].logTerms(alpha: alpha, sigma2: sigma2, x: block, into: terms, scratch: scratch[0])
                    }
                    prepared[0].accumulateGradient(alpha: alpha, sigma2: sigma2, x: block, weight: weight,
                                                   into: out, scratch: scratch[0], overwrite: true)
                    start += rows
                    continue
                }
                for c in 0..<k {
                    prepared[c].logTerms(alpha: alpha, sigma2: sigma2, x: block, into: terms + c * b, scratch: scratch[c])
                }
                // Log-sum-exp per row. The exponentials run over rows (contiguous, no reduction), so the
                // loop vectorizes; they are kept in `terms` as unnormalized responsibilities.
                for i in 0..<rows { top[i] = -Double.infinity; total[i] = 0 }
                for c in 0..<k { for i in 0..<rows { top[i] = max(top[i], terms[c * b + i]) } }
                for c in 0..<k {
                    let t = terms + c * b
                    for i in 0..<rows { t[i] -= top[i] }
                    VectorKernels.expInPlace(t, count: rows)
                    for i in 0..<rows { total[i] += t[i] }
                }
                if let logDensity {
                    let constant = 0.5 * Double(d) * log(2 * Double.pi)
                    for i in 0..<rows { logDensity[start + i] = top[i] + log(total[i]) - constant }
                }
                if let scores {
                    let out = scores.row(start)
                    out.update(repeating: 0, count: rows * d)
                    for c in 0..<k {
                        var any = false
                        for i in 0..<rows {
                            let r = terms[c * b + i] / total[i]
                            weight[i] = r < Self.negligibleResponsibility ? 0 : r
                            any = any || weight[i] != 0
                        }
                        if any {
                            prepared[c].accumulateGradient(alpha: alpha, sigma2: sigma2, x: block, weight: weight,
                                                           into: out, scratch: scratch[c])
                        }
                    }
                }
                start += rows
            }
        }
    }

    public func logDensity(tau: Double, at x: [Double]) -> Double {
        precondition(x.count == dimension, "point has \(x.count) coordinates, target has \(dimension)")
        var out = 0.0
        [tau].withUnsafeBufferPointer { t in
            x.withUnsafeBufferPointer { xp in
                evaluate(times: t, x: MatrixView(base: xp.baseAddress!, rows: 1, columns: dimension),
                         scores: nil, logDensity: &out)
            }
        }
        return out
    }

    public func mean(tau: Double) -> [Double] {
        let a = ForwardProcess.alpha(tau)
        var m = [Double](repeating: 0, count: dimension)
        for c in components { for j in 0..<dimension { m[j] += c.weight * a * c.mean[j] } }
        return m
    }

    /// `Σₖ wₖ (Cₖ + α² mₖ mₖᵀ) - μ μᵀ`.
    public func covariance(tau: Double) -> Matrix {
        let d = dimension
        let a = ForwardProcess.alpha(tau)
        let s2 = ForwardProcess.sigmaSquared(tau)
        let mu = mean(tau: tau)
        var cov = Matrix(rows: d, columns: d)
        for c in components {
            let sigma = c.covariance.dense(dimension: d)
            for i in 0..<d {
                for j in 0..<d {
                    cov[i, j] += c.weight * (a * a * sigma[i, j] + a * a * c.mean[i] * c.mean[j])
                }
                cov[i, i] += c.weight * s2
            }
        }
        for i in 0..<d { for j in 0..<d { cov[i, j] -= mu[i] * mu[j] } }
        return cov
    }

    /// `Σₖ wₖ (α² Cₖ,ᵢᵢ + α² mₖᵢ² + σ²) - μᵢ²`: the covariance's diagonal in `O(K d)`, never `d × d`.
    public func variances(tau: Double) -> [Double] {
        let a = ForwardProcess.alpha(tau), s2 = ForwardProcess.sigmaSquared(tau)
        let mu = mean(tau: tau)
        var v = [Double](repeating: 0, count: dimension)
        for c in components {
            for i in 0..<dimension { v[i] += c.weight * (a * a * c.covariance.variance(i) + a * a * c.mean[i] * c.mean[i] + s2) }
        }
        for i in 0..<dimension { v[i] -= mu[i] * mu[i] }
        return v
    }

    /// Draws a component index from a uniform by the cumulative weights, then
    /// `x = α mₖ + Cₖ^{1/2} z` with one standard normal vector `z` (slot 1; the uniform is slot 0).
    public func sample(tau: Double, count: Int, noise: NoiseSource, step: Int, firstParticle: Int) -> Matrix {
        let d = dimension
        let a = ForwardProcess.alpha(tau)
        let s2 = ForwardProcess.sigmaSquared(tau)
        let u = noise.uniforms(particles: count, step: step, slot: 0, firstParticle: firstParticle)
        var z = Matrix(rows: count, columns: d)
        noise.fillNormal(&z, step: step, slot: 1, firstParticle: firstParticle)
        var cumulative: [Double] = []
        var total = 0.0
        for c in components { total += c.weight; cumulative.append(total) }
        var out = Matrix(rows: count, columns: d)
        var rotatedNoise = [Double](repeating: 0, count: d)
        for r in 0..<count {
            let target = u[r] * total
            let k = cumulative.firstIndex(where: { target < $0 }) ?? components.count - 1
            let comp = components[k]
            switch prepared[k].shape {
            case let .isotropic(v):
                let sd = (a * a * v + s2).squareRoot()
                for j in 0..<d { out[r, j] = a * comp.mean[j] + sd * z[r, j] }
            case let .diagonal(v):
                for j in 0..<d { out[r, j] = a * comp.mean[j] + (a * a * v[j] + s2).squareRoot() * z[r, j] }
            case let .full(values, vectors, _):
                for j in 0..<d { rotatedNoise[j] = (a * a * values[j] + s2).squareRoot() * z[r, j] }
                for i in 0..<d {
                    var s = 0.0
                    for j in 0..<d { s += vectors[i, j] * rotatedNoise[j] }
                    out[r, i] = a * comp.mean[i] + s
                }
            }
        }
        return out
    }
}
