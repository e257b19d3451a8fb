import MidpointLinearAlgebra

/// The image metrics for generated images (`docs/algorithms.md` §9, §14), in a classifier's feature space:
/// Fréchet distance (FD) to the reference images' feature moments, improved precision and recall
/// against their features, and — for conditional samples whose intended classes are known — the share
/// the classifier assigns to the intended class.
///
/// The floors are the same metrics of real held-out images (not in the reference set) with their true
/// labels, at the generated sample's size: FD is biased upward at finite N, so a sampler's FD means
/// something only beside the floor at the same N.
public struct ImageMetricSuite: SampleMetrics {
    /// The classifier: penultimate features and logits of rows of pixels.
    public typealias Classifier = @Sendable (Matrix) -> (features: Matrix, logits: Matrix)

    let classify: Classifier
    let referenceFeatures: Matrix
    let referenceMean: [Double]
    let referenceCovariance: Matrix
    /// The intended class of each generated row, when known.
    let labels: [Int]?
    public private(set) var floors: [MetricValue] = []

    public var names: [String] { ["FD", "precision", "recall"] + (labels == nil ? [] : ["class accuracy"]) }

    /// A suite measuring against `reference` images (rows of pixels), with `floorImages` and their
    /// `floorLabels` (real images of the generated sample's size) for the floors; `labels` are the
    /// generated rows' intended classes, if any.
    public init(classify: @escaping Classifier, reference: Matrix, floorImages: Matrix, floorLabels: [Int], labels: [Int]?) {
        precondition(floorLabels.count == floorImages.rows, "one label per floor image")
        self.classify = classify
        referenceFeatures = classify(reference).features
        referenceMean = referenceFeatures.columnMeans()
        referenceCovariance = referenceFeatures.rowCovariance()
        self.labels = labels
        let floor = raw(floorImages, labels: labels == nil ? nil : floorLabels)
        floors = floor.map { MetricValue(name: $0.name, value: $0.value, floor: $0.value) }
    }

    public func evaluate(_ samples: Matrix) -> [MetricValue] {
        zip(raw(samples, labels: labels), floors).map { MetricValue(name: $0.name, value: $0.value, floor: $1.floor) }
    }

    func raw(_ images: Matrix, labels: [Int]?) -> [MetricValue.Estimate] {
        let (features, logits) = classify(images)
        let fd = (try? FrechetDistance.between(mean: features.columnMeans(), covariance: features.rowCovariance(),
                                               and: referenceMean, referenceCovariance)) ?? .nan
        let (precision, recall) = PrecisionRecall.of(generated: features, real: referenceFeatures)
        var out: [MetricValue.Estimate] = [.init("FD", fd), .init("precision", precision), .init("recall", recall)]
        if let labels {
            precondition(labels.count == images.rows, "one intended class per generated image")
            var hits = 0
            for i in 0..<logits.rows where (0..<logits.columns).max(by: { logits[i, $0] < logits[i, $1] }) == labels[i] { hits += 1 }
            out.append(.init("class accuracy", Double(hits) / Double(logits.rows)))
        }
        return out
    }
}
