//! JSON output, written from results (not from a rendered report) so that every number keeps full
//! precision. The schema is documented in docs/json-schema.md and only ever grows.
//! Non-finite numbers (an undefined F, say) are written as `null`.

use serde_json::{json, Map, Value};

use crate::analysis::EffectResult;
use crate::estimation::{EquationFit, Method, R2Change, Summary};

fn num(x: f64) -> Value {
    if x.is_finite() {
        json!(x)
    } else {
        Value::Null
    }
}

/// One equation in the `equations` list.
pub fn equation_json(fit: &EquationFit, changes: &[R2Change]) -> Value {
    let mut m = Map::new();
    m.insert("outcome".into(), json!(fit.outcome));
    m.insert("method".into(), json!(fit.method));
    m.insert("n".into(), json!(fit.n));
    m.insert("cov_type".into(), json!(fit.cov_type));
    m.insert(
        "cluster".into(),
        fit.cluster
            .as_ref()
            .map_or(Value::Null, |(v, g)| json!({"variable": v, "clusters": g})),
    );
    m.insert("conf".into(), num(fit.conf));
    insert_summary(&mut m, &fit.summary);
    m.insert("coefficients".into(), coefficients_json(fit));
    m.insert("r2_change".into(), r2_changes_json(changes));
    m.insert("coding".into(), json!(fit.coding));
    m.insert("warnings".into(), json!(fit.warnings));
    Value::Object(m)
}

/// The coefficients with their test statistic named `z` (logistic) or `t` (OLS).
fn coefficients_json(fit: &EquationFit) -> Value {
    let stat = if fit.method == Method::Logistic {
        "z"
    } else {
        "t"
    };
    fit.coefficients
        .iter()
        .map(|c| {
            let mut m = Map::new();
            m.insert("term".into(), json!(c.term));
            m.insert("estimate".into(), num(c.estimate));
            m.insert("se".into(), num(c.se));
            m.insert(stat.into(), num(c.stat));
            m.insert("p".into(), num(c.p));
            m.insert("ci_lower".into(), num(c.ci_lower));
            m.insert("ci_upper".into(), num(c.ci_upper));
            Value::Object(m)
        })
        .collect()
}

/// The fit statistics: R², F and its test for OLS; the likelihood-ratio test and pseudo-R² for
/// logistic regression (with OLS's keys as null, so every equation has the same keys).
fn insert_summary(m: &mut Map<String, Value>, summary: &Summary) {
    match summary {
        Summary::Ols(s) => {
            for (k, v) in [
                ("r", s.r2.max(0.0).sqrt()),
                ("r2", s.r2),
                ("adj_r2", s.adj_r2),
                ("mse", s.mse),
                ("f", s.f),
                ("df1", s.df1),
                ("df2", s.df2),
                ("p", s.p),
            ] {
                m.insert(k.into(), num(v));
            }
        }
        Summary::Logistic(s) => {
            for k in ["r", "r2", "adj_r2", "mse", "f", "df2"] {
                m.insert(k.into(), Value::Null);
            }
            for (k, v) in [
                ("df1", s.df),
                ("p", s.p),
                ("neg2ll", s.neg2ll),
                ("neg2ll_null", s.neg2ll_null),
                ("chisq", s.chisq),
                ("mcfadden", s.mcfadden),
                ("cox_snell", s.cox_snell),
                ("nagelkerke", s.nagelkerke),
            ] {
                m.insert(k.into(), num(v));
            }
            m.insert("iterations".into(), json!(s.iterations));
        }
    }
}

/// The tests of R² change (with the likelihood-ratio chi-square of a logistic equation).
fn r2_changes_json(changes: &[R2Change]) -> Value {
    Value::Array(
        changes
            .iter()
            .map(|c| {
                let mut t = json!({"label": c.label, "terms": c.terms, "r2_change": num(c.r2_change), "f": num(c.f),
                       "df1": num(c.df1), "df2": num(c.df2), "p": num(c.p)});
                if let Some(x) = c.chisq {
                    t["chisq"] = num(x);
                }
                t
            })
            .collect(),
    )
}

/// The whole `regress` document.
pub fn regress_json(
    data_file: &str,
    n_rows: usize,
    options: Value,
    fits: &[(EquationFit, Vec<R2Change>)],
) -> Value {
    let first = fits.first().map(|(f, _)| f);
    json!({
        "cipa_version": crate::VERSION,
        "command": "regress",
        "data": {"file": data_file, "rows": n_rows},
        "n": first.map_or(0, |f| f.n),
        "n_dropped": first.map_or(0, |f| f.n_dropped),
        "dropped_rows": first.map_or(Vec::new(), |f| f.dropped_rows.clone()),
        "options": options,
        "equations": fits.iter().map(|(f, c)| equation_json(f, c)).collect::<Vec<_>>(),
    })
}

