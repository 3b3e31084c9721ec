//! `cipa power`: a run, its shards and `cipa power merge` give the same JSON summary; the power
//! curve is drawn; bad flags are usage errors. `--plan` counts and times the work; `--slurm N`
//! writes job scripts whose shards, run here as Slurm would run them, merge to the unsharded run
//! byte for byte.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use crate::common::cli::{cipa_in, ok, stderr, stdout, usage_error};
use crate::common::crate_root;

/// Runs cipa in the crate root, where the study's design file is.
fn power(args: &[&str]) -> Output {
    cipa_in(&crate_root(), args)
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
    let o = power(&args);
    ok(&o);
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
        let o = power(&args);
        ok(&o);
        files.push(f);
    }
    let merged = dir.join("merged.json").to_string_lossy().to_string();
    let mut args = vec!["power", "merge"];
    args.extend(files.iter().map(String::as_str));
    args.extend(["--out", &merged]);
    let o = power(&args);
    ok(&o);
    let a: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&whole).expect("whole")).expect("json");
    let b: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&merged).expect("merged")).expect("json");
    assert_eq!(a, b);
    assert_eq!(a["kind"], "cipa power");
    assert_eq!(a["rows"].as_array().map(Vec::len), Some(4));
    // One shard alone is refused, with exit code 2.
    let o = power(&["power", "merge", &files[0]]);
    let e = usage_error(&o);
    assert!(e.contains("missing"), "{e}");
    // Replication 2 (r = 1) is the first missing; r mod 2 = 1 puts it in shard 2.
    assert!(
        e.contains("replication 2 at n = 40, which shard 2/2 holds"),
        "{e}"
    );
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn bad_shard_and_effect_are_usage_errors() {
    let mut args = STUDY.to_vec();
    args.extend(["--shard", "3/2"]);
    let o = power(&args);
    assert!(usage_error(&o).contains("--shard"));
    let o = power(&[
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
    assert!(usage_error(&o).contains("unknown effect"));
}

/// A fresh scratch folder for one test.
fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("cipa-power-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("temp dir");
    dir
}

/// The study's flags with `extra` after them.
fn study(extra: &[&str]) -> Vec<String> {
    STUDY.iter().chain(extra).map(|s| s.to_string()).collect()
}

fn run(args: &[String]) -> Output {
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    power(&args)
}

/// Whether bash is here to run the job scripts; says so when it is not.
fn have_bash() -> bool {
    let ok = Command::new("bash")
        .args(["-c", "true"])
        .status()
        .is_ok_and(|s| s.success());
    if !ok {
        eprintln!("skipped: bash is not installed, and the job scripts are bash scripts");
    }
    ok
}

/// `bash ARGS` in `dir` with `env` set, and none of the Slurm variables of a surrounding job.
fn bash(dir: &Path, args: &[&str], env: &[(&str, &str)]) -> Output {
    let mut c = Command::new("bash");
    c.args(args).current_dir(dir);
    for v in [
        "SLURM_ARRAY_TASK_ID",
        "SLURM_CPUS_PER_TASK",
        "SLURM_SUBMIT_DIR",
        "CIPA",
    ] {
        c.env_remove(v);
    }
    c.envs(env.iter().copied()).output().expect("bash runs")
}

/// The value of `#SBATCH --NAME=VALUE` in a script.
fn sbatch_option<'a>(script: &'a str, name: &str) -> Option<&'a str> {
    let prefix = format!("#SBATCH --{name}=");
    script.lines().find_map(|l| l.strip_prefix(prefix.as_str()))
}

