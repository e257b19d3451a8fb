import Foundation

/// A flat, `Codable` record of tuning values whose coding keys are its tuning keys — a diffusion sampler's
/// settings, or the MCMC samplers' parameters.
///
/// A key is also the command-line flag without its dashes (`corrector-steps` is `--corrector-steps`), its
/// provenance entry and its name in `midpoint samplers`: one spelling everywhere. A CLI gathers the flags a
/// user gave as ``SettingValue``s and applies them (``applying(_:)``) without knowing the record's type.
public protocol TuningRecord: Codable, Sendable, Equatable {
    /// The tuning keys, in the order help and tables list them.
    static var keys: [String] { get }
}

/// Why overrides do not fit a ``TuningRecord``.
public enum TuningRecordError: Error, Equatable, CustomStringConvertible {
    /// The record has no such key.
    case unknownKey(String)
    /// The value is not of the key's kind (a number for a flag, an unknown name for a choice).
    case badValue(key: String, value: String)

    public var description: String {
        switch self {
        case let .unknownKey(key): "no tuning key \(key)"
        case let .badValue(key, value): "\(value) is not a value \(key) takes"
        }
    }
}

extension TuningRecord {
    /// The record as key → value; a key whose value is the automatic choice (nil) is absent.
    public var values: [String: SettingValue] {
        // Encoding a flat record of numbers, flags and names into a dictionary of the same cannot fail.
        guard let data = try? SettingsCoding.encoder.encode(self),
              let values = try? SettingsCoding.decoder.decode([String: SettingValue].self, from: data) else { return [:] }
        return values
    }

    /// This record with `overrides` applied.
    /// - Throws: ``TuningRecordError`` naming the first key that is not the record's or whose value does
    ///   not fit.
    public func applying(_ overrides: [String: SettingValue]) throws(TuningRecordError) -> Self {
        if let key = overrides.keys.sorted().first(where: { !Self.keys.contains($0) }) { throw .unknownKey(key) }
        var merged = values
        for (key, value) in overrides { merged[key] = value }
        do {
            return try SettingsCoding.decoder.decode(Self.self, from: SettingsCoding.encoder.encode(merged))
        } catch {
            // Name the key whose value did not fit (a record's decoding error carries its coding path).
            let key = Self.failingKey(error) ?? overrides.keys.sorted().first ?? "?"
            throw .badValue(key: key, value: overrides[key]?.description ?? "?")
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
