"""Results: immutable objects over a finished run held by the compiled module.

Every output comes from the command line's own code: ``to_dict()`` is the document of
``--format json``, ``summary()`` the report, ``save(dir)`` the results folder of ``--out DIR``.
The tables are tidy pandas DataFrames built from that document (one row per estimate, one
column per quantity), so they can never disagree with it.
"""

from __future__ import annotations

import copy
import io
import json
import os
import re
from functools import cached_property
from typing import Any

import pandas as pd

from . import _cipa
from ._figures import SVG, Figures, figures
from ._frame import ROUND_TRIP as _ROUND_TRIP


def _frame(rows: list, columns: list | None = None) -> pd.DataFrame:
    df = pd.DataFrame(rows)
    if columns is not None:
        for c in columns:
            if c not in df.columns:
                df[c] = None
        df = df[columns + [c for c in df.columns if c not in columns]]
    return df


def notebook_html(page: str) -> str:
    """The HTML report as a fragment for a notebook: its body in a ``div.cipa-report``, with the
    page's style rules scoped to that div so they do not restyle the notebook around it."""
    style = re.search(r"<style>(.*?)</style>", page, re.S)
    body = re.search(r"<body>(.*)</body>", page, re.S)
    if not body:
        return page
    rules = []
    for line in (style.group(1) if style else "").strip().splitlines():
        if "{" not in line:
            continue
        selectors, rest = line.split("{", 1)
        scoped = ",".join(
            ".cipa-report" if sel.strip() == "body" else f".cipa-report {sel.strip()}"
            for sel in selectors.split(",")
        )
        rules.append(f"{scoped}{{{rest}")
    return f'<div class="cipa-report"><style>{chr(10).join(rules)}</style>{body.group(1)}</div>'


def _path(p: Any) -> Any:
    return " -> ".join(p) if isinstance(p, list) else p


class Result:
    """A finished cipa command. Immutable: asking for other options means running again."""

    __slots__ = ("_run", "__dict__")

    def __init__(self, run: Any) -> None:
        object.__setattr__(self, "_run", run)

    def __setattr__(self, key, value):
        raise AttributeError(f"{type(self).__name__} is immutable; run the command again to change it")

    def __delattr__(self, key):
        raise AttributeError(f"{type(self).__name__} is immutable")

    @cached_property
    def _doc(self) -> dict:
        return json.loads(self._run.json())

    def to_dict(self) -> dict:
        """The JSON document of ``cipa COMMAND --format json`` (a fresh copy)."""
        return copy.deepcopy(self._doc)

    def to_json(self) -> str:
        """The JSON document as ``--format json`` prints it."""
        return self._run.report("json")

    def summary(self, format: str = "text") -> str:
        """The report: ``text`` (as the command line prints it), ``markdown``, ``latex``,
        ``html`` or ``csv``."""
        return self._run.report(format)

    def save(self, dir: str | os.PathLike) -> str:
        """Writes the results folder of ``--out DIR`` (reports in every format, results.json,
        tables, APA tables, figures, manifest.json) atomically; returns the folder's path. An
        existing folder is replaced only if it is a cipa results folder or empty."""
        self._run.save(os.fspath(dir))
        return os.fspath(dir)

    @property
    def engine_seconds(self) -> float:
        """Seconds cipa's engine worked on this run (typing the data and the analysis, without
        the GIL); the rest of a call's time is the cost of calling from Python."""
        return self._run.engine_seconds

    @property
    def command_line(self) -> list:
        """The equivalent command line (in-memory data named by their type)."""
        return list(self._run.argv)

    def _repr_html_(self) -> str:
        return notebook_html(self._run.report("html"))

    def __str__(self) -> str:
        return self.summary()

    def __repr__(self) -> str:
        return f"<cipa.{type(self).__name__}: {' '.join(self.command_line[1:])}>"


class _Equations(Result):
    """Shared by regress and fit: the equations' coefficients and summaries."""

    __slots__ = ()

    @cached_property
    def coefficients(self) -> pd.DataFrame:
        """One row per coefficient of every equation: outcome, term, estimate, se, t (or z),
        p, ci_lower, ci_upper."""
        rows = []
        for eq in self._doc["equations"]:
            for c in eq["coefficients"]:
                rows.append({"outcome": eq["outcome"], **c})
        return _frame(rows, ["outcome", "term", "estimate", "se"])

    @cached_property
    def models(self) -> pd.DataFrame:
        """One row per equation: outcome, method, n, r2, adj_r2, mse, f, df1, df2, p (logistic:
        -2LL, chi-square and pseudo-R² instead)."""
        skip = {"coefficients", "r2_change", "coding", "warnings", "cluster"}
        return _frame([{k: v for k, v in eq.items() if k not in skip} for eq in self._doc["equations"]])

    @cached_property
    def r2_change(self) -> pd.DataFrame:
        """Tests of R² change: outcome, terms, r2_change, f, df1, df2, p."""
        rows = []
        for eq in self._doc["equations"]:
            for t in eq.get("r2_change", []):
                rows.append({"outcome": eq["outcome"], **t, "terms": ", ".join(t["terms"])})
        return _frame(rows, ["outcome", "terms", "r2_change", "f", "df1", "df2", "p"])

    def apa(self, format: str = "markdown") -> str:
        """The APA-7 tables: ``markdown``, ``latex``, ``html`` or ``csv``."""
        return self._run.apa(format)


