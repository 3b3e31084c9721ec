"""cipa: Conditional and Indirect Path Analysis from Python, with pandas in and out.

PROCESS's models (mediation, moderation, moderated mediation), regression with robust standard
errors, descriptives, survey measurement (reliability, CFA, validity) and Monte Carlo power,
computed by cipa's Rust engine through the same code as the ``cipa`` command line: the same data
and seed give the same numbers, bit for bit, as ``cipa fit ... --format json``.

>>> import cipa
>>> df = cipa.read("example:sme")                      # the shipped teaching data
>>> res = cipa.fit(df, model=4, x="network_ties", m=["collab"], y="export_intensity",
...                boot=1000, seed=1)
>>> res.indirect[["path", "effect", "ci_lower", "ci_upper"]]   # doctest: +SKIP
>>> print(res.summary())                               # the text report   # doctest: +SKIP
>>> res.diagram()                                      # shows inline in Jupyter  # doctest: +SKIP

Every option of a command is a keyword argument named as its flag (``--cov-m`` is ``cov_m``);
lists are Python lists; switches are ``True``. Errors raise :class:`CipaError` (``DataError``,
``ModelError``, ``UsageError``, ``OutputError``); long bootstraps stop on Ctrl-C.
"""

from __future__ import annotations

import os
import re
from typing import Any, Mapping, Sequence, Union

import pandas as pd

from . import _cipa, _frame
from ._cipa import (
    CipaError,
    DataError,
    InternalError,
    ModelError,
    OutputError,
    UsageError,
    __version__,
)
from ._figures import SVG, Figures
from ._results import Description, Fit, Measurement, Power, Regression, Result, Sem

__all__ = [
    "read",
    "fit",
    "regress",
    "describe",
    "measure",
    "simulate",
    "power",
    "sem",
    "flags",
    "CipaError",
    "DataError",
    "ModelError",
    "UsageError",
    "OutputError",
    "InternalError",
    "Result",
    "Fit",
    "Regression",
    "Description",
    "Measurement",
    "Power",
    "Sem",
    "SVG",
    "Figures",
    "__version__",
]

#: Anything cipa reads data from: a DataFrame, an object with ``__arrow_c_stream__`` (polars,
#: pyarrow), a dict of columns, or a path (CSV/TSV, SPSS, Stata, Excel; ``example:sme``).
Data = Union[pd.DataFrame, Mapping, str, os.PathLike, Any]
Names = Union[str, Sequence[str]]


def _data_kwargs(missing, categorical, numeric, delimiter, sheet, constructs, construct, scale,
                 score, size_class, decimal=None) -> dict:
    kw: dict = {"missing": missing, "categorical": categorical, "numeric": numeric,
                "decimal": decimal,
                "delimiter": delimiter, "sheet": sheet, "score": score, "size_class": size_class,
                "construct": list(construct) if construct is not None else None}
    if isinstance(scale, (tuple, list)):
        scale = ",".join(repr(float(v)) if not float(v).is_integer() else str(int(v)) for v in scale)
    kw["scale"] = scale
    if isinstance(constructs, Mapping):
        defs = [f"{name}={items if isinstance(items, str) else ','.join(items)}"
                for name, items in constructs.items()]
        kw["construct"] = (kw["construct"] or []) + defs
    elif constructs is not None:
        kw["constructs"] = os.fspath(constructs)
    return kw


def _labels(labels: Any) -> Any:
    if isinstance(labels, Mapping):
        return ",".join(f"{k}={v}" for k, v in labels.items())
    return labels


def _run(command: str, data: Any, kwargs: dict, **extra: Any):
    return _cipa.run(command, {k: v for k, v in kwargs.items() if v is not None},
                     **_frame.source(data), **extra)


