//! lavaan's model syntax (the SEM dialect of cipa's parser, `parse_flat`): every golden case's
//! model and lavaan's tutorial models parse into the flat rows lavaan lists; each operator and
//! modifier; each error with its position and carets; `fit --spec` sending SEM syntax to `cipa
//! sem`; and no input makes the parser panic.

use std::path::Path;

use cipa::spec::flat::{ConstraintOp, FlatModel, Modifier, RelOp, Relation};
use cipa::spec::syntax::{parse_flat, parse_syntax};
use cipa::spec::{Expr, Func, SpecError};
use proptest::prelude::*;

use crate::common::crate_root;

fn flat(text: &str) -> FlatModel {
    match parse_flat("model.lav", text) {
        Ok(m) => m,
        Err(e) => panic!("{text:?} should parse, got:\n{e}"),
    }
}

/// `lhs op rhs` of every relation (rhs joined with ':'; `~1` for intercepts).
fn rows(m: &FlatModel) -> Vec<String> {
    m.relations
        .iter()
        .map(|r| format!("{} {} {}", r.lhs, r.op.symbol(), r.rhs.join(":")))
        .map(|s| s.trim_end().to_string())
        .collect()
}

fn relation<'a>(m: &'a FlatModel, lhs: &str, op: RelOp, rhs: &str) -> &'a Relation {
    m.relations
        .iter()
        .find(|r| r.lhs == lhs && r.op == op && r.rhs.join(":") == rhs)
        .unwrap_or_else(|| panic!("no {lhs} {} {rhs} in {:?}", op.symbol(), rows(m)))
}

fn labels(v: &[&str]) -> Vec<Option<String>> {
    v.iter()
        .map(|s| (!s.is_empty()).then(|| s.to_string()))
        .collect()
}

/// `(line, column, message, snippet)` of a syntax error from `parse_flat`.
fn sem_error(text: &str) -> (usize, usize, String, String) {
    match parse_flat("model.lav", text) {
        Err(SpecError::Syntax {
            line,
            column,
            message,
            snippet,
            ..
        }) => (line, column, message, snippet),
        other => panic!("{text:?} should be a syntax error, got {other:?}"),
    }
}

// ---------------------------------------------------------------------------------------------
// Models that must parse.

/// Every golden case's model (tests/golden/sem_*/**/expected.json, written by make.R): it parses,
/// and each flat row is a row of lavaan's parameter table with the same label.
#[test]
fn every_golden_model_parses_to_rows_lavaan_lists() {
    let mut cases = Vec::new();
    collect_expected(&crate_root().join("tests/golden"), &mut cases);
    let cases: Vec<_> = cases
        .into_iter()
        .filter(|p| p.to_string_lossy().contains("/sem_"))
        .collect();
    assert!(cases.len() >= 7, "golden SEM cases: {cases:?}");
    for path in cases {
        let text = std::fs::read_to_string(&path).expect("read expected.json");
        let v: serde_json::Value = serde_json::from_str(&text).expect("expected.json is JSON");
        let model = v["model"].as_str().expect("a model");
        let m = flat(model);
        // Goldens of derived quantities (e.g. reliability per group) carry the model without
        // lavaan's parameter table: for them parsing is the check.
        let Some(params) = v["parameters"].as_array() else {
            continue;
        };
        for r in &m.relations {
            let rhs = r.rhs.join(":");
            // lavaan lists a covariance with the variable it orders first on the left
            // (lav_partable_covariance_reorder); cipa's parameter table does that, not the parser.
            let row = params.iter().find(|p| {
                let same = p["lhs"] == r.lhs.as_str() && p["rhs"] == rhs.as_str();
                let swapped =
                    r.op.symbol() == "~~" && p["lhs"] == rhs.as_str() && p["rhs"] == r.lhs.as_str();
                p["op"] == r.op.symbol() && (same || swapped)
            });
            let row = row.unwrap_or_else(|| {
                panic!(
                    "{}: {} {} {rhs} is not in lavaan's table",
                    path.display(),
                    r.lhs,
                    r.op.symbol()
                )
            });
            let label = r
                .modifier
                .labels
                .first()
                .cloned()
                .flatten()
                .unwrap_or_default();
            // group.equal gives rows lavaan's own labels (".p2."), not the syntax's.
            let lavaan_label = row["label"].as_str().unwrap_or_default();
            if !lavaan_label.starts_with('.') {
                assert_eq!(lavaan_label, label, "{}: {} {rhs}", path.display(), r.lhs);
            }
        }
        let defs: Vec<&str> = m.defined.iter().map(|d| d.name.as_str()).collect();
        for d in &defs {
            assert!(
                params.iter().any(|p| p["lhs"] == *d && p["op"] == ":="),
                "{}: {d}",
                path.display()
            );
        }
    }
}

