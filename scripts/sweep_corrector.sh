#!/usr/bin/env bash
# Sweeps the rm-pc corrector parameters and prints one CSV line per configuration and budget.
# Usage: scripts/sweep_corrector.sh [target] [particles] > sweep.csv
# Each line: target,budget,window,steps,time,friction,metric values (empty where a metric does not
# apply); the README's defaults come from the configuration with the best mean rank over the budgets.
set -euo pipefail
target=${1:-mixture64}
particles=${2:-4000}
bin=.build/release/midpoint
[ -x "$bin" ] || swift build -c release --product midpoint >/dev/null
tmp=$(mktemp -d)
echo "target,budget,window,corrector_steps,corrector_time,corrector_friction,sliced_w2,energy,mmd,gauss_fit_w2,pooled_w1,pooled_ks"
for window in 1 2 4; do
  for steps in 1 2; do
    for time in 0.25 0.5 1 2; do
      for friction in 1 2 4; do
        "$bin" compare --target "$target" --samplers rm-pc --nfe 50,100 --particles "$particles" --seed 1 \
          --window-steps "$window" --corrector-steps "$steps" --corrector-time "$time" \
          --corrector-friction "$friction" --csv "$tmp/run.csv" >/dev/null 2>&1
        awk -F, -v w="$window" -v s="$steps" -v t="$time" -v f="$friction" '
          NR > 1 { v[$3, $9] = $10; budgets[$3] = 1 }
          END { for (b in budgets) printf "%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s\n", "'"$target"'", b, w, s, t, f,
                  v[b, "sliced W2"], v[b, "energy"], v[b, "MMD"], v[b, "gauss-fit W2"], v[b, "pooled W1"], v[b, "pooled KS"] }' "$tmp/run.csv"
      done
    done
  done
done
rm -rf "$tmp"