def read(
    data: Data,
    *,
    missing: Sequence | None = None,
    categorical: Names | None = None,
    numeric: Names | None = None,
    delimiter: str | None = None,
    sheet: str | None = None,
    constructs: Mapping | str | os.PathLike | None = None,
    construct: Sequence[str] | None = None,
    scale: Sequence[float] | str | None = None,
    score: str | None = None,
    size_class: Names | None = None,
    decimal: str | None = None,
    convert_categoricals: bool = True,
) -> pd.DataFrame:
    """Reads data as cipa reads them and returns a pandas DataFrame.

    ``data``: a file (CSV/TSV, SPSS .sav/.zsav, Stata .dta, Excel .xlsx; ``example:sme`` for the
    shipped teaching data) or a DataFrame/Arrow object, which comes back with its column types
    (missing codes applied). ``missing``: extra missing-value codes (``[-99]``); empty cells, NA,
    ``.`` and NaN are always missing. ``categorical``/``numeric``: columns to treat as such.
    ``constructs``: ``{"ties": ["ties_1", "ties_2", "-ties_3"]}`` (or a file) adds each
    construct's score as a column (``scale=(1, 7)`` for reverse-coded items; ``score="mean"`` or
    ``"sum"``). ``size_class``: ``"employees"`` or ``"employees:sba"`` adds a size-class column.
    ``decimal``: the decimal mark of a text file (``","`` for European spreadsheets; detected by
    default).

    SPSS/Stata value labels make a column a Categorical of its labels when every value has one
    (``convert_categoricals=False`` keeps the codes); labels are kept in
    ``df.attrs["value_labels"]`` and ``df.attrs["variable_labels"]``, and such a Categorical goes
    back into cipa as its codes. A numeric column with a non-number in it warns and reads the
    bad cells as missing.
    """
    kw = _data_kwargs(missing, categorical, numeric, delimiter, sheet, constructs, construct,
                      scale, score, size_class, decimal)
    src = _frame.source(data)
    cols = _cipa.read({k: v for k, v in kw.items() if v is not None}, **src)
    df = _frame.from_columns(cols, convert_categoricals)
    if isinstance(data, pd.DataFrame):
        forced = {categorical} if isinstance(categorical, str) else set(categorical or [])
        forced |= {numeric} if isinstance(numeric, str) else set(numeric or [])
        df = _frame.restore_types(df, data, forced)
    return df


