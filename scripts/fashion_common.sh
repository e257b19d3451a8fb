# Sourced by the scripts that measure the served Fashion-MNIST UNet (scripts/fashion_*.sh, early_stop_sweep.sh).
#   serve_fashion DIR [DELAY_MS]  starts MLServer in DIR with the fashion model (ONNX Runtime, 2 threads; DELAY_MS
#                                 added to every call, default 0) and prints its gRPC URL; stop it with
#                                 stop_servers DIR (scripts/servers.sh, sourced here too)
#   fashion_metrics BIN NPY       `BIN evaluate NPY --images fashion-mnist` as CSV fields: FD, precision, recall and
#                                 class accuracy, each with its floor (class accuracy empty for unconditional samples)
#   guidance_interval W CEILING   sets `interval` (the flags `--guidance-ceiling CEILING`) and `suffix` (file names:
#                                 "-ceilingC", empty for inf) for a guided w ≠ 0, 1; both empty for w = 0 and 1
#   paired_noise SEED N PYTHON    prints docs/fashion/paired/noise-seedSEED-nN.npy, writing it first if missing
#                                 (N × 784 standard normal from NumPy's default_rng(SEED)): the shared start
source "$(dirname "${BASH_SOURCE[0]}")/servers.sh"
serve_fashion() {
  local port; port=$(free_port)
  MIDPOINT_SERVE_MODEL=fashion MIDPOINT_SERVE_THREADS=2 MIDPOINT_SERVE_DELAY_MS="${2:-0}" \
    "$(dirname "${BASH_SOURCE[0]}")/serve" "$port" "$1" > /dev/null || return 1
  echo "grpc://127.0.0.1:$(cat "$1/grpc_port")"
}
fashion_metrics() {
  local metrics; metrics=$("$1" evaluate "$2" --images fashion-mnist 2>/dev/null)
  row() { echo "$metrics" | awk -v m="$1" '$0 ~ "^"m" " {print $(NF-1)","$NF}'; }
  echo "$(row FD),$(row precision),$(row recall),$(row 'class accuracy')"
}
guidance_interval() {
  interval=(); suffix=""
  if [ "$1" != 0 ] && [ "$1" != 1 ]; then
    interval=(--guidance-ceiling "$2"); [ "$2" = inf ] || suffix="-ceiling$2"
  fi
}
paired_noise() {
  local noise="docs/fashion/paired/noise-seed$1-n$2.npy"
  mkdir -p docs/fashion/paired
  [ -f "$noise" ] || "$3" -c "import numpy as np, sys; np.save(sys.argv[1], np.random.default_rng($1).standard_normal(($2, 784)))" "$noise"
  echo "$noise"
}
