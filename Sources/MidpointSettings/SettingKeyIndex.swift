/// Which samplers read which tuning keys: the index the diffusion and the MCMC registries answer from
/// (`midpoint samplers`, and the CLI's refusal of a flag a sampler does not read).
public struct SettingKeyIndex: Sendable {
    /// Each sampler's name with the keys it reads, in registry order.
    public let samplers: [(name: String, keys: [String])]

    /// An index of `samplers`.
    public init(_ samplers: [(name: String, keys: [String])]) {
        self.samplers = samplers
    }

    /// The sampler names, in registry order.
    public var names: [String] { samplers.map(\.name) }

    /// Every key some sampler reads, in first-seen order.
    public var keys: [String] {
        var seen = Set<String>()
        return samplers.flatMap(\.keys).filter { seen.insert($0).inserted }
    }

    /// The names of the samplers that read `key`.
    public func readers(of key: String) -> [String] {
        samplers.filter { $0.keys.contains(key) }.map(\.name)
    }
}
