//! Issue 12's bad input at the command line, on the framework design's simulated data
//! (tests/golden/sem_framework_groups/data.csv): a group with fewer rows than its free
//! parameters, an item constant within a group, a latent interaction whose first factor has no
//! indicators (under DMC and LMS), and LMS with a second latent interaction. Each is a usage
//! error (exit code 2, no panic) naming the group, variable or syntax position and saying what
//! to do. (The library-level errors are tested in sem_groups.rs and sem_lms.rs; DMC's other bad
//! products, with positions, in sem_dmc.rs.)

use crate::common::cli::{cipa, usage_error, write};
use crate::common::golden_dir;

fn data() -> String {
    golden_dir("sem_framework_groups")
        .join("data.csv")
        .display()
        .to_string()
}

fn model() -> String {
    let path = crate::common::crate_root().join("benches/compare/framework_groups.lav");
    std::fs::read_to_string(path).expect("framework_groups.lav")
}

const MEASUREMENT: &str = "ties =~ ties_1 + ties_2 + ties_3 + ties_4
eo =~ eo_1 + eo_2 + eo_3 + eo_4 + eo_5
collab_act =~ collab_1 + collab_2 + collab_3 + collab_4
perf =~ expf_1 + expf_2 + expf_3 + expf_4
";

/// The usage error of `cipa sem` on the framework data with `syntax`, latent interactions by
/// `method`, and `extra` flags.
fn interaction_error(syntax: &str, method: &str, extra: &[&str]) -> String {
    let data = data();
    let base = [
        "sem",
        "--data",
        &data,
        "--syntax",
        syntax,
        "--interaction",
        method,
    ];
    usage_error(&cipa(&crate::common::cli::with(&base, extra)))
}

/// Grouped by the four ownership types, state-owned firms (5% of 1,000, fewer after listwise
/// deletion) are too few for the group's own free parameters.
#[test]
fn a_group_smaller_than_its_parameters() {
    let (data, model) = (data(), model());
    let err = usage_error(&cipa(&[
        "sem",
        "--data",
        &data,
        "--syntax",
        &model,
        "--group",
        "ownership",
    ]));
    assert!(
        err.contains("group 'state' (ownership = state) has")
            && err.contains("merge small groups, drop the group"),
        "{err}"
    );
}

/// eo_1 answered 4 by every family firm: constant in that group.
#[test]
fn an_item_constant_within_a_group() {
    let text = std::fs::read_to_string(data()).expect("data.csv");
    let mut lines = text.lines();
    let header: Vec<&str> = lines.next().unwrap().split(',').collect();
    let col = |name: &str| header.iter().position(|h| *h == name).unwrap();
    let (item, group) = (col("eo_1"), col("family_owned"));
    let mut out = header.join(",") + "\n";
    for line in lines {
        let mut cells: Vec<&str> = line.split(',').collect();
        if cells[group] == "1" {
            cells[item] = "4";
        }
        out += &(cells.join(",") + "\n");
    }
    let dir = tempfile::tempdir().unwrap();
    let path = write(dir.path(), "constant.csv", &out)
        .display()
        .to_string();
    let model = model();
    let err = usage_error(&cipa(&[
        "sem",
        "--data",
        &path,
        "--syntax",
        &model,
        "--group",
        "family_owned",
    ]));
    assert!(
        err.contains("'eo_1' is constant in group '1' (family_owned = 1)")
            && err.contains("drop the variable or the group"),
        "{err}"
    );
}

/// `perf ~ CA + eo + CA:eo` with no `CA =~`: the product's position (line 5, column 18) and
/// that no `CA =~` defines it, under either estimator of latent interactions.
#[test]
fn a_latent_product_whose_first_factor_has_no_indicators() {
    let syntax = format!("{MEASUREMENT}perf ~ CA + eo + CA:eo");
    for method in ["dmc", "lms"] {
        let err = interaction_error(&syntax, method, &[]);
        assert!(
            err.contains("5:18: 'CA' is neither a column of the data nor a latent variable (no 'CA =~ ...' defines it)"),
            "{method}: {err}"
        );
    }
}

/// LMS fits one latent interaction (one quadrature dimension): the second product is named with
/// its position and DMC is suggested.
#[test]
fn lms_with_a_second_latent_interaction() {
    let syntax =
        format!("{MEASUREMENT}perf ~ collab_act + ties + eo + collab_act:ties + collab_act:eo");
    let err = interaction_error(&syntax, "lms", &[]);
    assert!(
        err.contains("5:51: LMS with a second latent product term ('collab_act:eo';")
            && err.contains("at most 1 latent interaction")
            && err.contains("--interaction dmc"),
        "{err}"
    );
}

/// LMS fits no := or constraints yet: a := on the product term's label used to be "the label
/// 'a' names no parameter" (the term is split off before the engine's table). Now the := is
/// named with its position, with what LMS does take (a label that names the coefficient) and
/// that DMC fits it; a label shared with another row (an equality) is refused alike.
#[test]
fn lms_names_what_it_cannot_fit_with_a_product_label() {
    let lms = |tail: &str| interaction_error(&format!("{MEASUREMENT}{tail}"), "lms", &[]);
    let err = lms("perf ~ collab_act + ties + a*collab_act:ties\nb := 2*a");
    assert!(
        err.contains("6:1: 'b := 2*a' under --interaction lms")
            && err.contains("a label on the product term ('y ~ a*f:g') only names its coefficient")
            && err.contains("--interaction dmc"),
        "{err}"
    );
    let err = lms("perf ~ collab_act + a*ties + a*collab_act:ties");
    assert!(
        err.contains("the label 'a' on the product term and on another row (line 5)")
            && err.contains("--interaction dmc"),
        "{err}"
    );
}

/// LMS has no draws, modification indices or residuals yet: asking for them names the flags and
/// says what to do (they ended in messages meant for developers: "fit the model with
/// sem::fit", "diagnostics of a fit without its parameter table").
#[test]
fn lms_names_the_flags_it_does_not_have() {
    let syntax = format!("{MEASUREMENT}perf ~ collab_act + ties + collab_act:ties");
    let lms = |extra: &[&str]| interaction_error(&syntax, "lms", extra);
    for flag in [
        &["--boot", "100"][..],
        &["--mc", "100"],
        &["--mi"],
        &["--residuals"],
    ] {
        let err = lms(flag);
        assert!(
            err.contains(&format!("{} with --interaction lms", flag[0]))
                && err.contains("drop it")
                && err.contains("--interaction dmc"),
            "{err}"
        );
    }
    let err = lms(&["--boot", "100", "--bollen-stine", "--mi"]);
    assert!(
        err.contains("--boot, --bollen-stine, --mi with --interaction lms")
            && err.contains("drop them"),
        "{err}"
    );
}