/// The document of a conditional process analysis: the regress schema plus `effects`,
/// `johnson_neyman` and `bootstrap`.
pub fn analysis_json(
    a: &crate::analysis::Analysis,
    data_file: &str,
    n_rows: usize,
    options: Value,
) -> Value {
    let mut doc = regress_json(data_file, n_rows, options, &a.equations);
    doc["command"] = json!("fit");
    doc["n"] = json!(a.n);
    doc["n_dropped"] = json!(a.n_dropped);
    doc["dropped_rows"] = json!(a.dropped_rows);
    doc["model"] = json!(a.spec.source);
    doc["roles"] = json!({"x": a.spec.x, "y": a.spec.y, "m": a.spec.mediators, "moderators": a.spec.moderators, "cov": a.spec.covariates});
    doc["effects"] = effects_json(a);
    doc["conditional_effects"] = json!(a.conditional);
    doc["conditional_interactions"] = conditional_interactions_json(a);
    doc["total_model"] = a
        .total_model
        .as_ref()
        .map_or(Value::Null, |tm| equation_json(tm, &[]));
    doc["omnibus_tests"] = json!(a.omnibus);
    doc["defined"] = json!(a
        .defined
        .iter()
        .map(|d| json!({"name": d.name, "expression": d.expression, "estimate": num(d.estimate),
                        "boot_se": d.boot_se.map_or(Value::Null, num), "ci_lower": num(d.ci_lower), "ci_upper": num(d.ci_upper)}))
        .collect::<Vec<_>>());
    doc["johnson_neyman"] = json!(a
        .johnson_neyman
        .iter()
        .map(|j| json!({"outcome": j.outcome, "focal": j.focal, "moderator": j.moderator, "points": j.points,
                        "pct_below": j.pct_below, "pct_above": j.pct_above, "table": j.table}))
        .collect::<Vec<_>>());
    doc["indirect_curves"] = json!(a
        .indirect_curves
        .iter()
        .map(|c| {
            let nums = |v: &[f64]| v.iter().map(|x| num(*x)).collect::<Vec<_>>();
            json!({"kind": c.def.kind, "focal": c.def.focal, "path": c.def.path, "moderator": c.def.moderator,
                   "at": c.def.fixed.iter().map(|(m, l)| (m.clone(), json!(l))).collect::<Map<String, Value>>(),
                   "grid": nums(&c.grid), "grid_points": c.grid.len(), "effect": nums(&c.estimate), "ci_lower": nums(&c.lower), "ci_upper": nums(&c.upper),
                   "significant": c.significant.iter().map(|(lo, hi, s)| json!({"from": num(*lo), "to": num(*hi), "sign": s})).collect::<Vec<_>>(),
                   "index": c.index.map(|(i, lo, hi)| json!({"index": num(i), "ci_lower": num(lo), "ci_upper": num(hi)}))})
        })
        .collect::<Vec<_>>());
    doc["bootstrap"] = a.bootstrap.as_ref().map_or(Value::Null, |b| {
        json!({"B": b.b, "seed": b.seed, "method": b.method, "failed": b.failed, "reasons": b.ledger.reasons,
               "resampling": b.resampling, "clusters": b.clusters})
    });
    doc["probes"] = json!(a
        .probes
        .iter()
        .map(|(m, pts)| json!({"moderator": m, "points": pts}))
        .collect::<Vec<_>>());
    doc["model_bootstrap"] = json!(a
        .model_bootstrap
        .iter()
        .map(|eq| json!({"outcome": eq.outcome, "coefficients": eq.coefficients.iter().map(|c| json!({
            "term": c.term, "estimate": num(c.estimate), "boot_mean": num(c.boot_mean),
            "boot_se": num(c.boot_se), "ci_lower": num(c.ci_lower), "ci_upper": num(c.ci_upper)})).collect::<Vec<_>>()}))
        .collect::<Vec<_>>());
    doc["counterfactual"] = a.counterfactual.as_ref().map_or(Value::Null, |c| {
        json!({"x_ref": num(c.x_ref), "x_cf": num(c.x_cf), "cde_m": num(c.cde_m), "cde_m_is_mean": c.cde_m_is_mean,
               "covariate_means": c.covariates.iter().map(|(n, v)| (n.clone(), num(*v))).collect::<Map<String, Value>>()})
    });
    if !a.curvilinear.is_empty() {
        doc["curvilinear"] = json!(a.curvilinear);
    }
    doc["notes"] = json!(a.notes);
    doc
}
/// The effects grouped by kind (`direct`, `indirect`, ..., `counterfactual`), each list in the
/// analysis's order.
fn effects_json(a: &crate::analysis::Analysis) -> Value {
    use crate::effects::EffectKind;
    let mut groups: Map<String, Value> = Map::new();
    for key in [
        "direct",
        "indirect",
        "total_indirect",
        "total",
        "contrasts",
        "index_of_moderated_mediation",
        "counterfactual",
    ] {
        groups.insert(key.into(), Value::Array(Vec::new()));
    }
    for e in &a.effects {
        let key = match e.def.kind {
            EffectKind::Direct => "direct",
            EffectKind::Indirect => "indirect",
            EffectKind::TotalIndirect => "total_indirect",
            EffectKind::Total => "total",
            EffectKind::Contrast => "contrasts",
            k if k.is_counterfactual() => "counterfactual",
            _ => "index_of_moderated_mediation",
        };
        if let Some(Value::Array(list)) = groups.get_mut(key) {
            list.push(effect_json(a, e));
        }
    }
    Value::Object(groups)
}

