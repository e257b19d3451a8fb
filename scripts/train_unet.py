"""Train a small class-conditional ε-prediction UNet on Fashion-MNIST and export it for Midpoint
(ONNX opset 17, safetensors with the EMA weights, a draft model card).

Forward process (DDPM, linear β): β_k = β_start + (β_end - β_start)·k/999 for k = 0..999,
ln ᾱ_k = Σ_{i≤k} ln(1 - β_i). The network's time input is a FRACTIONAL step t ∈ [0, 999]; for fractional t,
ln ᾱ(t) is the linear interpolation of the ln ᾱ table between floor(t) and ceil(t) (Midpoint's `ddpm_index`
card time). Training draws t ~ U[0, 999] continuously, x_t = √ᾱ(t) x₀ + √(1-ᾱ(t)) ε, loss = MSE(ε̂, ε).

Inputs: sample float32 [N,1,28,28] (pixels x/127.5 - 1), timestep float32 [N], class_labels int64 [N]
(0..9 = Fashion-MNIST classes, 10 = null label for classifier-free guidance; labels are dropped to 10 with
probability 0.1 in training). Output: output float32 [N,1,28,28] = ε̂.

Network (channels C = (c0, c1, c2) at 28×28, 14×14, 7×7; E = embedding width):
    e    = [sin(t f_k), cos(t f_k)]_{k<64},  f_k = 10000^(-k/64)          (t is the raw fractional step)
    emb  = W2 SiLU(W1 e + b1) + b2 + class_embedding[label]                time.0, time.2, label
    ResBlock(h): z = conv1(SiLU(GN(h))) + Linear(SiLU(emb)); z = conv2(SiLU(GN(z))); return skip(h) + z
    Attention at 7×7: single head, GN, 1×1 qkv, softmax(qᵀk/√C), 1×1 proj, residual.
    down: conv_in → [ResBlock c0 → skip0] → conv s2 → [ResBlock c1 → skip1] → conv s2 → [ResBlock c2, Attn → skip2]
    mid:  ResBlock c2
    up:   ResBlock(cat(h, skip2)) → nearest×2 + conv → ResBlock(cat(h, skip1)) → nearest×2 + conv
          → ResBlock(cat(h, skip0)) → GN, SiLU, conv_out

Usage (1 thread; see docs/fashion/training.md):
    OMP_NUM_THREADS=1 .venv-torch/bin/python scripts/train_unet.py --budget-minutes 58
    OMP_NUM_THREADS=1 .venv-torch/bin/python scripts/train_unet.py --resume        # after an interruption
    OMP_NUM_THREADS=1 .venv-torch/bin/python scripts/train_unet.py --export-only   # from the last checkpoint
"""
import os

os.environ.setdefault("OMP_NUM_THREADS", "1")

import argparse
import gzip
import json
import math
import time

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

DATA_DIR = "/usr/share/datasets/fashion-mnist"
CLASS_NAMES = ["T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag",
               "Ankle boot"]
NULL_LABEL = 10
STEPS, BETA_START, BETA_END = 1000, 1e-4, 0.02


# ---------------------------------------------------------------------------------------------- data

def read_idx(path):
    """An idx file (gzip): magic (2 zero bytes, dtype 0x08 = uint8, rank), big-endian dims, then the data."""
    with gzip.open(path, "rb") as f:
        raw = f.read()
    if raw[0] != 0 or raw[1] != 0 or raw[2] != 8:
        raise ValueError(f"{path}: not an unsigned-byte idx file")
    rank = raw[3]
    dims = [int.from_bytes(raw[4 + 4 * i: 8 + 4 * i], "big") for i in range(rank)]
    data = np.frombuffer(raw, dtype=np.uint8, offset=4 + 4 * rank)
    if data.size != int(np.prod(dims)):
        raise ValueError(f"{path}: {data.size} bytes of data for dims {dims}")
    return data.reshape(dims)


def load_fashion(split, data_dir=DATA_DIR):
    """Images uint8 [N,28,28] and labels uint8 [N] of 'train' (60,000) or 't10k' (10,000)."""
    images = read_idx(os.path.join(data_dir, f"{split}-images-idx3-ubyte.gz"))
    labels = read_idx(os.path.join(data_dir, f"{split}-labels-idx1-ubyte.gz"))
    assert images.shape[0] == labels.shape[0]
    return images, labels


