"""Golden case process_ppm_m4: PROCESS model 4, two parallel mediators (m1, m2), simulated data of pyprocessmacro's test suite (Varlist_Model4: x,y,m1,m2); total indirect effect and the m1-m2 contrast.
Regenerate from the crate root:  python tests/golden/process_ppm_m4/make.py   (needs pyprocessmacro==2.2.0)."""
import os
import sys

sys.dont_write_bytecode = True  # keep tests/golden free of __pycache__
HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "process_common"))
from ppm_golden import run_case  # noqa: E402

run_case(
    HERE,
    case="process_ppm_m4",
    dataset="../shared/datasets/pyprocessmacro_sim/Data_Model4.csv",
    model=4,
    roles=dict(x="x", m=["m1", "m2"], y="y"),
    options=dict(boot=5000, seed=12345, conf=95, cov_type="standard", center=False, total=True, contrast=True),
    probe_runs=[("none", "percentiles")],
    description="PROCESS model 4, two parallel mediators (m1, m2), simulated data of pyprocessmacro's test suite (Varlist_Model4: x,y,m1,m2); total indirect effect and the m1-m2 contrast.",
)
