"""Golden case process_ppm_logit_m4: PROCESS model 4 with a dichotomous outcome (logistic Y
equation), two parallel mediators, simulated data (Data_Model4: x, m1, m2, y2), percentile
bootstrap. Regenerate from the crate root:
    python tests/golden/process_ppm_logit_m4/make.py   (needs pyprocessmacro==2.2.0)
Writes coefficients.csv (every equation: OLS mediators, logistic y2) and effects.csv (direct
effect with its analytic test; indirect effects with bootstrap SE and the PROCESS order-statistic
percentile interval computed from pyprocessmacro's draws)."""
import os
import sys
import warnings

sys.dont_write_bytecode = True
HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "process_common"))
from ppm_golden import fmt, process_percentile_ci, write_csv  # noqa: E402

import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
from pyprocessmacro import Process  # noqa: E402

if not os.path.exists("Cargo.toml"):
    sys.exit("run from the crate root")
DATASET = "../shared/datasets/pyprocessmacro_sim/Data_Model4.csv"
B, SEED, CONF = 5000, 12345, 95
data = pd.read_csv(DATASET)
with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    p = Process(data=data, model=4, x="x", m=["m1", "m2"], y="y2", logit=True, boot=B, seed=SEED,
                conf=CONF, percent=True, suppr_init=True, detail=False)

rows = []
for outcome in ["m1", "m2", "y2"]:
    res = p.outcome_models[outcome].estimation_results
    for i, name in enumerate(res["names"]):
        term = "constant" if name == "Cons" else name
        rows.append([outcome, term, fmt(res["betas"][i]), fmt(res["se"][i]), fmt(res["llci"][i]), fmt(res["ulci"][i])])
write_csv(os.path.join(HERE, "coefficients.csv"), ["equation", "term", "estimate", "se", "ci_lower", "ci_upper"], rows)

eff = []
dres = p.direct_model._estimation_results
eff.append(["direct", "x>y2", fmt(dres["betas"][0]), fmt(dres["se"][0]), "", fmt(dres["llci"][0]), fmt(dres["ulci"][0])])
view = p.indirect_model._views()[0]
for i, med in enumerate(["m1", "m2"]):
    e, draws, se, lo, hi = view._indirect_effect_at(i, {})
    lo_r, hi_r, _, _ = process_percentile_ci(draws, CONF)
    eff.append(["indirect", f"x>{med}>y2", fmt(e), "", fmt(np.std(draws, ddof=1)), fmt(lo_r), fmt(hi_r)])
write_csv(os.path.join(HERE, "effects.csv"), ["kind", "path", "effect", "se", "boot_se", "ci_lower", "ci_upper"], eff)

with open(os.path.join(HERE, "versions.txt"), "w") as f:
    import platform
    import pyprocessmacro
    f.write(f"Python {platform.python_version()}\npyprocessmacro {getattr(pyprocessmacro, '__version__', '2.2.0')}\n"
            f"numpy {np.__version__}\npandas {pd.__version__}\n"
            f"call: Process(model=4, x='x', m=['m1','m2'], y='y2', logit=True, boot={B}, seed={SEED}, conf={CONF}, percent=True)\n"
            f"dataset: {DATASET}\nbootstrap intervals: PROCESS v4's order statistics on pyprocessmacro's draws\n")
print("process_ppm_logit_m4:", len(rows), "coefficients,", len(eff), "effects")
