#!/usr/bin/env bash
# rm-ms's early-stopping time δ against the NFE budget, on every exact target, the digits network and the served
# Fashion-MNIST UNet: the measurement behind RandomizedMultistepSampler.defaultEarlyStop (docs/defaults/early-stop.md).
# Usage: scripts/early_stop_sweep.sh [OUTDIR]   (default docs/defaults/early-stop; about 15 minutes on 2 cores)
#   then: python3 scripts/early_stop_report.py OUTDIR
# The fashion part needs the serving venv (scripts/install-serve) and the Debian dataset-fashion-mnist package.
set -euo pipefail
cd "$(dirname "$0")/.."
out=${1:-docs/defaults/early-stop}; bin=${BIN:-.build/release/midpoint}
deltas="0.001 0.003 0.01 0.03 0.1"; nfes=4,5,6,8,10,15,20
mkdir -p "$out"
for d in $deltas; do
  for t in mixture64 gauss256 ring2d product1024; do
    "$bin" compare --target $t --samplers rm-ms --nfe $nfes --particles 4000 --seed 3 --early-stop $d --csv "$out/$t-delta$d.csv" > /dev/null
  done
  "$bin" compare --model digits --samplers rm-ms --nfe $nfes --particles 2000 --seed 3 --early-stop $d --csv "$out/digits-delta$d.csv" > /dev/null
done
source scripts/fashion_common.sh
dir=$(mktemp -d); tmp=$(mktemp -d)
trap 'stop_servers "$dir"; rm -rf "$tmp"' EXIT
url=$(serve_fashion "$dir")
echo "target,sampler,nfe,early_stop,metric,value,floor" > "$out/fashion.csv"
for d in $deltas; do
  for n in ${nfes//,/ }; do
    "$bin" sample --model-url "$url" --model-card models/fashion/fashion.card.json --class all --sampler rm-ms --nfe $n \
      --particles 1000 --seed 1 --early-stop $d --max-batch-size 500 --output "$tmp/s.npy" > /dev/null
    "$bin" evaluate "$tmp/s.npy" --images fashion-mnist 2>/dev/null |
      awk -v n=$n -v d=$d '/^FD / {print "fashion,rm-ms," n "," d ",FD," $(NF-1) "," $NF}' >> "$out/fashion.csv"
  done
done
