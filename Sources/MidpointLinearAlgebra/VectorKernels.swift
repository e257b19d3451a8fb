import CMidpointKernels

/// Small vector kernels over contiguous rows, shared by the score models.
///
/// They are implemented in C (`CMidpointKernels`) with explicit 4-lane vectors: on x86-64 Linux an
/// AVX2 clone is picked at load time, a baseline clone elsewhere, and both round identically (no
/// fused multiply-adds, same operation order). A result depends only on the inputs and the length,
/// never on where the row sits in a batch.
public enum VectorKernels {
    /// `Σⱼ (xⱼ - mⱼ)² wⱼ`: a diagonal quadratic form.
    @inlinable
    public static func weightedSquaredDistance(
        _ x: UnsafePointer<Double>, center m: UnsafePointer<Double>, weights w: UnsafePointer<Double>, count d: Int
    ) -> Double {
        mpk_weighted_squared_distance(x, m, w, d)
    }

    /// `yⱼ += c (xⱼ - mⱼ) wⱼ` for every `j`.
    @inlinable
    public static func accumulateScaledDifference(
        _ y: UnsafeMutablePointer<Double>, coefficient c: Double, x: UnsafePointer<Double>,
        center m: UnsafePointer<Double>, weights w: UnsafePointer<Double>, count d: Int
    ) {
        mpk_accumulate_scaled_difference(y, c, x, m, w, d)
    }

    /// `yⱼ = c (xⱼ - mⱼ) wⱼ` for every `j` (overwrites `y`).
    @inlinable
    public static func storeScaledDifference(
        _ y: UnsafeMutablePointer<Double>, coefficient c: Double, x: UnsafePointer<Double>,
        center m: UnsafePointer<Double>, weights w: UnsafePointer<Double>, count d: Int
    ) {
        mpk_store_scaled_difference(y, c, x, m, w, d)
    }

    /// Row-wise `out[r, ·] = a[r] x[r, ·] + b[r] y[r, ·]` over `rows × d` values, writing
    /// `change[r] = Σⱼ (new - old)²` of each row of `out` (which must not alias `x` or `y`).
    @inlinable
    public static func combineRowsMeasuringChange(
        _ out: UnsafeMutablePointer<Double>, _ a: UnsafePointer<Double>, _ x: UnsafePointer<Double>,
        _ b: UnsafePointer<Double>, _ y: UnsafePointer<Double>, rows: Int, count d: Int,
        change: UnsafeMutablePointer<Double>
    ) {
        mpk_rows_combine_change(out, a, x, b, y, rows, d, change)
    }

    /// Row-wise `out[r, ·] = a[r] x[r, ·] + b[r] y[r, ·]` over `rows × d` values (`out` may be `x`
    /// or `y`); returns whether every result is finite.
    @inlinable
    public static func combineRows(
        _ out: UnsafeMutablePointer<Double>, _ a: UnsafePointer<Double>, _ x: UnsafePointer<Double>,
        _ b: UnsafePointer<Double>, _ y: UnsafePointer<Double>, rows: Int, count d: Int
    ) -> Bool {
        mpk_rows_combine(out, a, x, b, y, rows, d) != 0
    }

    /// Writes `wⱼ = 1/(s vⱼ + t)` and returns `Σⱼ log(s vⱼ + t)` with a single logarithm: the
    /// factors are multiplied in four lanes and renormalized by their binary exponents every four
    /// steps, which cannot over- or underflow while every factor lies in [1e-50, 1e50].
    @inlinable
    public static func reciprocalsAndLogSum(
        _ v: UnsafePointer<Double>, scale s: Double, shift t: Double, into w: UnsafeMutablePointer<Double>, count d: Int
    ) -> Double {
        mpk_reciprocals_and_log_sum(v, s, t, w, d)
    }

    /// The score of a two-component 1-D Gaussian mixture at each of `d` points:
    /// `gₖ = -(x - mₖ) iₖ`, `r₁ = 1/(1 + e^{o - ½((x - m₀)² i₀ - (x - m₁)² i₁)})`, output
    /// `g₀ + r₁ (g₁ - g₀)`. Here `mₖ` are the (scaled) centers, `iₖ` the inverse variances and
    /// `o = (log w₀ - ½ log c₀) - (log w₁ - ½ log c₁)`. The exponential's argument is clamped to
    /// [-708, 709], so `r₁` is finite everywhere.
    @inlinable
    public static func twoComponentScore(
        _ x: UnsafePointer<Double>, into out: UnsafeMutablePointer<Double>, count d: Int,
        centers: (Double, Double), inverseVariances: (Double, Double), logOffset o: Double
    ) {
        mpk_two_component_score(x, out, d, centers.0, centers.1, inverseVariances.0, inverseVariances.1, o)
    }

    /// `eˣ` with the argument clamped to [-708, 709] (so the result is finite and positive; `e^{-708}`
    /// stands in for 0), relative error below 5e-16. Method: `x = k ln 2 + r`, `k = rint(x log₂e)`
    /// (Cody–Waite split of ln 2), `eʳ` by its degree-12 Taylor polynomial (`|r| ≤ ½ ln 2`, truncation
    /// below 2e-16), `2ᵏ` from its exponent bits — branch-free, so arrays of it vectorize.
    @inlinable
    public static func exp(_ x: Double) -> Double { mpk_exp(x) }

    /// `values[i] = eˣ` in place for every element, as ``exp(_:)``.
    @inlinable
    public static func expInPlace(_ values: UnsafeMutablePointer<Double>, count: Int) {
        mpk_exp_in_place(values, count)
    }

    /// `out[i] = SiLU(input[i]) = input[i] / (1 + e^{-input[i]})` for `i < count`, with ``exp(_:)``;
    /// `input` and `out` may be the same buffer.
    @inlinable
    public static func silu(_ input: UnsafePointer<Double>, into out: UnsafeMutablePointer<Double>, count: Int) {
        mpk_silu(input, out, count)
    }

    /// Row `i` of the `rows × columns` matrix `out` becomes `bias`, plus row `i` of `adding` when given.
    @inlinable
    public static func fillRows(_ out: UnsafeMutablePointer<Double>, bias: UnsafePointer<Double>,
                                adding: UnsafePointer<Double>?, rows: Int, columns: Int) {
        mpk_fill_rows(out, bias, adding, rows, columns)
    }

    /// `x[i] += a g[i] + b z[i]` for `i < count`; returns whether every new `x[i]` is finite (checked in
    /// the same pass).
    @inlinable
    public static func addTwoScaled(_ x: UnsafeMutablePointer<Double>, _ a: Double, _ g: UnsafePointer<Double>, _ b: Double,
                                    _ z: UnsafePointer<Double>, count: Int) -> Bool {
        mpk_add_two_scaled(x, a, g, b, z, count) != 0
    }
}
