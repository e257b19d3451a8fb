extension ModelCard {
    /// A class-label input of a conditional model (`class_input` in the card): the tensor's name, the
    /// number of classes and the label that means "no class" (the unconditional half of classifier-free
    /// guidance).
    ///
    /// Labels go on the wire as INT64, one per row. Guidance combines the network's two raw outputs
    /// `o = o_u + w (o_c - o_u)`: every prediction kind (ε, x̂₀, v, score) is affine in ε at a fixed
    /// `(x, τ)`, so this is the same as guiding ε, as diffusers does (`docs/algorithms.md` §14).
    public struct ClassInput: Sendable, Equatable {
        /// The label tensor's name.
        public let tensor: String
        /// Labels `0 ..< classes` are classes.
        public let classes: Int
        /// The unconditional label (often `classes`).
        public let null: Int

        /// A class input; the parser requires `null ≥ classes` (a label of its own, never a class a user
        /// can ask for).
        public init(tensor: String, classes: Int, null: Int) {
            self.tensor = tensor
            self.classes = classes
            self.null = null
        }
    }

    /// Parses `class_input`: `{"name": "class_labels", "datatype": "INT64", "classes": 10, "null": 10}`.
    static func parseClassInput(_ value: Any) throws(ModelCardError) -> ClassInput {
        guard let object = value as? [String: Any] else { throw .invalidField(path: "class_input", reason: "must be an object") }
        try checkKeys(object, ["name", "datatype", "classes", "null"], path: "class_input.")
        let name = try string(object["name"], path: "class_input.name", expected: "the label tensor's name")
        let datatype = try string(object["datatype"] ?? "INT64", path: "class_input.datatype", expected: "\"INT64\"")
        guard datatype == "INT64" else {
            throw .invalidField(path: "class_input.datatype", reason: "must be \"INT64\" (labels are 64-bit integers), got \"\(datatype)\"")
        }
        let classes = try number(object["classes"], path: "class_input.classes")
        guard classes == classes.rounded(), (1...1_000_000).contains(classes) else {
            throw .invalidField(path: "class_input.classes", reason: "must be an integer in 1...1000000, got \(classes)")
        }
        let null = try number(object["null"], path: "class_input.null")
        guard null == null.rounded(), (0...1_000_000).contains(null) else {
            throw .invalidField(path: "class_input.null", reason: "must be an integer in 0...1000000, got \(null)")
        }
        guard null >= classes else {
            throw .invalidField(path: "class_input.null", reason: "the unconditional label \(Int(null)) is one of the classes 0..<\(Int(classes)): use a label of its own (often \(Int(classes)))")
        }
        return ClassInput(tensor: name, classes: Int(classes), null: Int(null))
    }
}
