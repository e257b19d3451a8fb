import Foundation

/// The JSON coding of settings records: non-finite numbers as text, so that `nan` reaches the sampler's
/// own check (which names the key and the allowed range) instead of failing to encode.
public enum SettingsCoding {
    /// An encoder with sorted keys and non-finite numbers as text.
    public static var encoder: JSONEncoder {
        let e = JSONEncoder()
        e.outputFormatting = .sortedKeys
        e.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        return e
    }

    /// The matching decoder.
    public static var decoder: JSONDecoder {
        let d = JSONDecoder()
        d.nonConformingFloatDecodingStrategy = .convertFromString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        return d
    }
}
