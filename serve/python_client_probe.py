"""The Python client's time per call against the same server, for comparison with `midpoint call-profile`.

Sends CALLS requests of ROWS random rows (after one warm-up) to the "exact" model over REST with JSON
tensors (urllib + json) and over gRPC with raw tensors (MLServer's generated stubs), and prints the
median milliseconds per call as CSV rows: client,wire,rows,d,ms_per_call.
    python serve/python_client_probe.py HTTP_PORT GRPC_PORT DIMENSION ROWS[,ROWS...] [CALLS]
"""
import json
import statistics
import sys
import time
import urllib.request

import grpc
import numpy as np
from mlserver.grpc import dataplane_pb2 as pb
from mlserver.grpc import dataplane_pb2_grpc as services


def median_ms(call, calls):
    call()
    times = []
    for _ in range(calls):
        start = time.perf_counter()
        call()
        times.append(time.perf_counter() - start)
    return 1000 * statistics.median(times)


def main():
    http_port, grpc_port, d = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3])
    sizes = [int(r) for r in sys.argv[4].split(",")]
    calls = int(sys.argv[5]) if len(sys.argv) > 5 else 20
    channel = grpc.insecure_channel(f"127.0.0.1:{grpc_port}", options=[
        ("grpc.max_send_message_length", 1 << 30), ("grpc.max_receive_message_length", 1 << 30)])
    stub = services.GRPCInferenceServiceStub(channel)
    rng = np.random.default_rng(1)
    for rows in sizes:
        x = rng.uniform(-2, 2, size=(rows, d))
        t = rng.uniform(0.01, 1, size=rows)

        def rest():
            body = json.dumps({"inputs": [
                {"name": "sample", "shape": [rows, d], "datatype": "FP64", "data": x.ravel().tolist()},
                {"name": "timestep", "shape": [rows], "datatype": "FP64", "data": t.tolist()}]}).encode()
            request = urllib.request.Request(f"http://127.0.0.1:{http_port}/v2/models/exact/infer", data=body,
                                             headers={"Content-Type": "application/json"})
            with urllib.request.urlopen(request) as response:
                answer = json.loads(response.read())
            np.asarray(answer["outputs"][0]["data"], dtype=np.float64)

        def raw():
            request = pb.ModelInferRequest(model_name="exact", inputs=[
                pb.ModelInferRequest.InferInputTensor(name="sample", datatype="FP64", shape=[rows, d]),
                pb.ModelInferRequest.InferInputTensor(name="timestep", datatype="FP64", shape=[rows])],
                raw_input_contents=[x.tobytes(), t.tobytes()])
            answer = stub.ModelInfer(request)
            np.frombuffer(answer.raw_output_contents[0], dtype="<f8")

        print(f"python,REST/JSON,{rows},{d},{median_ms(rest, calls):.3f}")
        print(f"python,gRPC/raw,{rows},{d},{median_ms(raw, calls):.3f}")


if __name__ == "__main__":
    main()
