//! The results page: every results folder gets `index.html` (key numbers, APA tables, every
//! figure under a heading saying what it shows) and `figures.json` (file -> what it shows); the
//! run says where the page is; a real browser (headless Chromium) loads every figure of the
//! page with no console message. The browser test is skipped, with a message, when no Chromium
//! or Chrome is installed (.ci/run installs Debian's `chromium`).

use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value;

use crate::common::cli::{cipa, stderr};

/// Runs cipa with `args` plus `--out DIR/name`; returns the folder and stderr.
fn folder(dir: &Path, name: &str, args: &[&str]) -> (PathBuf, String) {
    let out = dir.join(name);
    let mut v = args.to_vec();
    let o = out.to_str().unwrap().to_string();
    v.extend(["--out", &o]);
    let run = cipa(&v);
    assert!(run.status.success(), "{name}: {}", stderr(&run));
    (out, stderr(&run))
}

const FIT: &[&str] = &[
    "fit",
    "--data",
    "example:sme",
    "--model",
    "1",
    "--x",
    "network_ties",
    "--w",
    "log_employees",
    "--y",
    "collab",
    "--jn",
    "--boot",
    "0",
];

/// `cipa measure` on the shipped simulated items, with a small bootstrap.
fn measure_args(data: &str) -> Vec<String> {
    [
        "measure",
        "--data",
        data,
        "--construct",
        "network=n1,n2,n3,n4",
        "--construct",
        "collab=c1,c2,-c3,c4",
        "--construct",
        "perf=p1,p2,p3,p4",
        "--scale",
        "1,7",
        "--boot",
        "50",
        "--seed",
        "3",
    ]
    .map(String::from)
    .to_vec()
}

/// A small `cipa power` study of the shipped mediation design.
fn power_args(design: &str) -> Vec<String> {
    [
        "power",
        "--design",
        design,
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
        "--seed",
        "5",
        "--threads",
        "1",
    ]
    .map(String::from)
    .to_vec()
}

/// The measure and power results folders under `dir` (their pages are checked like fit's).
fn measure_and_power(dir: &Path) -> Vec<PathBuf> {
    let data = crate::common::cli::shipped("tests/golden/measure_sim/data.csv");
    let design = crate::common::cli::shipped("designs/mediation_small.toml");
    let mut out = Vec::new();
    for args in [
        measure_args(&data.display().to_string()),
        power_args(&design.display().to_string()),
    ] {
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let (folder_path, err) = folder(dir, args[0], &args);
        check_page(&folder_path, &err);
        out.push(folder_path);
    }
    out
}

/// Checks a folder's page and figures.json against each other and the files; returns the
/// figures.json document.
fn check_page(out: &Path, err: &str) -> Value {
    let index = out.join("index.html");
    assert!(
        err.contains(&format!("results page: {}", index.display())),
        "the run says where the page is: {err}"
    );
    let page = std::fs::read_to_string(&index).expect("index.html");
    assert!(page.starts_with("<!DOCTYPE html>") && page.contains("Key numbers"));
    let doc: Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("figures.json")).unwrap()).unwrap();
    let files = doc["files"].as_object().unwrap();
    for (path, what) in files {
        assert!(out.join(path).is_file(), "figures.json lists {path}");
        assert!(!what["shows"].as_str().unwrap().is_empty(), "{path}");
    }
    // Every figure file of the folder is described.
    if let Ok(rd) = std::fs::read_dir(out.join("plots")) {
        for e in rd {
            let name = format!("plots/{}", e.unwrap().file_name().to_string_lossy());
            assert!(files.contains_key(&name), "{name} is not in figures.json");
        }
    }
    for f in doc["figures"].as_array().unwrap() {
        let shows = f["shows"].as_str().unwrap();
        let heading = format!("<h3>{}</h3>", cipa::report::html::escape(shows));
        assert!(page.contains(&heading), "{heading} on the page");
        let img = format!("<img src=\"{}\"", f["image"].as_str().unwrap());
        assert!(page.contains(&img), "{img} on the page");
    }
    doc
}

