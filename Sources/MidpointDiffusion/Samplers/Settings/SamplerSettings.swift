import Foundation
import MidpointSettings

/// A sampler's tuning: a flat, `Codable` record whose coding keys are its tuning keys.
///
/// A key is also the sampler's command-line flag without its dashes (`corrector-steps` is
/// `--corrector-steps`), its provenance entry and its name in `midpoint samplers`: one spelling
/// everywhere. The CLI never knows a concrete sampler: it gathers the flags a user gave as
/// ``SettingValue``s and asks the sampler to apply them (``DiffusionSampler/tuned(_:)``), which refuses a
/// key the sampler does not read.
public protocol SamplerSettings: Codable, Sendable, Equatable {
    /// The tuning keys, in the order help and tables list them.
    static var keys: [String] { get }

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

    /// The settings as key → value; a key whose value is the sampler's automatic choice (nil) is absent.
    public var values: [String: SettingValue] {
        // Encoding a flat record of numbers, flags and names into a dictionary of the same cannot fail.
        guard let data = try? SettingsCoding.encoder.encode(self),
              let values = try? SettingsCoding.decoder.decode([String: SettingValue].self, from: data) else { return [:] }
        return values
    }

    /// These settings with `overrides` applied.
    ///
    /// - Throws: ``SamplingError/unreadSetting(sampler:key:readers:)`` for a key this record does not have, and
    ///   ``SamplingError/invalidSetting(sampler:key:value:allowed:)`` for a value of the wrong kind (a
    ///   number for a flag, an unknown name for a choice).
    public func applying(_ overrides: [String: SettingValue], sampler: String) throws(SamplingError) -> Self {
        if let key = overrides.keys.sorted().first(where: { !Self.keys.contains($0) }) {
            throw .unreadSetting(sampler: sampler, key: key)
        }
        var merged = values
        for (key, value) in overrides { merged[key] = value }
        do {
            return try SettingsCoding.decoder.decode(Self.self, from: SettingsCoding.encoder.encode(merged))
        } catch {
            // Name the key whose value did not fit (a record's decoding error carries its coding path).
            let key = Self.failingKey(error) ?? overrides.keys.sorted().first ?? "?"
            throw .invalidSetting(sampler: sampler, key: key, value: overrides[key].map { "\($0)" } ?? "?",
                                  allowed: "not a value \(key) takes (see `midpoint samplers`)")
        }
    }

    /// The key a decoding error points at.
    static func failingKey(_ error: any Error) -> String? {
        switch error as? DecodingError {
        case let .typeMismatch(_, context)?, let .valueNotFound(_, context)?, let .dataCorrupted(context)?:
            return context.codingPath.first?.stringValue
        case let .keyNotFound(key, _)?: return key.stringValue
        default: return nil
        }
    }
}
