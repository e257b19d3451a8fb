#!/usr/bin/env bash
# Records the FNV-1a-64 hash of the samples every sampler draws on a fixed seed (diffusion samplers with and
# without tuning flags; every MCMC sampler with and without warm-up) into
# Tests/MidpointCommandsTests/Fixtures/bit-identical.csv. SamplerSeamTests reruns each case in a child process
# and requires the same bits: a refactor that changes any sampler's output by one ulp fails it.
# OpenBLAS's kernels differ by CPU in the last bits of a product, so both this script and the test pin the
# Haswell kernels (any x86-64 CPU with AVX2 and FMA runs them; Tests/MidpointTestSupport/PinnedBLAS.swift).
# Usage: scripts/record_bit_identical.sh [path/to/midpoint]   (default: the release build)
set -euo pipefail
cd "$(dirname "$0")/.."
bin="${1:-.build/release/midpoint}"
export OPENBLAS_CORETYPE=Haswell
out=Tests/MidpointCommandsTests/Fixtures/bit-identical.csv
tmp="$(mktemp -d)"; trap 'rm -rf "$tmp"' EXIT
common="--target mixture64 --particles 40 --steps 12 --seed 7 --threads 2"
cases=(
  "sample --sampler euler-maruyama $common"
  "sample --sampler ei-sde $common"
  "sample --sampler ei-ode $common"
  "sample --sampler ddim $common"
  "sample --sampler ddpm $common"
  "sample --sampler dpmpp-2m $common"
  "sample --sampler heun $common"
  "sample --sampler rm $common"
  "sample --sampler rm-ms $common"
  "sample --sampler rm-ms --interpolant log $common"
  "sample --sampler rm-score $common"
  "sample --sampler rm-pc $common"
  "sample --sampler rm-pc --corrections 3 --corrector-ratio 0.5 --corrector-time 0.4 --corrector-friction 1.5 --corrector-steps 2 --corrector-integrator rm $common"
  "sample --sampler rm-data $common"
  "sample --sampler rm-parallel $common"
  "sample --sampler rm-parallel --picard-window 4 --picard-rounds 3 --plain-picard $common"
  "sample --sampler rm-parallel --picard-span 2 --picard-tolerance 0.001 --parallel-corrector --corrector-steps 2 --corrector-time 0.3 $common"
  "sample --sampler paradigms $common"
  "sample --sampler paradigms --paradigms-base ddpm --picard-window 3 --picard-tolerance 0 $common"
  "sample --sampler rm-ms --no-denoise --grid edm --horizon 3 --early-stop 0.01 $common"
  "sample --sampler rm --model ring2d --particles 40 --steps 12 --seed 7 --threads 2"
)
for s in ula mala ulmc rm-ulmc rm-ulmc-pc rm-ulmc-parallel; do
  cases+=("mcmc --sampler $s --potential gaussian100 --chains 4 --draws 40 --warmup 150 --seed 7 --threads 2")
  cases+=("mcmc --sampler $s --potential gaussian100 --chains 4 --draws 40 --warmup 20 --no-adapt --seed 7 --threads 2")
done
cases+=("mcmc --sampler rm-ulmc-pc --potential gaussian100 --chains 4 --draws 40 --warmup 20 --no-adapt --corrector-window 5 --corrector-steps 2 --corrector-step-size 0.02 --seed 7 --threads 2")
cases+=("mcmc --sampler rm-ulmc-parallel --potential gaussian100 --chains 4 --draws 40 --warmup 20 --no-adapt --strata 3 --rounds 2 --step-size 0.05 --friction 0.5 --seed 7 --threads 2")
cases+=("mcmc --sampler rm-ulmc-pc --potential breast-cancer --chains 2 --draws 20 --warmup 150 --seed 3 --threads 2")
echo "args,fnv1a64" > "$out.tmp"
for c in "${cases[@]}"; do
  # shellcheck disable=SC2086
  "$bin" $c --output "$tmp/s.npy" > /dev/null
  h="$(python3 - "$tmp/s.npy" <<'PY'
import sys, numpy as np
a = np.load(sys.argv[1]); b = np.ascontiguousarray(a, dtype='<f8').tobytes()
h = 0xcbf29ce484222325
for x in b:
    h = ((h ^ x) * 0x100000001b3) & 0xFFFFFFFFFFFFFFFF
print(f"{h:016x}")
PY
)"
  echo "\"$c\",$h" >> "$out.tmp"
done
mv "$out.tmp" "$out"
echo "recorded $(( $(wc -l < "$out") - 1 )) cases in $out"
