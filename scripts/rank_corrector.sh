#!/usr/bin/env bash
# Ranks the configurations of a corrector sweep (scripts/sweep_corrector.sh output): per budget, every
# configuration is ranked on pooled KS and on pooled W1 (1 = best); prints the mean rank, best first.
# Usage: scripts/rank_corrector.sh docs/rm-pc/sweep-product1024.csv | head
set -euo pipefail
awk -F, '
  NR == 1 { next }
  { cfg = $3 "," $4 "," $5 "," $6; ks[$2, cfg] = $10; w1[$2, cfg] = $9; budgets[$2] = 1; cfgs[cfg] = 1 }
  END {
    for (b in budgets) for (c in cfgs) {
      rk = 1; rw = 1
      for (o in cfgs) { if (ks[b, o] + 0 < ks[b, c] + 0) rk++; if (w1[b, o] + 0 < w1[b, c] + 0) rw++ }
      total[c] += rk + rw; n[c] += 2
    }
    for (c in cfgs) printf "%.1f corrections,ratio,time,integrator = %s\n", total[c] / n[c], c
  }' "$1" | sort -n
