//! The expansion of latent products on small hand-made data: which product indicators, in
//! which order, with which residual covariances, the centring, and the typed errors.

use crate::data::{Dataset, Variable};
use crate::spec::syntax::parse_flat;

use super::super::{Missing, SemError};
use super::{expand, DmcPairs, InteractionMethod, InteractionOptions};

fn data(names: &[&str]) -> Dataset {
    let vars = names
        .iter()
        .enumerate()
        .map(|(k, n)| {
            let v = (0..20)
                .map(|i| ((i * (k + 3) + k * k) % 7) as f64 + 0.1 * i as f64)
                .collect();
            Variable::numeric(n.to_string(), v)
        })
        .collect();
    Dataset::new("test.csv", vars).unwrap()
}

const TWO: &str = "f =~ x1 + x2 + x3\ng =~ z1 + z2\ny ~ f + g + f:g";

fn opts(pairs: DmcPairs) -> InteractionOptions {
    InteractionOptions {
        method: InteractionMethod::Dmc,
        pairs,
    }
}

#[test]
fn all_pairs_in_expand_grid_order_with_shared_item_covariances() {
    let d = data(&["x1", "x2", "x3", "z1", "z2", "y"]);
    let flat = parse_flat("m", TWO).unwrap();
    let ex = expand(&flat, &d, &opts(DmcPairs::All), Missing::Listwise).unwrap();
    let p = &ex.products[0];
    let names: Vec<&str> = p.indicators.iter().map(|i| i.name.as_str()).collect();
    assert_eq!(
        names,
        ["x1:z1", "x2:z1", "x3:z1", "x1:z2", "x2:z2", "x3:z2"]
    );
    // x_i·z_1 and x_j·z_1 share z1 (3 pairs), likewise z2 (3), and x_i·z1 with x_i·z2 (3).
    assert_eq!(p.residual_covariances.len(), 9);
    assert!(p
        .residual_covariances
        .contains(&("x1:z1".to_string(), "x1:z2".to_string())));
    assert!(!p
        .residual_covariances
        .contains(&("x1:z1".to_string(), "x2:z2".to_string())));
    // The regression names the product latent, which is measured by the products.
    let rels = &ex.flat.relations;
    assert!(rels.iter().any(|r| r.lhs == "y" && r.rhs == ["f:g"]));
    assert_eq!(rels.iter().filter(|r| r.lhs == "f:g").count(), 6);
    assert!(ex.data.contains("x3:z2"));
    // Expanding again changes nothing.
    let again = expand(&ex.flat, &ex.data, &opts(DmcPairs::All), Missing::Listwise).unwrap();
    assert!(again.products.is_empty());
    assert_eq!(*again.flat, *ex.flat);
}

#[test]
fn matched_pairs_stop_at_the_shorter_list_without_covariances() {
    let d = data(&["x1", "x2", "x3", "z1", "z2", "y"]);
    let flat = parse_flat("m", TWO).unwrap();
    let ex = expand(&flat, &d, &opts(DmcPairs::Matched), Missing::Listwise).unwrap();
    let p = &ex.products[0];
    let names: Vec<&str> = p.indicators.iter().map(|i| i.name.as_str()).collect();
    assert_eq!(names, ["x1:z1", "x2:z2"]);
    assert!(p.residual_covariances.is_empty());
}

#[test]
fn an_observed_moderator_is_its_own_indicator_and_no_shared_error() {
    let d = data(&["x1", "x2", "x3", "w", "y"]);
    let flat = parse_flat("m", "f =~ x1 + x2 + x3\ny ~ f + w + f:w").unwrap();
    let ex = expand(&flat, &d, &opts(DmcPairs::All), Missing::Listwise).unwrap();
    let p = &ex.products[0];
    let names: Vec<&str> = p.indicators.iter().map(|i| i.name.as_str()).collect();
    assert_eq!(names, ["x1:w", "x2:w", "x3:w"]);
    assert!(p.residual_covariances.is_empty());
}

#[test]
fn a_variable_times_itself_is_refused_by_the_syntax_at_its_position() {
    for text in [
        "f =~ x1 + x2 + x3\ny ~ f + f:f",
        "f =~ x1 + x2 + x3\ny ~ f + f:f:f",
    ] {
        let e = parse_flat("m", text).unwrap_err().to_string();
        assert!(e.contains("appears twice") && e.contains(":2:11"), "{e}");
    }
}

#[test]
fn products_are_centred_twice_on_the_rows_used() {
    let mut d = data(&["x1", "x2", "z1", "z2", "y"]);
    let mut vars = d.variables().to_vec();
    let y = vars.iter_mut().find(|v| v.name == "y").unwrap();
    if let crate::data::Column::Numeric(v) = &mut y.data {
        v[3] = f64::NAN;
    }
    d = Dataset::new("test.csv", vars).unwrap();
    let flat = parse_flat("m", "f =~ x1 + x2\ng =~ z1 + z2\ny ~ f + g + f:g").unwrap();
    let ex = expand(&flat, &d, &opts(DmcPairs::Matched), Missing::Listwise).unwrap();
    assert_eq!(ex.products[0].n_rows, 19);
    let col = ex.data.numeric("x1:z1").unwrap();
    assert!(col[3].is_nan(), "a row the fit drops has no product");
    let used: Vec<usize> = (0..20).filter(|&i| i != 3).collect();
    let pick = |n: &str| -> Vec<f64> {
        let c = d.numeric(n).unwrap();
        used.iter().map(|&i| c[i]).collect()
    };
    let (x, z) = (pick("x1"), pick("z1"));
    let mx = x.iter().sum::<f64>() / 19.0;
    let mz = z.iter().sum::<f64>() / 19.0;
    let raw: Vec<f64> = x.iter().zip(&z).map(|(a, b)| (a - mx) * (b - mz)).collect();
    let mp = raw.iter().sum::<f64>() / 19.0;
    for (k, &i) in used.iter().enumerate() {
        assert!((col[i] - (raw[k] - mp)).abs() < 1e-12);
    }
    assert!(col.iter().filter(|v| !v.is_nan()).sum::<f64>().abs() < 1e-10);
}