class Regression(_Equations):
    """The result of :func:`cipa.regress`."""

    __slots__ = ()

    @cached_property
    def vif(self) -> pd.DataFrame:
        """Variance inflation factors (with ``vif=True``): variable, vif."""
        return _frame(self._doc.get("vif") or [], ["variable", "vif"])


def _effect_rows(entries: list) -> list:
    rows = []
    for e in entries:
        row = {k: v for k, v in e.items() if k not in ("moderators", "standardized")}
        row["path"] = _path(e.get("path"))
        for m, v in (e.get("moderators") or {}).items():
            row[m] = v
        std = e.get("standardized")
        if std:
            for k, v in std.items():
                row[f"std_{k}"] = v
        rows.append(row)
    return rows


def _at_rows(table: dict, rows_key: str = "rows") -> list:
    out = []
    for r in table[rows_key]:
        row = {k: table[k] for k in ("outcome", "focal", "term", "moderator") if k in table}
        for m, v in r.get("at", []):
            row[m] = v
        row.update({k: v for k, v in r.items() if k != "at"})
        out.append(row)
    return out


class Fit(_Equations):
    """The result of :func:`cipa.fit`: a conditional process analysis."""

    __slots__ = ()

    def _effects(self, *kinds: str) -> pd.DataFrame:
        eff = self._doc["effects"]
        rows = _effect_rows([e for k in kinds for e in eff.get(k, [])])
        return _frame(rows, ["kind", "focal", "path", "effect"])

    @cached_property
    def effects(self) -> pd.DataFrame:
        """Every effect: direct, indirect, total indirect, total, contrasts and indices of
        moderated mediation; one row each with kind, focal, path, each moderator's value,
        effect, se/t/p where an analytic test exists, boot_se, ci_lower, ci_upper."""
        return self._effects(*self._doc["effects"].keys())

    @cached_property
    def direct(self) -> pd.DataFrame:
        """The (conditional) direct effects of X on Y."""
        return self._effects("direct")

    @cached_property
    def indirect(self) -> pd.DataFrame:
        """The (conditional) indirect effects, specific and total."""
        return self._effects("indirect", "total_indirect")

    @cached_property
    def index(self) -> pd.DataFrame:
        """Indices of moderated mediation (and partial, conditional, moderated-moderated ones)."""
        return self._effects("index_of_moderated_mediation")

    @cached_property
    def contrasts(self) -> pd.DataFrame:
        """Pairwise contrasts of specific indirect effects (with ``contrast=True``)."""
        return self._effects("contrasts")

    @cached_property
    def conditional(self) -> pd.DataFrame:
        """Conditional effects of each moderated focal predictor at the moderators' probe
        values: outcome, focal, one column per moderator, effect, se, stat, p, ci_lower, ci_upper."""
        rows = [r for t in self._doc.get("conditional_effects", []) for r in _at_rows(t)]
        return _frame(rows, ["outcome", "focal"])

    @cached_property
    def jn(self) -> pd.DataFrame:
        """Johnson-Neyman tables (with ``jn=True``): outcome, focal, moderator, value, effect, se,
        stat, p, ci_lower, ci_upper. The boundaries are in :attr:`jn_points`."""
        rows = []
        for t in self._doc.get("johnson_neyman", []):
            for r in t["table"]:
                rows.append({"outcome": t["outcome"], "focal": t["focal"], "moderator": t["moderator"], **r})
        return _frame(rows, ["outcome", "focal", "moderator", "value", "effect"])

    @cached_property
    def jn_points(self) -> pd.DataFrame:
        """Johnson-Neyman boundaries inside the observed range: outcome, focal, moderator,
        point, pct_below, pct_above."""
        rows = []
        for t in self._doc.get("johnson_neyman", []):
            for p in t.get("points", []):
                rows.append({"outcome": t["outcome"], "focal": t["focal"], "moderator": t["moderator"],
                             "point": p, "pct_below": t.get("pct_below"), "pct_above": t.get("pct_above")})
        return _frame(rows, ["outcome", "focal", "moderator", "point"])

    @cached_property
    def curves(self) -> pd.DataFrame:
        """Conditional indirect effects over each numeric moderator's range, with pointwise
        bootstrap intervals: path, moderator, value, effect, ci_lower, ci_upper."""
        rows = []
        for c in self._doc.get("indirect_curves", []):
            for i, g in enumerate(c["grid"]):
                row = {"kind": c["kind"], "focal": c["focal"], "path": _path(c["path"]), "moderator": c["moderator"]}
                # The other moderators' probe values (labels, as in the report).
                row.update(c.get("at") or {})
                row.update({"value": g, "effect": c["effect"][i], "ci_lower": c["ci_lower"][i],
                            "ci_upper": c["ci_upper"][i]})
                rows.append(row)
        return _frame(rows, ["kind", "focal", "path", "moderator", "value", "effect"])

    @cached_property
    def defined(self) -> pd.DataFrame:
        """Defined quantities of a path-syntax model: name, expression, estimate, boot_se,
        ci_lower, ci_upper."""
        return _frame(self._doc.get("defined", []), ["name", "expression", "estimate"])

    @cached_property
    def probes(self) -> pd.DataFrame:
        """The moderators' probe values: moderator, label, value."""
        rows = [{"moderator": p["moderator"], **{k: v for k, v in pt.items() if k != "codes"}}
                for p in self._doc.get("probes", []) for pt in p["points"]]
        return _frame(rows, ["moderator", "label", "value"])

    @cached_property
    def draws(self) -> pd.DataFrame:
        """Every bootstrap draw of every effect, one row per draw (with ``save_boot=True``)."""
        text = self._run.draws_csv()
        if text is None:
            raise _cipa.UsageError("the draws are kept with save_boot=True (and a bootstrap)")
        return pd.read_csv(io.StringIO(text), **_ROUND_TRIP)

    @property
    def notes(self) -> list:
        """The analysis' notes (why an index is not reported, a logistic Y, ...)."""
        return list(self._doc.get("notes", []))

    def _figs(self, kind: str, what: str, labels: Any = None, greyscale: bool | None = None,
              coef: str | None = None) -> SVG | Figures:
        if isinstance(labels, dict):
            labels = ",".join(f"{k}={v}" for k, v in labels.items())
        return figures(self._run.figures(kind, labels, greyscale, coef), what)

    def diagram(self, kind: str = "conceptual", *, labels: Any = None, greyscale: bool | None = None,
                coef: str | None = None) -> SVG:
        """The path diagram: ``conceptual`` (moderators as arrows onto paths) or ``statistical``
        (every term a box, coefficients on the arrows: ``coef="stars"`` or ``"ci"``).
        ``labels`` maps variable names to labels (a dict or ``"x=Label,y=Label"``)."""
        return self._figs(kind, f"{kind} diagram", labels, greyscale, coef)

    def plot_interaction(self, *, labels: Any = None, greyscale: bool | None = None) -> SVG | Figures:
        """Simple slopes of each moderated focal predictor at the moderator's probe values, with
        confidence bands and the observed cases."""
        return self._figs("interaction", "interaction to plot", labels, greyscale)

    def plot_jn(self, *, labels: Any = None, greyscale: bool | None = None) -> SVG | Figures:
        """The Johnson-Neyman plot of each moderated direct effect (fit with ``jn=True``)."""
        return self._figs("jn", "Johnson-Neyman analysis (fit with jn=True and a moderated direct effect)",
                          labels, greyscale)

    def plot_indirect(self, *, labels: Any = None, greyscale: bool | None = None) -> SVG | Figures:
        """Conditional indirect effects along each numeric moderator with bootstrap bands."""
        return self._figs("indirect", "moderated indirect effect to plot (or no bootstrap)", labels, greyscale)

    def plot_bootstrap(self, *, labels: Any = None, greyscale: bool | None = None) -> SVG | Figures:
        """Histograms of the indirect effects' bootstrap draws."""
        return self._figs("bootstrap", "bootstrapped indirect effect", labels, greyscale)


