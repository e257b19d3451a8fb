#!/usr/bin/env bash
# A sharded `midpoint sample` run as a Slurm job array (docs/sharding.md): 8 tasks, each drawing
# shard SLURM_ARRAY_TASK_ID - SLURM_ARRAY_TASK_MIN of SLURM_ARRAY_TASK_COUNT into run/. Submit with
#   sbatch deploy/slurm-array.sh
# then, when all tasks are done (for example `sbatch --dependency=afterok:JOBID`),
#   midpoint merge run/shard-*.npy --output run/samples.npy
#SBATCH --job-name=midpoint-sample
#SBATCH --array=0-7
#SBATCH --cpus-per-task=4
#SBATCH --mem=16G
#SBATCH --time=01:00:00
set -euo pipefail
mkdir -p run
midpoint sample --target product1024 --sampler rm-ms --nfe 20 --particles 1000000 --seed 42 \
  --threads "${SLURM_CPUS_PER_TASK:-4}" --shard auto --output "run/shard-${SLURM_ARRAY_TASK_ID}.npy"
