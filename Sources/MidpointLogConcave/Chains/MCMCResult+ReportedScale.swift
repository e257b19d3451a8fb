extension MCMCResult {
    /// Maps every kept draw to `potential`'s reported scale in place (``ReportedScalePotential``), so the
    /// draws are never held twice. The gradients, if kept, stay in the sampled coordinates: run the Stein
    /// check before this.
    public mutating func mapToReportedScale(_ potential: any ReportedScalePotential) {
        let d = dimension
        guard d > 0 else { return }
        var row = [Double](repeating: 0, count: d)
        row.withUnsafeMutableBufferPointer { scratch in
            draws.withUnsafeMutableBufferPointer { all in
                for r in 0..<(all.count / d) {
                    let point = all.baseAddress! + r * d
                    potential.report(point, into: scratch.baseAddress!)
                    point.update(from: scratch.baseAddress!, count: d)
                }
            }
        }
    }
}
