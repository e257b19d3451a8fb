#!/usr/bin/env bash
# Replays families of bad input against the midpoint binary and counts what must never happen:
# crashes or traps (death by a signal), hangs (no exit within the time limit) and lost work (an interrupted
# or failed write that damaged an existing output file or left a partial one).
# Families: CLI flags of every subcommand, JSON targets and potentials, ≥ 300 byte-flip mutants of a shipped
# model file, served models (flags, model cards, and a misbehaving server on loopback), output paths, and
# interrupts during a write.
# Usage: scripts/bad_inputs.sh [MUTANTS]   (default 300; exit status 1 if anything must-never happened)
set -uo pipefail
cd "$(dirname "$0")/.."
bin=${BIN:-.build/release/midpoint}
[ -x "$bin" ] || MIDPOINT_REMOTE=1 swift build -c release --product midpoint >/dev/null
mutants=${1:-300}
work=$(mktemp -d)
chaos_pid=""
trap 'rm -rf "$work"; [ -n "$chaos_pid" ] && kill "$chaos_pid" 2>/dev/null' EXIT
cases=0 clean=0 accepted=0 crashes=0 hangs=0 lost=0 contradictions=0 last_status=0

run() {  # run ARGS…: one case, classified by its exit status
  cases=$((cases + 1))
  timeout "${limit:-60}" "$bin" "$@" >"$work/out" 2>"$work/err" </dev/null
  local status=$?
  last_status=$status
  if [ $status -eq 124 ]; then hangs=$((hangs + 1)); echo "HANG: $*"
  elif [ $status -ge 128 ]; then crashes=$((crashes + 1)); echo "CRASH ($status): $*"; tail -3 "$work/err"
  elif [ $status -eq 0 ]; then accepted=$((accepted + 1))
  else
    clean=$((clean + 1))
    grep -q '^Error: ' "$work/err" || { echo "NO MESSAGE ($status): $*"; crashes=$((crashes + 1)); }
  fi
}

small=(--particles 20 --threads 1)

chaos_family() {  # chaos_family TRANSPORT URL MODEL…: sample each misbehaving model; the well-behaved one ("fine")
  local transport=$1 url=$2 name out; shift 2  # must write, every other one must be refused and write nothing
  for name in "$@"; do
    sed "s/\"exact\"/\"$name\"/" "$card" > "$work/$transport-$name.card.json"
    out="$work/$transport-$name.npy"
    run sample --model-url "$url" --model-card "$work/$transport-$name.card.json" --request-timeout 2 --retries 1 \
      "${small[@]}" --steps 2 --output "$out"
    if [ "$name" = fine ]; then
      [ -e "$out" ] || { lost=$((lost + 1)); echo "NO OUTPUT from the well-behaved $transport model"; }
    elif [ -e "$out" ] || [ "$last_status" -eq 0 ]; then
      contradictions=$((contradictions + 1)); echo "ACCEPTED a contradicting $transport answer: $name"
    fi
  done
}

# 1. Flags: out of range, malformed, negative, non-finite, huge.
# Each tuning flag is tried with a sampler that reads it (a sampler that does not refuses it before its value).
for spec in "rm-ms --particles" "rm-ms --threads" "rm-ms --seed" "rm-ms --horizon" "rm-ms --early-stop" "rm-ms --steps" \
            "rm-ms --nfe" "rm-ms --latency" "rm-pc --corrections" "rm-pc --corrector-ratio" "rm-pc --corrector-steps" \
            "rm-pc --corrector-time" "rm-pc --corrector-friction" "rm-parallel --picard-rounds" "rm-parallel --picard-window" \
            "rm-parallel --picard-span" "rm-parallel --picard-tolerance" "paradigms --picard-window" "paradigms --picard-tolerance"; do
  read -r sampler flag <<< "$spec"
  for value in 0 -1 -1e308 nan inf 1e308 9223372036854775807 x "" 1.5; do
    run sample --target ring2d --sampler "$sampler" "${small[@]}" --steps 4 "$flag" "$value"
  done
done
for args in "--sampler rm-pc" "--sampler rm-parallel --parallel-corrector"; do
  for extreme in "--corrector-friction 1e308" "--corrector-time 1e308" "--corrector-friction 1e-308" "--early-stop 1e-320"; do
    # shellcheck disable=SC2086
    run sample --target ring2d $args "${small[@]}" --steps 8 $extreme
  done