#[test]
fn every_results_folder_gets_a_page_and_figures_json() {
    let dir = tempfile::tempdir().unwrap();
    let (out, err) = folder(dir.path(), "fit", FIT);
    let doc = check_page(&out, &err);
    let shows: Vec<&str> = doc["figures"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["shows"].as_str().unwrap())
        .collect();
    assert_eq!(
        shows.len(),
        4,
        "two diagrams, interaction and JN plots: {shows:#?}"
    );
    // The interaction plot says at which moderator values its lines are, with the digits
    // they need; the JN plot names its point.
    let inter = shows
        .iter()
        .find(|s| s.starts_with("Interaction plot"))
        .unwrap();
    assert!(inter.contains("log_employees = "), "{inter}");
    let jn = shows
        .iter()
        .find(|s| s.starts_with("Johnson-Neyman"))
        .unwrap();
    assert!(jn.contains("Johnson-Neyman point(s) at"), "{jn}");
    let page = std::fs::read_to_string(out.join("index.html")).unwrap();
    assert!(page.contains("APA tables") && page.contains("Conditional effect"));
    for args in [
        &[
            "regress",
            "--data",
            "example:sme",
            "--y",
            "collab",
            "--x",
            "network_ties,log_employees",
        ][..],
        &[
            "describe",
            "--data",
            "example:sme",
            "--vars",
            "collab,network_ties",
        ][..],
    ] {
        let (out, err) = folder(dir.path(), args[0], args);
        let doc = check_page(&out, &err);
        assert!(doc["figures"].as_array().unwrap().is_empty());
    }
    measure_and_power(dir.path());
    sem_folder(dir.path());
}

/// The first Chromium or Chrome on PATH.
fn browser() -> Option<&'static str> {
    [
        "chromium",
        "chromium-browser",
        "google-chrome",
        "google-chrome-stable",
    ]
    .into_iter()
    .find(|b| {
        Command::new(b)
            .arg("--version")
            .output()
            .is_ok_and(|o| o.status.success())
    })
}

/// Loads `page` in headless Chromium; returns the DOM after load and the browser's log.
fn load(browser: &str, page: &Path) -> (String, String) {
    let o = Command::new(browser)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--enable-logging=stderr",
            "--v=0",
            "--virtual-time-budget=10000",
            "--allow-file-access-from-files",
            "--dump-dom",
        ])
        .arg(format!("file://{}", page.display()))
        .output()
        .expect("the browser runs");
    (
        String::from_utf8_lossy(&o.stdout).into_owned(),
        String::from_utf8_lossy(&o.stderr).into_owned(),
    )
}

#[test]
fn the_page_opens_in_a_browser_with_every_figure() {
    let Some(browser) = browser() else {
        eprintln!(
            "SKIPPED the_page_opens_in_a_browser_with_every_figure: no chromium or google-chrome \
             on PATH (Debian: apt-get install chromium)"
        );
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let (out, _) = folder(dir.path(), "fit", FIT);
    check_in_browser(browser, &out, 4);
    for out in measure_and_power(dir.path()) {
        check_in_browser(browser, &out, 0);
    }
    if let Some(out) = sem_folder(dir.path()) {
        check_in_browser(browser, &out, 1);
    }
}

/// `cipa sem`'s results folder with its path diagram (None, with a message, without
/// ../shared/datasets).
fn sem_folder(dir: &Path) -> Option<PathBuf> {
    let data =
        crate::common::shared_or_skip_file("datasets/lavaan_pkg/HolzingerSwineford1939.csv")?;
    let data = data.display().to_string();
    let model = "visual =~ x1 + x2 + x3\ntextual =~ x4 + x5 + x6\nspeed =~ x7 + x8 + x9";
    let args = ["sem", "--data", &data, "--syntax", model];
    let (out, err) = folder(dir, "sem", &args);
    let doc = check_page(&out, &err);
    assert_eq!(doc["figures"].as_array().map(Vec::len), Some(1), "{doc}");
    Some(out)
}

/// Loads a folder's page: no console message, every one of its (at least `min_figures`)
/// figures loads.
fn check_in_browser(browser: &str, out: &Path, min_figures: usize) {
    let out = out.canonicalize().unwrap();
    let index = out.join("index.html");
    // The page as written: no console message (script errors, refused loads) at all.
    let (dom, log) = load(browser, &index);
    assert!(dom.contains("Key numbers"), "the page loaded: {log}");
    let console: Vec<&str> = log.lines().filter(|l| l.contains(":CONSOLE")).collect();
    assert!(console.is_empty(), "console messages: {console:#?}");
    // A copy with a script that reports every image that did not load (or did not parse).
    let page = std::fs::read_to_string(&index).unwrap();
    let script = "<script>window.addEventListener('load',function(){var b=[],im=document.images;\
        for(var i=0;i<im.length;i++){if(!im[i].complete||im[i].naturalWidth===0){b.push(im[i].getAttribute('src'));}}\
        var p=document.createElement('pre');p.id='cipa-check';p.textContent='IMAGES='+im.length+' BROKEN='+JSON.stringify(b);\
        document.body.appendChild(p);});</script>";
    let check = out.join("check.html");
    std::fs::write(&check, page.replace("</body>", &format!("{script}</body>"))).unwrap();
    let (dom, log) = load(browser, &check);
    let figures = page.matches("<img ").count();
    assert!(figures >= min_figures, "{}", out.display());
    assert!(
        dom.contains(&format!("IMAGES={figures} BROKEN=[]")),
        "every figure loads: {}\n{log}",
        dom.lines()
            .find(|l| l.contains("IMAGES="))
            .unwrap_or("no report")
    );
}
