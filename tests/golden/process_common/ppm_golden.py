"""Shared code of the pyprocessmacro golden cases (tests/golden/process_ppm_*/make.py).

Each case's make.py holds the case header (dataset, model, roles, options) and calls `run_case`, which
fits the model with pyprocessmacro 2.2.0 and writes, into the case folder:

  case.json           the call, the roles, every option, the exact probe values, versions
  coefficients.csv    one row per (equation, term): OLS estimate, se, t, p, 95% CI (pyprocessmacro, standard SEs)
  coefficients_hc3.csv  the same with pyprocessmacro's HC3 covariance (cov_type="HC3")
  model_summary.csv   one row per equation: n, R2, adjusted R2, MSE, F, df1, df2, p
  effects.csv         direct / indirect / conditional / index / contrast / total effects (see PROCESS_CASES.md)
  boot_rows_check.csv the first rows drawn by the first three bootstrap resamples (0-based row numbers)
  versions.txt        Python, pyprocessmacro, numpy, pandas, scipy versions

Run from the crate root with a Python that has pyprocessmacro==2.2.0 installed:
    python tests/golden/process_ppm_m7/make.py
Numbers are written with repr(float), the shortest string that reads back to the same double.
The only pyprocessmacro internals used are `ParallelMediationModel._views()`, `._indirect_effect_at()` and
`._moderators_symb/_moderators_values` (to get the bootstrap draws of each effect, from which the PROCESS
order-statistic percentile interval is computed); every other number is read from the public API
(tidy(), glance(), direct_model, outcome_models) and the two are cross-checked.
"""
import csv
import itertools
import json
import math
import os
import platform
import sys
import warnings

import numpy as np
import pandas as pd
import scipy
from scipy import stats

import pyprocessmacro
from pyprocessmacro import Process
from pyprocessmacro.utils import bias_corrected_ci, percentile_ci
from pyprocessmacro.categorical import code_symbols, mod_dict

CRATE_ROOT_MARKER = "Cargo.toml"


def fmt(v):
    """Full-precision text for a number; empty for None/NaN."""
    if v is None:
        return ""
    if isinstance(v, (int, np.integer)) and not isinstance(v, bool):
        return str(int(v))
    v = float(v)
    if math.isnan(v):
        return ""
    return repr(v)


def process_percentile_ci(draws, conf):
    """PROCESS v4 percentile interval: the sorted draws at 1-based positions
    round(B*(1-conf/100)/2) and trunc(B*conf/100 + B*(1-conf/100)/2) + 1 (process.R, see PROCESS_CASES.md).
    R's round() rounds half to even, as Python's round() does."""
    b = len(draws)
    lo = round(b * (1 - conf / 100) / 2)
    hi = math.trunc(b * (conf / 100) + b * (1 - conf / 100) / 2) + 1
    s = np.sort(np.asarray(draws, dtype=float))
    return s[lo - 1], s[hi - 1], lo, hi


