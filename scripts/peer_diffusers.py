#!/usr/bin/env python3
"""Peer baseline: the Fashion-MNIST ONNX UNet driven by diffusers' schedulers.

Runs the same weights as `midpoint sample` (models/fashion/unet.onnx, an ε-prediction UNet on the
DDPM linear-β schedule, β from 1e-4 to 0.02 over 1000 steps) through one of four diffusers
schedulers, so that Midpoint's samplers can be compared with diffusers' at equal NFE.

Usage (from the repository root, in the torch venv):

    .venv-torch/bin/python scripts/peer_diffusers.py --scheduler dpmpp-2m --nfe 10 \
        --particles 1000 --seed 1 --guidance 1 --classes all --out docs/fashion/peers/dpmpp-2m-nfe10-w1.npy

Schedulers and their settings. Every scheduler is built from the training schedule
(num_train_timesteps=1000, beta_schedule="linear", beta_start=0.0001, beta_end=0.02,
prediction_type="epsilon", thresholding=False); everything else is the diffusers default of the
installed version (0.42.1 when this was written), in particular its default timestep spacing:

  ddim      DDIMScheduler, clip_sample=False (the diffusers default is True: overridden, so the
            sample is never clipped), eta=0 (deterministic), set_alpha_to_one=True, steps_offset=0,
            timestep_spacing="leading" (default): timesteps (1000 // K) * [K-1, ..., 1, 0], so the
            first evaluation is at t = 1000 - 1000 // K (800 for K = 5), not at t = 999.
  dpmpp-2m  DPMSolverMultistepScheduler, algorithm_type="dpmsolver++", solver_order=2,
            solver_type="midpoint", lower_order_final=True, final_sigmas_type="zero",
            timestep_spacing="linspace" (default): round(linspace(0, 999, K + 1))[::-1][:-1].
  unipc     UniPCMultistepScheduler, default (solver_type="bh2", solver_order=2, predict_x0=True,
            corrector on every step, lower_order_final=True, final_sigmas_type="zero"),
            timestep_spacing="linspace" (default).
  deis      DEISMultistepScheduler, default (algorithm_type="deis", solver_type="logrho",
            solver_order=2, lower_order_final=True), timestep_spacing="linspace" (default). DEIS has
            no final_sigmas_type: its last step ends at the noise level of t = 0, not at σ = 0.

`--timestep-spacing` overrides the spacing (e.g. "trailing" for all four); the default keeps each
scheduler's own. The timesteps used are printed and recorded in the provenance.

NFE is counted the diffusers way: one UNet call per scheduler step, num_inference_steps = K for all
four (each takes one model evaluation per step; UniPC's corrector reuses the next step's
evaluation). With guidance w ≠ 1 the conditional and the unconditional halves go through one ONNX
call of 2·B rows, and that call still counts as one evaluation: ε = ε_u + w (ε_c − ε_u). With w = 1
only the conditional half is evaluated; with --classes none only the null label (10).

Classes: "all" gives particle p the class p mod 10 (as `midpoint sample --class all`), "K" gives
every particle class K, "none" the null label. Initial noise: one torch.Generator seeded with
--seed draws the whole N × 1 × 28 × 28 standard normal up front (so --batch does not change the
result), times scheduler.init_noise_sigma. All four schedulers are deterministic here (no noise
after the first draw). Particles run in batches of --batch rows, each with a fresh scheduler.

Output: FILE.npy, float64 N × 784 row-major in the model's [-1, 1] scale (not clipped), and
FILE.npy.json, the shard provenance `midpoint evaluate`/`merge` read:
  {"run": {...all values strings...}, "particles": N, "first_particle": 0, "count": N,
   "dimension": 784, "checksum": CRC-32 of FILE.npy}
"run" holds "class" ("all", "K" or "null"), "seed", "guidance" (as Swift prints a Double, "1.0"),
and everything else (scheduler, its config as JSON text, timesteps, NFE, timings, versions).

Paired runs: --initial FILE.npy (N × 784) replaces the torch draw, so the same starting noise can go
through `midpoint sample --initial FILE.npy` and through a diffusers scheduler.

Threads: --threads (default 1) for torch and onnxruntime's intra-op pool; inter-op 1.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import sys
import time
import zlib

import numpy as np
import onnxruntime as ort
import torch

import diffusers
from diffusers import (
    DDIMScheduler,
    DEISMultistepScheduler,
    DPMSolverMultistepScheduler,
    UniPCMultistepScheduler,
)

NULL_LABEL = 10
CLASSES = 10
SHAPE = (1, 28, 28)
DIMENSION = 28 * 28

# The training schedule, shared by every scheduler.
TRAINING = dict(
    num_train_timesteps=1000,
    beta_schedule="linear",
    beta_start=0.0001,
    beta_end=0.02,
    prediction_type="epsilon",
    thresholding=False,
)

# Per scheduler: its class and the settings set explicitly on top of TRAINING (the rest are defaults).
SCHEDULERS = {
    "ddim": (DDIMScheduler, dict(clip_sample=False)),
    "dpmpp-2m": (DPMSolverMultistepScheduler, dict(algorithm_type="dpmsolver++", solver_order=2)),
    "unipc": (UniPCMultistepScheduler, dict()),
    "deis": (DEISMultistepScheduler, dict()),
}


def build_scheduler(name: str, spacing: str | None):
    cls, extra = SCHEDULERS[name]
    settings = dict(TRAINING, **extra)
    if spacing is not None:
        settings["timestep_spacing"] = spacing
    return cls(**settings)


def scheduler_config(scheduler) -> dict:
    """The scheduler's full config as plain JSON values (diffusers keeps private keys with '_')."""
    out = {}
    for key, value in dict(scheduler.config).items():
        if key.startswith("_"):
            continue
        if isinstance(value, float) and not np.isfinite(value):
            value = str(value)
        elif isinstance(value, (list, tuple)):
            value = list(value)
        out[key] = value
    return out


