#!/usr/bin/env python3
"""Tables (Markdown) and a figure (SVG) of FD and class accuracy against NFE for our samplers and diffusers'
schedulers on the served Fashion-MNIST UNet, from the CSVs of scripts/fashion_table.sh (ours) and
scripts/fashion_peers.sh (diffusers), pooling seeds: each cell is the mean over the seeds measured, with the
range when there are several.
Usage: python3 scripts/fashion_report.py [--svg FILE.svg [--svg-ours S1,S2,...]] [--particles N] CSV...   (files named *peers* are diffusers')
       python3 scripts/fashion_report.py --against docs/fashion/against-reference-w1.csv
         (instead: the table of FD to the model's own samples from scripts/fashion_against.sh's CSV, one cell per
         sampler and NFE, the seeds' values in seed order)"""
import argparse, csv, os
from collections import defaultdict

p = argparse.ArgumentParser()
p.add_argument("csvs", nargs="*")
p.add_argument("--against", help="a CSV of scripts/fashion_against.sh: print its table and stop")
p.add_argument("--svg")
p.add_argument("--svg-ours", help="comma-separated samplers of ours to draw in the SVG (default: all; diffusers' always)")
p.add_argument("--particles", type=int, default=2000)
args = p.parse_args()
if not args.against and not args.csvs:
    p.error("give the CSVs of fashion_table.sh / fashion_peers.sh, or --against FILE")

cells = defaultdict(list)            # (name, w, nfe) -> [(seed, fd, accuracy)]
floors = {}
for path in args.csvs:
    peer = "peers" in os.path.basename(path)
    for r in csv.DictReader(open(path)):
        if int(r.get("particles", args.particles)) != args.particles:
            continue
        name = ("diffusers " + r["scheduler"]) if peer else ("ours " + r["sampler"])
        w = f"{float(r['guidance']):g}"      # 1.25 stays 1.25 (not truncated to 1)
        cells[(name, w, int(r["nfe"]))].append((r["seed"], float(r["fd"]), float(r["accuracy"]) if r["accuracy"] else None))
        floors[w] = r["fd_floor"]

def mean(xs): return sum(xs) / len(xs)

def order(name):
    """Rows and lines: ours first, then diffusers', each by name."""
    return (name.startswith("diffusers"), name)

def table(title, names, nfes, cell):
    """Prints a Markdown table (after `title` and a blank line, if any): one row per name, one column per NFE,
    cell(name, nfe) as text."""
    if title:
        print(title + "\n")
    print("| sampler | " + " | ".join(f"NFE {n}" for n in nfes) + " |")
    print("|---|" + "---|" * len(nfes))
    for name in names:
        print(f"| {name} | " + " | ".join(cell(name, n) for n in nfes) + " |")

if args.against:
    against = defaultdict(dict)          # (name, nfe) -> {seed: FD to the reference}
    for r in csv.DictReader(open(args.against)):
        against[(f"{'ours' if r['who'] == 'ours' else 'diffusers'} {r['sampler']}", int(r["nfe"]))][int(r["seed"])] = r["fd_to_reference"]
    table("", sorted({k[0] for k in against}, key=order), sorted({k[1] for k in against}),
          lambda name, n: " / ".join(f"{float(v):.2f}" for _, v in sorted(against.get((name, n), {}).items())))
    raise SystemExit

for w in sorted({k[1] for k in cells}, key=float):
    names = sorted({k[0] for k in cells if k[1] == w}, key=order)
    nfes = sorted({k[2] for k in cells if k[1] == w})
    what = {"0": "unconditional (null label)", "1": "conditional, no guidance", "2": "guidance w = 2"}.get(w, f"w = {w}")

    def fd_cell(name, n):
        got = cells.get((name, w, n))
        if not got:
            return ""
        fds = [g[1] for g in got]
        best = min(mean([g[1] for g in cells[(m, w, n)]]) for m in names if (m, w, n) in cells)
        text = f"{mean(fds):.2f}" + (f" [{min(fds):.2f}–{max(fds):.2f}, {len(fds)}]" if len(fds) > 1 else "")
        return f"**{text}**" if abs(mean(fds) - best) < 1e-12 else text

    def accuracy_cell(name, n):
        got = [g[2] for g in cells.get((name, w, n), []) if g[2] is not None]
        return f"{mean(got):.3f}" if got else ""

    table(f"\n**w = {w}, {what}: FD** (floor {floors[w]}; N = {args.particles:,}; mean over seeds, [range, seeds])", names, nfes, fd_cell)
    if w != "0":
        table("\nclass accuracy (real test images: 0.906 by the shipped classifier)", names, nfes, accuracy_cell)