def fit(
    data: Data,
    *,
    model: int | None = None,
    spec: str | os.PathLike | None = None,
    x: str | None = None,
    y: str | None = None,
    m: Names | None = None,
    w: str | None = None,
    z: str | None = None,
    cov: Names | None = None,
    cov_m: Names | None = None,
    cov_y: Names | None = None,
    boot: int | None = None,
    seed: int | None = None,
    ci: str | None = None,
    preset: str | None = None,
    hc: str | None = None,
    conf: float | None = None,
    probe: str | None = None,
    wvals: Sequence[float] | None = None,
    zvals: Sequence[float] | None = None,
    xvals: Sequence[float] | None = None,
    coding: str | None = None,
    contrast: bool = False,
    total: bool = False,
    normal: bool = False,
    center: str | None = None,
    effsize: bool = False,
    jn: bool = False,
    logistic: bool = False,
    linear_y: bool = False,
    intprobe: float | None = None,
    mc: int | None = None,
    save_boot: bool = False,
    labels: Mapping | str | None = None,
    greyscale: bool = False,
    diagram_coef: str | None = None,
    threads: int | None = None,
    decimals: int | None = None,
    apa_decimals: int | None = None,
    stars: bool = False,
    cluster: str | None = None,
    modelbt: bool = False,
    xmint: bool = False,
    xrefval: Sequence[float] | None = None,
    cdeval: float | None = None,
    event: str | None = None,
    no_captions: bool = False,
    missing: Sequence | None = None,
    categorical: Names | None = None,
    numeric: Names | None = None,
    delimiter: str | None = None,
    sheet: str | None = None,
    constructs: Mapping | str | os.PathLike | None = None,
    construct: Sequence[str] | None = None,
    scale: Sequence[float] | str | None = None,
    score: str | None = None,
    size_class: Names | None = None,
    decimal: str | None = None,
) -> Fit:
    """A conditional process analysis, as ``cipa fit``: a PROCESS model number with roles, or a
    model in cipa's path syntax.

    ``model``: PROCESS v4 model number (1-22, 28, 29, 58-76, 80-92) with ``x``, ``y``, ``m``
    (mediators in causal order), ``w``, ``z`` and covariates ``cov`` (``cov_m``/``cov_y`` for the
    mediator or outcome equations only). ``spec``: instead of ``model``, a model file,
    ``framework:NAME``, or the model text itself (``"collab ~ ties\\nexport ~ collab + ties"``).

    Inference: ``boot`` resamples (default 5000; 0 for none; at least 50), ``seed`` (chosen at
    random and recorded when left out), ``ci`` (``percentile``, ``bc``, ``bca``), ``mc`` (Monte
    Carlo intervals from that many draws instead), ``hc`` (``hc0``-``hc4``), ``conf`` (percent),
    ``preset`` (``process4`` or ``pyprocessmacro``). Probing: ``probe`` (``percentiles`` or
    ``meansd``), ``wvals``/``zvals`` (values), ``xvals`` (values of X for a model where X enters
    as a power, ``m ~ x + x^2``: the instantaneous indirect effect at them; default mean ± SD),
    ``jn`` (Johnson-Neyman), ``intprobe``,
    ``center`` (``all`` or ``continuous``). Extras: ``contrast``, ``total``, ``normal`` (Sobel),
    ``effsize``, ``logistic``/``linear_y`` for a binary Y, ``coding`` of a categorical X/W/Z,
    ``save_boot`` (keep every draw: :attr:`Fit.draws`), ``threads`` (results do not depend on
    it). Figures: ``labels`` (``{"x": "Label"}``), ``greyscale``, ``diagram_coef`` (``stars`` or
    ``ci``), ``no_captions``. Reports: ``decimals``, ``apa_decimals``, ``stars``. Clustered data:
    ``cluster`` (CR1 standard errors, a bootstrap of whole clusters); ``modelbt`` (bootstrap
    results of every coefficient); PROCESS's counterfactual effects: ``xmint`` with ``xrefval``
    (``[ref, cf]``) and ``cdeval``; ``event``: the value of a two-valued Y coded 1. Data options
    as :func:`read`.

    Returns an immutable :class:`Fit`: ``.summary()``, ``.effects``, ``.indirect``, ``.direct``,
    ``.index``, ``.conditional``, ``.jn``, ``.coefficients``, ``.to_dict()``, ``.save(dir)``,
    ``.diagram()``, ``.plot_interaction()``, ``.plot_jn()``, ``.plot_indirect()``. The GIL is
    released while it runs; Ctrl-C stops a long bootstrap.
    """
    kw = dict(model=model, x=x, y=y, m=m, w=w, z=z, cov=cov, cov_m=cov_m, cov_y=cov_y, boot=boot,
              seed=seed, ci=ci, preset=preset, hc=hc, conf=conf, probe=probe, wvals=wvals,
              zvals=zvals, coding=coding, contrast=contrast, total=total, normal=normal,
              center=center, effsize=effsize, jn=jn, logistic=logistic, linear_y=linear_y,
              intprobe=intprobe, mc=mc, save_boot=save_boot or None, labels=_labels(labels),
              greyscale=greyscale, diagram_coef=diagram_coef, threads=threads, decimals=decimals,
              apa_decimals=apa_decimals, stars=stars, cluster=cluster, modelbt=modelbt,
              xmint=xmint, xrefval=xrefval, cdeval=cdeval, event=event, no_captions=no_captions,
              xvals=xvals)
    kw.update(_data_kwargs(missing, categorical, numeric, delimiter, sheet, constructs, construct,
                           scale, score, size_class, decimal))
    syntax = None
    if spec is not None:
        text = os.fspath(spec)
        # Model text has a line break or an equation (`y ~ x`); anything else names a file
        # (`~/models/m.cipa` too) or a shipped model (`framework:NAME`).
        if "\n" in text or (re.search(r"\w\s*~", text) and not _cipa.is_file(text)):
            syntax = ("<spec>", text)
        else:
            kw["spec"] = os.path.expanduser(text)
    return Fit(_run("fit", data, kw, syntax=syntax))


