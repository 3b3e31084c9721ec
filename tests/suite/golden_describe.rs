//! Golden tests for `cipa::measure` (the statistics behind `cipa describe`): descriptives and
//! Pearson correlations of Hayes (2018) glbwarm and estress against R 4.2.2 (explicit formulas,
//! psych::describe(type = 2), e1071 type 2, cor.test). The expected values are made by
//! tests/golden/describe_glbwarm/make.R; see the README there.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use cipa::data::{read_csv_str, read_path, DataError, ReadOptions};
use cipa::measure::{correlations, describe, MissingPolicy};

const GOLDEN: &str = "tests/golden/describe_glbwarm";
const DATASETS: [&str; 2] = ["glbwarm", "estress"];

fn crate_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn shared_dir() -> Option<PathBuf> {
    let dir = crate_root().join("../shared/datasets/hayes2018");
    if DATASETS
        .iter()
        .all(|d| dir.join(format!("{d}.csv")).is_file())
    {
        Some(dir)
    } else {
        println!("skipping: ../shared/datasets not found");
        None
    }
}

#[derive(Debug, serde::Deserialize)]
struct ExpectedDescribe {
    dataset: String,
    variable: String,
    n: usize,
    mean: f64,
    sd: f64,
    min: f64,
    max: f64,
    skew: f64,
    kurtosis: f64,
    se_skew: f64,
    se_kurt: f64,
    skew_type3: f64,
    kurt_type3: f64,
}

#[derive(Debug, serde::Deserialize)]
struct ExpectedCor {
    dataset: String,
    var1: String,
    var2: String,
    r: f64,
    p: f64,
    n: usize,
}

fn read_expected<T: serde::de::DeserializeOwned>(file: &str) -> Vec<T> {
    let path = crate_root().join(GOLDEN).join(file);
    let mut rdr = csv::Reader::from_path(&path)
        .unwrap_or_else(|e| panic!("cannot open {}: {e}", path.display()));
    let rows: Vec<T> = rdr
        .deserialize()
        .collect::<Result<_, _>>()
        .unwrap_or_else(|e| panic!("cannot parse {}: {e}", path.display()));
    assert!(!rows.is_empty(), "{} has no rows", path.display());
    rows
}

fn assert_rel(what: &str, got: f64, want: f64, tol: f64) {
    let ok = if want == 0.0 {
        got == 0.0
    } else {
        (got - want).abs() <= tol * want.abs()
    };
    assert!(
        ok,
        "{what}: got {got:.17e}, want {want:.17e} (rel tol {tol:e})"
    );
}

fn assert_p(what: &str, got: f64, want: f64) {
    if want >= 1e-300 {
        assert_rel(what, got, want, 1e-8);
    } else {
        assert!(
            got < 1e-300,
            "{what}: got {got:e}, want {want:e} (< 1e-300)"
        );
    }
}

fn load(dir: &Path, name: &str) -> cipa::data::Dataset {
    read_path(dir.join(format!("{name}.csv")), &ReadOptions::default())
        .unwrap_or_else(|e| panic!("{name}: {e}"))
}

#[test]
fn describe_matches_r() {
    let Some(dir) = shared_dir() else { return };
    let expected: Vec<ExpectedDescribe> = read_expected("expected_describe.csv");
    let mut checked = 0;
    for ds in DATASETS {
        let data = load(&dir, ds);
        let names: Vec<&str> = data.names().collect();
        let got = describe(&data, &names).unwrap();
        let got: HashMap<&str, _> = got.iter().map(|d| (d.name.as_str(), d)).collect();
        for e in expected.iter().filter(|e| e.dataset == ds) {
            let what = |s: &str| format!("{ds}.{} {s}", e.variable);
            let d = got
                .get(e.variable.as_str())
                .unwrap_or_else(|| panic!("{} not described", what("")));
            assert_eq!(d.n, e.n, "{}", what("n"));
            assert_eq!(d.missing, 0, "{}", what("missing"));
            for (stat, g, w) in [
                ("mean", d.mean, e.mean),
                ("sd", d.sd, e.sd),
                ("min", d.min, e.min),
                ("max", d.max, e.max),
                ("skew", d.skewness, e.skew),
                ("kurtosis", d.kurtosis, e.kurtosis),
                ("se_skew", d.se_skewness, e.se_skew),
                ("se_kurt", d.se_kurtosis, e.se_kurt),
                ("skew_type3", d.skewness_type3(), e.skew_type3),
                ("kurt_type3", d.kurtosis_type3(), e.kurt_type3),
            ] {
                assert_rel(&what(stat), g, w, 1e-10);
            }
            checked += 1;
        }
    }
    assert_eq!(
        checked,
        expected.len(),
        "some expected rows were not checked"
    );
}

