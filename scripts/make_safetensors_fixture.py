"""A .safetensors fixture written by the official `safetensors` library (Hugging Face), for Midpoint's
reader tests: F64, F32 and F16 tensors with known values, a scalar, an empty tensor and metadata.
BF16 is checked by a hand-built file in the tests (NumPy has no bfloat16).

    pip install safetensors==0.8.0 numpy
    python3 scripts/make_safetensors_fixture.py Tests/MidpointFormatsTests/Fixtures/reference.safetensors
"""
import sys

import numpy as np
from safetensors.numpy import save_file

tensors = {
    "weight": np.arange(12, dtype=np.float64).reshape(3, 4) / 8 - 0.5,
    "bias": np.array([1.5, -2.25, 3.0e-8, 65504.0], dtype=np.float32),
    "half": np.array([[0.5, -1.0], [6.1e-5, 5.96e-8], [65504.0, -0.0]], dtype=np.float16),
    "scalar": np.array(3.25, dtype=np.float32),
    "empty": np.zeros((0, 3), dtype=np.float32),
}
save_file(tensors, sys.argv[1], metadata={"architecture": "mlp", "width": "256"})
