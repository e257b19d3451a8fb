#!/usr/bin/env python3
"""The regression-posterior table of docs/log-concave.md: each model in examples/regression run by `midpoint mcmc`
with its defaults (and other samplers if asked) against the independent NUTS references in docs/regressions/.

Usage: python3 scripts/regression_table.py [--samplers rm-ulmc,rm-ulmc-pc,mala] [--seed 1] [--extra "FLAGS"] [--out CSV]
Writes docs/regressions/table.csv (or --out) and prints the Markdown table. Needs no Python packages beyond the standard library.

Per model and sampler: max |mean − ref| / ref sd, whether every mean is within 4 Monte Carlo standard errors
(sqrt(MCSE_ours² + MCSE_ref²), MCSE = sd/√ESS_bulk), max |sd / ref sd − 1|, max R-hat, min bulk ESS per gradient
(warm-up and the mode search included, all chains), the NUTS reference's figure at Stan-like defaults (diagonal
and dense metric, warm-up included), the Stein check's estimates, and wall seconds."""
import argparse, csv, glob, os, re, subprocess, tempfile, time

p = argparse.ArgumentParser()
p.add_argument("--samplers", default="rm-ulmc")
p.add_argument("--seed", default="1")
p.add_argument("--bin", default=".build/release/midpoint")
p.add_argument("--extra", default="", help="more mcmc flags for every run, e.g. \"--step-scale 2\"")
p.add_argument("--out", default="docs/regressions/table.csv")
args = p.parse_args()
os.chdir(os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))

rows = []
for model in sorted(glob.glob("examples/regression/*.json")):
    name = os.path.basename(model)[:-5]
    ref = {r["parameter"]: r for r in csv.DictReader(open(f"docs/regressions/{name}/reference.csv"))}
    nuts = {r["setting"]: float(r["min_ess_per_gradient"]) for r in csv.DictReader(open(f"docs/regressions/{name}/nuts.csv"))}
    for sampler in args.samplers.split(","):
        with tempfile.TemporaryDirectory() as tmp:
            summary = os.path.join(tmp, "s.csv")
            start = time.time()
            out = subprocess.run([args.bin, "mcmc", "--potential", model, "--sampler", sampler, "--seed", args.seed,
                                  "--summary", summary, "--max-rows", "0"] + args.extra.split(), capture_output=True, text=True, check=True)
            seconds = time.time() - start
            ours = list(csv.DictReader(open(summary)))
        cost = out.stdout.split("\n")
        header = next(i for i, l in enumerate(cost) if l.startswith("sampler "))
        fields = cost[header + 1].split()
        grads_per_chain, chains = float(fields[4]), int(fields[2])
        mean_err = sd_err = 0.0
        within = True
        for r in ours:
            g = ref[r["parameter"]]
            ess = float(r["ESS bulk"])
            dm = abs(float(r["mean"]) - float(g["mean"])) / float(g["sd"])
            mcse = ((float(r["sd"]) ** 2 / ess + float(g["mcse_mean"]) ** 2) ** 0.5) / float(g["sd"])
            within &= dm <= 4 * mcse
            mean_err = max(mean_err, dm)
            sd_err = max(sd_err, abs(float(r["sd"]) / float(g["sd"]) - 1))
        rhat = max(float(r["R-hat"]) for r in ours)
        ess_grad = min(float(r["ESS bulk"]) for r in ours) / (grads_per_chain * chains)
        stein = re.search(r"Stein check: max \|mean error\| = ([0-9.]+) sd .*max \|sd error\| = ([0-9.]+)%", out.stdout)
        warned = "warning" in out.stderr
        rows.append(dict(model=name, sampler=sampler, max_mean_error_sd=f"{mean_err:.3f}", within_4_mcse=str(within).lower(),
                         max_sd_error=f"{sd_err:.3f}", max_rhat=f"{rhat:.4f}", ess_per_gradient=f"{ess_grad:.4f}",
                         nuts_diag=f"{nuts['diag']:.4f}", nuts_dense=f"{nuts['dense']:.4f}",
                         stein_mean=stein.group(1) if stein else "", stein_sd=f"{float(stein.group(2)) / 100:.3f}" if stein else "",
                         stein_warned=str(warned).lower(), seconds=f"{seconds:.1f}"))
with open(args.out, "w", newline="") as f:
    w = csv.DictWriter(f, fieldnames=list(rows[0]))
    w.writeheader(); w.writerows(rows)
print("| model | sampler | max \\|mean err\\| / sd | within 4 MCSE | max sd err | max R-hat | ESS / grad | × NUTS diag | × NUTS dense | Stein (mean, sd) | s |")
print("|---|---|---|---|---|---|---|---|---|---|---|")
for r in rows:
    e = float(r["ess_per_gradient"])
    print(f"| {r['model']} | {r['sampler']} | {r['max_mean_error_sd']} | {'yes' if r['within_4_mcse'] == 'true' else '**no**'} | "
          f"{100 * float(r['max_sd_error']):.1f}% | {r['max_rhat']} | {e:.4f} | {e / float(r['nuts_diag']):.1f} | "
          f"{e / float(r['nuts_dense']):.2f} | {r['stein_mean']}, {r['stein_sd']}{' (warned)' if r['stein_warned'] == 'true' else ''} | {r['seconds']} |")
