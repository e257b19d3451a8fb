import Foundation
import MidpointLinearAlgebra

/// The mode of a potential and the curvature there: where warm-up starts its chains and its first
/// preconditioner (`docs/algorithms.md` §11).
///
/// The mode is found by L-BFGS (memory 10, two-loop recursion) with a backtracking Armijo line search,
/// from the origin; it stops when `‖∇f‖∞ ≤ 10⁻⁶ (1 + |f|)`, or when ten iterations in a row lower `f` by less
/// than `10⁻¹²(1 + |f|)`. The Hessian there is the central difference of gradients, `2d` evaluations in one
/// batch. Every evaluation is counted. Caveats: a potential without a minimum (an improper posterior —
/// separable logistic data under flat priors) makes the search run off; it then stops at its iteration cap
/// and reports that it did not converge, and warm-up starts from `N(0, I)` as before.
public struct ModeSearch: Sendable {
    /// The point found.
    public let mode: [Double]
    /// `f` there.
    public let value: Double
    /// `‖∇f‖∞` there.
    public let gradientNorm: Double
    /// L-BFGS iterations.
    public let iterations: Int
    /// Gradient evaluations, single points (each also gives `f`).
    public let gradientEvaluations: Int
    /// Whether the stopping rule was met (not the iteration cap, not a failed line search).
    public let converged: Bool

    /// The most L-BFGS iterations.
    public static let maximumIterations = 2000

    /// Minimizes `potential` from `start` (default the origin).
    public static func find(_ potential: any Potential, from start: [Double]? = nil) -> ModeSearch {
        let d = potential.dimension
        var evaluations = 0
        var g = [Double](repeating: 0, count: d)
        func evaluate(_ x: [Double], _ grad: inout [Double]) -> Double {
            evaluations += 1
            var f = 0.0
            x.withUnsafeBufferPointer { xp in
                grad.withUnsafeMutableBufferPointer { gp in
                    potential.evaluate(x: MatrixView(base: xp.baseAddress!, rows: 1, columns: d),
                                       gradients: MutableMatrixView(base: gp.baseAddress!, rows: 1, columns: d), values: &f)
                }
            }
            return f
        }
        var x = start ?? [Double](repeating: 0, count: d)
        var f = evaluate(x, &g)
        guard f.isFinite, g.allSatisfy({ $0.isFinite }) else {
            return ModeSearch(mode: x, value: f, gradientNorm: .infinity, iterations: 0, gradientEvaluations: evaluations, converged: false)
        }
        let memory = 10
        var ss: [[Double]] = [], ys: [[Double]] = []
        var stalled = 0, iteration = 0, converged = false
        var gNew = g
        while iteration < maximumIterations {
            let norm = g.map(abs).max() ?? 0
            if norm <= 1e-6 * (1 + abs(f)) { converged = true; break }
            iteration += 1
            // Two-loop recursion: p = −H g.
            var q = g
            var alphas = [Double](repeating: 0, count: ss.count)
            for k in stride(from: ss.count - 1, through: 0, by: -1) {
                let rho = 1 / dot(ys[k], ss[k])
                alphas[k] = rho * dot(ss[k], q)
                for j in 0..<d { q[j] -= alphas[k] * ys[k][j] }
            }
            let gamma = ss.isEmpty ? 1 / max(norm, 1) : dot(ss.last!, ys.last!) / dot(ys.last!, ys.last!)
            for j in 0..<d { q[j] *= gamma }
            for k in 0..<ss.count {
                let rho = 1 / dot(ys[k], ss[k])
                let beta = rho * dot(ys[k], q)
                for j in 0..<d { q[j] += ss[k][j] * (alphas[k] - beta) }
            }
            var direction = q.map { -$0 }
            var slope = dot(g, direction)
            if !(slope < 0) {  // not a descent direction: restart from steepest descent
                ss.removeAll(); ys.removeAll()
                direction = g.map { -$0 / max(norm, 1) }
                slope = dot(g, direction)
            }
            // Backtracking Armijo line search.
            var step = 1.0, accepted = false
            var xNew = x, fNew = f
            for _ in 0..<60 {
                for j in 0..<d { xNew[j] = x[j] + step * direction[j] }
                fNew = evaluate(xNew, &gNew)
                if fNew.isFinite, gNew.allSatisfy({ $0.isFinite }), fNew <= f + 1e-4 * step * slope { accepted = true; break }
                step *= 0.5
            }
            // A failed line search at the floating-point floor still counts as converged when the gradient is
            // as small as the stall test accepts.
            guard accepted else { converged = norm <= 1e-3 * (1 + abs(f)); break }
            let s = (0..<d).map { xNew[$0] - x[$0] }, y = (0..<d).map { gNew[$0] - g[$0] }
            if dot(s, y) > 1e-12 * dot(y, y).squareRoot() * dot(s, s).squareRoot() {
                ss.append(s); ys.append(y)
                if ss.count > memory { ss.removeFirst(); ys.removeFirst() }
            }
            stalled = f - fNew < 1e-12 * (1 + abs(f)) ? stalled + 1 : 0
            (x, f, g) = (xNew, fNew, gNew)
            if stalled >= 10 { converged = (g.map(abs).max() ?? 0) <= 1e-3 * (1 + abs(f)); break }
        }
        return ModeSearch(mode: x, value: f, gradientNorm: g.map(abs).max() ?? 0, iterations: iteration,
                          gradientEvaluations: evaluations, converged: converged)
    }

    /// The Hessian of `potential` at `point` by central differences of gradients (step `10⁻⁴` per
    /// coordinate scaled by `1 + |xⱼ|`), symmetrized: `2d` rows in one batched evaluation.
    public static func hessian(_ potential: any Potential, at point: [Double]) -> Matrix {
        let d = potential.dimension
        var x = Matrix(rows: 2 * d, columns: d), g = Matrix(rows: 2 * d, columns: d)
        let steps = point.map { 1e-4 * (1 + abs($0)) }
        for j in 0..<d {
            for k in 0..<d { x[2 * j, k] = point[k]; x[2 * j + 1, k] = point[k] }
            x[2 * j, j] += steps[j]
            x[2 * j + 1, j] -= steps[j]
        }
        x.withView { xv in g.withMutableView { gv in potential.evaluate(x: xv, gradients: gv, values: nil) } }
        var h = Matrix(rows: d, columns: d)
        for j in 0..<d { for k in 0..<d { h[j, k] = (g[2 * j, k] - g[2 * j + 1, k]) / (2 * steps[j]) } }
        for j in 0..<d { for k in 0..<j { let v = 0.5 * (h[j, k] + h[k, j]); h[j, k] = v; h[k, j] = v } }
        return h
    }

    /// The Cholesky factor `L` of `H⁻¹` (the Laplace approximation's covariance), with `H`'s eigenvalues
    /// floored at `10⁻⁸` of the largest (a flat direction gets a wide, finite scale); nil when `H` has no
    /// positive eigenvalue or is not finite.
    public static func covarianceFactor(ofHessian h: Matrix) -> Matrix? {
        guard h.storage.allSatisfy({ $0.isFinite }), let eigen = try? SymmetricEigen(h),
              let top = eigen.values.last, top > 0 else { return nil }
        let floor = 1e-8 * top
        let covariance = eigen.reconstruct { 1 / max($0, floor) }
        return (try? Cholesky(covariance))?.lower
    }

    static func dot(_ a: [Double], _ b: [Double]) -> Double {
        var s = 0.0
        for j in a.indices { s += a[j] * b[j] }
        return s
    }
}
