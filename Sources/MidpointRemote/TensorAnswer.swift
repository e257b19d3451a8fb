import Foundation
import MidpointScoreModels

/// Reads the output tensor out of an inference answer and checks it against the card: exactly one output
/// carries the card's output name, its datatype is the card's, its shape (when the answer gives one) is
/// the request's rows by the card's sample shape, it holds exactly `count` values, and every value is
/// finite. An answer that contradicts the card is refused, never read as something else.
public struct TensorAnswer: Sendable {
    /// The request's URL, for messages.
    public let url: String
    /// The card naming the output tensor.
    public let card: ModelCard
    /// Values expected: rows × dimension.
    public let count: Int

    /// A reader of answers from `url` to requests of `count` values, checked against `card`.
    public init(url: String, card: ModelCard, count: Int) {
        self.url = url
        self.card = card
        self.count = count
    }

    /// A JSON answer (`{"outputs": [{"name", "datatype", "shape", "data": [...]}]}`): the numbers by
    /// ``JSONTensorScanner``, the structure by `JSONDecoder`.
    public func decodeJSON(_ data: Data, into output: UnsafeMutableBufferPointer<Double>) throws(RemoteModelError) {
        var tensors: [JSONOutput]
        if let (arrays, stripped) = JSONTensorScanner.scan(data),
           let answer = try? JSONDecoder().decode(JSONAnswer.self, from: stripped),
           answer.outputs.count == arrays.count, answer.outputs.allSatisfy({ $0.data?.isEmpty ?? false }) {
            tensors = answer.outputs
            for k in tensors.indices { tensors[k].data = arrays[k] }
        } else {
            do { tensors = try JSONDecoder().decode(JSONAnswer.self, from: data).outputs } catch {
                throw .badResponse(url: url, reason: "not an inference response: \(Self.reason(error))")
            }
        }
        let tensor = tensors[try outputIndex(names: tensors.map(\.name))]
        _ = try checkDatatype(tensor.datatype)
        try checkShape(tensor.shape)
        guard let values = tensor.data else { throw .badResponse(url: url, reason: "the output has no \"data\" array") }
        try checkCount(values.count)
        // An FP32 answer printed as the shortest float text ("0.1") reads as the nearest double; round it
        // to the float it denotes, as the binary and gRPC paths give.
        if tensor.datatype == "FP32" {
            for k in 0..<count { output[k] = Double(Float(values[k])) }
        } else {
            for k in 0..<count { output[k] = values[k] }
        }
        try checkFinite(output)
    }

    /// A decoding error in a few words (the JSON path and what was wrong).
    static func reason(_ error: any Error) -> String {
        guard let error = error as? DecodingError else { return "\(error)" }
        switch error {
        case let .keyNotFound(key, context): return "missing \"\((context.codingPath + [key]).map(\.stringValue).joined(separator: "."))\""
        case let .typeMismatch(_, context), let .valueNotFound(_, context), let .dataCorrupted(context):
            let path = context.codingPath.map(\.stringValue).joined(separator: ".")
            return path.isEmpty ? context.debugDescription : "\(path): \(context.debugDescription)"
        @unknown default: return "\(error)"
        }
    }