done
# Tuning flags a sampler does not read, for every sampler (refused before any work, naming the readers).
for sampler in $("$bin" samplers | awk 'NR == 1 {next} /^$/ {exit} $1 != "name" {print $1}'); do
  for args in "--interpolant log" "--prediction data" "--corrections 3" "--picard-window 3" "--plain-picard" "--paradigms-base ddpm" "--corrector-integrator rm"; do
    # shellcheck disable=SC2086
    run sample --target ring2d --sampler "$sampler" "${small[@]}" --steps 4 $args
  done
done
# rm-ms's data form reads no interpolant; an unknown form is refused.
for args in "--prediction data --interpolant linear" "--prediction data --interpolant log" "--prediction x" \
            "--prediction data --interpolant log --nfe 2"; do
  # shellcheck disable=SC2086
  run sample --target ring2d --sampler rm-ms "${small[@]}" --nfe 5 $args
done
run sample --target ring2d --sampler rm-ms "${small[@]}" --nfe 5 --prediction ""
for value in "5,,10" "," "5,x" "-5" "0" "9999999999"; do run compare --target ring2d --samplers rm --particles 20 --nfe "$value"; done
for value in "rm,," "rk4" "" ","; do run compare --target ring2d --particles 20 --nfe 5 --samplers "$value"; done
for args in "--chains 1" "--chains -3" "--draws 0" "--draws nan" "--warmup -1" "--step-size 0" "--step-size inf" \
            "--sampler hmc" "--potential nope" "--friction -2"; do
  # shellcheck disable=SC2086
  run mcmc --potential gaussian-ill --draws 20 --warmup 10 $args
done
for sampler in ula mala ulmc rm-ulmc rm-ulmc-pc rm-ulmc-parallel; do
  for args in "--friction 1e308" "--step-size 1e308" "--friction 1e-308" "--step-size 1e-308" "--step-size 1e3" "--step-size 1e-12"; do
    # shellcheck disable=SC2086
    run mcmc --potential gaussian-ill --sampler "$sampler" --draws 20 --warmup 10 $args
  done
done
for sampler in ula mala ulmc rm-ulmc rm-ulmc-pc rm-ulmc-parallel; do
  for args in "--step-scale 0" "--step-scale 1e3" "--step-scale 40" "--step-scale nan" "--metric full" "--metric none" \
              "--metric dense --warmup 3" "--no-adapt" "--warmup 0" "--chains 100000 --draws 10000000"; do
    # shellcheck disable=SC2086
    run mcmc --potential gaussian-ill --sampler "$sampler" --draws 20 --warmup 150 $args
  done
done
for args in "--start nowhere.csv" "--start /dev/null" "--start /tmp" "--samplers mala" "--samplers ula,," "--dimension 0" \
            "--condition 0.5" "--tolerance -1" "--max-gradients 0" "--csv /tmp"; do
  # shellcheck disable=SC2086
  run mcmc-cost --dimension 5 --max-gradients 200 $args
done
printf '1,2,x\n' > "$work/start.csv"; run mcmc-cost --dimension 3 --max-gradients 100 --start "$work/start.csv"
printf '1,2\n' > "$work/start.csv"; run mcmc-cost --dimension 3 --max-gradients 100 --start "$work/start.csv"
printf '1,2,3\n' > "$work/start.csv"; run mcmc-cost --dimension 3 --max-gradients 100 --start "$work/start.csv"
# Shards, merge and evaluate.
"$bin" sample --target ring2d --particles 40 --steps 4 --shard 0/2 --output "$work/s0.npy" >/dev/null 2>&1
"$bin" sample --target ring2d --particles 40 --steps 4 --shard 1/2 --output "$work/s1.npy" >/dev/null 2>&1
"$bin" sample --target ring2d --particles 40 --steps 4 --seed 3 --shard 1/2 --output "$work/t1.npy" >/dev/null 2>&1
cp "$work/s1.npy" "$work/nojson.npy"; printf '{"run": 1}' > "$work/badjson.npy.json"; cp "$work/s0.npy" "$work/badjson.npy"
for args in "--shard 2/2" "--shard x" "--shard 1/0" "--shard auto" "--shard -1/2" "--shard 0/100000 --output $work/e.npy" \
            "--shard 0/2" "--shard 0/2 --sampler paradigms --output $work/p.npy" "--shard-count 0 --shard auto --output $work/a.npy"; do
  # shellcheck disable=SC2086
  run sample --target ring2d --particles 40 --steps 4 $args
done
for args in "$work/s0.npy" "$work/s0.npy $work/t1.npy" "$work/s0.npy $work/s0.npy $work/s1.npy" "$work/nojson.npy" \
            "$work/badjson.npy $work/s1.npy" "$work/missing.npy" "$work" "/dev/null"; do
  # shellcheck disable=SC2086
  run merge $args --output "$work/merged.npy"
