#!/usr/bin/env python3
"""Summarizes scripts/early_stop_sweep.sh: per NFE budget, how far each early-stopping time δ is from the best
δ of each subject (its headline metric), and the geometric mean over subjects. Prints Markdown.
Usage: python3 scripts/early_stop_report.py [DIR]   (default docs/defaults/early-stop)"""
import csv, glob, math, os, sys
from collections import defaultdict

d = sys.argv[1] if len(sys.argv) > 1 else "docs/defaults/early-stop"
headline = {"product1024": "pooled KS", "mixture64": "sliced W2", "ring2d": "sliced W2", "gauss256": "gauss-fit W2",
            "digits": "energy", "fashion": "FD"}
# err[subject][nfe][delta] = error used for ratios: value + floor for the unbiased distance estimates (a value
# below the statistic's resolution is clipped to 0 in the CSV, so the floor keeps the ratios finite and honest),
# the FD itself for fashion (it already contains its floor).
err = defaultdict(lambda: defaultdict(dict))
for path in glob.glob(os.path.join(d, "*-delta*.csv")):
    subject, delta = os.path.basename(path)[:-4].split("-delta")
    for row in csv.DictReader(open(path)):
        if row["metric"] == headline[subject]:
            err[subject][int(float(row["nfe"]))][float(delta)] = float(row["value"]) + float(row["floor"])
fashion = os.path.join(d, "fashion.csv")
if os.path.exists(fashion):
    for row in csv.DictReader(open(fashion)):
        err["fashion"][int(row["nfe"])][float(row["early_stop"])] = float(row["value"])

def rule(n):
    return min(0.1, max(1e-3, 10 ** (-3.5 + 10 / n)))

subjects = [s for s in headline if s in err]
nfes = sorted({n for s in subjects for n in err[s]})
deltas = sorted({x for s in subjects for n in err[s] for x in err[s][n]})
print("Geometric mean over %d subjects (%s) of error / best error of that subject at that NFE (1 = best):\n"
      % (len(subjects), ", ".join(subjects)))
print("| NFE | " + " | ".join("δ = %g" % x for x in deltas) + " | rule δ |")
print("|---|" + "---|" * (len(deltas) + 1))
for n in nfes:
    cells = []
    for x in deltas:
        logs = [math.log(err[s][n][x] / min(err[s][n].values())) for s in subjects if x in err[s][n]]
        cells.append("%.3f" % math.exp(sum(logs) / len(logs)))
    print("| %d | %s | %.4f |" % (n, " | ".join(cells), rule(n)))
print("\nPer subject, error at the rule's nearest measured δ against δ = 0.001 (ratio < 1: the rule helps):\n")
print("| NFE | " + " | ".join(subjects) + " |")
print("|---|" + "---|" * len(subjects))
for n in nfes:
    near = min(deltas, key=lambda x: abs(math.log(x / rule(n))))
    print("| %d (δ %g) | " % (n, near) + " | ".join("%.2f" % (err[s][n][near] / err[s][n][1e-3]) for s in subjects) + " |")
