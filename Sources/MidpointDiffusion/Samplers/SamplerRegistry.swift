/// Every sampler under its stable name, for the CLI and reports. A new sampler is a file conforming to
/// ``DiffusionSampler`` (with its ``DiffusionSampler/Settings``) and one entry in ``all``.
public enum SamplerRegistry {
    /// All samplers, in the order reports list them: the recommended one first, then the paper's, then the
    /// baselines.
    public static let all: [any DiffusionSampler] = [
        RandomizedMultistepSampler(),
        RandomizedMidpointSampler(),
        RandomizedMidpointPCSampler(),
        RandomizedMidpointParallelSampler(),
        RandomizedMidpointScoreSampler(),
        RandomizedMidpointDataSampler(),
        DPMSolverPP2MSampler(),
        HeunSampler(),
        DDIMSampler(),
        ExponentialIntegratorODESampler(),
        DDPMSampler(),
        EulerMaruyamaSampler(),
        ExponentialIntegratorSDESampler(),
        ParaDiGMSSampler(),
    ]

    /// The names of all samplers.
    public static var names: [String] { all.map(\.name) }

    /// Every tuning key some sampler reads, in first-seen order.
    public static var settingKeys: [String] {
        var seen = Set<String>()
        return all.flatMap(\.settingKeys).filter { seen.insert($0).inserted }
    }

    /// The names of the samplers that read tuning key `key`.
    public static func readers(of key: String) -> [String] {
        all.filter { $0.settingKeys.contains(key) }.map(\.name)
    }

    /// The sampler called `name`.
    /// - Throws: ``SamplingError/unknownSampler(_:available:)`` listing the names allowed.
    public static func sampler(named name: String) throws(SamplingError) -> any DiffusionSampler {
        guard let s = all.first(where: { $0.name == name }) else {
            throw .unknownSampler(name, available: names)
        }
        return s
    }
}
