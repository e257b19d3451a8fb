#include "midpoint_kernels.h"
#include "kernels_common.h"

#include <math.h>
#include <stdint.h>
#include <string.h>

typedef double v4d __attribute__((vector_size(32), aligned(8)));
typedef uint64_t v4u __attribute__((vector_size(32), aligned(8)));

/* Macros rather than functions: a function taking or returning a 256-bit vector would have a
 * different ABI in the baseline and AVX2 clones. */
#define load4(p) (*(const v4d *)(p))
#define store4(p, v) (*(v4d *)(p) = (v))
#define splat(x) ((v4d){(x), (x), (x), (x)})
#define sum4(v) (((v)[0] + (v)[1]) + ((v)[2] + (v)[3]))

MPK_CLONES
double mpk_weighted_squared_distance(const double *x, const double *m, const double *w, long d) {
    v4d acc0 = splat(0), acc1 = splat(0);
    long j = 0;
    for (; j + 8 <= d; j += 8) {
        v4d d0 = load4(x + j) - load4(m + j);
        v4d d1 = load4(x + j + 4) - load4(m + j + 4);
        acc0 += d0 * d0 * load4(w + j);
        acc1 += d1 * d1 * load4(w + j + 4);
    }
    if (j + 4 <= d) {
        v4d d0 = load4(x + j) - load4(m + j);
        acc0 += d0 * d0 * load4(w + j);
        j += 4;
    }
    double q = sum4(acc0 + acc1);
    for (; j < d; j++) {
        double diff = x[j] - m[j];
        q += diff * diff * w[j];
    }
    return q;
}

MPK_CLONES
void mpk_accumulate_scaled_difference(double *y, double c, const double *x, const double *m,
                                      const double *w, long d) {
    long j = 0;
    v4d cv = splat(c);
    for (; j + 4 <= d; j += 4) store4(y + j, load4(y + j) + cv * (load4(x + j) - load4(m + j)) * load4(w + j));
    for (; j < d; j++) y[j] += c * (x[j] - m[j]) * w[j];
}

MPK_CLONES
double mpk_reciprocals_and_log_sum(const double *v, double s, double t, double *w, long d) {
    /* Products renormalized every 4 steps by their exponent bits (each lane: ≤ 4 factors of at
     * most 1e50 between renormalizations), so one logarithm serves the whole row. */
    const uint64_t exponent_mask = 0x7FF0000000000000ull, one = 0x3FF0000000000000ull;
    v4d product = splat(1), sv = splat(s), tv = splat(t);
    v4u exponents = {0, 0, 0, 0};
    long j = 0, steps = 0;
    for (; j + 4 <= d; j += 4) {
        v4d c = sv * load4(v + j) + tv;
        store4(w + j, splat(1) / c);
        product *= c;
        if (++steps % 4 == 0) {
            v4u bits;
            memcpy(&bits, &product, sizeof bits);
            exponents += (bits & exponent_mask) >> 52;
            bits = (bits & ~exponent_mask) | one;
            memcpy(&product, &bits, sizeof bits);
        }
    }
    double scalar = 1;
    for (; j < d; j++) {
        double c = s * v[j] + t;
        w[j] = 1 / c;
        scalar *= c;
    }
    long exponent = (long)(exponents[0] + exponents[1] + exponents[2] + exponents[3]) - 1023L * 4 * (steps / 4);
    for (int l = 0; l < 4; l++) {
        uint64_t bits;
        double lane = product[l];
        memcpy(&bits, &lane, sizeof bits);
        exponent += (long)((bits & exponent_mask) >> 52) - 1023;
        bits = (bits & ~exponent_mask) | one;
        double significand;
        memcpy(&significand, &bits, sizeof bits);
        scalar *= significand;
    }
    return (double)exponent * 0.6931471805599453 + log(scalar);
}

