extension ShippedModel {
    /// The data the model was trained on and its held-out rows, in model coordinates; `nil` for models
    /// trained on draws of an exact target (compare those with the target instead). Pass the network
    /// when it is already loaded; otherwise it is loaded for its metadata (scale, shift, split).
    public func data(of network: MLPScoreNetwork? = nil) throws(NetworkError) -> DataSplit? {
        switch self {
        case .ring2d: return nil
        case .digits:
            let metadata: [String: String]
            if let network { metadata = network.metadata } else { metadata = try load().metadata }
            return try DataSplit(csv: try Self.resource("digits", extension: "csv"), ignoring: ["label"], metadata: metadata)
        }
    }
}
