import ArgumentParser
import Midpoint

/// `--corrector-integrator ei|rm`: the raw values are the flag's values.
extension LangevinIntegrator: ExpressibleByArgument {}
