/// Why shards cannot be merged.
public enum ShardError: Error, Equatable, CustomStringConvertible {
    /// A shard has no readable provenance file beside it.
    case missingProvenance(file: String, reason: String)
    /// A provenance file is not valid.
    case malformedProvenance(file: String, reason: String)
    /// A shard's samples file cannot be read or does not match its provenance.
    case badSamples(file: String, reason: String)
    /// Two shards come from different runs.
    case mismatch(file: String, field: String, expected: String, found: String)
    /// The shards' particle ranges overlap or leave a gap.
    case coverage(String)
    /// Nothing to merge.
    case noShards

    public var description: String {
        switch self {
        case let .missingProvenance(file, reason):
            "'\(file)' has no provenance beside it (\(file).json: \(reason)); merge only files written by `midpoint sample --output`"
        case let .malformedProvenance(file, reason): "provenance '\(file)' is not valid: \(reason)"
        case let .badSamples(file, reason): "samples '\(file)': \(reason)"
        case let .mismatch(file, field, expected, found):
            "'\(file)' comes from a different run: \(field) is \(found), the first shard's is \(expected)"
        case let .coverage(message): message
        case .noShards: "give at least one shard to merge"
        }
    }
}
