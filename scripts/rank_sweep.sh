#!/usr/bin/env bash
# Ranks the columns of a sweep (scripts/sweep_defaults.sh) per sampler: for every (subject, NFE) the
# column values of the headline metric are ranked (1 = best), and each column's mean rank and mean
# excess over the best (geometric) are printed, best first.
# Usage: scripts/rank_sweep.sh grid|horizon BUDGETS FILE...   (BUDGETS: comma list, e.g. 10,20,50)
# Files are named SUBJECT-TT-GRID.csv; the column is GRID (grid) or T (horizon).
set -euo pipefail
by=$1; budgets=$2; shift 2
awk -F, -v by="$by" -v budgets="$budgets" '
  BEGIN { nb = split(budgets, b, ","); for (i = 1; i <= nb; i++) wanted[b[i]] = 1 }
  FNR == 1 {
    name = FILENAME; sub(/.*\//, "", name); sub(/\.csv$/, "", name)
    split(name, parts, "-T"); rest = parts[2]; t = rest; sub(/-.*/, "", t); g = rest; sub(/^[^-]*-/, "", g)
    label = (by == "grid") ? g : t; next
  }
  {
    target = $1; sub(/^model /, "", target)
    metric = (target ~ /product/) ? "pooled KS" : (target ~ /mixture|ring/) ? "sliced W2" : (target ~ /gauss/) ? "gauss-fit W2" : "energy"
    if ($9 != metric || !($3 in wanted) || $10 == "" || $10 == "nan") next
    key = $2 SUBSEP target SUBSEP $3; value[key, label] = $10; keys[key] = 1; labels[$2, label] = 1; samplers[$2] = 1
  }
  END {
    for (k in keys) {
      split(k, p, SUBSEP); s = p[1]; best = ""
      for (sl in labels) { split(sl, q, SUBSEP); if (q[1] != s || !((k, q[2]) in value)) continue
        v = value[k, q[2]] + 0; if (best == "" || v < best) best = v }
      for (sl in labels) { split(sl, q, SUBSEP); if (q[1] != s || !((k, q[2]) in value)) continue
        v = value[k, q[2]] + 0; r = 1
        for (sl2 in labels) { split(sl2, q2, SUBSEP); if (q2[1] == s && ((k, q2[2]) in value) && value[k, q2[2]] + 0 < v) r++ }
        rank[s, q[2]] += r; n[s, q[2]]++; excess[s, q[2]] += log(v / best) }
    }
    for (s in samplers) {
      line = s ":"; m = 0
      for (sl in labels) { split(sl, q, SUBSEP); if (q[1] == s && n[s, q[2]] > 0) { m++; lab[m] = q[2]; mr[m] = rank[s, q[2]] / n[s, q[2]] } }
      for (i = 1; i <= m; i++) for (j = i + 1; j <= m; j++) if (mr[j] < mr[i]) { t = mr[i]; mr[i] = mr[j]; mr[j] = t; t = lab[i]; lab[i] = lab[j]; lab[j] = t }
      printf "| %s |", s
      for (i = 1; i <= m; i++) printf " %s %.2f (+%.0f%%) |", lab[i], mr[i], 100 * (exp(excess[s, lab[i]] / n[s, lab[i]]) - 1)
      printf "\n"
    }
  }' "$@" | sort
