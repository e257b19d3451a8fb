#!/usr/bin/env bash
# FD, precision, recall and class accuracy of samplers on the served Fashion-MNIST UNet, through the same
# serving stack users deploy (MLServer + ONNX Runtime, gRPC), one CSV row per sampler, NFE and guidance.
# Usage: scripts/fashion_table.sh OUT.csv [SAMPLERS] [NFES] [GUIDANCES] [PARTICLES] [SEED]
#   defaults: rm-ms,rm,dpmpp-2m,ddim,heun  5,10,20  0,1,2  2000  1   (guidance 0: the unconditional model)
# Rows are appended to OUT.csv (its header written when it is new).
# CEILING (default inf: guidance at every level, as the peers' tables run) is the guidance interval's ceiling
# σ/α for w ≠ 0, 1 (`--guidance-ceiling`; the CLI's own default is 10); keep one ceiling per OUT.csv.
# Starts its own server (MIDPOINT_SERVE_MODEL=fashion, 2 ONNX Runtime threads) and stops it; the samples go
# to docs/fashion/runs/ (not in git; their .npy.json provenance is).
set -euo pipefail
cd "$(dirname "$0")/.."
out=${1:?usage: scripts/fashion_table.sh OUT.csv [SAMPLERS] [NFES] [GUIDANCES] [PARTICLES] [SEED]}
samplers=${2:-rm-ms,rm,dpmpp-2m,ddim,heun}; nfes=${3:-5,10,20}; guidances=${4:-0,1,2}; particles=${5:-2000}; seed=${6:-1}
bin=${BIN:-.build/release/midpoint}
ceiling=${CEILING:-inf}
source scripts/fashion_common.sh
dir=$(mktemp -d)
trap 'stop_servers "$dir"' EXIT
url=$(serve_fashion "$dir")
mkdir -p docs/fashion/runs
[ -f "$out" ] || echo "sampler,nfe,guidance,particles,seed,seconds,fd,fd_floor,precision,precision_floor,recall,recall_floor,accuracy,accuracy_floor" > "$out"
for w in ${guidances//,/ }; do
  guidance_interval "$w" "$ceiling"
  for s in ${samplers//,/ }; do
    for n in ${nfes//,/ }; do
      npy="docs/fashion/runs/$s-nfe$n-w$w$suffix-seed$seed-n$particles.npy"
      grep -q "^$s,$n,$w,$particles,$seed," "$out" && continue   # measured already (a rerun resumes)
      log=$("$bin" sample --model-url "$url" --model-card models/fashion/fashion.card.json --class all --guidance "$w" --sampler "$s" \
            --nfe "$n" --particles "$particles" --seed "$seed" --max-batch-size 500 "${interval[@]}" --output "$npy" 2>&1) || { echo "$s $n $w: $log" >&2; continue; }
      seconds=$(echo "$log" | awk '/^served fashion/ {print $(NF-1)}')
      echo "$s,$n,$w,$particles,$seed,$seconds,$(fashion_metrics "$bin" "$npy")" | tee -a "$out"
    done
  done
done
