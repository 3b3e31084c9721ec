"""Every function's numbers equal the command line's JSON on the same data and seed, bit for bit.

Each case runs one command twice: the cipa binary with --format json on the CSV file, and the
Python function on (a) the same file, (b) the DataFrame cipa.read makes of it, (c) the
DataFrame pandas.read_csv makes of it (round-trip float parsing) and, where installed, (d) a
polars DataFrame and a pyarrow Table. The documents must be equal as JSON values: every float
compares with ==, so bit for bit. Only the name of the data source may differ for in-memory data.
"""

import json

import pandas as pd
import pytest

import cipa
from cipa._frame import ROUND_TRIP as _ROUND_TRIP
from conftest import ROOT, SME, without_source

DATA = str(SME)

# (Python function, keyword arguments, the same as command-line flags)
CASES = {
    "describe": (
        cipa.describe,
        dict(vars=["network_ties", "collab", "export_intensity", "log_employees", "cultural_distance"]),
        ["describe", "--vars", "network_ties,collab,export_intensity,log_employees,cultural_distance"],
    ),
    "describe-pairwise": (
        cipa.describe,
        dict(vars=["rd_intensity", "collab", "export_intensity"], pairwise=True),
        ["describe", "--vars", "rd_intensity,collab,export_intensity", "--pairwise"],
    ),
    "regress-hc3-vif": (
        cipa.regress,
        dict(y="export_intensity", x=["collab", "network_ties", "log_employees", "family_owned"], hc="hc3", vif=True),
        ["regress", "--y", "export_intensity", "--x", "collab,network_ties,log_employees,family_owned",
         "--hc", "hc3", "--vif"],
    ),
    "regress-categorical": (
        cipa.regress,
        dict(y="export_intensity", x=["collab", "coop_form", "collab:log_employees"], ref={"coop_form": "supply_integration"},
             coding="indicator", center=["log_employees"]),
        ["regress", "--y", "export_intensity", "--x", "collab,coop_form,collab:log_employees",
         "--ref", "coop_form=supply_integration", "--center", "log_employees"],
    ),
    "regress-logistic": (
        cipa.regress,
        dict(y="exporter", x=["collab", "log_employees"], logistic=True),
        ["regress", "--y", "exporter", "--x", "collab,log_employees", "--logistic"],
    ),
    "fit-model1-jn": (
        cipa.fit,
        dict(model=1, x="collab", w="cultural_distance", y="export_intensity", cov=["log_employees"],
             jn=True, intprobe=1, seed=1, boot=200),
        ["fit", "--model", "1", "--x", "collab", "--w", "cultural_distance", "--y", "export_intensity",
         "--cov", "log_employees", "--jn", "--intprobe", "1", "--seed", "1", "--boot", "200"],
    ),
    "fit-model4-total-normal-effsize": (
        cipa.fit,
        dict(model=4, x="network_ties", m=["collab"], y="export_intensity", cov=["log_employees"],
             total=True, normal=True, effsize=True, boot=300, seed=1),
        ["fit", "--model", "4", "--x", "network_ties", "--m", "collab", "--y", "export_intensity",
         "--cov", "log_employees", "--total", "--normal", "--effsize", "--boot", "300", "--seed", "1"],
    ),
    "fit-model58-bca": (
        cipa.fit,
        dict(model=58, x="network_ties", m=["collab", "knowledge_spillover"], w="cultural_distance",
             y="export_intensity", boot=250, seed=11, ci="bca", contrast=True),
        ["fit", "--model", "58", "--x", "network_ties", "--m", "collab,knowledge_spillover", "--w", "cultural_distance",
         "--y", "export_intensity", "--boot", "250", "--seed", "11", "--ci", "bca", "--contrast"],
    ),
    "fit-model7-pyprocessmacro-wvals": (
        cipa.fit,
        dict(model=7, x="network_ties", m=["collab"], w="log_employees", y="export_intensity",
             preset="pyprocessmacro", wvals=[-0.5, 2.25, 4.125], boot=200, seed=3),
        ["fit", "--model", "7", "--x", "network_ties", "--m", "collab", "--w", "log_employees",
         "--y", "export_intensity", "--preset", "pyprocessmacro", "--wvals=-0.5,2.25,4.125",
         "--boot", "200", "--seed", "3"],
    ),
    "fit-categorical-w-mc": (
        cipa.fit,
        dict(model=7, x="network_ties", m=["collab"], w="ownership", y="export_intensity",
             mc=500, seed=5, coding="helmert"),
        ["fit", "--model", "7", "--x", "network_ties", "--m", "collab", "--w", "ownership",
         "--y", "export_intensity", "--mc", "500", "--seed", "5", "--coding", "helmert"],
    ),
    "fit-framework-syntax": (
        cipa.fit,
        dict(spec="framework:size_first_stage", x="network_ties", w="log_employees", boot=200, seed=1),
        ["fit", "--spec", "framework:size_first_stage", "--x", "network_ties", "--w", "log_employees",
         "--boot", "200", "--seed", "1"],
    ),
    "fit-constructs": (
        cipa.fit,
        dict(model=4, x="ties", m=["coll"], y="export_intensity", boot=100, seed=2,
             constructs={"ties": ["ties_1", "ties_2", "ties_3", "ties_4"], "coll": "collab_1,collab_2,collab_3,collab_4"}),
        ["fit", "--model", "4", "--x", "ties", "--m", "coll", "--y", "export_intensity", "--boot", "100",
         "--seed", "2", "--construct", "ties=ties_1,ties_2,ties_3,ties_4",
         "--construct", "coll=collab_1,collab_2,collab_3,collab_4"],
    ),
    "measure": (
        cipa.measure,
        dict(constructs={"ties": ["ties_1", "ties_2", "ties_3", "ties_4"],
                         "collab": ["collab_1", "collab_2", "collab_3", "collab_4"],
                         "growth": ["growth_1", "growth_2", "growth_3"]}, boot=200, seed=1, diag_ave=True),
        ["measure", "--construct", "ties=ties_1,ties_2,ties_3,ties_4",
         "--construct", "collab=collab_1,collab_2,collab_3,collab_4",
         "--construct", "growth=growth_1,growth_2,growth_3", "--boot", "200", "--seed", "1", "--diag-ave"],
    ),
}


