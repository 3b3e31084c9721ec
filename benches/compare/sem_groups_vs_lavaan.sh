#!/usr/bin/env bash
# Whole-process timing of the measurement-invariance sequence (configural, metric, scalar, strict
# and their difference tests) in lavaan 0.6-14 (four sem() fits with group = and group.equal, then
# lavTestLRT: sem_groups_vs_lavaan.R) against `cipa sem --group GROUP --invariance`, on the
# framework design simulated at N rows (`cipa simulate --seed 1`) grouped by family_owned, with
# benches/compare/framework_groups.lav. Runs are interleaved (lavaan, cipa, lavaan, ...) so a
# change of machine load hits both; wall and CPU (user + sys) time come from /usr/bin/time, and
# the medians and ratios are printed as a Markdown row for docs/PERFORMANCE.md. Both sides'
# chi-squares are printed once first, so the timed runs are known to fit the same models.
#   benches/compare/sem_groups_vs_lavaan.sh [N] [reps] [GROUP]   (defaults: 1000, 5, family_owned)
set -euo pipefail
cd "$(dirname "$0")/../.."
n=${1:-1000}
reps=${2:-5}
group=${3:-family_owned}
model=benches/compare/framework_groups.lav
cargo build --release --quiet --bin cipa
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
target/release/cipa simulate --n "$n" --seed 1 --population-n 0 --out "$tmp/groups.csv" >/dev/null

lavaan=(Rscript benches/compare/sem_groups_vs_lavaan.R "$model" "$tmp/groups.csv" "$group")
cipa=(target/release/cipa sem --data "$tmp/groups.csv" --model "$model" --group "$group"
  --invariance --format json)
echo "lavaan:"
"${lavaan[@]}" 2>&1 | grep chisq
echo "cipa:"
"${cipa[@]/json/text}" | grep -E '^  (configural|metric|scalar|strict) +[0-9]'
echo

# "wall cpu" seconds of a command, its output discarded.
clock() { /usr/bin/time -f "%e %U %S" -o "$tmp/t" "$@" >/dev/null 2>&1 && awk '{print $1, $2 + $3}' "$tmp/t"; }
# The median of column $1 of a file.
median() { cut -d' ' -f"$1" | sort -g | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }
for _ in $(seq "$reps"); do
  clock "${lavaan[@]}" >>"$tmp/l"
  clock "${cipa[@]}" >>"$tmp/c"
done
lw=$(median 1 <"$tmp/l"); lc=$(median 2 <"$tmp/l"); cw=$(median 1 <"$tmp/c"); cc=$(median 2 <"$tmp/c")
# /usr/bin/time counts CPU in 10 ms ticks: a ratio over a zero count is not a number.
cr="n/a"
[ "$(echo "$cc > 0" | bc -l)" = 1 ] && cr=$(printf "%.0fx" "$(echo "$lc / $cc" | bc -l)")
echo "framework design, N = $n, group $group; $(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')"
echo "| run (whole process, median) | lavaan wall | cipa wall | ratio | lavaan CPU | cipa CPU | ratio |"
echo "|---|---|---|---|---|---|---|"
printf "| invariance sequence, 4 fits + LRT (%s runs each) | %.3f s | %.3f s | %.0fx | %.2f s | %.2f s | %s |\n" \
  "$reps" "$lw" "$cw" "$(echo "$lw / $cw" | bc -l)" "$lc" "$cc" "$cr"
echo "load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
