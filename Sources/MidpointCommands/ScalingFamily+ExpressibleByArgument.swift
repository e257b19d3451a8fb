import ArgumentParser
import Midpoint

/// `scaling --family product|mixture`.
extension ScalingFamily: ExpressibleByArgument {}