def regress(
    data: Data,
    *,
    y: str,
    x: Names,
    hc: str | None = None,
    cluster: str | None = None,
    logistic: bool = False,
    vif: bool = False,
    conf: float | None = None,
    coding: str | None = None,
    ref: Mapping | Sequence[str] | None = None,
    log: Names | None = None,
    center: Names | None = None,
    standardize: Names | None = None,
    test: Sequence | None = None,
    u_range: Sequence[float] | None = None,
    event: str | None = None,
    decimals: int | None = None,
    apa_decimals: int | None = None,
    stars: bool = False,
    missing: Sequence | None = None,
    categorical: Names | None = None,
    numeric: Names | None = None,
    delimiter: str | None = None,
    sheet: str | None = None,
    constructs: Mapping | str | os.PathLike | None = None,
    construct: Sequence[str] | None = None,
    scale: Sequence[float] | str | None = None,
    score: str | None = None,
    size_class: Names | None = None,
    decimal: str | None = None,
    boot: int | None = None,
    seed: int | None = None,
) -> Regression:
    """Linear (OLS) or logistic regression, as ``cipa regress``.

    ``y``: the outcome; ``x``: predictors (a product term is ``"a:b"``). ``hc``: ``hc0``-``hc4``
    (as sandwich::vcovHC); ``cluster``: cluster-robust (CR1) by a variable; ``logistic`` for a
    binary outcome; ``vif``: variance inflation factors; ``coding`` of categorical predictors
    (``indicator``, ``sequential``, ``helmert``, ``effect``) and ``ref={"var": "level"}``;
    ``log``/``center``/``standardize`` variables before fitting; ``test``: R² change tests, each
    a list of terms (``[["a:b"]]``; ``["none"]`` turns the default off). ``u_range``: the range
    ``(lo, hi)`` of Lind and Mehlum's U test of a quadratic (``x=["size", "size^2"]``);
    ``event``: the value of a two-valued outcome coded 1. ``boot`` (with ``seed``): a percentile
    bootstrap interval of each quadratic's turning point (a logistic one on the log-odds scale).

    Returns an immutable :class:`Regression`: ``.coefficients``, ``.models``, ``.r2_change``,
    ``.vif``, ``.summary()``, ``.apa()``, ``.to_dict()``, ``.save(dir)``.
    """
    if isinstance(ref, Mapping):
        ref = [f"{k}={v}" for k, v in ref.items()]
    if u_range is not None and not isinstance(u_range, str):
        u_range = ",".join(repr(float(v)) for v in u_range)
    kw = dict(y=y, x=x, hc=hc, cluster=cluster, logistic=logistic, vif=vif, conf=conf,
              coding=coding, ref=ref, log=log, center=center, standardize=standardize,
              test=test, u_range=u_range, event=event, decimals=decimals,
              apa_decimals=apa_decimals, stars=stars, boot=boot, seed=seed)
    kw.update(_data_kwargs(missing, categorical, numeric, delimiter, sheet, constructs, construct,
                           scale, score, size_class, decimal))
    return Regression(_run("regress", data, kw))


def describe(
    data: Data,
    *,
    vars: Names | None = None,
    pairwise: bool = False,
    decimals: int | None = None,
    apa_decimals: int | None = None,
    stars: bool = False,
    missing: Sequence | None = None,
    categorical: Names | None = None,
    numeric: Names | None = None,
    delimiter: str | None = None,
    sheet: str | None = None,
    constructs: Mapping | str | os.PathLike | None = None,
    construct: Sequence[str] | None = None,
    scale: Sequence[float] | str | None = None,
    score: str | None = None,
    size_class: Names | None = None,
    decimal: str | None = None,
) -> Description:
    """Descriptive statistics and the correlation matrix, as ``cipa describe``.

    ``vars``: the variables (default: every numeric column); ``pairwise``: correlations on
    pairwise-complete rows instead of listwise deletion.

    Returns an immutable :class:`Description`: ``.variables``, ``.correlations``, ``.p_values``,
    ``.n``, ``.summary()``, ``.apa()``, ``.to_dict()``, ``.save(dir)``.
    """
    kw = dict(vars=vars, pairwise=pairwise, decimals=decimals, apa_decimals=apa_decimals,
              stars=stars)
    kw.update(_data_kwargs(missing, categorical, numeric, delimiter, sheet, constructs, construct,
                           scale, score, size_class, decimal))
    return Description(_run("describe", data, kw))