def class_labels(choice: str, particles: int) -> np.ndarray:
    if choice == "all":
        return np.arange(particles, dtype=np.int64) % CLASSES
    if choice == "none":
        return np.full(particles, NULL_LABEL, dtype=np.int64)
    k = int(choice)
    return np.full(particles, k, dtype=np.int64)


def swift_double(x: float) -> str:
    """A Double as Swift's `"\\(x)"` prints it for ordinary values ("1.0", "2.5")."""
    return repr(float(x))


class GuidedEpsilon:
    """ε̂(x, t) with classifier-free guidance, one ONNX call per evaluation."""

    def __init__(self, session: ort.InferenceSession, guidance: float, conditional: bool, ceiling: float = math.inf):
        self.session = session
        self.guidance = guidance
        self.both_halves = conditional and guidance != 1.0
        self.ceiling = ceiling  # guidance only where σ/α < ceiling (midpoint's --guidance-ceiling)
        self.calls = 0
        self.onnx_seconds = 0.0

    # log ᾱ_t of the card's DDPM-linear schedule (β 1e-4 … 0.02 over 1,000 steps), built once.
    LOG_ALPHA_BAR = np.cumsum(np.log1p(-np.linspace(0.0001, 0.02, 1000)))

    @staticmethod
    def noise_to_signal(t: float) -> float:
        """σ/α = √((1 − ᾱ_t)/ᾱ_t) of the card's DDPM-linear schedule, log ᾱ interpolated between steps."""
        log_abar = GuidedEpsilon.LOG_ALPHA_BAR
        lo = min(int(math.floor(t)), 999)
        la = log_abar[lo] + (t - lo) * (log_abar[min(lo + 1, 999)] - log_abar[lo])
        return math.sqrt(math.expm1(-la))

    def __call__(self, x: torch.Tensor, t: torch.Tensor, labels: np.ndarray) -> torch.Tensor:
        rows = x.shape[0]
        sample = x.detach().to(torch.float32).contiguous().numpy()
        tvalue = float(t.item()) if t.numel() == 1 else None
        if tvalue is None:
            raise ValueError("expected a scalar timestep from the scheduler")
        both = self.both_halves and self.noise_to_signal(tvalue) < self.ceiling
        if both:
            sample = np.concatenate([sample, sample], axis=0)
            labels_in = np.concatenate([labels, np.full(rows, NULL_LABEL, dtype=np.int64)])
        else:
            labels_in = labels
        timestep = np.full(sample.shape[0], tvalue, dtype=np.float32)
        started = time.perf_counter()
        (eps,) = self.session.run(
            ["output"], {"sample": sample, "timestep": timestep, "class_labels": labels_in}
        )
        self.onnx_seconds += time.perf_counter() - started
        self.calls += 1
        if both:
            cond, uncond = eps[:rows], eps[rows:]
            eps = uncond + self.guidance * (cond - uncond)
        return torch.from_numpy(np.ascontiguousarray(eps, dtype=np.float32))


