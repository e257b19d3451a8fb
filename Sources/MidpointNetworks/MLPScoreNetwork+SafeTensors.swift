import MidpointFormats

extension MLPScoreNetwork {
    /// The network stored in a parsed safetensors file: architecture from its metadata, parameters from
    /// its tensors (any dtype the reader supports).
    public init(safeTensors file: SafeTensors) throws(NetworkError) {
        let architecture = try MLPArchitecture(metadata: file.metadata)
        var parameters: [String: (shape: [Int], values: [Double])] = [:]
        for (name, tensor) in file.tensors { parameters[name] = (tensor.shape, tensor.values) }
        try self.init(architecture: architecture, parameters: parameters, metadata: file.metadata)
    }

    /// The network in the `.safetensors` file at `path`.
    public init(contentsOf path: String) throws(NetworkError) {
        let file: SafeTensors
        switch Result(catching: { () throws(SafeTensorsError) in try SafeTensors.read(contentsOf: path) }) {
        case .success(let f): file = f
        case .failure(let error): throw .file(error)
        }
        try self.init(safeTensors: file)
    }
}
