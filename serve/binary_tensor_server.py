"""A minimal Open Inference Protocol REST server that speaks the binary tensor extension, for tests.

MLServer 1.7 does not implement the extension (`Inference-Header-Content-Length`: a JSON header, then raw
little-endian tensor bytes), and Triton needs a GPU image; this stdlib + NumPy server stands in for Triton
in the tests of the client's binary path. It serves one model, "exact": the score of N(0.5·1, 0.3 I) in
`--dimension` coordinates at OU time τ (as serve/exact_runtime.py), and lists "binary_tensor_data" in
`GET /v2`. A request may be JSON or binary; outputs asking for "binary_data" are answered in binary.
    python serve/binary_tensor_server.py PORT [--dimension 8]
"""
import argparse
import json
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import numpy as np

MEAN, VARIANCE = 0.5, 0.3


def score(x, tau):
    alpha = np.exp(-tau)[:, None]
    sigma2 = -np.expm1(-2 * tau)[:, None]
    return -(x - alpha * MEAN) / (alpha * alpha * VARIANCE + sigma2)


class Handler(BaseHTTPRequestHandler):
    dimension = 8

    def log_message(self, *args):
        pass

    def reply(self, status, body, headers=()):
        self.send_response(status)
        for name, value in headers:
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def reply_json(self, status, obj):
        self.reply(status, json.dumps(obj).encode(), [("Content-Type", "application/json")])

    def do_GET(self):
        d = self.dimension
        if self.path == "/v2":
            self.reply_json(200, {"name": "binary-test", "version": "0", "extensions": ["binary_tensor_data"]})
        elif self.path in ("/v2/health/ready", "/v2/models/exact/ready"):
            self.reply_json(200, {"ready": True})
        elif self.path == "/v2/models/exact":
            self.reply_json(200, {"name": "exact", "platform": "numpy",
                                  "inputs": [{"name": "sample", "datatype": "FP64", "shape": [-1, d]},
                                             {"name": "timestep", "datatype": "FP64", "shape": [-1]}],
                                  "outputs": [{"name": "output", "datatype": "FP64", "shape": [-1, d]}]})
        else:
            self.reply_json(404, {"error": f"no route {self.path}"})

    def do_POST(self):
        if self.path != "/v2/models/exact/infer":
            return self.reply_json(404, {"error": f"no route {self.path}"})
        body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
        header_length = self.headers.get("Inference-Header-Content-Length")
        header = json.loads(body[: int(header_length)] if header_length else body)
        offset = int(header_length or 0)
        tensors = {}
        for tensor in header["inputs"]:
            size = (tensor.get("parameters") or {}).get("binary_data_size")
            if size is not None:
                tensors[tensor["name"]] = np.frombuffer(body[offset: offset + size], dtype="<f8")
                offset += size
            else:
                tensors[tensor["name"]] = np.asarray(tensor["data"], dtype=np.float64)
        try:
            x = tensors["sample"].reshape(-1, self.dimension)
            tau = tensors["timestep"].reshape(-1)
        except (KeyError, ValueError) as error:
            return self.reply_json(400, {"error": f"bad inputs: {error}"})
        out = score(x, tau)
        wanted = (header.get("outputs") or [{}])[0]
        if (wanted.get("parameters") or {}).get("binary_data"):
            raw = out.astype("<f8").tobytes()
            answer = json.dumps({"model_name": "exact", "outputs": [
                {"name": "output", "datatype": "FP64", "shape": list(out.shape), "parameters": {"binary_data_size": len(raw)}}]}).encode()
            self.reply(200, answer + raw, [("Content-Type", "application/octet-stream"),
                                           ("Inference-Header-Content-Length", str(len(answer)))])
        else:
            self.reply_json(200, {"model_name": "exact", "outputs": [
                {"name": "output", "datatype": "FP64", "shape": list(out.shape), "data": out.ravel().tolist()}]})


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("port", type=int)
    parser.add_argument("--dimension", type=int, default=8)
    args = parser.parse_args()
    Handler.dimension = args.dimension
    ThreadingHTTPServer(("127.0.0.1", args.port), Handler).serve_forever()
