import Foundation
import MidpointLinearAlgebra
import MidpointRandom

/// The extreme eigenvalues of a potential's Hessian near the chains (`docs/algorithms.md` §11): `k`
/// Lanczos iterations per chain on Hessian-vector products taken by finite differences of gradients,
/// `∇²f(x) u ≈ (∇f(x + εu) - ∇f(x)) / ε`.
///
/// Each iteration is one batched gradient evaluation over all chains (one round, counted like any other
/// gradient). The Ritz values of the `k × k` tridiagonal matrix bracket the spectrum from inside:
/// the largest is a lower bound on `λ_max` and the smallest an upper bound on `λ_min`; with full
/// reorthogonalization and `k = min(d, 20)` both are within a few per cent on the targets measured
/// (exact when `k = d`). The estimate is the largest Ritz value over chains and the smallest over chains,
/// so it covers the curvature everywhere the chains are.
public struct CurvatureEstimate: Sendable, Equatable {
    /// Estimated largest eigenvalue (the step-size limit `L`).
    public let largest: Double
    /// Estimated smallest eigenvalue (`m`, floored at `largest · 1e-8`).
    public let smallest: Double

    /// Lanczos iterations used by default: `min(d, 20)`.
    public static func defaultIterations(dimension d: Int) -> Int { min(d, 20) }

    /// Estimates the curvature of the evaluator's potential at every row of `x`, whose gradients are
    /// `gradients`; start vectors come from Philox step `step`, slot `slot`.
    public static func estimate(at x: Matrix, gradients: Matrix, evaluator: GradientEvaluator, noise: NoiseSource,
                                step: Int, slot: Int, iterations: Int? = nil) -> CurvatureEstimate {
        let (c, d) = (x.rows, x.columns)
        let k = max(1, min(iterations ?? defaultIterations(dimension: d), d))
        // Finite-difference step: relative to the point's size, about √ε_machine in effect.
        let epsilon = 1e-5
        var start = Matrix(rows: c, columns: d)
        noise.fillNormal(&start, step: step, slot: slot)
        var basis = [Matrix]()                    // q₁ … q_k, one row per chain
        var q = start
        for i in 0..<c { normalize(row: i, of: &q) }
        var alpha = Matrix(rows: c, columns: k), beta = Matrix(rows: c, columns: k)
        var probe = Matrix(rows: c, columns: d), g = Matrix(rows: c, columns: d)
        var used = k
        for j in 0..<k {
            basis.append(q)
            for i in 0..<c { for l in 0..<d { probe[i, l] = x[i, l] + epsilon * q[i, l] } }
            evaluator.evaluate(probe, into: &g)
            // w = H q, then full reorthogonalization against every basis vector (twice is enough).
            var w = Matrix(rows: c, columns: d)
            for i in 0..<c { for l in 0..<d { w[i, l] = (g[i, l] - gradients[i, l]) / epsilon } }
            for i in 0..<c { alpha[i, j] = dot(w, basis[j], row: i) }
            for _ in 0..<2 {
                for b in basis {
                    for i in 0..<c {
                        let p = dot(w, b, row: i)
                        for l in 0..<d { w[i, l] -= p * b[i, l] }
                    }
                }
            }
            guard j + 1 < k else { break }
            var next = w
            var exhausted = false
            for i in 0..<c {
                let norm = dot(w, w, row: i).squareRoot()
                beta[i, j] = norm
                if norm <= 1e-12 * max(abs(alpha[i, j]), 1e-300) { exhausted = true }
                for l in 0..<d { next[i, l] = norm > 0 ? w[i, l] / norm : 0 }
            }
            // An invariant subspace found for some chain: its Ritz values are exact; stop for all.
            if exhausted { used = j + 1; break }
            q = next
        }
        var largest = -Double.infinity, smallest = Double.infinity
        for i in 0..<c {
            var t = Matrix(rows: used, columns: used)
            for j in 0..<used {
                t[j, j] = alpha[i, j]
                if j + 1 < used { t[j, j + 1] = beta[i, j]; t[j + 1, j] = beta[i, j] }
            }
            guard let eigen = try? SymmetricEigen(t), let lo = eigen.values.first, let hi = eigen.values.last else { continue }
            largest = max(largest, hi)
            smallest = min(smallest, lo)
        }
        guard largest.isFinite, largest > 0 else { return CurvatureEstimate(largest: .nan, smallest: .nan) }
        return CurvatureEstimate(largest: largest, smallest: max(smallest, largest * 1e-8))
    }

    /// A curvature with the given extremes.
    public init(largest: Double, smallest: Double) {
        self.largest = largest
        self.smallest = smallest
    }

    private static func dot(_ a: Matrix, _ b: Matrix, row i: Int) -> Double {
        var s = 0.0
        for l in 0..<a.columns { s += a[i, l] * b[i, l] }
        return s
    }

    private static func normalize(row i: Int, of m: inout Matrix) {
        let n = dot(m, m, row: i).squareRoot()
        guard n > 0 else { return }
        for l in 0..<m.columns { m[i, l] /= n }
    }
}
