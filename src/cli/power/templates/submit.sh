#!/bin/bash
# Submits the cipa power study in this folder to Slurm: the @SHARDS@ shards as a job array, and the
# merge as a job that starts when every shard has succeeded (and is cancelled if one fails).
# Options for both jobs follow, e.g. ./submit.sh --account=NAME --partition=short
set -euo pipefail
cd "$(dirname "$0")"
# Slurm opens each task's log in logs/ before the task starts: the folder must exist.
mkdir -p logs shards
jid=$(sbatch --parsable "$@" power.sbatch)
jid=${jid%%;*} # --parsable prints "jobid" or "jobid;cluster"
mid=$(sbatch --parsable "$@" --dependency=afterok:"$jid" --kill-on-invalid-dep=yes merge.sbatch)
mid=${mid%%;*}
echo "$jid $mid" > jobs.txt
echo "shards: job array $jid (tasks 1-@SHARDS@); merge: job $mid, once every shard has succeeded"
echo "check:  squeue -u \"\$USER\"   and   sacct -j $jid --format=JobID,State,Elapsed,MaxRSS"
echo "results: results/ when job $mid has finished (README.md: what to do when a task fails)"
