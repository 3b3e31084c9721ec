#!/usr/bin/env bash
# N rows drawn with replacement (awk's srand(1), so the same file on a machine every time) from
# the complete rows (no empty or NA field) of a CSV, with its header: the speed and memory runs
# (sem_vs_lavaan.sh, sem_memory.sh) fit exactly N rows whatever data set they are given.
#   benches/compare/sem_rows.sh DATA.csv N OUT.csv
set -euo pipefail
[ $# -eq 3 ] || { echo "usage: sem_rows.sh DATA.csv N OUT.csv" >&2; exit 2; }
awk -v n="$2" 'BEGIN { srand(1) }
  NR == 1 { print; next }
  $0 !~ /(^|,)(NA)?(,|$)/ { rows[++m] = $0 }
  END {
    if (m == 0) { print "sem_rows.sh: no complete row" > "/dev/stderr"; exit 1 }
    for (i = 0; i < n; i++) print rows[1 + int(rand() * m)]
  }' "$1" >"$3"
