#ifndef MIDPOINT_KERNELS_COMMON_H
#define MIDPOINT_KERNELS_COMMON_H

/* No contraction into fused multiply-adds: every clone must round identically. */
#pragma STDC FP_CONTRACT OFF

/* Function multi-versioning: an AVX2 clone chosen at load time where the CPU has it. FMA is left
 * out on purpose (see midpoint_kernels.h). Other platforms compile the portable version only. */
#if defined(__x86_64__) && defined(__linux__) && defined(__clang__)
#define MPK_CLONES __attribute__((target_clones("avx2", "default")))
#else
#define MPK_CLONES
#endif

#endif
