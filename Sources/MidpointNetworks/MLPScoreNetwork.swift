import Foundation
import MidpointLinearAlgebra
import MidpointScoreModels

/// An ε-prediction MLP score network, the kind `scripts/train_score.py` trains in PyTorch.
///
/// With `λ(τ)` the log signal-to-noise ratio of the forward process and `SiLU(x) = x/(1 + e^{-x})`:
///
///     e  = [sin(f_k u), cos(f_k u)]_{k < E/2},   u = time_scale·λ(τ),   f_k = max_period^(-2k/E)
///     t  = SiLU(W_t e + b_t)
///     h  = W_in x + b_in + t
///     block i:  z = W_i1 SiLU(h) + b_i1 + U_i t,   h = [h +] W_i2 SiLU(z) + b_i2   (the sum if residual)
///     ε̂  = W_out SiLU(h) + b_out,                 s(τ, x) = -ε̂/σ(τ)
///
/// Parameters are read from float32/float16/bfloat16/float64 tensors and held as `Double`; evaluation is
/// in double precision, so it reproduces PyTorch's float64 evaluation of the same weights to rounding and
/// its float32 evaluation to float32's accuracy. Rows are evaluated in blocks of ``blockRows`` (the last
/// padded), each costing `3B + 3` GEMMs (``MLPArchitecture/gemmFlopsPerRow`` per row) through BLAS plus
/// elementwise SiLU in a vectorized kernel; the fixed block makes results independent of batch size.
///
/// The score is `-ε̂/σ`, so it grows like `1/σ(τ) ≈ 1/√(2τ)` as `τ → 0`, as the true score does;
/// samplers stop at `δ > 0`. Rows with the same time as the row before reuse its embedding (common in
/// deterministic samplers, where a whole batch shares one time).
public struct MLPScoreNetwork: ScoreModel {
    /// The architecture (from the file's metadata).
    public let architecture: MLPArchitecture
    /// Every metadata string of the file, including the optional descriptive keys.
    public let metadata: [String: String]

    let time: DenseLayer
    let input: DenseLayer
    let blocks: [(linear1: DenseLayer, time: DenseLayer, linear2: DenseLayer)]
    let output: DenseLayer
    /// The embedding frequencies `f_k`, `E/2` of them.
    let frequencies: [Double]

    public var dimension: Int { architecture.dimension }

    /// A network from named parameters (values row-major, shapes as in ``MLPArchitecture/parameterShapes``).
    ///
    /// - Throws: ``NetworkError`` when a parameter is missing, has the wrong shape or is not finite,
    ///   or when `parameters` holds names the architecture does not use.
    public init(architecture: MLPArchitecture, parameters: [String: (shape: [Int], values: [Double])],
                metadata: [String: String] = [:]) throws(NetworkError) {
        var used = Set<String>()
        for (name, expected) in architecture.parameterShapes {
            guard let p = parameters[name] else { throw .missingParameter(name) }
            guard p.shape == expected, p.values.count == expected.reduce(1, *) else {
                throw .parameterShape(name: name, shape: p.shape, expected: expected)
            }
            guard p.values.allSatisfy(\.isFinite) else { throw .nonFiniteParameter(name) }
            used.insert(name)
        }
        let extra = parameters.keys.filter { !used.contains($0) }
        guard extra.isEmpty else { throw .unexpectedParameters(extra) }

        func layer(_ prefix: String, bias: Bool = true) -> DenseLayer {
            let w = parameters[prefix + ".weight"]!
            return DenseLayer(inputs: w.shape[1], outputs: w.shape[0], weight: w.values,
                              bias: bias ? parameters[prefix + ".bias"]!.values : nil)
        }
        self.architecture = architecture
        self.metadata = metadata.merging(architecture.metadata) { _, fromArchitecture in fromArchitecture }
        time = layer("time")
        input = layer("input")
        blocks = (0..<architecture.blocks).map {
            (layer("blocks.\($0).linear1"), layer("blocks.\($0).time", bias: false), layer("blocks.\($0).linear2"))
        }
        output = layer("output")
        let half = architecture.embedding / 2
        let logPeriod = log(architecture.maxPeriod)
        frequencies = (0..<half).map { exp(-logPeriod * Double($0) / Double(half)) }
    }

    public func score(times: UnsafeBufferPointer<Double>, x: MatrixView, into scores: MutableMatrixView) {
        predictNoise(times: times, x: x, into: scores)
        for i in 0..<x.rows {
            let scale = -1 / ForwardProcess.sigma(times[i])
            let row = scores.base + i * dimension
            for j in 0..<dimension { row[j] *= scale }
        }
    }

    /// Rows per GEMM: every product has exactly this many rows, a partial block is padded.
    ///
    /// BLAS may round a row differently depending on the product's row count (edge kernels, blocking),
    /// so a fixed shape is what makes a particle's result independent of the batch size. 256 matches
    /// ``RowChunks/defaultChunkSize``, so within the evaluator's chunks a particle always sits at the
    /// same row of the same shape of product.
    public static let blockRows = 256