/* eˣ: x = k ln 2 + r with k = rint(x log₂e) by the 1.5·2⁵² trick (k read from the sum's bits),
 * Cody–Waite split of ln 2, eʳ by its degree-12 Taylor polynomial (|r| ≤ ½ ln 2, truncation
 * < 2e-16), 2ᵏ from its exponent bits. Branch-free, so loops over it vectorize. */
static inline __attribute__((always_inline)) void exp4(v4d *out, const v4d *x) {
    const double magic = 6755399441055744.0;
    v4d y = *x;
    y = __builtin_elementwise_min(__builtin_elementwise_max(y, splat(-708)), splat(709));
    v4d shifted = y * splat(1.4426950408889634) + splat(magic);
    v4d k = shifted - splat(magic);
    v4d r = (y - k * splat(0.6931471803691238)) - k * splat(1.9082149292705877e-10);
    v4d p = splat(1.0 / 479001600);
    p = p * r + splat(1.0 / 39916800);
    p = p * r + splat(1.0 / 3628800);
    p = p * r + splat(1.0 / 362880);
    p = p * r + splat(1.0 / 40320);
    p = p * r + splat(1.0 / 5040);
    p = p * r + splat(1.0 / 720);
    p = p * r + splat(1.0 / 120);
    p = p * r + splat(1.0 / 24);
    p = p * r + splat(1.0 / 6);
    p = p * r + splat(0.5);
    p = p * r + splat(1);
    p = p * r + splat(1);
    v4u sbits, mbits;
    memcpy(&sbits, &shifted, sizeof sbits);
    double m = magic;
    uint64_t mb;
    memcpy(&mb, &m, sizeof mb);
    mbits = (v4u){mb, mb, mb, mb};
    v4u scale_bits = ((sbits - mbits) + 1023) << 52;
    v4d scale;
    memcpy(&scale, &scale_bits, sizeof scale);
    *out = p * scale;
}

double mpk_exp(double x) {
    v4d v = splat(x), e;
    exp4(&e, &v);
    return e[0];
}

MPK_CLONES
void mpk_exp_in_place(double *values, long count) {
    long j = 0;
    for (; j + 4 <= count; j += 4) {
        v4d v = load4(values + j), e;
        exp4(&e, &v);
        store4(values + j, e);
    }
    for (; j < count; j++) values[j] = mpk_exp(values[j]);
}

MPK_CLONES
void mpk_two_component_score(const double *x, double *out, long d, double m0, double m1, double i0,
                             double i1, double o) {
    long j = 0;
    v4d vm0 = splat(m0), vm1 = splat(m1), vi0 = splat(i0), vi1 = splat(i1), vo = splat(o), half = splat(0.5),
        one = splat(1);
    for (; j + 4 <= d; j += 4) {
        v4d xv = load4(x + j);
        v4d d0 = xv - vm0, d1 = xv - vm1;
        v4d g0 = -d0 * vi0, g1 = -d1 * vi1;
        v4d log_ratio = vo - half * (d0 * d0 * vi0 - d1 * d1 * vi1);
        v4d e;
        exp4(&e, &log_ratio);
        v4d r1 = one / (one + e);
        store4(out + j, g0 + r1 * (g1 - g0));
    }
    for (; j < d; j++) {
        double d0 = x[j] - m0, d1 = x[j] - m1;
        double g0 = -d0 * i0, g1 = -d1 * i1;
        double log_ratio = o - 0.5 * (d0 * d0 * i0 - d1 * d1 * i1);
        double r1 = 1 / (1 + mpk_exp(log_ratio));
        out[j] = g0 + r1 * (g1 - g0);
    }
}

MPK_CLONES
int mpk_all_finite(const double *x, long n) {
    /* x·0 is 0 for finite x and NaN otherwise; four independent accumulators keep the adds from
     * serializing. NaN is sticky, so one comparison at the end suffices. */
    v4d a0 = splat(0), a1 = splat(0), a2 = splat(0), a3 = splat(0);
    long i = 0;
    for (; i + 16 <= n; i += 16) {
        a0 += load4(x + i) * splat(0);
        a1 += load4(x + i + 4) * splat(0);
        a2 += load4(x + i + 8) * splat(0);
        a3 += load4(x + i + 12) * splat(0);
    }
    double rest = sum4((a0 + a1) + (a2 + a3));
    for (; i < n; i++) rest += x[i] * 0;
    return rest == rest;
}

