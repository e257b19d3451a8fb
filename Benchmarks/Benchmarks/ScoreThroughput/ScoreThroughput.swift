import Benchmark
import Midpoint

/// Exact-score throughput on the built-in targets: one batched evaluation of 10,000 particles at
/// per-row times (as a randomized-midpoint step makes), on one thread. Throughput in
/// particle-evaluations per second is 10,000 / (median time per iteration).
let benchmarks: @Sendable () -> Void = {
    BLAS.setThreadCount(1)
    Benchmark.defaultConfiguration = .init(metrics: [.wallClock, .mallocCountTotal], maxDuration: .seconds(3))
    for name in ["mixture64", "product1024", "gauss256", "ring2d"] {
        let target = BuiltinTarget(rawValue: name)!.make()
        let particles = 10_000
        let x = target.sample(tau: 0.3, count: particles, noise: NoiseSource(seed: 1))
        let times = (0..<particles).map { 0.05 + 0.5 * Double($0 % 97) / 97 }
        Benchmark("score \(name) 10k particles, 1 thread") { benchmark in
            let evaluator = ScoreEvaluator(model: target, particles: particles)
            var out = Matrix(rows: particles, columns: target.dimension)
            for _ in benchmark.scaledIterations {
                evaluator.evaluate(times: times, x: x, into: &out)
                blackHole(out)
            }
        }
    }
}
