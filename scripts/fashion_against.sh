#!/usr/bin/env bash
# FD of each w = 1 sample set (docs/fashion/runs, docs/fashion/peers) to the model's own 250-step samples (another
# seed), which separates a sampler's error from the model's. The reference is made by:
#   midpoint sample --model-url URL --model-card models/fashion/fashion.card.json --class all --guidance 1 \
#     --sampler dpmpp-2m --steps 250 --particles 4000 --seed 101 --output docs/fashion/runs/reference-dpmpp-2m-steps250-w1-seed101-n4000.npy
# Usage: scripts/fashion_against.sh OUT.csv   (rows: who,sampler,nfe,seed,fd_to_reference,floor)
set -euo pipefail
cd "$(dirname "$0")/.."
out=${1:?usage: scripts/fashion_against.sh OUT.csv}; bin=${BIN:-.build/release/midpoint}
ref=docs/fashion/runs/reference-dpmpp-2m-steps250-w1-seed101-n4000.npy
echo "who,sampler,nfe,seed,fd_to_reference,floor" > "$out"
for f in docs/fashion/runs/*-w1-seed*-n2000.npy docs/fashion/peers/*-w1-seed*-n2000.npy; do
  [ -f "$f" ] || continue
  name=$(basename "$f" .npy); who=ours; [[ "$f" == *peers* ]] && who=diffusers
  sampler=${name%%-nfe*}; rest=${name#*-nfe}; nfe=${rest%%-*}; seed=${name#*-seed}; seed=${seed%%-*}
  "$bin" evaluate "$f" --images fashion-mnist --against "$ref" 2>/dev/null |
    awk -v w="$who" -v s="$sampler" -v n="$nfe" -v d="$seed" '/^FD to reference samples/ {print w "," s "," n "," d "," $(NF-1) "," $NF}' >> "$out"
done
