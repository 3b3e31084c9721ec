//! The PROCESS model templates in `models/`: every file parses, the set of models is PROCESS v4's,
//! instantiated equations match hand-written ones (real names, covariates, PROCESS's term order),
//! the moderated paths of every model match the table in `models/README.md`, and bad roles give
//! the right errors.

use std::collections::BTreeMap;
use std::path::Path;

use cipa::spec::template::{all_templates, parse_template, template, MediatorRule, Template};
use cipa::spec::{EquationSpec, ModelSpec, Roles, SpecError, SpecSource, TermSpec};

use crate::common::process_models::MODERATED_PATHS;

/// PROCESS v4's numbered models.
const PROCESS_V4_MODELS: &[u32] = &[
    1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 28, 29, 58, 59,
    60, 61, 62, 63, 64, 65, 66, 67, 68, 69, 70, 71, 72, 73, 74, 75, 76, 80, 81, 82, 83, 84, 85, 86,
    87, 88, 89, 90, 91, 92,
];

fn get(model: u32) -> Template {
    template(model).unwrap_or_else(|e| panic!("model {model}: {e}"))
}

fn roles(x: &str, y: &str, m: &[&str], w: Option<&str>, z: Option<&str>) -> Roles {
    Roles {
        x: x.into(),
        y: y.into(),
        m: m.iter().map(|s| s.to_string()).collect(),
        w: w.map(str::to_string),
        z: z.map(str::to_string),
        ..Roles::default()
    }
}

fn strings(v: &[&str]) -> Vec<String> {
    v.iter().map(|s| s.to_string()).collect()
}

/// `eq("y", "x + m + x:w")`.
fn eq(outcome: &str, terms: &str) -> EquationSpec {
    EquationSpec {
        outcome: outcome.into(),
        terms: terms
            .split('+')
            .map(|t| TermSpec::new(&t.trim().split(':').collect::<Vec<_>>()))
            .collect(),
    }
}

fn instantiate(model: u32, r: &Roles) -> ModelSpec {
    get(model)
        .instantiate(r)
        .unwrap_or_else(|e| panic!("model {model}: {e}"))
}

fn roles_error(model: u32, r: &Roles) -> String {
    match get(model).instantiate(r) {
        Err(SpecError::Roles { model: m, message }) => {
            assert_eq!(m, model);
            message
        }
        other => panic!("model {model}: expected a roles error, got {other:?}"),
    }
}

#[test]
fn every_file_in_models_parses_and_is_embedded() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("models");
    let mut files = Vec::new();
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "cipa") {
            files.push(path);
        }
    }
    files.sort();
    let embedded = all_templates().unwrap();
    assert_eq!(
        files.len(),
        embedded.len(),
        "every models/*.cipa file must be embedded"
    );
    for path in files {
        let name = path.file_name().unwrap().to_str().unwrap().to_string();
        let text = std::fs::read_to_string(&path).unwrap();
        let t = parse_template(&name, &text).unwrap_or_else(|e| panic!("{e}"));
        // The number in the file name is the model's.
        assert_eq!(name, format!("process_{:03}.cipa", t.model));
        let e = embedded.iter().find(|e| e.model == t.model).unwrap();
        assert_eq!(e, &t, "{name} differs from the embedded copy");
        assert_eq!(e.file_name(), name);
    }
}

#[test]
fn the_models_are_exactly_process_v4s() {
    let numbers: Vec<u32> = all_templates().unwrap().iter().map(|t| t.model).collect();
    assert_eq!(numbers, PROCESS_V4_MODELS);
    assert_eq!(numbers.len(), 56);
}

#[test]
fn unknown_model_lists_the_available_ones() {
    let e = template(23).unwrap_err();
    assert_eq!(
        e,
        SpecError::UnknownModel {
            model: 23,
            available: "1-22, 28, 29, 58-76, 80-92".into()
        }
    );
    assert_eq!(
        e.to_string(),
        "PROCESS model 23 is not available; cipa has models 1-22, 28, 29, 58-76, 80-92"
    );
}

