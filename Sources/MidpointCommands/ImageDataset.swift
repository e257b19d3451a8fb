import ArgumentParser

/// The image datasets `evaluate --images` measures against.
enum ImageDataset: String, ExpressibleByArgument, CaseIterable {
    /// Fashion-MNIST, 28 × 28 grey images (Debian's dataset-fashion-mnist).
    case fashionMNIST = "fashion-mnist"
}
