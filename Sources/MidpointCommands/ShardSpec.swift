import ArgumentParser

/// `sample --shard i/n` or `--shard auto`: which part of a run this process draws.
///
/// `auto` reads a Kubernetes Indexed Job's `JOB_COMPLETION_INDEX` (with the count from `--shard-count` or
/// `MIDPOINT_SHARD_COUNT`) or a Slurm array's `SLURM_ARRAY_TASK_ID`, `SLURM_ARRAY_TASK_COUNT` and
/// `SLURM_ARRAY_TASK_MIN` (task ids need not start at 0).
public enum ShardSpec: Equatable, Sendable, CustomStringConvertible {
    /// Shard `index` of `count` (0-based).
    case fixed(index: Int, count: Int)
    /// From the scheduler's environment.
    case automatic

    /// The allowed shard counts.
    public static let countRange = 1...100_000

    /// Parses `i/n` (0 ≤ i < n ≤ 100000) or `auto`.
    public static func parse(_ text: String) throws -> ShardSpec {
        if text == "auto" { return .automatic }
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2, let i = Int(parts[0]), let n = Int(parts[1]) else {
            throw ValidationError("write the shard as i/n (shard i of n, counting from 0) or auto")
        }
        guard countRange.contains(n), (0..<n).contains(i) else {
            throw ValidationError("the shard index must be in 0..<n and n in 1...100000 (got \(i)/\(n))")
        }
        return .fixed(index: i, count: n)
    }

    public var description: String {
        switch self {
        case let .fixed(i, n): "\(i)/\(n)"
        case .automatic: "auto"
        }
    }

    /// The shard's (index, count), reading the scheduler's variables for `auto`.
    public func resolve(environment: [String: String], count flag: Int?) throws -> (index: Int, count: Int) {
        switch self {
        case let .fixed(i, n): return (i, n)
        case .automatic:
            if let text = environment["JOB_COMPLETION_INDEX"] {
                guard let i = Int(text), i >= 0 else { throw ValidationError("JOB_COMPLETION_INDEX must be an integer ≥ 0 (got '\(text)')") }
                let countText = flag.map(String.init) ?? environment["MIDPOINT_SHARD_COUNT"]
                guard let countText, let n = Int(countText) else {
                    throw ValidationError("--shard auto under a Kubernetes Indexed Job needs the shard count: --shard-count N or MIDPOINT_SHARD_COUNT (the Job's completions)")
                }
                return try Self.parse("\(i)/\(n)").fixedPair
            }
            if let text = environment["SLURM_ARRAY_TASK_ID"] {
                guard let id = Int(text), let countText = environment["SLURM_ARRAY_TASK_COUNT"], let n = Int(countText) else {
                    throw ValidationError("--shard auto under Slurm needs integer SLURM_ARRAY_TASK_ID and SLURM_ARRAY_TASK_COUNT (got '\(text)', '\(environment["SLURM_ARRAY_TASK_COUNT"] ?? "unset")')")
                }
                // Task ids run first, first + step, …: the shard is the id's position in that sequence.
                let first = environment["SLURM_ARRAY_TASK_MIN"].flatMap { Int($0) } ?? 0
                let step = environment["SLURM_ARRAY_TASK_STEP"].flatMap { Int($0) } ?? 1
                let (offset, overflow) = id.subtractingReportingOverflow(first)
                guard step >= 1, !overflow, offset >= 0, offset % step == 0 else {
                    throw ValidationError("SLURM_ARRAY_TASK_ID \(id) is not SLURM_ARRAY_TASK_MIN \(first) plus a multiple of SLURM_ARRAY_TASK_STEP \(step)")
                }
                return try Self.parse("\(offset / step)/\(flag ?? n)").fixedPair
            }
            throw ValidationError("--shard auto found neither JOB_COMPLETION_INDEX (Kubernetes Indexed Job) nor SLURM_ARRAY_TASK_ID (Slurm array); give --shard i/n")
        }
    }

    private var fixedPair: (index: Int, count: Int) {
        if case let .fixed(i, n) = self { return (i, n) }
        return (0, 1)
    }

    /// The particles of shard `index` of `count` in a run of `particles`: `[i·N/n, (i+1)·N/n)`.
    public static func range(index: Int, count: Int, particles: Int) -> Range<Int> {
        (index * particles / count)..<((index + 1) * particles / count)
    }
}
