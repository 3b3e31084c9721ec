//! `cipa power --slurm N --out DIR`: a study as a Slurm job array. DIR gets the array's script
//! (task i runs `--shard i/N`), a merge script for a job dependent on the array, submit.sh, a
//! README, the plan, and copies of the design (and model file), so that the folder is complete
//! on its own and can be copied to a cluster. The scripts are filled in from templates/.
//!
//! The command each task runs is rebuilt from the parsed flags, every setting written out. Before
//! the folder is put in place, that command is read back and the study it makes is set up again:
//! its fingerprint must be the one planned, or nothing is written (a flag lost on the way would
//! otherwise give shards of another study that merge with each other without complaint).

use std::path::{Path, PathBuf};

use clap::Parser;
use serde_json::json;

use super::plan::{self, Plan};
use super::{prepare, PowerRunArgs, Prepared, StudyCommand};
use crate::cli::model_opts::spec_text;
use crate::cli::results_dir::{self, Destination};
use crate::cli::{usage, CliError};

/// The design's copy in DIR, as the scripts name it.
const DESIGN: &str = "design.toml";
/// The model file's copy in DIR (with --spec FILE).
const MODEL: &str = "model.cipa";

const POWER_SBATCH: &str = include_str!("templates/power.sbatch");
const MERGE_SBATCH: &str = include_str!("templates/merge.sbatch");
const SUBMIT_SH: &str = include_str!("templates/submit.sh");
const README: &str = include_str!("templates/README.md");
const LOGS_README: &str = "Slurm writes each task's output here (power-JOBID_TASK.out, \
merge-JOBID.out). It opens that file before the task starts, so this folder must exist.\n";

/// One file of the folder.
struct File {
    path: &'static str,
    text: String,
    executable: bool,
}

/// Checks, before the pilot, that --out names a folder that is new or empty: a job folder
/// collects the shards, logs and results of its run, so cipa never replaces one.
pub(super) fn check_target(out: Option<&Path>) -> Result<PathBuf, CliError> {
    let Some(out) = out else {
        return Err(usage(
            "--slurm N writes a folder of job scripts: give it as --out DIR",
        ));
    };
    let Destination::Folder(dir) = results_dir::destination(Some(out))? else {
        return Err(usage(format!(
            "--slurm N writes a folder of job scripts, but --out '{}' names a report file: give a folder name",
            out.display()
        )));
    };
    if dir.file_name().is_none() {
        return Err(usage(format!(
            "--out '{}' does not name a folder (give a path such as jobs/study1)",
            dir.display()
        )));
    }
    if dir.exists() {
        let empty = std::fs::read_dir(&dir)
            .map(|mut r| r.next().is_none())
            .unwrap_or(false);
        if !dir.is_dir() || !empty {
            return Err(usage(format!(
                "--out '{}' exists and is not an empty folder; a job folder collects the shards, logs and results of its run, so cipa writes only a new one: choose another name",
                dir.display()
            )));
        }
    }
    Ok(dir)
}

/// Writes the job folder for `shards` shards.
pub(super) fn write(
    a: &PowerRunArgs,
    p: &Prepared,
    plan: &Plan,
    shards: usize,
) -> Result<(), CliError> {
    let dir = check_target(a.output.out.as_deref())?;
    // A model file is copied; framework:NAME names a model built into cipa.
    let model = match &a.roles.spec {
        Some(f) if !f.to_string_lossy().starts_with("framework:") => Some(spec_text(f)?),
        _ => None,
    };
    let args = study_args(a, model.is_some());
    let files = files(p, plan, shards, &args, model, &dir)?;
    put_in_place(&dir, &files, |tmp| check_readback(&args, tmp, plan))?;
    print!("{}", plan::render(plan, false));
    let j = &plan.jobs;
    let per_task = plan.job_seconds(shards, j.threads_per_job);
    if per_task > j.target_seconds as f64 {
        eprintln!(
            "cipa: note: with {shards} shards a task takes about {}, more than the --job-time target of {}; the plan suggests {} shards",
            plan::human(per_task),
            plan::human(j.target_seconds as f64),
            j.suggested_shards
        );
    }
    if shards > 1000 {
        eprintln!("cipa: note: {shards} array tasks: many clusters cap arrays at 1000 tasks (MaxArraySize; README.md)");
    }
    eprintln!(
        "cipa: wrote a job array of {shards} shards to {d}; submit with: cd {d} && ./submit.sh (README.md there says more)",
        d = quote(&dir.display().to_string())
    );
    Ok(())
}

