/// The shape of an ``MLPScoreNetwork``: what its safetensors metadata states.
///
/// Metadata keys (all values are strings, as safetensors requires):
///
/// | key | meaning |
/// |---|---|
/// | `format` | `midpoint.mlp-score.v1` |
/// | `prediction`, `activation`, `time_input` | `epsilon`, `silu`, `log_snr` (the only values this version reads) |
/// | `dimension` | data dimension `d` |
/// | `width` | hidden width `W` |
/// | `blocks` | number of blocks `B` (0 allowed) |
/// | `residual` | `true`: blocks add to their input; `false`: they replace it |
/// | `embedding` | time-embedding size `E` (even) |
/// | `time_scale`, `max_period` | the embedding's `u = time_scale·λ(τ)` and `f_k = max_period^(-2k/E)` |
///
/// Optional keys describe the data rather than the network: `name`, `image_shape` (`rows,columns`),
/// `display_range` (`low,high`: the values pictures show as white and black),
/// `data_scale` and `data_shift` (model coordinates = value·scale + shift), `holdout_every`, `training`.
public struct MLPArchitecture: Sendable, Equatable {
    /// The format tag this version reads.
    public static let format = "midpoint.mlp-score.v1"

    /// Data dimension `d`.
    public var dimension: Int
    /// Hidden width `W`.
    public var width: Int
    /// Number of blocks `B`.
    public var blocks: Int
    /// Whether each block adds its output to its input.
    public var residual: Bool
    /// Size `E` of the sinusoidal time embedding (even).
    public var embedding: Int
    /// The embedding's argument is `timeScale · λ(τ)`.
    public var timeScale: Double
    /// The embedding's lowest frequency is `1/maxPeriod`.
    public var maxPeriod: Double

    /// An architecture; ``validate()`` checks it.
    public init(dimension: Int, width: Int, blocks: Int, residual: Bool = true, embedding: Int = 128,
                timeScale: Double = 100, maxPeriod: Double = 10_000) {
        self.dimension = dimension
        self.width = width
        self.blocks = blocks
        self.residual = residual
        self.embedding = embedding
        self.timeScale = timeScale
        self.maxPeriod = maxPeriod
    }

    /// Reads the architecture from a file's metadata.
    public init(metadata: [String: String]) throws(NetworkError) {
        func value(_ key: String) throws(NetworkError) -> String {
            guard let v = metadata[key] else { throw .missingMetadata(key: key) }
            return v
        }
        func require(_ key: String, _ expected: String) throws(NetworkError) {
            let v = try value(key)
            guard v == expected else { throw .badMetadata(key: key, value: v, allowed: expected) }
        }
        func integer(_ key: String, _ range: ClosedRange<Int>) throws(NetworkError) -> Int {
            let v = try value(key)
            guard let n = Int(v), range.contains(n) else {
                throw .badMetadata(key: key, value: v, allowed: "an integer in \(range.lowerBound)...\(range.upperBound)")
            }
            return n
        }
        func positive(_ key: String) throws(NetworkError) -> Double {
            let v = try value(key)
            guard let x = Double(v), x.isFinite, x > 0 else {
                throw .badMetadata(key: key, value: v, allowed: "a finite number > 0")
            }
            return x
        }
        try require("format", Self.format)
        try require("prediction", "epsilon")
        try require("activation", "silu")
        try require("time_input", "log_snr")
        let residualText = try value("residual")
        guard residualText == "true" || residualText == "false" else {
            throw .badMetadata(key: "residual", value: residualText, allowed: "true or false")
        }
        let embedding = try integer("embedding", 2...65_536)
        guard embedding % 2 == 0 else { throw .badMetadata(key: "embedding", value: String(embedding), allowed: "an even integer") }
        self.init(dimension: try integer("dimension", 1...1_000_000), width: try integer("width", 1...65_536),
                  blocks: try integer("blocks", 0...1000), residual: residualText == "true", embedding: embedding,
                  timeScale: try positive("time_scale"), maxPeriod: try positive("max_period"))
    }

    /// The metadata that describes this architecture (the keys ``init(metadata:)`` reads).
    public var metadata: [String: String] {
        ["format": Self.format, "prediction": "epsilon", "activation": "silu", "time_input": "log_snr",
         "dimension": String(dimension), "width": String(width), "blocks": String(blocks),
         "residual": residual ? "true" : "false", "embedding": String(embedding),
         "time_scale": String(timeScale), "max_period": String(maxPeriod)]
    }

    /// Every parameter tensor with its shape, in PyTorch's `nn.Linear` layout (`out × in` weights).
    public var parameterShapes: [(name: String, shape: [Int])] {
        var shapes: [(String, [Int])] = [
            ("time.weight", [width, embedding]), ("time.bias", [width]),
            ("input.weight", [width, dimension]), ("input.bias", [width]),
        ]
        for i in 0..<blocks {
            shapes += [
                ("blocks.\(i).linear1.weight", [width, width]), ("blocks.\(i).linear1.bias", [width]),
                ("blocks.\(i).time.weight", [width, width]),
                ("blocks.\(i).linear2.weight", [width, width]), ("blocks.\(i).linear2.bias", [width]),
            ]
        }
        shapes += [("output.weight", [dimension, width]), ("output.bias", [dimension])]
        return shapes
    }

    /// The number of parameters (every tensor's element count).
    public var parameterCount: Int { parameterShapes.reduce(0) { $0 + $1.shape.reduce(1, *) } }

    /// Floating-point operations of the matrix products per row (`2 × multiply-adds`), the figure a
    /// GFLOP/s rate is quoted in; activations and the embedding are not counted.
    public var gemmFlopsPerRow: Int {
        2 * (width * embedding + width * dimension + blocks * 3 * width * width + dimension * width)
    }
}
