import Foundation
import MidpointLinearAlgebra
import Testing

/// The memory budget is the least of available memory, `ulimit -v` and the cgroup limit.
@Suite struct MemoryBudgetTests {
    func scratch(_ files: [String: String]) throws -> String {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("cgroup-\(UUID())").path
        for (path, text) in files {
            let url = URL(fileURLWithPath: dir + path)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try text.write(to: url, atomically: true, encoding: .utf8)
        }
        return dir
    }

    /// cgroup v2 (`0::/path` → `memory.max`), v1 (`N:memory:/path` → `memory.limit_in_bytes`), and
    /// "no limit" spelled `max` or as a huge number.
    @Test func readsCgroupLimits() throws {
        let v2 = try scratch(["/proc": "0::/pod/a\n", "/fs/pod/a/memory.max": "2147483648\n"])
        defer { try? FileManager.default.removeItem(atPath: v2) }
        #expect(MemoryBudget.cgroupLimit(procCgroup: v2 + "/proc", root: v2 + "/fs") == 2_147_483_648)
        let v1 = try scratch(["/proc": "9:cpu:/x\n4:memory:/job/7\n", "/fs/memory/job/7/memory.limit_in_bytes": "1073741824"])
        defer { try? FileManager.default.removeItem(atPath: v1) }
        #expect(MemoryBudget.cgroupLimit(procCgroup: v1 + "/proc", root: v1 + "/fs") == 1_073_741_824)
        let unlimited = try scratch(["/proc": "0::/\n", "/fs/memory.max": "max\n"])
        defer { try? FileManager.default.removeItem(atPath: unlimited) }
        #expect(MemoryBudget.cgroupLimit(procCgroup: unlimited + "/proc", root: unlimited + "/fs") == nil)
        let huge = try scratch(["/proc": "4:memory:/\n", "/fs/memory/memory.limit_in_bytes": "9223372036854771712\n"])
        defer { try? FileManager.default.removeItem(atPath: huge) }
        #expect(MemoryBudget.cgroupLimit(procCgroup: huge + "/proc", root: huge + "/fs") == nil)
        // The budget never exceeds physical memory, and 80% of it is usable.
        let now = MemoryBudget.current()
        #expect(now.bytes <= Double(ProcessInfo.processInfo.physicalMemory) && now.usable == 0.8 * now.bytes)
    }

    /// Available memory is `MemAvailable` plus the process's own resident set (kB in both files).
    @Test func readsAvailableMemory() throws {
        let dir = try scratch(["/meminfo": "MemTotal:       24000000 kB\nMemFree:  100 kB\nMemAvailable:    2000000 kB\n",
                               "/status": "Name:\tmidpoint\nVmRSS:\t   50000 kB\n"])
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let budget = try #require(MemoryBudget.availableMemory(meminfo: dir + "/meminfo", status: dir + "/status"))
        #expect(budget.bytes == 2_050_000 * 1024 && budget.source == "available memory")
        #expect(MemoryBudget.availableMemory(meminfo: dir + "/missing") == nil)
    }
}
