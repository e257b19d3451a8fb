import ArgumentParser
import Midpoint
import MidpointExperiments

/// `scaling --family product|mixture`.
extension ScalingFamily: ExpressibleByArgument {}
