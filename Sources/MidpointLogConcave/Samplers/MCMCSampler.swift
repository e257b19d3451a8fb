/// A Markov chain Monte Carlo method for `π ∝ e^{-f}`: advances every chain of a batch by one step.
public protocol MCMCSampler: Sendable {
    /// The stable name used by the CLI and reports.
    var name: String { get }
    /// The step size `h` (the predictor's, for a predictor–corrector).
    var stepSize: Double { get }
    /// Throws unless the parameters are usable.
    func validate() throws(MCMCError)
    /// One step of every chain; `index` (≥ 1) selects the Philox draws, so a chain's path depends only
    /// on the seed, its index and the step. A step moves the chains through ``ChainState``'s methods,
    /// which keep its cached gradient and potential values honest, and takes its buffers from
    /// ``ChainState/workspace`` (allocated on the first step, reused after).
    func step(_ state: inout ChainState, index: Int, context: MCMCContext)
}
