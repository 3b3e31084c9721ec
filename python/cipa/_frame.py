"""Data between pandas (or any Arrow C stream) and cipa.

In: a pandas DataFrame becomes columns of cells that cipa types exactly as it types a file's
cells, so ``missing=``, ``categorical=`` and ``numeric=`` act on it as on a file. Numeric
columns (float, int, nullable Int64/Float64, bool) go as float64; text (object or string dtype)
as text; a Categorical keeps its categories and their order (the first is the reference level of
indicator coding, as in statsmodels and R). Missing values are NaN, None, pd.NA or NaT. A
Categorical that ``cipa.read`` made from SPSS/Stata value labels goes back as its numeric codes,
as the command line reads the file. Objects with ``__arrow_c_stream__`` (polars, pyarrow) are
read by the compiled module through the Arrow C stream interface, without pyarrow.

Out: cipa's columns become a DataFrame: numeric columns float64 (int64 when every value is a
whole number and none is missing, as pandas.read_csv does), categorical ones pandas
Categoricals; SPSS/Stata variable labels go to ``df.attrs["variable_labels"]`` and value labels
to ``df.attrs["value_labels"]``.
"""

from __future__ import annotations

import os
import warnings
from typing import Any

import numpy as np
import pandas as pd

from . import _cipa

#: pandas.read_csv options that parse floats exactly (the default from pandas 3 on).
ROUND_TRIP = {"float_precision": "round_trip"} if int(pd.__version__.split(".")[0]) < 3 else {}


def _python(v: Any) -> Any:
    """A numpy scalar as a Python one (str, float, int)."""
    return v.item() if isinstance(v, np.generic) else v


def _value_label_codes(df: pd.DataFrame, name: str, s: pd.Series) -> np.ndarray | None:
    """The numeric codes of a Categorical whose categories are a column's value labels."""
    labels = df.attrs.get("value_labels", {}).get(name)
    if not labels:
        return None
    by_label = {lab: code for code, lab in labels.items()}
    cats = list(s.cat.categories)
    if not all(c in by_label for c in cats):
        return None
    lookup = np.array([float(by_label[c]) for c in cats] + [np.nan])
    return lookup[s.cat.codes.to_numpy()]


def to_columns(df: pd.DataFrame) -> list:
    """A DataFrame as the compiled module's columns."""
    cols = []
    for name in df.columns:
        s = df[name]
        if isinstance(s, pd.DataFrame):
            raise _cipa.DataError(f"column '{name}' appears more than once; rename one of them")
        label = str(name)
        dt = s.dtype
        if isinstance(dt, pd.CategoricalDtype):
            codes = _value_label_codes(df, name, s)
            if codes is not None:
                cols.append(("num", label, np.ascontiguousarray(codes, dtype="<f8").tobytes()))
                continue
            cats = [_python(c) for c in s.cat.categories]
            codes = np.ascontiguousarray(s.cat.codes.to_numpy(), dtype="<i4")
            cols.append(("cat", label, codes.tobytes(), cats))
        elif pd.api.types.is_bool_dtype(dt) or (
            pd.api.types.is_numeric_dtype(dt) and not pd.api.types.is_complex_dtype(dt)
        ):
            x = s.to_numpy(dtype="float64", na_value=np.nan)
            cols.append(("num", label, np.ascontiguousarray(x, dtype="<f8").tobytes()))
        elif pd.api.types.is_datetime64_any_dtype(dt) or pd.api.types.is_timedelta64_dtype(dt) or (
            isinstance(dt, pd.PeriodDtype)
        ):
            raise _cipa.DataError(
                f"column '{label}' holds dates or times ({dt}); cipa reads numbers, text and "
                "categories: convert it, e.g. to days with (s - s.min()).dt.days"
            )
        else:
            values = s.tolist()
            missing = s.isna().to_numpy()
            cols.append(
                ("text", label, [None if m else _python(v) for v, m in zip(values, missing)])
            )
    return cols