#[test]
fn slurm_job_scripts_run_here_and_merge_to_the_unsharded_run() {
    if !have_bash() {
        return;
    }
    let dir = scratch("slurm");
    let jobs = dir.join("jobs");
    let o = run(&study(&["--slurm", "3", "--pilot-reps", "1", "--out"])
        .into_iter()
        .chain([jobs.display().to_string()])
        .collect::<Vec<_>>());
    ok(&o);
    assert!(stdout(&o).contains("Suggested shards"));
    for f in [
        "power.sbatch",
        "merge.sbatch",
        "submit.sh",
        "README.md",
        "plan.json",
        "logs",
    ] {
        assert!(jobs.join(f).exists(), "{f} is missing");
    }
    // The design is copied byte for byte: its text is part of the study's fingerprint.
    assert_eq!(
        std::fs::read(jobs.join("design.toml")).expect("copy"),
        std::fs::read("designs/mediation_small.toml").expect("design")
    );
    for script in ["power.sbatch", "merge.sbatch", "submit.sh"] {
        let o = bash(&jobs, &["-n", script], &[]);
        assert!(o.status.success(), "{script}: {}", stderr(&o));
    }
    let script = std::fs::read_to_string(jobs.join("power.sbatch")).expect("script");
    // --shard is 1-based, so is the array; one thread per task as --threads 1 asked.
    assert_eq!(sbatch_option(&script, "array"), Some("1-3"));
    assert_eq!(sbatch_option(&script, "cpus-per-task"), Some("1"));
    assert_eq!(
        sbatch_option(&script, "output"),
        Some("logs/power-%A_%a.out")
    );
    let time = sbatch_option(&script, "time").expect("--time");
    let (days, clock) = time.split_once('-').expect("D-HH:MM:SS");
    assert!(days.parse::<u32>().is_ok() && clock.len() == 8, "{time}");
    // The plan's estimate is well under a second here, so the request is about the ten-minute
    // margin: twice the estimate plus ten minutes, in whole minutes.
    let minutes: u32 = clock[3..5].parse().expect("minutes");
    assert!(
        clock.starts_with("00:") && (11..=20).contains(&minutes),
        "{time}"
    );
    let mem = sbatch_option(&script, "mem").expect("--mem");
    let mb: u64 = mem.trim_end_matches('M').parse().expect("MB");
    assert!(mb >= 1024 && mb.is_multiple_of(256), "{mem}");
    assert!(script.contains("--shard i/3 --out shards/shard-i-of-3.json"));
    let readme = std::fs::read_to_string(jobs.join("README.md")).expect("README");
    assert!(readme.contains("jid=$(sbatch --parsable power.sbatch)"));
    assert!(readme.contains("--dependency=afterok:$jid"));
    assert!(readme.contains("xargs -P") && readme.contains("parallel -j"));

    // submit.sh with a stand-in sbatch that logs its arguments and answers as --parsable does.
    let bin = dir.join("bin");
    std::fs::create_dir_all(&bin).expect("bin");
    let log = dir.join("sbatch.log");
    std::fs::write(
        bin.join("sbatch"),
        "#!/bin/bash\necho \"$*\" >> \"$FAKE_SBATCH_LOG\"\necho \"$((1000 + $(wc -l < \"$FAKE_SBATCH_LOG\")));cluster1\"\n",
    )
    .expect("fake sbatch");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let exec = std::fs::Permissions::from_mode(0o755);
        std::fs::set_permissions(bin.join("sbatch"), exec).expect("chmod");
    }
    let path = format!(
        "{}:{}",
        bin.display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let log_s = log.display().to_string();
    let o = bash(
        &jobs,
        &["submit.sh", "--account=lab"],
        &[
            ("PATH", &path),
            ("FAKE_SBATCH_LOG", &log_s),
            ("SHELL", "/bin/bash"),
        ],
    );
    ok(&o);
    let calls = std::fs::read_to_string(&log).expect("sbatch log");
    let calls: Vec<&str> = calls.lines().collect();
    assert_eq!(calls[0], "--parsable --account=lab power.sbatch");
    assert_eq!(
        calls[1],
        "--parsable --account=lab --dependency=afterok:1001 --kill-on-invalid-dep=yes merge.sbatch"
    );
    assert_eq!(
        std::fs::read_to_string(jobs.join("jobs.txt"))
            .expect("jobs.txt")
            .trim(),
        "1001 1002"
    );

    // Without the array variable a task says how to run it.
    let o = bash(&jobs, &["power.sbatch"], &[]);
    assert!(!o.status.success());
    assert!(stderr(&o).contains("SLURM_ARRAY_TASK_ID"), "{}", stderr(&o));
    // The shards as Slurm runs them, the array variable set; a merge before the last one names
    // the task to run again.
    for i in ["1", "2"] {
        let o = bash(&jobs, &["power.sbatch"], &[("SLURM_ARRAY_TASK_ID", i)]);
        assert!(o.status.success(), "task {i}: {}", stderr(&o));
    }
    let o = bash(&jobs, &["merge.sbatch"], &[]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("sbatch --array=3 power.sbatch"),
        "{}",
        stderr(&o)
    );
    let o = bash(&jobs, &["power.sbatch"], &[("SLURM_ARRAY_TASK_ID", "3")]);
    assert!(o.status.success(), "task 3: {}", stderr(&o));
    let o = bash(&jobs, &["merge.sbatch"], &[]);
    assert!(o.status.success(), "merge: {}", stderr(&o));

    // The whole study at once, on two threads: the same bytes.
    let whole = dir.join("whole.json").display().to_string();
    let mut args = study(&["--out", &whole]);
    let t = args
        .iter()
        .position(|a| a == "--threads")
        .expect("--threads");
    args[t + 1] = "2".into();
    let o = run(&args);
    ok(&o);
    let merged = std::fs::read(jobs.join("results/results.json")).expect("merged results");
    assert_eq!(merged, std::fs::read(&whole).expect("whole"));
    let plan: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(jobs.join("plan.json")).expect("plan"))
            .expect("plan JSON");
    let whole: serde_json::Value = serde_json::from_slice(&merged).expect("JSON");
    assert_eq!(plan["fingerprint"], whole["fingerprint"]);
    assert_eq!(plan["slurm"]["time"], time);
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn plan_counts_the_work_and_suggests_shards_from_the_pilot() {
    let o = run(&study(&[
        "--plan",
        "--format",
        "json",
        "--pilot-reps",
        "2",
        "--job-time",
        "30m",
    ]));
    ok(&o);
    let p: serde_json::Value = serde_json::from_slice(&o.stdout).expect("plan JSON");
    assert_eq!(p["kind"], "cipa power plan");
    // 2 sizes × 4 replications; each a fit and 50 bootstrap refits.
    assert_eq!(p["replications"], 8);
    assert_eq!(p["model_fits"], 8 * 51);
    assert_eq!(p["bootstrap_draws"], 8 * 50);
    assert_eq!(p["pilot"]["replications_per_size"], 2);
    assert_eq!(p["pilot"]["failed"], 0);
    let per_size: Vec<f64> = p["pilot"]["sizes"]
        .as_array()
        .expect("sizes")
        .iter()
        .map(|s| s["seconds_per_replication"].as_f64().expect("seconds"))
        .collect();
    assert_eq!(per_size.len(), 2);
    assert!(per_size.iter().all(|&s| s > 0.0), "{per_size:?}");
    let round: f64 = per_size.iter().sum();
    let cpu = p["cpu_seconds"].as_f64().expect("cpu");
    assert!((cpu - 4.0 * round).abs() <= 1e-9 * cpu, "{cpu} vs {round}");
    // The suggestion is the fewest shards whose longest job fits the target: setup plus
    // ceil(reps / N) replications at every size, shared by the job's threads.
    let setup = p["pilot"]["setup_seconds"].as_f64().expect("setup");
    let jobs = &p["jobs"];
    assert_eq!(jobs["target_seconds"], 1800);
    assert_eq!(jobs["threads_per_job"], 1);
    let job = |n: usize| setup + 4usize.div_ceil(n) as f64 * round;
    let suggested = jobs["suggested_shards"].as_u64().expect("shards") as usize;
    let fewest = (1..=4).find(|&n| job(n) <= 1800.0).unwrap_or(4);
    assert_eq!(suggested, fewest);
    let per_job = jobs["seconds_per_job"].as_f64().expect("per job");
    assert!((per_job - job(suggested)).abs() <= 1e-9 * per_job);

    let o = run(&study(&["--plan", "--pilot-reps", "1"]));
    ok(&o);
    let text = stdout(&o);
    for want in [
        "Replications     8",
        "an estimate",
        "Suggested shards",
        "--slurm",
    ] {
        assert!(text.contains(want), "{want} not in\n{text}");
    }
}

