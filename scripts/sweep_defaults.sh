#!/usr/bin/env bash
# Sweeps the horizon T and the time grid for every fixed-cost sequential sampler on the built-in
# targets (and the digits model), writing one tidy CSV per (target, T, grid) under OUT (default
# docs/defaults/raw) in `midpoint compare`'s format. docs/defaults/README.md summarizes them and says
# which defaults they chose.
# Usage: scripts/sweep_defaults.sh [grids|horizons|all] [OUT]
#   grids:    every grid at T = 5.03
#   horizons: T in 4.4, 5.03, 6, 8 on every grid
set -euo pipefail
mode=${1:-all}
out=${2:-docs/defaults/raw}
bin=${BIN:-.build/release/midpoint}
[ -x "$bin" ] || swift build -c release --product midpoint >/dev/null
mkdir -p "$out"
samplers=euler-maruyama,ei-sde,ei-ode,ddim,ddpm,dpmpp-2m,heun,rm,rm-ms,rm-score,rm-data
budgets=5,10,20,50,100
grids="uniform-lambda ddpm-linear edm uniform-tau"
case "$mode" in
  grids) horizons="5.03" ;;
  horizons) horizons="4.4 6 8" ;;
  all) horizons="4.4 5.03 6 8" ;;
  *) echo "usage: $0 [grids|horizons|all] [OUT]" >&2; exit 64 ;;
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
      "$bin" compare $subject --samplers "$samplers" --nfe "$budgets" --particles "$particles" --seed 1 \
        --threads 1 --horizon "$horizon" --grid "$grid" --csv "${file%.csv}.part.csv" >/dev/null 2>&1 || true
      [ -s "${file%.csv}.part.csv" ] && mv "${file%.csv}.part.csv" "$file"
      echo "$file" >&2
    done
  done
done
