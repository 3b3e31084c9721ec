"""Golden case process_ppm_m74: PROCESS model 74 (X moderates its own indirect effects: M:X in the Y equation), two parallel mediators, simulated data (Data_Model4: x,m1,m2,y); model 74 as PROCESS 2.16 defined it (PROCESS 4.0 retired it).
Regenerate from the crate root:  python tests/golden/process_ppm_m74/make.py   (needs pyprocessmacro==2.2.0)."""
import os
import sys

sys.dont_write_bytecode = True  # keep tests/golden free of __pycache__
HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "process_common"))
from ppm_golden import run_case  # noqa: E402

run_case(
    HERE,
    case="process_ppm_m74",
    dataset="../shared/datasets/pyprocessmacro_sim/Data_Model4.csv",
    model=74,
    roles=dict(x="x", m=["m1", "m2"], y="y"),
    options=dict(boot=5000, seed=12345, conf=95, cov_type="standard", center=False),
    probe_runs=[("p16_p50_p84", "percentiles"), ("mean_sd", "moments")],
    description="PROCESS model 74 (X moderates its own indirect effects: M:X in the Y equation), two parallel mediators, simulated data (Data_Model4: x,m1,m2,y); model 74 as PROCESS 2.16 defined it (PROCESS 4.0 retired it).",
)
