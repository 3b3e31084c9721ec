//! The design language's quadratic path (issue 15): `"x^2"` in an equation's terms generates an
//! inverted U whose turning point the fitted quadratic recovers, the truth says why a and b are
//! slopes at zero, and a malformed power is refused.

use cipa::effects::quadratic_tests;
use cipa::estimation::Regression;
use cipa::inference::CovType;
use cipa::simulate::{generate, truth, Design};

use crate::common::crate_root;

fn inverted_u() -> Design {
    let path = crate_root().join("designs/inverted_u.toml");
    let text = std::fs::read_to_string(&path).expect("the design is shipped");
    Design::parse("designs/inverted_u.toml", &text).expect("the design parses")
}

#[test]
fn a_squared_path_generates_its_turning_point() {
    let d = inverted_u();
    let data = generate(&d, 20_000, 5).unwrap().to_dataset("sim").unwrap();
    let fit = Regression::new("cooperation", &["log_employees", "log_employees^2"])
        .fit_ols(&data, CovType::Ols)
        .unwrap();
    let q = quadratic_tests(&fit, "log_employees", None).unwrap();
    let tp = q.turning_point.expect("a turning point");
    // True x* = 1.6 / (2 · 0.25) = 3.2.
    assert!((tp.x - 3.2).abs() < 3.5 * tp.se, "{} (se {})", tp.x, tp.se);
    assert!((q.b2 + 0.25).abs() < 0.02, "b2 = {}", q.b2);
    let t = truth(&d, 20_000, 5, 0).unwrap();
    let ind = t
        .indirect_effects
        .iter()
        .find(|i| i.x == "log_employees" && i.y == "export_intensity")
        .expect("the indirect path");
    assert!(
        ind.notes.iter().any(|n| n.contains("instantaneous")),
        "{:?}",
        ind.notes
    );
}

#[test]
fn a_bad_power_in_a_design_is_refused() {
    let text = |terms: &str| {
        format!(
            "name = \"q\"\n[[variable]]\nname = \"x\"\n[[equation]]\noutcome = \"y\"\nkind = \"normal\"\nerror_sd = 1.0\nterms = {{ {terms} }}\n"
        )
    };
    let four = Design::parse("q.toml", &text("\"x^4\" = 0.1")).unwrap_err();
    assert!(four.to_string().contains("x^2 or x^3"), "{four}");
    let twice = Design::parse("q.toml", &text("\"x:x\" = 0.1")).unwrap_err();
    assert!(twice.to_string().contains("x^2"), "{twice}");
    assert!(Design::parse("q.toml", &text("x = 0.2, \"x^2\" = -0.1")).is_ok());
}
