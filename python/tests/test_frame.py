"""DataFrames in and out: types and missing values survive a round trip; categorical and text
columns are factors with the right reference level; the Arrow C stream (polars, pyarrow)."""

import math

import numpy as np
import pandas as pd
import pytest

import cipa
from conftest import ROOT, SME, SME_EXAMPLE, without_source


def mixed():
    return pd.DataFrame(
        {
            "f": [1.5, np.nan, -2.25, 1e-300, 3.0, 0.1],
            "i": np.array([1, 2, 3, 4, 5, 6], dtype="int64"),
            "ni": pd.array([1, None, 3, 4, None, 6], dtype="Int64"),
            "b": [True, False, True, True, False, False],
            "cat": pd.Categorical(["lo", "hi", None, "mid", "lo", "hi"], categories=["lo", "mid", "hi"]),
            "s": ["a", None, "b", "a", np.nan, "c"],
            "codes": [1.0, -99.0, 2.0, 2.0, 1.0, -99.0],
        }
    )


def test_a_round_trip_keeps_types_values_and_missing_cells():
    df = mixed()
    back = cipa.read(df)
    assert list(back.columns) == list(df.columns)
    for c in df.columns:
        assert back[c].dtype == df[c].dtype, c
    pd.testing.assert_frame_equal(back, df, check_exact=True)


def test_missing_codes_apply_to_a_dataframe_as_to_a_file():
    back = cipa.read(mixed(), missing=[-99])
    assert back["codes"].isna().tolist() == [False, True, False, False, False, True]
    assert back["f"].isna().sum() == 1


def test_floats_are_passed_bit_for_bit():
    x = np.array([0.1, 1 / 3, math.pi, 2.0**-1074, 1.7976931348623157e308, -0.0])
    back = cipa.read(pd.DataFrame({"x": x}))
    assert back["x"].to_numpy().tobytes() == x.tobytes()


def test_a_file_reads_as_the_command_line_reads_it():
    df = cipa.read(SME_EXAMPLE, missing=[-99])
    assert df["intl_experience"].isna().sum() > 0
    assert (df["intl_experience"] == -99).sum() == 0
    assert isinstance(df["ownership"].dtype, pd.CategoricalDtype)
    assert df["firm_id"].dtype == "int64"


def test_categorical_order_sets_the_reference_level():
    df = cipa.read(SME)
    fwd = cipa.regress(df, y="export_intensity", x=["collab", "ownership"])
    terms = set(fwd.coefficients["term"])
    assert "ownership[foreign]" in terms and "ownership[family]" not in terms
    df2 = df.assign(ownership=df["ownership"].cat.reorder_categories(["state", "family", "foreign", "private"]))
    rev = cipa.regress(df2, y="export_intensity", x=["collab", "ownership"])
    terms = set(rev.coefficients["term"])
    assert "ownership[family]" in terms and "ownership[state]" not in terms
    # The same model: the fit does not depend on the reference level.
    assert rev.models["r2"][0] == pytest.approx(fwd.models["r2"][0], rel=1e-12)


def test_text_columns_are_factors_and_a_numeric_column_can_be_one():
    df = cipa.read(SME)
    s = df.assign(ownership=df["ownership"].astype(object))
    a = cipa.regress(s, y="export_intensity", x=["collab", "ownership"]).coefficients
    b = cipa.regress(df, y="export_intensity", x=["collab", "ownership"]).coefficients
    pd.testing.assert_frame_equal(a, b)
    c = cipa.regress(df, y="export_intensity", x=["collab", "family_owned"], categorical=["family_owned"])
    assert "family_owned[1]" in set(c.coefficients["term"])


def test_construct_scores_and_size_classes_are_added():
    df = cipa.read(SME, constructs={"ties": ["ties_1", "ties_2", "ties_3", "ties_4"]},
                   size_class="employees")
    assert "ties" in df.columns and "employees_class" in df.columns
    # The score is the items' mean (missing when an item is); the file's column rounds it.
    both = df["ties"].notna()
    assert both.sum() > 350
    np.testing.assert_allclose(df.loc[both, "ties"], df.loc[both, "network_ties"], atol=1e-4)
    assert list(df["employees_class"].cat.categories)[0] == "micro"


def test_dates_are_refused_with_a_way_out():
    df = pd.DataFrame({"d": pd.date_range("2020-01-01", periods=3), "y": [1.0, 2.0, 3.0]})
    with pytest.raises(cipa.DataError, match="dates"):
        cipa.read(df)


def test_a_bad_cell_in_a_numeric_column_warns():
    df = pd.DataFrame({"x": [1, 2, 3, 4, 5, "n/a"], "y": [1.0, 2, 3, 4, 5, 6]})
    with pytest.warns(UserWarning, match="n/a"):
        back = cipa.read(df.astype({"x": object}))
    assert back["x"].isna().sum() == 1


def test_polars_and_pyarrow_read_through_the_arrow_stream():
    pl = pytest.importorskip("polars")
    pa = pytest.importorskip("pyarrow")
    base = cipa.read(SME)
    p = pl.read_csv(SME, infer_schema_length=None)
    t = pa.csv.read_csv(SME) if hasattr(pa, "csv") else __import__("pyarrow.csv").csv.read_csv(SME)
    for obj in (p, t):
        got = cipa.read(obj)
        assert list(got.columns) == list(base.columns)
        for c in ("collab", "export_intensity", "rd_intensity"):
            np.testing.assert_array_equal(got[c].to_numpy(dtype=float), base[c].to_numpy(dtype=float))
        assert list(got["ownership"].astype(str)) == list(base["ownership"].astype(str))


def test_a_polars_enum_keeps_its_order():
    pl = pytest.importorskip("polars")
    df = pl.DataFrame({"g": ["b", "a", "c", "a"], "y": [1.0, 2.0, 3.0, 4.0]}).with_columns(
        pl.col("g").cast(pl.Enum(["c", "b", "a"]))
    )
    back = cipa.read(df)
    assert isinstance(back["g"].dtype, pd.CategoricalDtype)
    assert back["g"].astype(str).tolist() == ["b", "a", "c", "a"]


def test_spss_and_stata_labels_round_trip(cli):
    sav = ROOT / "tests" / "fixtures" / "survey.sav"
    df = cipa.read(sav)
    assert df["group"].tolist()[:2] == ["control", "treatment"]
    assert df.attrs["variable_labels"]["score"] == "Attitude score"
    assert df.attrs["value_labels"]["agree"][99] == "refused"
    # Back into cipa the labelled columns are their codes again, as the command line reads
    # the file: the same numbers bit for bit.
    flags = ["describe", "--data", str(sav), "--vars", "group,score,agree"]
    expected = cli(*flags)
    got = cipa.describe(df, vars=["group", "score", "agree"]).to_dict()
    assert without_source(got) == without_source(expected)
    again = cipa.read(df)
    pd.testing.assert_frame_equal(again, df)
    dta = cipa.read(ROOT / "tests" / "fixtures" / "survey.dta")
    assert dta.attrs["value_labels"]["treat"] == {0: "control", 1: "treatment"}
    assert not cipa.read(sav, convert_categoricals=False)["group"].dtype.name == "category"
