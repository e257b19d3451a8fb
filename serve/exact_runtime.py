"""An MLServer runtime serving the exact score of an isotropic Gaussian target, for tests and demos.

The model's parameters (model-settings.json, "parameters": {"extra": {...}}) give the target
N(mean, variance·I) in `dimension` coordinates. A request carries a sample tensor (N × d, FP64) and a
time tensor (N, FP64: the OU time τ), and the response one output tensor: the score
∇ log q_τ(x) = -(x - α mean) / (α² variance + σ²), α = e^{-τ}, σ² = 1 - α² — the card
{"prediction": "score", "time": {"kind": "ou_time"}, "dtype": "FP64"}. NumPy only: CI needs no PyTorch.
An optional per-call delay ("delay_ms") stands for a GPU model's latency.

With "classes": C and "class_shift": s the model is conditional (card field class_input): a third input
`class_labels` (INT64, one per row) moves the mean of row i's law by s·label in coordinate 0, and the
null label C leaves it at `mean` — so classifier-free guidance with scale w gives exactly the score of
the law whose coordinate-0 mean is mean + w·s·label, a closed form the tests check against.

With "column_inputs": true the per-row inputs (timestep, class_labels) must arrive as [N, 1], as a
Triton model with batching declares them (dims [1]); a request sending [N] is refused, as Triton refuses it.
"""
import asyncio

import numpy as np
from mlserver import MLModel
from mlserver.codecs import NumpyCodec
from mlserver.types import InferenceRequest, InferenceResponse


class ExactGaussianScore(MLModel):
    async def load(self) -> bool:
        extra = (self.settings.parameters.extra or {}) if self.settings.parameters else {}
        self.dimension = int(extra.get("dimension", 2))
        self.mean = float(extra.get("mean", 0.0))
        self.variance = float(extra.get("variance", 1.0))
        self.delay = float(extra.get("delay_ms", 0.0)) / 1000
        self.classes = int(extra.get("classes", 0))
        self.class_shift = float(extra.get("class_shift", 0.0))
        self.column_inputs = bool(extra.get("column_inputs", False))
        return True

    async def predict(self, payload: InferenceRequest) -> InferenceResponse:
        inputs = {i.name: i for i in payload.inputs}
        if self.column_inputs:
            for name in ("timestep", "class_labels"):
                if name in inputs and (len(inputs[name].shape) != 2 or inputs[name].shape[1] != 1):
                    raise ValueError(f"unexpected shape for input '{name}' for model '{self.name}'. "
                                     f"Expected [-1,1], got {list(inputs[name].shape)}")
        x = NumpyCodec.decode_input(inputs["sample"]).astype(np.float64).reshape(-1, self.dimension)
        tau = NumpyCodec.decode_input(inputs["timestep"]).astype(np.float64).reshape(-1, 1)
        if x.shape[0] != tau.shape[0]:
            raise ValueError(f"{x.shape[0]} samples but {tau.shape[0]} times")
        alpha = np.exp(-tau)
        sigma2 = -np.expm1(-2 * tau)
        mean = np.full(x.shape, self.mean)
        if self.classes > 0:
            labels = NumpyCodec.decode_input(inputs["class_labels"]).astype(np.int64).reshape(-1)
            if labels.shape[0] != x.shape[0] or labels.min() < 0 or labels.max() > self.classes:
                raise ValueError(f"need {x.shape[0]} labels in 0...{self.classes}")
            mean[:, 0] += self.class_shift * np.where(labels < self.classes, labels, 0)
        score = -(x - alpha * mean) / (alpha * alpha * self.variance + sigma2)
        if self.delay > 0:
            await asyncio.sleep(self.delay)
        output = NumpyCodec.encode_output(name="output", payload=score)
        return InferenceResponse(model_name=self.name, outputs=[output])
