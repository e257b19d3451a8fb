import MidpointDiffusion
import MidpointTargets
import Testing

/// No sampler diverges at the budgets people use: with default settings, every fixed-cost sampler at
/// every NFE from 4 to 20 on every built-in target gives finite samples, none with an RMS coordinate
/// above ``DiffusionResult/divergenceRMS`` (the CLI's "diverged" warning) — or refuses the budget
/// before any work: because its grid has a step longer than the sampler's stability limit, or because the
/// budget fits fewer steps than the sampler's minimum.
@Suite struct StabilityTests {
    static let budgets = [4, 5, 6, 7, 8, 10, 12, 15, 20]

    @Test(arguments: BuiltinTarget.allCases)
    func noSamplerDivergesAtSmallBudgets(target: BuiltinTarget) throws {
        let model = target.make()
        for sampler in SamplerRegistry.all where sampler.hasFixedCost {
            for budget in Self.budgets {
                var options = DiffusionRunOptions(particles: target == .product1024 ? 64 : 400, seed: 9)
                options.cost = .nfe(budget)
                guard sampler.evaluations(steps: 1) + 1 <= budget else { continue }
                let result: DiffusionResult
                do {
                    result = try DiffusionRun.run(sampler, model: model, options: options)
                } catch SamplingError.unstableStep {
                    #expect(sampler.maximumStableStep != nil)
                    continue
                } catch SamplingError.budgetTooSmall {
                    #expect(sampler.minimumSteps > 1)
                    continue
                }
                #expect(result.samples.isFinite && result.divergedCount() == 0,
                        "\(sampler.name) at NFE \(budget) on \(target.rawValue): \(result.divergedCount()) diverged")
            }
        }
    }
}
