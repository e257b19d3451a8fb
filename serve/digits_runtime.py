"""An MLServer runtime serving a Midpoint MLP score network (the shipped "digits" model) as a remote model.

The weights are a `.safetensors` file written by scripts/train_score.py (format midpoint.mlp-score.v1,
e.g. Sources/MidpointNetworks/Resources/digits.safetensors); its metadata gives the architecture
(dimension d, width W, blocks B, residual, embedding E, time_scale, max_period). model-settings.json
names the file: "parameters": {"extra": {"weights": PATH}} or else "parameters": {"uri": PATH} (a file,
or a folder holding one .safetensors file); a relative path is relative to model-settings.json's folder.

A request carries a sample tensor "sample" (N × 1 × 8 × 8, or N × d, FP64) and a time tensor "timestep"
(N or N × 1, FP64: the log signal-to-noise ratio λ = ln(α/σ)), and the response one tensor "output" of the
sample's shape: the network's raw noise prediction ε̂(λ, x) — the card
{"prediction": "epsilon", "time": {"kind": "log_snr"}, "dtype": "FP64"} (digits.card.json), from which the
client forms the score -ε̂/σ itself. The forward pass is MidpointNetworks.MLPScoreNetwork's
(and train_score.py's MLPScore), with SiLU(x) = x/(1 + e^{-x}):

    e  = [sin(f_k u), cos(f_k u)]_{k < E/2},   u = time_scale·λ,   f_k = exp(-ln(max_period)·k/(E/2))
    t  = SiLU(W_t e + b_t)
    h  = W_in x + b_in + t
    block i:  z = W_i1 SiLU(h) + b_i1 + U_i t,   h = [h +] W_i2 SiLU(z) + b_i2   (the sum if residual)
    ε̂  = W_out SiLU(h) + b_out

Parameters (F32/F16/BF16/F64, read exactly) are held and evaluated in float64, so the answers agree with
the Swift network to rounding (≈1e-15 relative, the order of BLAS's sums). An FP32 request is evaluated
in float64 too and answered in FP32; a malformed request is answered 400 (InferenceError). NumPy only
(a tiny safetensors reader below): CI needs no PyTorch.
"""
import json
import os

import numpy as np
from mlserver import MLModel
from mlserver.codecs import NumpyCodec
from mlserver.errors import InferenceError
from mlserver.types import InferenceRequest, InferenceResponse
from mlserver.utils import get_model_uri, to_absolute_path

FORMAT = "midpoint.mlp-score.v1"


def read_safetensors(path):
    """The tensors (name → float64 array) and the metadata (str → str) of a .safetensors file: an 8-byte
    little-endian header length, a JSON header, then the raw little-endian tensors."""
    with open(path, "rb") as f:
        blob = f.read()
    if len(blob) < 8:
        raise ValueError(f"{path}: not a safetensors file (too short)")
    n = int.from_bytes(blob[:8], "little")
    if n > len(blob) - 8:
        raise ValueError(f"{path}: header length {n} exceeds the file")
    header = json.loads(blob[8:8 + n].decode("utf-8"))
    data = memoryview(blob)[8 + n:]
    metadata = header.pop("__metadata__", None) or {}
    tensors = {}
    for name, info in header.items():
        begin, end = info["data_offsets"]
        shape = tuple(int(s) for s in info["shape"])
        raw = data[begin:end]
        dtype = info["dtype"]
        if dtype == "F64":
            values = np.frombuffer(raw, dtype="<f8")
        elif dtype == "F32":
            values = np.frombuffer(raw, dtype="<f4")
        elif dtype == "F16":
            values = np.frombuffer(raw, dtype="<f2")
        elif dtype == "BF16":
            # bfloat16 is the upper half of a float32.
            values = (np.frombuffer(raw, dtype="<u2").astype(np.uint32) << 16).view(np.float32)
        else:
            raise ValueError(f"{path}: tensor '{name}' has unsupported dtype {dtype} (F64, F32, F16, BF16)")
        if values.size != int(np.prod(shape, dtype=np.int64)):
            raise ValueError(f"{path}: tensor '{name}' has {values.size} values for shape {list(shape)}")
        tensors[name] = values.astype(np.float64).reshape(shape)
    return tensors, metadata


def silu(x):
    """x/(1 + e^{-x}); e^{-x} may overflow to inf for x ≪ 0, giving -0 as the limit."""
    with np.errstate(over="ignore"):
        return x / (1.0 + np.exp(-x))


