//! cipa's path syntax: parsing, checks with their exact positions and messages, causal order,
//! role inference, and that no input makes the parser panic.

use cipa::spec::syntax::{infer_roles, infer_roles_with, parse_syntax, ParsedSyntax};
use cipa::spec::{Defined, EquationSpec, Expr, SpecError, TermSpec};
use proptest::prelude::*;

const EXAMPLE: &str = "\
# comments with # (also after code on a line)
collab ~ a*ties + size + ties:size
perf ~ cp*ties + b*collab + dist + collab:dist + age   # the outcome
ind := a*b
rel := ind / (ind + cp)
";

fn parse(text: &str) -> ParsedSyntax {
    match parse_syntax("model.txt", text) {
        Ok(p) => p,
        Err(e) => panic!("{text:?} should parse, got:\n{e}"),
    }
}

/// The full error message (`source:line:column: message`, the line, the carets).
fn error(text: &str) -> String {
    match parse_syntax("model.txt", text) {
        Ok(p) => panic!("{text:?} should fail, parsed as {p:?}"),
        Err(e) => e.to_string(),
    }
}

/// `(line, column, message, snippet)` of a syntax error.
fn syntax_error(text: &str) -> (usize, usize, String, String) {
    match parse_syntax("model.txt", text) {
        Err(SpecError::Syntax {
            source_name,
            line,
            column,
            message,
            snippet,
        }) => {
            assert_eq!(source_name, "model.txt");
            (line, column, message, snippet)
        }
        other => panic!("{text:?} should be a syntax error, got {other:?}"),
    }
}

fn term(factors: &[&str], label: Option<&str>) -> TermSpec {
    TermSpec {
        factors: factors.iter().map(|f| f.to_string()).collect(),
        label: label.map(str::to_string),
    }
}

fn label(s: &str) -> Box<Expr> {
    Box::new(Expr::Label(s.to_string()))
}

fn outcomes(p: &ParsedSyntax) -> Vec<&str> {
    p.equations.iter().map(|e| e.outcome.as_str()).collect()
}

fn roles(text: &str) -> Result<(String, String, Vec<String>), SpecError> {
    infer_roles(&parse(text))
}

fn ok_roles(text: &str) -> (String, String, Vec<String>) {
    match roles(text) {
        Ok(r) => r,
        Err(e) => panic!("roles of {text:?}: {e}"),
    }
}

fn roles_error(text: &str) -> String {
    match roles(text) {
        Ok(r) => panic!("roles of {text:?} should fail, got {r:?}"),
        Err(e) => e.to_string(),
    }
}

fn strings(v: &[&str]) -> Vec<String> {
    v.iter().map(|s| s.to_string()).collect()
}

// ---------------------------------------------------------------------------------------------
// Parsing

#[test]
fn the_example_parses_to_equations_labels_and_expressions() {
    let p = parse(EXAMPLE);
    assert_eq!(
        p.equations,
        vec![
            EquationSpec {
                outcome: "collab".into(),
                terms: vec![
                    term(&["ties"], Some("a")),
                    term(&["size"], None),
                    term(&["ties", "size"], None),
                ],
            },
            EquationSpec {
                outcome: "perf".into(),
                terms: vec![
                    term(&["ties"], Some("cp")),
                    term(&["collab"], Some("b")),
                    term(&["dist"], None),
                    term(&["collab", "dist"], None),
                    term(&["age"], None),
                ],
            },
        ]
    );
    assert_eq!(
        p.labels,
        vec![
            ("a".into(), "collab".into(), "ties".into()),
            ("cp".into(), "perf".into(), "ties".into()),
            ("b".into(), "perf".into(), "collab".into()),
        ]
    );
    assert_eq!(
        p.defined,
        vec![
            Defined {
                name: "ind".into(),
                expr: Expr::Mul(label("a"), label("b")),
                text: "a*b".into(),
            },
            Defined {
                name: "rel".into(),
                expr: Expr::Div(label("ind"), Box::new(Expr::Add(label("ind"), label("cp")))),
                text: "ind / (ind + cp)".into(),
            },
        ]
    );
}

