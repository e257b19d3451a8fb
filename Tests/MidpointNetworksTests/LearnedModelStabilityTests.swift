import MidpointDiffusion
import MidpointLinearAlgebra
import MidpointNetworks
import MidpointScoreModels
import Testing

/// No sampler loses particles on the shipped digits network at 4, 5 or 6 NFE with its default settings —
/// the x̂₀ guard of a model with a data range (``DataRangeControl/guardRail``) — where without it rm,
/// rm-ms, heun and ei-sde lost 4–10% of them (docs/stability-models.txt of earlier stops). A budget
/// too small or too coarse for a sampler may still be refused. "Lost" is the CLI's divergence test: an
/// RMS coordinate above 100; here the bound is the data range itself widened to ±3.
@Suite struct LearnedModelStabilityTests {
    @Test(arguments: [4, 5, 6]) func noSamplerDivergesOnDigits(nfe: Int) throws {
        let network = try ShippedModel.digits.load()
        let card = try ShippedModel.digits.card()
        let range = try #require(card.dataRange)
        let model = DataRangeControlledModel(network, range: range, control: .guardRail)
        for name in SamplerRegistry.names {
            let sampler = try SamplerRegistry.sampler(named: name)
            var options = DiffusionRunOptions(particles: 200, seed: 0)
            options.cost = .nfe(nfe)
            options.threads = 2
            let result: DiffusionResult
            do { result = try DiffusionRun.run(sampler, model: model, options: options) } catch {
                switch error {
                case .budgetTooSmall, .unstableStep: continue
                default: Issue.record("\(name) at \(nfe) NFE: \(error)"); continue
                }
            }
            let worst = result.samples.storage.map(abs).max() ?? .infinity
            #expect(worst <= 3, "\(name) at \(nfe) NFE: a coordinate reached \(worst)")
        }
    }
}