class Description(Result):
    """The result of :func:`cipa.describe`."""

    __slots__ = ()

    @cached_property
    def variables(self) -> pd.DataFrame:
        """One row per variable: name, n, missing, mean, sd, min, max, skewness, se_skewness,
        kurtosis, se_kurtosis."""
        return _frame(self._doc["variables"], ["name", "n", "missing", "mean", "sd"])

    def _matrix(self, key: str) -> pd.DataFrame:
        c = self._doc["correlations"]
        names = c["names"]
        k = len(names)
        values = c[key]
        return pd.DataFrame([values[i * k:(i + 1) * k] for i in range(k)], index=names, columns=names)

    @cached_property
    def correlations(self) -> pd.DataFrame:
        """The correlation matrix (variables by variables)."""
        return self._matrix("r")

    @cached_property
    def p_values(self) -> pd.DataFrame:
        """The correlations' p-values."""
        return self._matrix("p")

    @cached_property
    def n(self) -> pd.DataFrame:
        """Rows behind each correlation."""
        return self._matrix("n")

    def apa(self, format: str = "markdown") -> str:
        """The APA-7 table of means, SDs and correlations: ``markdown``, ``latex``, ``html`` or ``csv``."""
        return self._run.apa(format)


class Measurement(Result):
    """The result of :func:`cipa.measure`: the measurement table of a survey."""

    __slots__ = ()

    def _table(self, *keys: str) -> pd.DataFrame:
        v: Any = self._doc
        for k in keys:
            v = (v or {}).get(k)
        return _frame(v or [])

    @cached_property
    def items(self) -> pd.DataFrame:
        """Item statistics: construct, item, reversed, mean, sd, item_total, alpha_if_deleted."""
        return self._table("items")

    @cached_property
    def reliability(self) -> pd.DataFrame:
        """Per construct: alpha (with intervals), omega, CR, AVE, sqrt(AVE)."""
        return self._table("reliability")

    @cached_property
    def loadings(self) -> pd.DataFrame:
        """CFA loadings: construct, item, estimate, se, z, p, std, std_se."""
        return self._table("cfa", "loadings")

    @cached_property
    def fit_measures(self) -> pd.Series:
        """The CFA's fit measures (chi-square, CFI, TLI, RMSEA with its interval, SRMR)."""
        return pd.Series((self._doc.get("cfa") or {}).get("fit") or {}, dtype=object)

    @cached_property
    def factor_correlations(self) -> pd.DataFrame:
        """The CFA's factor correlations: a, b, covariance, se, correlation, correlation_se."""
        return self._table("cfa", "factor_correlations")

    @cached_property
    def htmt(self) -> pd.DataFrame:
        """HTMT and HTMT2 per pair of constructs, with bootstrap intervals."""
        return self._table("htmt")

    @cached_property
    def fornell_larcker(self) -> pd.DataFrame:
        """The Fornell-Larcker criterion per pair of constructs."""
        return self._table("fornell_larcker")