/// The flags that make the study, each written out, with the design (and a model file) as their
/// copies in DIR. Output, threads and the shard are the script's own.
fn study_args(a: &PowerRunArgs, model_copy: bool) -> Vec<String> {
    let mut v: Vec<String> = vec!["power".into()];
    let mut flag = |name: &str, value: Option<String>| {
        if let Some(value) = value {
            v.push(format!("--{name}"));
            v.push(value);
        }
    };
    let join = |xs: &[String]| (!xs.is_empty()).then(|| xs.join(","));
    let r = &a.roles;
    flag("design", Some(DESIGN.into()));
    flag("model", r.model.map(|m| m.to_string()));
    let spec = r.spec.as_ref().map(|s| s.to_string_lossy().into_owned());
    flag("spec", if model_copy { Some(MODEL.into()) } else { spec });
    flag("x", r.x.clone());
    flag("m", join(&r.m));
    flag("y", r.y.clone());
    flag("w", r.w.clone());
    flag("z", r.z.clone());
    flag("cov", join(&r.cov));
    flag("effects", join(&a.effects));
    let sizes: Vec<String> = a.n.iter().map(usize::to_string).collect();
    flag("n", Some(sizes.join(",")));
    flag("reps", Some(a.reps.to_string()));
    flag("boot", Some(a.boot.to_string()));
    flag("seed", Some(a.seed.to_string()));
    flag("ci", Some(a.ci.label().to_string()));
    flag("conf", Some(a.conf.to_string()));
    if a.exact {
        v.push("--exact".into());
    }
    v
}

/// Reads the scripts' command back as cipa would, with the copies in `tmp`, and sets the study up
/// again: it must be the study planned.
fn check_readback(args: &[String], tmp: &Path, plan: &Plan) -> Result<(), CliError> {
    let mut local: Vec<String> = vec!["cipa power".into()];
    let mut previous = "";
    for s in &args[1..] {
        local.push(match previous {
            "--design" | "--spec" if s == DESIGN || s == MODEL => tmp.join(s).display().to_string(),
            _ => s.clone(),
        });
        previous = s;
    }
    let parsed = StudyCommand::try_parse_from(&local)
        .map_err(|e| CliError::Internal(format!("the job script's command does not parse: {e}")))?;
    let again = prepare(&parsed.run)?.study.settings.fingerprint();
    if again != plan.fingerprint {
        return Err(CliError::Internal(format!(
            "the job script's command makes another study (fingerprint {again}, not {})",
            plan.fingerprint
        )));
    }
    Ok(())
}

/// Everything the folder holds.
fn files(
    p: &Prepared,
    plan: &Plan,
    shards: usize,
    args: &[String],
    model: Option<String>,
    dir: &Path,
) -> Result<Vec<File>, CliError> {
    let values = Values::new(plan, shards, args, model.is_some(), dir)?;
    let mut files = vec![
        File::script("power.sbatch", values.fill(POWER_SBATCH)?),
        File::script("merge.sbatch", values.fill(MERGE_SBATCH)?),
        File::script("submit.sh", values.fill(SUBMIT_SH)?),
        File::text("README.md", values.fill(README)?),
        File::text("plan.json", plan_json(plan, &values)?),
        File::text(DESIGN, p.design_text.clone()),
        File::text("logs/README.txt", LOGS_README.into()),
    ];
    if let Some(text) = model {
        files.push(File::text(MODEL, text));
    }
    Ok(files)
}

impl File {
    fn script(path: &'static str, text: String) -> Self {
        File {
            path,
            text,
            executable: true,
        }
    }
    fn text(path: &'static str, text: String) -> Self {
        File {
            path,
            text,
            executable: false,
        }
    }
}

/// The plan with the requests the scripts make.
fn plan_json(plan: &Plan, v: &Values) -> Result<String, CliError> {
    let mut doc = serde_json::to_value(plan).map_err(|e| CliError::Internal(e.to_string()))?;
    doc["slurm"] = json!({
        "shards": v.shards,
        "array": format!("1-{}", v.shards),
        "cpus_per_task": v.threads,
        "time": plan::slurm_time(v.time),
        "mem_mb": v.mem_mb,
        "estimated_seconds_per_task": v.task_seconds,
        "merge_time": plan::slurm_time(v.merge_time),
        "merge_mem_mb": v.merge_mem_mb,
    });
    serde_json::to_string_pretty(&doc)
        .map(|s| s + "\n")
        .map_err(|e| CliError::Internal(e.to_string()))
}

