//! The replication loop and summary shared by the latent-interaction simulation studies of
//! docs/simulations/latent_interaction.md (`sem_lms::lms_simulation_study`,
//! `sem_dmc::dmc_simulation_study`): data seeds 1..=reps split over threads, each replication in
//! its own slot so the results do not depend on the thread count; bias with its Monte Carlo SE,
//! Wald coverage with its Monte Carlo interval, and every failed fit with its seed and error.

/// One replication's estimate of the interaction with its SE and Wald limits.
#[derive(Debug, Clone, Copy)]
pub struct Interval {
    pub est: f64,
    pub se: f64,
    pub lo: f64,
    pub hi: f64,
}

impl Interval {
    /// The row's estimate, SE and limits, all times `scale` (a fixed constant, so coverage is
    /// the row's own interval's).
    pub fn of(row: &cipa::sem::ParameterRow, scale: f64) -> Interval {
        Interval {
            est: scale * row.est,
            se: scale * row.se,
            lo: scale * row.ci_lower,
            hi: scale * row.ci_upper,
        }
    }
}

/// A `usize` setting from the environment, or `default`.
pub fn env_or(key: &str, default: usize) -> usize {
    std::env::var(key)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

/// `replication(seed)` for seeds 1..=reps on `threads` threads, in seed order, and the wall
/// time in seconds.
pub fn replicate<T: Clone + Send + Sync>(
    reps: usize,
    threads: usize,
    replication: &(dyn Fn(u64) -> T + Sync),
) -> (Vec<T>, f64) {
    let start = std::time::Instant::now();
    let per = reps.div_ceil(threads.max(1)).max(1);
    let mut results: Vec<Option<T>> = vec![None; reps];
    std::thread::scope(|s| {
        for (t, chunk) in results.chunks_mut(per).enumerate() {
            s.spawn(move || {
                for (k, slot) in chunk.iter_mut().enumerate() {
                    *slot = Some(replication((t * per + k + 1) as u64));
                }
            });
        }
    });
    let out = results
        .into_iter()
        .map(|r| r.expect("every slot filled"))
        .collect();
    (out, start.elapsed().as_secs_f64())
}

/// Bias and coverage of one method over the replications whose fit succeeded.
#[derive(Debug)]
pub struct Summary {
    pub method: String,
    pub truth: f64,
    pub reps: usize,
    /// (seed, the fit's error) of every failed fit.
    pub failed: Vec<(u64, String)>,
    pub mean: f64,
    pub sd: f64,
    pub mean_se: f64,
    pub coverage: f64,
}

impl Summary {
    /// `outcomes[k]` is seed k + 1's fit.
    pub fn new(method: &str, truth: f64, outcomes: &[Result<Interval, String>]) -> Summary {
        let ok: Vec<Interval> = outcomes.iter().filter_map(|o| o.clone().ok()).collect();
        let failed = outcomes
            .iter()
            .enumerate()
            .filter_map(|(k, o)| o.clone().err().map(|e| (k as u64 + 1, e)))
            .collect();
        let r = ok.len() as f64;
        let mean = ok.iter().map(|o| o.est).sum::<f64>() / r;
        let sd = (ok.iter().map(|o| (o.est - mean).powi(2)).sum::<f64>() / (r - 1.0)).sqrt();
        Summary {
            method: method.to_string(),
            truth,
            reps: outcomes.len(),
            failed,
            mean,
            sd,
            mean_se: ok.iter().map(|o| o.se).sum::<f64>() / r,
            coverage: ok.iter().filter(|o| o.lo <= truth && truth <= o.hi).count() as f64 / r,
        }
    }

    fn converged(&self) -> f64 {
        (self.reps - self.failed.len()) as f64
    }

    pub fn relative_bias(&self) -> f64 {
        (self.mean - self.truth) / self.truth
    }

    /// The Monte Carlo SE of the relative bias, SD/√R over the truth.
    pub fn bias_mc_se(&self) -> f64 {
        self.sd / self.converged().sqrt() / self.truth.abs()
    }

    /// The Monte Carlo 95% interval of the coverage, p ± 1.96·√(p(1−p)/R).
    pub fn coverage_interval(&self) -> (f64, f64) {
        let p = self.coverage;
        let h = 1.96 * (p * (1.0 - p) / self.converged()).sqrt();
        (p - h, p + h)
    }

    pub fn print(&self) {
        let (lo, hi) = self.coverage_interval();
        println!(
            "{}: {} of {} fits failed; mean estimate {:.5} (truth {}), bias {:+.2}% of the truth (MC SE {:.2}%); SD {:.5}, mean SE {:.5}; 95% Wald coverage {:.2}% (MC 95% interval {:.2}% to {:.2}%)",
            self.method,
            self.failed.len(),
            self.reps,
            self.mean,
            self.truth,
            100.0 * self.relative_bias(),
            100.0 * self.bias_mc_se(),
            self.sd,
            self.mean_se,
            100.0 * self.coverage,
            100.0 * lo,
            100.0 * hi
        );
        for (seed, e) in &self.failed {
            println!("  {} failed at seed {seed}: {e}", self.method);
        }
    }

    /// Issue 12's bar: bias under 5% of the truth, coverage in 93-97%, no failed fit.
    pub fn check(&self) -> Result<(), String> {
        let mut why = Vec::new();
        if !self.failed.is_empty() {
            why.push(format!("{} failed fits", self.failed.len()));
        }
        if self.relative_bias().abs() >= 0.05 {
            why.push(format!("relative bias {}", self.relative_bias()));
        }
        if !(0.93..=0.97).contains(&self.coverage) {
            why.push(format!("coverage {}", self.coverage));
        }
        match why.is_empty() {
            true => Ok(()),
            false => Err(format!("{}: {}", self.method, why.join(", "))),
        }
    }
}

#[test]
fn the_summary_counts_failures_bias_and_coverage() {
    let iv = |est: f64| {
        Ok(Interval {
            est,
            se: 0.1,
            lo: est - 0.2,
            hi: est + 0.2,
        })
    };
    let outcomes = vec![iv(0.9), Err("no".to_string()), iv(1.1), iv(1.5)];
    let s = Summary::new("m", 1.0, &outcomes);
    assert_eq!(s.failed, vec![(2, "no".to_string())]);
    assert!((s.mean - 3.5 / 3.0).abs() < 1e-12);
    assert!((s.coverage - 2.0 / 3.0).abs() < 1e-12);
    assert!((s.mean_se - 0.1).abs() < 1e-12);
    let err = s.check().unwrap_err();
    assert!(
        err.contains("1 failed fits") && err.contains("coverage"),
        "{err}"
    );
    let (out, _) = replicate(7, 3, &|seed| seed * 10);
    assert_eq!(out, (1..=7).map(|s| s * 10).collect::<Vec<u64>>());
}
