#!/usr/bin/env bash
# Sweeps rm-pc's corrector (corrections C, sub-steps per predictor step r, run time c·σ, ULMC step) at
# NFE 20-200 and prints one CSV line per configuration and budget:
#   target,budget,corrections,ratio,time,integrator,sliced_w2,energy,pooled_w1,pooled_ks
# Usage: scripts/sweep_corrector.sh [target] [particles] > sweep.csv
# docs/defaults/README.md takes the configuration with the best mean rank over budgets and targets.
set -euo pipefail
target=${1:-mixture64}
particles=${2:-4000}
bin=${BIN:-.build/release/midpoint}
[ -x "$bin" ] || swift build -c release --product midpoint >/dev/null
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
echo "target,budget,corrections,ratio,time,integrator,sliced_w2,energy,pooled_w1,pooled_ks"
for integrator in ei rm; do
  for corrections in 2 4 8; do
    for ratio in 0.25 0.5 1; do
      for time in 0.25 0.5 1 2; do
        "$bin" compare --target "$target" --samplers rm-pc --nfe 20,50,100,200 --particles "$particles" --seed 1 \
          --threads "${THREADS:-1}" --corrections "$corrections" --corrector-ratio "$ratio" --corrector-time "$time" \
          --corrector-integrator "$integrator" --csv "$tmp/run.csv" >/dev/null 2>&1 || continue
        awk -F, -v c="$corrections" -v r="$ratio" -v t="$time" -v g="$integrator" -v target="$target" '
          NR > 1 { v[$3, $9] = $10; budgets[$3] = 1 }
          END { for (b in budgets) printf "%s,%s,%s,%s,%s,%s,%s,%s,%s,%s\n", target, b, c, r, t, g,
                  v[b, "sliced W2"], v[b, "energy"], v[b, "pooled W1"], v[b, "pooled KS"] }' "$tmp/run.csv"
      done
    done
  done
done
