import Foundation
import MidpointFormats
import MidpointLinearAlgebra

/// Fashion-MNIST (Xiao, Rasul & Vollgraf 2017; Zalando Research, MIT licence): 60,000 training and 10,000
/// test images of 28 × 28 grey pixels in 10 classes, read from the IDX files Debian's
/// `dataset-fashion-mnist` package installs (or `MIDPOINT_FASHION_MNIST`). Pixels are mapped to [-1, 1]
/// (`p / 127.5 - 1`), the diffusion model's and the classifier's data range.
public struct FashionMNIST: Sendable {
    /// Images as rows of 784 pixels in [-1, 1].
    public let images: Matrix
    /// Each image's class, 0…9.
    public let labels: [Int]

    /// The class names, by label.
    public static let classNames = ["T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"]

    /// Where the files are: `MIDPOINT_FASHION_MNIST`, else Debian's location.
    public static var directory: String {
        ProcessInfo.processInfo.environment["MIDPOINT_FASHION_MNIST"] ?? "/usr/share/datasets/fashion-mnist"
    }

    /// The training (`train`) or test (`t10k`) split.
    public enum Split: String, Sendable { case train, test = "t10k" }

    /// Reads a split from `directory`.
    public static func load(_ split: Split, directory: String = FashionMNIST.directory) throws(NetworkError) -> FashionMNIST {
        let imagesPath = "\(directory)/\(split.rawValue)-images-idx3-ubyte.gz", labelsPath = "\(directory)/\(split.rawValue)-labels-idx1-ubyte.gz"
        let images: (shape: [Int], values: [UInt8]), labels: (shape: [Int], values: [UInt8])
        do {
            images = try IDX.read(contentsOf: imagesPath)
            labels = try IDX.read(contentsOf: labelsPath)
        } catch {
            throw .data(path: directory, reason: "\(error.description) (install Debian's dataset-fashion-mnist, or set MIDPOINT_FASHION_MNIST to the folder of its four .gz files)")
        }
        guard images.shape.count == 3, images.shape[1] == 28, images.shape[2] == 28, labels.shape == [images.shape[0]] else {
            throw .data(path: directory, reason: "images of shape \(images.shape) and labels of shape \(labels.shape), expected [N, 28, 28] and [N]")
        }
        guard labels.values.allSatisfy({ $0 < 10 }) else { throw .data(path: labelsPath, reason: "labels outside 0…9") }
        let pixels = images.values.map { Double($0) / 127.5 - 1 }
        return FashionMNIST(images: Matrix(rows: images.shape[0], columns: 784, storage: pixels), labels: labels.values.map(Int.init))
    }

    /// Rows `range` of the split.
    public func rows(_ range: Range<Int>) -> FashionMNIST {
        FashionMNIST(images: images.rows(range), labels: Array(labels[range]))
    }
}
