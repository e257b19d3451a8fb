/// A potential sampled in unconstrained, transformed coordinates whose parameters users read on their own
/// scale (a regression's coefficients per unit of the original predictor, `σ` rather than `log σ`).
///
/// Summaries, draws files and reference comparisons use the reported scale; the samplers, warm-up and the
/// Stein check work in the sampled coordinates. The map is one-to-one, parameter by parameter in order.
public protocol ReportedScalePotential: Potential {
    /// The names of the reported parameters (`Intercept`, `b[age]`, `sigma`), as many as ``dimension``.
    var reportedNames: [String] { get }
    /// Writes the reported parameters of the sampled point `theta` (``dimension`` values) to `out`.
    func report(_ theta: UnsafePointer<Double>, into out: UnsafeMutablePointer<Double>)
}

extension ReportedScalePotential {
    /// Maps every row of `draws` (a flat array of points of ``dimension`` values) to the reported scale.
    public func reported(_ draws: [Double]) -> [Double] {
        let d = dimension
        var out = [Double](repeating: 0, count: draws.count)
        draws.withUnsafeBufferPointer { src in
            out.withUnsafeMutableBufferPointer { dst in
                for r in 0..<(d == 0 ? 0 : draws.count / d) {
                    report(src.baseAddress! + r * d, into: dst.baseAddress! + r * d)
                }
            }
        }
        return out
    }
}
