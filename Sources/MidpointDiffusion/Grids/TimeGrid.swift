import Foundation
import MidpointScoreModels

/// A strictly decreasing list of OU times `T = τ₀ > τ₁ > … > τ_N = δ > 0` for a reverse-time sampler.
///
/// Step `n` goes from `τ_n` to `τ_{n+1}` with `h_n = τ_n - τ_{n+1} > 0`. Grids are validated on
/// construction, so samplers never see a bad one.
public struct TimeGrid: Sendable, Equatable {
    /// How the times are spaced.
    public enum Kind: String, Sendable, CaseIterable {
        /// Uniform in `τ`.
        case uniformTau = "uniform-tau"
        /// Uniform in the log-SNR `λ` (DPM-Solver's default; geometric in `τ` near 0).
        case uniformLogSNR = "uniform-lambda"
        /// Karras et al.'s EDM grid: uniform in the `ρ`-th root of `ς = σ/α`, `ρ = 7`, with `ς` capped at
        /// ``TimeGrid/edmMaxNoiseToSignal``: when `ς(T)` is above it, the grid is EDM's from the cap down
        /// with its first level replaced by `T`, so the first step goes from `T` to the first EDM level below
        /// the cap (at `ρ = 7` an uncapped grid from `T = 8` would spend its first steps between `ς ≈ 3000`
        /// and 80, where nothing happens).
        case edm
        /// Uniform in the DDPM-linear schedule time `u` (``DDPMLinearClock``).
        case ddpmLinear = "ddpm-linear"
    }

    /// EDM's largest noise-to-signal ratio `σ_max = 80` (Karras et al. 2022), `τ ≈ 4.38`.
    public static let edmMaxNoiseToSignal = 80.0

    /// The times, from `T` down to `δ`.
    public let times: [Double]

    /// Number of steps (`times.count - 1`).
    public var steps: Int { times.count - 1 }

    /// The starting time `T`.
    public var horizon: Double { times[0] }

    /// The final time `δ`.
    public var earlyStop: Double { times[times.count - 1] }

    /// Step size `h_n = τ_n - τ_{n+1}`.
    @inlinable public func stepSize(_ n: Int) -> Double { times[n] - times[n + 1] }

    /// A grid from an explicit list, validated against `horizon`.
    /// - Throws: ``TimeGridError`` naming the first offending entry: non-finite, outside
    ///   `(0, horizon]`, or not strictly below its predecessor.
    public init(times: [Double], horizon: Double? = nil) throws(TimeGridError) {
        guard times.count >= 2 else { throw .tooShort(count: times.count) }
        let top = horizon ?? times[0]
        for (i, t) in times.enumerated() {
            guard t.isFinite else { throw .nonFinite(index: i, value: t) }
            guard t > 0, t <= top else { throw .outOfRange(index: i, value: t, horizon: top) }
            if i > 0, !(t < times[i - 1]) { throw .notDecreasing(index: i, value: t, previous: times[i - 1]) }
        }
        self.times = times
    }

    /// A grid of `steps` steps from `horizon` to `earlyStop`, spaced by `kind`.
    /// - Parameter rho: the EDM exponent (used by `.edm` only).
    public init(_ kind: Kind, steps: Int, horizon: Double, earlyStop: Double, rho: Double = 7) throws(TimeGridError) {
        guard steps >= 1 else { throw .invalidParameter(name: "steps", value: Double(steps), allowed: "need at least 1") }
        guard horizon.isFinite, horizon > 0 else {
            throw .invalidParameter(name: "horizon T", value: horizon, allowed: "must be finite and > 0")
        }
        guard earlyStop.isFinite, earlyStop > 0, earlyStop < horizon else {
            throw .invalidParameter(name: "early stop δ", value: earlyStop, allowed: "must satisfy 0 < δ < T = \(horizon)")
        }
        guard rho.isFinite, rho > 0 else { throw .invalidParameter(name: "rho", value: rho, allowed: "must be > 0") }
        let n = Double(steps)
        func interpolate(_ a: Double, _ b: Double, _ map: (Double) -> Double) -> [Double] {
            (0...steps).map { i in
                i == 0 ? horizon : i == steps ? earlyStop : map(a + (b - a) * Double(i) / n)
            }
        }
        let t: [Double]
        switch kind {
        case .uniformTau:
            t = interpolate(horizon, earlyStop) { $0 }
        case .uniformLogSNR:
            t = interpolate(ForwardProcess.logSNR(horizon), ForwardProcess.logSNR(earlyStop)) {
                ForwardProcess.tau(logSNR: $0)
            }
        case .edm:
            let a = pow(min(ForwardProcess.noiseToSignal(horizon), Self.edmMaxNoiseToSignal), 1 / rho)
            let b = pow(ForwardProcess.noiseToSignal(earlyStop), 1 / rho)
            t = interpolate(a, b) { ForwardProcess.tau(noiseToSignal: pow($0, rho)) }
        case .ddpmLinear:
            let clock = DDPMLinearClock()
            t = interpolate(clock.u(tau: horizon), clock.u(tau: earlyStop)) { clock.tau($0) }
        }
        try self.init(times: t, horizon: horizon)
    }
}
