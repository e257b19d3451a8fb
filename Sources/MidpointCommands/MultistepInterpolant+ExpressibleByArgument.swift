import ArgumentParser
import Midpoint

/// `--interpolant linear|log`: the raw values are the flag's values.
extension MultistepInterpolant: ExpressibleByArgument {}