def to_model_range(images_u8):
    """uint8 pixels → float32 in [-1, 1] (x/127.5 - 1), with a channel axis: [N,1,28,28]."""
    return torch.from_numpy(images_u8.astype(np.float32) / 127.5 - 1.0).unsqueeze(1)


# ---------------------------------------------------------------------------------------------- schedule

def log_alpha_bar_table():
    """ln ᾱ_k for k = 0..999 in float64."""
    k = np.arange(STEPS, dtype=np.float64)
    betas = BETA_START + (BETA_END - BETA_START) * k / (STEPS - 1)
    return np.cumsum(np.log1p(-betas))


LOG_ALPHA_BAR = torch.from_numpy(log_alpha_bar_table())


def log_alpha_bar(t):
    """ln ᾱ(t) at fractional steps t ∈ [0, 999] (any float tensor): linear interpolation of the table, float64."""
    t = t.to(torch.float64).clamp(0, STEPS - 1)
    lo = torch.floor(t)
    w = t - lo
    lo_i = lo.long()
    hi_i = torch.clamp(lo_i + 1, max=STEPS - 1)
    return LOG_ALPHA_BAR[lo_i] * (1 - w) + LOG_ALPHA_BAR[hi_i] * w


def noise_coefficients(t):
    """(√ᾱ(t), √(1-ᾱ(t))) in float64."""
    la = log_alpha_bar(t)
    return torch.exp(0.5 * la), torch.sqrt(-torch.expm1(la))


# ---------------------------------------------------------------------------------------------- network

class ResBlock(nn.Module):
    def __init__(self, cin, cout, emb):
        super().__init__()
        self.norm1 = nn.GroupNorm(8, cin)
        self.conv1 = nn.Conv2d(cin, cout, 3, padding=1)
        self.emb = nn.Linear(emb, cout)
        self.norm2 = nn.GroupNorm(8, cout)
        self.conv2 = nn.Conv2d(cout, cout, 3, padding=1)
        self.skip = nn.Conv2d(cin, cout, 1) if cin != cout else nn.Identity()

    def forward(self, h, emb_act):
        z = self.conv1(F.silu(self.norm1(h)))
        z = z + self.emb(emb_act)[:, :, None, None]
        z = self.conv2(F.silu(self.norm2(z)))
        return self.skip(h) + z


class Attention(nn.Module):
    """Single-head self-attention over the H·W positions, written with matmul/softmax only (exports to any opset)."""

    def __init__(self, c):
        super().__init__()
        self.norm = nn.GroupNorm(8, c)
        self.qkv = nn.Conv2d(c, 3 * c, 1)
        self.proj = nn.Conv2d(c, c, 1)
        self.scale = 1.0 / math.sqrt(c)

    def forward(self, h):
        n, c, hh, ww = h.shape
        q, k, v = self.qkv(self.norm(h)).reshape(n, 3, c, hh * ww).unbind(1)
        weights = torch.softmax(torch.matmul(q.transpose(1, 2), k) * self.scale, dim=-1)  # [n, P, P]
        out = torch.matmul(v, weights.transpose(1, 2)).reshape(n, c, hh, ww)
        return h + self.proj(out)


class FashionUNet(nn.Module):
    def __init__(self, channels=(16, 32, 64), emb=128, freq=128, classes=10):
        super().__init__()
        c0, c1, c2 = channels
        self.channels, self.emb_dim, self.freq, self.classes = tuple(channels), emb, freq, classes
        self.time = nn.Sequential(nn.Linear(freq, emb), nn.SiLU(), nn.Linear(emb, emb))
        self.label = nn.Embedding(classes + 1, emb)
        self.conv_in = nn.Conv2d(1, c0, 3, padding=1)
        self.down0 = ResBlock(c0, c0, emb)
        self.pool0 = nn.Conv2d(c0, c0, 3, stride=2, padding=1)
        self.down1 = ResBlock(c0, c1, emb)
        self.pool1 = nn.Conv2d(c1, c1, 3, stride=2, padding=1)
        self.down2 = ResBlock(c1, c2, emb)
        self.attn_down = Attention(c2)
        self.mid = ResBlock(c2, c2, emb)
        self.up2 = ResBlock(2 * c2, c2, emb)
        self.unpool2 = nn.Conv2d(c2, c1, 3, padding=1)
        self.up1 = ResBlock(2 * c1, c1, emb)
        self.unpool1 = nn.Conv2d(c1, c0, 3, padding=1)
        self.up0 = ResBlock(2 * c0, c0, emb)
        self.norm_out = nn.GroupNorm(8, c0)
        self.conv_out = nn.Conv2d(c0, 1, 3, padding=1)
        half = freq // 2
        self.register_buffer("freqs", torch.exp(-math.log(10000.0) * torch.arange(half, dtype=torch.float32) / half),
                             persistent=False)

    def config(self):
        return {"channels": list(self.channels), "emb": self.emb_dim, "freq": self.freq, "classes": self.classes}

    def forward(self, sample, timestep, class_labels):
        args = timestep[:, None] * self.freqs[None, :]
        e = torch.cat([torch.sin(args), torch.cos(args)], dim=1)
        emb = F.silu(self.time(e) + self.label(class_labels))
        h = self.conv_in(sample)
        s0 = self.down0(h, emb)
        s1 = self.down1(self.pool0(s0), emb)
        s2 = self.attn_down(self.down2(self.pool1(s1), emb))
        h = self.mid(s2, emb)
        h = self.up2(torch.cat([h, s2], dim=1), emb)
        h = self.unpool2(F.interpolate(h, scale_factor=2.0, mode="nearest"))
        h = self.up1(torch.cat([h, s1], dim=1), emb)
        h = self.unpool1(F.interpolate(h, scale_factor=2.0, mode="nearest"))
        h = self.up0(torch.cat([h, s0], dim=1), emb)
        return self.conv_out(F.silu(self.norm_out(h)))


