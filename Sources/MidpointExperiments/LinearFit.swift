import Foundation

/// Ordinary least squares for a straight line, as the experiments fit exponents and rates.
public enum LinearFit {
    /// The slope `b` of the least-squares line `y ≈ a + b x`; NaN with fewer than two points or when
    /// every `x` is equal (the slope is then undetermined).
    public static func slope(_ xs: [Double], _ ys: [Double]) -> Double {
        precondition(xs.count == ys.count, "\(xs.count) x values for \(ys.count) y values")
        guard xs.count >= 2 else { return .nan }
        let mx = xs.reduce(0, +) / Double(xs.count), my = ys.reduce(0, +) / Double(ys.count)
        let sxx = xs.reduce(0) { $0 + ($1 - mx) * ($1 - mx) }
        guard sxx > 0 else { return .nan }
        return zip(xs, ys).reduce(0) { $0 + ($1.0 - mx) * ($1.1 - my) } / sxx
    }

    /// The exponent `k` of a power law `y ∝ xᵏ`: the slope of `log y` against `log x`.
    public static func exponent(_ xs: [Double], _ ys: [Double]) -> Double {
        slope(xs.map { log($0) }, ys.map { log($0) })
    }
}
