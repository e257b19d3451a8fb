import MidpointRandom

/// Which class each particle of a conditional run is drawn from (`sample --class`).
public enum ClassChoice: Sendable, Equatable {
    /// Every particle from class `k`.
    case fixed(Int)
    /// Particle `p` from class `p mod classes`: equal counts, the same for any sharding.
    case all
    /// Particle `p` from a uniform class drawn from its own Philox stream under the run's seed.
    case random

    /// Parses `K`, `all` or `random`.
    public init?(_ text: String) {
        switch text {
        case "all": self = .all
        case "random": self = .random
        default:
            guard let k = Int(text), k >= 0 else { return nil }
            self = .fixed(k)
        }
    }

    /// The labels of particles `particles` (global indices, so a shard gets its rows of the whole run's).
    public func labels(particles: Range<Int>, classes: Int, seed: UInt64) -> [Int64] {
        particles.map { p in
            switch self {
            case let .fixed(k): return Int64(k)
            case .all: return Int64(p % classes)
            case .random:
                var u = 0.0
                // Slot 12: a stream no sampler draws from.
                RandomStream(seed: seed, particle: p, step: 0, slot: 12).fillUniform(&u, count: 1)
                return Int64(min(Int(u * Double(classes)), classes - 1))
            }
        }
    }
}

extension ClassChoice: CustomStringConvertible {
    /// The flag's spelling: `K`, `all` or `random`.
    public var description: String {
        switch self {
        case let .fixed(k): "\(k)"
        case .all: "all"
        case .random: "random"
        }
    }
}
