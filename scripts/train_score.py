"""Train an ε-prediction MLP score network for Midpoint on a CSV dataset and write it as .safetensors,
with test vectors that Midpoint's Swift implementation must reproduce.

The forward process is Midpoint's Ornstein–Uhlenbeck process in its own time τ:
    X_τ = α X₀ + σ Z,  α = e^{-τ},  σ² = 1 - e^{-2τ},  λ = log(α/σ)  (log signal-to-noise ratio).
Training minimizes E‖ε̂(X_τ, τ) - Z‖² with λ drawn uniformly from [LAMBDA_MIN, LAMBDA_MAX]; the score is
s = -ε̂/σ. The network (MidpointNetworks.MLPScoreNetwork documents the same thing on the Swift side):

    e   = [sin(f_k u), cos(f_k u)]_{k<E/2},  u = time_scale·λ(τ),  f_k = max_period^(-k/(E/2))
    t   = SiLU(W_t e + b_t)                                       time.weight (W×E), time.bias
    h   = W_in x + b_in + t                                       input.weight (W×d), input.bias
    for each block i:  z = W_i1 SiLU(h) + b_i1 + U_i t            blocks.i.linear1.*, blocks.i.time.weight
                       h = [h +] W_i2 SiLU(z) + b_i2              blocks.i.linear2.*  (skip if residual)
    ε̂   = W_out SiLU(h) + b_out                                   output.weight (d×W), output.bias

The embedding is computed in float64 and rounded to the network's dtype: in float32, sin of an argument
near 10³ loses five digits, which would make the two implementations disagree for a reason that has
nothing to do with the network.

Usage (CPU is enough; CI never runs this):
    pip install torch numpy safetensors
    python3 scripts/train_score.py --data ring2d --name ring2d --width 128 --blocks 2 --steps 6000 \
        --out Sources/MidpointNetworks/Resources/ring2d.safetensors \
        --test-vectors Tests/MidpointNetworksTests/Fixtures/ring2d-vectors.safetensors
    python3 scripts/train_score.py --data Sources/MidpointNetworks/Resources/digits.csv --ignore label \
        --scale 0.125 --shift -1 --image-shape 8,8 --holdout-every 6 --name digits --width 256 --blocks 3 \
        --steps 20000 --threads 2 --out Sources/MidpointNetworks/Resources/digits.safetensors \
        --test-vectors Tests/MidpointNetworksTests/Fixtures/digits-vectors.safetensors
"""
import argparse
import csv
import math
import time

import numpy as np
import torch
from safetensors.numpy import save_file

LAMBDA_MIN, LAMBDA_MAX = -10.0, 6.0
FORMAT = "midpoint.mlp-score.v1"


def log_snr(tau):
    """λ(τ) = -τ - ½ log(1 - e^{-2τ}), float64, stable for small τ."""
    return -tau - 0.5 * torch.log(-torch.expm1(-2 * tau))


def tau_of_log_snr(lam):
    """τ(λ) = ½ log(1 + e^{-2λ})."""
    return 0.5 * torch.log1p(torch.exp(-2 * lam))


class MLPScore(torch.nn.Module):
    def __init__(self, dim, width, blocks, embedding, residual, time_scale, max_period):
        super().__init__()
        self.dim, self.embedding, self.residual = dim, embedding, residual
        self.time_scale, self.max_period = time_scale, max_period
        self.time = torch.nn.Linear(embedding, width)
        self.input = torch.nn.Linear(dim, width)
        self.blocks = torch.nn.ModuleList()
        for _ in range(blocks):
            block = torch.nn.Module()
            block.linear1 = torch.nn.Linear(width, width)
            block.time = torch.nn.Linear(width, width, bias=False)
            block.linear2 = torch.nn.Linear(width, width)
            self.blocks.append(block)
        self.output = torch.nn.Linear(width, dim)

    def embed(self, tau):
        half = self.embedding // 2
        k = torch.arange(half, dtype=torch.float64)
        freqs = torch.exp(-math.log(self.max_period) * k / half)
        u = self.time_scale * log_snr(tau.to(torch.float64))
        args = u[:, None] * freqs[None, :]
        return torch.cat([torch.sin(args), torch.cos(args)], dim=1)

    def forward(self, x, tau):
        act = torch.nn.functional.silu
        e = self.embed(tau).to(x.dtype)
        t = act(self.time(e))
        h = self.input(x) + t
        for block in self.blocks:
            z = block.linear1(act(h)) + block.time(t)
            update = block.linear2(act(z))
            h = h + update if self.residual else update
        return self.output(act(h))


def load_data(args):
    if args.data == "ring2d":
        # Midpoint's built-in ring2d: 8 equal Gaussians, variance 0.05, means on the circle of radius 2.
        rng = np.random.default_rng(args.seed)
        k = rng.integers(0, 8, size=args.ring_samples)
        angle = 2 * np.pi * k / 8
        means = np.stack([2 * np.cos(angle), 2 * np.sin(angle)], axis=1)
        return means + math.sqrt(0.05) * rng.standard_normal((args.ring_samples, 2)), None
    with open(args.data, newline="") as f:
        rows = list(csv.reader(f))
    header, body = rows[0], rows[1:]
    keep = [j for j, name in enumerate(header) if name not in set(args.ignore)]
    data = np.array([[float(r[j]) for j in keep] for r in body]) * args.scale + args.shift
    if args.holdout_every:
        index = np.arange(len(data))
        return data[index % args.holdout_every != 0], data[index % args.holdout_every == 0]
    return data, None