#[test]
fn more_shards_than_replications_and_misplaced_flags_are_refused() {
    let dir = scratch("refused");
    let jobs = dir.join("jobs").display().to_string();
    // --reps 4: at most 4 shards, for a job array as for one shard.
    let o = run(&study(&["--slurm", "5", "--out", &jobs]));
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("--slurm with 5 shards"),
        "{}",
        stderr(&o)
    );
    assert!(
        stderr(&o).contains("use at most 4 shards"),
        "{}",
        stderr(&o)
    );
    assert!(!Path::new(&jobs).exists(), "nothing is written");
    let o = run(&study(&["--shard", "5/5"]));
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("use at most 4 shards"),
        "{}",
        stderr(&o)
    );
    let o = run(&study(&["--slurm", "0", "--out", &jobs]));
    assert_eq!(o.status.code(), Some(2));
    // --slurm writes a folder, and only a new one.
    let o = run(&study(&["--slurm", "2"]));
    let err = usage_error(&o);
    assert!(err.contains("--out DIR"), "{err}");
    std::fs::create_dir_all(&jobs).expect("folder");
    std::fs::write(Path::new(&jobs).join("keep.txt"), "mine").expect("file");
    let o = run(&study(&["--slurm", "2", "--out", &jobs]));
    let err = usage_error(&o);
    assert!(err.contains("not an empty folder"), "{err}");
    assert_eq!(
        std::fs::read_dir(&jobs).expect("folder").count(),
        1,
        "the folder is left as it was"
    );
    let o = run(&study(&["--job-time", "2h"]));
    let err = usage_error(&o);
    assert!(err.contains("--plan"), "{err}");
    let o = run(&study(&["--plan", "--job-time", "soon"]));
    let err = usage_error(&o);
    assert!(err.contains("not a duration"), "{err}");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn merge_names_what_differs_in_a_shard_of_another_study() {
    let dir = scratch("foreign");
    let a = dir.join("a.json").display().to_string();
    let b = dir.join("b.json").display().to_string();
    let o = run(&study(&["--shard", "1/2", "--out", &a]));
    ok(&o);
    // Shard 2 of the same study but another seed: it would complete the set, and is refused.
    let mut args = study(&["--shard", "2/2", "--out", &b]);
    let s = args.iter().position(|x| x == "--seed").expect("--seed");
    args[s + 1] = "6".into();
    let o = run(&args);
    ok(&o);
    let o = power(&["power", "merge", &a, &b]);
    let e = usage_error(&o);
    assert!(
        e.contains("b.json' is a shard of another study than '"),
        "{e}"
    );
    assert!(e.contains("a.json"), "{e}");
    assert!(e.contains("seed 6 against 5"), "{e}");
    // A shard edited by hand no longer matches its fingerprint.
    let text = std::fs::read_to_string(&b).expect("shard");
    std::fs::write(&b, text.replace("\"seed\":6", "\"seed\":5")).expect("edit");
    let o = power(&["power", "merge", &a, &b]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("does not match its own fingerprint"),
        "{}",
        stderr(&o)
    );
    let _ = std::fs::remove_dir_all(&dir);
}
