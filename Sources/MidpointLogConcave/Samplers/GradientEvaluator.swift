import MidpointLinearAlgebra

/// The counted evaluator of a ``Potential``: the only way samplers reach `∇f` (see
/// ``CountedEvaluator`` for what it counts). Gradient evaluations per chain are rows per chain.
public typealias GradientEvaluator = CountedEvaluator<any Potential>

extension CountedEvaluator where Function == any Potential {
    /// An evaluator for `chains` chains.
    public convenience init(potential: any Potential, chains: Int, chunks: RowChunks) {
        self.init(potential, particles: chains, chunks: chunks)
    }

    /// The potential evaluated.
    public var potential: any Potential { function }
    /// Gradient evaluations per chain so far.
    public var gradientsPerChain: Double { evaluationsPerParticle }

    /// `∇f` of every row of `x` into `gradients` and `f` into `values`: one round.
    public func evaluate(_ x: Matrix, into gradients: inout Matrix, values: inout [Double]) {
        evaluate(x, into: &gradients, values: &values, wantValues: true)
    }

    /// `∇f` of every row of `x` into `gradients`: one round.
    public func evaluate(_ x: Matrix, into gradients: inout Matrix) {
        var none: [Double] = []
        evaluate(x, into: &gradients, values: &none, wantValues: false)
    }

    /// `∇f` of every row of `x` into `gradients` (same shape), and `f` into `values[0 ..< x.rows]` when
    /// given: one round. The form for workspace buffers, which are views rather than ``Matrix`` values.
    public func evaluate(_ x: MatrixView, into gradients: MutableMatrixView, values: UnsafeMutablePointer<Double>? = nil) {
        precondition(gradients.rows == x.rows && gradients.columns == x.columns, "gradients must have the shape of x")
        let potential = self.potential
        let valuesBase = values.map(UnsafeMutablePointerBox.init)
        round(rows: x.rows) { range in
            potential.evaluate(x: x.rows(range), gradients: gradients.rows(range),
                               values: valuesBase.map { $0.pointer + range.lowerBound })
        }
    }

    private func evaluate(_ x: Matrix, into gradients: inout Matrix, values: inout [Double], wantValues: Bool) {
        if gradients.rows != x.rows || gradients.columns != x.columns { gradients = Matrix(rows: x.rows, columns: x.columns) }
        if wantValues && values.count != x.rows { values = [Double](repeating: 0, count: x.rows) }
        x.withView { xv in
            gradients.withMutableView { gv in
                values.withUnsafeMutableBufferPointer { vp in
                    evaluate(xv, into: gv, values: wantValues ? vp.baseAddress : nil)
                }
            }
        }
    }
}

/// A pointer that crosses into the chunked closure; chunks write disjoint ranges.
struct UnsafeMutablePointerBox: @unchecked Sendable {
    let pointer: UnsafeMutablePointer<Double>
    init(_ pointer: UnsafeMutablePointer<Double>) { self.pointer = pointer }
}
