#!/usr/bin/env bash
# Submit a peacesim sweep as a Slurm job array of TASKS shards plus a dependent merge job.
#
#   examples/slurm/submit.sh SWEEP.toml OUTDIR [TASKS]
#
# Set PEACESIM to the binary's path if it is not on the PATH of the compute nodes, e.g.
#   PEACESIM=$PWD/target/release/peacesim examples/slurm/submit.sh scenarios/sweeps/patrols-aid.toml results/pa 8
# OUTDIR must be on a file system every node sees; job logs go to OUTDIR/slurm/. Prints the two
# job ids.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
sweep=$1 out=$2 tasks=${3:-4}
# Job logs go under the sweep's output folder, not wherever sbatch was called from.
mkdir -p "$out/slurm"
array=$(sbatch --parsable --array=0-$((tasks - 1)) --export=ALL \
  --output="$out/slurm/sweep-%A_%a.out" "$here/sweep-array.sbatch" "$sweep" "$out")
array=${array%%;*}
merge=$(sbatch --parsable --dependency=afterok:"$array" --kill-on-invalid-dep=yes --export=ALL \
  --output="$out/slurm/merge-%j.out" "$here/merge.sbatch" "$out")
echo "array job $array ($tasks shards), merge job $merge"
