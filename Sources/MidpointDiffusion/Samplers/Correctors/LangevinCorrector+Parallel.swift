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
            try correct(&x, tau: tau, randomStep: randomStep, stepIndex: stepIndex,
                        buffers: LangevinBuffers(rows: p, columns: d), context: context)
            return
        }
        let sigma = ForwardProcess.sigma(tau)
        let (gamma, h) = (frictionScale / sigma, timeScale * sigma / Double(steps))
        try Self.checkCoefficients(gamma: gamma, step: h, tau: tau)
        let c = ULMCStep(friction: gamma, step: h)
        // Every step's noise up front, step j in rows j·p ..< (j+1)·p.
        let v0 = MatrixBuffer(rows: p, columns: d)
        context.noise.fillNormal(v0.view, step: randomStep, slot: 2)
        let z1 = MatrixBuffer(rows: steps * p, columns: d), z2 = MatrixBuffer(rows: steps * p, columns: d)
        for j in 0..<steps {
            let block = (j * p)..<((j + 1) * p)
            context.noise.fillNormal(z1.rows(block), step: randomStep, slot: 3 + 2 * j)
            // The last step's velocity noise never reaches x (the sequential corrector skips it too).
            if j + 1 < steps { context.noise.fillNormal(z2.rows(block), step: randomStep, slot: 4 + 2 * j) }
        }
        // Positions x₀ … x_{M-1} in one batch (all start at x₀); the end state is x_M.
        let batch = MatrixBuffer(rows: steps * p, columns: d), forces = MatrixBuffer(rows: steps * p, columns: d)
        for j in 0..<steps { batch.rows((j * p)..<((j + 1) * p)).copy(from: x) }
        let position = MatrixBuffer(rows: p, columns: d), velocity = MatrixBuffer(rows: p, columns: d)
        // The loop below uses their pointers up to its last iteration.
        defer { withExtendedLifetime((v0, z1, z2, batch, forces, velocity)) {} }
        let rounds = rounds ?? steps
        guard rounds > 0 else { return }
        for _ in 0..<rounds {
            context.evaluator.evaluate(tau: tau, x: batch.readOnly, into: forces.view)
            position.copy(from: x)
            velocity.view.copy(from: v0.readOnly)
            for j in 0..<steps {
                let offset = j * p * d
                c.apply(x: position.base, v: velocity.base, force: forces.base + offset, z1: z1.base + offset,
                        z2: z2.base + offset, count: p * d)
                if j + 1 < steps { batch.rows(((j + 1) * p)..<((j + 2) * p)).copy(from: position.readOnly) }
            }
        }
        try context.checkFinite(position.readOnly, step: stepIndex, tau: tau)
        x = position.matrix
    }
}
