import MidpointTargets

extension MLPScoreNetwork {
    /// The built-in target the network was trained on — its metadata `name` names one of the same
    /// dimension — against whose exact law and score it can be measured; `nil` otherwise.
    public var trainingTarget: BuiltinTarget? {
        guard let name = metadata["name"], let target = BuiltinTarget(rawValue: name), target.dimension == dimension else {
            return nil
        }
        return target
    }
}
