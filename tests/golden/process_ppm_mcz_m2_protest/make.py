"""Golden case process_ppm_mcz_m2_protest: PROCESS model 2 with a continuous W and a multicategorical Z (Hayes 2018
protest data: x = sexism, y = liking, w = respappr, z = protest with groups 0/1/2, indicator coding with reference
group 0 (pyprocessmacro mcz="indicator", PROCESS mcz=1)): the conditional effect of X at values of W in each group
of Z. pyprocessmacro's 2.16 numbering passes model 2's W as m and its Z as w.
Regenerate from the crate root:  python tests/golden/process_ppm_mcz_m2_protest/make.py   (needs pyprocessmacro==2.2.0)."""
import os
import sys

sys.dont_write_bytecode = True  # keep tests/golden free of __pycache__
HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "process_common"))
from ppm_golden import run_case  # noqa: E402

run_case(
    HERE,
    case="process_ppm_mcz_m2_protest",
    dataset="../shared/datasets/hayes2018/protest.csv",
    model=2,
    roles=dict(x="sexism", m="respappr", w="protest", y="liking"),
    options=dict(boot=5000, seed=12345, conf=95, cov_type="standard", center=False, mcz="indicator"),
    probe_runs=[("p16_p50_p84", "percentiles"), ("mean_sd", "moments")],  # Z is probed at its groups
    description="PROCESS model 2 with a continuous W (respappr) and a multicategorical Z: protest (0 no protest = "
    "reference, 1 individual, 2 collective), indicator coding; x = sexism, y = liking (Hayes 2018 data). Z codes are "
    "named protest[1], protest[2].",
)
