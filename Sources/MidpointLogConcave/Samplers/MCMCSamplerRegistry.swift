import MidpointSettings

/// The log-concave samplers by stable name, with defaults derived from the potential's smoothness.
///
/// Defaults (with `L` the potential's ``Potential/smoothness`` and `m` its ``Potential/strongConvexity``;
/// ``defaultStepSize(_:smoothness:)``, ``defaultCorrectorWindow(stepSize:strongConvexity:)`` and
/// ``sampler(named:for:parameters:)`` are the rules, this is what they say):
/// - step `h`: `ula` `0.4/L`, `mala` `0.5/L`; `ulmc`, `rm-ulmc`, `rm-ulmc-pc` and `rm-ulmc-parallel`
///   `0.5/√L`;
/// - friction `γ = 2√m`, critical damping of the slowest direction, or `2√L` when `m` is unknown (Shen &
///   Lee's `γ = 2` in the time unit `1/√L`; it damps the slow directions `√(L/m)` times too much,
///   measured in the README); `ulmc`'s is at least `hL`: its frozen-force integrator gains energy like
///   `1 + h²L/2` per step against a loss of `γh`, stable only for `γ > hL/2`, so with `h = 0.5/√L` the
///   floor binds when `L/m > 16`;
/// - `rm-ulmc-pc`: one corrector step (``Parameters/correctorSteps``) of `0.1/√L` from a fresh velocity
///   after every `⌈4/(√m h)⌉` predictor steps, or every 20 when `m` is unknown (a refresh more often than
///   the slowest mode's time scale turns the kinetic sampler into a random walk: measured on
///   `breast-cancer`, README);
/// - `rm-ulmc-parallel`: 4 strata and 3 rounds.
public enum MCMCSamplerRegistry {
    /// One sampler: its name, what it is, its cost and the tuning keys it reads (each key is also the
    /// `mcmc` flag of the same name; ``Parameters`` holds their values).
    public struct Entry: Sendable, Equatable {
        /// The stable name.
        public let name: String
        /// What the sampler is, in one line of Markdown.
        public let summary: String
        /// Gradient evaluations per step.
        public let gradientsPerStep: String
        /// The tuning keys it reads.
        public let settingKeys: [String]
    }

    /// Every sampler, in report order. A new sampler is a file conforming to ``MCMCSampler``, an entry
    /// here and a case in ``sampler(named:for:parameters:)``.
    public static let entries: [Entry] = [
        Entry(name: "ula", summary: "unadjusted Langevin (Euler–Maruyama on the overdamped diffusion)", gradientsPerStep: "1",
              settingKeys: ["step-size"]),
        Entry(name: "mala", summary: "Metropolis-adjusted Langevin (exact stationary law)", gradientsPerStep: "1",
              settingKeys: ["step-size"]),
        Entry(name: "ulmc", summary: "underdamped Langevin, exponential integrator with the force frozen over a step",
              gradientsPerStep: "1", settingKeys: ["step-size", "friction"]),
        Entry(name: "rm-ulmc", summary: "**Shen & Lee's randomized-midpoint ULMC**: the force at a random point of the step",
              gradientsPerStep: "2", settingKeys: ["step-size", "friction"]),
        Entry(name: "rm-ulmc-pc", summary: "`rm-ulmc` with a short ULMC corrector from a fresh velocity every few steps",
              gradientsPerStep: "2 (+ corrector)", settingKeys: ["step-size", "friction", "corrector-window", "corrector-steps", "corrector-step-size"]),
        Entry(name: "rm-ulmc-parallel", summary: "Shen & Lee's parallel version: stratified midpoints solved by Picard rounds",
              gradientsPerStep: "strata × rounds (one round each)", settingKeys: ["step-size", "friction", "strata", "rounds"]),
    ]

    /// Which sampler reads which tuning key.
    public static let index = SettingKeyIndex(entries.map { ($0.name, $0.settingKeys) })

    /// The names, in report order.
    public static var names: [String] { index.names }

    /// Every tuning key some sampler reads, in first-seen order.
    public static var settingKeys: [String] { index.keys }

    /// The names of the samplers that read tuning key `key`.
    public static func readers(of key: String) -> [String] { index.readers(of: key) }

    /// Tunable parameters; nil means the default above.
    /// A ``TuningRecord`` keyed like the `mcmc` flags; each sampler reads the keys its ``Entry`` lists.
    public struct Parameters: TuningRecord {
        /// Step size `h`.
        public var stepSize: Double?
        /// Friction `γ`.
        public var friction: Double?
        /// `rm-ulmc-pc`: predictor steps per correction (default `⌈4/(√m h)⌉`: four units of the slowest
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

        /// The tuning keys: the `mcmc` flags without their dashes.
        public enum CodingKeys: String, CodingKey, CaseIterable {
            case stepSize = "step-size", friction, correctorWindow = "corrector-window", correctorSteps = "corrector-steps"
            case correctorStepSize = "corrector-step-size", strata, rounds
        }

        /// The keys in table order.
        public static let keys = CodingKeys.allCases.map(\.rawValue)

        /// All defaults.
        public init() {}
    }

    /// The default step size of sampler `name` for smoothness `L`: `0.4/L` for `ula`, `0.5/L` for `mala`,
    /// `0.5/√L` for the kinetic samplers.
    public static func defaultStepSize(_ name: String, smoothness l: Double) -> Double {
        switch name {
        case "ula": 0.4 / l
        case "mala": 0.5 / l
        case "ulmc": 0.5 / l.squareRoot()
        default: 0.5 / l.squareRoot()
        }
    }

    /// Relaxation times of the slowest direction (`1/√m`) between two corrections of `rm-ulmc-pc`.
    ///
    /// Measured (`docs/log-concave.md`): on `breast-cancer` after warm-up, refreshing the velocity every
    /// 1, 2, 4 and 8 relaxation times gave ESS per gradient 0.016, 0.029, 0.032 and 0.034; on the κ = 100
    /// Gaussian the exact cost falls toward `rm-ulmc`'s as corrections get rarer. A refresh much more
    /// often than the slowest mode's time scale turns the kinetic sampler into a random walk.
    public static let correctorRelaxationTimes = 4.0

    /// `rm-ulmc-pc`'s default predictor steps per correction: `⌈4/(√m h)⌉`, capped at 10⁶ (a correction
    /// every million steps is none, and `⌈·⌉` of a huge value would trap in `Int()`).
    public static func defaultCorrectorWindow(stepSize h: Double, strongConvexity m: Double) -> Int {
        max(1, Int(min((correctorRelaxationTimes / (m.squareRoot() * h)).rounded(.up), 1e6)))
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
        var gamma: Double
        if let friction = parameters.friction { gamma = friction } else {
            if let m = potential.strongConvexity, m > 0, m.isFinite {
                gamma = 2 * m.squareRoot()
            } else {
                gamma = try 2 * requireSmoothness("friction").squareRoot()
            }
            // ulmc's frozen-force step gains energy like 1 + h²L/2 per step against a loss of γh: it is
            // stable only for γ > hL/2. Its default friction keeps twice that margin.
            if name == "ulmc", let l = potential.smoothness, l.isFinite { gamma = max(gamma, h * l) }
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
                window = defaultCorrectorWindow(stepSize: h, strongConvexity: m)
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
