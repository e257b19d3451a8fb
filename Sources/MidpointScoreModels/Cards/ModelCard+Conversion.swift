import Foundation

extension ModelCard {
    /// The network's time input at OU time `τ` (`docs/model-cards.md`):
    ///
    /// - `ddpm_index`: the fractional step `t` with `ᾱ(t) = e^{-2τ}`, `ln ᾱ` interpolated linearly between
    ///   the schedule's integer steps (clamped to `[0, steps - 1]`);
    /// - `sigma`: `σ/α`; `ou_time`: `τ`; `log_snr`: `ln(α/σ)`.
    public func networkInput(tau: Double) -> Double {
        switch time {
        case .ddpmIndex:
            // Built in init for every ddpm_index card.
            return schedule!.index(logAlphaBar: -2 * tau)
        case .sigma: return ForwardProcess.noiseToSignal(tau)
        case .ouTime: return tau
        case .logSNR: return ForwardProcess.logSNR(tau)
        }
    }

    /// What the network takes as its sample for the state `x` at `τ`: `x` itself, or `x/α` for a
    /// variance-exploding (`sigma`) model.
    public func networkSampleScale(tau: Double) -> Double {
        time == .sigma ? 1 / ForwardProcess.alpha(tau) : 1
    }

    /// The OU-time score of one coordinate from the network's output `o` at state `x`, time `τ`:
    /// `ε`: `-o/σ`; `x₀`: `(α o - x)/σ²`; `v`: `-(σ x + α v)/σ` (from `ε = σ x + α v`); score: `o`.
    @inlinable
    public func score(from o: Double, x: Double, tau: Double) -> Double {
        switch prediction {
        case .epsilon: return -o / ForwardProcess.sigma(tau)
        case .x0: return (ForwardProcess.alpha(tau) * o - x) / ForwardProcess.sigmaSquared(tau)
        case .v:
            let (a, s) = (ForwardProcess.alpha(tau), ForwardProcess.sigma(tau))
            return -(s * x + a * o) / s
        case .score: return o
        }
    }
}

/// DDPM's discrete linear schedule: `β_t` linear from `β_start` to `β_end` over `T` steps, `ᾱ_t = Π (1 - β_i)`.
struct DDPMSchedule: Sendable, Equatable {
    /// `ln ᾱ_t` for `t = 0 … T-1`, strictly decreasing.
    let logAlphaBar: [Double]

    init(steps: Int, betaStart: Double, betaEnd: Double) {
        var log = [Double](repeating: 0, count: steps)
        var sum = 0.0
        for t in 0..<steps {
            let beta = betaStart + (betaEnd - betaStart) * Double(t) / Double(max(steps - 1, 1))
            sum += log1p(-beta)
            log[t] = sum
        }
        logAlphaBar = log
    }

    /// The fractional step whose `ln ᾱ` is `target`, by linear interpolation (clamped to the table).
    func index(logAlphaBar target: Double) -> Double {
        let table = logAlphaBar
        if target >= table[0] { return 0 }
        if target <= table[table.count - 1] { return Double(table.count - 1) }
        // Binary search for table[k] ≥ target > table[k + 1] (the table decreases).
        var (lo, hi) = (0, table.count - 1)
        while hi - lo > 1 {
            let mid = (lo + hi) / 2
            if table[mid] >= target { lo = mid } else { hi = mid }
        }
        return Double(lo) + (table[lo] - target) / (table[lo] - table[hi])
    }
}