def count_flops(model):
    """FLOPs of one sample's forward counted by PyTorch's FlopCounterMode (conv/linear/matmul, 2 per MAC;
    elementwise ops, norms and softmax are not counted)."""
    from torch.utils.flop_counter import FlopCounterMode
    x = torch.zeros(1, 1, 28, 28)
    with torch.no_grad(), FlopCounterMode(display=False) as counter:
        model(x, torch.tensor([500.0]), torch.tensor([3]))
    return counter.get_total_flops()


def build_model(config=None):
    config = config or {}
    return FashionUNet(channels=tuple(config.get("channels", (16, 32, 64))), emb=config.get("emb", 128),
                       freq=config.get("freq", 128), classes=config.get("classes", 10))


# ---------------------------------------------------------------------------------------------- export

def export(model, out_dir, info):
    from safetensors.torch import save_file
    os.makedirs(out_dir, exist_ok=True)
    model = model.eval().float()
    tensors = {k: v.detach().contiguous().clone() for k, v in model.state_dict().items()}
    metadata = {"format": "midpoint.fashion-unet.v1", "config": json.dumps(model.config()),
                "class_names": json.dumps(CLASS_NAMES), "null_label": str(NULL_LABEL),
                "weights": "EMA", "training": json.dumps(info)}
    save_file(tensors, os.path.join(out_dir, "unet.safetensors"), metadata=metadata)

    n = 2
    example = (torch.zeros(n, 1, 28, 28), torch.full((n,), 500.0), torch.zeros(n, dtype=torch.long))
    onnx_path = os.path.join(out_dir, "unet.onnx")
    batch = torch.export.Dim("batch", min=1, max=4096)
    torch.onnx.export(model, example, onnx_path, input_names=["sample", "timestep", "class_labels"],
                      output_names=["output"], opset_version=17, dynamo=True, external_data=False,
                      dynamic_shapes={"sample": {0: batch}, "timestep": {0: batch}, "class_labels": {0: batch}})
    card = {
        "name": "fashion",
        "description": ("Class-conditional epsilon-prediction UNet for Fashion-MNIST 28x28 "
                        f"({info['parameters']:,} parameters, {info['steps']} steps, EMA weights); "
                        "class_labels 0-9 as in Fashion-MNIST, 10 = unconditional (trained with 10% label "
                        "dropout for classifier-free guidance). Trained by scripts/train_unet.py."),
        "prediction": "epsilon",
        "time": {"kind": "ddpm_index", "steps": STEPS, "beta_start": BETA_START, "beta_end": BETA_END},
        "sample_shape": [1, 28, 28],
        "dtype": "FP32",
        "data_range": [-1, 1],
        "tensors": {"sample": "sample", "time": "timestep", "output": "output"},
        "class_input": {"name": "class_labels", "datatype": "INT64", "classes": 10, "null": NULL_LABEL},
    }
    with open(os.path.join(out_dir, "fashion.card.json"), "w") as f:
        # One top-level field per line, values compact.
        lines = [f"  {json.dumps(k)}: {json.dumps(v, ensure_ascii=False)}" for k, v in card.items()]
        f.write("{\n" + ",\n".join(lines) + "\n}\n")
    print(f"exported {out_dir}/unet.safetensors, unet.onnx, fashion.card.json", flush=True)


