#!/usr/bin/env bash
# How --max-batch-size and --in-flight were chosen (docs/remote.md): rm-parallel (tolerance 1e-3, 32 steps)
# and rm-ms (20 NFE) through MLServer over gRPC and REST, d = 256 with 20 ms per call and d = 64 with none,
# 16–256 particles; median of 3 runs of the sampling time per setting.
#   scripts/remote_batch_sweep.sh      → docs/remote/batch-sweep.csv (~6 min)
set -euo pipefail
cd "$(dirname "$0")/.."
MIDPOINT_REMOTE=1 swift build -c release --product midpoint > /dev/null 2>&1
midpoint=.build/release/midpoint
source scripts/servers.sh
work=$(mktemp -d)
trap 'stop_servers "$work"' EXIT
out=docs/remote/batch-sweep.csv
echo "d,delay_ms,wire,sampler,particles,max_batch,in_flight,seconds" > "$out.tmp"
for setting in "256 20" "64 0"; do
  set -- $setting
  d=$1 delay=$2
  port=$(free_port)
  MIDPOINT_SERVE_DIMENSION=$d MIDPOINT_SERVE_DELAY_MS=$delay scripts/serve "$port" "$work/s$d" > /dev/null
  sed "s/\[8\]/[$d]/" serve/exact.card.json > "$work/card$d.json"
  for url in "grpc://127.0.0.1:$(cat "$work/s$d/grpc_port")" "http://127.0.0.1:$port"; do
    wire=${url%%:*}
    for job in "rm-parallel --picard-tolerance 1e-3 --steps 32" "rm-ms --nfe 20"; do
      sampler=${job%% *}
      for n in 16 64 256; do
        for mb in 256 512 1024 2048 4096; do
          for inflight in 2 8 32; do
            if [ "$mb" != 1024 ] && [ "$inflight" != 8 ]; then continue; fi
            times=""
            for _ in 1 2 3; do
              # shellcheck disable=SC2086
              t=$("$midpoint" sample --model-url "$url" --model-card "$work/card$d.json" --sampler $job --particles "$n" --seed 1 \
                    --max-batch-size "$mb" --in-flight "$inflight" 2>/dev/null | awk '/^served / { print $(NF-1) }')
              times="$times $t"
            done
            median=$(echo $times | tr ' ' '\n' | sort -g | sed -n 2p)
            echo "$d,$delay,$wire,$sampler,$n,$mb,$inflight,$median" >> "$out.tmp"
          done
        done
      done
    done
  done
done
mv "$out.tmp" "$out"
echo "wrote $out"
