import MidpointLinearAlgebra

/// The state of a batch of chains: positions, velocities (kinetic samplers), and the gradient and
/// potential at the positions when they are current.
///
/// The caches are the state's own business: the positions change only through ``move(using:_:)``,
/// ``move(to:)`` and ``accept(chain:position:gradient:value:)``, which mark the cached gradient and
/// values stale or replace them with the new point's, so no sampler can leave a cache describing a
/// point the chains have left.
public struct ChainState {
    /// Positions, one chain per row (`C × d`).
    public private(set) var x: Matrix
    /// Velocities (`C × d`); unused by `ula` and `mala`.
    public var v: Matrix
    /// `∇f(x)`, valid when ``hasGradient``.
    public private(set) var gradient: Matrix
    /// `f(x)`, valid when ``hasValues`` (MALA only).
    public private(set) var values: [Double]
    /// Whether ``gradient`` belongs to the current ``x``.
    public private(set) var hasGradient = false
    /// Whether ``values`` belong to the current ``x``.
    public private(set) var hasValues = false
    /// Accepted proposals per chain (Metropolis samplers).
    public var accepted: [Int]
    /// Proposals per chain (Metropolis samplers).
    public var proposed = 0
    /// The buffers the samplers reuse from step to step (scratch only: copies of a state share it).
    public let workspace: ChainWorkspace

    /// Chains at `x` with velocities `v`.
    public init(x: Matrix, v: Matrix) {
        precondition(x.rows == v.rows && x.columns == v.columns, "positions and velocities must have the same shape")
        self.x = x
        self.v = v
        gradient = Matrix(rows: x.rows, columns: x.columns)
        values = []
        accepted = [Int](repeating: 0, count: x.rows)
        workspace = ChainWorkspace(rows: x.rows, columns: x.columns)
    }

    /// Makes ``gradient`` current, evaluating it if needed.
    public mutating func ensureGradient(_ evaluator: GradientEvaluator) {
        guard !hasGradient else { return }
        evaluator.evaluate(x, into: &gradient)
        hasGradient = true
    }

    /// Makes ``gradient`` and ``values`` current, evaluating both in one round if either is stale.
    public mutating func ensureGradientAndValues(_ evaluator: GradientEvaluator) {
        guard !hasGradient || !hasValues else { return }
        evaluator.evaluate(x, into: &gradient, values: &values)
        hasGradient = true
        hasValues = true
    }

    /// Moves the chains in place: makes the gradient current, then `body` updates the positions `x`
    /// (and velocities `v`) reading the gradient at the old positions; afterwards the gradient and the
    /// values are stale. The views are valid inside `body` only.
    @discardableResult
    public mutating func move<R>(using evaluator: GradientEvaluator,
                                 _ body: (_ x: MutableMatrixView, _ v: MutableMatrixView, _ gradient: MatrixView) -> R) -> R {
        ensureGradient(evaluator)
        hasGradient = false
        hasValues = false
        return x.withMutableView { x in
            v.withMutableView { v in gradient.withView { g in body(x, v, g) } }
        }
    }

    /// Moves the chains to `positions` (same shape); the gradient and the values are stale.
    public mutating func move(to positions: Matrix) {
        precondition(positions.rows == x.rows && positions.columns == x.columns, "new positions must have the shape of the old")
        x = positions
        hasGradient = false
        hasValues = false
    }

    /// Moves chain `i` to row `i` of `position`, whose gradient (row `i` of `gradient`) and potential
    /// value `value` are known: the caches stay current (a Metropolis acceptance).
    public mutating func accept(chain i: Int, position: Matrix, gradient g: Matrix, value: Double) {
        let d = x.columns
        precondition(position.rows == x.rows && position.columns == d && g.rows == x.rows && g.columns == d,
                     "a proposal must have the chains' shape")
        precondition(hasGradient && hasValues, "ensureGradientAndValues(_:) before an acceptance")
        for k in (i * d)..<((i + 1) * d) {
            x.storage[k] = position.storage[k]
            gradient.storage[k] = g.storage[k]
        }
        values[i] = value
    }
}
