#!/usr/bin/env python3
"""Markdown tables of FD (and class accuracy) against NFE for our samplers and diffusers' schedulers on the
served Fashion-MNIST UNet, from the CSVs of scripts/fashion_table.sh and the peer rows.
Usage: python3 scripts/fashion_report.py docs/fashion/ours-seed1.csv docs/fashion/peers-seed1.csv"""
import csv
import sys

ours = list(csv.DictReader(open(sys.argv[1])))
peers = list(csv.DictReader(open(sys.argv[2])))
rows = [("ours " + r["sampler"], r["nfe"], r["guidance"], r) for r in ours] + \
       [("diffusers " + r["scheduler"], r["nfe"], r["guidance"].rstrip("0").rstrip(".") if "." in r["guidance"] else r["guidance"], r) for r in peers]
nfes = sorted({int(r[1]) for r in rows})
for w in sorted({str(int(float(r[2]))) for r in rows}):
    for metric, label in (("fd", "FD (floor %s)"), ("accuracy", "class accuracy (real images %s)")):
        floor = next(r[3][metric + "_floor"] for r in rows if str(int(float(r[2]))) == w)
        print(f"\n**Guidance w = {w}: {label % floor}**, N = 1,000, seed 1\n")
        print("| sampler | " + " | ".join(f"NFE {n}" for n in nfes) + " |")
        print("|---|" + "---|" * len(nfes))
        names = []
        for name, _, g, _ in rows:
            if str(int(float(g))) == w and name not in names:
                names.append(name)
        for name in names:
            cells = []
            for n in nfes:
                hit = [r[3] for r in rows if r[0] == name and int(r[1]) == n and str(int(float(r[2]))) == w]
                cells.append(hit[0][metric] if hit and hit[0][metric] else "")
            print(f"| {name} | " + " | ".join(cells) + " |")