#[test]
fn expressions_follow_r_precedence() {
    let p = parse(
        "m ~ a*x\ny ~ b*m + c*x\n\
         p1 := -a^2\n\
         p2 := a^b^2\n\
         p3 := a - b - c\n\
         p4 := 2*a/b\n\
         p5 := (a + b) * -c\n\
         p6 := 1e-3 + .5 * a^-1\n",
    );
    let num = |v: f64| Box::new(Expr::Num(v));
    let exprs: Vec<&Expr> = p.defined.iter().map(|d| &d.expr).collect();
    assert_eq!(
        exprs,
        vec![
            &Expr::Neg(Box::new(Expr::Pow(label("a"), num(2.0)))),
            &Expr::Pow(label("a"), Box::new(Expr::Pow(label("b"), num(2.0)))),
            &Expr::Sub(Box::new(Expr::Sub(label("a"), label("b"))), label("c")),
            &Expr::Div(Box::new(Expr::Mul(num(2.0), label("a"))), label("b")),
            &Expr::Mul(
                Box::new(Expr::Add(label("a"), label("b"))),
                Box::new(Expr::Neg(label("c")))
            ),
            &Expr::Add(
                num(0.001),
                Box::new(Expr::Mul(
                    num(0.5),
                    Box::new(Expr::Pow(label("a"), Box::new(Expr::Neg(num(1.0)))))
                ))
            ),
        ]
    );
}

#[test]
fn continuation_lines_comments_and_crlf() {
    let text = "# a model\r\n\r\n\
                m ~ a*x +   # first stage\r\n\
                \r\n\
                    # a comment between continued lines\r\n\
                    w +\r\n\
                    x:w\r\n\
                y ~ b*m + cp*x\r\n\
                ind := a *\r\n\
                  b\r\n";
    let p = parse(text);
    assert_eq!(
        p.equations.first().map(|e| e.terms.clone()),
        Some(vec![
            term(&["x"], Some("a")),
            term(&["w"], None),
            term(&["x", "w"], None)
        ])
    );
    assert_eq!(outcomes(&p), vec!["m", "y"]);
    assert_eq!(
        p.defined.first().map(|d| (&d.expr, d.text.as_str())),
        Some((&Expr::Mul(label("a"), label("b")), "a * b"))
    );
}

#[test]
fn quoted_names_hold_spaces() {
    let p = parse("\"job sat\" ~ a*\"team size\" + \"team size\":x.1\nq := 2*a");
    assert_eq!(
        p.equations,
        vec![EquationSpec {
            outcome: "job sat".into(),
            terms: vec![
                term(&["team size"], Some("a")),
                term(&["team size", "x.1"], None),
            ],
        }]
    );
}

#[test]
fn names_use_letters_digits_underscores_and_dots() {
    let p = parse("y_2 ~ .x + x.1 + _w + größe");
    assert_eq!(p.equations.first().map(|e| e.terms.len()), Some(4), "{p:?}");
}

#[test]
fn equations_come_in_causal_order() {
    // Written from the outcome back; an unrelated equation keeps its place among ties.
    let p = parse("y ~ m2 + m1 + x\nm2 ~ m1 + x\nz ~ x\nm1 ~ x\n");
    assert_eq!(outcomes(&p), vec!["z", "m1", "m2", "y"]);
    // Product terms count as uses of each factor.
    let p = parse("y ~ x + x:m\nm ~ x\n");
    assert_eq!(outcomes(&p), vec!["m", "y"]);
    // Already in order: unchanged.
    let p = parse("m1 ~ x\nm2 ~ x\ny ~ m1 + m2 + x\n");
    assert_eq!(outcomes(&p), vec!["m1", "m2", "y"]);
    // Independent equations keep the order written.
    let p = parse("b ~ x\na ~ x\n");
    assert_eq!(outcomes(&p), vec!["b", "a"]);
}

#[test]
fn labels_and_definitions_may_come_in_any_order_of_lines() {
    // A definition may use a label from a later line (labels are global), but defined names only
    // from earlier lines.
    let p = parse("ind := a*b\nm ~ a*x\ny ~ b*m\n");
    assert_eq!(p.defined.len(), 1);
}

// ---------------------------------------------------------------------------------------------
// Errors: position, message, snippet

