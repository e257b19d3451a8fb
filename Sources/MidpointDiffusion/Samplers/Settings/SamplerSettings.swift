import Foundation
import MidpointSettings

/// A diffusion sampler's tuning: a ``TuningRecord`` (a flat, `Codable` record keyed by the CLI flags'
/// names) with the sampler's own checks.
///
/// The CLI never knows a concrete sampler: it gathers the flags a user gave as ``SettingValue``s and asks
/// the sampler to apply them (``DiffusionSampler/tuned(_:)``), which refuses a key the sampler does not
/// read.
public protocol SamplerSettings: TuningRecord {
    /// Throws unless the values are usable, naming the key (``SamplingError/invalidSetting(sampler:key:value:allowed:)``).
    func validate(sampler: String) throws(SamplingError)

    /// Why `key` is not read under these values (nil when it is): a key can depend on another, as
    /// rm-parallel's `corrector-*` keys on `parallel-corrector`.
    func unreadReason(_ key: String) -> String?
}

extension SamplerSettings {
    /// By default every value is usable (the type system already holds it).
    public func validate(sampler: String) throws(SamplingError) {}

    /// By default every key is read.
    public func unreadReason(_ key: String) -> String? { nil }

    /// These settings with `overrides` applied.
    ///
    /// - Throws: ``SamplingError/unreadSetting(sampler:key:readers:)`` for a key this record does not have, and
    ///   ``SamplingError/invalidSetting(sampler:key:value:allowed:)`` for a value of the wrong kind (a
    ///   number for a flag, an unknown name for a choice).
    public func applying(_ overrides: [String: SettingValue], sampler: String) throws(SamplingError) -> Self {
        do { return try applying(overrides) } catch {
            switch error {
            case let .unknownKey(key): throw .unreadSetting(sampler: sampler, key: key)
            case let .badValue(key, value):
                throw .invalidSetting(sampler: sampler, key: key, value: value, allowed: "not a value \(key) takes (see `midpoint samplers`)")
            }
        }
    }
}
