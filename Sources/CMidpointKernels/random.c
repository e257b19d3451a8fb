#include "midpoint_kernels.h"
#include "kernels_common.h"

#include <math.h>
#include <stdint.h>
#include <string.h>

/* Written as plain loops over independent blocks so that the compiler vectorizes them: the
 * 32×32→64-bit products map to vector multiplies, the transcendental functions below are
 * branch-free polynomials. */

/* One Philox round on lane values, with the round key (a, c). */
#define PHILOX_ROUND(a, c)                                              \
    do {                                                                \
        uint64_t p0 = (uint64_t)0xD2511F53u * x;                        \
        uint64_t p1 = (uint64_t)0xCD9E8D57u * z;                        \
        uint32_t nx = (uint32_t)(p1 >> 32) ^ y ^ (a);                   \
        uint32_t nz = (uint32_t)(p0 >> 32) ^ w ^ (c);                   \
        y = (uint32_t)p1;                                               \
        w = (uint32_t)p0;                                               \
        x = nx;                                                         \
        z = nz;                                                         \
    } while (0)

/* Planar output (word k of block b at out_k[b]) keeps the loop free of interleaving shuffles; the
 * ten rounds are unrolled with their keys precomputed, so the loop over blocks vectorizes. */
static inline __attribute__((always_inline)) void philox_planar_portable(uint32_t k0, uint32_t k1, uint32_t first_block, uint32_t c1, uint32_t c2, uint32_t c3,
                                 long count, uint32_t *restrict ox, uint32_t *restrict oy, uint32_t *restrict oz,
                                 uint32_t *restrict ow) {
    uint32_t a[10], c[10];
    for (int r = 0; r < 10; r++) { a[r] = k0 + (uint32_t)r * 0x9E3779B9u; c[r] = k1 + (uint32_t)r * 0xBB67AE85u; }
    for (long b = 0; b < count; b++) {
        uint32_t x = first_block + (uint32_t)b, y = c1, z = c2, w = c3;
        PHILOX_ROUND(a[0], c[0]); PHILOX_ROUND(a[1], c[1]); PHILOX_ROUND(a[2], c[2]); PHILOX_ROUND(a[3], c[3]);
        PHILOX_ROUND(a[4], c[4]); PHILOX_ROUND(a[5], c[5]); PHILOX_ROUND(a[6], c[6]); PHILOX_ROUND(a[7], c[7]);
        PHILOX_ROUND(a[8], c[8]); PHILOX_ROUND(a[9], c[9]);
        ox[b] = x; oy[b] = y; oz[b] = z; ow[b] = w;
    }
}

#if defined(__x86_64__) && defined(__clang__)
#include <immintrin.h>
#define MPK_PHILOX_AVX2 1

/* The same blocks, eight at a time with AVX2 intrinsics (the auto-vectorized loop above widens every
 * 32-bit lane to 64 bits and back each round, which costs ~3x). Each 64-bit lane holds one block's
 * word in its low half; the high halves carry garbage that vpmuludq ignores and the final pack
 * drops, so no masking is needed. Integer arithmetic only: bit-identical to the portable loop. */
__attribute__((target("avx2"))) static void philox_planar_avx2(uint32_t k0, uint32_t k1, uint32_t first_block, uint32_t c1,
                                                                uint32_t c2, uint32_t c3, long count, uint32_t *ox,
                                                                uint32_t *oy, uint32_t *oz, uint32_t *ow) {
    const __m256i m0 = _mm256_set1_epi64x(0xD2511F53u), m1 = _mm256_set1_epi64x(0xCD9E8D57u);
    __m256i ka[10], kc[10];
    for (int r = 0; r < 10; r++) {
        ka[r] = _mm256_set1_epi64x(k0 + (uint32_t)r * 0x9E3779B9u);
        kc[r] = _mm256_set1_epi64x(k1 + (uint32_t)r * 0xBB67AE85u);
    }
    const __m256i lanes = _mm256_set_epi64x(3, 2, 1, 0), four = _mm256_set1_epi64x(4);
    const __m256i low_halves = _mm256_set_epi32(7, 5, 3, 1, 6, 4, 2, 0);
    for (long b = 0; b < count; b += 8) {
        __m256i x0 = _mm256_add_epi64(_mm256_set1_epi64x(first_block + (uint32_t)b), lanes);
        __m256i x1 = _mm256_add_epi64(x0, four);
        __m256i y0 = _mm256_set1_epi64x(c1), z0 = _mm256_set1_epi64x(c2), w0 = _mm256_set1_epi64x(c3);
        __m256i y1 = y0, z1 = z0, w1 = w0;
        for (int r = 0; r < 10; r++) {
            __m256i p0 = _mm256_mul_epu32(m0, x0), p1 = _mm256_mul_epu32(m1, z0);
            __m256i q0 = _mm256_mul_epu32(m0, x1), q1 = _mm256_mul_epu32(m1, z1);
            x0 = _mm256_xor_si256(_mm256_xor_si256(_mm256_srli_epi64(p1, 32), y0), ka[r]);
            z0 = _mm256_xor_si256(_mm256_xor_si256(_mm256_srli_epi64(p0, 32), w0), kc[r]);
            x1 = _mm256_xor_si256(_mm256_xor_si256(_mm256_srli_epi64(q1, 32), y1), ka[r]);
            z1 = _mm256_xor_si256(_mm256_xor_si256(_mm256_srli_epi64(q0, 32), w1), kc[r]);
            y0 = p1; w0 = p0; y1 = q1; w1 = q0;
        }
#define MPK_PACK(v0, v1, out)                                                                        \
    _mm256_storeu_si256((__m256i *)((out) + b),                                                       \
                        _mm256_permute2x128_si256(_mm256_permutevar8x32_epi32((v0), low_halves),     \
                                                  _mm256_permutevar8x32_epi32((v1), low_halves), 0x20))
        MPK_PACK(x0, x1, ox); MPK_PACK(y0, y1, oy); MPK_PACK(z0, z1, oz); MPK_PACK(w0, w1, ow);
#undef MPK_PACK
    }
}
#endif

