#!/usr/bin/env python3
"""cipa's Python package against pyprocessmacro 2.2 in the same Python process, and the cost of
calling cipa from Python.

PROCESS model 58 with two parallel mediators, B = 5000 percentile bootstrap, n = 2,000 (the data
of process_pyprocessmacro.py): pyprocessmacro's `Process(...)` and `cipa.fit(...)` on the same
pandas DataFrame, each timed in this process after a warm-up (imports excluded), in interleaved
rounds (each contender once per round) so that the load of a shared machine hits both alike;
medians of the rounds, wall time and this process's CPU seconds. The overhead of a call is its wall time minus the engine's own time
(`Result.engine_seconds`: typing the data and the analysis inside Rust); measured for a fit
without a bootstrap and with B = 5000, and for reading the tables (`.to_dict()`, `.indirect`).
Results go to docs/PERFORMANCE.md by hand.

Needs: pip install ./python and pyprocessmacro==2.2.0 (numpy, pandas, scipy).
Run from the crate root:  python benches/compare/python_pyprocessmacro.py
On a machine other processes load, `chrt -f 10 python benches/compare/...` (as root) runs this
process ahead of them, so its wall times are those of an idle machine (docs/PERFORMANCE.md).
With CIPA_TIMING=1 in the environment every call prints its stages' time stamps to stderr.
"""
import argparse
import os
import resource
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


def minor_faults():
    return resource.getrusage(resource.RUSAGE_SELF).ru_minflt


def timed(f):
    """(wall seconds, CPU seconds of this process, minor page faults, result) of one call."""
    w0, c0, f0 = time.perf_counter(), time.process_time(), minor_faults()
    out = f()
    return time.perf_counter() - w0, time.process_time() - c0, minor_faults() - f0, out


def med(xs):
    return statistics.median(xs)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=2000)
    ap.add_argument("--runs", type=int, default=7, help="interleaved rounds against pyprocessmacro")
    ap.add_argument("--no-ppm", action="store_true", help="skip pyprocessmacro")
    args = ap.parse_args()
    d = make_data(args.n)
    kw = dict(model=58, x="x", y="y", m=["m1", "m2"], w="w", seed=1)
    print(f"load average at start: {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")

    # The call's overhead: wall time minus the engine's own, without and with a bootstrap.
    for boot in (0, 5000):
        cipa.fit(d, boot=boot, **kw)  # warm-up
        walls, over = [], []
        for _ in range(max(args.runs, 20)):
            t0 = time.perf_counter()
            r = cipa.fit(d, boot=boot, **kw)
            wall = time.perf_counter() - t0
            walls.append(wall)
            over.append(wall - r.engine_seconds)
        print(f"cipa.fit model 58, n = {args.n}, B = {boot}: wall {med(walls) * 1e3:.2f} ms, "
              f"overhead over the engine {med(over) * 1e3:.3f} ms (median of {len(walls)})")
    t_dict, _ = median_time(lambda: cipa.fit(d, boot=0, **kw).to_dict(), 20)
    t_fit0, _ = median_time(lambda: cipa.fit(d, boot=0, **kw), 20)
    print(f"  first .to_dict() (JSON document into Python): {(t_dict - t_fit0) * 1e3:.2f} ms")
    t_ind, _ = median_time(lambda: cipa.fit(d, boot=0, **kw).indirect, 20)
    print(f"  first .indirect (document and DataFrame): {(t_ind - t_fit0) * 1e3:.2f} ms")

    runs = {
        "cipa.fit, all cores": lambda: cipa.fit(d, boot=5000, **kw),
        "cipa.fit, one thread": lambda: cipa.fit(d, boot=5000, threads=1, **kw),
    }
    if not args.no_ppm:
        import contextlib
        import io

        from pyprocessmacro import Process

        def ppm():
            with contextlib.redirect_stdout(io.StringIO()):
                p = Process(data=d, boot=5000, percent=True, suppr_init=True, **kw)
                p.summary()
            return p

        runs["pyprocessmacro Process + summary()"] = ppm
    for f in runs.values():
        f()  # warm-up (imports, caches, thread pools)
    # Interleaved rounds: every contender once per round, in a rotating order, so a change of
    # the machine's load hits all of them alike.
    names = list(runs)
    wall = {k: [] for k in names}
    cpu = {k: [] for k in names}
    faults = {k: [] for k in names}
    engine = {k: [] for k in names}
    for i in range(args.runs):
        for k in names[i % len(names):] + names[: i % len(names)]:
            w, c, f, out = timed(runs[k])
            wall[k].append(w)
            cpu[k].append(c)
            faults[k].append(f)
            if hasattr(out, "engine_seconds"):
                engine[k].append(out.engine_seconds)
    print(f"model 58, n = {args.n}, B = 5000, {args.runs} interleaved rounds (medians):")
    for k in names:
        e = f", engine {med(engine[k]) * 1e3:.1f} ms" if engine[k] else ""
        print(f"  {k}: wall {med(wall[k]) * 1e3:.1f} ms, CPU {med(cpu[k]) * 1e3:.1f} ms{e}, "
              f"minor page faults {med(faults[k]):.0f}")
    if not args.no_ppm:
        p = "pyprocessmacro Process + summary()"
        for k in names[:2]:
            rounds = med([a / b for a, b in zip(wall[p], wall[k])])
            print(f"  speed-up of {k}: {med(wall[p]) / med(wall[k]):.0f}x in wall time "
                  f"(median of the rounds' ratios {rounds:.0f}x), "
                  f"{med(cpu[p]) / med(cpu[k]):.0f}x in CPU seconds")
    print(f"load average at the end: {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    sys.exit(main())