#[test]
fn correlations_match_cor_test() {
    let Some(dir) = shared_dir() else { return };
    let expected: Vec<ExpectedCor> = read_expected("expected_cor.csv");
    let mut checked = 0;
    for ds in DATASETS {
        let data = load(&dir, ds);
        let names: Vec<&str> = data.names().collect();
        // No missing values in these files: both policies must give the same answer.
        for policy in [MissingPolicy::Listwise, MissingPolicy::Pairwise] {
            let m = correlations(&data, &names, policy).unwrap();
            assert!(m.dropped_lines.is_empty());
            let idx = |v: &str| {
                m.names
                    .iter()
                    .position(|n| n == v)
                    .unwrap_or_else(|| panic!("{ds}.{v} missing from the matrix"))
            };
            for e in expected.iter().filter(|e| e.dataset == ds) {
                let (i, j) = (idx(&e.var1), idx(&e.var2));
                let what = |s: &str| format!("{ds} {}~{} {s} ({policy:?})", e.var1, e.var2);
                assert_rel(&what("r"), m.r(i, j), e.r, 1e-10);
                assert_eq!(m.r(i, j), m.r(j, i), "{}", what("symmetry"));
                assert_p(&what("p"), m.p(i, j), e.p);
                assert_eq!(m.n(i, j), e.n, "{}", what("n"));
                checked += 1;
            }
            for i in 0..m.k() {
                assert_eq!((m.r(i, i), m.p(i, i)), (1.0, 0.0));
            }
        }
    }
    assert_eq!(
        checked,
        2 * expected.len(),
        "some expected pairs were not checked"
    );
}

// Lines 2..=9. `g` is categorical, `bad` is numeric with one text cell (line 6).
const SMALL: &str = "\
a,b,c,g,three,two,neg,bad
1,2,,x,1,1,-1,1
2,,3,y,2,2,-2,2
3,5,4,x,4,,-3,3
4,4,8,z,,,-4,4
5,7,6,y,,,-5,oops
,9,10,x,,,,6
7,8,9,y,,,-7,7
8,11,12,x,,,-8,8
";

fn small() -> cipa::data::Dataset {
    read_csv_str("small.csv", SMALL, b',', &ReadOptions::default()).unwrap()
}

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() <= 1e-12 * b.abs()
}

// Expected values from R 4.2.2: mean, sd, e1071::skewness/kurtosis(type = 2) with na.rm = TRUE;
// cor.test on the pairwise- and listwise-complete rows.
#[test]
fn describe_missing_values_and_small_n() {
    let data = small();
    let d = describe(&data, &["a", "three", "two", "b"]).unwrap();
    assert_eq!(
        d.iter().map(|d| d.name.as_str()).collect::<Vec<_>>(),
        ["a", "three", "two", "b"]
    );
    let a = &d[0];
    assert_eq!((a.n, a.missing, a.min, a.max), (7, 1, 1.0, 8.0));
    assert!(close(a.mean, 4.285714285714286));
    assert!(close(a.sd, 2.5634797778466227));
    assert!(close(a.skewness, 0.3052915425412803));
    assert!(close(a.kurtosis, -1.1697542533081289));
    let b = &d[3];
    assert_eq!((b.n, b.missing), (7, 1));
    assert!(close(b.skewness, -0.09577096061915728));
    assert!(close(b.kurtosis, -0.8094500539162828));

    // n = 3: skewness defined, kurtosis NaN.
    let three = &d[1];
    assert_eq!((three.n, three.missing), (3, 5));
    assert!(close(three.sd, 1.5275252316519468));
    assert!(close(three.skewness, 0.9352195295828233));
    assert!(three.se_skewness.is_finite());
    assert!(three.kurtosis.is_nan() && three.se_kurtosis.is_nan());

    // n = 2: sd defined, skewness and kurtosis NaN.
    let two = &d[2];
    assert_eq!((two.n, two.missing), (2, 6));
    assert!(close(two.sd, std::f64::consts::FRAC_1_SQRT_2));
    assert!(two.skewness.is_nan() && two.se_skewness.is_nan());
    assert!(two.kurtosis.is_nan() && two.se_kurtosis.is_nan());

    // NaN serializes as null rather than failing.
    let json = serde_json::to_string(two).unwrap();
    assert!(json.contains("\"skewness\":null"), "{json}");
}

