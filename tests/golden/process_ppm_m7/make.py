"""Golden case process_ppm_m7: PROCESS model 7 (first-stage moderated mediation, W moderates X->M), two parallel mediators, simulated data (Varlist_Model7: x,y,w,m1,m2).
Regenerate from the crate root:  python tests/golden/process_ppm_m7/make.py   (needs pyprocessmacro==2.2.0)."""
import os
import sys

sys.dont_write_bytecode = True  # keep tests/golden free of __pycache__
HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "process_common"))
from ppm_golden import run_case  # noqa: E402

run_case(
    HERE,
    case="process_ppm_m7",
    dataset="../shared/datasets/pyprocessmacro_sim/Data_Model7.csv",
    model=7,
    roles=dict(x="x", m=["m1", "m2"], w="w", y="y"),
    options=dict(boot=5000, seed=12345, conf=95, cov_type="standard", center=False),
    probe_runs=[("p16_p50_p84", "percentiles"), ("mean_sd", "moments")],
    description="PROCESS model 7 (first-stage moderated mediation, W moderates X->M), two parallel mediators, simulated data (Varlist_Model7: x,y,w,m1,m2).",
)
