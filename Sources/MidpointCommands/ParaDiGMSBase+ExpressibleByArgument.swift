import ArgumentParser
import Midpoint

extension ParaDiGMSBase: ExpressibleByArgument {}
