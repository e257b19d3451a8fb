import Foundation
import MidpointDiffusion
import MidpointFormats
import MidpointLinearAlgebra
import MidpointPlots
import MidpointScoreModels

/// How the cost to reach an error tolerance grows with the dimension (`docs/parallel.md`): for each
/// sampler and dimension, the fewest grid steps whose run brings the family's exact W2 under the
/// tolerance, then the exponent of `d` fitted to NFE and to rounds.
///
/// Candidate grids have 2, 3, 4, 6, 8, 12, … steps (powers of two and their 3/2 multiples). Costs grow
/// with `d`, so the search at the next dimension starts two candidates (about half the steps) below the
/// previous answer and walks down while runs still pass: the reported step count is the first passing
/// candidate, never a guess. The exponent of `d` is the least-squares slope of `log NFE` against
/// `log d`; rounds are fitted against `log d` (an exponent) and against `ln d` (rounds per `ln d`: a
/// polylogarithmic growth shows as a bounded slope there, a power growth does not).
public struct ScalingStudy {
    /// The allowed dimensions of a study.
    public static let dimensionRange = 1...100_000
    /// The allowed grid-step caps of the search (a grid needs two steps for every sampler).
    public static let maxStepsRange = 2...1_000_000

    /// A sampler to study, under the name it is reported by.
    public typealias Entry = (name: String, sampler: any DiffusionSampler)

    /// The target family and its error measure.
    public var family: ScalingFamily
    /// Dimensions, ascending.
    public var dimensions: [Int]
    /// The W2 tolerance to reach.
    public var tolerance: Double
    /// The samplers.
    public var samplers: [Entry]
    /// The most grid steps tried.
    public var maxSteps: Int
    /// Run options for a grid of a given number of steps (particles, seed, horizon, threads…).
    public var options: (Int) -> DiffusionRunOptions
    /// How samplers see each target (for example with a per-call latency).
    public var wrap: (any ScoreModel) -> any ScoreModel = { $0 }

    /// A study of `samplers` on `family` at `dimensions` (sorted here).
    public init(family: ScalingFamily, dimensions: [Int], tolerance: Double, samplers: [Entry], maxSteps: Int,
                options: @escaping (Int) -> DiffusionRunOptions) {
        precondition(!dimensions.isEmpty && dimensions.allSatisfy { $0 >= 1 }, "dimensions must be ≥ 1")
        precondition(tolerance.isFinite && tolerance > 0, "tolerance must be finite and > 0")
        precondition(maxSteps >= 2, "at least 2 steps")
        self.family = family
        self.dimensions = dimensions.sorted()
        self.tolerance = tolerance
        self.samplers = samplers
        self.maxSteps = maxSteps
        self.options = options
    }

    /// One sampler at one dimension: the cheapest passing grid, or nil when none up to `maxSteps` passes.
    public struct Point: Sendable {
        public var sampler: String
        public var dimension: Int
        /// Grid steps of the cheapest passing run; nil when none passed.
        public var steps: Int?
        public var nfe: Double, rounds: Int, w2: Double, seconds: Double
        /// Why the search stopped before `maxSteps` without a passing grid (the memory a longer grid
        /// would need); nil when it did not.
        public var stopped: SamplingError? = nil
    }

    /// Fitted growth of one sampler's cost with `d`.
    public struct Fit: Sendable {
        public var sampler: String
        /// `k` in `NFE ∝ dᵏ`.
        public var nfeExponent: Double
        /// `k` in `rounds ∝ dᵏ`.
        public var roundsExponent: Double
        /// Rounds added per unit of `ln d`.
        public var roundsPerLogD: Double
    }

    /// The candidate step counts up to `maxSteps`: 2, 3, 4, 6, 8, 12, …
    public static func candidates(upTo maxSteps: Int) -> [Int] {
        var out: Set<Int> = []
        var s = 2
        while s <= maxSteps {
            out.insert(s)
            if s * 3 / 2 <= maxSteps { out.insert(s * 3 / 2) }
            s *= 2
        }
        return out.sorted()
    }

    /// The bytes one attempt holds at its peak: the sampler's working matrices on a grid of `steps`
    /// steps and the matrices the family's error measure keeps, each `particles × dimension` doubles.
    public func estimatedBytes(_ sampler: any DiffusionSampler, steps: Int, dimension: Int) -> Double {
        let particles = options(steps).particles
        return DiffusionRun.estimatedBytes(sampler, steps: steps, particles: particles, dimension: dimension)
            + Double(family.heldMatrices) * Double(particles) * Double(dimension) * 8
    }

    /// Throws ``SamplingError/insufficientMemory(sampler:bytes:budget:hint:)`` before any work when even
    /// the shortest grid a sampler may try at the largest dimension would not fit in `budget`.
    public func checkMemory(budget: MemoryBudget = .current()) throws(SamplingError) {
        guard let d = dimensions.last else { return }
        for (name, sampler) in samplers {
            guard let steps = Self.candidates(upTo: maxSteps).first(where: { $0 >= sampler.minimumSteps }) else { continue }
            let bytes = estimatedBytes(sampler, steps: steps, dimension: d)
            if bytes > budget.usable {
                throw .insufficientMemory(sampler: name, bytes: bytes, budget: budget,
                                          hint: "its shortest grid (\(steps) steps) at d = \(d) does not fit; use fewer --particles or smaller --dims")
            }
        }
    }

