#!/usr/bin/env bash
# Wall time per image on this machine for both sides of docs/fashion/, run alone (nothing else on the 2
# cores): ours through the served stack (MLServer + ONNX Runtime with 2 threads, gRPC, requests of 500 rows)
# and diffusers' UniPC and DPM-Solver++ driving the same ONNX file in-process (ONNX Runtime with 2 threads,
# batches of 500, no server in between). 2,000 images, 10 and 20 NFE, w = 1 (one row per image per
# evaluation) and w = 2 (two rows); median of 3 runs.
#   scripts/fashion_walltime.sh   → docs/fashion/walltime.csv, docs/fashion/walltime.txt (~15 min)
set -euo pipefail
cd "$(dirname "$0")/.."
bin=${BIN:-.build/release/midpoint}; python=${PYTHON:-.venv-torch/bin/python}
source scripts/fashion_common.sh
work=$(mktemp -d)
trap 'stop_servers "$work"' EXIT
url=$(serve_fashion "$work/server")
median() { tr ' ' '\n' | grep . | sort -g | sed -n 2p; }
out=docs/fashion/walltime.csv
echo "side,sampler,nfe,guidance,images,seconds,ms_per_image" > "$out.tmp"
for w in 1 2; do
  for n in 10 20; do
    times=""
    for _ in 1 2 3; do
      times="$times $("$bin" sample --model-url "$url" --model-card models/fashion/fashion.card.json --class all --guidance "$w" \
        --sampler rm-ms --nfe "$n" --particles 2000 --seed 1 --max-batch-size 500 2>/dev/null | awk '/^served / { print $(NF-1) }')"
    done
    t=$(echo "$times" | median)
    echo "ours (served),rm-ms,$n,$w,2000,$t,$(python3 -c "print('%.2f' % ($t / 2))")" | tee -a "$out.tmp"
    for s in unipc dpmpp-2m; do
      times=""
      for _ in 1 2 3; do
        "$python" scripts/peer_diffusers.py --scheduler "$s" --nfe "$n" --particles 2000 --seed 1 --classes all --guidance "$w" \
          --threads 2 --batch 500 --out "$work/peer.npy" > /dev/null
        times="$times $(python3 -c "import json; print(json.load(open('$work/peer.npy.json'))['run']['seconds'])")"
      done
      t=$(echo "$times" | median)
      echo "diffusers (in-process),$s,$n,$w,2000,$t,$(python3 -c "print('%.2f' % ($t / 2))")" | tee -a "$out.tmp"
    done
  done
done
mv "$out.tmp" "$out"
{
  echo "# scripts/fashion_walltime.sh — $(date -u +%Y-%m-%d), $(nproc) cores, $(uname -m); ONNX Runtime with 2 threads on both sides; median of 3"
  column -s, -t "$out"
} > docs/fashion/walltime.txt
cat docs/fashion/walltime.txt
