#!/usr/bin/env bash
# Parallel-in-time against sequential on the served Fashion-MNIST UNet with 20 ms added to every call (the
# latency of a GPU-sized call): `rm` against `rm-parallel --picard-tolerance 1e-3` on the same grid and seed,
# class-conditional (w = 1) and guided (w = 2: both halves in one request), over gRPC. Rounds are the
# sequential model calls; the wall clock here also pays this CPU server's ~0.7 ms per row, which a GPU does
# not (see docs/fashion/serving.md). max_abs_diff: the largest difference between the two samplers' samples
# (pixels in [-1, 1]): the Picard iteration converged to rm's own solution of the same grid.
#   scripts/fashion_parallel.sh [PARTICLES] [STEPS]   defaults: 8,32  10,20
#   → docs/fashion/parallel.csv, docs/fashion/parallel.txt (~5 min on an idle machine)
set -euo pipefail
cd "$(dirname "$0")/.."
particles=${1:-8,32}; stepses=${2:-10,20}
bin=${BIN:-.build/release/midpoint}
source scripts/fashion_common.sh
work=$(mktemp -d)
trap 'stop_servers "$work"' EXIT
url=$(serve_fashion "$work/server" 20)
run() {  # w particles steps sampler extra...
  local w=$1 n=$2 steps=$3 sampler=$4; shift 4
  "$bin" sample --model-url "$url" --model-card models/fashion/fashion.card.json --class all --guidance "$w" --sampler "$sampler" \
    --steps "$steps" --particles "$n" --seed 7 --max-batch-size 512 --in-flight 8 --output "$work/$sampler.npy" "$@" 2>/dev/null > "$work/$sampler.txt"
  awk '/^served / { secs = $(NF-1); nfe = $(NF-4); rounds = $(NF-3) } END { printf "%s,%s,%s", nfe, rounds, secs }' "$work/$sampler.txt"
}
out=docs/fashion/parallel.csv
echo "guidance,particles,steps,sampler,nfe,rounds,seconds,parallel_speedup,max_abs_diff" > "$out.tmp"
for w in 1 2; do
  for n in ${particles//,/ }; do
    for steps in ${stepses//,/ }; do
      a=$(run "$w" "$n" "$steps" rm)
      b=$(run "$w" "$n" "$steps" rm-parallel --picard-tolerance 1e-3)
      diff=$(.venv-serve/bin/python -c "import numpy as np; print('%.2e' % np.abs(np.load('$work/rm.npy') - np.load('$work/rm-parallel.npy')).max())")
      speedup=$(python3 -c "print('%.2f' % ($(echo "$a" | cut -d, -f3) / $(echo "$b" | cut -d, -f3)))")
      echo "$w,$n,$steps,rm,$a,," >> "$out.tmp"
      echo "$w,$n,$steps,rm-parallel,$b,$speedup,$diff" >> "$out.tmp"
      tail -2 "$out.tmp"
    done
  done
done
mv "$out.tmp" "$out"
{
  echo "# scripts/fashion_parallel.sh — $(date -u +%Y-%m-%d), $(nproc) cores, $(uname -m); MLServer 1.7.1 + ONNX Runtime (2 threads) on loopback, 20 ms per call, seed 7"
  column -s, -t "$out"
} > docs/fashion/parallel.txt
cat docs/fashion/parallel.txt
