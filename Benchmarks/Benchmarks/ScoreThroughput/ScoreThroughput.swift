import Benchmark
import Midpoint

/// Exact-score throughput on the built-in targets: one batched evaluation of 10,000 particles on one
/// thread, either all at one time (what grid-based samplers do) or each row at its own time (what a
/// randomized-midpoint step does). Particle-evaluations per second = 10,000 / median time.
let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration = .init(metrics: [.wallClock, .mallocCountTotal], maxDuration: .seconds(2))
    let particles = 10_000
    for name in ["mixture64", "product1024", "gauss256", "ring2d"] {
        let target = BuiltinTarget(rawValue: name)!.make()
        let x = target.sample(tau: 0.3, count: particles, noise: NoiseSource(seed: 1))
        let timings: [(String, [Double])] = [
            ("one τ", [Double](repeating: 0.3, count: particles)),
            ("per-row τ", (0..<particles).map { 0.05 + 0.5 * Double($0 % 97) / 97 }),
        ]
        for (label, times) in timings {
            Benchmark("score \(name), 10k particles, \(label)") { benchmark in
                let evaluator = ScoreEvaluator(model: target, particles: particles)
                var out = Matrix(rows: particles, columns: target.dimension)
                evaluator.evaluate(times: times, x: x, into: &out)  // touch the output pages once
                benchmark.startMeasurement()
                for _ in benchmark.scaledIterations {
                    evaluator.evaluate(times: times, x: x, into: &out)
                    blackHole(out)
                }
            }
        }
    }
}
