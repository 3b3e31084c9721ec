"""Golden case process_ppm_m58: PROCESS model 58 (W moderates X->M and M->Y), two parallel mediators, simulated data (Varlist_Model58: x,y,w,m1,m2). No index of moderated mediation (the indirect effect is quadratic in W).
Regenerate from the crate root:  python tests/golden/process_ppm_m58/make.py   (needs pyprocessmacro==2.2.0)."""
import os
import sys

sys.dont_write_bytecode = True  # keep tests/golden free of __pycache__
HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "process_common"))
from ppm_golden import run_case  # noqa: E402

run_case(
    HERE,
    case="process_ppm_m58",
    dataset="../shared/datasets/pyprocessmacro_sim/Data_Model58.csv",
    model=58,
    roles=dict(x="x", m=["m1", "m2"], w="w", y="y"),
    options=dict(boot=5000, seed=12345, conf=95, cov_type="standard", center=False),
    probe_runs=[("p16_p50_p84", "percentiles"), ("mean_sd", "moments")],
    description="PROCESS model 58 (W moderates X->M and M->Y), two parallel mediators, simulated data (Varlist_Model58: x,y,w,m1,m2). No index of moderated mediation (the indirect effect is quadratic in W).",
)
