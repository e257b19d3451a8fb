/// Every sampler under its stable name, for the CLI and reports.
public enum SamplerRegistry {
    /// All samplers, in the order reports list them.
    public static let all: [any DiffusionSampler] = [
        EulerMaruyamaSampler(),
        ExponentialIntegratorSDESampler(),
        ExponentialIntegratorODESampler(),
        DDIMSampler(),
        DDPMSampler(),
        DPMSolverPP2MSampler(),
        HeunSampler(),
        RandomizedMidpointSampler(),
        RandomizedMultistepSampler(),
        RandomizedMidpointScoreSampler(),
        RandomizedMidpointPCSampler(),
        RandomizedMidpointDataSampler(),
        RandomizedMidpointParallelSampler(),
        ParaDiGMSSampler(),
    ]

    /// The names of all samplers.
    public static var names: [String] { all.map(\.name) }

    /// The sampler called `name`.
    /// - Throws: ``SamplingError/unknownSampler(_:available:)`` listing the names allowed.
    public static func sampler(named name: String) throws(SamplingError) -> any DiffusionSampler {
        guard let s = all.first(where: { $0.name == name }) else {
            throw .unknownSampler(name, available: names)
        }
        return s
    }
}