#[test]
fn mediator_rules_and_roles() {
    let rule = |n| get(n).mediators;
    for n in [1, 2, 3] {
        assert_eq!(rule(n), MediatorRule::None);
    }
    for n in [4, 5, 7, 14, 58, 59, 74, 76] {
        assert_eq!(rule(n), MediatorRule::Parallel { min: 1, max: 10 });
    }
    assert_eq!(rule(6), MediatorRule::Serial { min: 2, max: 6 });
    assert_eq!(rule(80), MediatorRule::SerialParallel { min: 3, max: 6 });
    assert_eq!(rule(81), MediatorRule::SerialParallel { min: 3, max: 6 });
    assert_eq!(rule(82), MediatorRule::SerialParallel { min: 4, max: 4 });
    // PROCESS 4.3.1 takes 2 to 6 serial mediators in models 83-92 (its output with 3 is in
    // ../shared/reference/process_v431, compared by process_v431.rs).
    for n in 83..=92 {
        assert_eq!(rule(n), MediatorRule::Serial { min: 2, max: 6 });
    }
    assert_eq!(rule(6).to_string(), "serial 2-6");
    assert_eq!(rule(83).to_string(), "serial 2-6");
    assert!(rule(4).allows(10) && !rule(4).allows(11) && !rule(4).allows(0));

    assert_eq!(get(1).roles, strings(&["X", "Y", "W"]));
    assert_eq!(get(4).roles, strings(&["X", "M", "Y"]));
    assert_eq!(get(21).roles, strings(&["X", "M", "Y", "W", "Z"]));
    assert_eq!(get(74).roles, strings(&["X", "M", "Y"]));
    assert!(get(92).uses_role("W") && !get(92).uses_role("Z"));
    assert_eq!(
        get(58).equation_lines(),
        ["M ~ X + W + X:W", "Y ~ X + M + W + M:W"]
    );
}

#[test]
fn model_1_with_covariates() {
    let mut r = roles("negemot", "govact", &[], Some("age"), None);
    r.cov = strings(&["posemot", "ideology"]);
    let spec = instantiate(1, &r);
    assert_eq!(
        spec,
        ModelSpec {
            source: SpecSource::Process(1),
            x: "negemot".into(),
            y: "govact".into(),
            mediators: vec![],
            moderators: strings(&["age"]),
            covariates: strings(&["posemot", "ideology"]),
            equations: vec![eq(
                "govact",
                "negemot + age + negemot:age + posemot + ideology"
            )],
            defined: vec![],
        }
    );
}

#[test]
fn model_3_three_way() {
    let spec = instantiate(3, &roles("x", "y", &[], Some("w"), Some("z")));
    assert_eq!(spec.moderators, strings(&["w", "z"]));
    assert_eq!(
        spec.equations,
        [eq("y", "x + w + x:w + z + x:z + w:z + x:w:z")]
    );
}

#[test]
fn model_4_parallel_with_covariates() {
    let mut r = roles("cond", "reaction", &["import", "pmi"], None, None);
    r.cov = strings(&["age"]);
    let spec = instantiate(4, &r);
    assert_eq!(spec.mediators, strings(&["import", "pmi"]));
    assert!(spec.moderators.is_empty());
    assert_eq!(spec.covariates, strings(&["age"]));
    assert_eq!(
        spec.equations,
        [
            eq("import", "cond + age"),
            eq("pmi", "cond + age"),
            eq("reaction", "cond + import + pmi + age"),
        ]
    );
}

#[test]
fn model_6_serial_three_mediators_with_split_covariates() {
    let mut r = roles("x", "y", &["m1", "m2", "m3"], None, None);
    r.cov = strings(&["c3"]);
    r.cov_m = Some(strings(&["c1"]));
    r.cov_y = Some(strings(&["c2", "c1"]));
    let spec = instantiate(6, &r);
    assert_eq!(
        spec.equations,
        [
            eq("m1", "x + c1"),
            eq("m2", "x + m1 + c1"),
            eq("m3", "x + m1 + m2 + c1"),
            eq("y", "x + m1 + m2 + m3 + c2 + c1"),
        ]
    );
    // c3 is overridden everywhere, so it enters no equation.
    assert_eq!(spec.covariates, strings(&["c1", "c2"]));
}

