import Foundation
import MidpointScoreModels

extension ShippedModel {
    /// The model card shipped with the network (`Resources/NAME.card.json`, `docs/model-cards.md`): the
    /// same facts its safetensors metadata states (ε-prediction, log-SNR time input, the sample shape),
    /// in the format remote models use.
    public func card() throws -> ModelCard {
        let path = try Self.resource(rawValue + ".card", extension: "json")
        return try ModelCard.parse(try Data(contentsOf: URL(fileURLWithPath: path)))
    }
}