def source(data: Any) -> dict:
    """The keyword arguments that hand ``data`` to the compiled module."""
    if isinstance(data, (str, os.PathLike)):
        return {"path": os.fspath(data)}
    if isinstance(data, pd.DataFrame):
        return {"columns": to_columns(data), "name": "pandas.DataFrame"}
    if hasattr(data, "__arrow_c_stream__"):
        t = type(data)
        return {"arrow": data, "name": f"{t.__module__.split('.')[0]}.{t.__name__}"}
    if isinstance(data, dict):
        return source(pd.DataFrame(data))
    raise _cipa.UsageError(
        f"data of type {type(data).__name__}: give a pandas DataFrame, a polars DataFrame or "
        "pyarrow Table (anything with __arrow_c_stream__), a dict of columns, or a file path"
    )


def _numeric(c: dict, convert_categoricals: bool) -> tuple[Any, dict | None]:
    x = np.frombuffer(c["data"], dtype="<f8").copy()
    labels = {float_key(k): v for k, v in c["value_labels"]}
    finite = x[~np.isnan(x)]
    if labels and convert_categoricals and all(v in labels for v in finite.tolist()):
        order = sorted(labels)
        cats = [labels[k] for k in order]
        index = {k: i for i, k in enumerate(order)}
        codes = np.array([-1 if np.isnan(v) else index[v] for v in x.tolist()], dtype="int64")
        return pd.Categorical.from_codes(codes, categories=pd.Index(cats, dtype=object)), labels
    whole = len(finite) == len(x) and len(x) > 0 and np.all(np.abs(x) < 2**53) and np.all(x == np.round(x))
    return (x.astype("int64") if whole else x), (labels or None)


def float_key(k: float) -> Any:
    """A value-label code as an int where it is whole (1, not 1.0)."""
    return int(k) if float(k).is_integer() else k


def from_columns(cols: list, convert_categoricals: bool = True) -> pd.DataFrame:
    """The compiled module's columns as a DataFrame."""
    data: dict = {}
    variable_labels: dict = {}
    value_labels: dict = {}
    for c in cols:
        name = c["name"]
        if c["kind"] == "num":
            data[name], vl = _numeric(c, convert_categoricals)
            if vl:
                value_labels[name] = vl
        else:
            codes = np.frombuffer(c["codes"], dtype="<i4").astype("int64")
            data[name] = pd.Categorical.from_codes(
                codes, categories=pd.Index(c["levels"], dtype=object)
            )
        if c["label"]:
            variable_labels[name] = c["label"]
        if c["problem"]:
            line, value = c["problem"]
            warnings.warn(
                f"column '{name}': the value '{value}' on line {line} is not a number; it and any "
                "like it are read as missing here (cipa's models refuse the column until it is "
                "fixed or declared categorical)",
                stacklevel=3,
            )
    df = pd.DataFrame(data, columns=[c["name"] for c in cols])
    if variable_labels:
        df.attrs["variable_labels"] = variable_labels
    if value_labels:
        df.attrs["value_labels"] = value_labels
    return df


def restore_types(out: pd.DataFrame, original: pd.DataFrame, forced: set) -> pd.DataFrame:
    """Gives the columns of ``out`` (cipa's reading of ``original``) the dtypes they had, unless
    ``forced`` (named in ``numeric=`` or ``categorical=``): values and missing cells as cipa
    read them, types as given."""
    res = {}
    for name in out.columns:
        o, s = out[name], original[name] if name in original.columns else None
        if s is None or isinstance(s, pd.DataFrame) or name in forced:
            res[name] = o
            continue
        missing = o.isna().to_numpy()
        numeric_in = pd.api.types.is_numeric_dtype(s.dtype) or pd.api.types.is_bool_dtype(s.dtype)
        if not numeric_in or isinstance(s.dtype, pd.CategoricalDtype):
            # Text and categories: cipa changes nothing but which cells are missing.
            res[name] = s.mask(missing) if missing.any() else s.copy()
        elif pd.api.types.is_numeric_dtype(o.dtype):
            try:
                res[name] = o.astype(s.dtype) if not missing.any() or _holds_na(s.dtype) else o
            except (TypeError, ValueError):
                res[name] = o
        else:
            res[name] = o
    df = pd.DataFrame(res, columns=out.columns, index=original.index)
    df.attrs.update(original.attrs)
    df.attrs.update(out.attrs)
    return df


def _holds_na(dtype: Any) -> bool:
    """Whether a dtype can hold a missing value (float, nullable extension types)."""
    return pd.api.types.is_float_dtype(dtype) or isinstance(dtype, pd.api.extensions.ExtensionDtype)
