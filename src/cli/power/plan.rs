//! `cipa power --plan`: what a study will do, before doing it. It counts the replications, model
//! fits and bootstrap draws; times a few of the study's own replications (the first K at every
//! sample size) on one thread; and from those estimates the wall time here and the number of
//! shards that keeps each job of a job array near a target time. Every time is an estimate: the
//! pilot is small, a shared machine's load moves it, and a cluster's cores may be slower or
//! faster than this machine's.

use std::time::Instant;

use serde::Serialize;

use super::super::args::OutputArgs;
use super::super::output::emit;
use super::super::results_dir::{self, Destination};
use super::super::{usage, CliError};
use super::{PowerRunArgs, Prepared};
use crate::inference::CiMethod;
use crate::report::Format;
use crate::simulate::power::{self, PowerStudy};

/// Pilot replications per sample size when --pilot-reps is not given.
pub(super) const PILOT_REPS: usize = 3;
/// Target time per job when --job-time is not given: one hour.
pub(super) const JOB_TIME: u64 = 3600;

/// One sample size's pilot: seconds per replication on one thread.
#[derive(Debug, Clone, Serialize)]
pub(super) struct SizeTiming {
    pub n: usize,
    pub seconds_per_replication: f64,
}

/// What the pilot measured.
#[derive(Debug, Clone, Serialize)]
pub(super) struct Pilot {
    /// Replications timed at each sample size (the first ones of the study: r = 0, 1, ...).
    pub replications_per_size: usize,
    /// Of those, how many failed (their analysis did not finish).
    pub failed: usize,
    /// Building the study (calibration and its pilot fit), which every job does once.
    pub setup_seconds: f64,
    pub sizes: Vec<SizeTiming>,
    /// Bytes of a replication in a shard file, for the merge job's memory.
    pub json_bytes_per_replication: f64,
    /// Peak resident memory of this process after the pilot (Linux; null elsewhere).
    pub peak_memory_mb: Option<f64>,
}

/// Jobs of a job array: the suggestion for the target time.
#[derive(Debug, Clone, Serialize)]
pub(super) struct JobPlan {
    pub threads_per_job: usize,
    pub target_seconds: u64,
    pub suggested_shards: usize,
    /// Estimated time of one job with the suggested number of shards.
    pub seconds_per_job: f64,
}

/// The plan of a study (`--plan --format json` prints it; docs/json-schema.md).
#[derive(Debug, Clone, Serialize)]
pub(super) struct Plan {
    pub kind: &'static str,
    pub cipa_version: &'static str,
    pub fingerprint: String,
    pub sizes: Vec<usize>,
    pub reps: usize,
    pub boot: usize,
    /// Sample sizes × replications.
    pub replications: u64,
    /// Each replication's fit and its bootstrap refits, replications × (1 + B), and with BCa
    /// intervals its n jackknife refits.
    pub model_fits: u64,
    pub bootstrap_draws: u64,
    pub pilot: Pilot,
    /// Every replication one after another on one thread, setup not included.
    pub cpu_seconds: f64,
    pub threads_here: usize,
    /// Setup plus `cpu_seconds` shared by the threads here.
    pub wall_seconds_here: f64,
    pub jobs: JobPlan,
}

impl Plan {
    /// Seconds of one replication at every size, one after another (one thread).
    fn seconds_per_round(&self) -> f64 {
        self.pilot
            .sizes
            .iter()
            .map(|s| s.seconds_per_replication)
            .sum()
    }

    /// Estimated time of the longest job when the study runs as `shards` jobs of `threads`
    /// threads: its setup and its replications (shard i holds r = i - 1, i - 1 + N, ... at every
    /// size, so at most ceil(reps / N) of them per size), shared by its threads.
    pub fn job_seconds(&self, shards: usize, threads: usize) -> f64 {
        let per_size = self.reps.div_ceil(shards.max(1)) as f64;
        self.pilot.setup_seconds + per_size * self.seconds_per_round() / threads.max(1) as f64
    }

    /// Bytes of all shard files together.
    pub fn shard_bytes(&self) -> f64 {
        self.replications as f64 * self.pilot.json_bytes_per_replication
    }
}

/// The threads each job of a job array uses: --threads, or one (--threads 0 means all cores
/// here, which says nothing about a cluster's jobs).
pub(super) fn job_threads(a: &PowerRunArgs) -> usize {
    a.threads.max(1)
}