#[test]
fn covariates_for_one_side_only() {
    let mut r = roles("x", "y", &["m"], None, None);
    r.cov = strings(&["c"]);
    r.cov_m = Some(vec![]);
    let spec = instantiate(4, &r);
    assert_eq!(spec.equations, [eq("m", "x"), eq("y", "x + m + c")]);
    assert_eq!(spec.covariates, strings(&["c"]));
}

#[test]
fn model_7_first_stage() {
    let spec = instantiate(7, &roles("x", "y", &["m1", "m2"], Some("w"), None));
    assert_eq!(spec.moderators, strings(&["w"]));
    assert_eq!(
        spec.equations,
        [
            eq("m1", "x + w + x:w"),
            eq("m2", "x + w + x:w"),
            eq("y", "x + m1 + m2"),
        ]
    );
}

#[test]
fn model_14_second_stage() {
    let spec = instantiate(14, &roles("x", "y", &["m"], Some("w"), None));
    assert_eq!(spec.equations, [eq("m", "x"), eq("y", "x + m + w + m:w")]);
}

#[test]
fn model_58_and_59() {
    let mut r = roles("x", "y", &["m1", "m2"], Some("w"), None);
    r.cov = strings(&["c"]);
    let spec = instantiate(58, &r);
    assert_eq!(
        spec.equations,
        [
            eq("m1", "x + w + x:w + c"),
            eq("m2", "x + w + x:w + c"),
            eq("y", "x + m1 + m2 + w + m1:w + m2:w + c"),
        ]
    );
    let spec = instantiate(59, &r);
    assert_eq!(
        spec.equations[2],
        eq("y", "x + m1 + m2 + w + x:w + m1:w + m2:w + c")
    );
    assert_eq!(spec.source, SpecSource::Process(59));
}

#[test]
fn model_74_x_moderates_m_to_y() {
    let spec = instantiate(74, &roles("x", "y", &["m"], None, None));
    assert!(spec.moderators.is_empty());
    assert_eq!(spec.equations, [eq("m", "x"), eq("y", "x + m + m:x")]);
}

#[test]
fn model_80_serial_parallel() {
    let spec = instantiate(80, &roles("x", "y", &["a", "b", "c"], None, None));
    assert_eq!(
        spec.equations,
        [
            eq("a", "x"),
            eq("b", "x"),
            eq("c", "x + a + b"),
            eq("y", "x + a + b + c"),
        ]
    );
    let spec = instantiate(80, &roles("x", "y", &["a", "b", "c", "d"], None, None));
    assert_eq!(spec.equations[3], eq("d", "x + a + b + c"));
    let spec = instantiate(81, &roles("x", "y", &["a", "b", "c"], None, None));
    assert_eq!(
        spec.equations,
        [
            eq("a", "x"),
            eq("b", "x + a"),
            eq("c", "x + a"),
            eq("y", "x + a + b + c"),
        ]
    );
    let spec = instantiate(82, &roles("x", "y", &["a", "b", "c", "d"], None, None));
    assert_eq!(
        spec.equations,
        [
            eq("a", "x"),
            eq("b", "x + a"),
            eq("c", "x"),
            eq("d", "x + c"),
            eq("y", "x + a + b + c + d"),
        ]
    );
}

#[test]
fn model_83_and_92_serial_moderated() {
    let spec = instantiate(83, &roles("x", "y", &["m1", "m2"], Some("w"), None));
    assert_eq!(
        spec.equations,
        [
            eq("m1", "x + w + x:w"),
            eq("m2", "x + m1"),
            eq("y", "x + m1 + m2"),
        ]
    );
    let spec = instantiate(92, &roles("x", "y", &["m1", "m2"], Some("w"), None));
    assert_eq!(
        spec.equations,
        [
            eq("m1", "x + w + x:w"),
            eq("m2", "x + m1 + w + x:w + m1:w"),
            eq("y", "x + m1 + m2 + w + x:w + m1:w + m2:w"),
        ]
    );
}