#[test]
fn full_error_messages() {
    assert_eq!(
        error("y ~ x\nm ~ x\ny ~ m"),
        "model.txt:3:1: outcome 'y' has two equations (lines 1 and 3); put all its predictors on \
         one line\ny ~ m\n^"
    );
    assert_eq!(
        error("y ~ m\nm ~ y\n"),
        "model.txt:1:5: the model has a cycle: y -> m -> y; cipa fits recursive path models\n\
         y ~ m\n    ^"
    );
    assert_eq!(
        error("y ~ x + )"),
        "model.txt:1:9: expected a variable name after '+', found ')'\ny ~ x + )\n        ^"
    );
    assert_eq!(
        error("m ~ a*x\ny ~ b*m\nind := a*bb"),
        "model.txt:3:10: unknown label 'bb' (labels and defined quantities so far: a, b); did you \
         mean 'b'?\nind := a*bb\n         ^^"
    );
    assert_eq!(
        error("y ~ a*b*c"),
        "model.txt:1:8: a label takes a single '*' (a*b); to multiply variables write a product \
         term with ':', as in a*b:c\ny ~ a*b*c\n       ^"
    );
    assert_eq!(
        error("f =~ x1 + x2"),
        "model.txt:1:3: '=~' defines a latent variable: this is a latent-variable model: use \
         `cipa sem` (or score constructs first with --construct and fit the scores here)\n\
         f =~ x1 + x2\n  ^^"
    );
}