/// What the templates are filled with.
struct Values {
    shards: usize,
    threads: usize,
    task_seconds: f64,
    time: u64,
    mem_mb: u64,
    merge_time: u64,
    merge_mem_mb: u64,
    pairs: Vec<(&'static str, String)>,
}

impl Values {
    fn new(
        plan: &Plan,
        shards: usize,
        args: &[String],
        model_copy: bool,
        dir: &Path,
    ) -> Result<Self, CliError> {
        let threads = plan.jobs.threads_per_job;
        let task_seconds = plan.job_seconds(shards, threads);
        let time = plan::time_request(task_seconds);
        let mem_mb = plan::mem_request_mb(plan.pilot.peak_memory_mb, threads);
        // Reading JSON at 20 MB/s is slow for serde; the shards and their text at most thrice.
        let shard_mb = plan.shard_bytes() / 1e6;
        let merge_time = plan::time_request(shard_mb / 20.0);
        let merge_mem_mb = plan::mem_request_mb(Some(50.0 + 3.0 * shard_mb), 1);
        let cipa = std::env::current_exe()
            .and_then(|p| p.canonicalize())
            .map_err(|e| CliError::Internal(format!("cannot find the cipa binary: {e}")))?;
        let cores = std::thread::available_parallelism().map_or(1, usize::from);
        let study = args.iter().map(|s| quote(s)).collect::<Vec<_>>().join(" ");
        let task = format!(
            "cipa {study} --threads {threads} --shard i/{shards} --out shards/shard-i-of-{shards}.json"
        );
        let pairs = vec![
            ("SHARDS", shards.to_string()),
            ("THREADS", threads.to_string()),
            ("TIME", plan::slurm_time(time)),
            ("MEM", mem_mb.to_string()),
            ("MERGE_TIME", plan::slurm_time(merge_time)),
            ("MERGE_MEM", merge_mem_mb.to_string()),
            ("SHARD_SIZE", plan::human_bytes(plan.shard_bytes())),
            ("JOB_ESTIMATE", plan::human(task_seconds)),
            ("CIPA", quote(&cipa.display().to_string())),
            ("VERSION", crate::VERSION.to_string()),
            ("FINGERPRINT", plan.fingerprint.clone()),
            ("COMMAND", command_line()),
            ("TASK_COMMAND", task),
            ("MERGE_COMMAND", format!("cipa power merge shards/shard-{{1..{shards}}}-of-{shards}.json --out results")),
            ("WHOLE_COMMAND", format!("cipa {study} --threads {threads} --out whole.json    # whole.json = results/results.json")),
            ("ARGS", array_lines(args)),
            ("NAME", quote(&dir.file_name().unwrap_or_default().to_string_lossy())),
            ("MODEL_ROW", if model_copy { format!("\n| `{MODEL}` | the model, a copy of the file given |") } else { String::new() }),
            ("LOCAL_JOBS", (cores / threads).max(1).to_string()),
            ("PILOT", plan.pilot.replications_per_size.to_string()),
            ("PLAN", plan::render(plan, false)),
        ];
        Ok(Values {
            shards,
            threads,
            task_seconds,
            time,
            mem_mb,
            merge_time,
            merge_mem_mb,
            pairs,
        })
    }