def train(model, data, args):
    torch.manual_seed(args.seed)
    x0_all = torch.tensor(data, dtype=torch.float32)
    ema = {k: v.detach().clone() for k, v in model.state_dict().items()}
    opt = torch.optim.AdamW(model.parameters(), lr=args.lr, weight_decay=0.0)
    sched = torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=args.lr, total_steps=args.steps, pct_start=0.05)
    start = time.time()
    for step in range(args.steps):
        idx = torch.randint(0, len(x0_all), (args.batch,))
        x0 = x0_all[idx]
        lam = LAMBDA_MIN + (LAMBDA_MAX - LAMBDA_MIN) * torch.rand(args.batch, dtype=torch.float64)
        tau = tau_of_log_snr(lam)
        alpha = torch.exp(-tau).float()[:, None]
        sigma = torch.sqrt(-torch.expm1(-2 * tau)).float()[:, None]
        noise = torch.randn_like(x0)
        loss = ((model(alpha * x0 + sigma * noise, tau) - noise) ** 2).mean()
        opt.zero_grad()
        loss.backward()
        opt.step()
        sched.step()
        with torch.no_grad():
            decay = min(args.ema, (1 + step) / (10 + step))
            for k, v in model.state_dict().items():
                ema[k].mul_(decay).add_(v.detach(), alpha=1 - decay)
        if step % 1000 == 0 or step == args.steps - 1:
            print(f"step {step:6d}  loss {loss.item():.4f}  {time.time() - start:6.1f}s", flush=True)
    model.load_state_dict(ema)


def test_vectors(model, data, args):
    """Inputs across the whole time range (noised data and pure noise) and the network's ε̂ in float32
    (PyTorch's own arithmetic) and in float64 (the same float32 weights, promoted)."""
    rng = np.random.default_rng(args.seed + 1)
    n = 24
    tau = np.exp(np.linspace(math.log(1e-3), math.log(8.0), n))
    x0 = data[rng.integers(0, len(data), size=n)]
    x = np.exp(-tau)[:, None] * x0 + np.sqrt(-np.expm1(-2 * tau))[:, None] * rng.standard_normal(x0.shape)
    x[-4:] = rng.standard_normal((4, x.shape[1])) * 3  # far from the data too
    tau_t = torch.tensor(tau, dtype=torch.float64)
    with torch.no_grad():
        eps32 = model(torch.tensor(x, dtype=torch.float32), tau_t).numpy().astype(np.float64)
        eps64 = model.double()(torch.tensor(x, dtype=torch.float64), tau_t).numpy()
        model.float()
    return {"x": x, "tau": tau, "eps_f32": eps32, "eps_f64": eps64}


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--data", required=True, help="CSV file with a header row, or 'ring2d' to synthesize it")
    p.add_argument("--ignore", nargs="*", default=[], help="CSV columns to leave out (labels)")
    p.add_argument("--scale", type=float, default=1.0, help="model coordinates = value·scale + shift")
    p.add_argument("--shift", type=float, default=0.0)
    p.add_argument("--holdout-every", type=int, default=0, help="hold out rows whose index is divisible by this")
    p.add_argument("--image-shape", default="", help="rows,columns when samples are images")
    p.add_argument("--ring-samples", type=int, default=20000)
    p.add_argument("--name", required=True)
    p.add_argument("--width", type=int, default=256)
    p.add_argument("--blocks", type=int, default=3)
    p.add_argument("--embedding", type=int, default=128)
    p.add_argument("--no-residual", action="store_true")
    p.add_argument("--time-scale", type=float, default=100.0)
    p.add_argument("--max-period", type=float, default=10000.0)
    p.add_argument("--steps", type=int, default=20000)
    p.add_argument("--batch", type=int, default=512)
    p.add_argument("--lr", type=float, default=2e-3)
    p.add_argument("--ema", type=float, default=0.999)
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--threads", type=int, default=0)
    p.add_argument("--out", required=True)
    p.add_argument("--test-vectors", required=True)
    args = p.parse_args()
    if args.threads:
        torch.set_num_threads(args.threads)

    train_data, held_out = load_data(args)
    torch.manual_seed(args.seed)
    model = MLPScore(train_data.shape[1], args.width, args.blocks, args.embedding, not args.no_residual,
                     args.time_scale, args.max_period)
    train(model, train_data, args)

    metadata = {
        "format": FORMAT, "name": args.name, "prediction": "epsilon", "activation": "silu",
        "dimension": str(train_data.shape[1]), "width": str(args.width), "blocks": str(args.blocks),
        "residual": "false" if args.no_residual else "true", "embedding": str(args.embedding),
        "time_input": "log_snr", "time_scale": repr(args.time_scale), "max_period": repr(args.max_period),
        "data_scale": repr(args.scale), "data_shift": repr(args.shift),
        "training": f"{args.steps} steps, batch {args.batch}, AdamW lr {args.lr} one-cycle, EMA {args.ema}, "
                    f"seed {args.seed}, λ ~ U[{LAMBDA_MIN}, {LAMBDA_MAX}], torch {torch.__version__}",
    }
    if args.image_shape:
        metadata["image_shape"] = args.image_shape
        # The value range of the training images in model coordinates: white to black in pictures.
        metadata["display_range"] = f"{float(train_data.min())!r},{float(train_data.max())!r}"
    if args.holdout_every:
        metadata["holdout_every"] = str(args.holdout_every)
    weights = {k: v.detach().numpy().astype(np.float32) for k, v in model.state_dict().items()}
    save_file(weights, args.out, metadata=metadata)
    save_file(test_vectors(model, train_data, args), args.test_vectors, metadata={"model": args.name})
    print(f"wrote {args.out} ({sum(w.size for w in weights.values())} parameters) and {args.test_vectors}")
    if held_out is not None:
        print(f"held out {len(held_out)} of {len(held_out) + len(train_data)} rows")


if __name__ == "__main__":
    main()
