"""Check the exported Fashion-MNIST UNet: the ONNX file (onnxruntime, CPU) against the PyTorch module loaded from
the safetensors EMA weights, on a fixed seeded batch; write small test vectors for the Swift / served tests.

Batch: 64 test images noised to assorted fractional steps t ∈ [0, 999] (including 0 and 999 exactly) with
assorted labels 0..10 (10 = null). Reports max over samples of ‖ε_onnx − ε_torch‖/‖ε_torch‖ and max |Δ|;
fails (exit 1) above 1e-5 relative.

With --samples K it also draws K samples per class (deterministic DDIM, --ddim-steps integer steps from 999 to 0,
classifier-free guidance ε = ε(∅) + w·(ε(c) - ε(∅)) with w = --guidance), writes a PNG grid (one row per class)
and, when classifier.safetensors exists, reports how often the classifier gives the conditioning label.

Usage:
    .venv-torch/bin/python scripts/check_fashion_export.py [--dir models/fashion] [--samples 20]
"""
import os

os.environ.setdefault("OMP_NUM_THREADS", "1")

import argparse
import json
import struct
import sys
import zlib

import numpy as np
import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import train_unet as T  # noqa: E402


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--dir", default="models/fashion")
    p.add_argument("--seed", type=int, default=7)
    p.add_argument("--tolerance", type=float, default=1e-5)
    p.add_argument("--samples", type=int, default=0, help="samples per class to draw (0: none)")
    p.add_argument("--ddim-steps", type=int, default=50)
    p.add_argument("--guidance", type=float, default=2.0)
    p.add_argument("--png", default=None, help="default DIR/samples.png")
    args = p.parse_args()
    torch.set_num_threads(1)

    import onnxruntime as ort
    from safetensors import safe_open
    from safetensors.torch import load_file, save_file

    st_path = os.path.join(args.dir, "unet.safetensors")
    with safe_open(st_path, "pt") as f:
        meta = f.metadata()
    model = T.build_model(json.loads(meta["config"]))
    model.load_state_dict(load_file(st_path))
    model.eval()

    rng = np.random.default_rng(args.seed)
    images, _ = T.load_fashion("t10k")
    n = 64
    x0 = T.to_model_range(images[rng.choice(len(images), size=n, replace=False)])
    t = rng.uniform(0, 999, size=n)
    t[:4] = [0.0, 999.0, 0.5, 998.25]
    t = torch.tensor(t, dtype=torch.float32)
    labels = torch.tensor(np.arange(n) % 11, dtype=torch.int64)
    a, s = T.noise_coefficients(t)
    eps = torch.from_numpy(rng.standard_normal((n, 1, 28, 28)).astype(np.float32))
    xt = (a.float()[:, None, None, None] * x0 + s.float()[:, None, None, None] * eps).contiguous()

    with torch.no_grad():
        ref = model(xt, t, labels).numpy()
    opts = ort.SessionOptions()
    opts.intra_op_num_threads = 1
    opts.inter_op_num_threads = 1
    sess = ort.InferenceSession(os.path.join(args.dir, "unet.onnx"), opts, providers=["CPUExecutionProvider"])
    names = [i.name for i in sess.get_inputs()]
    assert names == ["sample", "timestep", "class_labels"], names
    got = sess.run(["output"], {"sample": xt.numpy(), "timestep": t.numpy(), "class_labels": labels.numpy()})[0]
    assert got.shape == ref.shape and got.dtype == np.float32

    diff = (got - ref).reshape(n, -1)
    rel = np.linalg.norm(diff, axis=1) / np.linalg.norm(ref.reshape(n, -1), axis=1)
    max_abs = float(np.abs(diff).max())
    # Batch-size independence: the first 8 alone and a single sample give the same output.
    got8 = sess.run(["output"], {"sample": xt[:8].numpy(), "timestep": t[:8].numpy(),
                                 "class_labels": labels[:8].numpy()})[0]
    got1 = sess.run(["output"], {"sample": xt[5:6].numpy(), "timestep": t[5:6].numpy(),
                                 "class_labels": labels[5:6].numpy()})[0]
    batch_abs = max(float(np.abs(got8 - got[:8]).max()), float(np.abs(got1 - got[5:6]).max()))
    # How well the network predicts the noise on this batch (a sanity check of the training, not of the export).
    mse_by_label = float(((ref - eps.numpy()) ** 2).mean())

    print(f"samples {n}, t in [{float(t.min()):.2f}, {float(t.max()):.2f}], labels 0..10")
    print(f"max relative error |eps_onnx - eps_torch|/|eps_torch|: {rel.max():.3e} (mean {rel.mean():.3e})")
    print(f"max abs error: {max_abs:.3e}; |eps_torch| max {float(np.abs(ref).max()):.3f}")
    print(f"onnx batch 8 / batch 1 vs batch 64 max abs: {batch_abs:.3e}")
    print(f"MSE(eps_torch, true eps) on this batch: {mse_by_label:.4f}")

    k = 8
    vectors = {"sample": xt[:k].contiguous(), "timestep": t[:k].contiguous(),
               "class_labels": labels[:k].contiguous(), "output": torch.from_numpy(ref[:k]).contiguous()}
    vec_path = os.path.join(args.dir, "test_vectors.safetensors")
    save_file(vectors, vec_path, metadata={
        "format": "midpoint.fashion-unet-vectors.v1", "source": "scripts/check_fashion_export.py",
        "output": "PyTorch float32 eps-hat of unet.safetensors (EMA weights), 1 thread",
        "seed": str(args.seed)})
    print(f"wrote {vec_path} ({k} inputs: sample, timestep, class_labels, output)")
    ok = rel.max() <= args.tolerance
    print("PASS" if ok else f"FAIL: relative error above {args.tolerance}")
    if args.samples:
        draw_samples(model, args)
    sys.exit(0 if ok else 1)


