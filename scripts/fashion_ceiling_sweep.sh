#!/usr/bin/env bash
# The guidance interval's ceiling (`--guidance-ceiling`, docs/algorithms.md §14) on the served Fashion-MNIST UNet:
# each sampler at each NFE and ceiling σ/α, guided with w, from the paired noise of one seed
# (docs/fashion/paired/noise-seedS-nN.npy, as scripts/fashion_paired.sh uses: paired_noise in fashion_common.sh). One CSV row per cell with FD,
# precision, recall and class accuracy (each beside its floor), measured by `midpoint evaluate --images fashion-mnist`.
# Usage: scripts/fashion_ceiling_sweep.sh OUT.csv [SAMPLERS] [NFES] [CEILINGS] [W] [PARTICLES] [SEED]
#   defaults: rm-ms,dpmpp-2m  5,10,20  inf,40,10,5  2  2000  1
# Rows are appended (a rerun resumes). Starts its own server and stops it.
set -euo pipefail
cd "$(dirname "$0")/.."
out=${1:?usage: scripts/fashion_ceiling_sweep.sh OUT.csv [SAMPLERS] [NFES] [CEILINGS] [W] [PARTICLES] [SEED]}
samplers=${2:-rm-ms,dpmpp-2m}; nfes=${3:-5,10,20}; ceilings=${4:-inf,40,10,5}; w=${5:-2}; particles=${6:-2000}; seed=${7:-1}
bin=${BIN:-.build/release/midpoint}; python=${PYTHON:-.venv-torch/bin/python}
source scripts/fashion_common.sh
dir=$(mktemp -d)
trap 'stop_servers "$dir"' EXIT
url=$(serve_fashion "$dir")
noise=$(paired_noise "$seed" "$particles" "$python")
[ -f "$out" ] || echo "sampler,nfe,guidance,ceiling,particles,seed,fd,fd_floor,precision,precision_floor,recall,recall_floor,accuracy,accuracy_floor" > "$out"
for s in ${samplers//,/ }; do
  for c in ${ceilings//,/ }; do
    for n in ${nfes//,/ }; do
      grep -q "^$s,$n,$w,$c,$particles,$seed," "$out" && continue
      npy="$dir/$s-$n-$c.npy"
      "$bin" sample --model-url "$url" --model-card models/fashion/fashion.card.json --class all --guidance "$w" \
        --guidance-ceiling "$c" --sampler "$s" --nfe "$n" --particles "$particles" --seed "$seed" --initial "$noise" \
        --max-batch-size 500 --output "$npy" > /dev/null 2>&1 || { echo "$s $n $c: failed" >&2; continue; }
      echo "$s,$n,$w,$c,$particles,$seed,$(fashion_metrics "$bin" "$npy")" | tee -a "$out"
    done
  done
done
