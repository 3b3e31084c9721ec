"""Golden case process_ppm_mcw_m1_protest: PROCESS model 1 with a multicategorical moderator W (Hayes 2018 protest
data: x = sexism, y = liking, w = protest with groups 0/1/2, indicator coding with reference group 0
(pyprocessmacro mcw="indicator", PROCESS mcw=1)): the conditional effect of X in each group
(pyprocessmacro 2.16 numbering calls model 1's moderator m).
Regenerate from the crate root:  python tests/golden/process_ppm_mcw_m1_protest/make.py   (needs pyprocessmacro==2.2.0)."""
import os
import sys

sys.dont_write_bytecode = True  # keep tests/golden free of __pycache__
HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "process_common"))
from ppm_golden import run_case  # noqa: E402

run_case(
    HERE,
    case="process_ppm_mcw_m1_protest",
    dataset="../shared/datasets/hayes2018/protest.csv",
    model=1,
    roles=dict(x="sexism", m="protest", y="liking"),
    options=dict(boot=5000, seed=12345, conf=95, cov_type="standard", center=False, mcw="indicator"),
    probe_runs=[("p16_p50_p84", "percentiles")],  # a categorical W is probed at its groups
    description="PROCESS model 1 with a multicategorical W: protest (0 no protest = reference, 1 individual, "
    "2 collective), indicator coding; x = sexism, y = liking (Hayes 2018 data). W codes are named "
    "protest[1], protest[2].",
)