class Sem(Result):
    """The result of :func:`cipa.sem`: a fitted latent-variable model."""

    __slots__ = ()

    @cached_property
    def parameters(self) -> pd.DataFrame:
        """lavaan's parameterEstimates: lhs, op, rhs, label, est, se, z, p, ci_lower, ci_upper,
        std_lv, std_all (one row per parameter, defined ones with op ``:=``)."""
        cols = ["lhs", "op", "rhs", "label", "est", "se", "z", "p", "ci_lower", "ci_upper",
                "std_lv", "std_all"]
        rows = self._doc.get("parameters") or []
        if rows and "group" in rows[0]:
            # A multi-group fit (group=): lavaan's group column first.
            cols = ["group"] + cols
        return _frame(rows, cols)

    @cached_property
    def fit(self) -> dict:
        """lavaan's fitMeasures, dots as underscores (``chisq``, ``cfi``, ``rmsea``, ...)."""
        return dict(self._doc.get("fit") or {})

    @cached_property
    def r2(self) -> dict:
        """R² of every indicator and regression outcome, ``{name: value}``."""
        return dict(self._doc.get("r2") or {})

    @property
    def n(self) -> int:
        """Rows used (listwise)."""
        return self._doc["n"]

    def apa(self, format: str = "markdown") -> str:
        """The APA-7 tables (measurement model with omega and AVE, structural paths, defined
        effects, each with the fit line): ``markdown``, ``latex``, ``html`` or ``csv``."""
        return self._run.apa(format)


class Power(Result):
    """The result of :func:`cipa.power`: a Monte Carlo power study."""

    __slots__ = ()

    @cached_property
    def power(self) -> pd.DataFrame:
        """Per effect and sample size: effect, n, reps, failed, power, power_se, mean_estimate,
        sd_estimate, truth, bias, coverage, coverage_se, mean_ci_width."""
        return _frame(self._doc["rows"], ["effect", "n", "power", "power_se"])

    def plot(self, *, greyscale: bool | None = None) -> SVG:
        """The power curve: power by sample size per effect, with Monte Carlo error bars."""
        return figures(self._run.figures("curve", None, greyscale, None), "power curve")
