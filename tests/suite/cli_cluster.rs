//! End-to-end tests of `cipa fit --cluster VAR`: the number of clusters and the warning below
//! 30 in the report, CR1 in every equation's JSON, the cluster bootstrap's provenance, and the
//! errors for a missing or constant cluster column, one cluster left after listwise deletion,
//! `--hc` beside it and a logistic outcome.

use crate::common::cli::{cipa, json, ok, sme_example, usage_error, with, write};

fn base(data: &str) -> Vec<&str> {
    vec![
        "fit",
        "--data",
        data,
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
        "5",
    ]
}

#[test]
fn cluster_report_json_and_bootstrap() {
    let d = sme_example();
    let base = base(d.to_str().unwrap());
    let args = with(&base, &["--cluster", "region", "--boot", "300", "--normal"]);
    let text = ok(&cipa(&args));
    for s in [
        "Clusters          : 4 ('region')",
        "cluster-robust (CR1) by 'region', 4 clusters",
        "only 4 clusters in 'region'",
        "resampled whole clusters of 'region'",
        "PROCESS for R 4.3.1 has no cluster option",
    ] {
        assert!(text.contains(s), "missing {s:?} in:\n{text}");
    }
    for format in ["markdown", "csv", "latex", "html"] {
        let out = ok(&cipa(&with(&args, &["--format", format])));
        assert!(out.contains("CR1"), "{format}");
    }
    let v = json(&cipa(&with(&args, &["--format", "json"])));
    for eq in v["equations"].as_array().unwrap() {
        assert_eq!(eq["cov_type"], "cr1", "{eq}");
        assert_eq!(
            eq["cluster"],
            serde_json::json!({"variable": "region", "clusters": 4})
        );
    }
    assert_eq!(v["bootstrap"]["resampling"], "cluster");
    assert_eq!(v["bootstrap"]["clusters"], 4);
    assert_eq!(v["options"]["cluster"], "region");
    // The draws are the same for any number of threads.
    let one = json(&cipa(&with(&args, &["--format", "json", "--threads", "1"])));
    let three = json(&cipa(&with(&args, &["--format", "json", "--threads", "3"])));
    assert_eq!(one["effects"], three["effects"]);
    assert_eq!(one["effects"], v["effects"]);
}

#[test]
fn cluster_bad_input_is_refused() {
    let d = sme_example();
    let base = base(d.to_str().unwrap());
    let err = usage_error(&cipa(&with(&base, &["--cluster", "country"])));
    assert!(err.contains("unknown column 'country'"), "{err}");
    let err = usage_error(&cipa(&with(&base, &["--cluster", "region", "--hc", "hc3"])));
    assert!(err.contains("--cluster") && err.contains("--hc"), "{err}");
    let err = usage_error(&cipa(&[
        "fit",
        "--data",
        d.to_str().unwrap(),
        "--model",
        "4",
        "--x",
        "network_ties",
        "--m",
        "collab",
        "--y",
        "exporter",
        "--cluster",
        "region",
    ]));
    assert!(
        err.contains("logistic") && err.contains("--linear-y"),
        "{err}"
    );
    // A constant cluster column, and a column with a second value only on a row dropped for a
    // missing value: one cluster either way.
    let dir = tempfile::tempdir().unwrap();
    let mut s = String::from("x,m,y,one,two\n");
    for i in 0..40 {
        let x = (i % 5) as f64;
        let m = 0.5 * x + ((i * 7) % 3) as f64;
        let y = if i == 0 {
            String::new()
        } else {
            format!("{}", m + ((i * 3) % 4) as f64)
        };
        let two = if i == 0 { "b" } else { "a" };
        s += &format!("{x},{m},{y},k,{two}\n");
    }
    let p = write(dir.path(), "c.csv", &s);
    for col in ["one", "two"] {
        let err = usage_error(&cipa(&[
            "fit",
            "--data",
            p.to_str().unwrap(),
            "--model",
            "4",
            "--x",
            "x",
            "--m",
            "m",
            "--y",
            "y",
            "--cluster",
            col,
            "--boot",
            "0",
        ]));
        assert!(
            err.contains(&format!("cluster variable '{col}' has 1 cluster(s)")),
            "{col}: {err}"
        );
    }
}