MPK_CLONES
int mpk_rows_combine(double *out, const double *a, const double *x, const double *b, const double *y, long rows,
                     long d) {
    v4d check = splat(0);
    double rest = 0;
    for (long r = 0; r < rows; r++) {
        const long base = r * d;
        const v4d av = splat(a[r]), bv = splat(b[r]);
        long j = 0;
        for (; j + 4 <= d; j += 4) {
            v4d v = av * load4(x + base + j) + bv * load4(y + base + j);
            store4(out + base + j, v);
            check += v * splat(0);
        }
        for (; j < d; j++) {
            double v = a[r] * x[base + j] + b[r] * y[base + j];
            out[base + j] = v;
            rest += v * 0;
        }
    }
    rest += sum4(check);
    return rest == rest;
}

MPK_CLONES
int mpk_add_two_scaled(double *x, double a, const double *g, double b, const double *z, long n) {
    const v4d av = splat(a), bv = splat(b);
    v4d check = splat(0);
    long i = 0;
    for (; i + 4 <= n; i += 4) {
        v4d v = load4(x + i) + (av * load4(g + i) + bv * load4(z + i));
        store4(x + i, v);
        check += v * splat(0);
    }
    double rest = sum4(check);
    for (; i < n; i++) {
        x[i] += a * g[i] + b * z[i];
        rest += x[i] * 0;
    }
    return rest == rest;
}

MPK_CLONES
void mpk_store_scaled_difference(double *y, double c, const double *x, const double *m, const double *w, long d) {
    long j = 0;
    v4d cv = splat(c);
    for (; j + 4 <= d; j += 4) store4(y + j, cv * (load4(x + j) - load4(m + j)) * load4(w + j));
    for (; j < d; j++) y[j] = c * (x[j] - m[j]) * w[j];
}

MPK_CLONES
void mpk_rows_combine_change(double *out, const double *a, const double *x, const double *b, const double *y,
                             long rows, long d, double *change) {
    for (long r = 0; r < rows; r++) {
        const long base = r * d;
        const v4d av = splat(a[r]), bv = splat(b[r]);
        v4d acc = splat(0);
        long j = 0;
        for (; j + 4 <= d; j += 4) {
            v4d v = av * load4(x + base + j) + bv * load4(y + base + j);
            v4d delta = v - load4(out + base + j);
            acc += delta * delta;
            store4(out + base + j, v);
        }
        double rest = 0;
        for (; j < d; j++) {
            double v = a[r] * x[base + j] + b[r] * y[base + j];
            double delta = v - out[base + j];
            rest += delta * delta;
            out[base + j] = v;
        }
        change[r] = sum4(acc) + rest;
    }
}

/* SiLU(x) = x / (1 + e^{-x}). exp4 clamps its argument, so e^{-x} stays finite and the quotient
 * tends to 0 for x → -∞ and to x for x → +∞; a NaN input stays NaN through the numerator. */
MPK_CLONES
void mpk_silu(const double *in, double *out, long count) {
    long j = 0;
    for (; j + 4 <= count; j += 4) {
        v4d x = load4(in + j), minus = -x, e;
        exp4(&e, &minus);
        store4(out + j, x / (splat(1) + e));
    }
    for (; j < count; j++) out[j] = in[j] / (1 + mpk_exp(-in[j]));
}

MPK_CLONES
void mpk_fill_rows(double *out, const double *bias, const double *add, long rows, long columns) {
    for (long i = 0; i < rows; i++) {
        double *o = out + i * columns;
        if (add) {
            const double *a = add + i * columns;
            for (long j = 0; j < columns; j++) o[j] = bias[j] + a[j];
        } else {
            memcpy(o, bias, (size_t)columns * sizeof(double));
        }
    }
}
