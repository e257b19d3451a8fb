#ifndef MIDPOINT_CZLIB_SHIM_H
#define MIDPOINT_CZLIB_SHIM_H
// zlib (zlib1g-dev on Debian; part of the SDK on macOS): PNG's compression and checksums.
#include <zlib.h>
#endif
