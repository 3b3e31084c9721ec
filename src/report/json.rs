//! JSON output, written from results (not from a rendered report) so that every number keeps full
//! precision. The schema is documented in docs/json-schema.md and only ever grows.
//! Non-finite numbers (an undefined F, say) are written as `null`.

use serde_json::{json, Map, Value};

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
    let stat = if fit.method == Method::Logistic {
        "z"
    } else {
        "t"
    };
    let coefficients: Vec<Value> = fit
        .coefficients
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
        .collect();
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
    match &fit.summary {
        Summary::Ols(s) => {
            for (k, v) in [
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
            for k in ["r2", "adj_r2", "mse", "f", "df2"] {
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
    m.insert("coefficients".into(), Value::Array(coefficients));
    m.insert(
        "r2_change".into(),
        Value::Array(
            changes
                .iter()
                .map(|c| {
                    json!({"terms": c.terms, "r2_change": num(c.r2_change), "f": num(c.f),
                           "df1": num(c.df1), "df2": num(c.df2), "p": num(c.p)})
                })
                .collect(),
        ),
    );
    m.insert("coding".into(), json!(fit.coding));
    m.insert("warnings".into(), json!(fit.warnings));
    Value::Object(m)
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
