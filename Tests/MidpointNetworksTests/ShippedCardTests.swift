import Foundation
import MidpointLinearAlgebra
import MidpointNetworks
import MidpointScoreModels
import Testing

/// The shipped networks' cards describe them exactly: the network called through its card
/// (``CardScoreModel``, time input `λ = ln(α/σ)`, output ε) gives the network's own score.
@Suite struct ShippedCardTests {
    @Test(arguments: ShippedModel.allCases)
    func cardReproducesTheNetworksScore(_ shipped: ShippedModel) throws {
        let network = try shipped.load()
        let card = try shipped.card()
        #expect(card.name == shipped.rawValue && card.dimension == network.dimension && card.prediction == .epsilon)
        // The network takes τ; the card hands it λ, so the adapter inverts λ = ln(α/σ): τ = ½ ln(1 + e^{-2λ}).
        let viaCard = CardScoreModel(card: card) { samples, lambdas, output in
            let taus = lambdas.map { 0.5 * log1p(exp(-2 * $0)) }
            taus.withUnsafeBufferPointer { network.predictNoise(times: $0, x: samples, into: output) }
        }
        var x = [Double](repeating: 0, count: network.dimension)
        for j in x.indices { x[j] = sin(Double(j) * 1.7) }
        for tau in [0.01, 0.2, 1, 3] {
            let want = network.score(tau: tau, at: x), got = viaCard.score(tau: tau, at: x)
            // λ → τ round trip and the ε → s conversion agree to rounding: 1e-9 relative to the largest score.
            let scale = want.map(abs).max()!
            for j in x.indices { #expect(abs(got[j] - want[j]) <= 1e-9 * scale, "\(shipped) τ = \(tau), coordinate \(j)") }
        }
    }
}
