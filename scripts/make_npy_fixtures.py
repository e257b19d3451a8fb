#!/usr/bin/env python3
"""Writes the .npy fixtures for Tests/MidpointFormatsTests with NumPy itself.

Run from the repository root: python3 scripts/make_npy_fixtures.py
Values are simple closed forms so the Swift tests can recompute them:
  f8_2d:   (arange(12) / 7 - 0.5).reshape(3, 4), float64
  f4_1d:   arange(5) * 0.25 - 1, float32
  others:  the f8_2d array in another container version, order or dtype.
"""
import os
import numpy as np

out = os.path.join(os.path.dirname(__file__), "..", "Tests", "MidpointFormatsTests", "Fixtures")
os.makedirs(out, exist_ok=True)
a = (np.arange(12, dtype="<f8") / 7 - 0.5).reshape(3, 4)
np.save(os.path.join(out, "f8_2d.npy"), a)
np.save(os.path.join(out, "f4_1d.npy"), np.arange(5, dtype="<f4") * np.float32(0.25) - np.float32(1))
np.save(os.path.join(out, "scalar_f8.npy"), np.array(3.5))
np.save(os.path.join(out, "empty_f8.npy"), np.zeros((0, 3)))
for version in [(2, 0), (3, 0)]:
    with open(os.path.join(out, f"v{version[0]}_f8_2d.npy"), "wb") as f:
        np.lib.format.write_array(f, a, version=version)
np.save(os.path.join(out, "fortran_f8_2d.npy"), np.asfortranarray(a))
np.save(os.path.join(out, "bigendian_f8_2d.npy"), a.astype(">f8"))
np.save(os.path.join(out, "int64_1d.npy"), np.arange(3, dtype="<i8"))
print("wrote fixtures to", os.path.normpath(out), "with numpy", np.__version__)