def _cli_args(flags):
    return [flags[0], "--data", DATA, *flags[1:]]


@pytest.fixture(scope="module")
def frames():
    out = {
        "cipa.read": cipa.read(SME),
        "pandas.read_csv": pd.read_csv(SME, **_ROUND_TRIP),
    }
    try:
        import polars as pl

        out["polars"] = pl.read_csv(SME, infer_schema_length=None)
    except ImportError:
        pass
    try:
        import pyarrow.csv as pacsv

        out["pyarrow"] = pacsv.read_csv(SME)
    except ImportError:
        pass
    return out


@pytest.mark.parametrize("case", CASES)
def test_file_input_gives_the_command_lines_document(cli, case):
    fn, kwargs, flags = CASES[case]
    expected = cli(*_cli_args(flags))
    assert fn(DATA, **kwargs).to_dict() == expected


@pytest.mark.parametrize("case", CASES)
@pytest.mark.parametrize("kind", ["cipa.read", "pandas.read_csv", "polars", "pyarrow"])
def test_in_memory_input_gives_the_command_lines_numbers(cli, frames, case, kind):
    if kind not in frames:
        pytest.skip(f"{kind} is not installed")
    fn, kwargs, flags = CASES[case]
    expected = cli(*_cli_args(flags))
    got = fn(frames[kind], **kwargs).to_dict()
    assert got["data"]["file"] != DATA
    assert without_source(got) == without_source(expected)


@pytest.mark.parametrize("case", ["regress-hc3-vif", "fit-model1-jn", "measure", "describe"])
def test_text_report_is_the_command_lines(cli, case):
    fn, kwargs, flags = CASES[case]
    assert fn(DATA, **kwargs).summary() == cli(*_cli_args(flags), json_out=False)


def test_model_text_equals_the_model_file(cli, tmp_path):
    text = "collab ~ network_ties + log_employees\nexport_intensity ~ collab + network_ties + log_employees\n"
    path = tmp_path / "m.cipa"
    path.write_text(text)
    expected = cli("fit", "--data", DATA, "--spec", str(path), "--x", "network_ties", "--boot", "100", "--seed", "4")
    got = cipa.fit(DATA, spec=text, x="network_ties", boot=100, seed=4).to_dict()
    assert got == expected


def test_power_equals_the_command_line(cli):
    flags = ["power", "--design", "designs/mediation_small.toml", "--model", "4", "--x", "x", "--m", "m",
             "--y", "y", "--n", "60,120", "--reps", "6", "--boot", "60", "--seed", "7"]
    expected = cli(*flags)
    got = cipa.power(design=ROOT / "designs" / "mediation_small.toml", model=4, x="x", m=["m"], y="y",
                     n=[60, 120], reps=6, boot=60, seed=7)
    assert got.to_dict() == expected
    assert list(got.power["n"]) == [60, 120]


def test_simulate_equals_the_csv_the_command_line_writes(cli, tmp_path):
    out = tmp_path / "sim.csv"
    cli("simulate", "--n", "80", "--seed", "3", "--population-n", "2000", "--out", out, json_out=False)
    df = cipa.simulate(n=80, seed=3, population_n=2000)
    expected = cipa.read(out)
    pd.testing.assert_frame_equal(df, expected, check_exact=True)
    truth = json.loads((tmp_path / "sim.truth.json").read_text())
    truth.pop("command", None)
    got = dict(df.attrs["truth"])
    got.pop("command", None)
    assert got == truth
