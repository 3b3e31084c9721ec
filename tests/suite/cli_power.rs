//! `cipa power`: a run, its shards and `cipa power merge` give the same JSON summary; the power
//! curve is drawn; bad flags are usage errors.

use std::process::{Command, Output};

fn cipa(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_cipa"))
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .expect("cipa runs")
}

const STUDY: &[&str] = &[
    "power",
    "--design",
    "designs/mediation_small.toml",
    "--model",
    "4",
    "--x",
    "x",
    "--m",
    "m",
    "--y",
    "y",
    "--n",
    "40,60",
    "--reps",
    "4",
    "--boot",
    "50",
    "--effects",
    "indirect,coef:m~x",
    "--seed",
    "5",
    "--threads",
    "1",
];

#[test]
fn sharded_cli_run_merges_to_the_whole_run() {
    let dir = std::env::temp_dir().join(format!("cipa-power-cli-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let whole = dir.join("whole.json");
    let svg = dir.join("curve.svg");
    let mut args = STUDY.to_vec();
    let (w, s) = (
        whole.to_string_lossy().to_string(),
        svg.to_string_lossy().to_string(),
    );
    args.extend(["--out", &w, "--plot", &s]);
    let o = cipa(&args);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert!(std::fs::read_to_string(&svg).expect("svg").contains("<svg"));
    let mut files = Vec::new();
    for i in 1..=2 {
        let f = dir
            .join(format!("shard{i}.json"))
            .to_string_lossy()
            .to_string();
        let shard = format!("{i}/2");
        let mut args = STUDY.to_vec();
        args.extend(["--shard", &shard, "--out", &f]);
        let o = cipa(&args);
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
        files.push(f);
    }
    let merged = dir.join("merged.json").to_string_lossy().to_string();
    let mut args = vec!["power", "merge"];
    args.extend(files.iter().map(String::as_str));
    args.extend(["--out", &merged]);
    let o = cipa(&args);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let a: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&whole).expect("whole")).expect("json");
    let b: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&merged).expect("merged")).expect("json");
    assert_eq!(a, b);
    assert_eq!(a["kind"], "cipa power");
    assert_eq!(a["rows"].as_array().map(Vec::len), Some(4));
    // One shard alone is refused, with exit code 2.
    let o = cipa(&["power", "merge", &files[0]]);
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("missing"));
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn bad_shard_and_effect_are_usage_errors() {
    let mut args = STUDY.to_vec();
    args.extend(["--shard", "3/2"]);
    let o = cipa(&args);
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("--shard"));
    let o = cipa(&[
        "power",
        "--design",
        "designs/mediation_small.toml",
        "--model",
        "4",
        "--x",
        "x",
        "--m",
        "m",
        "--y",
        "y",
        "--effects",
        "nonsense",
    ]);
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("unknown effect"));
}
