"""Results: tables, reports, figures, the results folder."""

import json
import os

import pandas as pd
import pytest

import cipa
from conftest import SME

DATA = str(SME)


@pytest.fixture(scope="module")
def mm():
    df = cipa.read(SME)
    return cipa.fit(df, model=7, x="network_ties", m=["collab"], w="cultural_distance",
                    y="export_intensity", boot=200, seed=1, save_boot=True)


def test_tables_are_tidy(mm):
    ind = mm.indirect
    assert {"kind", "path", "effect", "ci_lower", "ci_upper", "cultural_distance"} <= set(ind.columns)
    assert len(ind) == 3  # three probe values of W
    assert (ind["path"] == "network_ties -> collab -> export_intensity").all()
    assert len(mm.index) == 1
    assert set(mm.coefficients["outcome"]) == {"collab", "export_intensity"}
    assert len(mm.models) == 2
    assert len(mm.draws) == 200
    assert len(mm.curves) > 0
    assert mm.to_dict()["bootstrap"]["B"] == 200


def test_reports(mm):
    text = mm.summary()
    assert "Outcome Variable: collab" in text
    page = mm.summary("html")
    assert page.lstrip().lower().startswith("<!doctype html")
    frag = mm._repr_html_()
    assert frag.startswith('<div class="cipa-report">') and "<body" not in frag
    assert ".cipa-report table{" in frag and "\nbody{" not in frag
    assert "Outcome Variable: collab" in frag
    assert "\\begin" in mm.summary("latex")
    assert "|" in mm.apa()
    assert json.loads(mm.to_json()) == mm.to_dict()
    with pytest.raises(cipa.UsageError):
        mm.summary("docx")


def test_figures_are_svg(mm):
    d = mm.diagram()
    assert isinstance(d, cipa.SVG) and d.data.lstrip().startswith("<svg")
    assert "<svg" in d._repr_svg_()
    s = mm.diagram("statistical", coef="ci", labels={"collab": "Collaboration"})
    assert "Collaboration" in s.data
    ind = mm.plot_indirect()
    assert "<svg" in str(ind if isinstance(ind, cipa.SVG) else ind[0])
    assert mm.plot_interaction() is not None
    with pytest.raises(cipa.ModelError, match="Johnson-Neyman"):
        mm.plot_jn()


def test_jn_plot():
    res = cipa.fit(DATA, model=1, x="collab", w="cultural_distance", y="export_intensity", jn=True, boot=0)
    assert isinstance(res.plot_jn(), cipa.SVG)
    assert len(res.jn) == 22
    assert len(res.jn_points) >= 0


def test_save_writes_the_results_folder(mm, tmp_path):
    out = tmp_path / "res"
    assert mm.save(out) == str(out)
    man = json.loads((out / "manifest.json").read_text())
    assert man["command"] == "fit"
    assert man["data"]["file"] is None and man["data"]["name"] == "pandas.DataFrame"
    assert len(man["data"]["sha256"]) == 64
    assert man["command_line"][:3] == ["cipa", "fit", "--data=pandas.DataFrame"]
    assert (out / "draws.csv").exists()
    assert json.loads((out / "results.json").read_text()) == mm.to_dict()
    assert any(p.endswith(".svg") for p in os.listdir(out / "plots"))
    # A second save replaces the folder (it is cipa's).
    mm.save(out)


def test_save_from_a_file_hashes_the_file(tmp_path):
    res = cipa.describe(DATA, vars=["collab", "export_intensity"])
    res.save(tmp_path / "d")
    man = json.loads((tmp_path / "d" / "manifest.json").read_text())
    assert man["data"]["file"] == DATA
    import hashlib

    assert man["data"]["sha256"] == hashlib.sha256(SME.read_bytes()).hexdigest()


def test_description_and_measurement_tables():
    d = cipa.describe(DATA, vars=["collab", "network_ties", "export_intensity"])
    assert d.correlations.shape == (3, 3)
    assert d.correlations.loc["collab", "collab"] == 1.0
    m = cipa.measure(DATA, constructs={"ties": ["ties_1", "ties_2", "ties_3", "ties_4"],
                                       "collab": ["collab_1", "collab_2", "collab_3", "collab_4"]}, boot=0)
    assert set(m.reliability["construct"]) == {"ties", "collab"}
    assert len(m.loadings) == 8
    assert "cfi" in m.fit_measures.index


def test_every_flag_is_a_keyword_argument():
    import inspect

    # Output destinations are methods here (.summary, .save, .apa); shards, plans and job arrays
    # are for the command line.
    left_out = {"data", "format", "out", "apa", "shard", "plot", "truth", "plan", "slurm", "job_time",
                "pilot_reps"}
    no_apa = {"apa_decimals", "stars"}
    for fn, command in [(cipa.fit, "fit"), (cipa.regress, "regress"), (cipa.describe, "describe"),
                        (cipa.measure, "measure"), (cipa.read, "read"), (cipa.simulate, "simulate"),
                        (cipa.power, "power"), (cipa.sem, "sem")]:
        params = set(inspect.signature(fn).parameters) - {"data", "convert_categoricals"}
        skip = left_out | (no_apa if command in ("measure", "power", "sem") else set())
        flags = {f for f, _, _ in cipa.flags(command)} - skip
        assert params == flags, (command, params ^ flags)


def test_repr(mm):
    assert repr(mm).startswith("<cipa.Fit: fit --data=pandas.DataFrame")
    assert isinstance(mm.coefficients, pd.DataFrame)
