#!/usr/bin/env bash
# Wall-clock of sequential rm against parallel-in-time rm-parallel through a real server (docs/remote.md):
# MLServer serving the exact score of N(0.5·1, 0.3 I) in d = 256 with 20 ms added to every call (a GPU
# UNet's order), over gRPC (raw tensors) and REST (JSON). Same seed and grid for both samplers; rm-parallel
# stops its Picard iteration at tolerance 1e-3, so both integrate the same grid and their samples agree
# (max_abs_diff; the target's sd is 0.55): equal error. Requests of up to 512 rows, 8 in flight (a Picard round of ~900 rows becomes two requests whose 20 ms waits overlap).
#   scripts/remote_wallclock.sh        → docs/remote/wallclock.csv, docs/remote/wallclock.txt (~2 min)
set -euo pipefail
cd "$(dirname "$0")/.."
MIDPOINT_REMOTE=1 swift build -c release --product midpoint > /dev/null 2>&1
midpoint=.build/release/midpoint
source scripts/servers.sh
work=$(mktemp -d)
trap 'stop_servers "$work"' EXIT
port=$(free_port)
MIDPOINT_SERVE_DIMENSION=256 MIDPOINT_SERVE_DELAY_MS=20 scripts/serve "$port" "$work/server" > /dev/null
grpc="grpc://127.0.0.1:$(cat "$work/server/grpc_port")"
rest="http://127.0.0.1:$port"
sed 's/\[8\]/[256]/' serve/exact.card.json > "$work/card.json"
echo '{"kind": "product", "dimension": 256, "components": [{"weight": 1, "mean": 0.5, "variance": 0.3}]}' > "$work/target.json"
run() {  # url wire particles steps sampler extra...
  local url=$1 wire=$2 n=$3 steps=$4 sampler=$5; shift 5
  "$midpoint" sample --model-url "$url" --model-card "$work/card.json" --target "$work/target.json" --sampler "$sampler" \
    --steps "$steps" --particles "$n" --seed 7 --max-batch-size 512 --in-flight 8 --output "$work/$sampler.npy" "$@" 2>/dev/null > "$work/$sampler.txt"
  awk -v w="$wire" -v s="$sampler" '/^served / { secs = $(NF-1); nfe = $(NF-4); rounds = $(NF-3) }
       /^mean error/ { me = $3 } /^sliced W2/ { sw = $3 }
       END { printf "%s,%s,%s,%s,%s,%s,%s", w, s, nfe, rounds, secs, me, sw }' "$work/$sampler.txt"
}
out=docs/remote/wallclock.csv
echo "wire,particles,steps,sampler,nfe,rounds,seconds,mean_error,sliced_w2,parallel_speedup,max_abs_diff" > "$out.tmp"
for config in "$grpc gRPC/raw 16 32" "$grpc gRPC/raw 16 64" "$grpc gRPC/raw 32 32" "$grpc gRPC/raw 64 32" "$rest REST/JSON 16 32"; do
  set -- $config
  url=$1 wire=$2 n=$3 steps=$4
  a=$(run "$url" "$wire" "$n" "$steps" rm)
  b=$(run "$url" "$wire" "$n" "$steps" rm-parallel --picard-tolerance 1e-3)
  diff=$(.venv-serve/bin/python -c "import numpy as np; print('%.2e' % np.abs(np.load('$work/rm.npy') - np.load('$work/rm-parallel.npy')).max())")
  speedup=$(python3 -c "print('%.2f' % ($(echo "$a" | cut -d, -f5) / $(echo "$b" | cut -d, -f5)))")
  echo "$a" | awk -F, -v n="$n" -v st="$steps" '{ printf "%s,%s,%s,%s,%s,%s,%s,%s,%s,,\n", $1, n, st, $2, $3, $4, $5, $6, $7 }' >> "$out.tmp"
  echo "$b" | awk -F, -v n="$n" -v st="$steps" -v sp="$speedup" -v d="$diff" '{ printf "%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s\n", $1, n, st, $2, $3, $4, $5, $6, $7, sp, d }' >> "$out.tmp"
done
mv "$out.tmp" "$out"
{
  echo "# scripts/remote_wallclock.sh — $(date -u +%Y-%m-%d), $(nproc) cores, $(uname -m); MLServer 1.7.1 on loopback, d = 256, 20 ms per call, seed 7"
  column -s, -t "$out"
} > docs/remote/wallclock.txt
cat docs/remote/wallclock.txt
