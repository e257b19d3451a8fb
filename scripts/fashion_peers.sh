#!/usr/bin/env bash
# diffusers' schedulers on the same Fashion-MNIST ONNX weights (scripts/peer_diffusers.py), measured by
# `midpoint evaluate --images fashion-mnist` like our rows (scripts/fashion_table.sh): one CSV row per
# scheduler, NFE and guidance. Guidance 0 is the unconditional model (the null label only).
# Usage: scripts/fashion_peers.sh OUT.csv [SCHEDULERS] [NFES] [GUIDANCES] [PARTICLES] [SEED]
#   defaults: ddim,dpmpp-2m,unipc,deis  5,10,20  0,1,2  2000  1
# Needs .venv-torch with diffusers (docs/fashion/README.md). Samples go to docs/fashion/peers/ (not in git).
set -euo pipefail
cd "$(dirname "$0")/.."
out=${1:?usage: scripts/fashion_peers.sh OUT.csv [SCHEDULERS] [NFES] [GUIDANCES] [PARTICLES] [SEED]}
schedulers=${2:-ddim,dpmpp-2m,unipc,deis}; nfes=${3:-5,10,20}; guidances=${4:-0,1,2}; particles=${5:-2000}; seed=${6:-1}
bin=${BIN:-.build/release/midpoint}; python=${PYTHON:-.venv-torch/bin/python}
source scripts/fashion_common.sh
mkdir -p docs/fashion/peers
[ -f "$out" ] || echo "scheduler,nfe,guidance,particles,seed,seconds,fd,fd_floor,precision,precision_floor,recall,recall_floor,accuracy,accuracy_floor" > "$out"
for w in ${guidances//,/ }; do
  for s in ${schedulers//,/ }; do
    for n in ${nfes//,/ }; do
      npy="docs/fashion/peers/$s-nfe$n-w$w-seed$seed-n$particles.npy"
      grep -q "^$s,$n,$w,$particles,$seed," "$out" && continue   # measured already (a rerun resumes)
      if [ "$w" = 0 ]; then cond=(--classes none --guidance 1); else cond=(--classes all --guidance "$w"); fi
      start=$(date +%s.%N)
      "$python" scripts/peer_diffusers.py --scheduler "$s" --nfe "$n" --particles "$particles" --seed "$seed" "${cond[@]}" --out "$npy" > /dev/null
      seconds=$(echo "$(date +%s.%N) - $start" | bc)
      echo "$s,$n,$w,$particles,$seed,$seconds,$(fashion_metrics "$bin" "$npy")" | tee -a "$out"
    done
  done
done
