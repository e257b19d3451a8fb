/// The log-concave samplers by stable name, with defaults derived from the potential's smoothness.
///
/// Defaults (with `L` the potential's ``Potential/smoothness`` and `m` its ``Potential/strongConvexity``):
/// friction `γ = 2√m`, critical damping of the slowest direction (`2√L`, Shen & Lee's `γ = 2` in the
/// time unit `1/√L`, when `m` is unknown: it damps the slow directions `√(L/m)` times too much, measured
/// in the README); `ula` `h = 0.1/L`; `mala` `h = 0.5/L`; `ulmc` `h = 0.1/√L`;
/// `rm-ulmc` and `rm-ulmc-parallel` `h = 0.5/√L` (randomization removes the leading bias, so steps
/// five times longer reach the same error; `README` measures it); `rm-ulmc-pc` adds one corrector
/// step of `0.1/√L` from a fresh velocity after every `⌈1/(√m h)⌉` predictor steps (a refresh more
/// often than the slowest mode's time scale turns the kinetic sampler into a random walk: measured on
/// `breast-cancer`, README); `rm-ulmc-parallel` uses 4 strata and 3 rounds.
public enum MCMCSamplerRegistry {
    /// The names, in report order.
    public static let names = ["ula", "mala", "ulmc", "rm-ulmc", "rm-ulmc-pc", "rm-ulmc-parallel"]

    /// Tunable parameters; nil means the default above.
    public struct Parameters: Sendable, Equatable {
        /// Step size `h`.
        public var stepSize: Double?
        /// Friction `γ`.
        public var friction: Double?
        /// `rm-ulmc-pc`: predictor steps per correction (default `⌈1/(√m h)⌉`: one unit of the slowest
        /// mode's time, or 20 when `m` is unknown).
        public var correctorWindow: Int?
        /// `rm-ulmc-pc`: ULMC steps per correction.
        public var correctorSteps = 1
        /// `rm-ulmc-pc`: corrector step size (default `0.1/√L`).
        public var correctorStepSize: Double?
        /// `rm-ulmc-parallel`: strata per step.
        public var strata = 4
        /// `rm-ulmc-parallel`: Picard rounds per step.
        public var rounds = 3

        /// All defaults.
        public init() {}
    }

    /// The default step size of sampler `name` for smoothness `L`.
    public static func defaultStepSize(_ name: String, smoothness l: Double) -> Double {
        switch name {
        case "ula": 0.1 / l
        case "mala": 0.5 / l
        case "ulmc": 0.1 / l.squareRoot()
        default: 0.5 / l.squareRoot()
        }
    }

    /// The sampler `name` for `potential` with `parameters`.
    /// - Throws: ``MCMCError/unknownSampler(_:available:)``, or ``MCMCError/invalidParameter(name:value:allowed:)``
    ///   when a default is needed but the potential's smoothness is unknown, or a parameter is invalid.
    public static func sampler(named name: String, for potential: any Potential,
                               parameters: Parameters = Parameters()) throws(MCMCError) -> any MCMCSampler {
        guard names.contains(name) else { throw .unknownSampler(name, available: names) }
        func requireSmoothness(_ what: String) throws(MCMCError) -> Double {
            guard let l = potential.smoothness, l.isFinite, l > 0 else {
                throw .invalidParameter(name: what, value: "default", allowed: "the potential's smoothness is unknown: give it explicitly")
            }
            return l
        }
        let h: Double
        if let stepSize = parameters.stepSize { h = stepSize } else {
            h = defaultStepSize(name, smoothness: try requireSmoothness("step size"))
        }
        let gamma: Double
        if let friction = parameters.friction { gamma = friction } else if let m = potential.strongConvexity, m > 0, m.isFinite {
            gamma = 2 * m.squareRoot()
        } else {
            gamma = try 2 * requireSmoothness("friction").squareRoot()
        }
        let sampler: any MCMCSampler
        switch name {
        case "ula": sampler = ULASampler(stepSize: h)
        case "mala": sampler = MALASampler(stepSize: h)
        case "ulmc": sampler = ULMCSampler(stepSize: h, friction: gamma)
        case "rm-ulmc": sampler = RandomizedMidpointULMCSampler(stepSize: h, friction: gamma)
        case "rm-ulmc-pc":
            let hc: Double
            if let given = parameters.correctorStepSize { hc = given } else {
                hc = 0.1 / (try requireSmoothness("corrector step size")).squareRoot()
            }
            let window: Int
            if let given = parameters.correctorWindow { window = given } else if let m = potential.strongConvexity, m > 0 {
                // Capped: a correction every million steps is none, and ⌈·⌉ of a huge value traps in Int().
                window = max(1, Int(min((1 / (m.squareRoot() * h)).rounded(.up), 1e6)))
            } else {
                window = 20
            }
            sampler = RandomizedMidpointULMCPCSampler(predictor: RandomizedMidpointULMCSampler(stepSize: h, friction: gamma),
                                                      window: window,
                                                      correctorSteps: parameters.correctorSteps, correctorStepSize: hc)
        default:
            sampler = ParallelRandomizedMidpointULMCSampler(stepSize: h, friction: gamma, strata: parameters.strata,
                                                            rounds: parameters.rounds)
        }
        try sampler.validate()
        return sampler
    }
}
