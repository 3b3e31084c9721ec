//! The layering of src/, enforced: a module may use only the layers below it. The order follows
//! ../shared/DESIGN.md with one change: `inference` (covariance estimators, Wald tests, the
//! bootstrap engine) sits below `estimation`, because a fit computes its covariance with those pure
//! functions while the inference layer needs nothing from estimation.
//! `simulate` sits in the stack between analysis and report: generating data needs only data and
//! domain, but power analysis fits every replication with the full analysis pipeline, and reports
//! and the CLI render its results.

use std::collections::BTreeSet;
use std::path::Path;

/// Layers from the bottom; a module may use its own layer and the ones before it.
const ORDER: &[&str] = &[
    "numeric",
    "data",
    "spec",
    "inference",
    "estimation",
    "effects",
    "analysis",
    "simulate",
    "report",
    "cli",
];
/// Modules beside the stack: what each may use.
/// Modules beside the stack: what each may use, and the first layer of the stack that may use
/// it. `plot` sits beside `report`: it reads an analysis, never a report, and only the command
/// line draws figures.
const BESIDE: &[(&str, &[&str], &str)] = &[
    (
        "measure",
        &["numeric", "data", "spec", "inference", "estimation", "sem"],
        "effects",
    ),
    // The latent-variable SEM engine (`cipa sem`) sits beside estimation: it reads data and
    // the flat model of spec; the analysis-level code above it (effects of defined parameters,
    // the CLI) uses it.
    ("sem", &["numeric", "data", "spec", "inference"], "effects"),
    // Field helpers work on numbers and data sets only, so any layer above data may call them.
    ("domain", &["numeric", "data"], "spec"),
    (
        "plot",
        &[
            "numeric",
            "data",
            "spec",
            "inference",
            "estimation",
            "effects",
            "analysis",
            "measure",
            "domain",
            "sem",
        ],
        "cli",
    ),
];
/// Usable from anywhere.
const SHARED: &[&str] = &["error", "prelude", "VERSION", "Error", "Result"];

fn used_layers(path: &Path, out: &mut BTreeSet<String>) {
    if path.is_dir() {
        for e in std::fs::read_dir(path).expect("src is readable").flatten() {
            used_layers(&e.path(), out);
        }
        return;
    }
    if path.is_file() && path.extension().is_some_and(|e| e == "rs") {
        let text = std::fs::read_to_string(path).expect("source is readable");
        for (i, _) in text.match_indices("crate::") {
            let rest = &text[i + "crate::".len()..];
            let name: String = rest
                .chars()
                .take_while(|c| c.is_alphanumeric() || *c == '_')
                .collect();
            if !name.is_empty() {
                out.insert(name);
            }
        }
    }
}

#[test]
fn modules_use_only_lower_layers() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut problems = Vec::new();
    let mut check = |module: &str, allowed: Vec<&str>| {
        let mut used = BTreeSet::new();
        let dir = src.join(module);
        used_layers(&dir, &mut used);
        used_layers(&src.join(format!("{module}.rs")), &mut used);
        for u in used {
            if u != module && !allowed.contains(&u.as_str()) && !SHARED.contains(&u.as_str()) {
                problems.push(format!("{module} uses {u}"));
            }
        }
    };
    // A stack layer may use the modules beside it from their first allowed layer on.
    let level = |m: &str| ORDER.iter().position(|o| *o == m).unwrap_or(usize::MAX);
    for (i, m) in ORDER.iter().enumerate() {
        let mut allowed = ORDER[..i].to_vec();
        allowed.extend(
            BESIDE
                .iter()
                .filter(|(_, _, from)| i >= level(from))
                .map(|(b, _, _)| *b),
        );
        check(m, allowed);
    }
    for (m, allowed, _) in BESIDE {
        check(m, allowed.to_vec());
    }
    assert!(problems.is_empty(), "layering violations: {problems:?}");
}

/// Every number a report prints or a figure draws is computed by the analysis (or the other
/// computing layers): `report` and `plot` only read results, so they may not compute quantiles,
/// p-values or critical values themselves (a figure could then disagree with the report, as an
/// interaction plot's exact t once did with PROCESS's approximated one).
#[test]
fn renderers_use_no_distribution_functions() {
    fn scan(path: &Path, problems: &mut Vec<String>) {
        if path.is_dir() {
            for e in std::fs::read_dir(path).expect("src is readable").flatten() {
                scan(&e.path(), problems);
            }
            return;
        }
        if path.extension().is_none_or(|e| e != "rs") {
            return;
        }
        let text = std::fs::read_to_string(path).expect("source is readable");
        // `numeric::dist` in a path, `dist` in a `use crate::numeric::{...}` group, or statrs.
        let grouped = text.match_indices("numeric::{").any(|(i, _)| {
            let group = &text[i..text[i..].find('}').map_or(text.len(), |j| i + j)];
            group
                .split(|c: char| !(c.is_alphanumeric() || c == '_'))
                .any(|w| w == "dist")
        });
        // `numeric::dist` as a whole path segment (`numeric::distinct_finite` is no distribution).
        let dist_path = text.match_indices("numeric::dist").any(|(i, m)| {
            text[i + m.len()..]
                .chars()
                .next()
                .is_none_or(|c| !(c.is_alphanumeric() || c == '_'))
        });
        for (bad, found) in [
            ("numeric::dist", dist_path),
            ("numeric::{dist}", grouped),
            ("statrs", text.contains("statrs")),
        ] {
            if found {
                problems.push(format!("{} uses {bad}", path.display()));
            }
        }
    }
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut problems = Vec::new();
    for layer in ["report", "plot"] {
        scan(&src.join(layer), &mut problems);
    }
    assert!(
        problems.is_empty(),
        "renderers computing distributions: {problems:?}"
    );
}
