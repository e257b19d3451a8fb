#ifndef MIDPOINT_KERNELS_H
#define MIDPOINT_KERNELS_H

/* Hot inner loops of the exact score models, in C so that x86-64 machines with AVX2 run 4-wide
 * vector code (the Swift compiler targets baseline SSE2). Every kernel is written with explicit
 * 4-lane vectors and no fused multiply-add, so the AVX2 clone and the baseline clone perform the
 * same operations in the same order: results are bit-identical on every x86-64 machine. */

#ifdef __cplusplus
extern "C" {
#endif

/* Σⱼ (xⱼ - mⱼ)² wⱼ */
double mpk_weighted_squared_distance(const double *x, const double *m, const double *w, long d);

/* yⱼ += c (xⱼ - mⱼ) wⱼ */
void mpk_accumulate_scaled_difference(double *y, double c, const double *x, const double *m,
                                      const double *w, long d);

/* yⱼ = c (xⱼ - mⱼ) wⱼ (the store form of the above: no zero fill needed). */
void mpk_store_scaled_difference(double *y, double c, const double *x, const double *m, const double *w, long d);

/* wⱼ = 1/(s vⱼ + t); returns Σⱼ log(s vⱼ + t) with one logarithm (every factor in [1e-50, 1e50]). */
double mpk_reciprocals_and_log_sum(const double *v, double s, double t, double *w, long d);

/* Score of a two-component 1-D mixture at every coordinate of x:
 * out = g₀ + r₁ (g₁ - g₀), gₖ = -(x - mₖ) iₖ, r₁ = 1/(1 + exp(o - ½((x-m₀)² i₀ - (x-m₁)² i₁))). */
void mpk_two_component_score(const double *x, double *out, long d, double m0, double m1, double i0,
                             double i1, double o);

/* eˣ with the argument clamped to [-708, 709]; relative error below 5e-16. */
double mpk_exp(double x);

/* values[i] = exp(values[i]) for i < count, as mpk_exp, vectorized. */
void mpk_exp_in_place(double *values, long count);

/* out[i] = SiLU(in[i]) = in[i] / (1 + exp(-in[i])) with mpk_exp; in and out may be the same buffer. */
void mpk_silu(const double *in, double *out, long count);

/* Row i of the rows × columns matrix out becomes bias (+ row i of add, when add is not NULL). */
void mpk_fill_rows(double *out, const double *bias, const double *add, long rows, long columns);

/* 1 if every x[i], i < n, is finite, else 0. */
int mpk_all_finite(const double *x, long n);

/* out[r·d + j] = a[r] x[r·d + j] + b[r] y[r·d + j] for r < rows, j < d (out may be x or y);
 * returns 1 if every output is finite, else 0. */
int mpk_rows_combine(double *out, const double *a, const double *x, const double *b, const double *y, long rows,
                     long d);

/* As mpk_rows_combine (out must not alias x or y), and change[r] = Σⱼ (new - old)² of row r: a
 * Picard sweep's update and its convergence measure in one pass. */
void mpk_rows_combine_change(double *out, const double *a, const double *x, const double *b, const double *y,
                             long rows, long d, double *change);

/* x[i] += a g[i] + b z[i] for i < n; returns 1 if every new x[i] is finite, else 0. */
int mpk_add_two_scaled(double *x, double a, const double *g, double b, const double *z, long n);

#ifdef __cplusplus
}
#endif

#endif

#ifndef MIDPOINT_KERNELS_RANDOM_H
#define MIDPOINT_KERNELS_RANDOM_H
#include <stdint.h>
#ifdef __cplusplus
extern "C" {
#endif

/* Philox4x32-10 blocks for counters (first_block + b, c1, c2, c3), b < count, under key (k0, k1);
 * block b's four words go to out[4b ... 4b+3]. */
void mpk_philox4x32_blocks(uint32_t k0, uint32_t k1, uint32_t first_block, uint32_t c1, uint32_t c2, uint32_t c3,
                           long count, uint32_t *out);

/* `count` uniforms on (0, 1), two per block: 53 bits from words (x, y) and from (z, w), plus half an ulp. */
void mpk_fill_uniform(uint32_t k0, uint32_t k1, uint32_t c1, uint32_t c2, uint32_t c3, double *out, long count);

/* `count` standard normals, two per block by the Box–Muller transform of the block's two uniforms
 * (radius √(-2 log u₁), angle 2π u₂; cosine first, then sine). log, sin and cos are evaluated by
 * polynomials in this file (relative error below 1e-15), so the values are the same on every
 * machine, unlike libm's. */
void mpk_fill_normal(uint32_t k0, uint32_t k1, uint32_t c1, uint32_t c2, uint32_t c3, double *out, long count);

#ifdef __cplusplus
}
#endif
#endif
