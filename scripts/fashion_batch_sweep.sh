#!/usr/bin/env bash
# Request size against the server's per-row cost on the served Fashion-MNIST UNet (MLServer + ONNX Runtime,
# 2 threads, gRPC): wall time of `rm-ms` at 10 NFE, guided (w = 2: 2 rows per particle per evaluation) and
# class-conditional (w = 1), 2,000 particles, for --max-batch-size 128 … 2048 (in flight 8, the default) and
# in flight 2 / 32 at the default 1024; median of 3 runs. Samples are identical for every setting (the split
# of a batch into requests changes no value), so only the time is compared.
#   scripts/fashion_batch_sweep.sh   → docs/fashion/batch-sweep.csv, docs/fashion/batch-sweep.txt (~15 min idle)
set -euo pipefail
cd "$(dirname "$0")/.."
bin=${BIN:-.build/release/midpoint}
source scripts/fashion_common.sh
work=$(mktemp -d)
trap 'stop_servers "$work"' EXIT
url=$(serve_fashion "$work/server")
out=docs/fashion/batch-sweep.csv
echo "guidance,particles,max_batch,in_flight,seconds,seconds_per_row" > "$out.tmp"
for w in 2 1; do
  for setting in "128 8" "256 8" "512 8" "1024 8" "2048 8" "1024 2" "1024 32"; do
    set -- $setting
    times=""
    for _ in 1 2 3; do
      t=$("$bin" sample --model-url "$url" --model-card models/fashion/fashion.card.json --class all --guidance "$w" --sampler rm-ms \
            --nfe 10 --particles 2000 --seed 1 --max-batch-size "$1" --in-flight "$2" 2>/dev/null | awk '/^served / { print $(NF-1) }')
      times="$times $t"
    done
    median=$(echo "$times" | tr ' ' '\n' | grep . | sort -g | sed -n 2p)
    rows=$(( 2000 * 10 * (w == 1 ? 1 : 2) ))
    echo "$w,2000,$1,$2,$median,$(python3 -c "print('%.3g' % ($median / $rows * 1000))")" | tee -a "$out.tmp"
  done
done
mv "$out.tmp" "$out"
{
  echo "# scripts/fashion_batch_sweep.sh — $(date -u +%Y-%m-%d), $(nproc) cores, $(uname -m); MLServer 1.7.1 + ONNX Runtime (2 threads) on loopback; rm-ms, 10 NFE, median of 3; seconds_per_row in ms"
  column -s, -t "$out"
} > docs/fashion/batch-sweep.txt
cat docs/fashion/batch-sweep.txt
