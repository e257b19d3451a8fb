#!/usr/bin/env python3
"""Summarizes scripts/early_stop_sweep.sh: per NFE budget, how far each early-stopping time δ (and the default
rule itself, measured as its own column) is from the best of each subject (its headline metric), the geometric
mean over subjects, and the least-squares line log10 δ = a + b/n through the best measured δ per budget — the
fit behind RandomizedMultistepSampler.defaultEarlyStop. Prints Markdown.
Usage: python3 scripts/early_stop_report.py [DIR]   (default docs/defaults/early-stop)"""
import csv, glob, math, os, re, sys
from collections import defaultdict

d = sys.argv[1] if len(sys.argv) > 1 else "docs/defaults/early-stop"
# Subjects in table order with their headline metric; the fashion subjects (FD) join from their own CSVs below.
headline = {"product1024": "pooled KS", "mixture64": "sliced W2", "ring2d": "sliced W2", "gauss256": "gauss-fit W2",
            "digits": "energy"}
RULE = "rule"
# err[subject][nfe][delta] = error used for ratios (delta: a float, or RULE for the run without --early-stop):
# value + floor for the unbiased distance estimates (a value below the statistic's resolution is clipped to 0 in
# the CSV, so the floor keeps the ratios finite and honest), the FD itself for fashion (it contains its floor).
err = defaultdict(lambda: defaultdict(dict))
key = lambda text: RULE if text == RULE else float(text)
for path in glob.glob(os.path.join(d, "*-delta*.csv")):
    subject, delta = os.path.basename(path)[:-4].split("-delta")
    for row in csv.DictReader(open(path)):
        if row["metric"] == headline[subject]:
            err[subject][int(float(row["nfe"]))][key(delta)] = float(row["value"]) + float(row["floor"])
for path in sorted(glob.glob(os.path.join(d, "fashion*.csv")), key=lambda p: os.path.basename(p)[:-4]):
    name = os.path.basename(path)[:-4]  # fashion (w = 1), fashion-wW; nothing else is a subject
    if not re.fullmatch(r"fashion(-w\d+)?", name):
        continue
    headline.setdefault(name, "FD")
    for row in csv.DictReader(open(path)):
        err[name][int(row["nfe"])][key(row["early_stop"])] = float(row["value"])

def rule(n):
    return min(0.1, max(1e-3, 10 ** (-3.9 + 14 / n)))

subjects = [s for s in headline if s in err]
nfes = sorted({n for s in subjects for n in err[s]})
deltas = sorted({x for s in subjects for n in err[s] for x in err[s][n] if x != RULE})
columns = deltas + ([RULE] if any(RULE in err[s][n] for s in subjects for n in err[s]) else [])

def geomean(n, x):
    logs = [math.log(err[s][n][x] / min(err[s][n].values())) for s in subjects if x in err[s][n]]
    return math.exp(sum(logs) / len(logs))

print("Geometric mean over %d subjects (%s) of error / best error of that subject at that NFE (1 = best; the "
      "`rule` column is the default rule's own run):\n" % (len(subjects), ", ".join(subjects)))
print("| NFE | " + " | ".join("δ = %g" % x if x != RULE else "rule" for x in columns) + " | rule δ |")
print("|---|" + "---|" * (len(columns) + 1))
best = {}
for n in nfes:
    means = {x: geomean(n, x) for x in columns}
    best[n] = min(deltas, key=lambda x: means[x])
    print("| %d | %s | %.4f |" % (n, " | ".join("%.3f" % means[x] for x in columns), rule(n)))

# The fit: every budget but those whose best is the largest δ tried, which bounds the optimum from below only.
# A best at the smallest (10⁻³, every other sampler's δ and the rule's floor) is kept: it says the floor binds.
pts = [(1 / n, math.log10(best[n])) for n in nfes if best[n] < max(deltas)]
if len(pts) >= 2:
    mx = sum(p[0] for p in pts) / len(pts); my = sum(p[1] for p in pts) / len(pts)
    b = sum((p[0] - mx) * (p[1] - my) for p in pts) / sum((p[0] - mx) ** 2 for p in pts)
    print("\nBest measured δ per NFE: %s. Least-squares line through those below the largest δ: "
          "log10 δ = %.2f + %.1f/n." % (", ".join("%d: %g" % (n, best[n]) for n in nfes), my - b * mx, b))

ref = RULE if RULE in columns else None
print("\nPer subject, error with the rule against δ = 0.001 (ratio < 1: the rule helps)%s:\n"
      % ("" if ref else ", at the rule's nearest measured δ"))
print("| NFE (rule δ) | " + " | ".join(subjects) + " |")
print("|---|" + "---|" * len(subjects))
for n in nfes:
    x = ref or min(deltas, key=lambda x: abs(math.log(x / rule(n))))
    print("| %d (%.3g) | " % (n, rule(n)) + " | ".join("%.2f" % (err[s][n][x] / err[s][n][1e-3])
                                                      if x in err[s][n] and 1e-3 in err[s][n] else "–"
                                                      for s in subjects) + " |")