done
run merge "$work/s0.npy" "$work/s1.npy" --output "$work/s0.npy"
for args in "--target ring2d" "--target mixture64" "--model digits" "" "--target nope"; do
  # shellcheck disable=SC2086
  run evaluate "$work/s0.npy" $args
done
# --initial: a shard's samples (20 × 2) for 40 particles, a file of another width, a directory, a missing file,
# /dev/null, a JSON file; and one that fits (accepted).
for file in "$work/s0.npy" "$work/merged.npy" "$work" "$work/missing.npy" /dev/null "$work/s0.npy.json"; do
  run sample --target ring2d --particles 40 --steps 4 --initial "$file"
done
run sample --target mixture64 --particles 20 --steps 4 --initial "$work/s0.npy"
run sample --target ring2d --particles 20 --steps 4 --initial "$work/s0.npy"
run evaluate "$work/missing.npy" --target ring2d
run evaluate "$work/s0.npy.json" --target ring2d
for args in "--dims 0" "--dims ,," "--dims 16,,64" "--dims 16,-1" "--tolerance 0" "--tolerance nan" "--max-steps 0" "--family cube"; do
  # shellcheck disable=SC2086
  run scaling --samplers ddim --particles 8 --max-steps 8 $args
done
run models --check ring2d --times 0.1,-1
run models --check digits

# 2. JSON targets and potentials.
jsons=(
  '' '{' '[]' 'null' '{"kind": 3}' '{"kind": "gaussian"}' '{"kind": "gaussian", "mean": [], "covariance": {"isotropic": 1}}'
  '{"kind": "gaussian", "mean": [0, 1], "covariance": {"full": [[1, 2], [2, 1]]}}'
  '{"kind": "gaussian", "mean": [1e308, 1e308], "covariance": {"isotropic": 1e308}}'
  '{"kind": "gaussian", "mean": [0], "covariance": {"isotropic": 0}}'
  '{"kind": "mixture", "components": []}'
  '{"kind": "mixture", "components": [{"weight": -1, "mean": [0], "covariance": {"isotropic": 1}}]}'
  '{"kind": "mixture", "components": [{"weight": 1e308, "mean": [0], "covariance": {"isotropic": 1}}, {"weight": 1e308, "mean": [1], "covariance": {"isotropic": 1}}]}'
  '{"kind": "product", "dimension": 1e9, "components": [{"mean": 0, "variance": 1}]}'
  '{"kind": "product", "dimension": 2.5, "components": [{"mean": 0, "variance": 1}]}'
  '{"kind": "product", "dimension": 4, "components": [{"mean": 0, "variance": 1, "extra": 1}]}'
  '{"kind": "gaussian", "mean": [0], "covariance": {"isotropic": 1}, "description": 5}'
)
for j in "${jsons[@]}"; do
  printf '%s' "$j" > "$work/t.json"
  run sample --target "$work/t.json" "${small[@]}" --steps 4
done
for j in '{"kind": "logistic", "data": "x.csv", "label": "y", "prior_scale": "10"}' '{"kind": "gaussian", "mean": [0], "covariance": [[-1]]}' \
         '{"kind": "gaussian", "mean": [0, 0], "covariance": [[1]]}' '{"kind": "nope"}' '{'; do
  printf '%s' "$j" > "$work/p.json"
  run mcmc --potential "$work/p.json" --draws 20 --warmup 10
