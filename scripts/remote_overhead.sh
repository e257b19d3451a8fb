#!/usr/bin/env bash
# Per-call overhead of each transport on loopback, and the Swift client's share of it (docs/remote.md):
# MLServer serving the exact model in d = 64 with no delay, called with batches of 256 and 4096 rows by
# `midpoint call-profile` over REST/JSON and gRPC/raw, by the binary stand-in server over REST/binary,
# and by the Python client (serve/python_client_probe.py) in the same run.
#   scripts/remote_overhead.sh          → docs/remote/overhead.csv, docs/remote/overhead.txt (~1 min)
set -euo pipefail
cd "$(dirname "$0")/.."
MIDPOINT_REMOTE=1 swift build -c release --product midpoint > /dev/null
midpoint=.build/release/midpoint
source scripts/servers.sh
work=$(mktemp -d)
trap 'stop_servers "$work"' EXIT
port=$(free_port)
MIDPOINT_SERVE_DIMENSION=64 scripts/serve "$port" "$work/mlserver" > /dev/null
grpc=$(cat "$work/mlserver/grpc_port")
binary_port=$(free_port)
mkdir -p "$work/binary"
.venv-serve/bin/python serve/binary_tensor_server.py "$binary_port" --dimension 64 > /dev/null 2>&1 &
echo $! > "$work/binary/mlserver.pid"
sed 's/\[8\]/[64]/' serve/exact.card.json > "$work/card64.json"
sleep 1
out=docs/remote/overhead.csv
echo "client,wire,rows,d,ms_per_call,client_ms,client_share" > "$out.tmp"
for url in "http://127.0.0.1:$port" "grpc://127.0.0.1:$grpc" "http://127.0.0.1:$binary_port"; do
  "$midpoint" call-profile --model-url "$url" --model-card "$work/card64.json" --rows 256,4096 --calls 20 --csv "$work/p.csv" > /dev/null
  tail -n +2 "$work/p.csv" | awk -F, '{printf "swift,%s,%s,%s,%.3f,%.3f,%.4f\n", $1, $2, $3, $4, $5, $6/100}' >> "$out.tmp"
done
.venv-serve/bin/python serve/python_client_probe.py "$port" "$grpc" 64 256,4096 20 | awk -F, '{print $0 ",,"}' >> "$out.tmp"
mv "$out.tmp" "$out"
{
  echo "# scripts/remote_overhead.sh — $(date -u +%Y-%m-%d), $(nproc) cores, $(uname -m); MLServer 1.7.1 (REST/JSON, gRPC/raw) and serve/binary_tensor_server.py (REST/binary) on loopback, d = 64"
  column -s, -t "$out"
} > docs/remote/overhead.txt
cat docs/remote/overhead.txt
