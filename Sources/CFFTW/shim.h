#ifndef MIDPOINT_CFFTW_SHIM_H
#define MIDPOINT_CFFTW_SHIM_H
// FFTW 3 (libfftw3-dev; Linux only): autocovariances of long MCMC chains in O(n log n).
#include <fftw3.h>
#endif