/// Times the pilot and works out the plan.
pub(super) fn measure(a: &PowerRunArgs, p: &Prepared) -> Result<Plan, CliError> {
    let st = &p.study.settings;
    let k = a.pilot_reps.map_or(PILOT_REPS, |k| k as usize).min(st.reps);
    eprintln!(
        "cipa: timing {k} pilot replication(s) at each of {} sample size(s) on one thread",
        st.sizes.len()
    );
    let pilot = pilot(&p.study, k, p.setup.as_secs_f64())?;
    let replications = (st.sizes.len() * st.reps) as u64;
    let threads_here = results_dir::threads_used(a.threads, true);
    let mut plan = Plan {
        kind: "cipa power plan",
        cipa_version: crate::VERSION,
        fingerprint: st.fingerprint(),
        sizes: st.sizes.clone(),
        reps: st.reps,
        boot: st.boot,
        replications,
        model_fits: replications * (1 + st.boot as u64) + jackknife_fits(&p.study),
        bootstrap_draws: replications * st.boot as u64,
        pilot,
        cpu_seconds: 0.0,
        threads_here,
        wall_seconds_here: 0.0,
        jobs: JobPlan {
            threads_per_job: job_threads(a),
            target_seconds: a.job_time.unwrap_or(JOB_TIME),
            suggested_shards: 1,
            seconds_per_job: 0.0,
        },
    };
    plan.cpu_seconds = st.reps as f64 * plan.seconds_per_round();
    plan.wall_seconds_here = plan.job_seconds(1, threads_here);
    plan.jobs.suggested_shards = suggest(&plan);
    plan.jobs.seconds_per_job = plan.job_seconds(plan.jobs.suggested_shards, job_threads(a));
    Ok(plan)
}

/// BCa's acceleration refits every replication n times, leaving out one row each time.
fn jackknife_fits(study: &PowerStudy) -> u64 {
    let st = &study.settings;
    if st.ci != CiMethod::Bca || st.boot == 0 {
        return 0;
    }
    st.sizes.iter().map(|&n| (n * st.reps) as u64).sum()
}

/// Runs the first `k` replications at every size on one thread, timing each size.
fn pilot(study: &PowerStudy, k: usize, setup_seconds: f64) -> Result<Pilot, CliError> {
    let mut sizes = Vec::new();
    let mut failed = 0;
    let mut bytes = 0usize;
    for &n in &study.settings.sizes {
        let work: Vec<(usize, usize)> = (0..k).map(|r| (n, r)).collect();
        let start = Instant::now();
        let done = power::run_replications(study, &work, 1, &|_| {});
        let seconds = start.elapsed().as_secs_f64();
        failed += done.iter().filter(|r| r.error.is_some()).count();
        bytes += serde_json::to_string(&done)
            .map_err(|e| CliError::Internal(e.to_string()))?
            .len();
        sizes.push(SizeTiming {
            n,
            seconds_per_replication: seconds / k as f64,
        });
    }
    Ok(Pilot {
        replications_per_size: k,
        failed,
        setup_seconds,
        json_bytes_per_replication: bytes as f64 / (k * sizes.len()) as f64,
        sizes,
        peak_memory_mb: peak_memory_mb(),
    })
}

/// The fewest shards whose jobs each take at most the target time, at most one per replication
/// number (shards split the replications 0..reps of every size).
fn suggest(plan: &Plan) -> usize {
    let threads = plan.jobs.threads_per_job;
    let target = plan.jobs.target_seconds as f64;
    (1..=plan.reps)
        .find(|&n| plan.job_seconds(n, threads) <= target)
        .unwrap_or(plan.reps)
}

/// The peak resident memory of this process in MB (VmHWM in /proc/self/status; Linux only).
fn peak_memory_mb() -> Option<f64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kb: f64 = line
        .trim_start_matches("VmHWM:")
        .trim()
        .trim_end_matches("kB")
        .trim()
        .parse()
        .ok()?;
    Some(kb / 1024.0)
}

/// A Slurm --time request for a job estimated at `seconds`: twice the estimate plus ten minutes,
/// in whole minutes. A job that runs out of time loses its shard, while asking for more only
/// delays its start a little; the margin also covers cluster cores slower than this machine's.
pub(super) fn time_request(seconds: f64) -> u64 {
    ((2.0 * seconds + 600.0) / 60.0).ceil() as u64 * 60
}

/// A Slurm --mem request in MB: twice the peak memory measured here plus 64 MB per thread (each
/// thread holds one replication's data and bootstrap buffers), at least 1 GB, rounded up to
/// 256 MB; 2 GB when the peak could not be measured.
pub(super) fn mem_request_mb(peak_mb: Option<f64>, threads: usize) -> u64 {
    let Some(peak) = peak_mb else { return 2048 };
    let want = 2.0 * peak + 64.0 * threads as f64;
    ((want / 256.0).ceil() as u64 * 256).max(1024)
}