/// Models 83-92 with three mediators, as PROCESS 4.3.1 prints them (`model83_3m` ... `model92_3m`
/// in ../shared/reference/process_v431): every mediator's equation holds every earlier mediator;
/// W's products follow the model's rule for each mediator.
#[test]
fn models_83_to_92_with_three_mediators() {
    let w3 = roles("x", "y", &["a", "b", "c"], Some("w"), None);
    let eqs = |n: u32| instantiate(n, &w3).equations;
    let (a, b, c) = (eq("a", "x"), eq("b", "x + a"), eq("c", "x + a + b"));
    let ay = eq("y", "x + a + b + c");
    let xw = |o: &str, t: &str| eq(o, &format!("x + {t}w + x:w"));
    assert_eq!(eqs(83), [xw("a", ""), b.clone(), c.clone(), ay.clone()]);
    let m84 = [xw("a", ""), xw("b", "a + "), xw("c", "a + b + ")];
    assert_eq!(eqs(84)[..3], m84);
    assert_eq!(eqs(84)[3], ay);
    assert_eq!(eqs(85)[..3], m84);
    assert_eq!(eqs(85)[3], eq("y", "x + a + b + c + w + x:w"));
    assert_eq!(
        eqs(86),
        [
            xw("a", ""),
            b.clone(),
            c.clone(),
            eq("y", "x + a + b + c + w + x:w")
        ]
    );
    let serial = [a.clone(), b.clone(), c.clone()];
    assert_eq!(eqs(87)[..3], serial);
    assert_eq!(eqs(87)[3], eq("y", "x + a + b + c + w + c:w"));
    assert_eq!(eqs(88)[3], eq("y", "x + a + b + c + w + a:w + b:w + c:w"));
    assert_eq!(
        eqs(89)[3],
        eq("y", "x + a + b + c + w + x:w + a:w + b:w + c:w")
    );
    assert_eq!(eqs(90)[3], eq("y", "x + a + b + c + w + x:w + c:w"));
    assert_eq!(
        eqs(91),
        [
            a,
            eq("b", "x + a + w + a:w"),
            eq("c", "x + a + b + w + a:w + b:w"),
            ay
        ]
    );
    assert_eq!(
        eqs(92),
        [
            xw("a", ""),
            eq("b", "x + a + w + x:w + a:w"),
            eq("c", "x + a + b + w + x:w + a:w + b:w"),
            eq("y", "x + a + b + c + w + x:w + a:w + b:w + c:w"),
        ]
    );
}

#[test]
fn role_errors() {
    let base = roles("x", "y", &["m"], Some("w"), None);
    let no_w = roles("x", "y", &["m"], None, None);
    assert_eq!(roles_error(7, &no_w), "needs W (--w)");
    assert_eq!(
        get(7).instantiate(&no_w).unwrap_err().to_string(),
        "PROCESS model 7 needs W (--w)"
    );
    assert_eq!(roles_error(9, &base), "needs Z (--z)");
    let with_z = roles("x", "y", &["m"], Some("w"), Some("z"));
    assert_eq!(roles_error(7, &with_z), "does not use Z (remove --z)");
    assert_eq!(roles_error(4, &base), "does not use W (remove --w)");
    assert_eq!(
        roles_error(1, &roles("x", "y", &["m"], Some("w"), None)),
        "takes no mediators (remove --m)"
    );
    assert_eq!(
        roles_error(7, &roles("", "y", &["m"], Some("w"), None)),
        "needs X (--x)"
    );
    assert_eq!(
        roles_error(7, &roles("x", "", &["m"], Some("w"), None)),
        "needs Y (--y)"
    );
    assert_eq!(
        roles_error(7, &roles("x", "y", &["m"], Some(""), None)),
        "needs W (--w)"
    );
}

