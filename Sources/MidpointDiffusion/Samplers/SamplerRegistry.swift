import MidpointSettings

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

    /// Which sampler reads which tuning key.
    public static let index = SettingKeyIndex(all.map { ($0.name, $0.settingKeys) })

    /// The names of all samplers.
    public static var names: [String] { index.names }

    /// Every tuning key some sampler reads, in first-seen order.
    public static var settingKeys: [String] { index.keys }

    /// The names of the samplers that read tuning key `key`.
    public static func readers(of key: String) -> [String] { index.readers(of: key) }

    /// The sampler called `name`.
    /// - Throws: ``SamplingError/unknownSampler(_:available:)`` listing the names allowed.
    public static func sampler(named name: String) throws(SamplingError) -> any DiffusionSampler {
        guard let s = all.first(where: { $0.name == name }) else {
            throw .unknownSampler(name, available: names)
        }
        return s
    }
}
