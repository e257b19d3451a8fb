/// The settings of a sampler with nothing to tune.
public struct NoSettings: SamplerSettings {
    /// No keys.
    public static let keys: [String] = []

    /// The empty record.
    public init() {}
}