class MLPScore:
    """The network of a midpoint.mlp-score.v1 file, evaluated in float64 with NumPy."""

    def __init__(self, tensors, metadata):
        def require(key, expected):
            if metadata.get(key) != expected:
                raise ValueError(f"metadata '{key}' is {metadata.get(key)!r}, expected {expected!r}")

        require("format", FORMAT)
        require("prediction", "epsilon")
        require("activation", "silu")
        require("time_input", "log_snr")
        if metadata.get("residual") not in ("true", "false"):
            raise ValueError(f"metadata 'residual' is {metadata.get('residual')!r}, expected 'true' or 'false'")
        self.metadata = metadata
        self.dimension = int(metadata["dimension"])
        self.width = int(metadata["width"])
        self.blocks = int(metadata["blocks"])
        self.residual = metadata["residual"] == "true"
        self.embedding = int(metadata["embedding"])
        self.time_scale = float(metadata["time_scale"])
        self.max_period = float(metadata["max_period"])
        if self.embedding % 2:
            raise ValueError(f"embedding {self.embedding} is odd")

        w, d, e = self.width, self.dimension, self.embedding
        shapes = {"time.weight": (w, e), "time.bias": (w,), "input.weight": (w, d), "input.bias": (w,),
                  "output.weight": (d, w), "output.bias": (d,)}
        for i in range(self.blocks):
            shapes.update({f"blocks.{i}.linear1.weight": (w, w), f"blocks.{i}.linear1.bias": (w,),
                           f"blocks.{i}.time.weight": (w, w),
                           f"blocks.{i}.linear2.weight": (w, w), f"blocks.{i}.linear2.bias": (w,)})
        for name, shape in shapes.items():
            if name not in tensors:
                raise ValueError(f"missing parameter '{name}'")
            if tensors[name].shape != shape:
                raise ValueError(f"parameter '{name}' has shape {list(tensors[name].shape)}, expected {list(shape)}")
            if not np.all(np.isfinite(tensors[name])):
                raise ValueError(f"parameter '{name}' is not finite")
        extra = sorted(set(tensors) - set(shapes))
        if extra:
            raise ValueError(f"unexpected parameters {extra}")

        # Weights transposed once (in × out, contiguous), so each layer is the product rows @ Wᵀ.
        def layer(prefix, bias=True):
            weight = np.ascontiguousarray(tensors[prefix + ".weight"].T)
            return weight, (tensors[prefix + ".bias"] if bias else None)

        self.time = layer("time")
        self.input = layer("input")
        self.block_layers = [(layer(f"blocks.{i}.linear1"), layer(f"blocks.{i}.time", bias=False)[0],
                              layer(f"blocks.{i}.linear2")) for i in range(self.blocks)]
        self.output = layer("output")
        half = e // 2
        log_period = np.log(self.max_period)
        # As the Swift network: exp(-ln(max_period)·k / half).
        self.frequencies = np.exp(-log_period * np.arange(half, dtype=np.float64) / half)

    @classmethod
    def load(cls, path):
        return cls(*read_safetensors(path))

    def noise(self, x, log_snr):
        """ε̂ for the rows of x (N × d) at log-SNRs log_snr (N), float64."""
        x = np.asarray(x, dtype=np.float64)
        u = self.time_scale * np.asarray(log_snr, dtype=np.float64).reshape(-1)
        args = u[:, None] * self.frequencies[None, :]
        emb = np.concatenate([np.sin(args), np.cos(args)], axis=1)
        (wt, bt), (win, bin_), (wout, bout) = self.time, self.input, self.output
        t = silu(emb @ wt + bt)
        h = (bin_ + t) + x @ win
        for (w1, b1), u_t, (w2, b2) in self.block_layers:
            z = silu(h) @ w1 + b1 + t @ u_t
            update = silu(z) @ w2
            h = (h + b2) + update if self.residual else b2 + update
        return bout + silu(h) @ wout


class DigitsScore(MLModel):
    async def load(self) -> bool:
        extra = (self.settings.parameters.extra or {}) if self.settings.parameters else {}
        if extra.get("weights"):
            path = to_absolute_path(self.settings, str(extra["weights"]))
        else:
            path = await get_model_uri(self.settings, wellknown_filenames=["digits.safetensors", "model.safetensors"])
        if os.path.isdir(path):
            found = sorted(f for f in os.listdir(path) if f.endswith(".safetensors"))
            if len(found) != 1:
                raise ValueError(f"{path}: expected one .safetensors file, found {found}")
            path = os.path.join(path, found[0])
        self.network = MLPScore.load(path)
        self.weights_path = path
        return True

    async def predict(self, payload: InferenceRequest) -> InferenceResponse:
        inputs = {i.name: i for i in payload.inputs}
        for name in ("sample", "timestep"):
            if name not in inputs:
                raise InferenceError(f"missing input '{name}' (inputs: {', '.join(inputs)})")
        sample = NumpyCodec.decode_input(inputs["sample"])
        d = self.network.dimension
        if sample.size % d or (sample.ndim >= 2 and int(np.prod(sample.shape[1:])) != d):
            raise InferenceError(f"sample of shape {list(sample.shape)}: rows must hold {d} values")
        x = sample.astype(np.float64).reshape(-1, d)
        lam = NumpyCodec.decode_input(inputs["timestep"]).astype(np.float64).reshape(-1)
        if x.shape[0] != lam.shape[0]:
            raise InferenceError(f"{x.shape[0]} samples but {lam.shape[0]} times")
        eps = self.network.noise(x, lam).reshape(sample.shape if sample.ndim >= 2 else x.shape)
        if sample.dtype == np.float32:
            eps = eps.astype(np.float32)
        output = NumpyCodec.encode_output(name="output", payload=eps)
        return InferenceResponse(model_name=self.name, outputs=[output])
