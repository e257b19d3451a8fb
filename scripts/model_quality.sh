#!/usr/bin/env bash
# Quality of samples from a learned model: energy distance and MMD against its held-out data (digits)
# or every metric against the exact target (ring2d), for several samplers at NFE 10, 20 and 50, over
# five seeds. Writes one tidy CSV per seed and a summary table (mean and sd over the seeds) as Markdown.
# Usage: scripts/model_quality.sh MODEL PARTICLES OUT_DIR [samplers]
# MODEL is a shipped model or .safetensors file, or target:NAME for the same runs on an exact target.
set -euo pipefail
model=${1:?model}
particles=${2:?particles}
out=${3:?output directory}
samplers=${4:-rm-ms,rm,rm-pc,rm-data,ddim,dpmpp-2m}
bin=${BIN:-.build/release/midpoint}
[ -x "$bin" ] || swift build -c release --product midpoint >/dev/null
mkdir -p "$out"
subject=(--model "$model")
[[ "$model" == target:* ]] && subject=(--target "${model#target:}")
for seed in 1 2 3 4 5; do
  "$bin" compare "${subject[@]}" --samplers "$samplers" --nfe 10,20,50 --particles "$particles" \
    --seed "$seed" --threads "${THREADS:-1}" --csv "$out/seed-$seed.csv" >/dev/null 2>&1
done
# Mean and sample sd over the seeds of each (sampler, budget, metric); the floor is averaged alike.
awk -F, 'FNR == 1 { next }
  { key = $2 "," $3 "," $9; n[key]++; s[key] += $10; ss[key] += $10 * $10; f[key] += $11; nfe[key] = $5
    if (!(key in order)) { order[key] = ++count; keys[count] = key } }
  END {
    print "| sampler | budget | NFE | metric | mean over 5 seeds | sd | floor (mean) |"
    print "|---|---|---|---|---|---|---|"
    for (i = 1; i <= count; i++) {
      k = keys[i]; split(k, p, ","); m = s[k] / n[k]; v = (ss[k] - n[k] * m * m) / (n[k] - 1)
      printf "| %s | %s | %s | %s | %.4g | %.2g | %.4g |\n", p[1], p[2], nfe[k], p[3], m, (v > 0 ? sqrt(v) : 0), f[k] / n[k]
    }
  }' "$out"/seed-*.csv > "$out/summary.md"
cat "$out/summary.md"
