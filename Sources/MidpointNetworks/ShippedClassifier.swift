/// The feature networks shipped with the package, for the image metrics.
public enum ShippedClassifier {
    /// The Fashion-MNIST MLP classifier (scripts/train_fashion_classifier.py; its test accuracy and the
    /// command that trained it are in docs/fashion/training.md).
    public static func fashion() throws(NetworkError) -> MLPClassifier {
        try MLPClassifier(contentsOf: ShippedModel.resource("fashion-classifier", extension: "safetensors"))
    }
}
