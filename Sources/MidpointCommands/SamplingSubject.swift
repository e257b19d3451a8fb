import ArgumentParser
import Foundation
import Midpoint
#if MIDPOINT_REMOTE
import MidpointRemote
#endif

/// What a diffusion command samples — an exact target, a learned score network or a served model — and
/// how its samples are measured and drawn.
///
/// Resolved in the commands' `validate()`, before any work: files are read and checked, the dimension is
/// known, and a served model's card is checked against `--target`. Only the connection to a served
/// model waits for `run()` (``scoreModel(remote:particles:seed:)``).
struct SamplingSubject {
    /// The name reports print (`ring2d`, `model digits`).
    let name: String
    /// The dimension of a sample.
    let dimension: Int
    /// The score the samplers call, when it is local (nil for a served model).
    let local: (any ScoreModel)?
    /// The exact target, when the subject is one (or, for a served model, the law of `--target`).
    let exact: (any ExactTarget)?
    /// The network, when the subject is one.
    let network: MLPScoreNetwork?
    /// The network's training data and held-out rows, when they ship with it.
    let data: DataSplit?
    /// The range of the data, from a model card's `data_range` (nil for targets and cards without one).
    var dataRange: ClosedRange<Double>? = nil
    /// A served model's per-sample shape (its card's `sample_shape`), for pictures.
    var sampleShape: [Int]? = nil

    /// `--target` or `--model` (at most one; the target defaults to `mixture64`), or a served model
    /// (`--model-url` with the card read by ``RemoteModelOptions``) measured against `--target` if given.
    /// A bad name or file is a usage error (ArgumentParser's usage line, exit 64) like any bad flag.
    static func resolve(target: String?, model: String?, remote: RemoteModelOptions? = nil, particles: Int) throws -> SamplingSubject {
        do { return try resolveFiles(target: target, model: model, remote: remote, particles: particles) } catch let error as ValidationError {
            throw error
        } catch {
            throw ValidationError("\(error)")
        }
    }

    private static func resolveFiles(target: String?, model: String?, remote: RemoteModelOptions?, particles: Int) throws -> SamplingSubject {
        if let remote, remote.isRemote, let card = remote.card {
            guard model == nil else { throw ValidationError("give --model or --model-url, not both") }
            let reference = try target.map { try TargetSpec.resolve($0) }
            if let reference, reference.dimension != card.dimension {
                throw ValidationError("--target \(target ?? "") has dimension \(reference.dimension), the model card's sample shape \(card.sampleShape) has \(card.dimension)")
            }
            try checkBatch(particles: particles, dimension: card.dimension)
            return SamplingSubject(name: "served \(card.name) at \(remote.modelURL.map { "\($0)" } ?? "")", dimension: card.dimension,
                                   local: nil, exact: reference, network: nil, data: nil, dataRange: card.dataRange,
                                   sampleShape: card.sampleShape)
        }
        if let model {
            guard target == nil else { throw ValidationError("give --target or --model, not both") }
            let network = try ShippedModel.resolve(model)
            try checkBatch(particles: particles, dimension: network.dimension)
            let data = try ShippedModel(rawValue: model)?.data(of: network)
            // A network trained on a built-in target is measured against that target's exact law.
            let exact = network.trainingTarget?.make()
            return SamplingSubject(name: "model \(model)", dimension: network.dimension, local: network, exact: exact,
                                   network: network, data: data, dataRange: try ShippedModel(rawValue: model)?.card().dataRange)
        }
        let name = target ?? "mixture64"
        let exact = try TargetSpec.resolve(name)
        try checkBatch(particles: particles, dimension: exact.dimension)
        return SamplingSubject(name: name, dimension: exact.dimension, local: exact, exact: exact, network: nil, data: nil)
    }

    /// The score to sample: the local one, or the served model connected and checked against its card.
    /// `particles` (global indices) and `seed` choose a conditional served model's class labels.
    func scoreModel(remote: RemoteModelOptions, particles: Range<Int>, seed: UInt64) throws -> any ScoreModel {
        if let local { return local }
        #if MIDPOINT_REMOTE
        if let served = try remote.connect(particles: particles, seed: seed) { return served }
        #endif
        throw CommandFailure("\(name) has no score model (a served model needs --model-url and --model-card)")
    }

    /// Each batch matrix holds particles × d doubles and a run keeps a few of them.
    static func checkBatch(particles: Int, dimension: Int) throws {
        guard particles * dimension <= 250_000_000 else {
            throw ValidationError("--particles \(particles) × dimension \(dimension) is too large: at most 250000000 values (2 GB) per batch")
        }
    }