if args.svg:
    # One panel per guidance: FD (log scale) against NFE (log scale), one line per sampler.
    ws = sorted({k[1] for k in cells}, key=float)
    width, height, pad = 320, 260, 48
    colors = ["#1b6ac9", "#d9480f", "#2b8a3e", "#862e9c", "#e67700", "#495057", "#c2255c", "#0b7285", "#5c940d", "#f08c00"]
    drawn = set(args.svg_ours.split(",")) if args.svg_ours else None
    names = sorted({k[0] for k in cells if k[0].startswith("diffusers") or drawn is None or k[0][len("ours "):] in drawn}, key=order)
    import math
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width * len(ws) + 200}" height="{height}" font-family="sans-serif" font-size="11">']
    for i, w in enumerate(ws):
        pts = {k: mean([g[1] for g in v]) for k, v in cells.items() if k[1] == w and k[0] in names}
        xs = sorted({k[2] for k in pts}); ys = list(pts.values())
        lx = lambda n: pad + (math.log(n) - math.log(xs[0])) / (math.log(xs[-1]) - math.log(xs[0]) or 1) * (width - pad - 10) + i * width
        lo, hi = math.log(min(ys)), math.log(max(ys))
        ly = lambda v: height - pad + 10 - (math.log(v) - lo) / (hi - lo or 1) * (height - pad - 20)
        x0 = i * width
        out.append(f'<text x="{x0 + width / 2}" y="14" text-anchor="middle">w = {w}</text>')
        out.append(f'<line x1="{x0 + pad}" y1="{height - pad + 10}" x2="{x0 + width - 10}" y2="{height - pad + 10}" stroke="#888"/>')
        out.append(f'<line x1="{x0 + pad}" y1="20" x2="{x0 + pad}" y2="{height - pad + 10}" stroke="#888"/>')
        for n in xs:
            out.append(f'<text x="{lx(n):.1f}" y="{height - pad + 24}" text-anchor="middle">{n}</text>')
        for v in sorted({round(math.exp(lo + (hi - lo) * t / 4), 2) for t in range(5)}):
            out.append(f'<text x="{x0 + pad - 4}" y="{ly(v) + 4:.1f}" text-anchor="end">{v:g}</text>')
        out.append(f'<text x="{x0 + width / 2}" y="{height - 6}" text-anchor="middle">NFE</text>')
        out.append(f'<text x="{x0 + 12}" y="{height / 2}" transform="rotate(-90 {x0 + 12} {height / 2})" text-anchor="middle">FD</text>')
        for j, name in enumerate(names):
            line = [(lx(n), ly(pts[(name, w, n)])) for n in xs if (name, w, n) in pts]
            if len(line) < 2: continue
            dash = ' stroke-dasharray="4 3"' if name.startswith("diffusers") else ""
            out.append(f'<polyline fill="none" stroke="{colors[j % len(colors)]}" stroke-width="1.6"{dash} points="' + " ".join(f"{a:.1f},{b:.1f}" for a, b in line) + '"/>')
    for j, name in enumerate(names):
        y = 30 + 16 * j
        dash = ' stroke-dasharray="4 3"' if name.startswith("diffusers") else ""
        out.append(f'<line x1="{width * len(ws) + 10}" y1="{y}" x2="{width * len(ws) + 34}" y2="{y}" stroke="{colors[j % len(colors)]}" stroke-width="1.6"{dash}/>')
        out.append(f'<text x="{width * len(ws) + 40}" y="{y + 4}">{name}</text>')
    out.append("</svg>")
    open(args.svg, "w").write("\n".join(out) + "\n")
