//! Field helpers: Kogut-Singh cultural distance on Hofstede's published dimension matrix, checked
//! by hand for three country pairs, and the original file's `#NULL!` layout.

use crate::common;

use cipa::domain::{kogut_singh_between, Dims, HofstedeTable};

/// The variances of R's `var()` (n - 1) over every country with the dimension, from
/// `../shared/datasets/country_level/hofstede_6d.csv`:
///
/// ```text
/// h <- read.csv("hofstede_6d.csv", na.strings = c("NA", "#NULL!", ""))
/// sapply(c("pdi","idv","mas","uai","ltowvs","ivr"), function(k) var(h[[k]], na.rm = TRUE))
/// ```
/// (R 4.2.2; n = 78, 78, 78, 78, 95, 96 countries).
const R_VARIANCES: [f64; 6] = [
    450.432900433,
    574.634199134,
    361.290209790,
    528.674658675,
    581.567077268,
    496.213048246,
];

fn table(file: &str) -> Option<HofstedeTable> {
    let dir = common::shared_or_skip()?;
    Some(HofstedeTable::read(dir.join("country_level").join(file)).expect("the table reads"))
}

#[test]
fn variances_are_the_sample_variances_over_every_country() {
    let Some(t) = table("hofstede_6d.csv") else {
        return;
    };
    let v = t.variances(6).unwrap();
    for (got, want) in v.iter().zip(R_VARIANCES) {
        assert!((got - want).abs() < 1e-8, "{got} vs {want}");
    }
}

#[test]
fn three_pairs_checked_by_hand() {
    let Some(t) = table("hofstede_6d.csv") else {
        return;
    };
    let ks =
        |a: &str, b: &str, d: Dims| kogut_singh_between(&t, a, b, d, None).unwrap().kogut_singh;
    // Germany (35, 67, 66, 65) -> Japan (54, 46, 95, 92), 4 dimensions:
    //   (54-35)²/450.4329 = 0.80145, (46-67)²/574.6342 = 0.76744,
    //   (95-66)²/361.2902 = 2.32777, (92-65)²/528.6747 = 1.37892; sum 5.27558 / 4 = 1.31890.
    assert!((ks("Germany", "Japan", Dims::Four) - 1.31890).abs() < 1e-5);
    // U.S.A. (40, 91, 62, 46) -> China (80, 20, 66, 30), 4 dimensions, by codes:
    //   (80-40)²/450.4329 = 3.55214, (20-91)²/574.6342 = 8.77254,
    //   (66-62)²/361.2902 = 0.04429, (30-46)²/528.6747 = 0.48423; sum 12.85319 / 4 = 3.21330.
    assert!((ks("USA", "CHI", Dims::Four) - 3.21330).abs() < 1e-5);
    // Great Britain (35, 89, 66, 35, 51, 69) -> France (68, 71, 43, 86, 63, 48), 6 dimensions:
    //   2.41767 + 0.56384 + 1.46420 + (86-35)²/528.6747 = 4.91985
    //   + (63-51)²/581.5671 = 0.24761 + (48-69)²/496.2130 = 0.88873; sum 10.50190 / 6 = 1.75032.
    assert!((ks("Great Britain", "France", Dims::Six) - 1.75032).abs() < 1e-5);
    // Symmetric, and "United Kingdom" is the matrix's "Great Britain".
    assert_eq!(
        ks("France", "United Kingdom", Dims::Six),
        ks("Great Britain", "France", Dims::Six)
    );
}

#[test]
fn the_original_semicolon_file_with_null_markers_gives_the_same_distances() {
    let (Some(clean), Some(orig)) = (
        table("hofstede_6d.csv"),
        table("hofstede_6d_2015-08-16_original.csv"),
    ) else {
        return;
    };
    assert_eq!(clean.variances(6).unwrap(), orig.variances(6).unwrap());
    let a = kogut_singh_between(&clean, "GER", "JPN", Dims::Six, None).unwrap();
    let b = kogut_singh_between(&orig, "Germany", "Japan", Dims::Six, None).unwrap();
    assert_eq!(a.kogut_singh, b.kogut_singh);
}

#[test]
fn study_variances_and_helpful_errors() {
    let Some(t) = table("hofstede_6d.csv") else {
        return;
    };
    // Variances over the study's own three countries change the distance.
    let study = HofstedeTable::parse(
        "study.csv",
        "ctr,country,pdi,idv,mas,uai\nGER,Germany,35,67,66,65\nJPN,Japan,54,46,95,92\nFRA,France,68,71,43,86\n",
    )
    .unwrap();
    let own = kogut_singh_between(&t, "Germany", "Japan", Dims::Four, Some(&study)).unwrap();
    // pdi over 35, 54, 68: mean 52.333, SS = 300.44 + 2.78 + 245.44 = 548.67, var 274.33.
    assert!((own.terms[0].variance - 274.333_333).abs() < 1e-3);
    assert_eq!(own.variance_from, "study.csv");
    // Albania has no pdi-uai scores; a misspelt country gets suggestions.
    let e = kogut_singh_between(&t, "Albania", "Japan", Dims::Four, None).unwrap_err();
    assert!(e.to_string().contains("Albania has no pdi score"), "{e}");
    assert!(
        !e.to_string().contains("--dims 4"),
        "no use with four dimensions: {e}"
    );
    let e = kogut_singh_between(&t, "Germani", "Japan", Dims::Four, None).unwrap_err();
    assert!(e.to_string().contains("did you mean Germany"), "{e}");
}

mod properties {
    use cipa::domain::{great_circle_km, kogut_singh, size_class, SizeScheme, EARTH_RADIUS_KM};
    use proptest::prelude::*;

    fn point() -> impl Strategy<Value = (f64, f64)> {
        (-90.0f64..=90.0, -180.0f64..=180.0)
    }

    proptest! {
        #[test]
        fn great_circle_is_a_metric_on_the_sphere(a in point(), b in point(), c in point()) {
            let d = |p: (f64, f64), q: (f64, f64)| great_circle_km(p.0, p.1, q.0, q.1).unwrap();
            let (ab, ba, bc, ac) = (d(a, b), d(b, a), d(b, c), d(a, c));
            prop_assert!((ab - ba).abs() < 1e-6);
            prop_assert!((0.0..=std::f64::consts::PI * EARTH_RADIUS_KM + 1e-6).contains(&ab));
            prop_assert!(ac <= ab + bc + 1e-6);
        }

        #[test]
        fn kogut_singh_is_symmetric_nonnegative_and_zero_on_the_diagonal(
            h in proptest::collection::vec(0.0f64..120.0, 6),
            j in proptest::collection::vec(0.0f64..120.0, 6),
            v in proptest::collection::vec(1.0f64..900.0, 6),
        ) {
            prop_assert!((kogut_singh(&h, &j, &v) - kogut_singh(&j, &h, &v)).abs() < 1e-12);
            prop_assert!(kogut_singh(&h, &j, &v) >= 0.0);
            prop_assert_eq!(kogut_singh(&h, &h, &v), 0.0);
        }

        #[test]
        fn eu_size_classes_never_shrink_with_more_employees(a in 0.0f64..1000.0, b in 0.0f64..1000.0) {
            let order = |e: f64| {
                let c = size_class(e, SizeScheme::Eu).unwrap();
                SizeScheme::Eu.levels().iter().position(|l| *l == c).unwrap()
            };
            let (lo, hi) = if a <= b { (a, b) } else { (b, a) };
            prop_assert!(order(lo) <= order(hi));
        }
    }
}