fn err(text: &str) -> SemError {
    let d = data(&["x1", "x2", "x3", "w", "y"]);
    let flat = parse_flat("m", text).unwrap();
    match expand(&flat, &d, &opts(DmcPairs::All), Missing::Listwise) {
        Err(e) => e,
        Ok(_) => panic!("{text}: expanded"),
    }
}

#[test]
fn bad_products_are_typed_errors_at_the_term() {
    let e = err("f =~ x1 + x2 + x3\ny ~ f + ZZQ + f:ZZQ");
    assert!(
        matches!(e, SemError::LatentWithoutIndicators { ref name, pos } if name == "ZZQ" && pos.line == 2)
    );
    let e = err("f =~ x1 + x2 + x3\ny ~ f + f:ww");
    assert!(
        matches!(e, SemError::UnknownVariable { ref name, ref suggestions, .. } if name == "ww" && suggestions.contains(&"w".to_string()))
    );
    let e = err("f =~ x1 + x2\ng =~ x3 + w\ny ~ f + g + f:g:y");
    assert!(e.to_string().contains("three-way"), "{e}");
    let d = data(&["x1", "x2", "x3", "w", "y"]);
    let flat = parse_flat("m", "f =~ x1 + x2 + x3\ny ~ f + w + f:w").unwrap();
    let lms = InteractionOptions {
        method: InteractionMethod::Lms,
        pairs: DmcPairs::All,
    };
    assert!(matches!(
        expand(&flat, &d, &lms, Missing::Listwise),
        Err(SemError::InteractionUnavailable { .. })
    ));
}

#[test]
fn under_fiml_each_mean_is_over_the_values_observed() {
    let d = data(&["x1", "x2", "z1", "z2", "y"]);
    let mut vars = d.variables().to_vec();
    if let crate::data::Column::Numeric(v) = &mut vars[0].data {
        v[5] = f64::NAN;
    }
    let d = Dataset::new("test.csv", vars).unwrap();
    let flat = parse_flat("m", "f =~ x1 + x2\ng =~ z1 + z2\ny ~ f + g + f:g").unwrap();
    let ex = expand(&flat, &d, &opts(DmcPairs::Matched), Missing::Fiml).unwrap();
    let col = ex.data.numeric("x1:z1").unwrap();
    assert!(col[5].is_nan());
    let (x, z) = (d.numeric("x1").unwrap(), d.numeric("z1").unwrap());
    let mx = x.iter().filter(|v| !v.is_nan()).sum::<f64>() / 19.0;
    let mz = z.iter().sum::<f64>() / 20.0;
    let raw: Vec<f64> = (0..20).map(|i| (x[i] - mx) * (z[i] - mz)).collect();
    let mp = raw.iter().filter(|v| !v.is_nan()).sum::<f64>() / 19.0;
    for i in (0..20).filter(|&i| i != 5) {
        assert!((col[i] - (raw[i] - mp)).abs() < 1e-12);
    }
}

/// Under `--group` the products are centred over the rows whose group is observed (the rows the
/// grouped fit keeps), a row without a group gets no product, and an observed factor's centre
/// is recorded; LMS is refused naming --group.
#[test]
fn grouped_expansion_centres_over_rows_with_a_group() {
    let mut d = data(&["x1", "x2", "x3", "w", "y"]);
    let levels: Vec<Option<&str>> = (0..20)
        .map(|i| match i {
            3 => None,
            i if i % 2 == 0 => Some("a"),
            _ => Some("b"),
        })
        .collect();
    d.set(Variable::categorical("grp", &levels)).unwrap();
    let flat = parse_flat("m", "f =~ x1 + x2 + x3\ny ~ f + w + f:w").unwrap();
    let ex =
        super::expand_grouped(&flat, &d, &opts(DmcPairs::All), Missing::Listwise, "grp").unwrap();
    let p = &ex.products[0];
    assert_eq!(p.n_rows, 19);
    let kept: Vec<usize> = (0..20).filter(|&i| i != 3).collect();
    let mean = |c: &[f64]| kept.iter().map(|&i| c[i]).sum::<f64>() / 19.0;
    let (x1, w) = (d.numeric("x1").unwrap(), d.numeric("w").unwrap());
    let (mx, mw) = (mean(x1), mean(w));
    let raw: Vec<f64> = (0..20).map(|i| (x1[i] - mx) * (w[i] - mw)).collect();
    let mraw = mean(&raw);
    let got = ex.data.numeric("x1:w").unwrap();
    assert!(got[3].is_nan());
    for &i in &kept {
        assert!((got[i] - (raw[i] - mraw)).abs() < 1e-12, "row {i}");
    }
    assert_eq!(p.centres.len(), 1);
    assert_eq!(p.centres[0].0, "w");
    assert!((p.centres[0].1 - mw).abs() < 1e-12);
    let lms = InteractionOptions {
        method: InteractionMethod::Lms,
        pairs: DmcPairs::All,
    };
    let err = super::expand_grouped(&flat, &d, &lms, Missing::Listwise, "grp")
        .err()
        .expect("LMS refused");
    assert!(matches!(err, SemError::Unsupported { .. }));
    assert!(err.to_string().contains("with --group"), "{err}");
}
