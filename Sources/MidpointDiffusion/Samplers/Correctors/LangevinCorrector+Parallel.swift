import MidpointLangevin
import MidpointLinearAlgebra
import MidpointScoreModels

extension LangevinCorrector {
    /// The same correction as ``correct(_:tau:randomStep:stepIndex:subSteps:buffers:context:)``, solved by Picard
    /// iteration over its `steps` ULMC steps (`docs/algorithms.md` §8, corrector): the noise of every step
    /// is drawn up front from the same streams, one round evaluates the force at all `steps` positions
    /// in one batch, and the exponential-integrator recursion then rebuilds the trajectory with no
    /// evaluations. The recursion is triangular, so `steps` rounds reach the sequential result exactly;
    /// `rounds` caps them (default: exact).
    func correctInParallel(_ x: inout Matrix, tau: Double, randomStep: Int, stepIndex: Int, rounds: Int? = nil,
                           context: SamplingContext) throws(SamplingError) {
        let (p, d) = (x.rows, x.columns)
        if steps == 1 {
            // One step is one evaluation at the known start: nothing to iterate.
            var buffers = LangevinBuffers(rows: p, columns: d)
            try correct(&x, tau: tau, randomStep: randomStep, stepIndex: stepIndex, buffers: &buffers, context: context)
            return
        }
        let sigma = ForwardProcess.sigma(tau)
        let (gamma, h) = (frictionScale / sigma, timeScale * sigma / Double(steps))
        try Self.checkCoefficients(gamma: gamma, step: h, tau: tau)
        let c = ULMCStep(friction: gamma, step: h)
        var v0 = Matrix(rows: p, columns: d)
        context.noise.fillNormal(&v0, step: randomStep, slot: 2)
        var z1 = [Matrix](), z2 = [Matrix]()
        for j in 0..<steps {
            var a = Matrix(rows: p, columns: d), b = Matrix(rows: p, columns: d)
            context.noise.fillNormal(&a, step: randomStep, slot: 3 + 2 * j)
            // The last step's velocity noise never reaches x (the sequential corrector skips it too).
            if j + 1 < steps { context.noise.fillNormal(&b, step: randomStep, slot: 4 + 2 * j) }
            z1.append(a)
            z2.append(b)
        }
        // Positions x₀ … x_{M-1} in one batch (all start at x₀); the end state is x_M.
        var batch = Matrix(rows: steps * p, columns: d)
        for j in 0..<steps { batch.setRows(startingAt: j * p, from: x) }
        var forces = Matrix(rows: steps * p, columns: d)
        var work = LangevinWorkspace(rows: 0, columns: 0)
        var end = x
        for _ in 0..<(rounds ?? steps) {
            context.evaluator.evaluate(tau: tau, x: batch, into: &forces)
            var position = x
            var velocity = v0
            for j in 0..<steps {
                (work.z1, work.z2) = (z1[j], z2[j])
                work.withPointers(x: &position, v: &velocity, force: forces.rows((j * p)..<((j + 1) * p))) { $0.update(c) }
                if j + 1 < steps { batch.setRows(startingAt: (j + 1) * p, from: position) }
            }
            end = position
        }
        try context.checkFinite(end, step: stepIndex, tau: tau)
        x = end
    }
}