fn collect_expected(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for e in entries.flatten() {
        let p = e.path();
        if p.is_dir() {
            collect_expected(&p, out);
        } else if p.file_name().is_some_and(|n| n == "expected.json") {
            out.push(p);
        }
    }
}

/// lavaan's tutorial (lavaan.ugent.be/tutorial): the models as the tutorial writes them.
const TUTORIAL: &[(&str, usize)] = &[
    (
        // CFA
        "# three-factor model
    visual =~ x1 + x2 + x3
    textual =~ x4 + x5 + x6
    speed   =~ x7 + x8 + x9",
        9,
    ),
    (
        // SEM, PoliticalDemocracy
        "
  # measurement model
    ind60 =~ x1 + x2 + x3
    dem60 =~ y1 + y2 + y3 + y4
    dem65 =~ y5 + y6 + y7 + y8
  # regressions
    dem60 ~ ind60
    dem65 ~ ind60 + dem60
  # residual correlations
    y1 ~~ y5
    y2 ~~ y4 + y6
    y3 ~~ y7
    y4 ~~ y8
    y6 ~~ y8
",
        20,
    ),
    (
        // More about the syntax: fixing, freeing, start values, equality.
        "visual  =~ x1 + start(0.8)*x2 + start(1.2)*x3
 textual =~ x4 + start(0.5)*x5 + start(1.0)*x6
 speed   =~ x7 + start(0.7)*x8 + start(1.8)*x9
 visual ~~ 1*visual
 textual ~~ 0*speed",
        11,
    ),
    (
        "visual  =~ x1 + v2*x2 + v2*x3
 textual =~ x4 + x5 + x6
 speed   =~ x7 + x8 + x9
 visual ~~ textual
 textual =~ equal(\"visual=~x2\")*x7",
        11,
    ),
    (
        // Orthogonal factors, std.lv written out.
        "visual  =~ NA*x1 + x2 + x3
 textual =~ NA*x4 + x5 + x6
 speed   =~ NA*x7 + x8 + x9
 visual ~~ 1*visual
 textual ~~ 1*textual
 speed ~~ 1*speed
 visual ~~ 0*textual + 0*speed
 textual ~~ 0*speed",
        9 + 3 + 3,
    ),
    (
        // Constraints.
        " # model with labeled parameters
                    y ~ b1*x1 + b2*x2 + b3*x3
                  # constraints
                    b1 == (b2 + b3)^2
                    b1 > exp(b2 + b3) ",
        3,
    ),
    (
        // Mean structures.
        "visual  =~ x1 + x2 + x3
 textual =~ x4 + x5 + x6
 speed   =~ x7 + x8 + x9
 # intercepts with fixed values
 x1 + x2 + x3 + x4 ~ 0.5*1",
        13,
    ),
    (
        // Multiple groups.
        "visual  =~ x1 + 0.5*x2 + c(0.6, 0.8)*x3
 textual =~ x4 + start(c(1.2, 0.6))*x5 + a*x6
 speed   =~ x7 + x8 + c(x9a, x9b)*x9 ",
        9,
    ),
    (
        // Growth curve.
        "i =~ 1*t1 + 1*t2 + 1*t3 + 1*t4
 s =~ 0*t1 + 1*t2 + 2*t3 + 3*t4
 # regressions
 i ~ x1 + x2
 s ~ x1 + x2
 # time-varying covariates
 t1 ~ c1
 t2 ~ c2
 t3 ~ c3
 t4 ~ c4",
        16,
    ),
    (
        // Mediation.
        " # direct effect
             Y ~ c*X
           # mediator
             M ~ a*X
             Y ~ b*M
           # indirect effect (a*b)
             ab := a*b
           # total effect
             total := c + (a*b)
         ",
        3,
    ),
    (
        // Multiple left-hand names, ';' and '!' comments, lavaan's continuation lines.
        "f1 =~ y1 + y2 + y3; f2 =~ y4 + y5 + y6 ! two factors
 y1 + y2 ~ f2 + x1
 f2 =~ y7
    + y8
 f1 ~~ f2",
        6 + 4 + 2 + 1,
    ),
];

#[test]
fn lavaan_tutorial_models_parse() {
    for (text, n) in TUTORIAL {
        let m = flat(text);
        assert_eq!(m.relations.len(), *n, "{text}\n{:?}", rows(&m));
    }
}

#[test]
fn poldem_rows_in_lavaan_order() {
    let m = flat(TUTORIAL[1].0);
    assert_eq!(
        rows(&m),
        [
            "ind60 =~ x1",
            "ind60 =~ x2",
            "ind60 =~ x3",
            "dem60 =~ y1",
            "dem60 =~ y2",
            "dem60 =~ y3",
            "dem60 =~ y4",
            "dem65 =~ y5",
            "dem65 =~ y6",
            "dem65 =~ y7",
            "dem65 =~ y8",
            "dem60 ~ ind60",
            "dem65 ~ ind60",
            "dem65 ~ dem60",
            "y1 ~~ y5",
            "y2 ~~ y4",
            "y2 ~~ y6",
            "y3 ~~ y7",
            "y4 ~~ y8",
            "y6 ~~ y8",
        ]
    );
    let r = relation(&m, "dem65", RelOp::Regress, "dem60");
    assert_eq!(r.modifier, Modifier::default());
    // Positions: the term and the left-hand name.
    assert_eq!((r.pos.line, r.pos.col, r.pos.len), (8, 21, 5));
    assert_eq!((r.lhs_pos.line, r.lhs_pos.col, r.lhs_pos.len), (8, 5, 5));
}

// ---------------------------------------------------------------------------------------------
// Each operator and modifier.

#[test]
fn operators() {
    let m = flat("f =~ x1 + x2\ny ~ f + x3:x4\ny ~~ x3\nx3 ~~ x3\ny ~ 1");
    assert_eq!(
        rows(&m),
        [
            "f =~ x1",
            "f =~ x2",
            "y ~ f",
            "y ~ x3:x4",
            "y ~~ x3",
            "x3 ~~ x3",
            "y ~1"
        ]
    );
    assert_eq!(relation(&m, "y", RelOp::Regress, "x3:x4").rhs, ["x3", "x4"]);
    assert_eq!(
        relation(&m, "y", RelOp::Intercept, "").rhs,
        Vec::<String>::new()
    );
    // `~ 1` within a regression, `~ 0` (intercept fixed at zero), `0*1`, `a*1`.
    let m = flat("y ~ 1 + x\nz ~ 0 + x\nw ~ 0*1\nv ~ a*1 + c(1, NA)*x");
    assert_eq!(
        rows(&m),
        ["y ~1", "y ~ x", "z ~1", "z ~ x", "w ~1", "v ~1", "v ~ x"]
    );
    assert_eq!(
        relation(&m, "z", RelOp::Intercept, "").modifier.fixed,
        [Some(0.0)]
    );
    assert_eq!(
        relation(&m, "w", RelOp::Intercept, "").modifier.fixed,
        [Some(0.0)]
    );
    assert_eq!(
        relation(&m, "v", RelOp::Intercept, "").modifier.labels,
        labels(&["a"])
    );
    assert_eq!(
        relation(&m, "v", RelOp::Regress, "x").modifier.fixed,
        [Some(1.0), None]
    );
}

#[test]
fn several_names_on_the_left() {
    let m = flat("y1 + y2 ~ a*x1 + x2");
    assert_eq!(rows(&m), ["y1 ~ x1", "y1 ~ x2", "y2 ~ x1", "y2 ~ x2"]);
    // One label on both rows: the two coefficients are equal.
    assert_eq!(
        relation(&m, "y2", RelOp::Regress, "x1").modifier.labels,
        labels(&["a"])
    );
    let m = flat("x1 + x2 ~~ x3");
    assert_eq!(rows(&m), ["x1 ~~ x3", "x2 ~~ x3"]);
}

#[test]
fn modifiers() {
    let m = flat(
        "f =~ 1*x1 + NA*x2 + a*x3 + start(0.5)*x4 + c(l1, l2)*x5 + c(1, NA)*x6 + -0.5*x7 + \
         label(\"q\")*x8 + equal(\"q\")*x9 + c(NA, NA)*x10 + start(c(1, 2))*x11 + \
         c(\"m1\", NA)*x12 + 2.5e-1*x13",
    );
    let get = |v: &str| relation(&m, "f", RelOp::Measure, v).modifier.clone();
    assert_eq!(get("x1").fixed, [Some(1.0)]);
    assert_eq!(get("x2").fixed, [None]);
    assert_eq!(get("x3").labels, labels(&["a"]));
    assert_eq!(get("x4").start, [0.5]);
    assert_eq!(get("x5").labels, labels(&["l1", "l2"]));
    assert_eq!(get("x6").fixed, [Some(1.0), None]);
    assert_eq!(get("x7").fixed, [Some(-0.5)]);
    assert_eq!(get("x8").labels, labels(&["q"]));
    assert_eq!(get("x9").labels, labels(&["q"]));
    assert_eq!(get("x10").fixed, [None, None]);
    assert_eq!(get("x11").start, [1.0, 2.0]);
    assert_eq!(get("x12").labels, labels(&["m1", ""]));
    assert_eq!(get("x13").fixed, [Some(0.25)]);
    assert_eq!(get("x1").labels, Vec::<Option<String>>::new());
}

#[test]
fn modifiers_chain_or_repeat_within_a_statement() {
    let m = flat("f =~ x1 + start(0.7)*a*x2 + b*x3 + start(2)*x3 + NA*x1");
    let x1 = relation(&m, "f", RelOp::Measure, "x1");
    assert_eq!(x1.modifier.fixed, [None]);
    let x2 = &relation(&m, "f", RelOp::Measure, "x2").modifier;
    assert_eq!(
        (x2.start.clone(), x2.labels.clone()),
        (vec![0.7], labels(&["a"]))
    );
    let x3 = &relation(&m, "f", RelOp::Measure, "x3").modifier;
    assert_eq!(
        (x3.start.clone(), x3.labels.clone()),
        (vec![2.0], labels(&["b"]))
    );
    assert_eq!(m.relations.len(), 3);
    // The merged row keeps the first term's position.
    assert_eq!(x1.pos.col, 6);
}

#[test]
fn equality_by_shared_label_defined_parameters_and_constraints() {
    let m = flat(
        "f1 =~ x1 + a*x2 + b*x3\nf2 =~ x4 + a*x5 + b*x6\nf2 ~ g*f1\nd := a - b\n\
         e := d^2/(1 + g)\na == 2*b + 1\nb < 0.5 * g; g > abs(a)\nd >= -1",
    );
    let a: Vec<&str> = m
        .relations
        .iter()
        .filter(|r| r.modifier.labels == labels(&["a"]))
        .map(|r| r.rhs[0].as_str())
        .collect();
    assert_eq!(a, ["x2", "x5"]);
    assert_eq!(m.defined.len(), 2);
    assert_eq!(m.defined[1].text, "d^2/(1 + g)");
    assert_eq!((m.defined[1].pos.line, m.defined[1].pos.col), (5, 1));
    let ops: Vec<ConstraintOp> = m.constraints.iter().map(|c| c.op).collect();
    assert_eq!(
        ops,
        [
            ConstraintOp::Equal,
            ConstraintOp::Less,
            ConstraintOp::Greater,
            ConstraintOp::Greater
        ]
    );
    let c = &m.constraints[0];
    assert_eq!(c.lhs, Expr::Label("a".into()));
    assert_eq!(
        c.rhs,
        Expr::Add(
            Box::new(Expr::Mul(
                Box::new(Expr::Num(2.0)),
                Box::new(Expr::Label("b".into()))
            )),
            Box::new(Expr::Num(1.0))
        )
    );
    assert_eq!(c.text, "a == 2*b + 1");
    assert_eq!((c.pos.line, c.pos.col, c.pos.len), (6, 1, 12));
    assert_eq!(
        m.constraints[2].rhs,
        Expr::Call(Func::Abs, Box::new(Expr::Label("a".into())))
    );
    assert_eq!(m.constraints[2].text, "g > abs(a)");
}

#[test]
fn comments_semicolons_and_continuation() {
    let a = flat("f =~ x1 + x2 + x3 # c\ny ~ f ! also a comment\n");
    let b = flat("f =~ x1 +\n  x2\n   + x3; y ~ f");
    let c = flat("f =~ x1\n\n# c\n  + x2 +\n\n x3\r\ny ~\n f");
    assert_eq!(rows(&a), rows(&b));
    assert_eq!(rows(&a), rows(&c));
    // Quoted names and names with dots.
    let m = flat("\"my factor\" =~ x.1 + \"item 2\" + x_3");
    assert_eq!(
        rows(&m),
        [
            "my factor =~ x.1",
            "my factor =~ item 2",
            "my factor =~ x_3"
        ]
    );
}

// ---------------------------------------------------------------------------------------------
// Errors, with positions and carets.

const ERRORS: &[(&str, usize, usize, &str, &str)] = &[
    (
        "f =~",
        1,
        3,
        "empty right-hand side: '=~' needs at least one term",
        "f =~\n  ^^",
    ),
    (
        "f =~ x1 x2",
        1,
        9,
        "found 'x2'; separate terms with '+'",
        "f =~ x1 x2\n        ^^",
    ),
    (
        "f =~ x1 - x2",
        1,
        9,
        "'-' cannot remove a term",
        "f =~ x1 - x2\n        ^",
    ),
    (
        "f =~ f + x1",
        1,
        6,
        "latent variable 'f' is measured by itself",
        "f =~ f + x1\n     ^",
    ),
    ("y ~ y", 1, 5, "'y' is regressed on itself", "y ~ y\n    ^"),
    (
        "f =~ x1:x2",
        1,
        8,
        "product terms ('x:w') are only allowed on the right of '~'",
        "f =~ x1:x2\n       ^",
    ),
    (
        "y ~ x:x",
        1,
        7,
        "'x' appears twice in the product term 'x:x'",
        "y ~ x:x\n      ^",
    ),
    (
        "f =~ 2",
        1,
        6,
        "expected a variable name after '=~', found '2'",
        "f =~ 2\n     ^",
    ),
    (
        "y ~ 2",
        1,
        5,
        "expected a variable name, or 1 for the intercept",
        "y ~ 2\n    ^",
    ),
    (
        "y ~~ 1",
        1,
        6,
        "expected a variable name after '~~', found '1'",
        "y ~~ 1\n     ^",
    ),
    (
        "y ~ a*x*z",
        1,
        7,
        "this term already has labels",
        "y ~ a*x*z\n      ^",
    ),
    (
        "y ~ x:w*z",
        1,
        8,
        "'*' after 'x:w': a modifier goes before the variable",
        "y ~ x:w*z\n       ^",
    ),
    (
        "y ~ x^2",
        1,
        6,
        "powers are not supported",
        "y ~ x^2\n     ^",
    ),
    (
        "f =~ a*b*x1",
        1,
        8,
        "this term already has labels; for one label per group write c(a1, a2)*x",
        "f =~ a*b*x1\n       ^",
    ),
    (
        "f =~ 1*NA*x1",
        1,
        8,
        "this term already has fixed values",
        "f =~ 1*NA*x1\n       ^^",
    ),
    (
        "f =~ a*x1 + b*x1",
        1,
        13,
        "'x1' appears twice in this statement, both times with a label",
        "f =~ a*x1 + b*x1\n            ^^^^",
    ),
    (
        "f =~ x1 + x2\nf =~ x2",
        2,
        6,
        "'f =~ x2' is already in the model (on line 1)",
        "f =~ x2\n     ^^",
    ),
    (
        "a ~~ b\nb ~~ a",
        2,
        6,
        "'b ~~ a' is already in the model (on line 1)",
        "b ~~ a\n     ^",
    ),
    (
        "f =~ start(a)*x1",
        1,
        12,
        "start() takes numbers",
        "f =~ start(a)*x1\n           ^",
    ),
    (
        "f =~ c(a, 1)*x1",
        1,
        11,
        "c() holds either labels",
        "f =~ c(a, 1)*x1\n          ^",
    ),
    (
        "f =~ label(1)*x1",
        1,
        12,
        "label() takes labels",
        "f =~ label(1)*x1\n           ^",
    ),
    (
        "f =~ lower(0)*x1",
        1,
        6,
        "bounds (lower(), upper()) are not supported",
        "f =~ lower(0)*x1\n     ^^^^^^",
    ),
    (
        "f =~ foo(1)*x1",
        1,
        6,
        "unknown modifier 'foo(...)'",
        "f =~ foo(1)*x1\n     ^^^^",
    ),
    (
        "f =~ start(1) + x1",
        1,
        15,
        "expected '*' and a variable after the modifier 'start(1)'",
        "f =~ start(1) + x1\n              ^",
    ),
    (
        "f =~ c(1, 2",
        1,
        12,
        "expected ',' or ')' in c(...), found the end of the input",
        "f =~ c(1, 2\n           ^",
    ),
    (
        "f =~ c()*x1",
        1,
        8,
        "expected a number, NA or a label in c(...), found ')'",
        "f =~ c()*x1\n       ^",
    ),
    (
        "f =~ NA + x1",
        1,
        6,
        "'NA' is not a variable name",
        "f =~ NA + x1\n     ^^",
    ),
    (
        "f =~ x1 + x2\nf ~ x1*w",
        2,
        5,
        "the label 'x1' is also a variable in the model",
        "f ~ x1*w\n    ^^",
    ),
    (
        "y ~ a*x\nd := a*q",
        2,
        8,
        "unknown label 'q'",
        "d := a*q\n       ^",
    ),
    // `d := a*x` naming the variable x is a := probed at x's values (tests/suite/sem_condind.rs).
    (
        "y ~ a*x\na := 2",
        2,
        1,
        "'a' is already a coefficient label",
        "a := 2\n^",
    ),
    (
        "y ~ a*x\na == q",
        2,
        6,
        "unknown label 'q'",
        "a == q\n     ^",
    ),
    (
        "y ~ a*x\na == foo(a)",
        2,
        6,
        "unknown function 'foo(...)'",
        "a == foo(a)\n     ^^^^",
    ),
    (
        "y ~ a*x\na == b == c",
        2,
        8,
        "expected an operator",
        "a == b == c\n       ^^",
    ),
    (
        "y ~ a*x\nx1 + x2 := a",
        2,
        9,
        "a defined parameter has one name before ':='",
        "x1 + x2 := a\n        ^^",
    ),
    (
        "f <~ x1 + x2",
        1,
        3,
        "'<~' (formative composites) is not supported",
        "f <~ x1 + x2\n  ^^",
    ),
    ("y | t1 + t2", 1, 3, "found '|'", "y | t1 + t2\n  ^"),
    (
        "f =~ x1\ngroup: 1\nf =~ x2",
        2,
        6,
        "blocks ('group':) are not supported",
        "group: 1\n     ^",
    ),
    (
        "efa(\"b\")*f1 =~ x1",
        1,
        1,
        "efa() blocks",
        "efa(\"b\")*f1 =~ x1\n^^^^",
    ),
    (
        "x1 x2 =~ f",
        1,
        4,
        "expected '=~', '~', '~~', ':=', '==', '<' or '>' after 'x1'",
        "x1 x2 =~ f\n   ^^",
    ),
    (
        "+ x1 =~ f",
        1,
        1,
        "expected a variable name at the start of the line, found '+'",
        "+ x1 =~ f\n^",
    ),
    (
        "=~ x1",
        1,
        1,
        "expected a variable name before '=~'",
        "=~ x1\n^^",
    ),
    (
        "f =~ x1 + \"a\nb\"",
        1,
        11,
        "no closing '\"'",
        "f =~ x1 + \"a\n          ^",
    ),
    (
        "f =~ x1 +\ng =~ x2",
        2,
        3,
        "line 2 continues the statement begun on line 1",
        "g =~ x2\n  ^^",
    ),
];

#[test]
fn errors_point_at_the_offending_token() {
    let mut failures = Vec::new();
    for &(text, line, column, message, snippet) in ERRORS {
        let got = sem_error(text);
        let ok = got.0 == line && got.1 == column && got.2.contains(message) && got.3 == snippet;
        if !ok {
            failures.push(format!(
                "{text:?}\n  want {line}:{column} {message:?}\n{snippet}\n  got  {}:{} {:?}\n{}",
                got.0, got.1, got.2, got.3
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

#[test]
fn a_text_without_relations_is_invalid() {
    for text in ["", "# only a comment\n", "d := 1 + 2"] {
        match parse_flat("m", text) {
            Err(SpecError::Invalid(m)) => assert!(m.contains("no relations"), "{m}"),
            other => panic!("{text:?}: {other:?}"),
        }
    }
}

/// `fit --spec` parses with the same parser and sends lavaan-only syntax to `cipa sem`.
#[test]
fn fit_spec_says_use_cipa_sem() {
    let cases: &[(&str, usize, usize, &str, &str)] = &[
        (
            "f =~ x1 + x2",
            1,
            3,
            "this is a latent-variable model: use `cipa sem`",
            "f =~ x1 + x2\n  ^^",
        ),
        ("y ~ x\nx ~~ w", 2, 3, "`cipa sem`", "x ~~ w\n  ^^"),
        (
            "y ~ a*x\na == 1",
            2,
            3,
            "constraints ('==') are not supported by `cipa fit`; fit the model with `cipa sem`",
            "a == 1\n  ^^",
        ),
        (
            "y ~ 1*x",
            1,
            5,
            "fixed coefficients ('1*') are not supported by `cipa fit`",
            "y ~ 1*x\n    ^^",
        ),
        (
            "y ~ NA*x",
            1,
            5,
            "'NA*' frees a fixed parameter",
            "y ~ NA*x\n    ^^^",
        ),
        (
            "y ~ start(1)*x",
            1,
            5,
            "'start(...)' is a modifier of lavaan's syntax",
            "y ~ start(1)*x\n    ^^^^^^",
        ),
        ("y ~ c(a, b)*x", 1, 5, "`cipa sem`", "y ~ c(a, b)*x\n    ^^"),
        (
            "m ~ a*x\ny ~ a*m",
            2,
            5,
            "where a shared label makes coefficients equal",
            "y ~ a*m\n    ^",
        ),
    ];
    for &(text, line, column, message, snippet) in cases {
        match parse_syntax("model.txt", text) {
            Err(SpecError::Syntax {
                line: l,
                column: c,
                message: m,
                snippet: s,
                ..
            }) => assert!(
                l == line && c == column && m.contains(message) && s == snippet,
                "{text:?}: got {l}:{c} {m}\n{s}"
            ),
            other => panic!("{text:?}: {other:?}"),
        }
    }
    // The observed-path subset parses in both dialects to the same relations.
    let text = "m ~ a*x + w + x:w\ny ~ b*m + cp*x\nind := a*b";
    let p = parse_syntax("t", text).expect("path");
    let f = flat(text);
    let from_path: usize = p.equations.iter().map(|e| e.terms.len()).sum();
    assert_eq!(from_path, f.relations.len());
    assert_eq!(f.defined.len(), p.defined.len());
}

// ---------------------------------------------------------------------------------------------
// No input panics.

fn check_no_panic(text: &str) {
    match parse_flat("p", text) {
        Ok(m) => {
            for r in &m.relations {
                assert!(r.pos.line >= 1 && r.lhs_pos.line >= 1, "{text:?}");
            }
        }
        Err(SpecError::Syntax {
            line,
            column,
            snippet,
            ..
        }) => {
            let lines = text.split('\n').count();
            assert!(
                line >= 1 && line <= lines,
                "{text:?}: line {line} of {lines}"
            );
            assert!(column >= 1, "{text:?}");
            assert!(snippet.contains('^'), "{text:?}");
        }
        Err(_) => {}
    }
}

#[test]
fn every_prefix_and_small_edit_of_tutorial_models_returns() {
    let inserts = [
        '~', '*', ':', '+', '(', ')', ',', '=', '"', '#', '\n', ';', '1', 'N', 'A',
    ];
    for (program, _) in TUTORIAL.iter().take(4) {
        let chars: Vec<char> = program.chars().collect();
        for cut in 0..=chars.len() {
            let prefix: String = chars.iter().take(cut).collect();
            check_no_panic(&prefix);
            let deleted: String = chars
                .iter()
                .enumerate()
                .filter(|(i, _)| *i != cut)
                .map(|(_, c)| *c)
                .collect();
            check_no_panic(&deleted);
            for c in inserts {
                let mut edited = prefix.clone();
                edited.push(c);
                edited.extend(chars.iter().skip(cut));
                check_no_panic(&edited);
            }
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn random_printable_text_never_panics(text in "[ -~\t\n\u{e4}\u{feff}]{0,120}") {
        check_no_panic(&text);
    }

    #[test]
    fn random_token_soup_never_panics(
        tokens in proptest::collection::vec(
            prop::sample::select(vec![
                "y", "f", "x", "a", "NA", "start", "c", "label", "exp", "~", "=~", "~~", ":=",
                "==", "<", ">", "+", "-", "*", "/", "^", ":", "(", ")", ",", ";", "1", "0",
                "2.5", "\n", "# c\n", "! c\n", "\"q r\"", "=",
            ]),
            0..40,
        ),
        spaces in proptest::collection::vec(any::<bool>(), 40),
    ) {
        let mut text = String::new();
        for (t, s) in tokens.iter().zip(spaces.iter().chain(std::iter::repeat(&false))) {
            text.push_str(t);
            if *s {
                text.push(' ');
            }
        }
        check_no_panic(&text);
    }
}

#[test]
fn long_texts_parse_in_linear_time() {
    // Blank lines between a statement and its continuation, and a very wide measurement.
    let text = format!("f =~ x0{}+ x1\ny ~ f", "\n".repeat(200_000));
    assert_eq!(flat(&text).relations.len(), 3);
    let items: Vec<String> = (0..20_000).map(|k| format!("l{k}*x{k}")).collect();
    let m = flat(&format!("f =~ {}\nd := l0 + l19999", items.join(" + ")));
    assert_eq!(m.relations.len(), 20_000);
}