done
# Regression model files (docs/log-concave.md): malformed fields, malformed data, and models without a mode.
printf 'y,a,b,n\n1,0.5,2,3\n0,1.5,1,2\n1,2.5,0,4\n0,3.5,-1,1\n1,1.2,0.3,2\n0,2.2,1.1,3\n1,0.7,-0.4,1\n1,3.1,2.2,4\n' > "$work/r.csv"
printf 'y,a\n1,\n0,2\n' > "$work/r-missing.csv"
printf 'y,a\n1,x\n0,2\n' > "$work/r-text.csv"
printf 'y,a\n' > "$work/r-header.csv"
printf 'y,a\n1,2,3\n0,2\n' > "$work/r-ragged.csv"
printf 'y,a\n1,nan\n0,2\n' > "$work/r-nan.csv"
printf 'y,a\n1,1e308\n0,-1e308\n1,1e308\n' > "$work/r-huge.csv"
printf 'y,a\n0,1\n0,2\n1,3\n1,4\n' > "$work/r-separable.csv"
printf 'y,a\n5,1\n3,2\n700,3\n1,4\n' > "$work/r-poisson.csv"
: > "$work/r-empty.csv"
regressions=(
  '{"kind": "regression", "family": "gaussian", "data": "r.csv", "response": "y"}'
  '{"kind": "regression", "family": "gaussian", "data": "r.csv", "response": "y", "priors": {"sigma": "normal(0)"}}'
  '{"kind": "regression", "family": "gaussian", "data": "r.csv", "response": "y", "priors": {"sigma": "student_t(0, 0, 1)"}}'
  '{"kind": "regression", "family": "gaussian", "data": "r.csv", "response": "y", "priors": {"coefficients": "normal(0, inf)"}}'
  '{"kind": "regression", "family": "gaussian", "data": "r.csv", "response": "y", "priors": {"coefficients": "normal(0, 1e-300)"}}'
  '{"kind": "regression", "family": "gaussian", "data": "r.csv", "response": "y", "priors": {"coefficients": 5}}'
  '{"kind": "regression", "family": "gaussian", "data": "r.csv", "response": "y", "priors": "flat"}'
  '{"kind": "regression", "family": "gaussian", "data": "r.csv", "response": "y", "priors": {"coefficients": "exponential(1)"}}'
  '{"kind": "regression", "family": "gaussian", "data": "r.csv", "response": "y", "priors": {"coefficients": "normal(0, 1"}}'
  '{"kind": "regression", "family": "gaussian", "data": "r.csv", "response": "y", "predictors": []}'
  '{"kind": "regression", "family": "gaussian", "data": "r.csv", "response": "y", "predictors": [], "intercept": false, "predictor_transform": "none"}'
  '{"kind": "regression", "family": "gaussian", "data": "r.csv", "response": "y", "predictors": ["a", "a"]}'
  '{"kind": "regression", "family": "gaussian", "data": "r.csv", "response": "y", "predictors": [1]}'
  '{"kind": "regression", "family": "gaussian", "data": "r.csv", "response": 3}'
  '{"kind": "regression", "family": "gaussian", "data": "r.csv"}'
  '{"kind": "regression", "family": "gaussian", "data": "/nonexistent/r.csv", "response": "y"}'
  '{"kind": "regression", "family": "gaussian", "data": ".", "response": "y"}'
  '{"kind": "regression", "family": "binomial", "data": "r.csv", "response": "y", "trials": "n"}'
  '{"kind": "regression", "family": "binomial", "data": "r.csv", "response": "y", "trials": "a", "predictors": ["b"]}'
  '{"kind": "regression", "family": "poisson", "data": "r.csv", "response": "b", "predictors": ["a"]}'
  '{"kind": "regression", "family": "bernoulli", "data": "r.csv", "response": "n", "predictors": ["a"]}'
  '{"kind": "regression", "family": "gaussian", "data": "r.csv", "response": "y", "weights": "b", "predictors": ["a"]}'
  '{"kind": "regression", "family": "gaussian", "data": "r.csv", "response": "y", "offset": "y"}'
  '{"kind": "regression", "family": "gaussian", "data": "r-missing.csv", "response": "y"}'
  '{"kind": "regression", "family": "gaussian", "data": "r-text.csv", "response": "y"}'
  '{"kind": "regression", "family": "gaussian", "data": "r-header.csv", "response": "y"}'
  '{"kind": "regression", "family": "gaussian", "data": "r-ragged.csv", "response": "y"}'
  '{"kind": "regression", "family": "gaussian", "data": "r-nan.csv", "response": "y"}'
  '{"kind": "regression", "family": "gaussian", "data": "r-empty.csv", "response": "y"}'
  '{"kind": "regression", "family": "gaussian", "data": "r-huge.csv", "response": "y", "predictor_transform": "standardize"}'
  '{"kind": "regression", "family": "bernoulli", "data": "r-separable.csv", "response": "y", "priors": {"coefficients": "flat", "intercept": "flat"}}'
  '{"kind": "regression", "family": "poisson", "data": "r-poisson.csv", "response": "y", "predictor_transform": "none", "priors": {"coefficients": "flat", "intercept": "flat"}}'
)
for j in "${regressions[@]}"; do
  printf '%s' "$j" > "$work/model.json"
  run mcmc --potential "$work/model.json" --draws 200 --warmup 100
