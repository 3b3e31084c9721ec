#!/usr/bin/env bash
# Peak memory (maximum resident set size, from /usr/bin/time) of `cipa sem` on a model and data
# set (by default the framework's models/framework/latent_mediation.lav on
# datasets/sme_survey.csv) at N rows drawn by sem_rows.sh: one fit, and a bootstrap of B draws
# (issue 11's target: below 64 MB at N = 2,000). Printed as a Markdown table.
#   benches/compare/sem_memory.sh [MODEL.lav] [DATA.csv] [N] [B]   (defaults: 2000, 1000)
set -euo pipefail
cd "$(dirname "$0")/../.."
model=${1:-models/framework/latent_mediation.lav}
data=${2:-datasets/sme_survey.csv}
n=${3:-2000}
B=${4:-1000}
cargo build --release --quiet --bin cipa
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
benches/compare/sem_rows.sh "$data" "$n" "$tmp/sem.csv"
cipa=(target/release/cipa sem --data "$tmp/sem.csv" --model "$model" --format json)
# Peak resident memory of a command in MB (GNU time reports kilobytes).
peak() { /usr/bin/time -f "%M" -o "$tmp/m" "$@" >/dev/null && awk '{printf "%.1f", $1 / 1024}' "$tmp/m"; }
echo "model $model, data $data, N = $n; $(date -u '+%Y-%m-%d %H:%M UTC')"
echo "| run | peak resident memory |"
echo "|---|---|"
echo "| one fit | $(peak "${cipa[@]}") MB |"
echo "| bootstrap B = $B, seed 1 | $(peak "${cipa[@]}" --boot "$B" --seed 1) MB |"
