#!/usr/bin/env bash
# Which samplers lose particles on the shipped networks at small budgets: runs `midpoint sample` for every
# fixed-cost sampler at NFE 4-20 on each shipped model (200 particles, seed 0) and prints the runs that
# diverged (the CLI's warning: samples with an RMS coordinate above 100), ended off the data range (samples
# whose RMS distance outside the card's range exceeds a quarter of its width: not lost, not yet data) or
# were refused.
# Usage: scripts/stability_models.sh > docs/stability-models.txt
#        EXTRA="--clip-x0" scripts/stability_models.sh > docs/stability-models-clip.txt   (flags for every run)
set -uo pipefail
bin=${BIN:-.build/release/midpoint}
[ -x "$bin" ] || swift build -c release --product midpoint >/dev/null
echo "model sampler NFE outcome"
for model in digits ring2d; do
  for sampler in euler-maruyama ei-sde ei-ode ddim ddpm dpmpp-2m heun rm rm-ms rm-score rm-pc rm-data; do
    for nfe in 4 5 6 8 10 12 15 20; do
      out=$("$bin" sample --model "$model" --sampler "$sampler" --nfe "$nfe" --particles 200 --threads "${THREADS:-2}" ${EXTRA:-} 2>&1)
      if echo "$out" | grep -q '^warning'; then
        what=$(echo "$out" | grep '^warning' | sed -e 's/warning: \([0-9]* of [0-9]*\).*diverged.*/\1 diverged/' \
               -e 's/warning: \([0-9]* of [0-9]*\).*off the data range.*/\1 off the data range/' \
               -e 's/warning: \([0-9]* of [0-9]*\).*collapsed.*/\1 collapsed/' | paste -sd ';' -)
        echo "$model $sampler $nfe $what"
      elif echo "$out" | grep -q '^Error'; then
        echo "$model $sampler $nfe refused: $(echo "$out" | grep '^Error' | cut -c8-60)…"
      fi
    done
  done
done