def write_csv(path, header, rows):
    with open(path, "w", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(header)
        for r in rows:
            w.writerow([fmt(x) if not isinstance(x, str) else x for x in r])


class Namer:
    """Maps pyprocessmacro's term names to cipa's: Cons -> constant, a*b -> a:b, X1 -> x[level]."""

    def __init__(self, proc):
        self.map = {"Cons": "constant"}
        for symb, coding in proc.categorical.items():
            name = coding.name
            for j, label in enumerate(coding.labels):
                # indicator coding: code j+1 is 1 for the (j+2)-th sorted level, the first level is the reference
                self.map[label] = f"{name}[{level_text(coding.levels[j + 1])}]"

    def term(self, t):
        return ":".join(self.map.get(p, p) for p in t.split("*"))


def level_text(v):
    if isinstance(v, (float, np.floating)) and float(v).is_integer():
        return str(int(v))
    return str(v)


def mod_text(names, values):
    return ";".join(f"{n}={fmt(v)}" for n, v in zip(names, values))


def make_process(data, model, roles, options, **over):
    kw = dict(options)
    kw.update(over)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return Process(data=data, model=model, suppr_init=True, detail=False, **roles, **kw)


def run_case(case_dir, case, dataset, model, roles, options, probe_runs, description, extra_notes=()):
    """
    case_dir: folder of the case (the make.py's folder)
    dataset:  path relative to the crate root
    roles:    pyprocessmacro keyword arguments (x=, m=[...], y=, w= / v=)
    options:  pyprocessmacro options shared by every run (boot, seed, conf, cov_type, center, mcx, total, contrast)
    probe_runs: list of (probe label, spotlight rule) -- one fit per rule; each gives its own conditional rows
    """
    if not os.path.exists(CRATE_ROOT_MARKER):
        sys.exit("run from the crate root")
    data = pd.read_csv(dataset)
    conf = options["conf"]
    B = options["boot"]
    seed = options["seed"]
    rows_eff = []
    probes_json = {}
    calls = []

    base = None
    for probe_label, rule in probe_runs:
        p_pct = make_process(data, model, roles, options, percent=True, spotlight=rule)
        p_bc = make_process(data, model, roles, options, percent=False, spotlight=rule)
        calls.append(call_text(model, roles, options, percent=True, spotlight=rule))
        calls.append(call_text(model, roles, options, percent=False, spotlight=rule))
        if base is None:
            base = p_pct
        namer = Namer(p_pct)
        stv = p_pct._symb_to_var
        if p_pct._spotlight_values:
            probes_json[probe_label] = {
                "rule": rule,
                "rule_text": {
                    "percentiles": "16th, 50th, 84th percentiles: numpy.percentile(method='weibull') = sorted value at "
                                   "position p*(n+1), linearly interpolated (PROCESS v4's rule)",
                    "moments": "mean - sd, mean, mean + sd (sd with ddof=1; not clamped to the observed range)",
                }[rule],
                "values": {stv[s]: [float(v) for v in vals] for s, vals in p_pct._spotlight_values.items()},
            }
        first = probe_label == probe_runs[0][0]
        rows_eff += direct_rows(p_pct, namer, probe_label, first)
        if p_pct.has_mediation:
            rows_eff += indirect_rows(p_pct, p_bc, namer, probe_label, conf, B, seed, first)

    if base.has_mediation:
        total_rows = total_effect_rows(base, data, roles)
        rows_eff += total_rows

    # coefficients and model summaries (identical across runs: probes do not change the fit)
    coef_rows = coefficient_rows(base, Namer(base))
    write_csv(os.path.join(case_dir, "coefficients.csv"),
              ["equation", "term", "estimate", "se", "t", "p", "ci_lower", "ci_upper"], coef_rows)
    p_hc3 = make_process(data, model, roles, options, percent=True, spotlight=probe_runs[0][1], cov_type="HC3")
    write_csv(os.path.join(case_dir, "coefficients_hc3.csv"),
              ["equation", "term", "estimate", "se", "t", "p", "ci_lower", "ci_upper"],
              coefficient_rows(p_hc3, Namer(p_hc3)))
    write_csv(os.path.join(case_dir, "model_summary.csv"),
              ["equation", "n", "r2", "adj_r2", "mse", "f", "df1", "df2", "p"], summary_rows(base))
    write_csv(os.path.join(case_dir, "effects.csv"), EFFECT_COLUMNS, [[r.get(c, "") for c in EFFECT_COLUMNS] for r in rows_eff])

    tests = omnibus_rows(base)
    if tests:
        write_csv(os.path.join(case_dir, "tests.csv"),
                  ["test", "equation", "r2_change", "f", "df1", "df2", "p"], tests)

    # the first rows drawn by the bootstrap: numpy.random.RandomState(seed).randint(n, size=n) per resample
    rs = np.random.RandomState(seed)
    check = []
    for r in range(3):
        idx = rs.randint(base.n_obs, size=base.n_obs)
        for pos in range(20):
            check.append([r + 1, pos, int(idx[pos])])
    write_csv(os.path.join(case_dir, "boot_rows_check.csv"), ["resample", "position", "row"], check)

    roles_cipa = cipa_roles(base)
    meta = {
        "case": case,
        "description": description,
        "dataset": dataset,
        "n": int(base.n_obs),
        "tool": "pyprocessmacro",
        "tool_version": pyprocessmacro.__version__,
        "install": "pip install pyprocessmacro==2.2.0 (pulls numpy, pandas, scipy, matplotlib, seaborn)",
        "process_model": model,
        "roles": roles_cipa,
        "pyprocessmacro_roles": {k: v for k, v in roles.items()},
        "options": {
            "boot": B,
            "seed": seed,
            "conf": conf,
            "cov_type": options.get("cov_type", "standard"),
            "hc3_file": "coefficients_hc3.csv uses cov_type='HC3' (coefficients only; pyprocessmacro keeps the classical F)",
            "center": options.get("center", False),
            "mcx": options.get("mcx"),
            "total": options.get("total", False),
            "contrast": options.get("contrast", False),
            "ci_kinds": {
                "analytic": "direct / conditional direct / total effects: OLS covariance, t(df_resid) critical value (scipy t.ppf)",
                "percentile": "pyprocessmacro percent=True: numpy.percentile(draws, [2.5, 97.5]) with linear interpolation",
                "bias_corrected": "pyprocessmacro percent=False (its default): see PROCESS_CASES.md",
                "percentile_process": "computed by make.py from pyprocessmacro's draws with PROCESS v4's order-statistic rule (sorted draws at 1-based positions round(B*0.025) and trunc(B*0.975)+1 for B draws)",
            },
            "boot_se": "standard deviation of the B draws with ddof=1",
            "bootstrap_resampling": "numpy.random.RandomState(seed); per resample randint(n, size=n) (MT19937 init_genrand(seed), 32-bit outputs masked to the next power of two minus 1, rejected when >= n); every equation is refitted on the same rows; see boot_rows_check.csv",
            "probes": probes_json,
        },
        "calls": calls,
        "columns": {
            "effects.csv": "stat is t (OLS rows, df = df2 of the Y equation); se is empty for bootstrap rows and boot_se for analytic rows",
            "moderators": "name=value with the exact probe value (repr); for an index of moderated mediation the moderator name alone",
        },
        "notes": list(extra_notes),
        "files": sorted(f for f in os.listdir(case_dir) if not f.startswith(".")),
    }
    meta["files"] = sorted(set(meta["files"]) | {"case.json", "versions.txt"})
    with open(os.path.join(case_dir, "case.json"), "w") as f:
        json.dump(meta, f, indent=2)
        f.write("\n")
    with open(os.path.join(case_dir, "versions.txt"), "w") as f:
        f.write(f"Python {platform.python_version()}\n")
        f.write(f"pyprocessmacro {pyprocessmacro.__version__}\n")
        f.write(f"numpy {np.__version__}\n")
        f.write(f"pandas {pd.__version__}\n")
        f.write(f"scipy {scipy.__version__}\n")
    print(f"{case}: {len(coef_rows)} coefficients, {len(rows_eff)} effect rows")


EFFECT_COLUMNS = ["kind", "path", "moderators", "probe", "effect", "se", "boot_se", "stat", "p",
                  "ci_lower", "ci_upper", "ci_kind", "B", "seed", "source"]


def call_text(model, roles, options, **over):
    kw = dict(options)
    kw.update(over)
    parts = [f"model={model}"] + [f"{k}={v!r}" for k, v in roles.items()] + [f"{k}={v!r}" for k, v in kw.items()]
    return "Process(data, " + ", ".join(parts) + ")"


def cipa_roles(proc):
    stv = proc._symb_to_var
    roles = {"x": stv["x"], "m": list(proc.mediators), "y": stv["y"], "w": None, "z": None, "cov": list(proc.controls)}
    if "x" in proc.categorical:
        c = proc.categorical["x"]
        roles["x_categorical"] = {"coding": c.scheme, "reference": float(c.levels[0]) if not isinstance(c.levels[0], str) else c.levels[0],
                                  "levels": [float(v) if not isinstance(v, str) else v for v in c.levels]}
    # Model 74: X moderates its own indirect effect; that is not a W role.
    mods = sorted(m for m in proc._moderators["all"] if m != "x")
    # PROCESS v3/v4 call the single moderator W; pyprocessmacro (2.16 numbering) calls it v in models 14-15.
    if len(mods) == 1:
        roles["w"] = stv[mods[0]]
    elif len(mods) == 2:
        roles["w"], roles["z"] = stv[mods[0]], stv[mods[1]]
    # a multicategorical moderator (its symbol is w, or m / v in pyprocessmacro's 2.16 numbering)
    for role in ("w", "z"):
        for symb, c in proc.categorical.items():
            if symb != "x" and roles[role] is not None and stv[symb] == roles[role]:
                roles[f"{role}_categorical"] = {
                    "coding": c.scheme,
                    "reference": float(c.levels[0]) if not isinstance(c.levels[0], str) else c.levels[0],
                    "levels": [float(v) if not isinstance(v, str) else v for v in c.levels]}
    return roles


def coefficient_rows(proc, namer):
    rows = []
    order = [proc.iv] + list(proc.mediators)
    # mediators first, then Y, as PROCESS prints them
    order = list(proc.mediators) + [proc.iv]
    for outcome in order:
        res = proc.outcome_models[outcome].estimation_results
        for i, name in enumerate(res["names"]):
            rows.append([outcome, namer.term(name), res["betas"][i], res["se"][i], res["t"][i], res["p"][i],
                         res["llci"][i], res["ulci"][i]])
    return rows


def summary_rows(proc):
    rows = []
    for outcome in list(proc.mediators) + [proc.iv]:
        r = proc.outcome_models[outcome].estimation_results
        rows.append([outcome, r["n"], r["R2"], r["adjR2"], r["mse"], r["F"], r["df_r"], r["df_e"], r["F_pval"]])
    return rows


def direct_rows(proc, namer, probe_label, first):
    dm = proc.direct_model
    res = dm._estimation_results
    stv = proc._symb_to_var
    x, y = stv["x"], stv["y"]
    mods = [stv[s] for s in dm._moderators_symb]
    combos = list(itertools.product(*dm._moderators_values))
    if not mods and not first:
        return []  # unmoderated direct effect: written once
    rows = []
    i = 0
    for xs, label in zip(dm._x_symbs, dm._x_labels):
        xname = namer.term(label) if dm._categorical_x else x
        for combo in combos:
            kind = "conditional_direct" if mods else "direct"
            if not proc.has_mediation:
                kind = "conditional" if mods else "direct"
            rows.append(dict(kind=kind, path=f"{xname}>{y}", moderators=mod_text(mods, combo),
                             probe=probe_label if mods else "",
                             effect=fmt(res["betas"][i]), se=fmt(res["se"][i]), stat=fmt(res["t"][i]),
                             p=fmt(res["p"][i]), ci_lower=fmt(res["llci"][i]), ci_upper=fmt(res["ulci"][i]),
                             ci_kind="analytic", source="pyprocessmacro"))
            i += 1
    # cross-check with tidy()
    t = proc.tidy("direct")
    assert np.allclose(t["estimate"].to_numpy(), res["betas"], rtol=0, atol=0)
    return rows


def boot_rows(kind, path, moderators, probe_label, e, draws, conf, B, seed, bc_tool=None, pct_tool=None):
    """Three rows (percentile, bias_corrected, percentile_process) for one bootstrapped effect."""
    out = []
    se = np.std(draws, ddof=1)
    lo_p, hi_p = percentile_ci(draws, conf)
    lo_b, hi_b = bias_corrected_ci(e, draws, conf)
    if pct_tool is not None:
        assert (lo_p, hi_p) == tuple(pct_tool), (kind, path, moderators, (lo_p, hi_p), pct_tool)
    if bc_tool is not None:
        assert (lo_b, hi_b) == tuple(bc_tool), (kind, path, moderators, (lo_b, hi_b), bc_tool)
    lo_r, hi_r, _, _ = process_percentile_ci(draws, conf)
    common = dict(kind=kind, path=path, moderators=moderators, probe=probe_label, effect=fmt(e), boot_se=fmt(se),
                  B=str(B), seed=str(seed))
    out.append(dict(common, ci_lower=fmt(lo_p), ci_upper=fmt(hi_p), ci_kind="percentile", source="pyprocessmacro"))
    out.append(dict(common, ci_lower=fmt(lo_b), ci_upper=fmt(hi_b), ci_kind="bias_corrected", source="pyprocessmacro"))
    out.append(dict(common, ci_lower=fmt(lo_r), ci_upper=fmt(hi_r), ci_kind="percentile_process",
                    source="make.py (PROCESS rule on pyprocessmacro draws)"))
    return out


def indirect_rows(p_pct, p_bc, namer, probe_label, conf, B, seed, first):
    stv = p_pct._symb_to_var
    x, y = stv["x"], stv["y"]
    iem, iem_bc = p_pct.indirect_model, p_bc.indirect_model
    meds = [stv[f"m{i + 1}"] for i in range(iem._n_meds)]
    rows = []
    views, views_bc = iem._views(), iem_bc._views()
    for view, view_bc, label in zip(views, views_bc, iem._x_labels):
        xname = namer.term(label) if iem._categorical_x else x
        if view._has_moderation:
            mod_symbs = list(view._moderators_symb)
            mod_names = [stv[s] for s in mod_symbs]
            combos = list(itertools.product(*view._moderators_values))
            for i, med in enumerate(meds):
                for combo in combos:
                    # a multicategorical moderator's level becomes its codes
                    md = mod_dict(mod_symbs, combo, view._mod_codes)
                    e, be, se, lo, hi = view._indirect_effect_at(i, md)
                    e2, be2, se2, lo2, hi2 = view_bc._indirect_effect_at(i, md)
                    assert e == e2 and np.array_equal(be, be2)
                    rows += boot_rows("conditional_indirect", f"{xname}>{med}>{y}", mod_text(mod_names, combo),
                                      probe_label, e, be, conf, B, seed, bc_tool=(lo2, hi2), pct_tool=(lo, hi))
            if first and view._analysis_list == ["MM"]:
                (mod,) = mod_symbs
                # A multicategorical W has one index per code (the difference between the conditional
                # indirect effects in the code's group and the reference group), named as cipa's W columns.
                if mod in view._mod_codes:
                    codes = code_symbols(view._mod_codes, mod)
                    steps = [({c: 0.0 for c in codes}, {c: float(c == on) for c in codes}, namer.term(stv[on]))
                             for on in codes]
                else:
                    steps = [({mod: 0}, {mod: 1}, stv[mod])]
                for base0, base1, label in steps:
                    for i, med in enumerate(meds):
                        e0, b0, *_ = view._indirect_effect_at(i, base0)
                        e1, b1, *_ = view._indirect_effect_at(i, base1)
                        rows += boot_rows("index_of_moderated_mediation", f"{xname}>{med}>{y}", label, "",
                                          e1 - e0, b1 - b0, conf, B, seed)
                mm = view._MM_index()
                mine = [r for r in rows if r["kind"] == "index_of_moderated_mediation" and r["ci_kind"] == "percentile"
                        and r["path"].startswith(xname + ">")]
                assert np.allclose([float(r["effect"]) for r in mine], mm["effect"], rtol=1e-15, atol=0)
                assert np.allclose([float(r["ci_lower"]) for r in mine], mm["llci"], rtol=0, atol=0)
        elif first:
            effs, draws = [], []
            for i, med in enumerate(meds):
                e, be, se, lo, hi = view._indirect_effect_at(i, {})
                e2, be2, se2, lo2, hi2 = view_bc._indirect_effect_at(i, {})
                effs.append(e)
                draws.append(be)
                rows += boot_rows("indirect", f"{xname}>{med}>{y}", "", "", e, be, conf, B, seed,
                                  bc_tool=(lo2, hi2), pct_tool=(lo, hi))
            if len(meds) > 1 and p_pct.options.get("total"):
                rows += boot_rows("total_indirect", f"{xname}>{'+'.join(meds)}>{y}", "", "", sum(effs),
                                  np.sum(draws, axis=0), conf, B, seed)
            if len(meds) > 1 and p_pct.options.get("contrast"):
                for a, b in itertools.combinations(range(len(meds)), 2):
                    rows += boot_rows("contrast", f"{xname}>{meds[a]}>{y} - {xname}>{meds[b]}>{y}", "", "",
                                      effs[a] - effs[b], draws[a] - draws[b], conf, B, seed)
            # cross-check the unmoderated rows with the tool's own table
            res = view.estimation_results
            mine = [float(r["effect"]) for r in rows if r["ci_kind"] == "percentile"
                    and r["kind"] in ("total_indirect", "indirect", "contrast") and r["path"].startswith(xname + ">")]
            assert np.allclose(sorted(mine), sorted(res["effect"]), rtol=1e-14, atol=1e-15), (mine, res["effect"])
    return rows


def total_effect_rows(proc, data, roles):
    """Total effect of X (PROCESS total=1): OLS of Y on X (its codes) and the covariates; pyprocessmacro has no
    total effect model, so this is computed here with numpy from the same analysis rows."""
    if proc._moderators["all"]:
        return []
    stv = proc._symb_to_var
    d = proc._data
    xs = proc.direct_model._x_symbs
    labels = proc.direct_model._x_labels
    namer = Namer(proc)
    X = np.column_stack([np.ones(len(d))] + [d[s].to_numpy(float) for s in xs])
    yv = d["y"].to_numpy(float)
    xtx_inv = np.linalg.inv(X.T @ X)
    b = xtx_inv @ X.T @ yv
    resid = yv - X @ b
    dfe = len(yv) - X.shape[1]
    mse = resid @ resid / dfe
    se = np.sqrt(np.diag(mse * xtx_inv))
    tcrit = stats.t.ppf(0.975, dfe)
    rows = []
    for j, (s, lab) in enumerate(zip(xs, labels), start=1):
        xname = namer.term(lab) if len(xs) > 1 else stv["x"]
        tv = b[j] / se[j]
        rows.append(dict(kind="total", path=f"{xname}>{stv['y']}", moderators="", probe="", effect=fmt(b[j]),
                         se=fmt(se[j]), stat=fmt(tv), p=fmt(2 * stats.t.sf(abs(tv), dfe)),
                         ci_lower=fmt(b[j] - tcrit * se[j]), ci_upper=fmt(b[j] + tcrit * se[j]),
                         ci_kind="analytic", source="make.py (numpy OLS of y on x; pyprocessmacro has no total effect model)"))
    return rows


def omnibus_rows(proc):
    dm = proc.direct_model
    if not dm._categorical_x:
        return []
    om = dm.omnibus_test()
    r = om.iloc[0]
    return [["omnibus_direct_effect_of_x", proc.iv, r["R2-chng"], r["F"], int(r["df1"]), int(r["df2"]), r["p"]]]