def measure(
    data: Data,
    *,
    constructs: Mapping | str | os.PathLike | None = None,
    construct: Sequence[str] | None = None,
    scale: Sequence[float] | str | None = None,
    score: str | None = None,
    cr: str | None = None,
    marker: str | None = None,
    vif_outcome: str | None = None,
    boot: int | None = None,
    seed: int | None = None,
    conf: float | None = None,
    diag_ave: bool = False,
    threads: int | None = None,
    decimals: int | None = None,
    missing: Sequence | None = None,
    categorical: Names | None = None,
    numeric: Names | None = None,
    delimiter: str | None = None,
    sheet: str | None = None,
    size_class: Names | None = None,
    decimal: str | None = None,
) -> Measurement:
    """The measurement table of a survey, as ``cipa measure``: item statistics, alpha, omega, a
    CFA with lavaan's fit measures, CR, AVE, HTMT, Fornell-Larcker, VIFs, common-method checks.

    ``constructs``: ``{"ties": ["ties_1", "ties_2", "ties_3"], ...}`` (``-item`` reverse-codes on
    ``scale=(1, 7)``) or a constructs file. ``cr``: ``fornell-larcker`` or ``comprelsem``;
    ``marker``: a marker item for the Lindell-Whitney correction; ``vif_outcome``: a construct
    whose predictors' VIFs to report; ``boot``/``seed``: HTMT bootstrap (default 1000, seed 1);
    ``diag_ave``: sqrt(AVE) on the correlation table's diagonal.

    Returns an immutable :class:`Measurement`: ``.items``, ``.reliability``, ``.loadings``,
    ``.fit_measures``, ``.factor_correlations``, ``.htmt``, ``.fornell_larcker``,
    ``.summary()``, ``.to_dict()``, ``.save(dir)``.
    """
    kw = dict(cr=cr, marker=marker, vif_outcome=vif_outcome, boot=boot, seed=seed, conf=conf,
              diag_ave=diag_ave, threads=threads, decimals=decimals)
    kw.update(_data_kwargs(missing, categorical, numeric, delimiter, sheet, constructs, construct,
                           scale, score, size_class, decimal))
    return Measurement(_run("measure", data, kw))


def simulate(
    *,
    design: str | os.PathLike | None = None,
    n: int | None = None,
    seed: int | None = None,
    exact: bool = False,
    population_n: int | None = None,
) -> pd.DataFrame:
    """Simulated survey data, as ``cipa simulate`` writes them (read back as ``cipa.read`` reads
    that CSV), from a design file (TOML; default: the collaborative-internationalization
    framework). ``n`` rows (default 400); ``seed`` (chosen at random and printed when left out);
    ``exact``: constructs as exact latent scores instead of Likert items. The true parameters
    are in ``df.attrs["truth"]`` (the document of NAME.truth.json; ``population_n`` rows estimate
    its ``observed_ols``, 0 leaves that out).
    """
    import json

    kw = dict(design=os.fspath(design) if design is not None else None, n=n, seed=seed,
              exact=exact, population_n=population_n)
    cols, truth = _cipa.simulate({k: v for k, v in kw.items() if v is not None})
    df = _frame.from_columns(cols)
    df.attrs["truth"] = json.loads(truth)
    return df


def power(
    *,
    design: str | os.PathLike | None = None,
    exact: bool = False,
    model: int | None = None,
    spec: str | os.PathLike | None = None,
    x: str | None = None,
    y: str | None = None,
    m: Names | None = None,
    w: str | None = None,
    z: str | None = None,
    cov: Names | None = None,
    effects: Names | None = None,
    n: Sequence[int] | int | None = None,
    reps: int | None = None,
    boot: int | None = None,
    seed: int | None = None,
    ci: str | None = None,
    conf: float | None = None,
    threads: int | None = None,
    decimals: int | None = None,
) -> Power:
    """Monte Carlo power, as ``cipa power``: simulate a design at each sample size ``n``
    (default 100, 200, 400, 800), fit the model to every replication (``reps``, default 1000)
    with a bootstrap of ``boot`` resamples (default 1000), and count how often the interval of
    each effect excludes zero. ``effects``: ``indirect``, ``imm``, ``coef:TERM``,
    ``defined:NAME``. The model is a PROCESS number with roles or a model file (``spec``); with
    the framework's design, its mediation model by default.

    Returns an immutable :class:`Power`: ``.power`` (power, bias and coverage per effect and n),
    ``.plot()``, ``.summary()``, ``.to_dict()``, ``.save(dir)`` (needs ``design`` as a file).
    Ctrl-C stops it.
    """
    kw = dict(design=os.fspath(design) if design is not None else None, exact=exact, model=model,
              spec=os.fspath(spec) if spec is not None else None, x=x, y=y, m=m, w=w, z=z,
              cov=cov, effects=effects, n=n, reps=reps, boot=boot, seed=seed, ci=ci, conf=conf,
              threads=threads, decimals=decimals)
    return Power(_cipa.run("power", {k: v for k, v in kw.items() if v is not None}))


