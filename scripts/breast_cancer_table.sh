#!/usr/bin/env bash
# Every log-concave sampler with its defaults (warm-up adaptation on; 4 chains, 1,000 warm-up steps,
# 10,000 draws) on the built-in breast-cancer posterior, against the long reference run:
#
#   scripts/breast_cancer_table.sh > docs/breast-cancer/defaults.csv
#
# ESS/grad counts warm-up; sampling ESS/grad divides by the sampling phase's gradients only (how NUTS's
# 0.028 was measured).
set -uo pipefail
cd "$(dirname "$0")/.."
bin=.build/release/midpoint
[ -x "$bin" ] || swift build -c release --product midpoint >&2
echo "sampler,step,friction,warmup_gradients,gradients_per_chain,max_rhat,min_ess_bulk,ess_per_gradient,sampling_ess_per_gradient,mean_error,sd_error,stein_mean_error,stein_sd_error,seconds"
for sampler in ula mala ulmc rm-ulmc rm-ulmc-pc rm-ulmc-parallel; do
  out=$("$bin" mcmc --potential breast-cancer --sampler "$sampler" --max-rows 0 --reference docs/breast-cancer/reference.csv 2>&1)
  warm=$(grep '^warm-up:' <<<"$out")
  h=$(sed -E 's/^warm-up: h = ([^,]*),.*/\1/' <<<"$warm")
  gamma=$(sed -nE 's/.*γ = ([^,]*),.*/\1/p' <<<"$warm")
  wgrads=$(sed -E 's/.*, ([0-9.e+]+) gradients\/chain$/\1/' <<<"$warm")
  cost=$(grep -E "^$sampler " <<<"$out" | awk '{ print $5 "," $8 "," $9 "," $10 "," $7 }')
  truth=$(grep '^vs reference:' <<<"$out" | sed -E 's/.*ref sd = ([0-9.]+) .*ref sd - 1\| = ([0-9.]+) .*/\1,\2/')
  stein=$(grep '^Stein check:' <<<"$out" | sed -E 's/.*mean error\| = ([0-9.]+) sd.*sd error\| = ([0-9.]+)%.*/\1,\2/' | awk -F, '{ printf "%s,%.4f", $1, $2 / 100 }')
  IFS=, read -r grads rhat ess essgrad seconds <<<"$cost"
  sampling=$(awk -v e="$ess" -v g="$grads" -v w="$wgrads" 'BEGIN { printf "%.4f", e / (4 * (g - w)) }')
  echo "$sampler,$h,${gamma:--},$wgrads,$grads,$rhat,$ess,$essgrad,$sampling,$truth,$stein,$seconds"
done
