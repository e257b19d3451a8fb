#!/usr/bin/env bash
# Sweeps the horizon T and the time grid for every fixed-cost sequential sampler on the built-in
# targets (and the digits model), writing one tidy CSV per (target, T, grid) under OUT (default
# docs/defaults/raw) in `midpoint compare`'s format. docs/defaults/README.md summarizes them and says
# which defaults they chose.
# Usage: scripts/sweep_defaults.sh grids|horizons [OUT]
#   grids:    every grid at T = 5.03, NFE 5-100 (files SUBJECT-T5.03-GRID.csv)
#   horizons: T in 4.4, 5.03, 6, 8 on each sampler's own grid, NFE 5-50 (files SUBJECT-TT-default.csv)
# Summaries: scripts/summarize_sweep.sh OUT 'SUBJECT-T5.03-*.csv' and 'SUBJECT-T*-default.csv'.
set -euo pipefail
mode=${1:-}
out=${2:-docs/defaults/raw}
bin=${BIN:-.build/release/midpoint}
[ -x "$bin" ] || swift build -c release --product midpoint >/dev/null
mkdir -p "$out"
samplers=euler-maruyama,ei-sde,ei-ode,ddim,ddpm,dpmpp-2m,heun,rm,rm-ms,rm-score,rm-data
case "$mode" in
  grids) horizons="5.03"; grids="uniform-lambda ddpm-linear edm uniform-tau"; budgets=5,10,20,50,100 ;;
  horizons) horizons="4.4 5.03 6 8"; grids="default"; budgets=5,10,20,50 ;;
  *) echo "usage: $0 grids|horizons [OUT]" >&2; exit 64 ;;
esac
# subject flag, particles: enough that the reported metric sits well above its floor at 20 NFE.
subjects=("--target product1024:1000" "--target mixture64:4000" "--target ring2d:4000" "--target gauss256:2000" "--model digits:1000")
for horizon in $horizons; do
  for grid in $grids; do
    for entry in "${subjects[@]}"; do
      subject=${entry%%:*}; particles=${entry##*:}
      name=$(echo "$subject" | awk '{print $2}')
      file="$out/$name-T$horizon-$grid.csv"
      [ -s "$file" ] && continue
      gridflag=(); [ "$grid" = default ] || gridflag=(--grid "$grid")
      "$bin" compare $subject --samplers "$samplers" --nfe "$budgets" --particles "$particles" --seed 1 \
        --threads 1 --horizon "$horizon" "${gridflag[@]}" --csv "${file%.csv}.part.csv" >/dev/null 2>&1 || true
      [ -s "${file%.csv}.part.csv" ] && mv "${file%.csv}.part.csv" "$file"
      echo "$file" >&2
    done
  done
done
