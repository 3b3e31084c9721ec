"""cipa.sem equals `cipa sem --format json` bit for bit (from a file and from a DataFrame), and
its tables are the document's."""

import cipa
from conftest import ROOT, SME, without_source

DATA = str(SME)
MODEL = ("ties =~ ties_1 + ties_2 + ties_3 + ties_4\n"
         "collab =~ collab_1 + collab_2 + collab_3 + collab_4\n"
         "growth =~ growth_1 + growth_2 + growth_3\n"
         "collab ~ a*ties\ngrowth ~ b*collab + ties\nind := a*b\n")


def test_sem_equals_the_command_line(cli, tmp_path):
    path = tmp_path / "m.lav"
    path.write_text(MODEL)
    expected = cli("sem", "--data", DATA, "--model", str(path), "--estimator", "mlr", "--std-lv")
    got = cipa.sem(DATA, model=str(path), estimator="mlr", std_lv=True)
    assert got.to_dict() == expected
    text = cipa.sem(DATA, model=MODEL, estimator="mlr", std_lv=True).to_dict()
    assert without_source(text)["parameters"] == expected["parameters"]
    assert text["fit"] == expected["fit"]


def test_sem_from_a_dataframe_and_its_tables():
    df = cipa.read(SME)
    res = cipa.sem(df, syntax=MODEL)
    ref = cipa.sem(DATA, model=MODEL).to_dict()
    assert res.to_dict()["parameters"] == ref["parameters"]
    p = res.parameters
    assert list(p.columns[:12]) == ["lhs", "op", "rhs", "label", "est", "se", "z", "p",
                                    "ci_lower", "ci_upper", "std_lv", "std_all"]
    assert (p["op"] == ":=").sum() == 1
    assert res.fit["df"] == ref["fit"]["df"] and 0 < res.fit["cfi"] <= 1
    assert set(res.r2) >= {"collab", "growth", "ties_1"}
    assert "Latent Variables" in res.summary()


def test_sem_monte_carlo_needs_fifty_draws():
    import pytest

    with pytest.raises(cipa.UsageError, match="--mc 1 is too few draws"):
        cipa.sem(DATA, syntax=MODEL, mc=1, seed=1)


def test_sem_apa_equals_the_command_line(cli, tmp_path):
    table = cipa.sem(DATA, model=MODEL).apa("markdown")
    assert "Measurement model: factor loadings" in table and "ω = " in table
    path = tmp_path / "m.lav"
    path.write_text(MODEL)
    out = cli("sem", "--data", DATA, "--model", str(path), "--apa", "--format", "markdown",
              json_out=False)
    assert out == table


TEAMS = ROOT.parent / "shared" / "datasets" / "hayes2018" / "teams.csv"
PROBED = ("negtone ~ a*dysfunc\n"
          "perform ~ cp*dysfunc + b1*negtone + b2*negexp + b3*negtone:negexp\n"
          "ind_w := a*b1 + a*b3*negexp\n")


def test_sem_probe_and_diagram_keywords_equal_the_command_line(cli, tmp_path):
    import pytest
    if not TEAMS.exists():
        pytest.skip("../shared/datasets is absent")
    path = tmp_path / "m.lav"
    path.write_text(PROBED)
    d1, d2 = tmp_path / "a.dot", tmp_path / "b.dot"
    expected = cli("sem", "--data", TEAMS, "--model", path, "--wvals", "-0.5,0,0.5",
                   "--diagram", d1, "--diagram-values", "std", "--diagram-coef", "ci",
                   "--diagram-residuals")
    got = cipa.sem(str(TEAMS), model=str(path), wvals=[-0.5, 0, 0.5], diagram=str(d2),
                   diagram_values="std", diagram_coef="ci", diagram_residuals=True)
    assert got.to_dict() == expected
    assert d1.read_text() == d2.read_text()
    assert expected["probed_definitions"][0]["rows"][0] == "ind_w(negexp=-0.5000)"
    meansd = cipa.sem(str(TEAMS), model=str(path), probe="meansd").to_dict()
    assert meansd["probed_definitions"][0]["probe"] == "mean_sd"


GROUPED = ("ties =~ ties_1 + ties_2 + ties_3 + ties_4\n"
           "collab =~ collab_1 + collab_2 + collab_3 + collab_4\n")


def test_sem_groups_and_invariance_equal_the_command_line(cli, tmp_path):
    # group= goes through the grouped engine (it was once silently fitted as one group).
    path = tmp_path / "m.lav"
    path.write_text(GROUPED)
    expected = cli("sem", "--data", DATA, "--model", str(path), "--group", "family_owned",
                   "--group-equal", "loadings")
    got = cipa.sem(DATA, model=str(path), group="family_owned", group_equal=["loadings"])
    assert got.to_dict() == expected
    p = got.parameters
    assert p.columns[0] == "group" and set(p["group"]) >= {1, 2}
    assert "Group 1" in got.summary() or "family_owned" in got.summary()
    inv = cipa.sem(DATA, model=str(path), group="family_owned", invariance=True).to_dict()
    expected = cli("sem", "--data", DATA, "--model", str(path), "--group", "family_owned",
                   "--invariance")
    assert inv == expected
    assert [lv["model"] for lv in inv["invariance"]["levels"]] == [
        "configural", "metric", "scalar", "strict"]
