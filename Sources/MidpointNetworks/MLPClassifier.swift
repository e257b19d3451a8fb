import Foundation
import MidpointFormats
import MidpointLinearAlgebra

/// A multilayer-perceptron classifier `x → W_L σ(… σ(W_1 x + b_1) …) + b_L` whose penultimate
/// activations are the features of the image metrics (Fréchet distance, precision and recall) and whose
/// logits give the class accuracy of conditional samples.
///
/// Loaded from safetensors: the affine layers are the 2-D tensors `NAME.weight` (`out × in`, PyTorch's
/// layout) with their `NAME.bias`, in the order of the integer in their name (`layers.0`, `layers.3`, …);
/// each must take the previous one's outputs. The activation between layers is the metadata key
/// `activation` (`relu`, the default, or `silu`). Inputs are the images' pixels mapped to [-1, 1] as the
/// diffusion model's data.
public struct MLPClassifier: Sendable {
    /// The nonlinearity between affine layers.
    public enum Activation: String, Sendable { case relu, silu }

    let layers: [DenseLayer]
    /// The nonlinearity.
    public let activation: Activation

    /// Input coordinates per row.
    public var inputs: Int { layers[0].inputs }
    /// Feature coordinates per row (the penultimate layer's width).
    public var featureDimension: Int { layers[layers.count - 2].outputs }
    /// Classes (the last layer's width).
    public var classes: Int { layers[layers.count - 1].outputs }

    /// The classifier in a parsed safetensors file.
    public init(safeTensors file: SafeTensors) throws(NetworkError) {
        let text = file.metadata["activation"] ?? "relu"
        guard let activation = Activation(rawValue: text) else {
            throw .badMetadata(key: "activation", value: text, allowed: "relu, silu")
        }
        self.activation = activation
        func index(_ name: String) -> Int { Int(name.split(separator: ".").compactMap { Int($0) }.last ?? -1) }
        let weights = file.tensors.keys.filter { $0.hasSuffix(".weight") && file.tensors[$0]?.shape.count == 2 }
            .sorted { (index($0), $0) < (index($1), $1) }
        guard weights.count >= 2 else { throw .missingParameter("at least two 2-D '*.weight' tensors (a hidden layer and the output layer)") }
        var layers: [DenseLayer] = []
        for name in weights {
            let weight = file.tensors[name]!
            let (outputs, inputs) = (weight.shape[0], weight.shape[1])
            if let previous = layers.last, previous.outputs != inputs {
                throw .parameterShape(name: name, shape: weight.shape, expected: [outputs, previous.outputs])
            }
            let biasName = String(name.dropLast("weight".count)) + "bias"
            guard let bias = file.tensors[biasName] else { throw .missingParameter(biasName) }
            guard bias.shape == [outputs] else { throw .parameterShape(name: biasName, shape: bias.shape, expected: [outputs]) }
            guard weight.values.allSatisfy(\.isFinite), bias.values.allSatisfy(\.isFinite) else { throw .nonFiniteParameter(name) }
            layers.append(DenseLayer(inputs: inputs, outputs: outputs, weight: weight.values, bias: bias.values))
        }
        self.layers = layers
    }

    /// The classifier in the `.safetensors` file at `path`.
    public init(contentsOf path: String) throws(NetworkError) {
        switch Result(catching: { () throws(SafeTensorsError) in try SafeTensors.read(contentsOf: path) }) {
        case .success(let file): try self.init(safeTensors: file)
        case .failure(let error): throw .file(error)
        }
    }

    /// The penultimate activations (`rows × featureDimension`) and the logits (`rows × classes`) of the
    /// rows of `x` (`rows × inputs`).
    public func evaluate(_ x: Matrix) -> (features: Matrix, logits: Matrix) {
        precondition(x.columns == inputs, "rows of \(x.columns) values, the classifier takes \(inputs)")
        var a = x
        var features = x
        for (k, layer) in layers.enumerated() {
            var y = Matrix(rows: x.rows, columns: layer.outputs)
            if let bias = layer.bias { for i in 0..<x.rows { for j in 0..<layer.outputs { y[i, j] = bias[j] } } }
            a.storage.withUnsafeBufferPointer { ap in
                y.storage.withUnsafeMutableBufferPointer { yp in
                    layer.apply(ap.baseAddress!, rows: x.rows, into: yp.baseAddress!, beta: layer.bias == nil ? 0 : 1)
                }
            }
            if k < layers.count - 1 {
                for i in y.storage.indices {
                    let v = y.storage[i]
                    y.storage[i] = activation == .relu ? max(v, 0) : v / (1 + exp(-v))
                }
                if k == layers.count - 2 { features = y }
            }
            a = y
        }
        return (features, a)
    }

    /// The most probable class of each row.
    public func predict(_ x: Matrix) -> [Int] {
        let logits = evaluate(x).logits
        return (0..<logits.rows).map { i in (0..<logits.columns).max { logits[i, $0] < logits[i, $1] }! }
    }
}