    /// Writes the network's noise prediction `ε̂(τᵢ, xᵢ)` into row `i` of `noise`.
    ///
    /// - Precondition: `times.count == x.rows == noise.rows`, both with ``dimension`` columns.
    public func predictNoise(times: UnsafeBufferPointer<Double>, x: MatrixView, into noise: MutableMatrixView) {
        let rows = x.rows, d = dimension, block = Self.blockRows
        precondition(times.count == rows && noise.rows == rows && x.columns == d && noise.columns == d,
                     "batch shapes do not match the network (dimension \(d))")
        guard rows > 0 else { return }
        let w = architecture.width, e = architecture.embedding
        // One scratch allocation per call: the embedding, four block × W activations, and a padded
        // input, output and time vector for a partial last block.
        let scratch = UnsafeMutablePointer<Double>.allocate(capacity: block * (e + 4 * w + 2 * d + 1))
        defer { scratch.deallocate() }
        let padX = scratch + block * (e + 4 * w), padOut = padX + block * d, padTimes = padOut + block * d
        for start in stride(from: 0, to: rows, by: block) {
            let count = min(block, rows - start)
            if count == block {
                forward(times: times.baseAddress! + start, x: x.base + start * d, into: noise.base + start * d, scratch: scratch)
            } else {
                padX.update(from: x.base + start * d, count: count * d)
                padX.advanced(by: count * d).update(repeating: 0, count: (block - count) * d)
                padTimes.update(from: times.baseAddress! + start, count: count)
                padTimes.advanced(by: count).update(repeating: times[start + count - 1], count: block - count)
                forward(times: padTimes, x: padX, into: padOut, scratch: scratch)
                (noise.base + start * d).update(from: padOut, count: count * d)
            }
        }
    }

    /// ε̂ for one block of exactly ``blockRows`` rows.
    private func forward(times: UnsafePointer<Double>, x: UnsafePointer<Double>, into out: UnsafeMutablePointer<Double>,
                         scratch: UnsafeMutablePointer<Double>) {
        let rows = Self.blockRows, d = dimension
        let w = architecture.width, e = architecture.embedding
        let emb = scratch, t = scratch + rows * e, h = t + rows * w, a = h + rows * w, z = a + rows * w

        embed(times: UnsafeBufferPointer(start: times, count: rows), into: emb)
        // t = SiLU(W_t e + b_t)
        VectorKernels.fillRows(t, bias: time.bias!, adding: nil, rows: rows, columns: w)
        time.apply(emb, rows: rows, into: t, beta: 1)
        VectorKernels.silu(t, into: t, count: rows * w)
        // h = W_in x + b_in + t
        VectorKernels.fillRows(h, bias: input.bias!, adding: t, rows: rows, columns: w)
        input.apply(x, rows: rows, into: h, beta: 1)
        for block in blocks {
            VectorKernels.silu(h, into: a, count: rows * w)
            VectorKernels.fillRows(z, bias: block.linear1.bias!, adding: nil, rows: rows, columns: w)
            block.linear1.apply(a, rows: rows, into: z, beta: 1)
            block.time.apply(t, rows: rows, into: z, beta: 1)
            VectorKernels.silu(z, into: z, count: rows * w)
            if architecture.residual {
                // h += W_2 SiLU(z) + b_2: the bias first, then the product accumulates onto h.
                block.linear2.bias!.withUnsafeBufferPointer { b in
                    for i in 0..<rows {
                        let row = h + i * w
                        for j in 0..<w { row[j] += b[j] }
                    }
                }
            } else {
                VectorKernels.fillRows(h, bias: block.linear2.bias!, adding: nil, rows: rows, columns: w)
            }
            block.linear2.apply(z, rows: rows, into: h, beta: 1)
        }
        VectorKernels.silu(h, into: a, count: rows * w)
        VectorKernels.fillRows(out, bias: output.bias!, adding: nil, rows: rows, columns: d)
        output.apply(a, rows: rows, into: out, beta: 1)
    }

    /// Row `i` of `out` (`rows × E`) becomes `[sin(f_k uᵢ)…, cos(f_k uᵢ)…]`.
    private func embed(times: UnsafeBufferPointer<Double>, into out: UnsafeMutablePointer<Double>) {
        let e = architecture.embedding, half = e / 2
        frequencies.withUnsafeBufferPointer { f in
            for i in 0..<times.count {
                let row = out + i * e
                if i > 0, times[i] == times[i - 1] {
                    row.update(from: row - e, count: e)
                    continue
                }
                let u = architecture.timeScale * ForwardProcess.logSNR(times[i])
                for k in 0..<half {
                    let arg = u * f[k]
                    row[k] = sin(arg)
                    row[half + k] = cos(arg)
                }
            }
        }
    }
}
