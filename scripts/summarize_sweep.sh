#!/usr/bin/env bash
# Summarizes `midpoint compare` CSVs of a sweep (scripts/sweep_defaults.sh) into markdown tables: for each
# subject, its headline metric per sampler and budget, one column per file label (grid or horizon).
# Usage: scripts/summarize_sweep.sh DIR PATTERN... (PATTERN: a file glob inside DIR whose varying part is
#        the column label, e.g. 'mixture64-T5.03-*.csv')
# Headline metrics: pooled KS (product targets), sliced W2 (mixtures), gauss-fit W2 (Gaussians),
# energy distance (learned models, against held-out data).
set -euo pipefail
dir=$1; shift
for pattern in "$@"; do
  files=$(cd "$dir" && ls $pattern 2>/dev/null || true)
  [ -n "$files" ] || continue
  prefix=${pattern%%\**}; suffix=${pattern##*\*}
  echo
  echo "### ${pattern}"
  echo
  (cd "$dir" && awk -F, -v prefix="$prefix" -v suffix="$suffix" '
    FNR == 1 { label = FILENAME; sub("^" prefix, "", label); sub(suffix "$", "", label); labels[++nl] = label; next }
    {
      target = $1; sub(/^model /, "", target)
      metric = (target ~ /product/) ? "pooled KS" : (target ~ /mixture|ring/) ? "sliced W2" : (target ~ /gauss/) ? "gauss-fit W2" : "energy"
      if ($9 != metric) next
      key = $2 SUBSEP $3
      if (!(key in seen)) { seen[key] = 1; order[++nk] = key }
      value[key, label] = $10; name = metric
    }
    END {
      printf "| sampler | NFE |"; for (l = 1; l <= nl; l++) printf " %s |", labels[l]; printf "\n"
      printf "|---|---:|"; for (l = 1; l <= nl; l++) printf "---:|"; printf "\n"
      for (k = 1; k <= nk; k++) {
        split(order[k], parts, SUBSEP)
        printf "| %s | %s |", parts[1], parts[2]
        best = ""
        for (l = 1; l <= nl; l++) { v = value[order[k], labels[l]]; if (v != "" && (best == "" || v + 0 < best + 0)) best = v }
        for (l = 1; l <= nl; l++) {
          v = value[order[k], labels[l]]
          if (v == "") printf " – |"; else if (v == best) printf " **%.3g** |", v; else printf " %.3g |", v
        }
        printf "\n"
      }
      printf "\n(%s; bold: the best column)\n", name
    }' $files)
done