/// `(text, line, column, part of the message, snippet)`.
const ERRORS: &[(&str, usize, usize, &str, &str)] = &[
    // Structure of a statement.
    (
        "y ~ x\n\ny ~",
        3,
        3,
        "empty right-hand side: 'y ~' needs at least one predictor after '~'",
        "y ~\n  ^",
    ),
    (
        "y ~   # nothing yet",
        1,
        3,
        "empty right-hand side",
        "y ~   # nothing yet\n  ^",
    ),
    (
        "y ~ x +",
        1,
        8,
        "expected a variable name after '+', found the end of the input",
        "y ~ x +\n       ^",
    ),
    (
        "y ~ x + + w",
        1,
        9,
        "expected a variable name after '+', found '+'",
        "y ~ x + + w\n        ^",
    ),
    (
        "y ~ + w",
        1,
        5,
        "expected a variable name after '~', found '+'",
        "y ~ + w\n    ^",
    ),
    (
        "y ~ x w",
        1,
        7,
        "expected '+' or the end of the line after 'x', found 'w'; separate terms with '+'",
        "y ~ x w\n      ^",
    ),
    (
        "y ~ x:",
        1,
        7,
        "expected a variable name after ':', found the end of the input",
        "y ~ x:\n      ^",
    ),
    (
        "  ~ x",
        1,
        3,
        "expected an outcome name before '~'",
        "  ~ x\n  ^",
    ),
    (
        "y",
        1,
        2,
        "expected '~' or ':=' after 'y', found the end of the input",
        "y\n ^",
    ),
    (
        "y = x",
        1,
        3,
        "found '='; write 'y ~ x' for a regression",
        "y = x\n  ^",
    ),
    (
        "y1 + y2 ~ x",
        1,
        4,
        "write one equation per outcome",
        "y1 + y2 ~ x\n   ^",
    ),
    (
        "y ~ x\n  + w",
        2,
        3,
        "to continue the previous line, end it with '+' instead",
        "  + w\n  ^",
    ),
    (
        "y ~ x +\nm ~ x",
        2,
        3,
        "found '~'; write each equation on its own line (line 2 continues the statement begun on \
         line 1, because line 1 ends with an operator)",
        "m ~ x\n  ^",
    ),
    (
        "y ~ x, w",
        1,
        6,
        "cipa's syntax has no commas",
        "y ~ x, w\n     ^",
    ),
    (
        "y ~ x; m ~ x",
        1,
        6,
        "found ';', which cipa's syntax does not use; write one statement per line",
        "y ~ x; m ~ x\n     ^",
    ),
    ("y ~ 'x'", 1, 5, "double quotes", "y ~ 'x'\n    ^"),
    (
        "y ~ \"team size",
        1,
        5,
        "this quoted name has no closing '\"' on its line",
        "y ~ \"team size\n    ^",
    ),
    (
        "y ~ 2x",
        1,
        5,
        "'2x' is neither a number nor a name",
        "y ~ 2x\n    ^^",
    ),
    (
        "y ~ .",
        1,
        5,
        "'.' (all other variables, in R formulas) is not supported; list the predictors",
        "y ~ .\n    ^",
    ),
    // The constant.
    (
        "y ~ 1 + x",
        1,
        5,
        "cipa always estimates a constant, so '1' is not needed; remove it",
        "y ~ 1 + x\n    ^",
    ),
    (
        "y ~ x - 1",
        1,
        7,
        "cipa always estimates a constant; models without one ('- 1') are not supported",
        "y ~ x - 1\n      ^^^",
    ),
    (
        "y ~ -1 + x",
        1,
        5,
        "models without one ('- 1')",
        "y ~ -1 + x\n    ^^",
    ),
    (
        "y ~ 0 + x",
        1,
        5,
        "models without one ('0 + ...')",
        "y ~ 0 + x\n    ^",
    ),
    (
        "y ~ x - w",
        1,
        7,
        "'-' cannot remove a term",
        "y ~ x - w\n      ^",
    ),
    // '*' and ':'.
    (
        "y ~ x + w + x*w",
        1,
        13,
        "'x*w' uses the variable 'x' as a label: in cipa '*' attaches a label to a coefficient \
         (a*w); write a product of variables with ':' (x:w)",
        "y ~ x + w + x*w\n            ^^^",
    ),
    (
        "y ~ x*w + x + w",
        1,
        5,
        "'x*w' uses the variable 'x' as a label",
        "y ~ x*w + x + w\n    ^^^",
    ),
    (
        "m ~ x\ny ~ m + x*w",
        2,
        9,
        "'x*w' uses the variable 'x' as a label",
        "y ~ m + x*w\n        ^^^",
    ),
    (
        "y ~ a*b*c",
        1,
        8,
        "a label takes a single '*' (a*b); to multiply variables write a product term with ':', \
         as in a*b:c",
        "y ~ a*b*c\n       ^",
    ),
    (
        "y ~ x:w*z",
        1,
        8,
        "'*' after the product term 'x:w': a label goes before the term (a*x:w)",
        "y ~ x:w*z\n       ^",
    ),
    (
        "y ~ a**x",
        1,
        7,
        "expected a variable name after '*', found '*'",
        "y ~ a**x\n      ^",
    ),
    (
        "y ~ 0.5*x",
        1,
        5,
        "fixed coefficients ('0.5*') are not supported",
        "y ~ 0.5*x\n    ^^^^",
    ),
    (
        "y ~ x:x",
        1,
        7,
        "'x' appears twice in the product term 'x:x'",
        "y ~ x:x\n      ^",
    ),
    (
        "y ~ x + w + w:x + x:w",
        1,
        19,
        "the term 'x:w' appears twice in the equation for 'y' (as 'w:x')",
        "y ~ x + w + w:x + x:w\n                  ^^^",
    ),
    (
        "y ~ x + a*x",
        1,
        9,
        "the term 'x' appears twice in the equation for 'y'",
        "y ~ x + a*x\n        ^^^",
    ),
    (
        "y ~ log(x)",
        1,
        5,
        "log(...) looks like a function; functions are not supported",
        "y ~ log(x)\n    ^^^^",
    ),
    (
        "y ~ x^4",
        1,
        6,
        "a power in a regression is '^2' or '^3'",
        "y ~ x^4\n     ^^",
    ),
    (
        "y ~ (x + w)",
        1,
        5,
        "parentheses are not used in regressions",
        "y ~ (x + w)\n    ^",
    ),
    // Self-regression, unsupported operators.
    (
        "y ~ x + y",
        1,
        9,
        "'y' is regressed on itself",
        "y ~ x + y\n        ^",
    ),
    (
        "y ~ x + x:y",
        1,
        11,
        "'y' is regressed on itself (in the product term 'x:y')",
        "y ~ x + x:y\n          ^",
    ),
    (
        "y ~ x\ny ~~ x",
        2,
        3,
        "'~~' (variances and covariances) is not supported",
        "y ~~ x\n  ^^",
    ),
    (
        "a == b",
        1,
        3,
        "constraints ('==') are not supported",
        "a == b\n  ^^",
    ),
    (
        "a > 0",
        1,
        3,
        "constraints ('>') are not supported",
        "a > 0\n  ^",
    ),
    // Labels.
    (
        "m ~ a*x\ny ~ a*m + x",
        2,
        5,
        "label 'a' is used for two coefficients ('x' in the equation for 'm' on line 1, and 'm' \
         in the equation for 'y'); equality constraints are not supported: give each \
         coefficient its own label",
        "y ~ a*m + x\n    ^",
    ),
    // Defined quantities.
    (
        "m ~ a*x\ny ~ b*m\nind := a*b\nind := b*a",
        4,
        1,
        "'ind' is already defined on line 3",
        "ind := b*a\n^^^",
    ),
    (
        "m ~ a*x\ny ~ b*m\nb := a",
        3,
        1,
        "'b' is already a coefficient label (line 2)",
        "b := a\n^",
    ),
    (
        "m ~ a*x\ny ~ b*m\nm := a",
        3,
        1,
        "'m' is a variable in the model",
        "m := a\n^",
    ),
    (
        "m ~ a*x\ny ~ b*m\nind := a*c",
        3,
        10,
        "unknown label 'c' (labels and defined quantities so far: a, b)",
        "ind := a*c\n         ^",
    ),
    (
        "m ~ x\ny ~ m\nind := a",
        3,
        8,
        "unknown label 'a': the model has no labels",
        "ind := a\n       ^",
    ),
    (
        "m ~ a*x\ny ~ b*m\nind := a*m",
        3,
        10,
        "'m' is a variable, not a coefficient label; label its coefficient in an equation (as in \
         'a*m')",
        "ind := a*m\n         ^",
    ),
    (
        "m ~ a*x\ny ~ b*m\nind := ind2 + a\nind2 := b",
        3,
        8,
        "'ind2' is defined later (line 4); define it before using it",
        "ind := ind2 + a\n       ^^^^",
    ),
    (
        "m ~ a*x\ny ~ b*m\nind := a*ind",
        3,
        10,
        "'ind' is used in its own definition",
        "ind := a*ind\n         ^^^",
    ),
    (
        "m ~ a*x\ny ~ b*m\nind := (a*b",
        3,
        12,
        "expected ')' to close the '(' at column 8, found the end of the input",
        "ind := (a*b\n           ^",
    ),
    (
        "m ~ a*x\ny ~ b*m\nind := a*b)",
        3,
        11,
        "')' has no matching '('",
        "ind := a*b)\n          ^",
    ),
    (
        "m ~ a*x\ny ~ b*m\nind := a b",
        3,
        10,
        "expected an operator (+ - * / ^) or the end of the line after 'a', found 'b'",
        "ind := a b\n         ^",
    ),
    (
        "m ~ a*x\ny ~ b*m\nind :=",
        3,
        7,
        "expected a number, a label or '(' after ':=', found the end of the input",
        "ind :=\n      ^",
    ),
    (
        "m ~ a*x\ny ~ b*m\nind := a * / b",
        3,
        12,
        "expected a number, a label or '(' after '*', found '/'",
        "ind := a * / b\n           ^",
    ),
    (
        "m ~ a*x\ny ~ b*m\nind := a**2",
        3,
        10,
        "'**' is not an operator; write powers with '^'",
        "ind := a**2\n         ^",
    ),
    (
        "m ~ a*x\ny ~ b*m\nind := exp(a)",
        3,
        8,
        "exp(...) looks like a function",
        "ind := exp(a)\n       ^^^^",
    ),
    (
        "m ~ a*x\ny ~ b*m\nind := a:b",
        3,
        9,
        "':' joins variables in regressions, multiply labels with '*'",
        "ind := a:b\n        ^",
    ),
    (":= a", 1, 1, "expected a name before ':='", ":= a\n^^"),
    // Cycles.
    (
        "y ~ m\nm ~ y",
        1,
        5,
        "the model has a cycle: y -> m -> y; cipa fits recursive path models",
        "y ~ m\n    ^",
    ),
    (
        "z ~ x\nm1 ~ x + m3\nm2 ~ m1\nm3 ~ m2:w\ny ~ m3",
        2,
        10,
        "the model has a cycle: m1 -> m2 -> m3 -> m1",
        "m1 ~ x + m3\n         ^^",
    ),
    // Tabs keep the carets aligned.
    (
        "y ~\tx\t+ 1",
        1,
        9,
        "'1' is not needed",
        "y ~\tx\t+ 1\n   \t \t  ^",
    ),
];

