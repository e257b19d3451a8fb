import Benchmark
import Foundation
import Midpoint

/// MLP score-network inference against the BLAS GEMM rate on the same shapes, in the same run (issue 6's
/// bar: the network reaches at least half the GEMM rate).
///
/// Network: width 256, 3 residual blocks, embedding 128, d = 64 (the digits architecture), seeded random
/// weights; 4096 rows, each at its own time. "GEMMs only" performs exactly the network's matrix products
/// (same m, n, k, same buffers) and nothing else. Both run on one thread, as chunks do inside Midpoint's
/// parallel regions; once as one 4096-row call and once as the ScoreEvaluator's 256-row chunks.
/// GFLOP/s = rows × `gemmFlopsPerRow` / median time (5.37 GFLOP per 4096 rows).
let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration = .init(metrics: [.wallClock, .mallocCountTotal], maxDuration: .seconds(3))
    let rows = 4096
    let arch = MLPArchitecture(dimension: 64, width: 256, blocks: 3)
    let noise = NoiseSource(seed: 7)
    var parameters: [String: (shape: [Int], values: [Double])] = [:]
    for (slot, p) in arch.parameterShapes.enumerated() {
        var m = Matrix(rows: 1, columns: p.shape.reduce(1, *))
        noise.fillNormal(&m, step: 0, slot: slot)
        let fanIn = Double(p.shape.count == 2 ? p.shape[1] : 1)
        parameters[p.name] = (p.shape, m.storage.map { $0 / fanIn.squareRoot() })
    }
    let network = try! MLPScoreNetwork(architecture: arch, parameters: parameters)
    var x = Matrix(rows: rows, columns: 64)
    noise.fillNormal(&x, step: 1, slot: 0)
    let times = (0..<rows).map { 0.001 * pow(8000, Double($0) / Double(rows - 1)) }

    // The network's products as (k = inputs, n = outputs), in evaluation order.
    var shapes = [(arch.embedding, arch.width), (arch.dimension, arch.width)]
    for _ in 0..<arch.blocks { shapes += [(arch.width, arch.width), (arch.width, arch.width), (arch.width, arch.width)] }
    shapes.append((arch.width, arch.dimension))
    let weights = shapes.map { (k, n) in [Double](repeating: 0.01, count: k * n) }
    var a = [Double](repeating: 0.5, count: rows * 256), c = [Double](repeating: 0, count: rows * 256)

    func gemmsOnly(chunk: Int) {
        a.withUnsafeBufferPointer { ap in
            c.withUnsafeMutableBufferPointer { cp in
                for start in stride(from: 0, to: rows, by: chunk) {
                    let m = min(chunk, rows - start)
                    for ((k, n), w) in zip(shapes, weights) {
                        w.withUnsafeBufferPointer { wp in
                            BLAS.gemm(.none, .transpose, m: m, n: n, k: k, alpha: 1, a: ap.baseAddress! + start * k, lda: k,
                                      b: wp.baseAddress!, ldb: k, beta: 1, c: cp.baseAddress! + start * n, ldc: n)
                        }
                    }
                }
            }
        }
    }

    for chunk in [4096, 256] {
        Benchmark("GEMMs only, \(rows) rows in \(chunk)-row calls") { benchmark in
            for _ in benchmark.scaledIterations {
                gemmsOnly(chunk: chunk)
                blackHole(c)
            }
        }
        Benchmark("MLP ε̂, \(rows) rows in \(chunk)-row calls") { benchmark in
            let evaluator = ScoreEvaluator(model: network, particles: rows, chunks: RowChunks(chunkSize: chunk, threads: 1))
            var out = Matrix(rows: rows, columns: 64)
            evaluator.evaluate(times: times, x: x, into: &out)
            benchmark.startMeasurement()
            for _ in benchmark.scaledIterations {
                evaluator.evaluate(times: times, x: x, into: &out)
                blackHole(out)
            }
        }
    }
}
