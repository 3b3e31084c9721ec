//! Design values that used to reach the generator unchecked: each is now refused by the
//! builder with a message naming the key and the value.

use super::Design;

fn refused(text: &str) -> String {
    match Design::parse("bad.toml", text) {
        Err(e) => e.to_string(),
        Ok(_) => panic!("accepted:\n{text}"),
    }
}

#[test]
fn a_combine_of_no_variables_is_refused() {
    // Alone in a design it was the first node, whose (empty) values gave the row count.
    let e =
        refused("name = \"x\"\n[[derived]]\nname = \"c\"\ntransform = \"combine\"\nfrom = []\n");
    assert!(
        e.contains("bad.toml")
            && e.contains("derived 'c': combine needs one or more categorical variables"),
        "{e}"
    );
}

#[test]
fn a_mar_strength_that_is_not_a_number_is_refused() {
    for (written, shown) in [("inf", "inf"), ("-inf", "-inf"), ("nan", "NaN")] {
        let e = refused(&format!(
            "name = \"x\"\n[[variable]]\nname = \"a\"\n[[variable]]\nname = \"b\"\n[missing]\nmar = 0.2\nmar_driver = \"a\"\nmar_columns = [\"b\"]\nmar_strength = {written}\n"
        ));
        assert!(
            e.contains("bad.toml")
                && e.contains(&format!(
                    "missing.mar_strength {shown} must be a finite number"
                )),
            "{e}"
        );
    }
}

#[test]
fn a_text_column_as_mar_driver_is_refused() {
    let e = refused(
        "name = \"x\"\n[[variable]]\nname = \"emp\"\ndistribution = \"lognormal\"\nmean = 3.0\n[[derived]]\nname = \"size\"\ntransform = \"size_class\"\nfrom = [\"emp\"]\n[missing]\nmar = 0.2\nmar_driver = \"size\"\nmar_columns = [\"emp\"]\n",
    );
    assert!(
        e.contains("bad.toml") && e.contains("missing.mar_driver 'size' is a text column"),
        "{e}"
    );
}

#[test]
fn a_categorical_mar_driver_is_still_accepted() {
    let text = "name = \"x\"\n[[variable]]\nname = \"a\"\n[[categorical]]\nname = \"g\"\nlevels = [\"p\", \"q\"]\nprobs = [0.5, 0.5]\n[missing]\nmar = 0.2\nmar_driver = \"g\"\nmar_columns = [\"a\"]\n";
    let d = Design::parse("ok.toml", text).unwrap();
    assert_eq!(d.missing.mar_driver, d.index("g"));
}

#[test]
fn nan_thresholds_are_refused() {
    let e = refused(
        "name = \"x\"\n[[construct]]\nname = \"a\"\nitems = 3\nscale = 3\nthresholds = [nan, 0.5]\n",
    );
    assert!(
        e.contains("bad.toml")
            && e.contains("construct 'a': a 3-point scale needs 2 increasing thresholds"),
        "{e}"
    );
}

#[test]
fn nan_category_probabilities_are_refused() {
    let e = refused(
        "name = \"x\"\n[[categorical]]\nname = \"g\"\nlevels = [\"a\", \"b\"]\nprobs = [nan, nan]\n",
    );
    assert!(
        e.contains("bad.toml") && e.contains("categorical 'g': needs two or more levels"),
        "{e}"
    );
}

#[test]
fn an_intercept_that_is_not_a_number_is_refused() {
    for (written, shown) in [("nan", "NaN"), ("inf", "inf")] {
        let e = refused(&format!(
            "name = \"x\"\n[[variable]]\nname = \"a\"\n[[equation]]\noutcome = \"y\"\nkind = \"normal\"\nerror_sd = 1.0\nintercept = {written}\nterms = {{ a = 0.3 }}\n"
        ));
        assert!(
            e.contains("bad.toml")
                && e.contains(&format!(
                    "equation of 'y': intercept {shown} must be a finite number"
                )),
            "{e}"
        );
    }
}

/// `[cluster]`: the id column is written after firm_id; a random intercept needs an equation,
/// a usable SD and two or more clusters, and the id may not reuse a column's name.
#[test]
fn cluster_ids_and_random_intercepts_are_checked() {
    let base = "name = \"x\"\n[[construct]]\nname = \"a\"\nitems = 2\n[[construct]]\nname = \"y\"\nitems = 2\n[[equation]]\noutcome = \"y\"\nterms = { a = 0.3 }\n";
    let good =
        format!("{base}[cluster]\nname = \"country\"\ncount = 5\nintercept_sd = {{ y = 0.5 }}\n");
    let d = Design::parse("good.toml", &good).unwrap_or_else(|e| panic!("{e}"));
    let c = d.cluster.as_ref().expect("the cluster");
    assert_eq!(
        (c.column.as_str(), c.count, c.intercept_sd.clone()),
        ("country", 5, vec![(0, 0.5)])
    );
    let cols = crate::simulate::generate::column_names(&d);
    assert_eq!(&cols[..2], ["firm_id", "country"]);
    for (cluster, want) in [
        ("name = \"country\"\ncount = 1", "count 1 must be 2 to"),
        (
            "name = \"country\"\ncount = 9\nintercept_sd = { a = 0.5 }",
            "'a' has no [[equation]]",
        ),
        (
            "name = \"country\"\ncount = 9\nintercept_sd = { y = -1 }",
            "intercept_sd of 'y' is -1",
        ),
        (
            "name = \"country\"\ncount = 9\nintercept_sd = { z = 1 }",
            "'z'",
        ),
        (
            "name = \"a_1\"\ncount = 9",
            "'a_1' is also a column of the design",
        ),
        ("name = \"1st\"\ncount = 9", "not a usable column name"),
    ] {
        let e = refused(&format!("{base}[cluster]\n{cluster}\n"));
        assert!(e.contains("bad.toml") && e.contains(want), "{cluster}: {e}");
    }
}