#[test]
fn mediator_count_errors() {
    let r = |m: &[&str]| roles("x", "y", m, None, None);
    assert_eq!(
        roles_error(6, &r(&["a"])),
        "needs 2 to 6 mediators (--m), got 1"
    );
    assert_eq!(
        roles_error(6, &r(&["a", "b", "c", "d", "e", "f", "g"])),
        "needs 2 to 6 mediators (--m), got 7"
    );
    assert_eq!(
        roles_error(4, &r(&[])),
        "needs 1 to 10 mediators (--m), got 0"
    );
    let eleven: Vec<String> = (1..=11).map(|i| format!("m{i}")).collect();
    let eleven: Vec<&str> = eleven.iter().map(String::as_str).collect();
    assert_eq!(
        roles_error(4, &r(&eleven)),
        "needs 1 to 10 mediators (--m), got 11"
    );
    assert!(get(4).instantiate(&r(&eleven[..10])).is_ok());
    let w = |m: &[&str]| roles("x", "y", m, Some("w"), None);
    assert_eq!(
        roles_error(83, &w(&["a"])),
        "needs 2 to 6 mediators (--m), got 1"
    );
    assert_eq!(
        roles_error(92, &w(&["a", "b", "c", "d", "e", "f", "g"])),
        "needs 2 to 6 mediators (--m), got 7"
    );
    assert_eq!(
        roles_error(82, &r(&["a", "b", "c"])),
        "needs exactly 4 mediators (--m), got 3"
    );
    assert_eq!(
        roles_error(80, &r(&["a", "b"])),
        "needs 3 to 6 mediators (--m), got 2"
    );
}

#[test]
fn variables_in_two_roles_and_covariate_errors() {
    assert_eq!(
        roles_error(7, &roles("v", "y", &["m"], Some("v"), None)),
        "has 'v' in two roles (X and W)"
    );
    assert_eq!(
        roles_error(4, &roles("x", "y", &["a", "y"], None, None)),
        "has 'y' in two roles (Y and M2)"
    );
    assert_eq!(
        roles_error(4, &roles("x", "y", &["a", "a"], None, None)),
        "has 'a' in two roles (M1 and M2)"
    );
    assert_eq!(
        roles_error(3, &roles("x", "y", &[], Some("w"), Some("w"))),
        "has 'w' in two roles (W and Z)"
    );

    let mut r = roles("x", "y", &["m"], Some("w"), None);
    r.cov = strings(&["c", "w"]);
    assert_eq!(
        roles_error(7, &r),
        "cannot use 'w' both as a covariate and as W"
    );
    r.cov = strings(&["c"]);
    r.cov_y = Some(strings(&["m"]));
    assert_eq!(
        roles_error(7, &r),
        "cannot use 'm' both as a covariate and as M"
    );
    r.cov_y = None;
    r.cov = strings(&["c", "c"]);
    assert_eq!(roles_error(7, &r), "has covariate 'c' twice in cov");

    let mut r = roles("x", "y", &[], Some("w"), None);
    r.cov_m = Some(strings(&["c"]));
    assert_eq!(
        roles_error(1, &r),
        "has no mediator equation for the mediator covariates (cov_m)"
    );
}

/// Which moderators act on which path, read off the instantiated equations: a product term's
/// first factor is the antecedent, the others its moderators (`WZ` for a three-way product).
fn moderated_paths(spec: &ModelSpec, label: &dyn Fn(&str) -> String) -> String {
    let mut paths: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for eq in &spec.equations {
        for term in &eq.terms {
            let Some((first, rest)) = term.factors.split_first() else {
                continue;
            };
            let first = label(first);
            if rest.is_empty() || first == "W" || first == "Z" {
                continue;
            }
            let moderators: String = rest.iter().map(|f| label(f)).collect();
            paths
                .entry(format!("{first}>{}", label(&eq.outcome)))
                .or_default()
                .push(moderators);
        }
    }
    paths
        .iter()
        .map(|(path, mods)| format!("{path}:{}", mods.join(",")))
        .collect::<Vec<_>>()
        .join(" ")
}

