"""Golden case process_ppm_mcx_protest: PROCESS model 4 with a multicategorical X (Hayes 2018 protest data:
x = protest with groups 0/1/2, indicator coding with reference group 0 (pyprocessmacro mcx="indicator", PROCESS
mcx=1), m = respappr, y = liking): relative direct, relative indirect and relative total effects, and the
omnibus test of the direct effect.
Regenerate from the crate root:  python tests/golden/process_ppm_mcx_protest/make.py   (needs pyprocessmacro==2.2.0)."""
import os
import sys

sys.dont_write_bytecode = True  # keep tests/golden free of __pycache__
HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "process_common"))
from ppm_golden import run_case  # noqa: E402

run_case(
    HERE,
    case="process_ppm_mcx_protest",
    dataset="../shared/datasets/hayes2018/protest.csv",
    model=4,
    roles=dict(x="protest", m=["respappr"], y="liking"),
    options=dict(boot=5000, seed=12345, conf=95, cov_type="standard", center=False, mcx="indicator"),
    probe_runs=[("none", "percentiles")],
    description="PROCESS model 4 with multicategorical X: protest (0 no protest = reference, 1 individual, 2 collective), "
    "indicator coding; m = respappr, y = liking (Hayes 2018, ch. 10). X codes are named protest[1], protest[2].",
    extra_notes=[
        "tests.csv holds pyprocessmacro's omnibus test of the direct effect of X (R2 change, F, df1, df2, p), "
        "PROCESS's 'Omnibus test of direct effect of X on Y'.",
        "The relative total effects (kind=total) are OLS of liking on the two indicator codes, computed by make.py.",
    ],
)