done
printf '%s' "${regressions[0]}" > "$work/model.json"
run mcmc --potential "$work/model.json" --draws 200 --warmup 100 --draws-csv "$work"
run mcmc --potential "$work/model.json" --draws 200 --warmup 100 --draws-csv "$work/x.npy"
run mcmc --potential "$work/model.json" --draws 200 --warmup 100 --draws-csv /nonexistent/d.csv
run mcmc --potential "$work/model.json" --draws 200 --warmup 100 --chains 2000 --draws-csv "$work/d.csv"
run mcmc --potential "$work/model.json" --draws 200 --warmup 100 --no-adapt --no-mode-start
mkfifo "$work/fifo.json"
run sample --target "$work/fifo.json" "${small[@]}"
mkfifo "$work/fifo.npy"
run evaluate "$work/fifo.npy" --target ring2d
run sample --target "$work" "${small[@]}"
run sample --target /dev/zero "${small[@]}"
run sample --model "$work" "${small[@]}"

# 3. Model files: byte-flip mutants of the shipped ring2d network (deterministic positions).
model=Sources/MidpointNetworks/Resources/ring2d.safetensors
size=$(stat -c %s "$model")
RANDOM=20261202
for k in $(seq 1 "$mutants"); do
  cp "$model" "$work/m.safetensors"
  # Half the flips land in the header (where the parser works), half anywhere.
  if [ $((k % 2)) -eq 0 ]; then offset=$(( (RANDOM * 32768 + RANDOM) % 600 )); else offset=$(( (RANDOM * 32768 + RANDOM) % size )); fi
  printf "\\x$(printf %02x $((RANDOM % 256)))" | dd of="$work/m.safetensors" bs=1 seek="$offset" conv=notrunc status=none
  run sample --model "$work/m.safetensors" "${small[@]}" --steps 3
done
head -c 100 "$model" > "$work/short.safetensors"; run sample --model "$work/short.safetensors" "${small[@]}"
: > "$work/empty.safetensors"; run sample --model "$work/empty.safetensors" "${small[@]}"

# 3b. Served models: flags, model cards, and a server that answers every way it should not.
card=serve/exact.card.json
for url in "" x "ftp://h:1" "http://" "grpc://127.0.0.1" "grpc://127.0.0.1:0" "grpc://127.0.0.1:99999" "http://[::1" \
           "http://127.0.0.1:9" "grpc://127.0.0.1:9" "http://127.0.0.1:9/v2/models/x"; do
  run sample --model-url "$url" --model-card "$card" --request-timeout 1 --retries 0 "${small[@]}" --steps 2
done
for flag in --max-batch-size --in-flight --request-timeout --retries; do
  for value in 0 -1 nan inf 1e308 x ""; do
    run sample --model-url http://127.0.0.1:9 --model-card "$card" "${small[@]}" --steps 2 "$flag" "$value"
  done
done
for args in "--class 3" "--class -1" "--class x" "--class 99999999999999999999" "--guidance -1" "--guidance nan" "--guidance 1e9" "--guidance x" \
            "--guidance 2 --guidance-ceiling 0" "--guidance 2 --guidance-ceiling -3" "--guidance 2 --guidance-ceiling nan" \
            "--guidance 2 --guidance-ceiling x" "--guidance-ceiling 5" "--class 1 --guidance-ceiling inf"; do
  run sample --model-url http://127.0.0.1:9 --model-card serve/exact-classes.card.json "${small[@]}" --steps 2 $args
done
run sample --model-url http://127.0.0.1:9 --model-card "$card" "${small[@]}" --steps 2 --class 1
run sample --target ring2d "${small[@]}" --steps 2 --guidance 2
run sample --model-url http://127.0.0.1:9 "${small[@]}"
run sample --model-card "$card" "${small[@]}"
run sample --model-url http://127.0.0.1:9 --model-card "$card" --model ring2d "${small[@]}"
run call-profile --rows 0
run compare --model-url http://127.0.0.1:9 --model-card "$card" --samplers rm --nfe 5 --particles 20
run call-profile --model-url http://127.0.0.1:9 --model-card "$card" --rows 256 --calls 0
run call-profile --model-url http://127.0.0.1:9 --model-card "$card" --rows 10000000 --request-timeout 1 --retries 0
i=0
for text in '' '{' '[]' 'null' '{"name": "exact"}' '{"name": 1, "prediction": "score", "time": {"kind": "ou_time"}, "sample_shape": [8]}' \
            '{"name": "exact", "prediction": "noise", "time": {"kind": "ou_time"}, "sample_shape": [8]}' \
            '{"name": "exact", "prediction": "score", "time": {"kind": "ddpm_index", "steps": -4}, "sample_shape": [8]}' \
            '{"name": "exact", "prediction": "score", "time": {"kind": "ou_time"}, "sample_shape": [0]}' \
            '{"name": "exact", "prediction": "score", "time": {"kind": "ou_time"}, "sample_shape": [100000, 100000]}' \
            '{"name": "exact", "prediction": "score", "time": {"kind": "ou_time"}, "sample_shape": [8], "dtype": "FP16"}' \
            '{"name": "exact", "prediction": "score", "time": {"kind": "ou_time"}, "sample_shape": [8], "extra": 1}' \
            '{"name": "../x", "prediction": "score", "time": {"kind": "ou_time"}, "sample_shape": [8]}'; do
  i=$((i + 1)); printf '%s' "$text" > "$work/card$i.json"
  run sample --model-url http://127.0.0.1:9 --model-card "$work/card$i.json" --request-timeout 1 --retries 0 "${small[@]}" --steps 2
