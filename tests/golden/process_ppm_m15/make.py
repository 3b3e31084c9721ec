"""Golden case process_ppm_m15: PROCESS model 15 (the moderator moderates M->Y and X->Y), two parallel mediators, simulated data (Varlist_Model15: x,y,v,m1,m2). pyprocessmacro's v is PROCESS v4's W: in cipa terms w = column v.
Regenerate from the crate root:  python tests/golden/process_ppm_m15/make.py   (needs pyprocessmacro==2.2.0)."""
import os
import sys

sys.dont_write_bytecode = True  # keep tests/golden free of __pycache__
HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "process_common"))
from ppm_golden import run_case  # noqa: E402

run_case(
    HERE,
    case="process_ppm_m15",
    dataset="../shared/datasets/pyprocessmacro_sim/Data_Model15.csv",
    model=15,
    roles=dict(x="x", m=["m1", "m2"], v="v", y="y"),
    options=dict(boot=5000, seed=12345, conf=95, cov_type="standard", center=False),
    probe_runs=[("p16_p50_p84", "percentiles"), ("mean_sd", "moments")],
    description="PROCESS model 15 (the moderator moderates M->Y and X->Y), two parallel mediators, simulated data (Varlist_Model15: x,y,v,m1,m2). pyprocessmacro's v is PROCESS v4's W: in cipa terms w = column v.",
)
