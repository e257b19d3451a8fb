import ArgumentParser
import Midpoint

/// `mcmc --metric none|diagonal|dense`.
extension WarmupAdaptation.Metric: ExpressibleByArgument {}