#[test]
fn errors_point_at_the_offending_token() {
    let mut failures = Vec::new();
    for &(text, line, column, message, snippet) in ERRORS {
        let got = syntax_error(text);
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
fn a_label_then_a_new_line_is_reported_on_the_next_line() {
    // `a*` continues onto the next line, where `m ~ x` begins: the '~' is out of place.
    let (line, column, message, _) = syntax_error("y ~ a*\nm ~ x");
    assert_eq!((line, column), (2, 3));
    assert!(
        message.contains("continues the statement begun on line 1"),
        "{message}"
    );
}

#[test]
fn the_first_error_in_the_text_is_reported() {
    // A character the syntax does not use is reported only where the parser reaches it.
    let (line, column, message, _) = syntax_error("y ~ x\nw ~ ~\nz ~ ?");
    assert_eq!((line, column), (2, 5));
    assert!(message.contains("found '~'"), "{message}");
    let (line, column, _, _) = syntax_error("y ~ x ?\nw ~ ~");
    assert_eq!((line, column), (1, 7));
}

#[test]
fn a_text_without_equations_is_invalid() {
    for text in ["", "\n\n", "# nothing here\n   # still nothing"] {
        match parse_syntax("model.txt", text) {
            Err(SpecError::Invalid(m)) => assert_eq!(
                m,
                "model.txt: the model has no equations; write at least one line 'outcome ~ \
                 predictors'"
            ),
            other => panic!("{text:?}: {other:?}"),
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Roles

#[test]
fn roles_of_simple_mediation() {
    assert_eq!(
        ok_roles("m ~ a*x\ny ~ b*m + cp*x\nind := a*b"),
        ("x".into(), "y".into(), strings(&["m"]))
    );
    // Full mediation (no direct path) is fine too.
    assert_eq!(
        ok_roles("y ~ m\nm ~ x"),
        ("x".into(), "y".into(), strings(&["m"]))
    );
}

#[test]
fn roles_of_serial_and_parallel_mediation() {
    assert_eq!(
        ok_roles("y ~ x + m1 + m2\nm2 ~ x + m1\nm1 ~ x\n"),
        ("x".into(), "y".into(), strings(&["m1", "m2"]))
    );
    assert_eq!(
        ok_roles("m1 ~ x\nm2 ~ x\nm3 ~ x\ny ~ x + m1 + m2 + m3"),
        ("x".into(), "y".into(), strings(&["m1", "m2", "m3"]))
    );
}

#[test]
fn roles_of_a_moderated_model_with_covariates() {
    // Second-stage moderation (PROCESS model 14) with covariates in the outcome equation.
    let text = "m ~ a*x\n\
                y ~ cp*x + b*m + w + m:w + age + sex\n\
                imm := b";
    assert_eq!(ok_roles(text), ("x".into(), "y".into(), strings(&["m"])));
    // An outcome that does not lead to Y is not a mediator (with Y named).
    let p = parse("m ~ x\ny ~ x + m + w + x:w\nother ~ x");
    assert_eq!(
        infer_roles_with(&p, None, Some("y")).ok(),
        Some(("x".into(), "y".into(), strings(&["m"])))
    );
}

#[test]
fn first_stage_moderators_and_shared_covariates_are_ambiguous() {
    // In the example, 'size' reaches the mediator as much as 'ties' does.
    assert_eq!(
        roles_error(EXAMPLE),
        "several variables could be X (ties, size): each has a path to every mediator (collab) \
         and through them to 'perf'; name X with --x"
    );
    let p = parse(EXAMPLE);
    assert_eq!(
        infer_roles_with(&p, Some("ties"), None).ok(),
        Some(("ties".into(), "perf".into(), strings(&["collab"])))
    );
    assert!(roles_error("m ~ x + c\ny ~ m + x + c").contains("(x, c)"));
}

#[test]
fn role_errors() {
    assert_eq!(
        roles_error("m ~ x\ny1 ~ m\ny2 ~ m"),
        "the model has several final outcomes (y1, y2), outcomes that predict nothing else; name \
         the focal outcome with --y"
    );
    assert_eq!(
        roles_error("y ~ x + w + x:w"),
        "cannot tell which variable is X: no outcome other than 'y' lies on a path to 'y', so the \
         model has no mediators; name X with --x"
    );
    assert_eq!(
        roles_error("m1 ~ x1\nm2 ~ x2\ny ~ m1 + m2"),
        "cannot tell which variable is X: no variable has a path to every mediator (m1, m2); \
         name X with --x"
    );
    let p = parse("m ~ x\ny ~ m + x + w");
    let given = |x: Option<&str>, y: Option<&str>| match infer_roles_with(&p, x, y) {
        Ok(r) => panic!("{x:?} {y:?}: {r:?}"),
        Err(e) => e.to_string(),
    };
    assert_eq!(
        given(None, Some("q")),
        "Y 'q' is not an outcome of the model (outcomes: m, y)"
    );
    assert_eq!(
        given(Some("m"), None),
        "X 'm' has its own equation; X must be a variable that is not an outcome"
    );
    assert_eq!(
        given(Some("q"), None),
        "X 'q' is not a variable of the model (variables without an equation: x, w)"
    );
    assert_eq!(given(Some("w"), Some("m")), "X 'w' has no path to Y 'm'");
    assert_eq!(
        infer_roles_with(&p, Some("x"), Some("m")).ok(),
        Some(("x".into(), "m".into(), vec![]))
    );
    // A moderation model works once X is named.
    let p = parse("y ~ x + w + x:w");
    assert_eq!(
        infer_roles_with(&p, Some("x"), None).ok(),
        Some(("x".into(), "y".into(), vec![]))
    );
}

// ---------------------------------------------------------------------------------------------
// No input panics

const PROGRAMS: &[&str] = &[
    EXAMPLE,
    "m1 ~ a1*x + c\nm2 ~ d*m1 + a2*x +\n  c\ny ~ b1*m1 + b2*m2 + cp*x + c\n\
     ser := a1*d*b2\ntot := ser + a1*b1 + a2*b2 + cp\n",
    "\"job sat\" ~ a*\"team size\" + w + \"team size\":w # c\nq := -a^2/(1 + a)^-0.5\n",
    "y ~ x\t+ 1\n  f =~ a\nq := ((a)\n\"x\ny ~ 2x + 'z' ; \u{feff}größe",
];

/// Parsing returns, and a syntax error points inside the text.
fn check_no_panic(text: &str) {
    match parse_syntax("p", text) {
        Ok(p) => {
            // Causal order: each equation after the equations of its predictors.
            for (k, e) in p.equations.iter().enumerate() {
                for f in e.terms.iter().flat_map(|t| t.factors.iter()) {
                    if let Some(j) = p.equations.iter().position(|o| &o.outcome == f) {
                        assert!(j < k, "{text:?}: {f} comes after {}", e.outcome);
                    }
                }
            }
            let _ = infer_roles(&p);
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
fn every_prefix_and_small_edit_of_valid_programs_returns() {
    let inserts = [
        '~', '*', ':', '+', '-', '(', ')', '^', '/', '=', '"', '#', '\n', '1', 'x', ' ', '.',
    ];
    for program in PROGRAMS {
        let chars: Vec<char> = program.chars().collect();
        for cut in 0..=chars.len() {
            let prefix: String = chars.iter().take(cut).collect();
            check_no_panic(&prefix);
            let suffix: String = chars.iter().skip(cut).collect();
            check_no_panic(&suffix);
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
                edited.push_str(&suffix);
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
                "y", "m", "x", "w", "a", "b", "ind", "~", ":=", "+", "-", "*", "/", "^", ":",
                "(", ")", "1", "0", "2.5", "\n", "# c\n", "=~", "~~", "\"q r\"", "=", ",",
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
fn large_models_are_handled_without_quadratic_blowups() {
    // A chain of mediators written from the outcome back, and one very wide equation.
    let n = 3000;
    let mut text = String::new();
    for k in (2..=n).rev() {
        text.push_str(&format!("m{k} ~ m{}\n", k - 1));
    }
    text.push_str("m1 ~ x\n");
    let p = parse(&text);
    assert_eq!(p.equations.first().map(|e| e.outcome.as_str()), Some("m1"));
    assert_eq!(
        p.equations.last().map(|e| e.outcome.clone()),
        Some(format!("m{n}"))
    );
    let (x, y, mediators) = ok_roles(&text);
    assert_eq!((x.as_str(), y), ("x", format!("m{n}")));
    assert_eq!(mediators.len(), n - 1);

    let terms: Vec<String> = (0..20000).map(|k| format!("b{k}*x{k}")).collect();
    let p = parse(&format!("y ~ {}\nq := b0 + b19999", terms.join(" + ")));
    assert_eq!(p.labels.len(), 20000);
}
