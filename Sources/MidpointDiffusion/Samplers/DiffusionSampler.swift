import MidpointSettings
import MidpointLinearAlgebra

/// A reverse-time diffusion sampler: carries particles from `N(0, I)` at `τ = T` down the grid to `δ`.
///
/// A sampler owns only the integration between grid points. Initial noise, the optional final
/// denoising step, counting and timing belong to ``DiffusionRun``, so every sampler is measured the
/// same way. It also owns its tuning (``Settings``): the keys it reads, their defaults and their checks
/// (``validate()``), so that a new sampler is one file and one ``SamplerRegistry`` entry.
public protocol DiffusionSampler: Sendable {
    /// The sampler's tuning record (``NoSettings`` for a sampler with nothing to tune).
    associatedtype Settings: SamplerSettings = NoSettings

    /// The stable name used by the library, the CLI and reports (e.g. `ddim`).
    var name: String { get }

    /// What the sampler is, in one line of Markdown (the `midpoint samplers` table and the README).
    var summary: String { get }

    /// Its NFE for a grid of `N` steps, as a formula (`2N`, `N + 1`, `≤ 2N·K`).
    var costFormula: String { get }

    /// The tuning in force.
    var settings: Settings { get set }

    /// Throws unless the sampler can run as configured; ``DiffusionRun`` calls it once before any work.
    func validate() throws(SamplingError)

    /// The grid spacing the sampler is designed for, used when a run does not choose one.
    var defaultGrid: TimeGrid.Kind { get }

    /// The early-stopping time `δ` the sampler is tuned for on a grid of `steps` steps, used when a run
    /// does not choose one (``DiffusionRunOptions/defaultEarlyStop`` unless the sampler says otherwise).
    func defaultEarlyStop(steps: Int, denoise: Bool) -> Double

    /// Score evaluations per particle for a grid of `steps` steps (without the final denoising step);
    /// for a sampler that can stop early (``hasFixedCost`` false), the most it can use.
    func evaluations(steps: Int) -> Int

    /// Sequential batched model calls for a grid of `steps` steps (without the final denoising step):
    /// ``evaluations(steps:)`` for a sequential sampler, fewer for a parallel one; for a sampler that can
    /// stop early, the most it can use.
    func rounds(steps: Int) -> Int

    /// Whether a run always uses exactly ``evaluations(steps:)`` (false when a tolerance can end
    /// iterations early).
    var hasFixedCost: Bool { get }

    /// Whether the sampler decides something over the whole batch (a Picard tolerance tested on the
    /// batch's largest change): its particles then depend on which others run with them, and a shard of
    /// a run (``DiffusionRunOptions/firstParticle``) is not bit-identical to its rows of the whole run.
    var decidesOverTheBatch: Bool { get }

    /// The longest step (in OU time `τ`) the sampler takes without diverging, or nil if any step is
    /// stable. A run whose grid has a longer step is refused before any work
    /// (``SamplingError/unstableStep(sampler:step:length:limit:)``).
    var maximumStableStep: Double? { get }

    /// How many `N × d` matrices a run on a grid of `steps` steps keeps at once (for the memory estimate
    /// made before any allocation).
    func workingMatrices(steps: Int) -> Int

    /// The fewest grid steps the sampler runs (an NFE budget that fits fewer is refused as too small).
    var minimumSteps: Int { get }

    /// Integrates `x` (N × d, at `grid.horizon`) down to `grid.earlyStop`, in place.
    func run(_ x: inout Matrix, grid: TimeGrid, context: SamplingContext) throws(SamplingError)
}

extension DiffusionSampler where Settings == NoSettings {
    /// Nothing to tune.
    public var settings: NoSettings {
        get { NoSettings() }
        set {}
    }
}

extension DiffusionSampler {
    /// By default the settings' own checks are all there is to validate.
    public func validate() throws(SamplingError) { try settings.validate(sampler: name) }

    /// The tuning keys the sampler reads.
    public var settingKeys: [String] { Settings.keys }

    /// This sampler with `overrides` applied to its settings, validated.
    /// - Throws: ``SamplingError/unreadSetting(sampler:key:readers:)`` naming the samplers that read a key
    ///   this one does not, or the sampler's own ``validate()`` error.
    public func tuned(_ overrides: [String: SettingValue]) throws(SamplingError) -> Self {
        var tuned = self
        do throws(SamplingError) {
            let settings = try self.settings.applying(overrides, sampler: name)
            for key in overrides.keys.sorted() {
                if let reason = settings.unreadReason(key) {
                    throw .invalidSetting(sampler: name, key: key, value: overrides[key]?.description ?? "", allowed: reason)
                }
            }
            tuned.settings = settings
        } catch {
            guard case let .unreadSetting(sampler, key, _) = error else { throw error }
            throw .unreadSetting(sampler: sampler, key: key, readers: SamplerRegistry.readers(of: key))
        }
        try tuned.validate()
        return tuned
    }

    /// Of `overrides`, the ones this sampler reads: its keys, less those its settings would not read with
    /// these values (a `compare` over several samplers passes each only what it reads).
    public func readOverrides(_ overrides: [String: SettingValue]) -> [String: SettingValue] {
        let own = overrides.filter { settingKeys.contains($0.key) }
        guard let applied = try? settings.applying(own, sampler: name) else { return own }
        return own.filter { applied.unreadReason($0.key) == nil }
    }

    /// The settings that identify this sampler's output, as text (for provenance files): its name and
    /// every key it reads under these values, `auto` where the sampler chooses (a key its settings would not
    /// read, such as rm-ms's `interpolant` in the data form, is left out: it does not shape the output).
    public var provenance: [String: String] {
        let current = settings
        let values = current.values
        var entries = ["sampler": name]
        for key in settingKeys where current.unreadReason(key) == nil { entries[key] = values[key]?.description ?? "auto" }
        return entries
    }

    /// By default a run uses exactly ``evaluations(steps:)``.
    public var hasFixedCost: Bool { true }
    /// By default a sampler decides nothing over the batch.
    public var decidesOverTheBatch: Bool { false }

    /// By default `δ = 10⁻³` at every budget.
    public func defaultEarlyStop(steps: Int, denoise: Bool) -> Double { DiffusionRunOptions.defaultEarlyStop }

    /// By default every step length is stable.
    public var maximumStableStep: Double? { nil }

    /// By default a handful: the state, the scores and a few work buffers.
    public func workingMatrices(steps: Int) -> Int { 8 }

    /// By default one step is enough.
    public var minimumSteps: Int { 1 }

    /// By default every evaluation is its own round (a sequential sampler).
    public func rounds(steps: Int) -> Int { evaluations(steps: steps) }

    /// The most steps whose evaluations fit in `budget` (nil if not even one fits).
    public func steps(forBudget budget: Int) -> Int? {
        guard evaluations(steps: minimumSteps) <= budget else { return nil }
        var lo = minimumSteps, hi = minimumSteps
        while evaluations(steps: hi * 2) <= budget { hi *= 2 }
        hi *= 2
        while hi - lo > 1 {
            let mid = (lo + hi) / 2
            if evaluations(steps: mid) <= budget { lo = mid } else { hi = mid }
        }
        return lo
    }
}
