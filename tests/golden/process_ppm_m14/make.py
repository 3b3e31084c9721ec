"""Golden case process_ppm_m14: PROCESS model 14 (second-stage moderated mediation, the moderator moderates M->Y), two parallel mediators, simulated data (Varlist_Model14: x,y,v,m1,m2). pyprocessmacro uses the PROCESS 2 letter V for this moderator; PROCESS v3/v4 call it W: in cipa terms w = column v.
Regenerate from the crate root:  python tests/golden/process_ppm_m14/make.py   (needs pyprocessmacro==2.2.0)."""
import os
import sys

sys.dont_write_bytecode = True  # keep tests/golden free of __pycache__
HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "process_common"))
from ppm_golden import run_case  # noqa: E402

run_case(
    HERE,
    case="process_ppm_m14",
    dataset="../shared/datasets/pyprocessmacro_sim/Data_Model14.csv",
    model=14,
    roles=dict(x="x", m=["m1", "m2"], v="v", y="y"),
    options=dict(boot=5000, seed=12345, conf=95, cov_type="standard", center=False),
    probe_runs=[("p16_p50_p84", "percentiles"), ("mean_sd", "moments")],
    description="PROCESS model 14 (second-stage moderated mediation, the moderator moderates M->Y), two parallel mediators, simulated data (Varlist_Model14: x,y,v,m1,m2). pyprocessmacro uses the PROCESS 2 letter V for this moderator; PROCESS v3/v4 call it W: in cipa terms w = column v.",
)
