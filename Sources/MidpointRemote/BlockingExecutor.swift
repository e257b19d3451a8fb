import Foundation

/// Runs async work for synchronous callers on a thread of its own.
///
/// The score protocol is synchronous and its callers may themselves run on Swift's cooperative thread
/// pool (a test, an async command): blocking one of those threads while the awaited work needs the same
/// pool can deadlock a two-core machine. Async calls made through ``run(_:)`` prefer this executor
/// (a task executor on one dedicated thread), so they make progress however many pool threads wait.
final class BlockingExecutor: TaskExecutor, @unchecked Sendable {
    /// The process's executor for remote calls.
    static let shared = BlockingExecutor(name: "midpoint-remote")

    private let condition = NSCondition()
    private var jobs: [UnownedJob] = []

    private init(name: String) {
        let thread = Thread { [unowned self] in self.serve() }
        thread.name = name
        thread.start()
    }

    func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        condition.lock()
        jobs.append(job)
        condition.signal()
        condition.unlock()
    }

    private func serve() {
        while true {
            condition.lock()
            while jobs.isEmpty { condition.wait() }
            let ready = jobs
            jobs.removeAll(keepingCapacity: true)
            condition.unlock()
            for job in ready { job.runSynchronously(on: asUnownedTaskExecutor()) }
        }
    }

    /// Runs `operation` on this executor and blocks the calling thread until it finishes.
    func run<T: Sendable>(_ operation: @escaping @Sendable () async throws -> T) throws -> T {
        let done = DispatchSemaphore(value: 0)
        let box = ResultBox<T>()
        Task(executorPreference: self) {
            do { box.result = .success(try await operation()) } catch { box.result = .failure(error) }
            done.signal()
        }
        done.wait()
        // The semaphore orders the write before this read.
        return try box.result!.get()
    }

    /// Starts `operation` on this executor without waiting.
    func start(_ operation: @escaping @Sendable () async -> Void) {
        Task(executorPreference: self) { await operation() }
    }
}

/// A result handed from the executor's task to the blocked caller (written once, then read once).
private final class ResultBox<T>: @unchecked Sendable {
    var result: Result<T, any Error>?
}
