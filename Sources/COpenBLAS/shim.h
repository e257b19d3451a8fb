#ifndef MIDPOINT_COPENBLAS_SHIM_H
#define MIDPOINT_COPENBLAS_SHIM_H
// CBLAS from OpenBLAS (include path from pkg-config "openblas") and LAPACKE from liblapacke-dev.
#include <cblas.h>
#include <lapacke.h>
#endif
