import MidpointLinearAlgebra
import MidpointRandom
import MidpointTargets

/// Every error metric of `docs/algorithms.md` §9 that applies to a target, each with its noise floor.
///
/// The suite draws two independent exact samples of the run's size from the target (Philox streams
/// under `seed`, steps 1 and 2 — never the samplers' streams): the *reference* that sample-vs-sample
/// metrics compare against, and the *floor* sample, whose own metrics are the noise floors.
///
/// - all targets: mean error, covariance relative error, W2 between the sample's Gaussian fit and the
///   target's exact moments (for a Gaussian target this is the exact Gaussian W2; skipped above
///   d = 256, where its two eigendecompositions dominate), sliced W2, energy distance, MMD;
/// - product targets: pooled Kolmogorov–Smirnov, W1 and histogram TV against the exact marginal.
public struct MetricSuite: SampleMetrics {
    /// The target measured against.
    public let target: any ExactTarget
    let reference: Matrix
    let floorSample: Matrix
    let exactMean: [Double]
    /// The target's covariance, when the covariance error is measured.
    let exactCovariance: Matrix?
    let bandwidth: Double
    /// Every metric of the floor sample: the noise floors, in report order.
    public private(set) var floors: [MetricValue] = []

    public var names: [String] { Self.names(for: target) }

    /// The largest dimension whose covariance error is measured: beyond it the sample's and the target's
    /// `d × d` covariances (`16 d²` bytes, 6.4 GB at d = 20,000) cost more than the run.
    public static let covarianceDimensionLimit = 2048

    /// The bytes evaluating `particles × dimension` samples holds at its peak, the samples included:
    /// ``heldBytes(particles:dimension:)`` and what one evaluation adds — the samples, the sliced-W2
    /// projections of two samples (a block of directions and the sort buffers), the centered copy and the sample covariance where the
    /// covariance error is measured, the pairwise distances of at most ``pairwiseRows`` rows, and the pooled
    /// coordinates of a product target (at most ``pooledValues``, copied and sorted).
    public static func estimatedBytes(particles n: Int, dimension d: Int) -> Double {
        let (rows, dims) = (Double(n), Double(d))
        let covariance = d <= covarianceDimensionLimit ? 8 * rows * dims + 8 * dims * dims : 0
        let kept = Double(min(n, pairwiseRows))
        let pairwise = 3 * 8 * kept * kept
        let pooled = 2 * 8 * min(rows * dims, Double(pooledValues))
        let sliced = Double(min(n, SlicedWasserstein.defaultMaxRows))
        let projections = 2 * 8 * sliced * Double(SlicedWasserstein.directionBlock + 1)
            + (n > SlicedWasserstein.defaultMaxRows ? 2 * 8 * sliced * dims : 0)
        return heldBytes(particles: n, dimension: d) + 8 * rows * dims + projections + covariance + pairwise + pooled
    }

    /// The bytes a suite holds for as long as it lives (a comparison keeps it through all its runs): the
    /// reference and floor samples and the target's covariance where the covariance error is measured.
    public static func heldBytes(particles n: Int, dimension d: Int) -> Double {
        let dims = Double(d)
        return 2 * 8 * Double(n) * dims + (d <= covarianceDimensionLimit ? 8 * dims * dims : 0)
    }

    /// The most rows of each sample the pairwise metrics (energy distance, MMD) use: their cost is
    /// quadratic, so larger samples are measured on their first `pairwiseRows` rows.
    public static let pairwiseRows = PairwiseDistances.defaultMaxPoints

    /// The most coordinates the pooled marginal metrics of a product target use (the first ones, row by
    /// row): their KS resolution is then about `1/√(4·10⁶) = 5·10⁻⁴`, far below any sampler's error.
    public static let pooledValues = 4_000_000

    /// Metric names, in report order, for `target`.
    public static func names(for target: any ExactTarget) -> [String] {
        var names = ["mean error"]
        if target.dimension <= covarianceDimensionLimit { names.append("cov rel error") }
        if target.dimension <= 256 { names.append("gauss-fit W2") }
        names += ["sliced W2", "energy", "MMD"]
        if target is ProductMixtureTarget { names += ["pooled KS", "pooled W1", "hist TV"] }
        return names
    }

    /// The forward-process time of the law measured against (0: the data).
    public let tau: Double

    /// A suite for samples of `particles` rows of the law at time `tau` (0, the target itself, unless the
    /// samples stop at the early-stop time `δ` without a denoising step).
    public init(target: any ExactTarget, particles: Int, seed: UInt64, threads: Int = 1, tau: Double = 0) {
        self.target = target
        self.tau = tau
        let noise = NoiseSource(seed: seed ^ 0x6D65_7472_6963_7321, chunks: RowChunks(threads: threads))
        reference = target.sample(tau: tau, count: particles, noise: noise, step: 1, firstParticle: 0)
        floorSample = target.sample(tau: tau, count: particles, noise: noise, step: 2, firstParticle: 0)
        exactMean = target.mean(tau: tau)
        exactCovariance = target.dimension <= Self.covarianceDimensionLimit ? target.covariance(tau: tau) : nil
        bandwidth = MaximumMeanDiscrepancy.medianBandwidth(reference, floorSample)
        floors = raw(floorSample).map { MetricValue(value: $0, floor: $0) }
    }

    /// Every metric of `samples` with its floor.
    public func evaluate(_ samples: Matrix) -> [MetricValue] {
        zip(raw(samples), floors).map { MetricValue(name: $0.name, value: $0.value, floor: $1.floor, valueClipped: $0.clipped,
                                                    floorClipped: $1.floorClipped) }
    }

    func raw(_ x: Matrix) -> [MetricValue.Estimate] {
        var out: [MetricValue.Estimate] = []
        if let exactCovariance {
            let moments = MomentErrors(samples: x, mean: exactMean, covariance: exactCovariance)
            out.append(.init("mean error", moments.meanError))
            out.append(.init("cov rel error", moments.covarianceError))
            if target.dimension <= 256 {
                let w2 = (try? GaussianWasserstein.distance(mean1: x.columnMeans(), covariance1: x.rowCovariance(),
                                                            mean2: exactMean, covariance2: exactCovariance)) ?? .nan
                out.append(.init("gauss-fit W2", w2))
            }
        } else {
            out.append(.init("mean error", MomentErrors.meanError(samples: x, mean: exactMean)))
        }
        out.append(.init("sliced W2", SlicedWasserstein.distance(x, reference)))
        out.append(.root("energy", squared: EnergyDistance.squared(x, reference)))
        out.append(.root("MMD", squared: MaximumMeanDiscrepancy.squared(x, reference, bandwidth: bandwidth)))
        if let product = target as? ProductMixtureTarget {
            // At most `pooledValues` coordinates (the first rows'): beyond that a sort and 10⁸ CDF evaluations
            // would cost more than the run while the statistics no longer resolve anything new.
            let pooled = PooledMarginalMetrics(samples: Array(x.storage.prefix(Self.pooledValues)), law: product.marginal, tau: tau)
            out.append(.init("pooled KS", pooled.kolmogorovSmirnov))
            out.append(.init("pooled W1", pooled.wasserstein1))
            out.append(.init("hist TV", pooled.histogramTV))
        }
        return out
    }
}