/* Philox blocks in planar layout: the AVX2 kernel for whole groups of eight where the CPU has it,
 * the portable loop for the rest. */
static inline __attribute__((always_inline)) void philox_planar(uint32_t k0, uint32_t k1, uint32_t first_block, uint32_t c1, uint32_t c2, uint32_t c3,
                                 long count, uint32_t *restrict ox, uint32_t *restrict oy, uint32_t *restrict oz,
                                 uint32_t *restrict ow) {
    long done = 0;
#ifdef MPK_PHILOX_AVX2
    if (__builtin_cpu_supports("avx2")) {
        done = count & ~7L;
        philox_planar_avx2(k0, k1, first_block, c1, c2, c3, done, ox, oy, oz, ow);
    }
#endif
    philox_planar_portable(k0, k1, first_block + (uint32_t)done, c1, c2, c3, count - done, ox + done, oy + done,
                           oz + done, ow + done);
}

MPK_CLONES
void mpk_philox4x32_blocks(uint32_t k0, uint32_t k1, uint32_t first_block, uint32_t c1, uint32_t c2, uint32_t c3,
                           long count, uint32_t *out) {
    enum { CHUNK = 64 };
    uint32_t wx[CHUNK], wy[CHUNK], wz[CHUNK], ww[CHUNK];
    for (long start = 0; start < count; start += CHUNK) {
        long n = count - start < CHUNK ? count - start : CHUNK;
        philox_planar(k0, k1, first_block + (uint32_t)start, c1, c2, c3, n, wx, wy, wz, ww);
        for (long b = 0; b < n; b++) {
            out[4 * (start + b)] = wx[b];
            out[4 * (start + b) + 1] = wy[b];
            out[4 * (start + b) + 2] = wz[b];
            out[4 * (start + b) + 3] = ww[b];
        }
    }
}

/* 53 random bits as 27 from hi and 26 from lo (each converts exactly through a signed 32-bit
 * integer, which vectorizes), plus half an ulp so that neither 0 nor 1 can occur. */
static inline __attribute__((always_inline)) double uniform53(uint32_t hi, uint32_t lo) {
    return ((double)(int32_t)(hi >> 5) * 67108864.0 + (double)(int32_t)(lo >> 6) + 0.5) * 0x1p-53;
}

/* log u for u in (0, 1): u = 2^e m with m in [√½, √2), log m = 2 atanh(s), s = (m - 1)/(m + 1),
 * |s| ≤ 0.1716, series to s²³ (truncation < 1e-17 relative). */
static inline __attribute__((always_inline)) double log_unit(double u) {
    uint64_t bits;
    memcpy(&bits, &u, sizeof bits);
    int32_t e = (int32_t)((bits >> 52) & 0x7FF) - 1023;
    uint64_t mbits = (bits & 0x000FFFFFFFFFFFFFull) | 0x3FF0000000000000ull;
    double m;
    memcpy(&m, &mbits, sizeof m);
    /* m in [1, 2): fold into [√½, √2). */
    int32_t big = m > 1.4142135623730951;
    m = big ? 0.5 * m : m;
    e += big;
    double s = (m - 1) / (m + 1), s2 = s * s;
    double p = 1.0 / 23;
    p = p * s2 + 1.0 / 21;
    p = p * s2 + 1.0 / 19;
    p = p * s2 + 1.0 / 17;
    p = p * s2 + 1.0 / 15;
    p = p * s2 + 1.0 / 13;
    p = p * s2 + 1.0 / 11;
    p = p * s2 + 1.0 / 9;
    p = p * s2 + 1.0 / 7;
    p = p * s2 + 1.0 / 5;
    p = p * s2 + 1.0 / 3;
    p = p * s2 + 1;
    return (double)e * 0.6931471805599453 + 2 * s * p;
}

/* Round to the nearest integer (ties to even) for |x| < 2⁵¹ by adding and removing 1.5·2⁵²: no
 * library call, so loops vectorize. */
