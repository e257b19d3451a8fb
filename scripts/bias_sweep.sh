#!/usr/bin/env bash
# The Stein check against the truth over a sweep of step sizes (issue 13's bar): every run whose means are
# more than 0.1 sd off must be flagged (a warning, or a refusal when the chains diverge), and the tuned
# step must stay quiet. Truth: the exact moments for gaussian100, the long reference run for breast-cancer.
#
#   scripts/bias_sweep.sh > docs/bias-check/sweep.csv
#
# Columns: potential, sampler, step scale (× warm-up's step), the step used, the true worst mean error
# (sd units) and sd error, the Stein check's, whether a warning was printed, and an error if the run stopped.
set -uo pipefail
cd "$(dirname "$0")/.."
bin=.build/release/midpoint
[ -x "$bin" ] || swift build -c release --product midpoint >&2
echo "potential,sampler,step_scale,step,true_mean_error,true_sd_error,stein_mean_error,stein_sd_error,warned,error"
for potential in breast-cancer gaussian100; do
  extra=()
  [ "$potential" = breast-cancer ] && extra=(--reference docs/breast-cancer/reference.csv)
  for sampler in ${SAMPLERS:-rm-ulmc-pc rm-ulmc ulmc ula}; do
    for scale in ${SCALES:-0.5 1 2 4 8 16 40}; do
      out=$("$bin" mcmc --potential "$potential" --sampler "$sampler" --step-scale "$scale" --max-rows 0 "${extra[@]}" 2>&1 || true)
      step=$(sed -n 's/^warm-up: h = \([^,]*\),.*/\1/p' <<<"$out" || true)
      truth=$(grep -E '^vs (reference|exact moments):' <<<"$out" | sed -E 's/.*ref sd = ([0-9.e+-]+) .*ref sd - 1\| = ([0-9.e+-]+) .*/\1,\2/' || true)
      stein=$(grep '^Stein check:' <<<"$out" | sed -E 's/.*mean error\| = ([0-9.e+-]+) sd.*sd error\| = ([0-9.e+-]+)%.*/\1,\2/' \
              | awk -F, '{ printf "%s,%.4f", $1, $2 / 100 }' || true)
      warned=$(grep -c '^warning:' <<<"$out" || true)
      error=$(grep '^Error:' <<<"$out" | sed 's/^Error: //; s/,/;/g' || true)
      echo "$potential,$sampler,$scale,${step:-},${truth:-,},${stein:-,},$warned,${error}"
    done
  done
done
