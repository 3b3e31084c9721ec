#!/bin/bash
# The outputs a speed change must leave unchanged bit for bit (docs/PERFORMANCE.md): sha256 of
# 13 command-line outputs of a release binary (model 58 JSON on 1 and 2 threads, text, BCa text
# and JSON, BC --modelbt, a cluster BCa, Monte Carlo of model 7, model 4 and model 1 JSON,
# --save-boot CSV, --effsize), on the data of python_pyprocessmacro.py (n = 2,000) plus a
# cluster column. Run it with the base and the new binary and compare the lists:
#   bash benches/compare/bit_identity.sh path/to/old/cipa /tmp/old > old.txt
#   bash benches/compare/bit_identity.sh target/release/cipa /tmp/new > new.txt && diff old.txt new.txt
# Needs python3 with numpy and pandas (to write the data). bit_identity.py does the same for
# the Python package (to_dict, summary, indirect).
set -euo pipefail
BIN=$1
OUT=$2
mkdir -p "$OUT"
# One data path for every run: the JSON names the data file.
D="${TMPDIR:-/tmp}/cipa_bit_identity_d58.csv"
python3 - "$D" <<'PY'
import sys
import numpy as np, pandas as pd
n = 2000
rng = np.random.default_rng(20261123)
x, w = rng.normal(size=n), rng.normal(size=n)
m1 = 0.4 * x + 0.2 * w + 0.2 * x * w + rng.normal(size=n)
m2 = 0.3 * x + rng.normal(size=n)
y = 0.3 * m1 + 0.2 * m2 + 0.1 * m1 * w + 0.1 * x + rng.normal(size=n)
d = pd.DataFrame({"x": x, "w": w, "m1": m1, "m2": m2, "y": y})
d["g"] = np.arange(n) % 40
d.to_csv(sys.argv[1], index=False, float_format="%.17g")
PY
R="--data $D --x x --y y --m m1,m2 --w w --seed 1"
"$BIN" fit $R --model 58 --boot 5000 --threads 1 --format json > "$OUT/m58_t1.json"
"$BIN" fit $R --model 58 --boot 5000 --threads 2 --format json > "$OUT/m58_t2.json"
"$BIN" fit $R --model 58 --boot 5000 --threads 1 > "$OUT/m58_t1.txt"
"$BIN" fit $R --model 58 --boot 2000 --ci bca --threads 2 > "$OUT/m58_bca.txt"
"$BIN" fit $R --model 58 --boot 2000 --ci bca --threads 2 --format json > "$OUT/m58_bca.json"
"$BIN" fit $R --model 58 --boot 1000 --ci bc --modelbt --threads 2 --format json > "$OUT/m58_modelbt.json"
"$BIN" fit $R --model 58 --boot 1000 --ci bca --cluster g --threads 2 --format json > "$OUT/m58_cluster.json"
"$BIN" fit --data "$D" --x x --y y --m m1 --w w --seed 1 --model 7 --mc 5000 --threads 2 --format json > "$OUT/m7_mc.json"
"$BIN" fit --data "$D" --x x --y y --m m1,m2 --seed 1 --model 4 --boot 5000 --threads 2 --format json > "$OUT/m4.json"
"$BIN" fit --data "$D" --x x --y y --w w --seed 1 --model 1 --boot 1000 --threads 2 --format json > "$OUT/m1.json"
"$BIN" fit $R --model 58 --boot 1000 --threads 2 --save-boot "$OUT/saveboot.csv" --format json > "$OUT/m58_sb.json"
"$BIN" fit $R --model 58 --boot 1000 --effsize --threads 2 --format json > "$OUT/m58_effsize.json"
cd "$OUT" && sha256sum ./*.json ./*.txt saveboot.csv
