//! Running the `cipa` binary in the end-to-end tests (after ripgrep's tests/util.rs): the
//! command, its output as text or JSON with the run's stderr in every failure message, files in a
//! temporary folder, the shipped data sets, and argument lists built from a shared base.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// Runs `cipa` with `args` in the current directory.
pub fn cipa(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_cipa"))
        .args(args)
        .output()
        .expect("the cipa binary runs")
}

/// Runs `cipa` with `args` in `dir` (for relative paths such as `designs/...`).
pub fn cipa_in(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_cipa"))
        .args(args)
        .current_dir(dir)
        .output()
        .expect("the cipa binary runs")
}

pub fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

pub fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// The standard output of a run that must succeed.
pub fn ok(o: &Output) -> String {
    assert!(o.status.success(), "failed: {}", stderr(o));
    stdout(o)
}

/// The standard output of a run that must succeed, as JSON.
pub fn json(o: &Output) -> serde_json::Value {
    assert_eq!(o.status.code(), Some(0), "{}", stderr(o));
    serde_json::from_slice(&o.stdout).expect("valid JSON")
}

/// The standard error of a run that must fail as a usage or input error (exit code 2, no panic).
pub fn usage_error(o: &Output) -> String {
    let err = stderr(o);
    assert_eq!(o.status.code(), Some(2), "expected exit code 2: {err}");
    assert!(!err.contains("panicked"), "a panic: {err}");
    err
}

/// Writes `content` to `dir/name` and returns the path.
pub fn write(dir: &Path, name: &str, content: &str) -> PathBuf {
    let p = dir.join(name);
    std::fs::write(&p, content).expect("temp file is writable");
    p
}

/// A file shipped with the crate, by its path from the crate root.
pub fn shipped(path: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(path)
}

/// The example data (`datasets/sme_example.csv`; its missing values are coded -99).
pub fn sme_example() -> PathBuf {
    shipped("datasets/sme_example.csv")
}

/// `base` followed by `extra`: one long argument list shared by the runs of a test, each run
/// adding its own flags.
pub fn with<'a>(base: &[&'a str], extra: &[&'a str]) -> Vec<&'a str> {
    let mut v = base.to_vec();
    v.extend_from_slice(extra);
    v
}
