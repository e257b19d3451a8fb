import ArgumentParser
import Midpoint

/// `--prediction noise|data`: the raw values are the flag's values.
extension MultistepPrediction: ExpressibleByArgument {}
