import ArgumentParser
import Midpoint

/// `--grid uniform-tau|uniform-lambda|edm|ddpm-linear`: the raw values are the flag's values.
extension TimeGrid.Kind: ExpressibleByArgument {}
