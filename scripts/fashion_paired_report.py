#!/usr/bin/env python3
"""Markdown tables of the paired comparison (scripts/fashion_paired.sh): for each guidance w and NFE, FD of
each sampler per noise seed (every sampler of a seed started from the same N × 784 states), and the ratio
of ours to the best diffusers scheduler *of the same seed*, per seed and as the geometric mean over seeds;
for conditional samples also the class accuracy (mean over the seeds) of ours and of each peer.
A ratio ≤ 1 means ours is at least as good on that noise; the spread of the ratios over seeds is the
uncertainty the pairing leaves (the draw of x_T no longer adds to it).
Usage: python3 scripts/fashion_paired_report.py docs/fashion/paired-n2000.csv [--ours rm-ms]"""
import argparse, csv, math
from collections import defaultdict

p = argparse.ArgumentParser()
p.add_argument("csv")
p.add_argument("--ours", default="rm-ms")
args = p.parse_args()

fd, acc = {}, {}                           # (source, sampler, w, nfe, seed) -> FD, class accuracy
for r in csv.DictReader(open(args.csv)):
    w = float(r["guidance"])               # "2" and "2.0" are one scale; 1.25 stays 1.25
    key = (r["source"], r["sampler"], f"{w:g}", int(r["nfe"]), r["seed"])
    fd[key] = float(r["fd"])
    if r.get("accuracy"):
        acc[key] = float(r["accuracy"])
peers = sorted({k[1] for k in fd if k[0] == "diffusers"})
print("| w | NFE | seeds | ours " + args.ours + " | " + " | ".join(f"diffusers {s}" for s in peers)
      + " | ours / best peer, per seed | geometric mean | class accuracy, ours / " + " / ".join(peers) + " |")
print("|---|---|---|---|" + "---|" * len(peers) + "---|---|---|")
for w in sorted({k[2] for k in fd}, key=float):
    for n in sorted({k[3] for k in fd if k[2] == w}):
        seeds = sorted({k[4] for k in fd if k[2] == w and k[3] == n and ("ours", args.ours, w, n, k[4]) in fd
                        and all(("diffusers", s, w, n, k[4]) in fd for s in peers)}, key=int)
        if not seeds:
            continue
        ours = [fd[("ours", args.ours, w, n, s)] for s in seeds]
        cols = [" / ".join(f"{fd[('diffusers', p_, w, n, s)]:.2f}" for s in seeds) for p_ in peers]
        ratios = [fd[("ours", args.ours, w, n, s)] / min(fd[("diffusers", p_, w, n, s)] for p_ in peers) for s in seeds]
        gm = math.exp(sum(math.log(x) for x in ratios) / len(ratios))
        flag = "**" if gm <= 1 else ""
        def mean_acc(source, sampler):
            values = [acc[(source, sampler, w, n, s)] for s in seeds if (source, sampler, w, n, s) in acc]
            return f"{sum(values) / len(values):.3f}" if values else "–"
        accuracy = "–" if w == "0" else " / ".join([mean_acc("ours", args.ours)] + [mean_acc("diffusers", p_) for p_ in peers])
        print(f"| {w} | {n} | {','.join(seeds)} | " + " / ".join(f"{x:.2f}" for x in ours) + " | " + " | ".join(cols)
              + " | " + " / ".join(f"{x:.3f}" for x in ratios) + f" | {flag}{gm:.3f}{flag} | {accuracy} |")
