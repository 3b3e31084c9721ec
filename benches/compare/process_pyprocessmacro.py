#!/usr/bin/env python3
"""Times pyprocessmacro 2.2 against cipa on the same data and options, in the same run.

Whole processes are timed (start-up included, as a user waits for them), with peak memory from
/usr/bin/time. Model 58 (and model 4) with two parallel mediators, B = 5000 percentile bootstrap,
n = 2,000 and 20,000. Results go to docs/PERFORMANCE.md by hand.

Needs: pip install pyprocessmacro==2.2.0 (numpy, pandas, scipy), a release build of cipa
(cargo build --release), and GNU time (/usr/bin/time).
Run from the crate root:  python3 benches/compare/process_pyprocessmacro.py [--python /path/to/python]
"""
import argparse
import os
import subprocess
import sys
import tempfile
import time

import numpy as np


def make_csv(n, path):
    rng = np.random.default_rng(20261123)
    x, w = rng.normal(size=n), rng.normal(size=n)
    m1 = 0.4 * x + 0.2 * w + 0.2 * x * w + rng.normal(size=n)
    m2 = 0.3 * x + rng.normal(size=n)
    y = 0.3 * m1 + 0.2 * m2 + 0.1 * m1 * w + 0.1 * x + rng.normal(size=n)
    with open(path, "w") as f:
        f.write("x,w,m1,m2,y\n")
        for row in zip(x, w, m1, m2, y):
            f.write(",".join(f"{v:.10g}" for v in row) + "\n")


PPM = """
import pandas as pd
from pyprocessmacro import Process
d = pd.read_csv({path!r})
kw = dict(data=d, model={model}, x="x", y="y", m=["m1", "m2"], boot=5000, seed=1, percent=True,
          suppr_init=True)
if {model} == 58:
    kw["w"] = "w"
p = Process(**kw)
p.summary()
"""


def timed(cmd):
    t0 = time.perf_counter()
    r = subprocess.run(["/usr/bin/time", "-f", "%M"] + cmd, capture_output=True, text=True)
    dt = time.perf_counter() - t0
    if r.returncode != 0:
        sys.exit(f"failed: {' '.join(cmd)}\n{r.stderr[-2000:]}")
    peak_kb = int(r.stderr.strip().splitlines()[-1])
    return dt, peak_kb / 1024


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--python", default=sys.executable)
    ap.add_argument("--cipa", default="target/release/cipa")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        print("| model | n | pyprocessmacro s | MB | cipa 1 thread s | MB | cipa all cores s | ratio (1 thread) | ratio (all) |")
        print("|---|---:|---:|---:|---:|---:|---:|---:|---:|")
        for model in (4, 58):
            for n in (2000, 20000):
                path = os.path.join(tmp, f"d{n}.csv")
                if not os.path.exists(path):
                    make_csv(n, path)
                ppm_t, ppm_mb = timed([args.python, "-c", PPM.format(path=path, model=model)])
                base = [args.cipa, "fit", "--data", path, "--model", str(model), "--x", "x", "--y", "y",
                        "--m", "m1,m2", "--boot", "5000", "--seed", "1"]
                if model == 58:
                    base += ["--w", "w"]
                c1_t, c1_mb = timed(base + ["--threads", "1"])
                ca_t, _ = timed(base)
                print(f"| {model} | {n} | {ppm_t:.2f} | {ppm_mb:.0f} | {c1_t:.3f} | {c1_mb:.0f} | {ca_t:.3f} | "
                      f"{ppm_t / c1_t:.0f}x | {ppm_t / ca_t:.0f}x |")


if __name__ == "__main__":
    main()