#[test]
fn moderated_paths_of_every_model() {
    assert_eq!(
        MODERATED_PATHS.iter().map(|(n, _)| *n).collect::<Vec<_>>(),
        PROCESS_V4_MODELS
    );
    for (model, expected) in MODERATED_PATHS {
        let t = get(*model);
        let k = t.mediators.bounds().map_or(0, |(min, _)| min);
        let m: Vec<String> = (1..=k).map(|i| format!("m{i}")).collect();
        let m: Vec<&str> = m.iter().map(String::as_str).collect();
        let w = t.uses_role("W").then_some("w");
        let z = t.uses_role("Z").then_some("z");
        let spec = instantiate(*model, &roles("x", "y", &m, w, z));
        let label = |name: &str| -> String {
            match name {
                "m1" if k == 1 => "M".into(),
                other => other.to_uppercase(),
            }
        };
        assert_eq!(moderated_paths(&spec, &label), *expected, "model {model}");
    }
}

/// PROCESS's coefficient order (checked against PROCESS output for models 1-73, 75 and 76):
/// antecedents (X, then mediators in order), then W and its products, then Z and its products,
/// then W:Z and the three-way products; within a block, antecedents in order.
fn rank(term: &[String], order: &[String]) -> (usize, usize) {
    let has = |v: &str| term.iter().any(|f| f == v);
    let position = order
        .iter()
        .position(|v| v == &term[0])
        .unwrap_or(order.len());
    let block = match (term.len(), has("w"), has("z")) {
        (1, true, _) => 2,
        (1, _, true) => 4,
        (1, _, _) => 0,
        (2, true, true) => 6,
        (_, true, true) => 7,
        (_, true, false) => 3,
        (_, false, true) => 5,
        _ => 8, // model 74's M:X
    };
    (block, position)
}

#[test]
fn every_equation_follows_process_term_order_and_keeps_lower_order_terms() {
    for t in all_templates().unwrap() {
        let (min, max) = t.mediators.bounds().unwrap_or((0, 0));
        for k in min..=max {
            let m: Vec<String> = (1..=k).map(|i| format!("m{i}")).collect();
            let m_refs: Vec<&str> = m.iter().map(String::as_str).collect();
            let w = t.uses_role("W").then_some("w");
            let z = t.uses_role("Z").then_some("z");
            let spec = t
                .instantiate(&roles("x", "y", &m_refs, w, z))
                .unwrap_or_else(|e| panic!("{e}"));
            assert_eq!(spec.equations.len(), k + 1);
            let mut order = vec!["x".to_string()];
            order.extend(m.iter().cloned());
            for eq in &spec.equations {
                let ranks: Vec<_> = eq.terms.iter().map(|t| rank(&t.factors, &order)).collect();
                assert!(
                    ranks.windows(2).all(|p| p[0] < p[1]),
                    "model {} ({k} mediators), {}: terms out of PROCESS order: {:?}",
                    t.model,
                    eq.outcome,
                    eq.terms.iter().map(TermSpec::name).collect::<Vec<_>>()
                );
                assert_eq!(
                    eq.terms[0].factors,
                    ["x"],
                    "model {}: X comes first",
                    t.model
                );
                for term in eq.terms.iter().filter(|t| t.factors.len() > 1) {
                    for drop in 0..term.factors.len() {
                        let mut lower = term.factors.clone();
                        lower.remove(drop);
                        lower.sort();
                        assert!(
                            eq.terms.iter().any(|t| {
                                let mut f = t.factors.clone();
                                f.sort();
                                f == lower
                            }),
                            "model {}: {} lacks the lower-order term of {}",
                            t.model,
                            eq.outcome,
                            term.name()
                        );
                    }
                }
            }
        }
    }
}
