import ArgumentParser
import Foundation
import Midpoint

/// `evaluate --images fashion-mnist`: generated images measured in the shipped classifier's features.
struct ImageEvaluation {
    let path: String
    let images: Matrix
    /// The intended classes, from the run's provenance (`class`, `seed`, `first_particle`), if conditional.
    let labels: [Int]?
    let classDescription: String

    /// Reads and checks the samples and their provenance, before any work.
    static func resolve(samples path: String) throws -> ImageEvaluation {
        let array: NPYArray
        do { array = try NPY.read(contentsOf: path) } catch { throw ValidationError("cannot read '\(path)': \(error)") }
        guard array.shape.count == 2, array.shape[1] == 784, array.shape[0] > 3 else {
            throw ValidationError("'\(path)' has shape \(array.shape); Fashion-MNIST samples are N × 784 (28 × 28 pixels) with N ≥ 4")
        }
        if let bad = array.values.firstIndex(where: { !$0.isFinite }) {
            throw ValidationError("'\(path)' holds a non-finite value in row \(bad / 784): a diverged run cannot be measured")
        }
        var labels: [Int]?
        var described = "unconditional"
        if let provenance = try? ShardProvenance.read(for: path), let text = provenance.run["class"], text != "null" {
            guard let choice = ClassChoice(text), let seed = provenance.run["seed"].flatMap(UInt64.init) else {
                throw ValidationError("'\(ShardProvenance.path(for: path))': class '\(text)' or its seed cannot be read")
            }
            labels = choice.labels(particles: provenance.firstParticle..<(provenance.firstParticle + array.shape[0]), classes: 10, seed: seed).map(Int.init)
            described = "class \(text), guidance \(provenance.run["guidance"] ?? "1")"
        }
        return ImageEvaluation(path: path, images: Matrix(rows: array.shape[0], columns: 784, storage: array.values),
                               labels: labels, classDescription: described)
    }

    func run(threads: Int) throws {
        let classifier = try ShippedClassifier.fashion()
        let test = try FashionMNIST.load(.test), train = try FashionMNIST.load(.train)
        let n = images.rows
        guard n <= 50_000 else { throw CommandFailure("at most 50,000 images are measured (floors come from held-out training images)") }
        let floor = train.rows((train.images.rows - n)..<train.images.rows)
        let done = ProgressReporter.stage("classifying \(n) images, \(n) held-out and 10,000 test images", after: 2)
        let suite = ImageMetricSuite(classify: { classifier.evaluate($0) }, reference: test.images,
                                     floorImages: floor.images, floorLabels: floor.labels, labels: labels)
        let values = suite.evaluate(images)
        done()
        var table = Table(columns: ["metric", "value", "noise floor"])
        for m in values { table.append(m.cells) }
        print("\(n) images from \(path) (\(classDescription)) against the 10,000 Fashion-MNIST test images; floor: \(n) held-out training images")
        print(table.formatted(), terminator: "")
        if n > PairwiseDistances.defaultMaxPoints {
            print("precision and recall use the first \(PairwiseDistances.defaultMaxPoints) of \(n) images and of the test images (their cost grows as N²)")
        }
    }
}
