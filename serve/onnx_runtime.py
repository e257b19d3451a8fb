"""An MLServer runtime serving an ONNX network (e.g. the Fashion-MNIST UNet, models/fashion/unet.onnx) with
ONNX Runtime on the CPU, as a remote model for Midpoint.

model-settings.json names the file: "parameters": {"extra": {"model": PATH}} or else "parameters": {"uri":
PATH} (a file, or a folder holding one .onnx file); a relative path is relative to model-settings.json's
folder. It also declares the tensors, and they must be the network's: every input of the ONNX graph is
declared under its own name (sample, timestep, class_labels for the UNet), with the graph's datatype and its
dimensions after the batch dimension (-1 where the graph's are symbolic), and one output, FP32 for a float
graph; a mismatch fails the load, naming the tensor, rather than every call. The declared output's name is
what the answer carries; when the graph has one output of another name, that output is answered under the
declared name.

A request carries every input of the graph by name, one row per sample: for the UNet "sample" (N × 1 × 28 ×
28, FP32), "timestep" (N, FP32: a fractional DDPM step in [0, 999]) and "class_labels" (N, INT64: 0-9, or the
null label 10) — the card {"prediction": "epsilon", "time": {"kind": "ddpm_index", ...}, "dtype": "FP32",
"class_input": {"name": "class_labels", ...}} (models/fashion/fashion.card.json). Each is cast to the graph's
datatype (float inputs to float32, integer inputs to int64 when the graph says so; a non-integral value for an
integer input is refused) and reshaped to N × the graph's fixed dimensions when its values fit them (so a
sample sent as N × 784 is accepted). The response is one tensor of the declared output's name and datatype,
shaped as the graph answers (N × 1 × 28 × 28): the network's raw output, here ε̂, from which the client forms
the score. A malformed request (a missing input, a row count that differs between inputs, a wrong row size)
is answered 400 (InferenceError).

Extra parameters: "intra_op_num_threads" (1) — ONNX Runtime's threads for one call (the server process runs
one call at a time; the codecs of other requests proceed meanwhile); "delay_ms" (0) — a fixed delay added to
every call, standing for a GPU model's latency, as in exact_runtime.py. Needs onnxruntime and NumPy
(scripts/install-serve installs both into .venv-serve); no PyTorch.
"""
import asyncio
import os
from concurrent.futures import ThreadPoolExecutor

import numpy as np
import onnxruntime as ort
from mlserver import MLModel
from mlserver.codecs import NumpyCodec
from mlserver.errors import InferenceError
from mlserver.types import InferenceRequest, InferenceResponse
from mlserver.utils import get_model_uri, to_absolute_path

# ONNX tensor types → (NumPy dtype, Open Inference Protocol datatype).
ONNX_TYPES = {
    "tensor(float)": (np.float32, "FP32"), "tensor(double)": (np.float64, "FP64"),
    "tensor(float16)": (np.float16, "FP16"), "tensor(int64)": (np.int64, "INT64"),
    "tensor(int32)": (np.int32, "INT32"), "tensor(int16)": (np.int16, "INT16"), "tensor(int8)": (np.int8, "INT8"),
    "tensor(uint8)": (np.uint8, "UINT8"), "tensor(bool)": (np.bool_, "BOOL"),
}
DATATYPES = {"FP32": np.float32, "FP64": np.float64, "FP16": np.float16}


class GraphInput:
    """One input of the ONNX graph: its name, NumPy dtype and dimensions after the batch (None if symbolic)."""

    def __init__(self, arg):
        if arg.type not in ONNX_TYPES:
            raise ValueError(f"ONNX input '{arg.name}' has unsupported type {arg.type}")
        self.name = arg.name
        self.dtype, self.datatype = ONNX_TYPES[arg.type]
        if not arg.shape:
            raise ValueError(f"ONNX input '{arg.name}' is a scalar: it needs a batch dimension")
        self.rest = [d if isinstance(d, int) else None for d in arg.shape[1:]]

    def convert(self, values: np.ndarray) -> np.ndarray:
        """The request's values as the graph takes them: its dtype, N × its fixed dimensions."""
        if np.issubdtype(self.dtype, np.integer) and not np.issubdtype(values.dtype, np.integer):
            if values.size and not np.all(np.isfinite(values) & (values == np.round(values))):
                raise InferenceError(f"input '{self.name}' must hold integers")
        values = values.astype(self.dtype, copy=False)
        if None not in self.rest:
            row = int(np.prod(self.rest, dtype=np.int64))
            if values.ndim == 0 or (row and values.size % row) or \
                    (values.ndim >= 2 and int(np.prod(values.shape[1:], dtype=np.int64)) != row):
                raise InferenceError(f"input '{self.name}' of shape {list(values.shape)}: rows must hold "
                                     f"{row} values ({self.rest})")
            values = values.reshape([-1] + self.rest)
        elif values.ndim != 1 + len(self.rest):
            raise InferenceError(f"input '{self.name}' of shape {list(values.shape)}: expected "
                                 f"{1 + len(self.rest)} dimensions")
        return np.ascontiguousarray(values)


