#!/usr/bin/env bash
# Whole-process timing of lavaan 0.6-14 `sem()` against `cipa sem` on a model and data set (by
# default the framework's models/framework/latent_mediation.lav on datasets/sme_survey.csv, at
# N = 500 rows drawn from its complete rows by sem_rows.sh): one fit, and a bootstrap of B draws
# (lavaan `se = "bootstrap", bootstrap = B`; cipa `--boot B --seed 1`). Runs are interleaved
# (lavaan, cipa, lavaan, cipa, ...) so a change of machine load hits both. Each run's wall time
# and CPU time (user + sys, which a busy machine inflates less) come from /usr/bin/time; the
# medians and their ratios are printed as a Markdown table for docs/PERFORMANCE.md.
#   benches/compare/sem_vs_lavaan.sh [MODEL.lav] [DATA.csv] [N] [fit-reps] [boot-reps] [B]
#   (defaults: the framework model and data, 500, 5, 3, 1000)
set -euo pipefail
cd "$(dirname "$0")/../.."
model=${1:-models/framework/latent_mediation.lav}
data=${2:-datasets/sme_survey.csv}
n=${3:-500}
fit_reps=${4:-5}
boot_reps=${5:-3}
B=${6:-1000}
cargo build --release --quiet --bin cipa
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
benches/compare/sem_rows.sh "$data" "$n" "$tmp/sem.csv"
cp "$model" "$tmp/sem.lav"

# "wall cpu" seconds of a command, its output discarded.
clock() { /usr/bin/time -f "%e %U %S" -o "$tmp/t" "$@" >/dev/null && awk '{print $1, $2 + $3}' "$tmp/t"; }
lavaan=(Rscript benches/compare/sem_vs_lavaan.R "$tmp/sem.lav" "$tmp/sem.csv")
cipa=(target/release/cipa sem --data "$tmp/sem.csv" --model "$tmp/sem.lav" --format json)
# The median of column $1 of a file.
median() { cut -d' ' -f"$1" | sort -g | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }

for _ in $(seq "$fit_reps"); do
  clock "${lavaan[@]}" 0 >>"$tmp/lf"
  clock "${cipa[@]}" >>"$tmp/cf"
done
for _ in $(seq "$boot_reps"); do
  clock "${lavaan[@]}" "$B" >>"$tmp/lb"
  clock "${cipa[@]}" --boot "$B" --seed 1 >>"$tmp/cb"
done
row() { # label, lavaan file, cipa file
  local lw lc cw cc
  lw=$(median 1 <"$2"); lc=$(median 2 <"$2"); cw=$(median 1 <"$3"); cc=$(median 2 <"$3")
  # /usr/bin/time counts CPU in 10 ms ticks: a ratio over a zero count is not a number.
  local cr="n/a"
  [ "$(echo "$cc > 0" | bc -l)" = 1 ] && cr=$(printf "%.0fx" "$(echo "$lc / $cc" | bc -l)")
  printf "| %s | %.3f s | %.3f s | %.0fx | %.2f s | %.2f s | %s |\n" "$1" "$lw" "$cw" \
    "$(echo "$lw / $cw" | bc -l)" "$lc" "$cc" "$cr"
}
echo "model $model, data $data, N = $n; $(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')"
echo "| run (whole process, median) | lavaan wall | cipa wall | ratio | lavaan CPU | cipa CPU | ratio |"
echo "|---|---|---|---|---|---|---|"
row "one fit ($fit_reps runs each)" "$tmp/lf" "$tmp/cf"
row "bootstrap B = $B ($boot_reps runs each)" "$tmp/lb" "$tmp/cb"
echo "load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
