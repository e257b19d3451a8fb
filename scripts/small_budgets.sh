#!/usr/bin/env bash
# The samplers at the budgets people use (5-20 NFE), three seeds each, on product1024 (pooled KS) and
# mixture64 (sliced W2, 20,000 particles so that the noise floor does not hide the differences).
# Writes OUT/TARGET-seedS.csv (`midpoint compare` format) and prints the seed means as a markdown table.
# Usage: scripts/small_budgets.sh [OUT]   (default docs/small-budgets)
set -euo pipefail
out=${1:-docs/small-budgets}
bin=${BIN:-.build/release/midpoint}
[ -x "$bin" ] || swift build -c release --product midpoint >/dev/null
mkdir -p "$out"
samplers=rm,rm-ms,rm-data,rm-score,dpmpp-2m,ddim,heun
for entry in product1024:2000 mixture64:20000; do
  target=${entry%%:*}; particles=${entry##*:}
  for seed in 1 2 3; do
    file="$out/$target-seed$seed.csv"
    [ -s "$file" ] || "$bin" compare --target "$target" --samplers "$samplers" --nfe 5,10,20 --particles "$particles" \
      --seed "$seed" --threads "${THREADS:-1}" --csv "$file" >/dev/null 2>&1
  done
done
awk -F, '
  FNR == 1 { next }
  ($1 ~ /product/ && $9 == "pooled KS") || ($1 ~ /mixture/ && $9 == "sliced W2") {
    k = $1 SUBSEP $2 SUBSEP $3; if (!(k in n)) order[++m] = k
    n[k]++; sum[k] += $10; floor[$1] += $11; fn[$1]++
  }
  END {
    print "| target | sampler | NFE | mean error (3 seeds) | ratio to dpmpp-2m |"
    print "|---|---|---:|---:|---:|"
    for (i = 1; i <= m; i++) {
      split(order[i], p, SUBSEP); ref = p[1] SUBSEP "dpmpp-2m" SUBSEP p[3]
      printf "| %s | %s | %s | %.4g | %.2f |\n", p[1], p[2], p[3], sum[order[i]] / n[order[i]], (sum[order[i]] / n[order[i]]) / (sum[ref] / n[ref])
    }
    for (t in fn) printf "\nnoise floor on %s: %.4g\n", t, floor[t] / fn[t]
  }' "$out"/*-seed*.csv
