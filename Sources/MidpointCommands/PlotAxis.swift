import ArgumentParser

/// `compare --axis`: what the plot's x-axis counts.
enum PlotAxis: String, CaseIterable, ExpressibleByArgument {
    /// Score evaluations per particle.
    case nfe
    /// Sequential batched model calls.
    case rounds
}
