/// Stan's warm-up windows (`docs/algorithms.md` §11): an initial fast phase that moves the chains into
/// the bulk (step size only), slow windows of doubling length that each end with a new preconditioner
/// estimated from their draws, and a final fast phase that settles the step size for the last
/// preconditioner.
///
/// Defaults as Stan's: initial 75, first slow window 25, final 50 steps; the last slow window absorbs
/// what is left so the windows fill the warm-up exactly. Warm-ups too short for that (under 150 steps)
/// are split 15% / 75% / 10%.
public struct WarmupSchedule: Sendable, Equatable {
    /// Steps of the initial fast phase.
    public let initial: Int
    /// Lengths of the slow windows, in order.
    public let windows: [Int]
    /// Steps of the final fast phase.
    public let final: Int

    /// The schedule for `warmup` steps.
    public init(warmup: Int) {
        precondition(warmup >= 0, "warm-up must be ≥ 0")
        var (initial, first, final) = (75, 25, 50)
        if warmup < initial + first + final {
            initial = warmup * 15 / 100
            final = warmup * 10 / 100
            first = warmup - initial - final
        }
        var windows: [Int] = []
        var left = warmup - initial - final
        var size = first
        while left > 0 {
            // A window that would leave too little for the next, doubled one takes the rest (Stan's rule).
            if left < 3 * size { windows.append(left); left = 0 } else { windows.append(size); left -= size; size *= 2 }
        }
        self.initial = initial
        self.windows = windows
        self.final = final
    }

    /// Total steps.
    public var total: Int { initial + windows.reduce(0, +) + final }
}
