//! The framework's canonical models (models/framework/*.cipa): each parses, names its roles in a
//! `# roles:` line, and fits the shipped teaching data; the fitted paths have the signs the
//! population has (datasets/sme_survey.truth.json).

use std::path::Path;

use cipa::analysis::{analyse, AnalysisOptions};
use cipa::data::{read_csv_str, ReadOptions};
use cipa::spec::{syntax, ModelSpec, SpecSource};

const MODELS: [&str; 5] = [
    "mediation",
    "size_first_stage",
    "ownership_second_stage",
    "distance_second_stage",
    "combined",
];

fn flag(line: &str, name: &str) -> Option<String> {
    let mut it = line.split_whitespace();
    while let Some(w) = it.next() {
        if w == name {
            return it.next().map(String::from);
        }
    }
    None
}

fn spec(name: &str) -> ModelSpec {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(format!("models/framework/{name}.cipa"));
    let text = std::fs::read_to_string(&path).expect("the model file exists");
    for section in [
        "Theory.",
        "Hypotheses.",
        "\n#   H",
        "Run",
        "cipa fit --data example:sme",
    ] {
        assert!(
            text.contains(section),
            "{name}: no '{section}' in its description"
        );
    }
    let roles = text
        .lines()
        .find_map(|l| l.strip_prefix("# roles:"))
        .unwrap_or_else(|| panic!("{name}: no '# roles:' line"));
    let parsed = syntax::parse_syntax(name, &text).expect("the model parses");
    let x = flag(roles, "--x");
    let (x, y, mediators) = syntax::infer_roles_with(&parsed, x.as_deref(), None).unwrap();
    assert_eq!(
        (x.as_str(), y.as_str(), mediators.as_slice()),
        (
            "network_ties",
            "export_intensity",
            &["collab".to_string()][..]
        )
    );
    ModelSpec {
        source: SpecSource::Syntax,
        x,
        y,
        mediators,
        moderators: syntax::infer_moderators(
            &parsed,
            "network_ties",
            &["collab".to_string()],
            "export_intensity",
            &["--w", "--z"]
                .iter()
                .filter_map(|f| flag(roles, f))
                .collect::<Vec<_>>(),
        ),
        covariates: Vec::new(),
        equations: parsed.equations,
        defined: parsed.defined,
    }
}

#[test]
fn every_framework_model_parses_and_fits_the_teaching_data() {
    let (source, text) = cipa::simulate::example("sme").unwrap();
    let data = read_csv_str(&source, text, b',', &ReadOptions::default()).unwrap();
    let opts = AnalysisOptions {
        boot: 0,
        ..Default::default()
    };
    for name in MODELS {
        let s = spec(name);
        if name == "combined" {
            // Three moderators: W and Z from the roles line, cultural distance inferred.
            assert_eq!(
                s.moderators,
                ["log_employees", "family_owned", "cultural_distance"]
            );
        }
        let a = analyse(&data, &s, &opts).unwrap_or_else(|e| panic!("{name}: {e}"));
        let coef = |eq: &str, term: &str| {
            a.equations
                .iter()
                .find(|(f, _)| f.outcome == eq)
                .and_then(|(f, _)| f.coefficients.iter().find(|c| c.term == term))
                .map(|c| c.estimate)
                .unwrap_or_else(|| panic!("{name}: no {term} in {eq}"))
        };
        // The population's first and second stages are positive.
        assert!(coef("collab", "network_ties") > 0.0, "{name}");
        assert!(coef("export_intensity", "collab") > 0.0, "{name}");
        assert!(
            !a.defined.is_empty(),
            "{name}: defined quantities are estimated"
        );
    }
}

#[test]
fn the_framework_models_are_listed_in_their_readme() {
    let readme = include_str!("../../models/framework/README.md");
    for name in MODELS {
        assert!(
            readme.contains(&format!("`{name}.cipa`")),
            "{name} missing from the README"
        );
    }
}

/// The population's turning point of `outcome`'s quadratic in ln employees, -b1 / (2 b2), from
/// the truth file of the teaching data.
fn true_turning_point(outcome: &str) -> f64 {
    let truth: serde_json::Value =
        serde_json::from_str(include_str!("../../datasets/sme_survey.truth.json")).unwrap();
    let eq = truth["equations"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["outcome"] == outcome)
        .unwrap_or_else(|| panic!("no equation of {outcome} in the truth file"));
    let coef = |term: &str| {
        eq["coefficients"]
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["term"] == term)
            .and_then(|c| c["value"].as_f64())
            .unwrap_or_else(|| panic!("no {term} in the truth of {outcome}"))
    };
    -coef("log_employees") / (2.0 * coef("log_employees^2"))
}

/// The `cipa regress` commands in size_cooperation.cipa's header, as argument lists.
fn size_cooperation_regressions(text: &str) -> Vec<Vec<String>> {
    text.lines()
        .filter_map(|l| l.strip_prefix("#   cipa regress "))
        .map(|l| {
            std::iter::once("regress")
                .chain(l.split_whitespace())
                .map(String::from)
                .collect()
        })
        .collect()
}

#[test]
fn size_cooperation_finds_the_inverted_u_of_the_teaching_data() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("models/framework/size_cooperation.cipa");
    let text = std::fs::read_to_string(&path).expect("the model file exists");
    for section in ["Theory.", "Hypotheses.", "\n#   H", "Run", "# roles: --x"] {
        assert!(text.contains(section), "no '{section}' in its description");
    }
    let parsed = syntax::parse_syntax("size_cooperation", &text).expect("the model parses");
    assert_eq!(parsed.equations.len(), 1);
    assert_eq!(parsed.defined.len(), 1, "the turning point is defined");
    assert!(include_str!("../../models/framework/README.md").contains("`size_cooperation.cipa`"));
    let runs = size_cooperation_regressions(&text);
    assert_eq!(
        runs.len(),
        2,
        "one regression per outcome: the scale and the 0/1 flag"
    );
    for (run, (outcome, reference)) in runs
        .iter()
        .zip([("cooperation", "t"), ("cooperates", "normal")])
    {
        let mut args: Vec<&str> = run.iter().map(String::as_str).collect();
        args.extend(["--format", "json"]);
        let j = crate::common::cli::json(&crate::common::cli::cipa(&args));
        let q = &j["curvilinear"][0];
        assert_eq!(q["outcome"], outcome, "{run:?}");
        assert_eq!(q["reference"]["distribution"], reference, "{run:?}");
        // Lind and Mehlum: a rising slope at the smallest firms, a falling one at the largest.
        let u = &q["u_test"];
        assert_eq!(u["shape"], "inverted_u", "{outcome}: {u}");
        let p = u["p"].as_f64().unwrap();
        assert!(p < 0.05, "{outcome}: U test p = {p}");
        // Fieller's interval of the turning point covers the population's.
        let tp = &q["turning_point"];
        let truth = true_turning_point(outcome);
        let (lo, hi) = (
            tp["fieller"]["lower"].as_f64().unwrap(),
            tp["fieller"]["upper"].as_f64().unwrap(),
        );
        assert!(
            lo < truth && truth < hi,
            "{outcome}: [{lo}, {hi}] misses {truth}"
        );
        assert_eq!(tp["position"], "inside", "{outcome}: {tp}");
    }
}
