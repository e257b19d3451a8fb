import Dispatch
import Foundation
import MidpointLinearAlgebra
import MidpointRandom
import MidpointScoreModels

/// Runs a ``DiffusionSampler`` end to end: builds the grid, draws the initial `N(0, I)` noise
/// (Philox step 0, slot 0), integrates, optionally denoises, and reports exact NFE and rounds.
public enum DiffusionRun {
    /// The grid a run with `options` integrates, after converting an NFE budget into steps.
    public static func grid(for sampler: any DiffusionSampler, options: DiffusionRunOptions) throws(SamplingError) -> TimeGrid {
        let steps: Int
        switch options.cost {
        case let .steps(n): steps = n
        case let .nfe(budget):
            let available = budget - (options.denoise ? 1 : 0)
            guard let n = sampler.steps(forBudget: available) else {
                throw .budgetTooSmall(sampler: sampler.name, budget: budget,
                                      minimum: sampler.evaluations(steps: sampler.minimumSteps) + (options.denoise ? 1 : 0))
            }
            steps = n
        }
        let grid: TimeGrid
        do {
            if let explicit = options.explicitGrid {
                grid = try TimeGrid(times: explicit)
            } else {
                grid = try TimeGrid(options.gridKind ?? sampler.defaultGrid, steps: steps, horizon: options.horizon,
                                    earlyStop: earlyStop(for: sampler, steps: steps, options: options))
            }
        } catch { throw .grid(error) }
        // One check for step counts, budgets and explicit grids alike.
        guard grid.steps >= sampler.minimumSteps else {
            throw .invalidParameter(name: "steps", value: "\(grid.steps)", allowed: "\(sampler.name) needs at least \(sampler.minimumSteps)")
        }
        if let limit = sampler.maximumStableStep,
           let n = (0..<grid.steps).first(where: { grid.stepSize($0) > limit }) {
            throw .unstableStep(sampler: sampler.name, step: n, length: grid.stepSize(n), limit: limit)
        }
        return grid
    }

    /// The early-stopping time of a run of `steps` steps: the given one, else the sampler's own
    /// (``DiffusionSampler/defaultEarlyStop(steps:denoise:)``) when it lies below the horizon, else
    /// ``DiffusionRunOptions/defaultEarlyStop``.
    public static func earlyStop(for sampler: any DiffusionSampler, steps: Int, options: DiffusionRunOptions) -> Double {
        if let given = options.earlyStop { return given }
        let own = sampler.defaultEarlyStop(steps: steps, denoise: options.denoise)
        return own < options.horizon / 2 ? own : DiffusionRunOptions.defaultEarlyStop
    }

    /// Every check a run makes before any work — the options, the sampler's settings, the grid (budget,
    /// stability) and the memory it will hold — for a model of `dimension`; returns the grid. A CLI calls it
    /// while checking its flags, ``run(_:model:options:initial:progress:)`` calls it again.
    public static func plan(_ sampler: any DiffusionSampler, dimension: Int, options: DiffusionRunOptions) throws(SamplingError) -> TimeGrid {
        try options.validate()
        try sampler.validate()
        let grid = try grid(for: sampler, options: options)
        // Refuse before allocating what cannot fit (a window of a parallel sampler holds 4n matrices).
        let bytes = estimatedBytes(sampler, steps: grid.steps, particles: options.particles, dimension: dimension)
        let budget = MemoryBudget.current()
        if bytes > budget.usable {
            throw .insufficientMemory(sampler: sampler.name, bytes: bytes, budget: budget,
                                      hint: "use fewer --particles or steps" + (sampler.workingMatrices(steps: 1) < sampler.workingMatrices(steps: grid.steps)
                                                                               ? ", or shorter Picard windows (--picard-window)" : ""))
        }
        return grid
    }

    /// The bytes a run of `sampler` on a grid of `steps` steps holds at its peak: its working matrices of
    /// `particles × dimension` doubles.
    public static func estimatedBytes(_ sampler: any DiffusionSampler, steps: Int, particles: Int, dimension: Int) -> Double {
        Double(sampler.workingMatrices(steps: steps)) * Double(particles) * Double(dimension) * 8
    }

    /// Samples `options.particles` particles from `model` with `sampler`.
    ///
    /// - Parameter initial: the starting states at `T` (default: `N(0, I)` draws from Philox step 0,
    ///   slot 0). Tests pass their own to read off a linear sampler's gains.
    public static func run(
        _ sampler: any DiffusionSampler, model: any ScoreModel, options: DiffusionRunOptions,
        initial: Matrix? = nil, progress: ((Int, Int) -> Void)? = nil
    ) throws(SamplingError) -> DiffusionResult {
        let grid = try plan(sampler, dimension: model.dimension, options: options)
        let start = DispatchTime.now().uptimeNanoseconds
        let chunks = RowChunks(threads: options.threads)
        let noise = NoiseSource(seed: options.seed, chunks: chunks, particleOffset: options.firstParticle)
        let evaluator = ScoreEvaluator(model: model, particles: options.particles, chunks: chunks)
        var x: Matrix
        if let initial {
            guard initial.rows == options.particles, initial.columns == model.dimension else {
                throw .invalidParameter(name: "initial states", value: "\(initial.rows)×\(initial.columns)",
                                        allowed: "must be \(options.particles)×\(model.dimension)")
            }
            x = initial
        } else {
            x = Matrix(rows: options.particles, columns: model.dimension)
            noise.fillNormal(&x, step: 0, slot: 0)
        }
        let diagnostics = SamplingDiagnostics()
        let context = SamplingContext(evaluator: evaluator, noise: noise, progress: progress, diagnostics: diagnostics)
        do { try sampler.run(&x, grid: grid, context: context) } catch {
            // A model that failed wrote NaN scores: report its reason, not the NaN they caused.
            if let reason = model.failure { throw .modelFailed(reason) }
            throw error
        }
        if options.denoise {
            let tau = grid.earlyStop
            var s = Matrix(rows: x.rows, columns: x.columns)
            evaluator.evaluate(tau: tau, x: x, into: &s)
            let a = ForwardProcess.alpha(tau)
            x.scaleAndAdd(1 / a, ForwardProcess.sigmaSquared(tau) / a, s)
            try context.checkFinite(x, step: grid.steps, tau: 0)
        }
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) * 1e-9
        var result = DiffusionResult(samples: x, sampler: sampler.name, grid: grid, nfe: evaluator.nfe,
                                     rounds: evaluator.rounds, seconds: seconds, modelSeconds: evaluator.modelSeconds)
        result.picardResidual = diagnostics.picardResidual
        return result
    }
}
