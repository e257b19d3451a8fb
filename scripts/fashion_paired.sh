#!/usr/bin/env bash
# Paired comparison on the served Fashion-MNIST UNet: for each noise seed, ONE file of N × 784 starting
# states (numpy's default_rng(seed), standard normal) goes through our samplers (`midpoint sample --initial`)
# and through diffusers' schedulers (`scripts/peer_diffusers.py --initial`), so both sides start from the same
# noise and the FD difference between them is not swamped by the draw of x_T. One CSV row per sampler,
# NFE, guidance and seed; measured by `midpoint evaluate --images fashion-mnist`.
# Usage: scripts/fashion_paired.sh OUT.csv [OURS] [PEERS] [NFES] [GUIDANCES] [PARTICLES] [SEEDS]
#   defaults: rm-ms  unipc,dpmpp-2m  5,10,20  0,1,2  2000  1,2,3   (guidance 0: the unconditional model)
# Rows are appended (a rerun resumes). Starts its own server for ours and stops it; the peers run ONNX
# Runtime in-process with 2 threads, one job at a time. Needs .venv-torch with diffusers (README.md).
# CEILING (default inf: guidance at every level, diffusers' convention) is the guidance interval's ceiling
# σ/α given to both sides for w ≠ 0, 1 (`--guidance-ceiling`); keep one ceiling per OUT.csv.
# OURS_FLAGS (default none) are extra flags for our samplers, e.g. "--prediction data"; OURS_LABEL (default
# empty) is appended to their names in the CSV and the sample files, e.g. "+data" gives the rows "rm-ms+data".
set -euo pipefail
cd "$(dirname "$0")/.."
out=${1:?usage: scripts/fashion_paired.sh OUT.csv [OURS] [PEERS] [NFES] [GUIDANCES] [PARTICLES] [SEEDS]}
ours=${2:-rm-ms}; peers=${3:-unipc,dpmpp-2m}; nfes=${4:-5,10,20}; guidances=${5:-0,1,2}; particles=${6:-2000}; seeds=${7:-1,2,3}
bin=${BIN:-.build/release/midpoint}; python=${PYTHON:-.venv-torch/bin/python}
ceiling=${CEILING:-inf}
read -r -a ours_flags <<< "${OURS_FLAGS:-}"; label=${OURS_LABEL:-}
# Rows with other flags need their own name, or they would be taken for (and resume as) the plain ones.
[ -z "${OURS_FLAGS:-}" ] || [ -n "$label" ] || { echo "OURS_FLAGS needs OURS_LABEL" >&2; exit 2; }
source scripts/fashion_common.sh
dir=$(mktemp -d)
trap 'stop_servers "$dir"' EXIT
url=$(serve_fashion "$dir")
[ -f "$out" ] || echo "source,sampler,nfe,guidance,particles,seed,seconds,fd,fd_floor,precision,precision_floor,recall,recall_floor,accuracy,accuracy_floor" > "$out"
measure() {  # source sampler nfe w seed seconds npy
  echo "$1,$2,$3,$4,$particles,$5,$6,$(fashion_metrics "$bin" "$7")" | tee -a "$out"
}
for seed in ${seeds//,/ }; do
  noise=$(paired_noise "$seed" "$particles" "$python")
  for w in ${guidances//,/ }; do
    guidance_interval "$w" "$ceiling"
    for n in ${nfes//,/ }; do
      for s in ${ours//,/ }; do
        npy="docs/fashion/paired/ours-$s$label-nfe$n-w$w$suffix-seed$seed-n$particles.npy"
        grep -q "^ours,$s$label,$n,$w,$particles,$seed," "$out" && continue
        log=$("$bin" sample --model-url "$url" --model-card models/fashion/fashion.card.json --class all --guidance "$w" --sampler "$s" \
              --nfe "$n" --particles "$particles" --seed "$seed" --initial "$noise" --max-batch-size 500 "${interval[@]}" "${ours_flags[@]}" --output "$npy" 2>&1) || { echo "$s $n $w: $log" >&2; continue; }
        measure ours "$s$label" "$n" "$w" "$seed" "$(echo "$log" | awk '/^served fashion/ {print $(NF-1)}')" "$npy"
      done
      for s in ${peers//,/ }; do
        npy="docs/fashion/paired/diffusers-$s-nfe$n-w$w$suffix-seed$seed-n$particles.npy"
        grep -q "^diffusers,$s,$n,$w,$particles,$seed," "$out" && continue
        if [ "$w" = 0 ]; then cond=(--classes none --guidance 1); else cond=(--classes all --guidance "$w"); fi
        start=$(date +%s.%N)
        "$python" scripts/peer_diffusers.py --scheduler "$s" --nfe "$n" --particles "$particles" --seed "$seed" "${cond[@]}" \
          --initial "$noise" --threads 2 "${interval[@]}" --out "$npy" > /dev/null
        measure diffusers "$s" "$n" "$w" "$seed" "$(echo "$(date +%s.%N) - $start" | bc)" "$npy"
      done
    done
  done
done
