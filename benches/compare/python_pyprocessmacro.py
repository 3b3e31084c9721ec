#!/usr/bin/env python3
"""cipa's Python package against pyprocessmacro 2.2 in the same Python process, and the cost of
calling cipa from Python.

PROCESS model 58 with two parallel mediators, B = 5000 percentile bootstrap, n = 2,000 (the data
of process_pyprocessmacro.py): pyprocessmacro's `Process(...)` and `cipa.fit(...)` on the same
pandas DataFrame, each timed in this process after a warm-up (imports excluded), medians of
several runs. The overhead of a call is its wall time minus the engine's own time
(`Result.engine_seconds`: typing the data and the analysis inside Rust); measured for a fit
without a bootstrap and with B = 5000, and for reading the tables (`.to_dict()`, `.indirect`).
Results go to docs/PERFORMANCE.md by hand.

Needs: pip install ./python and pyprocessmacro==2.2.0 (numpy, pandas, scipy).
Run from the crate root:  python benches/compare/python_pyprocessmacro.py
"""
import argparse
import os
import statistics
import sys
import time

import numpy as np
import pandas as pd

import cipa


def make_data(n):
    rng = np.random.default_rng(20261123)
    x, w = rng.normal(size=n), rng.normal(size=n)
    m1 = 0.4 * x + 0.2 * w + 0.2 * x * w + rng.normal(size=n)
    m2 = 0.3 * x + rng.normal(size=n)
    y = 0.3 * m1 + 0.2 * m2 + 0.1 * m1 * w + 0.1 * x + rng.normal(size=n)
    return pd.DataFrame({"x": x, "w": w, "m1": m1, "m2": m2, "y": y})


def median_time(f, runs, clock=time.perf_counter):
    times = []
    for _ in range(runs):
        t0 = clock()
        out = f()
        times.append(clock() - t0)
    return statistics.median(times), out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=2000)
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--no-ppm", action="store_true", help="skip pyprocessmacro")
    args = ap.parse_args()
    d = make_data(args.n)
    kw = dict(model=58, x="x", y="y", m=["m1", "m2"], w="w", seed=1)

    # The call's overhead: wall time minus the engine's own, without and with a bootstrap.
    for boot in (0, 5000):
        cipa.fit(d, boot=boot, **kw)  # warm-up
        walls, over = [], []
        for _ in range(max(args.runs, 20) if boot == 0 else args.runs):
            t0 = time.perf_counter()
            r = cipa.fit(d, boot=boot, **kw)
            wall = time.perf_counter() - t0
            walls.append(wall)
            over.append(wall - r.engine_seconds)
        print(f"cipa.fit model 58, n = {args.n}, B = {boot}: wall {statistics.median(walls) * 1e3:.2f} ms, "
              f"overhead over the engine {statistics.median(over) * 1e3:.3f} ms (median)")
    r = cipa.fit(d, boot=5000, **kw)
    t_dict, _ = median_time(lambda: cipa.fit(d, boot=0, **kw).to_dict(), 20)
    t_fit0, _ = median_time(lambda: cipa.fit(d, boot=0, **kw), 20)
    print(f"  first .to_dict() (JSON document into Python): {(t_dict - t_fit0) * 1e3:.2f} ms")
    t_ind, _ = median_time(lambda: cipa.fit(d, boot=0, **kw).indirect, 20)
    print(f"  first .indirect (document and DataFrame): {(t_ind - t_fit0) * 1e3:.2f} ms")

    t_cipa, r = median_time(lambda: cipa.fit(d, boot=5000, **kw), args.runs)
    print(f"cipa.fit model 58, n = {args.n}, B = 5000: {t_cipa:.3f} s (median of {args.runs}; "
          f"engine {r.engine_seconds:.3f} s; threads: all cores)")
    t_cipa1, _ = median_time(lambda: cipa.fit(d, boot=5000, threads=1, **kw), args.runs)
    print(f"  one thread: {t_cipa1:.3f} s")
    if args.no_ppm:
        return
    from pyprocessmacro import Process

    def ppm():
        import contextlib
        import io

        with contextlib.redirect_stdout(io.StringIO()):
            p = Process(data=d, boot=5000, percent=True, suppr_init=True, **{k: v for k, v in kw.items()})
            p.summary()
        return p

    ppm()  # warm-up (imports, caches)
    t_ppm, _ = median_time(ppm, max(3, args.runs // 2))
    print(f"pyprocessmacro 2.2 Process(model 58) + summary(): {t_ppm:.3f} s (median)")
    print(f"speed-up: {t_ppm / t_cipa:.0f}x (all cores), {t_ppm / t_cipa1:.0f}x (one thread)")
    # CPU seconds of this process: on a shared machine less disturbed by other work than wall
    # time (numpy's BLAS may use more than one thread; cipa runs on one here).
    c_ppm, _ = median_time(ppm, max(3, args.runs // 2), time.process_time)
    c_cipa, _ = median_time(lambda: cipa.fit(d, boot=5000, threads=1, **kw), args.runs, time.process_time)
    print(f"CPU seconds: pyprocessmacro {c_ppm:.3f} s, cipa (one thread) {c_cipa:.3f} s: {c_ppm / c_cipa:.0f}x")


if __name__ == "__main__":
    sys.exit(main())
