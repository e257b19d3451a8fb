import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The memory a run may use: the least of the machine's available memory (`MemAvailable`), the address-space limit
/// (`ulimit -v`, `RLIMIT_AS`) and the cgroup limit a container or Kubernetes pod runs under (cgroup v2
/// `memory.max`, v1 `memory.limit_in_bytes`), with the name of the one that binds, for messages.
///
/// A run is refused before any work when its estimate exceeds ``usable`` (80% of the budget: the rest is
/// the process itself, the allocator's slack and whatever else runs).
public struct MemoryBudget: Sendable, Equatable {
    /// Bytes the process may hold.
    public let bytes: Double
    /// What sets the limit: `available memory` (`physical memory` where the kernel does not say), `ulimit -v` or
    /// `cgroup memory limit`.
    public let source: String

    /// The budget from explicit values (for tests and callers that know better).
    public init(bytes: Double, source: String) {
        self.bytes = bytes
        self.source = source
    }

    /// The share of the budget a run's estimate may take.
    public var usable: Double { 0.8 * bytes }

    /// The usable share and where it comes from, for refusals: `6.6 GB (80% of the ulimit -v, 8.2 GB)`.
    public var usableDescription: String {
        "\(Self.describe(usable)) (80% of the \(source), \(Self.describe(bytes)))"
    }

    /// The budget of this process now.
    public static func current() -> MemoryBudget {
        var candidates = [availableMemory() ?? MemoryBudget(bytes: Double(ProcessInfo.processInfo.physicalMemory), source: "physical memory")]
        var limit = rlimit()
        if getrlimit(Int32(RLIMIT_AS.rawValue), &limit) == 0, limit.rlim_cur != rlim_t.max {
            candidates.append(MemoryBudget(bytes: Double(limit.rlim_cur), source: "ulimit -v"))
        }
        if let cgroup = cgroupLimit() { candidates.append(MemoryBudget(bytes: cgroup, source: "cgroup memory limit")) }
        return candidates.min { $0.bytes < $1.bytes } ?? candidates[0]
    }

    /// The memory the kernel says is available to new allocations without swapping (`MemAvailable` of
    /// `/proc/meminfo`: free memory plus reclaimable caches), with this process's own resident memory
    /// added back (it is the process's to reuse); nil where there is no such file.
    public static func availableMemory(meminfo: String = "/proc/meminfo", status: String = "/proc/self/status") -> MemoryBudget? {
        func kilobytes(_ field: String, in file: String) -> Double? {
            guard let text = try? String(contentsOfFile: file, encoding: .utf8) else { return nil }
            for line in text.split(separator: "\n") where line.hasPrefix(field + ":") {
                let parts = line.split(separator: " ", omittingEmptySubsequences: true)
                if parts.count >= 2, let value = Double(parts[1]) { return value * 1024 }
            }
            return nil
        }
        guard let available = kilobytes("MemAvailable", in: meminfo) else { return nil }
        return MemoryBudget(bytes: available + (kilobytes("VmRSS", in: status) ?? 0), source: "available memory")
    }

    /// The memory limit of this process's cgroup, if any (v2 first, then v1); values of 2⁶² and more mean
    /// none.
    /// - Parameters: `procCgroup` and `root`: the files to read (tests pass their own).
    public static func cgroupLimit(procCgroup: String = "/proc/self/cgroup", root: String = "/sys/fs/cgroup") -> Double? {
        guard let text = try? String(contentsOfFile: procCgroup, encoding: .utf8) else { return nil }
        var files: [String] = []
        for line in text.split(separator: "\n") {
            let parts = line.split(separator: ":", maxSplits: 2, omittingEmptySubsequences: false)
            guard parts.count == 3 else { continue }
            let path = String(parts[2])
            if parts[0] == "0", parts[1].isEmpty { files += ["\(root)\(path)/memory.max", "\(root)/memory.max"] }
            if parts[1].split(separator: ",").contains("memory") {
                files += ["\(root)/memory\(path)/memory.limit_in_bytes", "\(root)/memory/memory.limit_in_bytes"]
            }
        }
        for file in files {
            guard let value = try? String(contentsOfFile: file, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
            else { continue }
            if value == "max" { return nil }
            if let bytes = Double(value), bytes > 0 { return bytes < 4.6e18 ? bytes : nil }
        }
        return nil
    }

    /// A size in words: `3.2 GB`, `850 MB`.
    public static func describe(_ bytes: Double) -> String {
        bytes >= 1e9 ? "\((bytes / 1e9 * 10).rounded() / 10) GB" : "\(Int((bytes / 1e6).rounded())) MB"
    }
}
