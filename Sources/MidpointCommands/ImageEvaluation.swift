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
    /// Other samples to measure against as well (the model's own many-step samples), and their path.
    let against: (path: String, images: Matrix)?

    /// Reads and checks the samples and their provenance, before any work.
    static func resolve(samples path: String, against: String? = nil) throws -> ImageEvaluation {
        let array = try resolve(images: path)
        let reference = try against.map { (path: $0, images: try resolve(images: $0)) }
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
                               labels: labels, classDescription: described,
                               against: reference.map { ($0.path, Matrix(rows: $0.images.shape[0], columns: 784, storage: $0.images.values)) })
    }

    /// Reads N × 784 finite images (N from 4 to 50,000), checking the header before the values.
    static func resolve(images path: String) throws -> NPYArray {
        try SamplesFile.resolve(path) { shape, _ in
            guard shape.count == 2, shape[1] == 784, (4...50_000).contains(shape[0]) else {
                throw ValidationError("'\(path)' has shape \(shape); Fashion-MNIST samples are N × 784 (28 × 28 pixels) with 4 ≤ N ≤ 50,000 (floors come from held-out training images)")
            }
        }
    }

    func run(threads: Int) throws {
        let classifier = try ShippedClassifier.fashion()
        let test = try FashionMNIST.load(.test), train = try FashionMNIST.load(.train)
        let n = images.rows
        let floor = train.rows((train.images.rows - n)..<train.images.rows)
        let done = ProgressReporter.stage("classifying \(n) images, \(n) held-out and 10,000 test images", after: 2)
        let suite = ImageMetricSuite(classify: { classifier.evaluate($0) }, reference: test.images,
                                     floorImages: floor.images, floorLabels: floor.labels, labels: labels)
        let values = suite.evaluate(images)
        done()
        var table = Table(columns: ["metric", "value", "noise floor"])
        for m in values { table.append(m.cells) }
        if let against {
            // FD to other samples (the model's own many-step ones) separates the sampler's error from the
            // model's; its floor is the FD between two disjoint sets of those samples of this size.
            let own = classifier.evaluate(images).features, ref = classifier.evaluate(against.images).features
            func fd(_ a: Matrix, _ b: Matrix) -> Double {
                (try? FrechetDistance.between(mean: a.columnMeans(), covariance: a.rowCovariance(),
                                              and: b.columnMeans(), b.rowCovariance())) ?? .nan
            }
            // With 2N reference images, the value and the floor compare N images with the same N reference
            // images (the second half), so that both carry the same finite-sample bias.
            let halves = ref.rows >= 2 * n
            let target = halves ? ref.rows(n..<(2 * n)) : ref
            let floor = halves ? fd(ref.rows(0..<n), target) : Double.nan
            table.append(MetricValue(name: "FD to reference samples", value: fd(own, target), floor: floor).cells)
        }
        print("\(n) images from \(path) (\(classDescription)) against the 10,000 Fashion-MNIST test images; floor: \(n) held-out training images")
        print(table.formatted(), terminator: "")
        if let against {
            print("reference samples: \(against.images.rows) images from \(against.path)" + (against.images.rows >= 2 * n ? "; the samples and (for the floor) the first \(n) of them are compared with the next \(n)" : "; no floor (it needs at least \(2 * n) reference images)"))
        }
        if n > PairwiseDistances.defaultMaxPoints {
            print("precision and recall use the first \(PairwiseDistances.defaultMaxPoints) of \(n) images and of the test images (their cost grows as N²)")
        }
    }
}
