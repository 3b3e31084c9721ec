//! The joint tests of `cipa fit` against R, read from cipa's JSON output: PROCESS's tests of
//! highest-order unconditional interactions (`BOTH(X)`, `BOTH(M)`, a multicategorical X's or W's
//! `X*W`) and the omnibus tests of a multicategorical X's codes (direct, total, equality of
//! conditional means); `process_r_omnibus_protest` with the OLS and the HC0-HC4 covariances
//! (lm, anova, sandwich), `process_r_lrtest_caskets` with a dichotomous Y (glm: likelihood-ratio
//! and Wald chi-squares).

use serde_json::Value;

use crate::common::cli::{cipa, json};
use crate::common::{self, Checker, Table};

const CASES: [&str; 2] = ["process_r_omnibus_protest", "process_r_lrtest_caskets"];

fn text<'a>(v: &'a Value, key: &str) -> &'a str {
    v.get(key).and_then(Value::as_str).unwrap_or_default()
}

fn number(v: &Value, key: &str) -> f64 {
    v.get(key).and_then(Value::as_f64).unwrap_or(f64::NAN)
}

/// cipa's test for one expected row, or why there is none.
fn find<'a>(
    doc: &'a Value,
    row: &[String],
    col: &dyn Fn(&str) -> usize,
) -> Result<&'a Value, String> {
    let get = |name: &str| row[col(name)].as_str();
    let outcome = get("outcome");
    let list = |v: &'a Value, key: &str| -> &'a [Value] {
        v.get(key)
            .and_then(Value::as_array)
            .map_or(&[], Vec::as_slice)
    };
    if get("section") == "interaction" {
        let eq = list(doc, "equations")
            .iter()
            .find(|e| text(e, "outcome") == outcome)
            .ok_or_else(|| format!("no equation of {outcome}"))?;
        return list(eq, "r2_change")
            .iter()
            .find(|t| text(t, "label") == get("label"))
            .ok_or_else(|| format!("{outcome}: no test labelled {}", get("label")));
    }
    // The probe values, `;`-separated; cipa's are its labels (four decimals, or a level).
    let at: Vec<f64> = get("at")
        .split(';')
        .filter(|v| !v.is_empty())
        .map(|v| v.parse().expect("a number"))
        .collect();
    list(doc, "omnibus_tests")
        .iter()
        .find(|t| {
            let here: Vec<f64> = t["at"]
                .as_array()
                .map_or(&[][..], Vec::as_slice)
                .iter()
                .filter_map(|p| p[1].as_str()?.parse::<f64>().ok())
                .collect();
            text(t, "outcome") == outcome
                && text(t, "kind") == get("kind")
                && here.len() == at.len()
                && here.iter().zip(&at).all(|(h, a)| (h - a).abs() < 1e-4)
        })
        .ok_or_else(|| format!("{outcome}: no {} omnibus test at {:?}", get("kind"), at))
}

#[test]
fn joint_tests_match_r() {
    let Some(datasets) = common::shared_or_skip() else {
        return;
    };
    for case in CASES {
        check_case(case, &datasets);
    }
}

fn check_case(name: &str, datasets: &std::path::Path) {
    let dir = common::golden_dir(name);
    let case: Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("case.json")).expect("case.json"))
            .expect("case.json parses");
    let expected = Table::read(&dir.join("expected.csv"));
    let col = |name: &str| expected.column_index(name);
    let data = datasets.join(text(&case, "dataset"));
    let mut ck = Checker::new(name);
    for run in case["runs"].as_array().expect("runs") {
        let id = text(run, "id");
        for cov in case["covs"]
            .as_array()
            .expect("covs")
            .iter()
            .filter_map(Value::as_str)
        {
            let mut args = vec!["fit", "--data", data.to_str().expect("a UTF-8 path")];
            args.extend(
                run["args"]
                    .as_array()
                    .expect("args")
                    .iter()
                    .filter_map(Value::as_str),
            );
            args.extend(["--boot", "0", "--seed", "1", "--format", "json"]);
            if cov != "ols" {
                args.extend(["--hc", cov]);
            }
            let doc = json(&cipa(&args));
            let rows: Vec<&Vec<String>> = expected
                .rows
                .iter()
                .filter(|r| r[col("run")] == id && r[col("cov")] == cov)
                .collect();
            assert!(!rows.is_empty(), "{id}/{cov}: no expected rows");
            let omnibus = rows
                .iter()
                .filter(|r| r[col("section")] == "omnibus")
                .count();
            let have = doc["omnibus_tests"].as_array().map_or(0, Vec::len);
            ck.eq(
                format!("{id}/{cov}: number of omnibus tests"),
                have,
                omnibus,
            );
            for row in rows {
                compare(&mut ck, &doc, row, &expected, &format!("{id}/{cov}"));
            }
        }
    }
    ck.finish();
}

/// One expected row against cipa's test (a `chisq` column, where the case has one, too).
fn compare(ck: &mut Checker, doc: &Value, row: &[String], expected: &Table, run: &str) {
    let col = |name: &str| expected.column_index(name);
    let what = format!(
        "{run} {} {} {}{}",
        row[col("outcome")],
        row[col("label")],
        row[col("kind")],
        row[col("at")]
    );
    let t = match find(doc, row, &col) {
        Ok(t) => t,
        Err(e) => return ck.fail(format!("{what}: {e}")),
    };
    let want = |c: &str| common::parse_number(&row[col(c)], &expected.path);
    ck.num(
        format!("{what} r2_change"),
        number(t, "r2_change"),
        want("r2_change"),
    );
    ck.num(format!("{what} F"), number(t, "f"), want("f"));
    ck.eq(format!("{what} df1"), number(t, "df1"), want("df1"));
    ck.num(format!("{what} df2"), number(t, "df2"), want("df2"));
    ck.p(format!("{what} p"), number(t, "p"), want("p"));
    if expected.has_column("chisq") {
        ck.num(format!("{what} chisq"), number(t, "chisq"), want("chisq"));
    }
}