    /// The metrics that apply: every exact-target metric, or energy and MMD against held-out data;
    /// `nil` for a network with neither.
    /// `tau` is the time the samples are at: 0 after the denoising step, `δ` without it (`--no-denoise`).
    func metrics(particles: Int, seed: UInt64, threads: Int, tau: Double = 0) -> (any SampleMetrics)? {
        if let exact { return MetricSuite(target: exact, particles: particles, seed: seed, threads: threads, tau: tau) }
        if let data, data.heldOut.rows >= 4 { return HeldOutMetricSuite(heldOut: data.heldOut) }
        return nil
    }

    /// The bytes measuring `particles` samples holds at its peak (the samples included); 0 without metrics.
    func metricBytes(particles: Int) -> Double {
        if exact != nil { return MetricSuite.estimatedBytes(particles: particles, dimension: dimension) }
        if let data, data.heldOut.rows >= 4 { return HeldOutMetricSuite.estimatedBytes(particles: particles, dimension: dimension) }
        return 0
    }

    /// What a report of `particles` samples says about the metrics that measured a subsample.
    func subsampleNotes(particles: Int) -> [String] {
        MetricSubsample.notes(particles: particles, dimension: dimension, pooled: exact.map { $0 is ProductMixtureTarget })
    }

    /// The part of ``metricBytes(particles:)`` the suite holds for as long as it lives.
    func metricHeldBytes(particles: Int) -> Double {
        exact != nil ? MetricSuite.heldBytes(particles: particles, dimension: dimension) : 0
    }

    /// How `--png` draws this subject's samples.
    enum PictureLayout {
        /// A grid of images of `rows × columns` pixels (a model whose metadata gives `image_shape`).
        case images(rows: Int, columns: Int)
        /// A scatter plot of 2-D samples.
        case scatter
    }

    /// The picture layout for this subject.
    /// - Throws: a `ValidationError` naming why `--png` cannot draw it (called from `validate()`).
    func pictureLayout() throws -> PictureLayout {
        if let shape = network?.metadata["image_shape"] {
            let parts = shape.split(separator: ",").compactMap { Int($0) }
            guard parts.count == 2, parts[0] > 0, parts[1] > 0, parts[0] * parts[1] == dimension else {
                throw ValidationError("--png: the model's image_shape '\(shape)' does not match its dimension \(dimension)")
            }
            return .images(rows: parts[0], columns: parts[1])
        }
        // A card's [1, H, W] or [H, W]: one grey channel.
        if let shape = sampleShape?.drop(while: { $0 == 1 }), shape.count == 2 {
            return .images(rows: shape[shape.startIndex], columns: shape[shape.startIndex + 1])
        }
        guard dimension == 2 else {
            throw ValidationError("--png draws image-shaped samples (a model with image_shape or a card with sample_shape [1, H, W]) or 2-D samples; \(name) has dimension \(dimension)")
        }
        return .scatter
    }

    /// A picture of `samples` in `layout`: a grid of the first 100 as images, or a scatter plot (with exact
    /// draws or training data in grey).
    func picture(of samples: Matrix, layout: PictureLayout, seed: UInt64) -> (raster: Raster, caption: String) {
        if case let .images(rows, columns) = layout {
            let range = displayRange(samples)
            let count = min(samples.rows, 100)
            let raster = Raster.imageGrid(Array(samples.storage[0..<(count * dimension)]), imageRows: rows,
                                          imageColumns: columns, range: range, columns: 10)
            return (raster, "\(count) samples as \(rows)×\(columns) images, values \(range.lowerBound) (white) to \(range.upperBound) (black)")
        }
        var reference: [Double] = []
        if let exact {
            reference = exact.sample(tau: 0, count: min(samples.rows, 5000), noise: NoiseSource(seed: seed ^ 0x7069_6374),
                                     step: 0, firstParticle: 0).storage
        } else if let data {
            reference = data.train.storage
        }
        let finite = samples.storage.filter(\.isFinite) + reference
        let extent = max(1, (finite.map(abs).max() ?? 1) * 1.05).rounded(.up)
        return (Raster.scatter(samples.storage, reference: reference, extent: extent),
                "\(samples.rows) samples (blue) over \(reference.count / 2) \(exact != nil ? "exact draws" : "training points") (grey), window [-\(extent), \(extent)]², grid lines every \(Raster.scatterGridSpacing(extent: extent))")
    }

    /// The values pictures show as white and black: the metadata's `display_range`, else the samples' range.
    func displayRange(_ samples: Matrix) -> ClosedRange<Double> {
        if let text = network?.metadata["display_range"] {
            let v = text.split(separator: ",").compactMap { Double($0) }
            if v.count == 2, v[0].isFinite, v[1].isFinite, v[0] < v[1] { return v[0]...v[1] }
        }
        if let dataRange { return dataRange }
        let finite = samples.storage.filter(\.isFinite)
        let lo = finite.min() ?? 0, hi = finite.max() ?? 1
        return lo < hi ? lo...hi : lo...(lo + 1)
    }
}