class OnnxScore(MLModel):
    async def load(self) -> bool:
        extra = (self.settings.parameters.extra or {}) if self.settings.parameters else {}
        if extra.get("model"):
            path = to_absolute_path(self.settings, str(extra["model"]))
        else:
            path = await get_model_uri(self.settings, wellknown_filenames=["model.onnx", "unet.onnx"])
        if os.path.isdir(path):
            found = sorted(f for f in os.listdir(path) if f.endswith(".onnx"))
            if len(found) != 1:
                raise ValueError(f"{path}: expected one .onnx file, found {found}")
            path = os.path.join(path, found[0])
        self.threads = int(extra.get("intra_op_num_threads", 1))
        self.delay = float(extra.get("delay_ms", 0.0)) / 1000
        options = ort.SessionOptions()
        options.intra_op_num_threads = self.threads
        options.inter_op_num_threads = 1
        options.execution_mode = ort.ExecutionMode.ORT_SEQUENTIAL
        self.session = ort.InferenceSession(path, sess_options=options, providers=["CPUExecutionProvider"])
        self.model_path = path
        self.graph_inputs = [GraphInput(arg) for arg in self.session.get_inputs()]
        graph_outputs = self.session.get_outputs()
        self.check_declared(graph_outputs)
        # One call at a time, off the event loop: the next requests are decoded while ONNX Runtime runs.
        self.executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="onnx")
        return True

    def check_declared(self, graph_outputs):
        """The declared tensors (model-settings.json) against the graph's; picks the output to run."""
        declared = {t.name: t for t in (self.settings.inputs or [])}
        graph = {g.name: g for g in self.graph_inputs}
        if declared and set(declared) != set(graph):
            raise ValueError(f"{self.model_path}: the graph's inputs are {sorted(graph)}, the settings declare "
                             f"{sorted(declared)}")
        for name, tensor in declared.items():
            g = graph[name]
            if tensor.datatype != g.datatype:
                raise ValueError(f"input '{name}' is {g.datatype} in the graph, {tensor.datatype} in the settings")
            shape = list(tensor.shape or [])
            if len(shape) != 1 + len(g.rest) or any(r is not None and s not in (r, -1)
                                                     for s, r in zip(shape[1:], g.rest)):
                raise ValueError(f"input '{name}' is [N] + {g.rest} in the graph, {shape} in the settings")
        outputs = self.settings.outputs or []
        if len(outputs) > 1:
            raise ValueError(f"declare one output, not {[o.name for o in outputs]}")
        names = [o.name for o in graph_outputs]
        self.output_name = outputs[0].name if outputs else names[0]
        if self.output_name in names:
            self.graph_output = self.output_name
        elif len(names) == 1:
            self.graph_output = names[0]
        else:
            raise ValueError(f"output '{self.output_name}' is not among the graph's outputs {names}")
        graph_type = next(o.type for o in graph_outputs if o.name == self.graph_output)
        self.output_dtype = ONNX_TYPES.get(graph_type, (None, None))[0]
        if outputs:
            if outputs[0].datatype not in DATATYPES:
                raise ValueError(f"output '{self.output_name}': datatype {outputs[0].datatype} (FP32, FP64, FP16)")
            self.output_dtype = DATATYPES[outputs[0].datatype]
        if self.output_dtype is None or not np.issubdtype(self.output_dtype, np.floating):
            raise ValueError(f"output '{self.graph_output}' has type {graph_type}: a float tensor is needed")

    def run(self, feeds):
        return self.session.run([self.graph_output], feeds)[0]

    async def predict(self, payload: InferenceRequest) -> InferenceResponse:
        inputs = {i.name: i for i in payload.inputs}
        feeds = {}
        for g in self.graph_inputs:
            if g.name not in inputs:
                raise InferenceError(f"missing input '{g.name}' (inputs: {', '.join(inputs) or 'none'})")
            feeds[g.name] = g.convert(NumpyCodec.decode_input(inputs[g.name]))
        rows = {name: values.shape[0] for name, values in feeds.items()}
        if len(set(rows.values())) > 1:
            raise InferenceError(f"inputs disagree on the number of rows: {rows}")
        if any(n == 0 for n in rows.values()):
            raise InferenceError("empty request")
        try:
            result = await asyncio.get_running_loop().run_in_executor(self.executor, self.run, feeds)
        except Exception as error:  # ONNX Runtime's own checks (a dimension the graph fixes, etc.)
            raise InferenceError(f"ONNX Runtime: {error}") from error
        if self.delay > 0:
            await asyncio.sleep(self.delay)
        result = np.asarray(result).astype(self.output_dtype, copy=False)
        output = NumpyCodec.encode_output(name=self.output_name, payload=result)
        return InferenceResponse(model_name=self.name, outputs=[output])

    async def unload(self) -> bool:
        self.executor.shutdown(wait=False)
        return True
