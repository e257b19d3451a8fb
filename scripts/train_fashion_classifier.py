"""Train a small Fashion-MNIST MLP classifier whose penultimate activations serve as the feature network for
FID-like metrics in Midpoint, and export it as safetensors with test vectors.

Network (pixels x ∈ [-1, 1]^784, x/127.5 - 1, row-major 28×28 flattened; every layer is y = W·x + b with W
stored row-major [out, in]):
    h1 = ReLU(layers.0.weight · x  + layers.0.bias)     [512, 784], [512]
    h2 = ReLU(layers.1.weight · h1 + layers.1.bias)     [256, 512], [256]   ← features (256-d, after the ReLU)
    logits = layers.2.weight · h2 + layers.2.bias       [10, 256],  [10]
Dropout (training only) after each ReLU; cross-entropy with label smoothing 0.1; AdamW, cosine decay.

Usage (1 thread; see docs/fashion/training.md):
    OMP_NUM_THREADS=1 .venv-torch/bin/python scripts/train_fashion_classifier.py
"""
import os

os.environ.setdefault("OMP_NUM_THREADS", "1")

import argparse
import math
import sys
import time

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from train_unet import CLASS_NAMES, load_fashion  # noqa: E402


class MLPClassifier(nn.Module):
    def __init__(self, sizes=(784, 512, 256, 10), dropout=0.2):
        super().__init__()
        self.layers = nn.ModuleList(nn.Linear(a, b) for a, b in zip(sizes[:-1], sizes[1:]))
        self.dropout = dropout

    def features(self, x):
        h = x.reshape(x.shape[0], -1)
        for layer in self.layers[:-1]:
            h = F.dropout(F.relu(layer(h)), self.dropout, self.training)
        return h

    def forward(self, x):
        return self.layers[-1](self.features(x))


def pixels(images_u8):
    return torch.from_numpy(images_u8.reshape(len(images_u8), -1).astype(np.float32) / 127.5 - 1.0)


def accuracy(model, x, y):
    model.eval()
    with torch.no_grad():
        pred = torch.cat([model(x[i:i + 2000]).argmax(1) for i in range(0, len(x), 2000)])
    return float((pred == y).float().mean())


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--out", default="models/fashion")
    p.add_argument("--epochs", type=int, default=30)
    p.add_argument("--batch", type=int, default=128)
    p.add_argument("--lr", type=float, default=1e-3)
    p.add_argument("--weight-decay", type=float, default=1e-4)
    p.add_argument("--dropout", type=float, default=0.2)
    p.add_argument("--label-smoothing", type=float, default=0.1)
    p.add_argument("--seed", type=int, default=3)
    p.add_argument("--vectors", type=int, default=16)
    args = p.parse_args()
    torch.set_num_threads(1)
    torch.set_num_interop_threads(1)
    torch.manual_seed(args.seed)
    np.random.seed(args.seed)
    rng = np.random.default_rng(args.seed)

    train_u8, train_y = load_fashion("train")
    test_u8, test_y = load_fashion("t10k")
    x_train, y_train = pixels(train_u8), torch.from_numpy(train_y.astype(np.int64))
    x_test, y_test = pixels(test_u8), torch.from_numpy(test_y.astype(np.int64))

    model = MLPClassifier(dropout=args.dropout)
    opt = torch.optim.AdamW(model.parameters(), lr=args.lr, weight_decay=args.weight_decay)
    steps_per_epoch = len(x_train) // args.batch
    total = steps_per_epoch * args.epochs
    n_params = sum(q.numel() for q in model.parameters())
    log_path = os.path.join(args.out, "train_classifier.log")
    os.makedirs(args.out, exist_ok=True)
    log_file = open(log_path, "w")

    def log(line):
        print(line, flush=True)
        log_file.write(line + "\n")
        log_file.flush()

    log(f"# scripts/train_fashion_classifier.py  torch {torch.__version__}  threads {torch.get_num_threads()}  "
        f"seed {args.seed}")
    log(f"# MLP 784-512-256-10 ReLU, dropout {args.dropout}, label smoothing {args.label_smoothing}, "
        f"parameters {n_params}; AdamW lr {args.lr} wd {args.weight_decay} cosine, batch {args.batch}, "
        f"{args.epochs} epochs")
    log("# epoch  train_loss  test_accuracy  elapsed_s")
    start = time.time()
    step = 0
    for epoch in range(1, args.epochs + 1):
        model.train()
        perm = torch.from_numpy(rng.permutation(len(x_train)))
        loss_sum = 0.0
        for i in range(steps_per_epoch):
            idx = perm[i * args.batch:(i + 1) * args.batch]
            for g in opt.param_groups:
                g["lr"] = args.lr * 0.5 * (1 + math.cos(math.pi * step / total))
            loss = F.cross_entropy(model(x_train[idx]), y_train[idx], label_smoothing=args.label_smoothing)
            opt.zero_grad(set_to_none=True)
            loss.backward()
            opt.step()
            loss_sum += loss.item()
            step += 1
        log(f"{epoch} {loss_sum / steps_per_epoch:.4f} {accuracy(model, x_test, y_test):.4f} "
            f"{time.time() - start:.0f}")
    model.eval()
    test_acc = accuracy(model, x_test, y_test)
    train_acc = accuracy(model, x_train, y_train)
    log(f"# done in {time.time() - start:.0f} s: test accuracy {test_acc:.4f} (10,000 images), "
        f"train accuracy {train_acc:.4f}")

    from safetensors.torch import save_file
    meta = {"format": "midpoint.fashion-classifier.v1", "layers": "784,512,256,10", "activation": "relu",
            "convention": "y = W x + b, W row-major [out, in]; features = ReLU output of layers.1 (256)",
            "input": "28x28 pixels row-major, x/127.5 - 1 in [-1, 1]", "class_names": ",".join(CLASS_NAMES),
            "test_accuracy": f"{test_acc:.4f}", "seed": str(args.seed)}
    tensors = {k: v.detach().float().contiguous().clone() for k, v in model.state_dict().items()}
    save_file(tensors, os.path.join(args.out, "classifier.safetensors"), metadata=meta)

    # Test vectors: the first `vectors` test images, expected features and logits in float32, plus a float64
    # evaluation of the same float32 weights (what an exact re-implementation should approach).
    k = args.vectors
    x = x_test[:k]
    with torch.no_grad():
        feats, logits = model.features(x), model(x)
        m64 = MLPClassifier(dropout=0.0).double()
        m64.load_state_dict({n: v.double() for n, v in model.state_dict().items()})
        m64.eval()
        feats64, logits64 = m64.features(x.double()), m64(x.double())
    save_file({"input": x.contiguous(), "labels": y_test[:k].contiguous(), "features": feats.contiguous(),
               "logits": logits.contiguous(), "features_f64": feats64.contiguous(), "logits_f64": logits64.contiguous()},
              os.path.join(args.out, "classifier-vectors.safetensors"),
              metadata={"format": "midpoint.fashion-classifier-vectors.v1",
                        "source": "first test images of t10k; features/logits from PyTorch float32 (1 thread)"})
    log(f"# wrote {args.out}/classifier.safetensors and classifier-vectors.safetensors ({k} test images); "
        f"max |f32 - f64| features {float((feats.double() - feats64).abs().max()):.2e}")


if __name__ == "__main__":
    main()
