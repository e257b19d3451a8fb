import MidpointLangevin
import MidpointLinearAlgebra

/// The paper's log-concave predictor–corrector (`docs/algorithms.md` §7): ``RandomizedMidpointULMCSampler``
/// steps as the predictor, and after every `window` of them a short ``ULMCSampler`` run (the corrector)
/// from a fresh velocity `v ~ N(0, I)` — a Gibbs refresh that leaves `π ⊗ N(0, I)` invariant — which
/// turns closeness in W2 into closeness in total variation.
///
/// One ``step(_:index:context:)`` is one predictor step, followed by the corrector when the window
/// closes, so gradient evaluations per step average `2 + correctorSteps / window`.
public struct RandomizedMidpointULMCPCSampler: MCMCSampler {
    public let name = "rm-ulmc-pc"
    /// The predictor.
    public var predictor: RandomizedMidpointULMCSampler
    /// Predictor steps between corrections.
    public var window: Int
    /// ULMC steps per correction.
    public var correctorSteps: Int
    /// Step size of each corrector step.
    public var correctorStepSize: Double
    /// The predictor's step size.
    public var stepSize: Double { predictor.stepSize }

    /// The predictor–corrector.
    public init(predictor: RandomizedMidpointULMCSampler, window: Int, correctorSteps: Int, correctorStepSize: Double) {
        self.predictor = predictor
        self.window = window
        self.correctorSteps = correctorSteps
        self.correctorStepSize = correctorStepSize
    }

    public func validate() throws(MCMCError) {
        try predictor.validate()
        guard MCMCParameterRanges.correctorWindow.contains(window) else {
            throw .invalidParameter(name: "corrector window", value: "\(window)", allowed: "must be in \(MCMCParameterRanges.correctorWindow)")
        }
        guard MCMCParameterRanges.correctorSteps.contains(correctorSteps) else {
            throw .invalidParameter(name: "corrector steps", value: "\(correctorSteps)", allowed: "must be in \(MCMCParameterRanges.correctorSteps)")
        }
        try ULMCSampler(stepSize: correctorStepSize, friction: predictor.friction).validate()
    }

    public func step(_ state: inout ChainState, index: Int, context: MCMCContext) {
        predictor.step(&state, index: index, context: context)
        guard index % window == 0 else { return }
        context.noise.fillNormal(&state.v, step: index, slot: 4)
        let c = ULMCStep(friction: predictor.friction, step: correctorStepSize)
        for m in 0..<correctorSteps {
            ULMCSampler.advance(&state, coefficients: c, index: index, slot: 5 + 2 * m, context: context)
        }
    }
}