static inline __attribute__((always_inline)) double round_even(double x) {
    const double magic = 6755399441055744.0;
    return (x + magic) - magic;
}

/* sin and cos of 2πu for u in (0, 1): t = u - round(u) ∈ [-½, ½], quadrant q = round(4t),
 * φ = 2π (t - q/4) ∈ [-π/4, π/4] (both subtractions exact), Taylor series to φ¹⁷ / φ¹⁸, then a
 * rotation by q quarter turns. */
static inline __attribute__((always_inline)) void sincos_turns(double u, double *sine, double *cosine) {
    double t = u - round_even(u);
    double q = round_even(4 * t);
    double phi = 6.283185307179586 * (t - 0.25 * q);
    double f2 = phi * phi;
    double p = 1.0 / 355687428096000.0;        /* 1/17! */
    p = p * f2 - 1.0 / 1307674368000.0;        /* 1/15! */
    p = p * f2 + 1.0 / 6227020800.0;           /* 1/13! */
    p = p * f2 - 1.0 / 39916800.0;             /* 1/11! */
    p = p * f2 + 1.0 / 362880.0;
    p = p * f2 - 1.0 / 5040.0;
    p = p * f2 + 1.0 / 120.0;
    p = p * f2 - 1.0 / 6.0;
    double s = phi + phi * f2 * p;
    double r = -1.0 / 6402373705728000.0;      /* 1/18! */
    r = r * f2 + 1.0 / 20922789888000.0;       /* 1/16! */
    r = r * f2 - 1.0 / 87178291200.0;          /* 1/14! */
    r = r * f2 + 1.0 / 479001600.0;            /* 1/12! */
    r = r * f2 - 1.0 / 3628800.0;
    r = r * f2 + 1.0 / 40320.0;
    r = r * f2 - 1.0 / 720.0;
    r = r * f2 + 1.0 / 24.0;
    r = r * f2 - 0.5;
    double c = 1 + f2 * r;
    /* q ∈ {-2, -1, 0, 1, 2}: rotate (s, c) by q quarter turns. */
    int32_t k = ((int32_t)q) & 3;
    double rs = k == 0 ? s : k == 1 ? c : k == 2 ? -s : -c;
    double rc = k == 0 ? c : k == 1 ? -s : k == 2 ? -c : s;
    *sine = rs;
    *cosine = rc;
}

enum { MPK_CHUNK = 64 };

MPK_CLONES
void mpk_fill_uniform(uint32_t k0, uint32_t k1, uint32_t c1, uint32_t c2, uint32_t c3, double *out, long count) {
    uint32_t wx[MPK_CHUNK], wy[MPK_CHUNK], wz[MPK_CHUNK], ww[MPK_CHUNK];
    long blocks = (count + 1) / 2;
    for (long start = 0; start < blocks; start += MPK_CHUNK) {
        long n = blocks - start < MPK_CHUNK ? blocks - start : MPK_CHUNK;
        philox_planar(k0, k1, (uint32_t)start, c1, c2, c3, n, wx, wy, wz, ww);
        double u[2 * MPK_CHUNK];
        for (long b = 0; b < n; b++) {
            u[2 * b] = uniform53(wx[b], wy[b]);
            u[2 * b + 1] = uniform53(wz[b], ww[b]);
        }
        long first = 2 * start, take = count - first < 2 * n ? count - first : 2 * n;
        memcpy(out + first, u, (size_t)take * sizeof(double));
    }
}

MPK_CLONES
void mpk_fill_normal(uint32_t k0, uint32_t k1, uint32_t c1, uint32_t c2, uint32_t c3, double *out, long count) {
    uint32_t wx[MPK_CHUNK], wy[MPK_CHUNK], wz[MPK_CHUNK], ww[MPK_CHUNK];
    long blocks = (count + 1) / 2;
    for (long start = 0; start < blocks; start += MPK_CHUNK) {
        long n = blocks - start < MPK_CHUNK ? blocks - start : MPK_CHUNK;
        philox_planar(k0, k1, (uint32_t)start, c1, c2, c3, n, wx, wy, wz, ww);
        double z[2 * MPK_CHUNK];
        /* Interleaving four vectors hides the latency of the long polynomial chains (1.6x here). */
#pragma clang loop interleave_count(4)
        for (long b = 0; b < n; b++) {
            double u1 = uniform53(wx[b], wy[b]);
            double u2 = uniform53(wz[b], ww[b]);
            /* The builtin has no errno side effect (its argument is positive), so it vectorizes. */
            double radius = __builtin_elementwise_sqrt(-2 * log_unit(u1));
            double sn, cs;
            sincos_turns(u2, &sn, &cs);
            z[2 * b] = radius * cs;
            z[2 * b + 1] = radius * sn;
        }
        long first = 2 * start, take = count - first < 2 * n ? count - first : 2 * n;
        memcpy(out + first, z, (size_t)take * sizeof(double));
    }
}