/// Reads a duration in Slurm's format (MM, MM:SS, HH:MM:SS, D-HH, D-HH:MM, D-HH:MM:SS) or as a
/// number with a unit (90s, 45m, 2h, 1d), into seconds.
pub(super) fn parse_duration(s: &str) -> Result<u64, String> {
    let bad = || {
        format!(
            "'{s}' is not a duration: write it as Slurm does (MM, HH:MM:SS, D-HH:MM:SS) or as 90m, 2h, 1d"
        )
    };
    let num = |t: &str| t.trim().parse::<u64>().map_err(|_| bad());
    let t = s.trim();
    let units = [('s', 1), ('m', 60), ('h', 3600), ('d', 86400)];
    // Checked arithmetic: fields that fit a u64 can still overflow as seconds.
    let long = || format!("'{s}' is too long a duration: give at most a few days, e.g. 2-00:00:00");
    if let Some((_, unit)) = units.iter().find(|(c, _)| t.ends_with(*c)) {
        let v = num(&t[..t.len() - 1])?;
        return positive(v.checked_mul(*unit).ok_or_else(long)?).ok_or_else(bad);
    }
    let (days, rest) = match t.split_once('-') {
        Some((d, rest)) => (num(d)?, Some(rest)),
        None => (0, None),
    };
    let parts: Vec<u64> = rest
        .unwrap_or(t)
        .split(':')
        .map(num)
        .collect::<Result<_, _>>()?;
    let (h, m, sec) = match (rest.is_some(), parts.as_slice()) {
        (false, [m]) => (0, *m, 0),
        (false, [m, s]) => (0, *m, *s),
        (_, [h, m, s]) => (*h, *m, *s),
        (true, [h]) => (*h, 0, 0),
        (true, [h, m]) => (*h, *m, 0),
        _ => return Err(bad()),
    };
    let secs = [(days, 86_400), (h, 3600), (m, 60), (sec, 1)]
        .iter()
        .try_fold(0u64, |acc, &(v, unit)| {
            v.checked_mul(unit)?.checked_add(acc)
        })
        .ok_or_else(long)?;
    positive(secs).ok_or_else(bad)
}

fn positive(secs: u64) -> Option<u64> {
    (secs > 0).then_some(secs)
}

/// Seconds in Slurm's D-HH:MM:SS.
pub(super) fn slurm_time(secs: u64) -> String {
    let (d, rest) = (secs / 86400, secs % 86400);
    format!(
        "{d}-{:02}:{:02}:{:02}",
        rest / 3600,
        rest % 3600 / 60,
        rest % 60
    )
}

/// Bytes for a reader: 840 bytes, 12.3 KB, 4.5 MB, 1.2 GB.
pub(super) fn human_bytes(bytes: f64) -> String {
    match bytes {
        b if b < 1e3 => format!("{b:.0} bytes"),
        b if b < 1e6 => format!("{:.1} KB", b / 1e3),
        b if b < 1e9 => format!("{:.1} MB", b / 1e6),
        b => format!("{:.1} GB", b / 1e9),
    }
}

/// Seconds for a reader: 0.042 s, 4.2 s, 3 min 20 s, 2 h 05 min, 3 d 04 h.
pub(super) fn human(secs: f64) -> String {
    if secs < 1.0 {
        return format!("{secs:.3} s");
    }
    if secs < 60.0 {
        return format!("{secs:.1} s");
    }
    let s = secs.round() as u64;
    match s {
        0..=3599 => format!("{} min {:02} s", s / 60, s % 60),
        3600..=86399 => format!("{} h {:02} min", s / 3600, s % 3600 / 60),
        _ => format!("{} d {:02} h", s / 86400, s % 86400 / 3600),
    }
}

/// The plan as text; `next_step` adds how to write the job scripts.
pub(super) fn render(p: &Plan, next_step: bool) -> String {
    let sizes: Vec<String> = p.sizes.iter().map(usize::to_string).collect();
    let pilot: Vec<String> = p
        .pilot
        .sizes
        .iter()
        .map(|s| format!("n = {}: {}", s.n, human(s.seconds_per_replication)))
        .collect();
    let memory = p
        .pilot
        .peak_memory_mb
        .map_or("not measured on this system".to_string(), |m| {
            format!("{m:.0} MB")
        });
    let j = &p.jobs;
    let mut t = format!(
        "Plan of a cipa power study (fingerprint {})\n\
         \n\
         Replications     {} ({} sample sizes: {}; {} each)\n\
         Model fits       {} (each replication's fit and its B = {} bootstrap refits{})\n\
         Bootstrap draws  {}\n\
         \n\
         Measured here on {} pilot replication(s) per sample size, one thread (an estimate):\n\
         Setup per job    {} (calibration and the pilot fit that fixes the effects)\n\
         One replication  {}\n\
         Peak memory      {memory}\n\
         All on 1 thread  {}\n\
         Wall time here   about {} on {} thread(s)\n\
         \n\
         A job array with {} thread(s) per job, aiming at {} per job (--job-time):\n\
         Suggested shards {} (about {} per job)\n",
        p.fingerprint,
        p.replications,
        p.sizes.len(),
        sizes.join(", "),
        p.reps,
        p.model_fits,
        p.boot,
        if p.model_fits > p.replications * (1 + p.boot as u64) {
            ", and n jackknife refits for BCa"
        } else {
            ""
        },
        p.bootstrap_draws,
        p.pilot.replications_per_size,
        human(p.pilot.setup_seconds),
        pilot.join(", "),
        human(p.cpu_seconds),
        human(p.wall_seconds_here),
        p.threads_here,
        j.threads_per_job,
        human(j.target_seconds as f64),
        j.suggested_shards,
        human(j.seconds_per_job),
    );
    t += &notes(p, next_step);
    t
}

