#!/usr/bin/env bash
# rm-ms's early-stopping time δ against the NFE budget, on every exact target, the digits network and the served
# Fashion-MNIST UNet: the measurement behind RandomizedMultistepSampler.defaultEarlyStop (docs/defaults/early-stop.md).
# Usage: scripts/early_stop_sweep.sh [OUTDIR]   (default docs/defaults/early-stop; about 25 minutes on 2 cores)
#   then: python3 scripts/early_stop_report.py OUTDIR
# DELTAS (default "0.001 0.003 0.01 0.03 0.1 rule") picks the columns (a column measured again replaces its
# rows); ONLY=fashion runs the served-UNet part alone, GUIDANCES="2" one of its subjects. Fashion subjects:
# w = 1 (fashion.csv) and w = 2 with the default guidance interval (fashion-w2.csv), 1,000 images each,
# `--class all`, seed 1.
# The fashion part needs the serving venv (scripts/install-serve) and the Debian dataset-fashion-mnist package.
set -euo pipefail
cd "$(dirname "$0")/.."
out=${1:-docs/defaults/early-stop}; bin=${BIN:-.build/release/midpoint}
deltas=${DELTAS:-0.001 0.003 0.01 0.03 0.1 rule}; nfes=4,5,6,8,10,15,20
# "rule": no --early-stop, i.e. the default rule itself (RandomizedMultistepSampler.defaultEarlyStop).
stop() { [ "$1" = rule ] || echo --early-stop "$1"; }
case "${ONLY:-}" in ""|fashion) ;; *) echo "ONLY must be empty or fashion, got ${ONLY}" >&2; exit 2 ;; esac
mkdir -p "$out"
[ "${ONLY:-}" = fashion ] || for d in $deltas; do
  for t in mixture64 gauss256 ring2d product1024; do
    "$bin" compare --target $t --samplers rm-ms --nfe $nfes --particles 4000 --seed 3 $(stop $d) --csv "$out/$t-delta$d.csv" > /dev/null
  done
  "$bin" compare --model digits --samplers rm-ms --nfe $nfes --particles 2000 --seed 3 $(stop $d) --csv "$out/digits-delta$d.csv" > /dev/null
done
source scripts/fashion_common.sh
dir=$(mktemp -d); tmp=$(mktemp -d)
trap 'stop_servers "$dir"; rm -rf "$tmp"' EXIT
url=$(serve_fashion "$dir")
for w in ${GUIDANCES:-1 2}; do
  name=fashion; [ "$w" = 1 ] || name=fashion-w$w; csv="$out/$name.csv"
  [ -f "$csv" ] || echo "target,sampler,nfe,early_stop,metric,value,floor" > "$csv"
  for d in $deltas; do
    : > "$tmp/new.csv"
    for n in ${nfes//,/ }; do
      "$bin" sample --model-url "$url" --model-card models/fashion/fashion.card.json --class all --guidance $w --sampler rm-ms \
        --nfe $n --particles 1000 --seed 1 $(stop $d) --max-batch-size 500 --output "$tmp/s.npy" > /dev/null
      "$bin" evaluate "$tmp/s.npy" --images fashion-mnist 2>/dev/null |
        awk -v n=$n -v d=$d -v t=$name '/^FD / {print t ",rm-ms," n "," d ",FD," $(NF-1) "," $NF}' >> "$tmp/new.csv"
    done
    # The column, once complete (one row per budget), replaces its old rows; a failed or short run leaves the
    # file as it was, and the new file replaces the old one by a rename.
    [ "$(wc -l < "$tmp/new.csv")" -eq "$(wc -w <<< "${nfes//,/ }")" ] || { echo "incomplete column $d for $name" >&2; exit 1; }
    awk -F, -v d="$d" '$4 != d' "$csv" | cat - "$tmp/new.csv" > "$csv.tmp" && mv "$csv.tmp" "$csv"
  done
done
