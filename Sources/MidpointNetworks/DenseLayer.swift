import MidpointLinearAlgebra

/// One affine layer `y = W a (+ b)` with PyTorch's `out × in` row-major weight, applied to a batch of
/// rows as the single GEMM `Y = A Wᵀ`.
struct DenseLayer: Sendable {
    let inputs: Int
    let outputs: Int
    let weight: [Double]
    let bias: [Double]?

    /// `y ← A Wᵀ + β y` for the `rows × inputs` batch `a` (the caller has put the bias or a sum in `y`
    /// when `beta` is 1).
    @inline(__always)
    func apply(_ a: UnsafePointer<Double>, rows: Int, into y: UnsafeMutablePointer<Double>, beta: Double) {
        weight.withUnsafeBufferPointer { w in
            BLAS.gemm(.none, .transpose, m: rows, n: outputs, k: inputs, alpha: 1, a: a, lda: inputs,
                      b: w.baseAddress!, ldb: inputs, beta: beta, c: y, ldc: outputs)
        }
    }
}