    /// The template with every placeholder `@NAME@` (capitals and underscores) replaced, in one
    /// pass, so that a value holding an `@` is never read as a placeholder; a placeholder without
    /// a value is a bug.
    fn fill(&self, template: &str) -> Result<String, CliError> {
        fill(template, &self.pairs)
    }
}

fn fill(template: &str, pairs: &[(&str, String)]) -> Result<String, CliError> {
    let mut out = String::with_capacity(template.len());
    let mut rest = template;
    while let Some(i) = rest.find('@') {
        out.push_str(&rest[..i]);
        let after = &rest[i + 1..];
        let len = after
            .find(|c: char| !(c.is_ascii_uppercase() || c == '_'))
            .unwrap_or(after.len());
        let name = &after[..len];
        if len == 0 || !after[len..].starts_with('@') {
            out.push('@');
            rest = after;
            continue;
        }
        let (_, value) = pairs.iter().find(|(n, _)| *n == name).ok_or_else(|| {
            CliError::Internal(format!("job script template has no value for @{name}@"))
        })?;
        out.push_str(value);
        rest = &after[len + 1..];
    }
    out.push_str(rest);
    Ok(out)
}

/// `s` as one shell word on one line: as it is when made of safe characters only, else in single
/// quotes (a single quote inside becomes '\''), or as $'...' when it holds a control character
/// such as a newline, which inside a comment would otherwise start a line of code.
fn quote(s: &str) -> String {
    let safe = |c: char| c.is_ascii_alphanumeric() || "_-+./,:=%".contains(c);
    if !s.is_empty() && s.chars().all(safe) {
        return s.to_string();
    }
    if !s.chars().any(char::is_control) {
        return format!("'{}'", s.replace('\'', r"'\''"));
    }
    let mut out = String::from("$'");
    for c in s.chars() {
        match c {
            '\\' | '\'' => {
                out.push('\\');
                out.push(c);
            }
            c if c.is_control() => out += &format!("\\x{:02x}", c as u32),
            c => out.push(c),
        }
    }
    out + "'"
}

/// The arguments of a bash array, a flag and its value on each line.
fn array_lines(args: &[String]) -> String {
    let mut lines: Vec<String> = Vec::new();
    for s in args {
        match lines.last_mut() {
            Some(last)
                if last.trim_start().starts_with("--")
                    && !last.trim_start().contains(' ')
                    && !s.starts_with("--") =>
            {
                last.push(' ');
                last.push_str(&quote(s));
            }
            _ => lines.push(format!("  {}", quote(s))),
        }
    }
    lines.join("\n")
}

/// This run's command line, as a shell would take it.
fn command_line() -> String {
    // args_os: std::env::args would panic on an argument that is not UTF-8.
    let args: Vec<String> = std::env::args_os()
        .skip(1)
        .map(|s| quote(&s.to_string_lossy()))
        .collect();
    format!("cipa {}", args.join(" "))
}

/// Writes the files into a temporary folder beside `dir`, runs `check` on it, and renames it to
/// `dir`; on any error nothing is left behind (also no parent folder made for it).
fn put_in_place(
    dir: &Path,
    files: &[File],
    check: impl FnOnce(&Path) -> Result<(), CliError>,
) -> Result<(), CliError> {
    let parent = match dir.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let name = dir.file_name().unwrap_or_default().to_string_lossy();
    let tmp = parent.join(format!(".{name}.cipa-tmp-{}", std::process::id()));
    let mut made: Vec<PathBuf> = Vec::new();
    let mut p = parent.as_path();
    while !p.as_os_str().is_empty() && !p.exists() {
        made.push(p.to_path_buf());
        p = p.parent().unwrap_or(Path::new(""));
    }
    let out_err = |e: std::io::Error| {
        CliError::Input(crate::Error::Output {
            path: dir.display().to_string(),
            message: e.to_string(),
        })
    };
    let result = write_all(&tmp, files)
        .map_err(out_err)
        .and_then(|()| check(&tmp))
        .and_then(|()| {
            // An empty folder (checked before the pilot) gives way to the new one.
            if dir.is_dir() {
                std::fs::remove_dir(dir).map_err(out_err)?;
            }
            std::fs::rename(&tmp, dir).map_err(out_err)
        });
    if result.is_err() {
        let _ = std::fs::remove_dir_all(&tmp);
        for d in &made {
            let _ = std::fs::remove_dir(d);
        }
    }
    result
}

fn write_all(tmp: &Path, files: &[File]) -> std::io::Result<()> {
    if tmp.exists() {
        std::fs::remove_dir_all(tmp)?;
    }
    std::fs::create_dir_all(tmp)?;
    for f in files {
        let path = tmp.join(f.path);
        if let Some(d) = path.parent() {
            std::fs::create_dir_all(d)?;
        }
        std::fs::write(&path, &f.text)?;
        #[cfg(unix)]
        if f.executable {
            use std::os::unix::fs::PermissionsExt;
            std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755))?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_are_quoted_only_when_needed() {
        assert_eq!(quote("designs/a.toml"), "designs/a.toml");
        assert_eq!(quote("coef:m~x"), "'coef:m~x'");
        assert_eq!(quote("it's here"), r"'it'\''s here'");
        assert_eq!(quote(""), "''");
        assert_eq!(quote("a\nb'c"), r"$'a\x0ab\'c'");
    }

    #[test]
    fn templates_fill_in_one_pass() {
        let pairs = vec![
            ("SHARDS", "3".to_string()),
            ("CMD", "a@SHARDS@b".to_string()),
        ];
        let t = r#"x "${ARGS[@]}" @SHARDS@ @CMD@ mail@example.org @@"#;
        assert_eq!(
            fill(t, &pairs).expect("filled"),
            r#"x "${ARGS[@]}" 3 a@SHARDS@b mail@example.org @@"#
        );
        assert!(fill("@NOPE@", &pairs).is_err());
    }

    #[test]
    fn array_lines_pair_flags_with_values() {
        let args: Vec<String> = [
            "power",
            "--design",
            "design.toml",
            "--exact",
            "--n",
            "40,60",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        assert_eq!(
            array_lines(&args),
            "  power\n  --design design.toml\n  --exact\n  --n 40,60"
        );
    }
}
