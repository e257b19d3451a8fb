import Foundation

/// The score networks that ship with Midpoint, trained by `scripts/train_score.py` (the exact commands
/// are in the script's docstring and the README).
public enum ShippedModel: String, CaseIterable, Sendable {
    /// Trained on 20,000 draws of the built-in `ring2d` target, so its learned score can be compared
    /// with the exact one.
    case ring2d
    /// Trained on the 8×8 handwritten digits (1,497 images; every sixth of the 1,797 held out), pixels
    /// 0…16 mapped to [-1, 1].
    case digits

    /// The names, for help texts and errors.
    public static var names: [String] { allCases.map(\.rawValue) }

    /// What the model was trained on, in one line (the architecture is in the file).
    public var summary: String {
        switch self {
        case .ring2d: "20,000 draws of the ring2d target"
        case .digits: "8×8 handwritten digits, 1,497 of 1,797 (every sixth held out), pixels 0…16 → [-1, 1]"
        }
    }

    /// Loads the network from the package's resources.
    /// - Throws: ``NetworkError`` only if the bundled file is missing or damaged.
    public func load() throws(NetworkError) -> MLPScoreNetwork {
        try MLPScoreNetwork(contentsOf: try Self.resource(rawValue, extension: "safetensors"))
    }

    /// A shipped model's name or a `.safetensors` path, loaded.
    public static func resolve(_ nameOrPath: String) throws(NetworkError) -> MLPScoreNetwork {
        if let shipped = ShippedModel(rawValue: nameOrPath) { return try shipped.load() }
        guard nameOrPath.hasSuffix(".safetensors") || FileManager.default.fileExists(atPath: nameOrPath) else {
            throw .unknownModel(nameOrPath, available: names)
        }
        return try MLPScoreNetwork(contentsOf: nameOrPath)
    }

    /// The path of a bundled resource file.
    static func resource(_ name: String, extension ext: String) throws(NetworkError) -> String {
        guard let url = Bundle.module.url(forResource: name, withExtension: ext) else {
            throw .data(path: "\(name).\(ext)", reason: "the bundled resource is missing")
        }
        return url.path
    }
}