done
run sample --model-url http://127.0.0.1:9 --model-card "$work" "${small[@]}"
run sample --model-url http://127.0.0.1:9 --model-card /dev/zero "${small[@]}"
# A server whose every model misbehaves differently (the model name selects how): garbage, wrong counts,
# NaN, overflow, other datatypes, error statuses, a stall past the timeout, a dropped connection, lying metadata.
source scripts/servers.sh
chaos_port=$(free_port)
cat > "$work/chaos.py" <<'PY'
import json, sys, time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
class H(BaseHTTPRequestHandler):
    def log_message(self, *a): pass
    def send(self, code, body, kind="application/json"):
        self.send_response(code); self.send_header("Content-Type", kind); self.send_header("Content-Length", str(len(body)))
        self.end_headers(); self.wfile.write(body)
    def do_GET(self):
        name = self.path.split("/")[3] if self.path.count("/") >= 3 else ""
        if self.path == "/v2": return self.send(200, b"{}")
        if self.path.endswith("/ready"): return self.send(200 if name != "notready" else 503, b"{}")
        if name == "liar": return self.send(200, json.dumps({"inputs": [{"name": "sample", "datatype": "FP32", "shape": [-1, 8]}]}).encode())
        if name == "badmeta": return self.send(200, b"[1, 2")
        return self.send(200, b"{}")
    def do_POST(self):
        name = self.path.split("/")[3]
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        n = body["inputs"][0]["shape"][0] * 8
        out = lambda data, dtype="FP64": self.send(200, json.dumps({"outputs": [{"name": "output", "datatype": dtype, "shape": [n // 8, 8], "data": data}]}).encode())
        if name == "garbage": return self.send(200, b"\x00\xff not json")
        if name == "short": return out([0.0] * (n - 1))
        if name == "nan": return self.send(200, ('{"outputs": [{"name": "output", "datatype": "FP64", "data": [' + ",".join(["NaN"] * n) + "]}]}").encode())
        if name == "overflow": return out(["1e999"] * n)
        if name == "strings": return out(["x"] * n)
        if name == "fp16": return out([0.0] * n, "FP16")
        if name == "e400": return self.send(400, b'{"error": "bad request: shape mismatch"}')
        if name == "e500": return self.send(500, b"Internal Server Error")
        if name == "e503": return self.send(503, b"busy")
        if name == "stall": time.sleep(30); return out([0.0] * n)
        if name == "drop": self.close_connection = True; self.wfile.flush(); self.connection.shutdown(2); return
        if name == "noname": return self.send(200, json.dumps({"outputs": [{"name": "a", "data": [0.0] * n}, {"name": "b", "data": [0.0] * n}]}).encode())
        if name == "twooutputs": return self.send(200, json.dumps({"outputs": [{"name": "output", "datatype": "FP64", "data": [0.0] * n}, {"name": "output", "datatype": "FP64", "data": [0.5] * n}]}).encode())
        if name == "othername": return self.send(200, json.dumps({"outputs": [{"name": "eps", "datatype": "FP64", "data": [0.0] * n}]}).encode())
        if name == "fp32": return out([0.0] * n, "FP32")
        if name == "wrongshape": return self.send(200, json.dumps({"outputs": [{"name": "output", "datatype": "FP64", "shape": [n // 4, 4], "data": [0.0] * n}]}).encode())
        if name == "redirect": self.send_response(307); self.send_header("Location", "/v2/models/fine/infer"); self.send_header("Content-Length", "0"); self.end_headers(); return
        if name == "huge": return self.send(200, b" " * (40 << 20))
        if name == "binaryliar": self.send_response(200); self.send_header("Inference-Header-Content-Length", "999999"); self.send_header("Content-Length", "2"); self.end_headers(); self.wfile.write(b"{}"); return
        return out([0.0] * n)
class Quiet(ThreadingHTTPServer):
    # A client that gave up (the "stall", "huge" cases) leaves a broken pipe here: expected, not worth a traceback.
    def handle_error(self, request, client_address): pass
Quiet(("127.0.0.1", int(sys.argv[1])), H).serve_forever()
PY
python3 "$work/chaos.py" "$chaos_port" & chaos_pid=$!
for _ in $(seq 1 50); do curl -sf "http://127.0.0.1:$chaos_port/v2/models/x/ready" >/dev/null 2>&1 && break; sleep 0.1; done
chaos_family REST "http://127.0.0.1:$chaos_port" garbage short nan overflow strings fp16 e400 e500 e503 stall drop noname \
  binaryliar twooutputs othername fp32 wrongshape redirect huge notready liar badmeta fine
kill "$chaos_pid" 2>/dev/null; chaos_pid=""

# The same over gRPC (MLServer's generated Open Inference Protocol stubs, from the test servers' venv):
# over-size answers, stream resets, wrong tensors, stalls, lying metadata.
grpc_python=.venv-serve/bin/python
[ -x "$grpc_python" ] || scripts/install-serve
cat > "$work/grpc_chaos.py" <<'PY'
import sys, time
from concurrent import futures
import grpc
from mlserver.grpc import dataplane_pb2 as pb, dataplane_pb2_grpc as rpc
class Chaos(rpc.GRPCInferenceServiceServicer):
    def ServerLive(self, request, context): return pb.ServerLiveResponse(live=True)
    def ServerReady(self, request, context): return pb.ServerReadyResponse(ready=True)
    def ModelReady(self, request, context): return pb.ModelReadyResponse(ready=request.name != "notready")
    def ModelMetadata(self, request, context):
        if request.name == "liar":
            return pb.ModelMetadataResponse(name="liar", inputs=[pb.ModelMetadataResponse.TensorMetadata(name="sample", datatype="FP32", shape=[-1, 8])])
        return pb.ModelMetadataResponse(name=request.name)
    def ModelInfer(self, request, context):
        name, rows = request.model_name, request.inputs[0].shape[0]
        zeros = bytes(8 * rows * 8)
        def answer(outputs, raw): return pb.ModelInferResponse(model_name=name, outputs=outputs, raw_output_contents=raw)
        def tensor(tname="output", datatype="FP64", shape=(rows, 8)): return pb.ModelInferResponse.InferOutputTensor(name=tname, datatype=datatype, shape=list(shape))
        if name == "reset": context.abort(grpc.StatusCode.CANCELLED, "stream reset by the server")
        if name == "unavailable": context.abort(grpc.StatusCode.UNAVAILABLE, "overloaded")
        if name == "internal": context.abort(grpc.StatusCode.INTERNAL, "the runtime crashed")
        if name == "stall": time.sleep(30)
        if name == "oversize": return answer([tensor()], [bytes(64 << 20)])
        if name == "short": return answer([tensor()], [zeros[:-8]])
        if name == "nan": return answer([tensor()], [b"\x00\x00\x00\x00\x00\x00\xf8\x7f" * (rows * 8)])
        if name == "twooutputs": return answer([tensor(), tensor()], [zeros, b"\x00\x00\x00\x00\x00\x00\xe0\x3f" * (rows * 8)])
        if name == "othername": return answer([tensor("eps")], [zeros])
        if name == "fp32": return answer([tensor(datatype="FP32")], [bytes(4 * rows * 8)])
        if name == "wrongshape": return answer([tensor(shape=(rows * 2, 4))], [zeros])
        if name == "noraw": return answer([tensor()], [])
        if name == "nooutputs": return answer([], [])
        return answer([tensor()], [zeros])
server = grpc.server(futures.ThreadPoolExecutor(max_workers=4), options=[("grpc.max_send_message_length", 256 << 20), ("grpc.max_receive_message_length", 256 << 20)])
rpc.add_GRPCInferenceServiceServicer_to_server(Chaos(), server)
server.add_insecure_port("127.0.0.1:" + sys.argv[1]); server.start(); server.wait_for_termination()
PY
grpc_port=$(free_port)
"$grpc_python" "$work/grpc_chaos.py" "$grpc_port" & chaos_pid=$!
for _ in $(seq 1 100); do (exec 3<>"/dev/tcp/127.0.0.1/$grpc_port") 2>/dev/null && break; sleep 0.1; done
chaos_family gRPC "grpc://127.0.0.1:$grpc_port" reset unavailable internal stall oversize short nan twooutputs othername fp32 \
  wrongshape noraw nooutputs notready liar fine
kill "$chaos_pid" 2>/dev/null; chaos_pid=""

# 3c. Memory: under an 8 GB address space every run is refused up front (with its estimate) or completes;
# none aborts on an allocation. Large JSON targets are written here (diagonal and isotropic d = 100,000,
# a product of dimension 10⁶, an 8-D Gaussian for 5,000,000 particles).
python3 - "$work" <<'PY'
import json, sys
w = sys.argv[1]
json.dump({"kind": "gaussian", "mean": [0] * 8, "covariance": {"isotropic": 1}}, open(w + "/g8.json", "w"))
json.dump({"kind": "gaussian", "mean": [0] * 100000, "covariance": {"isotropic": 1}}, open(w + "/g100k-iso.json", "w"))
json.dump({"kind": "gaussian", "mean": [0] * 100000, "covariance": {"diagonal": [1.0 + i % 7 for i in range(100000)]}}, open(w + "/g100k-diag.json", "w"))
json.dump({"kind": "gaussian", "mean": [0] * 20000, "covariance": {"isotropic": 1}}, open(w + "/g20k.json", "w"))
json.dump({"kind": "product", "dimension": 1000000, "components": [{"weight": 0.5, "mean": -2, "variance": 0.25}, {"weight": 0.5, "mean": 2, "variance": 0.25}]}, open(w + "/p1m.json", "w"))
PY
printf '#!/bin/sh\nulimit -v 8000000\nexec "%s" "$@"\n' "$(cd "$(dirname "$bin")" && pwd)/$(basename "$bin")" > "$work/limited"
chmod +x "$work/limited"
limited() { local real=$bin; bin="$work/limited" limit=300 run "$@"; bin=$real; }
limited sample --particles 3500000 --nfe 2 --sampler ddim
limited sample --target "$work/g8.json" --particles 5000000
limited sample --target "$work/g100k-iso.json" --particles 100
limited sample --target "$work/g100k-diag.json" --particles 100
limited sample --target "$work/g20k.json" --particles 100
limited sample --target "$work/p1m.json" --particles 20
limited sample --target "$work/p1m.json" --particles 10000
limited compare --target mixture64 --particles 3000000 --samplers rm --nfe 5
limited scaling --dims 100000 --particles 10000
limited scaling --dims 4096 --particles 200000 --samplers rm-parallel --max-steps 64
limited mcmc --chains 2 --draws 3000000
limited mcmc --chains 64 --draws 1000000 --potential breast-cancer

# 4. Output paths.
mkdir -p "$work/dir.npy"
ln -s loop.npy "$work/loop.npy"
for out in "$work/dir.npy" "$work/missing/x.npy" "$work/loop.npy" /dev/full "$work/x.csv"; do
  run sample --target ring2d "${small[@]}" --steps 4 --output "$out"
done
run compare --target ring2d --samplers ddim --nfe 5 --particles 20 --csv "$work/missing/x.csv"
run compare --target ring2d --samplers ddim --nfe 5 --particles 20 --plot "$work/dir.npy"

# 5. Interrupts and failures during writes never damage an existing output nor leave a partial one.
"$bin" sample --target ring2d --particles 50 --steps 4 --output "$work/keep.npy" >/dev/null 2>&1
before=$(sha256sum "$work/keep.npy" | cut -d' ' -f1)
for delay in 0.2 0.5 1 2; do
  cases=$((cases + 1))
  timeout -s INT "$delay" "$bin" sample --target product1024 --particles 20000 --steps 30 --output "$work/keep.npy" >/dev/null 2>&1
  after=$(sha256sum "$work/keep.npy" | cut -d' ' -f1)
  leftovers=$(find "$work" -maxdepth 1 -name '.keep.npy.*' | wc -l)
  if [ "$leftovers" -gt 0 ]; then lost=$((lost + 1)); echo "LEFTOVER temporary file after SIGINT at $delay s"; fi
  # Either the old file survived untouched or the run finished and wrote a complete new one.
  if [ "$after" != "$before" ]; then
    bytes=$(stat -c %s "$work/keep.npy")
    [ "$bytes" -ge $((20000 * 1024 * 8)) ] || { lost=$((lost + 1)); echo "DAMAGED output after SIGINT at $delay s ($bytes bytes)"; }
    before=$after
  fi
done

echo "cases $cases: $clean refused with a message, $accepted accepted, $crashes crashes/traps, $hangs hangs, $lost lost-work, $contradictions silently accepted contradictions"
[ $crashes -eq 0 ] && [ $hangs -eq 0 ] && [ $lost -eq 0 ] && [ $contradictions -eq 0 ]