    /// Runs the study; `progress` hears which sampler, dimension and grid is running, `finished` every
    /// point as it is settled (with all points so far, so that a caller can keep them on disk).
    ///
    /// A grid whose run would not fit in memory (``estimatedBytes(_:steps:dimension:)`` against
    /// `budget`) ends that sampler's search at that dimension with the refusal in ``Point/stopped``; a
    /// diverged or unstable run only fails to reach the tolerance.
    public func run(budget: MemoryBudget = .current(), progress: (String) -> Void = { _ in },
                    finished: ([Point]) -> Void = { _ in }) throws(SamplingError) -> (points: [Point], fits: [Fit]) {
        let candidates = Self.candidates(upTo: maxSteps)
        var points: [Point] = [], fits: [Fit] = []
        for (name, sampler) in samplers {
            var passed: [Point] = []
            var previous = 0  // candidate index of the previous dimension's answer
            for d in dimensions {
                let measure = try family.measure(dimension: d, wrap: wrap)
                var stopped: SamplingError?
                func attempt(_ steps: Int) -> ScalingFamily.Outcome? {
                    progress("\(name) d=\(d) steps=\(steps)")
                    let bytes = estimatedBytes(sampler, steps: steps, dimension: d)
                    if bytes > budget.usable {
                        stopped = .insufficientMemory(sampler: name, bytes: bytes, budget: budget,
                                                      hint: "a grid of \(steps) steps at d = \(d) does not fit; use fewer --particles or a smaller --max-steps")
                        return nil
                    }
                    var o = options(steps)
                    o.denoise = false
                    // A diverged or unstable run does not reach the tolerance: the search goes on.
                    guard let r = try? measure(sampler, o), r.w2 <= tolerance else { return nil }
                    return r
                }
                var index = max(previous - 2, 0)
                var best: (index: Int, outcome: ScalingFamily.Outcome)?
                while index < candidates.count, best == nil, stopped == nil {
                    if let r = attempt(candidates[index]) { best = (index, r) } else { index += 1 }
                }
                while let current = best, current.index > 0, stopped == nil, let r = attempt(candidates[current.index - 1]) {
                    best = (current.index - 1, r)
                }
                if let best {
                    let r = best.outcome
                    let point = Point(sampler: name, dimension: d, steps: candidates[best.index], nfe: r.nfe, rounds: r.rounds,
                                      w2: r.w2, seconds: r.seconds)
                    points.append(point)
                    passed.append(point)
                    previous = best.index
                } else {
                    points.append(Point(sampler: name, dimension: d, steps: nil, nfe: .nan, rounds: 0, w2: .nan, seconds: .nan,
                                        stopped: stopped))
                    previous = candidates.count
                }
                finished(points)
            }
            let ds = passed.map { Double($0.dimension) }
            fits.append(Fit(sampler: name, nfeExponent: LinearFit.exponent(ds, passed.map(\.nfe)),
                            roundsExponent: LinearFit.exponent(ds, passed.map { Double($0.rounds) }),
                            roundsPerLogD: LinearFit.slope(ds.map { log($0) }, passed.map { Double($0.rounds) })))
        }
        return (points, fits)
    }
}

extension ScalingStudy {
    /// One row per sampler and dimension.
    public func table(_ points: [Point]) -> Table {
        var table = Table(columns: ["sampler", "d", "steps", "NFE", "rounds", "W2", "seconds"])
        for p in points {
            if let steps = p.steps {
                table.append([.text(p.sampler), .integer(p.dimension), .integer(steps), .number(p.nfe), .integer(p.rounds),
                              .number(p.w2), .number(p.seconds)])
            } else if case let .insufficientMemory(_, bytes, _, _)? = p.stopped {
                table.append([.text(p.sampler), .integer(p.dimension), .text("memory (\(MemoryBudget.describe(bytes)))"),
                              .text(""), .text(""), .text(""), .text("")])
            } else {
                table.append([.text(p.sampler), .integer(p.dimension), .text("> \(maxSteps)"), .text(""), .text(""), .text(""), .text("")])
            }
        }
        return table
    }

    /// One row per sampler: the fitted exponents.
    public func fitTable(_ fits: [Fit]) -> Table {
        var table = Table(columns: ["sampler", "NFE ∝ d^k: k", "rounds ∝ d^k: k", "rounds per ln d"])
        for f in fits {
            table.append([.text(f.sampler), .number(f.nfeExponent), .number(f.roundsExponent), .number(f.roundsPerLogD)])
        }
        return table
    }

    /// NFE and rounds to reach the tolerance against `d`, log-log, one series per sampler.
    public func chart(_ points: [Point], particles: Int) -> SVGChart {
        let names = samplers.map(\.name)
        let passed = points.filter { $0.steps != nil }
        func series(_ value: (Point) -> Double) -> [SVGChart.Series] {
            names.map { name in SVGChart.Series(name: name, points: passed.filter { $0.sampler == name }.map { (Double($0.dimension), value($0)) }) }
        }
        return SVGChart(title: "cost to reach W2 ≤ \(tolerance) on \(family.lawDescription), \(particles) particles",
                        xLabel: "dimension d", floorLabel: "",
                        panels: [SVGChart.Panel(title: "NFE", series: series(\.nfe)),
                                 SVGChart.Panel(title: "rounds", series: series { Double($0.rounds) })],
                        columns: 2, xTicks: dimensions.map(Double.init))
    }
}
