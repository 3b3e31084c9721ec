#!/usr/bin/env bash
# Whole-process timing of lavaan 0.6-14 `sem()` against cipa on the framework-sized model
# (benches/common/sem_data.rs: 4 latents x 4-5 items, 2 covariates, n = 500): one fit, and a
# bootstrap of B draws. Runs are interleaved (lavaan, cipa, lavaan, cipa, ...) so a change of
# machine load hits both; the median of each is reported with the ratio, as a Markdown table
# for docs/PERFORMANCE.md. cipa is timed as `cipa sem` (JSON output); examples/sem_timing writes
# the data and the model.
#   benches/compare/sem_vs_lavaan.sh [fit-reps] [boot-reps] [B]     (defaults 5 2 1000)
set -euo pipefail
cd "$(dirname "$0")/../.."
fit_reps=${1:-5}
boot_reps=${2:-2}
B=${3:-1000}
cargo build --release --quiet --example sem_timing --bin cipa
bin=target/release/examples/sem_timing
cipa() { target/release/cipa sem --data "$tmp/sem.csv" --model "$tmp/sem.lav" --format json "$@"; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
"$bin" data "$tmp/sem.csv"
"$bin" model "$tmp/sem.lav"

secs() { # the wall seconds of a command, its output discarded
  local t0 t1
  t0=$(date +%s.%N)
  "$@" >/dev/null
  t1=$(date +%s.%N)
  echo "$t1 - $t0" | bc -l
}
median() { sort -g | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }

: >"$tmp/lf"; : >"$tmp/cf"; : >"$tmp/lb"; : >"$tmp/cb"
for _ in $(seq "$fit_reps"); do
  secs Rscript benches/compare/sem_vs_lavaan.R "$tmp/sem.lav" "$tmp/sem.csv" 0 >>"$tmp/lf"
  secs cipa >>"$tmp/cf"
done
for _ in $(seq "$boot_reps"); do
  secs Rscript benches/compare/sem_vs_lavaan.R "$tmp/sem.lav" "$tmp/sem.csv" "$B" >>"$tmp/lb"
  secs cipa --boot "$B" --seed 1 >>"$tmp/cb"
done
lf=$(median <"$tmp/lf"); cf=$(median <"$tmp/cf"); lb=$(median <"$tmp/lb"); cb=$(median <"$tmp/cb")
echo "| run (whole process, median) | lavaan 0.6-14 | cipa | ratio |"
echo "|---|---|---|---|"
printf "| one fit (%d runs each) | %.3f s | %.3f s | %.0fx |\n" "$fit_reps" "$lf" "$cf" "$(echo "$lf / $cf" | bc -l)"
printf "| bootstrap B = %d (%d runs each) | %.1f s | %.3f s | %.0fx |\n" "$B" "$boot_reps" "$lb" "$cb" "$(echo "$lb / $cb" | bc -l)"
echo "load average at the end: $(cut -d' ' -f1-3 /proc/loadavg), $(nproc) cores"
