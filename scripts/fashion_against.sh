#!/usr/bin/env bash
# FD of sample sets to the model's own 250-step samples (another seed), which separates a sampler's error from
# the model's. The reference for guidance W is made here when it is missing (the served UNet, our dpmpp-2m at
# 250 steps, 4,000 images, seed 101, the same guidance and guidance interval):
#   midpoint sample --model-url URL --model-card models/fashion/fashion.card.json --class all --guidance W \
#     [--guidance-ceiling C] --sampler dpmpp-2m --steps 250 --particles 4000 --seed 101 --output REF
# Usage: scripts/fashion_against.sh OUT.csv [W] [SET]   (rows: who,sampler,nfe,seed,fd_to_reference,floor)
#   W: 1 (default), 0 or 2 (w = 2 with the guidance interval CEILING, default 10, for the reference and the sets);
#   SET: unpaired (docs/fashion/runs, docs/fashion/peers; default for W = 1) or paired (docs/fashion/paired).
# Rows are appended to OUT.csv (its header written when it is new); a set already in it is not measured again,
# so a rerun after new sample sets adds their rows and keeps those whose .npy files are gone (they are not in git).
set -euo pipefail
cd "$(dirname "$0")/.."
out=${1:?usage: scripts/fashion_against.sh OUT.csv [W] [SET]}; w=${2:-1}; bin=${BIN:-.build/release/midpoint}
set_=${3:-$([ "$w" = 1 ] && echo unpaired || echo paired)}
source scripts/fashion_common.sh
guidance_interval "$w" "${CEILING:-10}"
ref=docs/fashion/runs/reference-dpmpp-2m-steps250-w$w$suffix-seed101-n4000.npy
if [ ! -f "$ref" ]; then
  dir=$(mktemp -d)
  trap 'stop_servers "$dir"' EXIT
  url=$(serve_fashion "$dir")
  "$bin" sample --model-url "$url" --model-card models/fashion/fashion.card.json --class all --guidance "$w" "${interval[@]}" \
    --sampler dpmpp-2m --steps 250 --particles 4000 --seed 101 --max-batch-size 500 --output "$ref" > /dev/null
fi
case "$set_" in
  unpaired) files=(docs/fashion/runs/*-w$w$suffix-seed*-n2000.npy docs/fashion/peers/*-w$w$suffix-seed*-n2000.npy) ;;
  paired) files=(docs/fashion/paired/*-w$w$suffix-seed*-n2000.npy) ;;
  *) echo "SET must be unpaired or paired, got $set_" >&2; exit 2 ;;
esac
[ -f "$out" ] || echo "who,sampler,nfe,seed,fd_to_reference,floor" > "$out"
for f in "${files[@]}"; do
  [ -f "$f" ] || continue
  name=$(basename "$f" .npy); who=ours
  case "$f" in
    *peers/*) who=diffusers ;;
    *paired/diffusers-*) who=diffusers; name=${name#diffusers-} ;;
    *paired/ours-*) name=${name#ours-} ;;
  esac
  sampler=${name%%-nfe*}; rest=${name#*-nfe}; nfe=${rest%%-*}; seed=${name#*-seed}; seed=${seed%%-*}
  grep -q "^$who,$sampler,$nfe,$seed," "$out" && continue   # measured already
  "$bin" evaluate "$f" --images fashion-mnist --against "$ref" 2>/dev/null |
    awk -v w="$who" -v s="$sampler" -v n="$nfe" -v d="$seed" '/^FD to reference samples/ {print w "," s "," n "," d "," $(NF-1) "," $NF}' >> "$out"
done