/// Warnings and the next step under the plan.
fn notes(p: &Plan, next_step: bool) -> String {
    let j = &p.jobs;
    let mut t = String::new();
    if p.pilot.failed > 0 {
        t += &format!(
            "\nWarning: {} of the {} pilot replications failed; the study will count failures \
             (see its report), and times per replication may be off.\n",
            p.pilot.failed,
            p.pilot.replications_per_size * p.sizes.len()
        );
    }
    if j.seconds_per_job > j.target_seconds as f64 {
        t += &format!(
            "\nEven {} shards (one replication number each) take about {} per job: give each \
             job more threads (--threads) or accept longer jobs (--job-time).\n",
            p.reps,
            human(j.seconds_per_job)
        );
    }
    if next_step {
        t += &format!(
            "\nThe same command with --slurm {} --out DIR writes the job scripts (docs/simulations/power.md).\n",
            j.suggested_shards
        );
    }
    t
}

/// Prints the plan (text, or JSON with --format json or an --out file ending in .json).
pub(super) fn print(p: &Plan, out: &OutputArgs) -> Result<(), CliError> {
    if let Destination::Folder(dir) = results_dir::destination(out.out.as_deref())? {
        return Err(usage(format!(
            "--plan prints the plan: give --out FILE.txt or FILE.json, not the folder '{}' (add --slurm N to write job scripts to a folder)",
            dir.display()
        )));
    }
    let text = match out.format() {
        Format::Json => {
            serde_json::to_string_pretty(p).map_err(|e| CliError::Internal(e.to_string()))? + "\n"
        }
        Format::Text | Format::Markdown => render(p, true),
        f => {
            return Err(usage(format!(
                "--plan prints text or JSON, not {f:?}: give --format text or json"
            )))
        }
    };
    emit(&text, out.out.as_deref())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_read_as_slurm_writes_them() {
        assert_eq!(parse_duration("90"), Ok(5400));
        assert_eq!(parse_duration("10:30"), Ok(630));
        assert_eq!(parse_duration("2:00:00"), Ok(7200));
        assert_eq!(parse_duration("1-12"), Ok(129_600));
        assert_eq!(parse_duration("1-00:30"), Ok(88_200));
        assert_eq!(parse_duration("1-00:00:01"), Ok(86_401));
        assert_eq!(parse_duration("45m"), Ok(2700));
        assert_eq!(parse_duration("2h"), Ok(7200));
        for bad in ["", "0", "h", "1:2:3:4", "soon", "-5", "0m"] {
            assert!(parse_duration(bad).is_err(), "{bad}");
        }
        // Fields that fit a u64 but whose seconds do not: an error, not an overflow panic.
        for huge in [
            "99999999999999999d",
            "99999999999999999:00:00",
            "1-99999999999999999",
            "300000000000000-00:00:01",
        ] {
            let err = parse_duration(huge).expect_err(huge);
            assert!(err.contains("too long"), "{huge}: {err}");
        }
        assert_eq!(slurm_time(86_401 + 3600 * 3 + 60 * 7), "1-03:07:01");
        assert_eq!(slurm_time(600), "0-00:10:00");
    }

    #[test]
    fn requests_have_a_margin() {
        // Twice the estimate plus ten minutes, in whole minutes.
        assert_eq!(time_request(0.5), 660);
        assert_eq!(time_request(3600.0), 7800);
        assert_eq!(mem_request_mb(Some(20.0), 1), 1024);
        assert_eq!(mem_request_mb(Some(700.0), 4), 1792);
        assert_eq!(mem_request_mb(None, 4), 2048);
        assert_eq!(human(0.0421), "0.042 s");
        assert_eq!(human(200.0), "3 min 20 s");
        assert_eq!(human(7500.0), "2 h 05 min");
    }
}
