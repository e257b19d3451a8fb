import Dispatch
import MidpointLinearAlgebra

/// The only way samplers reach a ``Potential``: evaluates gradients (and optionally values) for a batch
/// of rows split into fixed chunks across threads, and counts the work.
///
/// Each call is one *round* (one sequential, batched evaluation); `rowEvaluations` counts gradient
/// evaluations of single rows, so gradient evaluations per chain are `rowEvaluations / chains`.
/// Chunks have a fixed size, so results do not depend on the thread count (BLAS runs one thread
/// inside each chunk).
public final class GradientEvaluator {
    /// The potential evaluated.
    public let potential: any Potential
    /// Number of chains (rows of a state batch).
    public let chains: Int
    /// How batches are split.
    public let chunks: RowChunks
    /// Batched calls so far.
    public private(set) var rounds = 0
    /// Single-row gradient evaluations so far.
    public private(set) var rowEvaluations = 0
    /// Wall time spent inside the potential.
    public private(set) var seconds = 0.0

    /// An evaluator for `chains` chains.
    public init(potential: any Potential, chains: Int, chunks: RowChunks) {
        self.potential = potential
        self.chains = chains
        self.chunks = chunks
    }

    /// Gradient evaluations per chain so far.
    public var gradientsPerChain: Double { Double(rowEvaluations) / Double(chains) }

    /// `∇f` of every row of `x` into `gradients` and, if given, `f` into `values`.
    public func evaluate(_ x: Matrix, into gradients: inout Matrix, values: inout [Double]) {
        evaluate(x, into: &gradients, values: &values, wantValues: true)
    }

    /// `∇f` of every row of `x` into `gradients`.
    public func evaluate(_ x: Matrix, into gradients: inout Matrix) {
        var none: [Double] = []
        evaluate(x, into: &gradients, values: &none, wantValues: false)
    }

    private func evaluate(_ x: Matrix, into gradients: inout Matrix, values: inout [Double], wantValues: Bool) {
        if gradients.rows != x.rows || gradients.columns != x.columns { gradients = Matrix(rows: x.rows, columns: x.columns) }
        if wantValues && values.count != x.rows { values = [Double](repeating: 0, count: x.rows) }
        let start = DispatchTime.now().uptimeNanoseconds
        let potential = self.potential
        x.withView { xv in
            gradients.withMutableView { gv in
                values.withUnsafeMutableBufferPointer { vp in
                    let valuesBase = wantValues ? UnsafeMutablePointerBox(vp.baseAddress!) : nil
                    chunks.forEach(rows: xv.rows) { range in
                        potential.evaluate(x: xv.rows(range), gradients: gv.rows(range),
                                           values: valuesBase.map { $0.pointer + range.lowerBound })
                    }
                }
            }
        }
        seconds += Double(DispatchTime.now().uptimeNanoseconds - start) * 1e-9
        rounds += 1
        rowEvaluations += x.rows
    }
}

/// A pointer that crosses into the chunked closure; chunks write disjoint ranges.
struct UnsafeMutablePointerBox: @unchecked Sendable {
    let pointer: UnsafeMutablePointer<Double>
    init(_ pointer: UnsafeMutablePointer<Double>) { self.pointer = pointer }
}