    /// A binary-extension answer: `headerLength` bytes of JSON, then each output's raw bytes in order.
    public func decodeBinary(_ data: Data, headerLength: Int, into output: UnsafeMutableBufferPointer<Double>) throws(RemoteModelError) {
        guard headerLength > 0, headerLength <= data.count,
              let root = try? JSONSerialization.jsonObject(with: data.prefix(headerLength)) as? [String: Any],
              let outputs = root["outputs"] as? [[String: Any]] else {
            throw .badResponse(url: url, reason: "the binary answer's \(headerLength)-byte JSON header is not an inference response")
        }
        _ = try outputIndex(names: outputs.map { $0["name"] as? String ?? "" })
        var offset = headerLength
        for tensor in outputs {
            let size = ((tensor["parameters"] as? [String: Any])?["binary_data_size"] as? NSNumber)?.intValue
            if let size, size < 0 || size > data.count - offset {
                throw .badResponse(url: url, reason: "output \"\(tensor["name"] as? String ?? "?")\" claims \(size) bytes, but \(data.count - offset) remain")
            }
            if tensor["name"] as? String == card.outputTensor {
                let datatype = try checkDatatype(tensor["datatype"] as? String)
                try checkShape((tensor["shape"] as? [NSNumber])?.map(\.intValue))
                guard let size else { return try decodeJSON(data.prefix(headerLength), into: output) }
                try checkBytes(size, datatype: datatype)
                _ = RawTensor.decode(data.subdata(in: (data.startIndex + offset)..<(data.startIndex + offset + size)),
                                     datatype: datatype, count: count, into: output)
                return try checkFinite(output)
            }
            offset += size ?? 0
        }
        throw .badResponse(url: url, reason: "no output tensor named \"\(card.outputTensor)\"")
    }

    /// The decodable shape of a JSON answer.
    struct JSONAnswer: Decodable { var outputs: [JSONOutput] }
    /// One output tensor of a JSON answer (numbers as doubles; FP32 values widen exactly).
    struct JSONOutput: Decodable {
        var name: String
        var datatype: String?
        var shape: [Int]?
        var data: [Double]?
    }

    /// The index of the one output named as the card's output tensor among `names`.
    /// - Throws: when none or several carry that name (two outputs of the same name are ambiguous: which
    ///   one is the model's answer cannot be known).
    public func outputIndex(names: [String]) throws(RemoteModelError) -> Int {
        let matches = names.indices.filter { names[$0] == card.outputTensor }
        guard matches.count == 1 else {
            let found = names.map { "\"\($0)\"" }.joined(separator: ", ")
            throw .badResponse(url: url, reason: matches.isEmpty
                ? "no output tensor named \"\(card.outputTensor)\" (the answer has \(found.isEmpty ? "none" : found))"
                : "\(matches.count) output tensors are named \"\(card.outputTensor)\": the answer is ambiguous")
        }
        return matches[0]
    }

    /// An output shape, when the answer gives one, must be the request's rows by the card's sample shape
    /// (or rows by the flattened dimension).
    public func checkShape(_ shape: [Int]?) throws(RemoteModelError) {
        guard let shape else { return }
        let rows = count / max(card.dimension, 1)
        guard shape == [rows] + card.sampleShape || shape == [rows, card.dimension] else {
            throw .badResponse(url: url, reason: "output shape \(shape), the card's sample shape \(card.sampleShape) gives \([rows] + card.sampleShape)")
        }
    }

    /// The answer's datatype (the card's when the answer names none); it must be the card's.
    func checkDatatype(_ named: String?) throws(RemoteModelError) -> String {
        let datatype = named ?? card.dtype
        guard datatype == card.dtype, ["FP64", "FP32"].contains(datatype) else {
            throw .badResponse(url: url, reason: "output datatype \(datatype), the card expects \(card.dtype)")
        }
        return datatype
    }

    /// A raw output of `size` bytes must hold exactly `count` values of `datatype`.
    func checkBytes(_ size: Int, datatype: String) throws(RemoteModelError) {
        guard size == count * RawTensor.width(datatype) else {
            throw .badResponse(url: url, reason: "the output has \(size) bytes, expected \(count * RawTensor.width(datatype)) (\(count) \(datatype) values)")
        }
    }

    func checkCount(_ got: Int) throws(RemoteModelError) {
        guard got == count else {
            throw .badResponse(url: url, reason: "the output has \(got) values, expected \(count) (\(count / max(card.dimension, 1)) × \(card.sampleShape))")
        }
    }

    func checkFinite(_ output: UnsafeMutableBufferPointer<Double>) throws(RemoteModelError) {
        for k in 0..<count where !output[k].isFinite {
            throw .badResponse(url: url, reason: "output value \(k) (row \(k / max(card.dimension, 1))) is \(output[k]), not a finite number")
        }
    }
}
