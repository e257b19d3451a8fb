/// Why a `.safetensors` file could not be read. Each message names the bad value and what is allowed.
public enum SafeTensorsError: Error, Equatable, CustomStringConvertible {
    /// The file is shorter than the part named.
    case truncated(String)
    /// The header is not a JSON object, or a field has the wrong type.
    case malformedHeader(String)
    /// A dtype other than F64, F32, F16 and BF16.
    case unsupportedDType(tensor: String, dtype: String)
    /// A tensor's offsets are reversed, outside the data section, or do not match its shape and dtype.
    case badOffsets(tensor: String, reason: String)
    /// Two tensors share bytes, or bytes of the data section belong to no tensor.
    case layout(String)
    /// A tensor that was asked for does not exist.
    case missingTensor(String, available: [String])
    /// A read failed at the file-system level.
    case io(path: String, reason: String)

    public var description: String {
        switch self {
        case let .truncated(part): "truncated .safetensors file: it ends inside the \(part)"
        case let .malformedHeader(why): "malformed .safetensors header: \(why)"
        case let .unsupportedDType(tensor, dtype):
            "tensor '\(tensor)' has unsupported dtype '\(dtype)' (allowed: F64, F32, F16, BF16)"
        case let .badOffsets(tensor, reason): "tensor '\(tensor)': \(reason)"
        case let .layout(why): "bad .safetensors data layout: \(why)"
        case let .missingTensor(name, available):
            "no tensor '\(name)' in the file (tensors: \(available.joined(separator: ", ")))"
        case let .io(path, reason): "cannot read '\(path)': \(reason)"
        }
    }
}