def run_batch(name, spacing, nfe, noise, labels, model):
    """Samples one batch with a fresh scheduler: the loop diffusers pipelines run, written out."""
    scheduler = build_scheduler(name, spacing)
    scheduler.set_timesteps(num_inference_steps=nfe)
    x = noise * scheduler.init_noise_sigma
    calls_before = model.calls
    for t in scheduler.timesteps:
        model_input = scheduler.scale_model_input(x, t)
        eps = model(model_input, t, labels)
        x = scheduler.step(eps, t, x, return_dict=False)[0]
    used = model.calls - calls_before
    if used != nfe:
        raise RuntimeError(f"{name}: {used} model evaluations for NFE {nfe}")
    return x, scheduler


def parse_args(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--scheduler", required=True, choices=sorted(SCHEDULERS))
    p.add_argument("--nfe", type=int, required=True, help="UNet evaluations = num_inference_steps")
    p.add_argument("--particles", type=int, required=True)
    p.add_argument("--seed", type=int, required=True)
    p.add_argument("--guidance", type=float, default=1.0)
    p.add_argument("--classes", default="all", help="all, K (0..9) or none")
    p.add_argument("--guidance-ceiling", type=float, default=math.inf,
                   help="guidance only where σ/α is below this, the conditional half alone above "
                        "(midpoint's --guidance-ceiling; default inf: guidance at every step, as diffusers does)")
    p.add_argument("--out", required=True, help="FILE.npy (FILE.npy.json is written beside it)")
    p.add_argument("--onnx", default="models/fashion/unet.onnx")
    p.add_argument("--batch", type=int, default=250)
    p.add_argument("--initial", default=None,
                   help="start from these N × 784 states (.npy) instead of torch draws: the file given to "
                        "`midpoint sample --initial`, for a paired comparison")
    p.add_argument("--threads", type=int, default=1, help="torch and ONNX Runtime threads (default 1)")
    p.add_argument("--timestep-spacing", choices=["leading", "linspace", "trailing"], default=None,
                   help="override the scheduler's default timestep spacing")
    args = p.parse_args(argv)
    if args.nfe < 1 or args.particles < 1 or args.batch < 1 or args.seed < 0 or args.threads < 1:
        p.error("--nfe, --particles, --batch and --threads must be ≥ 1, --seed ≥ 0")
    if args.classes not in ("all", "none"):
        try:
            k = int(args.classes)
        except ValueError:
            p.error("--classes is all, none or a class 0..9")
        if not 0 <= k < CLASSES:
            p.error("--classes is all, none or a class 0..9")
    if not args.out.endswith(".npy"):
        p.error("--out must end in .npy")
    return args


def main(argv=None) -> int:
    args = parse_args(argv)
    torch.set_num_threads(args.threads)
    torch.set_num_interop_threads(1)

    options = ort.SessionOptions()
    options.intra_op_num_threads = args.threads
    options.inter_op_num_threads = 1
    options.execution_mode = ort.ExecutionMode.ORT_SEQUENTIAL
    session = ort.InferenceSession(args.onnx, sess_options=options, providers=["CPUExecutionProvider"])

    conditional = args.classes != "none"
    model = GuidedEpsilon(session, args.guidance, conditional, args.guidance_ceiling)
    labels = class_labels(args.classes, args.particles)

    if args.initial is not None:
        given = np.load(args.initial)
        if (given.ndim < 2 or given.shape[0] != args.particles or int(np.prod(given.shape[1:])) != DIMENSION
                or not np.isfinite(given).all()):
            print(f"error: --initial {args.initial} must hold {args.particles} × {DIMENSION} (or N × 1 × 28 × 28) "
                  f"finite values, got shape {given.shape}", file=sys.stderr)
            return 2
        noise = torch.from_numpy(given.reshape(args.particles, *SHAPE).astype(np.float32))
    else:
        generator = torch.Generator().manual_seed(args.seed)
        noise = torch.randn((args.particles, *SHAPE), generator=generator, dtype=torch.float32)

    probe = build_scheduler(args.scheduler, args.timestep_spacing)
    probe.set_timesteps(num_inference_steps=args.nfe)
    timesteps = [int(t) if float(t).is_integer() else float(t) for t in probe.timesteps.tolist()]
    config = scheduler_config(probe)
    print(f"{args.scheduler} ({type(probe).__name__}, timestep_spacing={config.get('timestep_spacing')}), "
          f"NFE {args.nfe}, timesteps {timesteps}", flush=True)

    out = np.empty((args.particles, DIMENSION), dtype=np.float64)
    started = time.perf_counter()
    for lo in range(0, args.particles, args.batch):
        hi = min(lo + args.batch, args.particles)
        x, _ = run_batch(args.scheduler, args.timestep_spacing, args.nfe, noise[lo:hi], labels[lo:hi], model)
        out[lo:hi] = x.reshape(hi - lo, DIMENSION).to(torch.float64).numpy()
        print(f"  particles {lo}..<{hi} done, {time.perf_counter() - started:.1f} s", flush=True)
    seconds = time.perf_counter() - started
    per_image = seconds / args.particles

    bad = np.flatnonzero(~np.isfinite(out).all(axis=1))
    if bad.size:
        print(f"warning: {bad.size} rows hold non-finite values (first {bad[0]})", file=sys.stderr)

    os.makedirs(os.path.dirname(os.path.abspath(args.out)), exist_ok=True)
    np.save(args.out, out)
    with open(args.out, "rb") as f:
        checksum = "%08x" % (zlib.crc32(f.read()) & 0xFFFFFFFF)

    class_text = {"all": "all", "none": "null"}.get(args.classes) or str(int(args.classes))
    evaluations_rows = 2 if model.both_halves else 1
    run = {
        "class": class_text,
        "seed": str(args.seed),
        "guidance": swift_double(args.guidance),
        "guidance_ceiling": swift_double(args.guidance_ceiling),
        "source": "diffusers",
        "sampler": f"diffusers-{args.scheduler}",
        "scheduler": args.scheduler,
        "scheduler_class": type(probe).__name__,
        "scheduler_config": json.dumps(config, sort_keys=True),
        "timestep_spacing": str(config.get("timestep_spacing")),
        "timesteps": json.dumps(timesteps),
        "nfe": str(args.nfe),
        "num_inference_steps": str(args.nfe),
        "onnx_calls": str(model.calls),  # batches × NFE
        "rows_per_evaluation": f"{evaluations_rows} x particles",
        "noise": (f"--initial {args.initial} (as float32) * init_noise_sigma" if args.initial is not None
                  else "torch.Generator().manual_seed(seed); torch.randn(N,1,28,28) * init_noise_sigma"),
        "batch": str(args.batch),
        "seconds": f"{seconds:.3f}",
        "seconds_per_image": f"{per_image:.6f}",
        "onnx_seconds": f"{model.onnx_seconds:.3f}",
        "threads": f"torch {args.threads}, onnxruntime intra {args.threads} / inter 1",
        "onnx": args.onnx,
        "versions": f"diffusers {diffusers.__version__}, torch {torch.__version__}, onnxruntime {ort.__version__}",
        "non_finite_rows": str(int(bad.size)),
    }
    provenance = {
        "run": run,
        "particles": args.particles,
        "first_particle": 0,
        "count": args.particles,
        "dimension": DIMENSION,
        "checksum": checksum,
    }
    tmp = args.out + ".json.tmp"
    with open(tmp, "w") as f:
        json.dump(provenance, f, indent=2, sort_keys=True)
        f.write("\n")
    os.replace(tmp, args.out + ".json")

    print(f"{args.out}: {args.particles} × {DIMENSION}, {seconds:.2f} s total, "
          f"{per_image * 1000:.2f} ms per image (ONNX {model.onnx_seconds:.2f} s, {model.calls} calls), "
          f"range [{np.nanmin(out):.3f}, {np.nanmax(out):.3f}]", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
