//! Input that reached a panic (an `expect` or a failed invariant) before the audit of
//! docs/panic-audit.md, each now a usage error (exit code 2, no panic) that names what is wrong
//! and what to do. Skipped with a message when ../shared/datasets is absent.

use crate::common::cli::{cipa, usage_error};
use crate::common::shared_or_skip_file;

fn hs() -> Option<String> {
    shared_or_skip_file("datasets/lavaan_pkg/HolzingerSwineford1939.csv")
        .map(|p| p.display().to_string())
}

/// Two equality constraints that differ only in the ninth decimal of a coefficient are
/// independent for the Gram-Schmidt test of constraints.rs but leave HH′ numerically singular:
/// the least-norm solution used to panic ("independent constraint rows").
#[test]
fn nearly_repeated_constraints_are_named() {
    let Some(data) = hs() else { return };
    for pair in [
        "a == b; a == 1.000000002*b",
        "a == 2*b; a == 2*1.000000001*b",
    ] {
        let model = format!("visual =~ x1 + a*x2 + b*x3\n{pair}");
        let err = usage_error(&cipa(&["sem", "--data", &data, "--syntax", &model]));
        assert!(
            err.contains("2:") && err.contains("almost repeats"),
            "{pair}: {err}"
        );
    }
}

/// A search that stalls (a latent `h` with one indicator and no scale besides it, an intercept
/// on `f`) spends BFGS runs of up to 50 iterations from a budget of 200 that need not be a
/// multiple of 50: the budget used to underflow ("attempt to subtract with overflow"; in release
/// a wrapped budget without limit). Found by the generated models of docs/panic-audit.md.
#[test]
fn a_stalled_search_keeps_its_bfgs_budget() {
    let Some(data) = hs() else { return };
    let model = "f =~ grade + x9\nh =~ ageyr\nf ~ x4\nx5 ~ grade + x3\nf ~ 1";
    let out = cipa(&["sem", "--data", &data, "--syntax", model]);
    let err = crate::common::cli::stderr(&out);
    assert!(!err.contains("panicked"), "a panic: {err}");
    assert!(
        out.status.success() || usage_error(&out).contains("did not converge"),
        "{err}"
    );
}

/// A latent whose variance is fixed at 0 gives its free loadings no information at all: the
/// identification error used to name no parameter ("so  cannot be estimated"), as the scaled
/// information's eigenvalues were NaN. It names the loadings now.
#[test]
fn loadings_without_information_are_named() {
    let Some(data) = hs() else { return };
    let model = "visual =~ x1 + x2 + x3\nvisual ~~ 0*visual";
    let err = usage_error(&cipa(&["sem", "--data", &data, "--syntax", model]));
    assert!(
        err.contains("so visual =~ x2, visual =~ x3 cannot be estimated"),
        "{err}"
    );
}

/// `sem --mc` had no upper limit: four billion draws aborted on a failed allocation (exit code
/// 134) after the fit; `--threads` above cipa's limit spawned that many threads for the
/// bootstrap. Both are refused before the data are read, as `fit` refuses them.
#[test]
fn sem_draws_and_threads_have_limits() {
    let Some(data) = hs() else { return };
    let base = ["sem", "--data", &data, "--syntax", "visual =~ x1 + x2 + x3"];
    let run = |extra: &[&str]| usage_error(&cipa(&crate::common::cli::with(&base, extra)));
    let err = run(&["--mc", "4000000000", "--seed", "1"]);
    assert!(
        err.contains("--mc 4000000000 is above cipa's limit of 1,000,000"),
        "{err}"
    );
    let err = run(&["--boot", "50", "--seed", "1", "--threads", "100000"]);
    assert!(
        err.contains("--threads 100000 is above cipa's limit of 1,024"),
        "{err}"
    );
}

/// `sem --mc 1` printed a Monte Carlo "interval" that was one draw; `sem --mc` now takes what
/// `fit --mc` takes (the same message, word for word): at least 50 draws, and at least one draw
/// beyond each end of the interval (200 at --conf 99). `--mc 0` (the default) stays "none".
#[test]
fn sem_monte_carlo_needs_as_many_draws_as_fit() {
    let Some(data) = hs() else { return };
    let sem = |extra: &[&str]| {
        let model = "visual =~ x1 + a*x2 + b*x3\nab := a*b";
        let base = ["sem", "--data", &data, "--syntax", model, "--seed", "1"];
        cipa(&crate::common::cli::with(&base, extra))
    };
    let sme = crate::common::cli::sme_example().display().to_string();
    let fit = |extra: &[&str]| {
        let base = [
            "fit",
            "--data",
            &sme,
            "--missing",
            "-99",
            "--model",
            "4",
            "--x",
            "network_ties",
            "--m",
            "collab",
            "--y",
            "export_intensity",
            "--seed",
            "1",
        ];
        usage_error(&cipa(&crate::common::cli::with(&base, extra)))
    };
    for (flags, needed) in [
        (&["--mc", "1"][..], "50"),
        (&["--mc", "100", "--conf", "99"], "200"),
    ] {
        let err = usage_error(&sem(flags));
        assert!(err.contains(&format!("use at least {needed}")), "{err}");
        assert_eq!(err, fit(flags), "sem and fit word --mc alike");
    }
    let doc = crate::common::cli::json(&sem(&["--mc", "0", "--format", "json"]));
    assert_eq!(
        doc["resampling"],
        serde_json::Value::Null,
        "--mc 0 is no draws"
    );
    let doc = crate::common::cli::json(&sem(&["--mc", "50", "--format", "json"]));
    assert!(doc["resampling"].is_object(), "50 draws are taken");
}