def write_png(path, gray_u8):
    """A grayscale 8-bit PNG (no dependency beyond zlib)."""
    h, w = gray_u8.shape
    raw = b"".join(b"\x00" + gray_u8[r].tobytes() for r in range(h))

    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    with open(path, "wb") as f:
        f.write(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 8, 0, 0, 0, 0))
                + chunk(b"IDAT", zlib.compress(raw, 9)) + chunk(b"IEND", b""))


def draw_samples(model, args):
    import time
    start = time.time()
    torch.manual_seed(args.seed)
    k = args.samples
    labels = torch.arange(10).repeat_interleave(k)
    n = len(labels)
    x = torch.randn(n, 1, 28, 28)
    ts = np.linspace(999, 0, args.ddim_steps).round()
    null = torch.full((n,), T.NULL_LABEL, dtype=torch.int64)
    with torch.no_grad():
        for i, t in enumerate(ts):
            la = float(T.LOG_ALPHA_BAR[int(t)])
            la_prev = float(T.LOG_ALPHA_BAR[int(ts[i + 1])]) if i + 1 < len(ts) else 0.0
            tt = torch.full((n,), float(t))
            e = model(torch.cat([x, x]), torch.cat([tt, tt]), torch.cat([labels, null]))
            e_c, e_u = e[:n], e[n:]
            eps = e_u + args.guidance * (e_c - e_u)
            # No clipping of x̂₀: clipping it while re-noising with the unclipped ε̂ washes the images out.
            x0 = (x - np.sqrt(-np.expm1(la)) * eps) / np.exp(0.5 * la)
            x = np.exp(0.5 * la_prev) * x0 + np.sqrt(-np.expm1(la_prev)) * eps
    x = x.clamp(-1, 1)
    pad = 2
    grid = np.full((10 * (28 + pad) + pad, k * (28 + pad) + pad), 255, dtype=np.uint8)
    img = ((x.numpy()[:, 0] + 1) * 127.5).round().clip(0, 255).astype(np.uint8)
    for j in range(n):
        r, c = divmod(j, k)
        grid[pad + r * (28 + pad): pad + r * (28 + pad) + 28, pad + c * (28 + pad): pad + c * (28 + pad) + 28] = img[j]
    png = args.png or os.path.join(args.dir, "samples.png")
    write_png(png, grid)
    print(f"drew {n} samples ({k} per class, DDIM {args.ddim_steps} steps, guidance {args.guidance}) "
          f"in {time.time() - start:.0f} s; wrote {png}")
    cls_path = os.path.join(args.dir, "classifier.safetensors")
    if os.path.exists(cls_path):
        from safetensors.torch import load_file
        from train_fashion_classifier import MLPClassifier
        clf = MLPClassifier()
        clf.load_state_dict(load_file(cls_path))
        clf.eval()
        with torch.no_grad():
            pred = clf(x).argmax(1)
        agree = (pred == labels).float()
        per_class = " ".join(f"{float(agree[labels == c].mean()):.2f}" for c in range(10))
        print(f"classifier agrees with the conditioning label on {float(agree.mean()):.3f} of the samples "
              f"(per class 0..9: {per_class})")


if __name__ == "__main__":
    main()