/// The values an effect is conditional on, by moderator: the probe value where it is a number.
fn moderator_values_json(a: &crate::analysis::Analysis, e: &EffectResult) -> Map<String, Value> {
    e.def
        .moderators
        .iter()
        .map(|(m, label)| {
            let value = a
                .probes
                .iter()
                .find(|(n, _)| n == m)
                .and_then(|(_, pts)| pts.iter().find(|p| &p.label == label))
                .map_or(json!(label), |p| {
                    if p.value.is_finite() {
                        json!(p.value)
                    } else {
                        json!(label)
                    }
                });
            (m.clone(), value)
        })
        .collect()
}

/// One effect: what it is, its estimate, test and interval (and standardized version).
fn effect_json(a: &crate::analysis::Analysis, e: &EffectResult) -> Value {
    use crate::effects::EffectKind;
    let mut o = Map::new();
    o.insert("kind".into(), json!(e.def.kind));
    o.insert("focal".into(), json!(e.def.focal));
    o.insert("path".into(), json!(e.def.path));
    o.insert(
        "moderators".into(),
        Value::Object(moderator_values_json(a, e)),
    );
    if let Some(l) = &e.def.label {
        o.insert("label".into(), json!(l));
    }
    o.insert("effect".into(), num(e.effect));
    if let Some(se) = e.se {
        o.insert("se".into(), num(se));
        let stat_key = if e.def.kind == EffectKind::Indirect
            || a.equations
                .iter()
                .any(|(f, _)| f.method == Method::Logistic && f.outcome == a.spec.y)
        {
            "z"
        } else {
            "t"
        };
        o.insert(stat_key.into(), e.stat.map_or(Value::Null, num));
        o.insert("p".into(), e.p.map_or(Value::Null, num));
    }
    if let Some(bse) = e.boot_se {
        o.insert("boot_se".into(), num(bse));
    }
    o.insert("ci_lower".into(), num(e.ci_lower));
    o.insert("ci_upper".into(), num(e.ci_upper));
    if let Some(acc) = e.acceleration {
        o.insert("acceleration".into(), num(acc));
    }
    if let Some(st) = &e.standardized {
        o.insert(
            "standardized".into(),
            json!({"kind": st.kind, "effect": num(st.effect), "boot_se": st.boot_se.map_or(Value::Null, num),
                   "ci_lower": num(st.ci_lower), "ci_upper": num(st.ci_upper)}),
        );
    }
    Value::Object(o)
}

/// The conditional interactions with each row's F (= t², df1 = 1, df2 = the equation's residual
/// df), as the text report prints them.
fn conditional_interactions_json(a: &crate::analysis::Analysis) -> Value {
    let mut v = json!(a.conditional_interactions);
    for ci in v.as_array_mut().into_iter().flatten() {
        let df2 = a
            .equations
            .iter()
            .find(|(f, _)| Some(f.outcome.as_str()) == ci["outcome"].as_str())
            .and_then(|(f, _)| match &f.summary {
                Summary::Ols(s) => Some(s.df2),
                Summary::Logistic(_) => None,
            });
        for row in ci["rows"].as_array_mut().into_iter().flatten() {
            let t = row["stat"].as_f64().unwrap_or(f64::NAN);
            row["f"] = num(t * t);
            row["df1"] = json!(1);
            row["df2"] = df2.map_or(Value::Null, num);
        }
    }
    v
}