def sem(
    data: Data,
    *,
    model: str | os.PathLike | None = None,
    syntax: str | None = None,
    estimator: str | None = None,
    std_lv: bool = False,
    meanstructure: bool = False,
    fixed_x: bool = False,
    no_fixed_x: bool = False,
    information: str | None = None,
    conf: float | None = None,
    decimals: int | None = None,
    missing: Sequence | None = None,
    categorical: Names | None = None,
    numeric: Names | None = None,
    delimiter: str | None = None,
    sheet: str | None = None,
    constructs: Mapping | str | os.PathLike | None = None,
    construct: Sequence[str] | None = None,
    scale: Sequence[float] | str | None = None,
    score: str | None = None,
    size_class: Names | None = None,
    decimal: str | None = None,
    mi: float | bool | None = None,
    residuals: bool = False,
    diagram: str | os.PathLike | None = None,
    boot: int | None = None,
    seed: int | None = None,
    ci: str | None = None,
    mc: int | None = None,
    bollen_stine: bool = False,
    threads: int | None = None,
    probe: str | None = None,
    wvals: Sequence[float] | None = None,
    diagram_values: str | None = None,
    diagram_coef: str | None = None,
    diagram_residuals: bool = False,
    cluster: str | None = None,
    wald: str | None = None,
    compare: str | os.PathLike | None = None,
    interaction: str | None = None,
    dmc_pairs: str | None = None,
    group: str | None = None,
    group_equal: Sequence[str] | str | None = None,
    group_partial: Sequence[str] | str | None = None,
    invariance: bool = False,
) -> Sem:
    """A latent-variable structural equation model (CFA, SEM) by maximum likelihood, as
    ``cipa sem``, with lavaan 0.6's defaults and numbers.

    ``model``: the model in lavaan's syntax: the text itself (``"visual =~ x1 + x2 + x3"``), a
    file, or ``framework:NAME``; ``syntax``: the text (instead of ``model``). ``estimator``:
    ``ml`` (default) or ``mlr`` (Huber-White SEs, Yuan-Bentler scaled test, robust CFI/TLI/RMSEA).
    ``std_lv``: latent variances fixed to 1 instead of first loadings; ``meanstructure``: model
    the means; ``no_fixed_x``: exogenous covariates' moments as free parameters (``fixed_x``, the
    default, keeps them at their sample values); ``information``: ``expected`` or ``observed``
    (lavaan's default: expected for ML, observed for MLR); ``conf``: interval level in percent.
    ``missing``: ``["listwise"]`` (default) or ``["fiml"]``, besides missing-value codes
    (``[-99]``). Data options as :func:`read`. ``mi``: list lavaan's modification indices (MI,
    EPC, sEPC) above this threshold, largest first (``True``: 3.84; ``0``: all); ``residuals``:
    add lavaan's residuals (correlation residuals in the report; every type in ``to_dict()``).
    Omega and AVE per latent (semTools) and the fit's warnings (Heywood cases) are always there.
    ``diagram``: also write the path diagram to this file (.svg, .png, .pdf, .dot or .tex).
    ``boot``: bootstrap resamples (SEs and
    ``ci`` = ``percentile``/``bc``/``bca`` intervals of every free and defined parameter and the
    standardized defined ones); ``mc``: Monte Carlo draws for the defined parameters;
    ``bollen_stine``: the Bollen-Stine p value from ``boot`` draws; ``seed``, ``threads``
    (results do not depend on it). These are under ``.to_dict()["resampling"]``.
    A ``:=`` that names an observed variable W (``ind := a*b1 + a*b3*W``) is reported at W's
    values: ``probe`` ``percentiles`` (16th/50th/84th, default) or ``meansd``, or ``wvals``
    (values); with ``W``'s slope (the index of moderated mediation) when it is linear in W.
    ``diagram_values`` (``raw`` or ``std``), ``diagram_coef`` (``stars`` or ``ci``) and
    ``diagram_residuals`` (draw the variances) set what the path diagram shows.
    ``cluster``: a column of cluster ids (firms within countries): cluster-robust SEs and test
    as lavaan's ``cluster =`` (needs ``estimator="mlr"``; ``to_dict()["cluster"]``). ``wald``:
    constraints on the model's labels (``"a1 == a2; b == 0"``), tested as lavaan's
    ``lavTestWald`` (``to_dict()["wald"]``). ``compare``: a nested model's file, fitted with the
    same options and compared by lavaan's ``lavTestLRT`` (``to_dict()["lrt"]``; the
    Satorra-Bentler 2001 scaled difference under MLR).
    A product term with a latent factor (``speed ~ visual + textual + visual:textual``) is a
    latent interaction: ``interaction`` ``dmc`` (default: double-mean-centred product
    indicators) or ``lms``; ``dmc_pairs`` ``all`` (default: every pair, with residual
    covariances between products sharing an item, as modsem) or ``matched`` (semTools'
    ``indProd(match = TRUE)``). The report then names the product indicators and gives the
    simple slopes of the outcome on the first factor at values of the second (a latent's mean
    and ± 1 SD; an observed moderator's ``probe``/``wvals`` values) with the Johnson-Neyman
    region, under ``.to_dict()["interactions"]`` and ``["latent_slopes"]``.
    ``group``: multi-group SEM in every group of this column (lavaan's ``group=``; levels in
    order of first appearance; ``c(a1, a2)*x`` modifiers give one value per group);
    ``group_equal``: lavaan's ``group.equal`` (``["loadings", "intercepts"]``; also ``means``,
    ``residuals``, ``residual.covariances``, ``lv.variances``, ``lv.covariances``,
    ``regressions``); ``group_partial``: rows exempt from it (``["x3 ~ 1"]``); ``invariance``:
    the configural, metric, scalar and strict models with chi-square difference tests (Satorra-
    Bentler 2001 under MLR) and ΔCFI/ΔRMSEA, under ``.to_dict()["invariance"]``. Grouped
    parameters carry a ``group`` column (1, 2, ...; 0 for ``:=``).

    Returns an immutable :class:`Sem`: ``.parameters`` (lavaan's parameterEstimates),
    ``.fit`` (fitMeasures), ``.r2``, ``.summary()``, ``.to_dict()``, ``.save(dir)``.
    """
    kw = dict(estimator=estimator, std_lv=std_lv, meanstructure=meanstructure, fixed_x=fixed_x,
              no_fixed_x=no_fixed_x, information=information, conf=conf, decimals=decimals,
              syntax=syntax, mi=mi,
              residuals=residuals,
              diagram=os.path.expanduser(os.fspath(diagram)) if diagram is not None else None,
              boot=boot, seed=seed, ci=ci, mc=mc, bollen_stine=bollen_stine, threads=threads,
              probe=probe, wvals=wvals, diagram_values=diagram_values, diagram_coef=diagram_coef,
              diagram_residuals=diagram_residuals, cluster=cluster, wald=wald,
              compare=os.path.expanduser(os.fspath(compare)) if compare is not None else None,
              interaction=interaction, dmc_pairs=dmc_pairs, group=group,
              group_equal=[group_equal] if isinstance(group_equal, str) else group_equal,
              group_partial=[group_partial] if isinstance(group_partial, str) else group_partial,
              invariance=invariance)
    kw.update(_data_kwargs(missing, categorical, numeric, delimiter, sheet, constructs, construct,
                           scale, score, size_class, decimal))
    if isinstance(missing, str):
        kw["missing"] = [missing]
    if model is not None:
        text = os.fspath(model)
        # Model text has a line break or an operator (`f =~ x1`); anything else names a file or
        # a shipped model (`framework:NAME`).
        if "\n" in text or (re.search(r"[=~]", text) and not _cipa.is_file(text)):
            if syntax is not None:
                raise UsageError("give the model once: model= or syntax=")
            kw["syntax"] = text
        else:
            kw["model"] = os.path.expanduser(text)
    return Sem(_run("sem", data, kw))


def flags(command: str) -> list:
    """The command line's flags of a command as ``(keyword, kind, help)``: what each keyword
    argument of the function of the same name means."""
    return _cipa.flags(command)