#[test]
fn correlations_listwise_and_pairwise() {
    let data = small();
    let vars = ["a", "b", "c"];

    let m = correlations(&data, &vars, MissingPolicy::default()).unwrap();
    assert_eq!(m.missing, MissingPolicy::Listwise);
    assert_eq!(m.dropped_lines, [2, 3, 7]);
    assert!(m.n.iter().all(|&n| n == 5));
    for (i, j, r, p) in [
        (0, 1, 0.924473451641905, 0.02463207817693926),
        (0, 2, 0.8903482010484508, 0.04286296967043809),
        (1, 2, 0.7524115817860575, 0.1422668623300501),
    ] {
        assert!(close(m.r(i, j), r) && close(m.r(j, i), r), "r {i}{j}");
        assert!(close(m.p(i, j), p), "p {i}{j}: {}", m.p(i, j));
    }

    let m = correlations(&data, &vars, MissingPolicy::Pairwise).unwrap();
    assert!(m.dropped_lines.is_empty());
    assert_eq!(m.n, [7, 6, 6, 6, 7, 6, 6, 6, 7]);
    for (i, j, r, p) in [
        (0, 1, 0.9555360696111209, 0.002921608149392346),
        (0, 2, 0.9286908666616481, 0.007446185542187075),
        (1, 2, 0.7770167964985161, 0.06903873288092079),
    ] {
        assert!(close(m.r(i, j), r), "r {i}{j}: {}", m.r(i, j));
        assert!(close(m.p(i, j), p), "p {i}{j}: {}", m.p(i, j));
    }
}

#[test]
fn correlation_edge_cases() {
    let data = small();
    let m = correlations(
        &data,
        &["a", "three", "two", "neg"],
        MissingPolicy::Pairwise,
    )
    .unwrap();
    // n = 3: one degree of freedom.
    assert_eq!(m.n(0, 1), 3);
    assert!(close(m.r(0, 1), 0.9819805060619656));
    assert!(close(m.p(0, 1), 0.12103771832367706), "{}", m.p(0, 1));
    // n = 2: r = ±1 by construction but no test.
    assert_eq!(m.n(0, 2), 2);
    assert!(m.p(0, 2).is_nan() && m.p(2, 2).is_nan());
    // Exactly r = -1: p = 0.
    assert_eq!(m.n(0, 3), 7);
    assert_eq!((m.r(0, 3), m.p(0, 3)), (-1.0, 0.0));
    // Listwise over all four leaves two rows, n = 2 for every pair: every p is NaN.
    let m = correlations(
        &data,
        &["a", "three", "two", "neg"],
        MissingPolicy::Listwise,
    )
    .unwrap();
    assert_eq!(m.dropped_lines, [4, 5, 6, 7, 8, 9]);
    assert!(m.n.iter().all(|&n| n == 2) && m.p.iter().all(|p| p.is_nan()));
}

#[test]
fn categorical_and_bad_cells_are_errors() {
    let data = small();
    let err = describe(&data, &["a", "g"]).unwrap_err();
    assert!(
        matches!(&err, cipa::Error::Data(DataError::NotNumeric { column, .. }) if column == "g"),
        "{err:?}"
    );
    let err = correlations(&data, &["g", "a"], MissingPolicy::Pairwise).unwrap_err();
    assert!(
        matches!(&err, cipa::Error::Data(DataError::NotNumeric { .. })),
        "{err:?}"
    );

    let err = describe(&data, &["bad"]).unwrap_err();
    assert!(
        matches!(&err, cipa::Error::Data(DataError::NonNumeric { column, line: 6, value, .. })
            if column == "bad" && value == "oops"),
        "{err:?}"
    );
    let err = correlations(&data, &["a", "bad"], MissingPolicy::Listwise).unwrap_err();
    assert!(
        matches!(
            &err,
            cipa::Error::Data(DataError::NonNumeric { line: 6, .. })
        ),
        "{err:?}"
    );

    let err = describe(&data, &["A"]).unwrap_err();
    assert!(
        matches!(&err, cipa::Error::Data(DataError::UnknownColumn { .. })),
        "{err:?}"
    );
}