# ---------------------------------------------------------------------------------------------- training

class Logger:
    def __init__(self, path, append):
        self.f = open(path, "a" if append else "w")

    def __call__(self, line):
        print(line, flush=True)
        self.f.write(line + "\n")
        self.f.flush()


def lr_at(step, total, base, warmup):
    if step < warmup:
        return base * (step + 1) / warmup
    progress = min(1.0, (step - warmup) / max(1, total - warmup))
    return base * (0.05 + 0.95 * 0.5 * (1 + math.cos(math.pi * progress)))


def save_checkpoint(path, state):
    tmp = path + ".tmp"
    torch.save(state, tmp)
    os.replace(tmp, path)


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--out", default="models/fashion")
    p.add_argument("--work", default=None, help="checkpoint folder (default OUT/work)")
    p.add_argument("--log", default=None, help="default OUT/train_unet.log")
    p.add_argument("--budget-minutes", type=float, default=62.0,
                   help="wall time for the training loop; the step count is chosen from the measured s/step")
    p.add_argument("--steps", type=int, default=0, help="fixed number of steps (overrides the budget)")
    p.add_argument("--measure-steps", type=int, default=20)
    p.add_argument("--batch", type=int, default=128)
    p.add_argument("--lr", type=float, default=2e-3)
    p.add_argument("--warmup", type=int, default=200)
    p.add_argument("--ema", type=float, default=0.999)
    p.add_argument("--label-dropout", type=float, default=0.1)
    p.add_argument("--channels", default="16,32,64")
    p.add_argument("--seed", type=int, default=20)
    p.add_argument("--checkpoint-minutes", type=float, default=10.0)
    p.add_argument("--threads", type=int, default=1)
    p.add_argument("--resume", action="store_true")
    p.add_argument("--export-only", action="store_true")
    args = p.parse_args()

    torch.set_num_threads(args.threads)
    torch.set_num_interop_threads(1)
    work = args.work or os.path.join(args.out, "work")
    log_path = args.log or os.path.join(args.out, "train_unet.log")
    ckpt_path = os.path.join(work, "checkpoint.pt")
    os.makedirs(work, exist_ok=True)
    os.makedirs(args.out, exist_ok=True)

    config = {"channels": [int(c) for c in args.channels.split(",")], "emb": 128, "freq": 128, "classes": 10}
    if args.export_only:
        state = torch.load(ckpt_path, weights_only=False)
        model = build_model(state["config"])
        model.load_state_dict(state["ema"])
        export(model, args.out, state["info"])
        return

    torch.manual_seed(args.seed)
    np.random.seed(args.seed)
    rng = np.random.default_rng(args.seed)
    model = build_model(config)
    ema = build_model(config)
    ema.load_state_dict(model.state_dict())
    ema.requires_grad_(False)
    opt = torch.optim.AdamW(model.parameters(), lr=args.lr, weight_decay=1e-4)
    n_params = sum(p.numel() for p in model.parameters())
    flops = count_flops(model)

    images, labels = load_fashion("train")
    x_all = to_model_range(images)
    y_all = torch.from_numpy(labels.astype(np.int64))
    n_data = x_all.shape[0]

    step, total_steps, sec_per_step = 0, args.steps, None
    loss_sum, loss_n, perm, perm_pos = 0.0, 0, rng.permutation(n_data), 0
    elapsed_before = 0.0
    log = Logger(log_path, append=args.resume)
    if args.resume:
        state = torch.load(ckpt_path, weights_only=False)
        model.load_state_dict(state["model"])
        ema.load_state_dict(state["ema"])
        opt.load_state_dict(state["opt"])
        step, total_steps, sec_per_step = state["step"], state["total_steps"], state["sec_per_step"]
        loss_sum, loss_n, perm, perm_pos = state["loss_sum"], state["loss_n"], state["perm"], state["perm_pos"]
        rng.bit_generator.state = state["np_rng"]
        torch.set_rng_state(state["torch_rng"])
        elapsed_before = state["elapsed"]
        log(f"# resumed at step {step} of {total_steps} ({elapsed_before:.0f} s trained before)")
    else:
        log(f"# scripts/train_unet.py  torch {torch.__version__}  threads {torch.get_num_threads()}  seed {args.seed}")
        log(f"# channels {config['channels']}  parameters {n_params}  forward FLOPs/sample {flops} "
            f"({flops / 1e6:.1f} MFLOP, conv/linear/matmul counted)")
        log(f"# batch {args.batch}  AdamW lr {args.lr} wd 1e-4, warm-up {args.warmup}, cosine to 5%  "
            f"EMA {args.ema} (warm-up corrected)  label dropout {args.label_dropout}  grad clip 1.0")
        log("# step  loss(mean since last line)  lr  elapsed_s")

    def checkpoint(elapsed):
        save_checkpoint(ckpt_path, {
            "model": model.state_dict(), "ema": ema.state_dict(), "opt": opt.state_dict(), "config": config,
            "step": step, "total_steps": total_steps, "sec_per_step": sec_per_step, "loss_sum": loss_sum,
            "loss_n": loss_n, "perm": perm, "perm_pos": perm_pos, "np_rng": rng.bit_generator.state,
            "torch_rng": torch.get_rng_state(), "elapsed": elapsed,
            "info": {"steps": step, "parameters": n_params, "flops_per_sample": flops, "batch": args.batch,
                     "seed": args.seed, "sec_per_step": sec_per_step, "train_seconds": round(elapsed),
                     "final_loss": last_logged_loss}})

    start = time.time()
    last_ckpt = start
    measure_start, measure_from = None, None
    log_every = max(10, (total_steps or 4000) // 250)
    last_logged_loss = None
    model.train()
    while True:
        if total_steps and step >= total_steps:
            break
        if perm_pos + args.batch > n_data:
            perm, perm_pos = rng.permutation(n_data), 0
        idx = torch.from_numpy(perm[perm_pos: perm_pos + args.batch])
        perm_pos += args.batch
        x0, y = x_all[idx], y_all[idx].clone()
        drop = torch.rand(args.batch) < args.label_dropout
        y[drop] = NULL_LABEL
        t = torch.rand(args.batch) * (STEPS - 1)
        a, s = noise_coefficients(t)
        eps = torch.randn_like(x0)
        xt = a.float()[:, None, None, None] * x0 + s.float()[:, None, None, None] * eps
        for g in opt.param_groups:
            g["lr"] = lr_at(step, total_steps or 10 ** 9, args.lr, args.warmup)
        loss = F.mse_loss(model(xt, t, y), eps)
        opt.zero_grad(set_to_none=True)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        opt.step()
        with torch.no_grad():
            decay = min(args.ema, (1 + step) / (10 + step))
            for pe, pm in zip(ema.parameters(), model.parameters()):
                pe.mul_(decay).add_(pm, alpha=1 - decay)
        step += 1
        loss_sum += loss.item()
        loss_n += 1

        if not total_steps:
            # Measure s/step over --measure-steps steps after 3 warm-up steps, then fix the step count.
            if step == 3:
                measure_start, measure_from = time.time(), step
            elif measure_start is not None and step == measure_from + args.measure_steps:
                sec_per_step = (time.time() - measure_start) / args.measure_steps
                remaining = args.budget_minutes * 60 - (time.time() - start)
                total_steps = step + int(0.92 * remaining / sec_per_step)  # 8% for checkpoints and noise
                log_every = max(10, total_steps // 250)
                log(f"# measured {sec_per_step:.3f} s/step over {args.measure_steps} steps; "
                    f"budget {args.budget_minutes} min → {total_steps} steps")
        if step % log_every == 0 or step == total_steps:
            last_logged_loss = loss_sum / loss_n
            lr = opt.param_groups[0]["lr"]
            log(f"{step} {last_logged_loss:.5f} {lr:.2e} {elapsed_before + time.time() - start:.0f}")
            loss_sum, loss_n = 0.0, 0
        if time.time() - last_ckpt > args.checkpoint_minutes * 60:
            checkpoint(elapsed_before + time.time() - start)
            last_ckpt = time.time()

    elapsed = elapsed_before + time.time() - start
    if sec_per_step is None:
        sec_per_step = elapsed / max(1, step)
    log(f"# done: {step} steps in {elapsed:.0f} s ({elapsed / max(1, step):.3f} s/step overall), "
        f"final logged loss {last_logged_loss:.5f}")
    checkpoint(elapsed)
    ema.eval()
    info = {"steps": step, "parameters": n_params, "flops_per_sample": flops, "batch": args.batch,
            "seed": args.seed, "sec_per_step": round(sec_per_step, 4), "train_seconds": round(elapsed),
            "final_loss": round(last_logged_loss, 5)}
    export(ema, args.out, info)


if __name__ == "__main__":
    main()
