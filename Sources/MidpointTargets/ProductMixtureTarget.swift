import Foundation
import MidpointLinearAlgebra
import MidpointRandom
import MidpointScoreModels

/// The product of `d` identical, independent one-dimensional mixtures: every coordinate follows
/// ``ScalarMixture``.
///
/// The score is coordinate-wise: `s(τ, x)ⱼ = Σₖ rₖ(xⱼ) (-(xⱼ - α mₖ)/cₖ)` with `cₖ = α² vₖ + σ²` and
/// responsibilities by log-sum-exp per coordinate. The `d·N` coordinates of `N` samples pool into one
/// 1-D sample whose exact law is known: the most precise error measurement there is.
public struct ProductMixtureTarget: ExactTarget {
    /// The law of each coordinate.
    public let marginal: ScalarMixture
    /// The dimension `d`.
    public let dimension: Int
    /// One line saying what the target is.
    public let summary: String

    /// The `dimension`-fold product of `marginal`.
    /// - Throws: ``TargetError`` if `dimension < 1`.
    public init(marginal: ScalarMixture, dimension: Int, summary: String = "product of 1-D mixtures") throws(TargetError) {
        guard dimension >= 1 else {
            throw .invalidField(path: "dimension", reason: "must be an integer ≥ 1, got \(dimension)")
        }
        self.marginal = marginal
        self.dimension = dimension
        self.summary = summary
    }

    public func score(times: UnsafeBufferPointer<Double>, x: MatrixView, into scores: MutableMatrixView) {
        let k = marginal.weights.count
        let d = dimension
        var coefficients = [Double](repeating: 0, count: 4 * k)
        coefficients.withUnsafeMutableBufferPointer { cp in
            let (center, inverse, offset, term) = (cp.baseAddress!, cp.baseAddress! + k, cp.baseAddress! + 2 * k, cp.baseAddress! + 3 * k)
            for i in 0..<x.rows {
                rowConstants(tau: times[i], center: center, inverse: inverse, offset: offset)
                let (xi, si) = (x.row(i), scores.row(i))
                if k == 2 {
                    // r₁ = 1/(1 + e^{ℓ₀-ℓ₁}): one exponential per coordinate, in a vector kernel.
                    VectorKernels.twoComponentScore(xi, into: si, count: d, centers: (center[0], center[1]),
                                                    inverseVariances: (inverse[0], inverse[1]),
                                                    logOffset: offset[0] - offset[1])
                } else {
                    for j in 0..<d {
                        var top = -Double.infinity
                        for c in 0..<k {
                            let diff = xi[j] - center[c]
                            term[c] = offset[c] - 0.5 * diff * diff * inverse[c]
                            top = max(top, term[c])
                        }
                        var sum = 0.0, weighted = 0.0
                        for c in 0..<k {
                            let e = VectorKernels.exp(term[c] - top)
                            sum += e
                            weighted -= e * (xi[j] - center[c]) * inverse[c]
                        }
                        si[j] = weighted / sum
                    }
                }
            }
        }
    }

    /// Per-row constants of component `c` at `τ`: center `α mₖ`, `1/cₖ`, and `log wₖ - ½ log cₖ`.
    func rowConstants(tau: Double, center: UnsafeMutablePointer<Double>, inverse: UnsafeMutablePointer<Double>,
                      offset: UnsafeMutablePointer<Double>) {
        let a = ForwardProcess.alpha(tau), s2 = ForwardProcess.sigmaSquared(tau)
        for c in marginal.weights.indices {
            let v = a * a * marginal.variances[c] + s2
            center[c] = a * marginal.means[c]
            inverse[c] = 1 / v
            offset[c] = log(marginal.weights[c]) - 0.5 * log(v)
        }
    }

    public func logDensity(tau: Double, at x: [Double]) -> Double {
        precondition(x.count == dimension, "point has \(x.count) coordinates, target has \(dimension)")
        return x.reduce(0) { $0 + marginal.logDensity(tau: tau, $1) }
    }

    public func mean(tau: Double) -> [Double] {
        [Double](repeating: marginal.mean(tau: tau), count: dimension)
    }

    public func covariance(tau: Double) -> Matrix {
        Matrix.diagonal([Double](repeating: marginal.variance(tau: tau), count: dimension))
    }

    /// Every coordinate's variance is the marginal's.
    public func variances(tau: Double) -> [Double] {
        [Double](repeating: marginal.variance(tau: tau), count: dimension)
    }

    /// Each coordinate draws its component from a uniform (slot 0) and its normal from slot 1.
    public func sample(tau: Double, count: Int, noise: NoiseSource, step: Int, firstParticle: Int) -> Matrix {
        let a = ForwardProcess.alpha(tau), s2 = ForwardProcess.sigmaSquared(tau)
        var u = Matrix(rows: count, columns: dimension)
        var z = Matrix(rows: count, columns: dimension)
        noise.fillUniform(&u, step: step, slot: 0, firstParticle: firstParticle)
        noise.fillNormal(&z, step: step, slot: 1, firstParticle: firstParticle)
        var cumulative: [Double] = []
        var total = 0.0
        for w in marginal.weights { total += w; cumulative.append(total) }
        let centers = marginal.means.map { a * $0 }
        let sds = marginal.variances.map { (a * a * $0 + s2).squareRoot() }
        for idx in 0..<(count * dimension) {
            let target = u.storage[idx] * total
            let k = cumulative.firstIndex(where: { target < $0 }) ?? cumulative.count - 1
            z.storage[idx] = centers[k] + sds[k] * z.storage[idx]
        }
        return z
    }
}
