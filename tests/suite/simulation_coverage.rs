//! Coverage of 95% percentile bootstrap intervals for the indirect effect a·b in simple mediation
//! (PROCESS model 4), by simulation. Slow: run with
//! `cargo test --release --test suite simulation_coverage:: -- --ignored --nocapture`; the committed
//! report is docs/simulations/coverage.md.

use cipa::analysis::{analyse, AnalysisOptions};
use cipa::data::{Dataset, Variable};
use cipa::effects::EffectKind;
use cipa::spec::{template::template, Roles};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

fn normal(rng: &mut ChaCha8Rng) -> f64 {
    // Box-Muller; one variate per call is plenty here.
    let u1: f64 = rng.random::<f64>().max(f64::MIN_POSITIVE);
    let u2: f64 = rng.random();
    (-2.0 * u1.ln()).sqrt() * (2.0 * std::f64::consts::PI * u2).cos()
}

fn simulate(n: usize, a: f64, b: f64, c: f64, rng: &mut ChaCha8Rng) -> Dataset {
    let (mut xs, mut ms, mut ys) = (Vec::new(), Vec::new(), Vec::new());
    for _ in 0..n {
        let x = normal(rng);
        let m = a * x + normal(rng);
        let y = c * x + b * m + normal(rng);
        xs.push(x);
        ms.push(m);
        ys.push(y);
    }
    Dataset::new(
        "sim",
        vec![
            Variable::numeric("x", xs),
            Variable::numeric("m", ms),
            Variable::numeric("y", ys),
        ],
    )
    .expect("equal lengths")
}

#[test]
#[ignore = "simulation study: minutes in debug, seconds in release"]
fn percentile_ci_for_ab_covers_about_95_percent() {
    let reps = 2000;
    let boot = 2000;
    let spec = template(4)
        .and_then(|t| {
            t.instantiate(&Roles {
                x: "x".into(),
                y: "y".into(),
                m: vec!["m".into()],
                ..Default::default()
            })
        })
        .expect("model 4");
    println!("| n | a | b | reps | B | coverage | Monte-Carlo SE | mean CI width |");
    println!("|---:|---:|---:|---:|---:|---:|---:|---:|");
    for (n, a, b) in [(200usize, 0.39, 0.39), (100, 0.39, 0.39), (200, 0.14, 0.39)] {
        let mut rng = ChaCha8Rng::seed_from_u64(20261123 + n as u64);
        let truth = a * b;
        let mut covered = 0usize;
        let mut width = 0.0;
        for r in 0..reps {
            let data = simulate(n, a, b, 0.1, &mut rng);
            let opts = AnalysisOptions {
                boot,
                seed: 1000 + r as u64,
                ..Default::default()
            };
            let res = analyse(&data, &spec, &opts).expect("analysis runs");
            let ind = res
                .effects
                .iter()
                .find(|e| e.def.kind == EffectKind::Indirect)
                .expect("indirect effect");
            if ind.ci_lower <= truth && truth <= ind.ci_upper {
                covered += 1;
            }
            width += ind.ci_upper - ind.ci_lower;
        }
        let cov = covered as f64 / reps as f64;
        let se = (cov * (1.0 - cov) / reps as f64).sqrt();
        println!(
            "| {n} | {a} | {b} | {reps} | {boot} | {cov:.4} | {se:.4} | {:.4} |",
            width / reps as f64
        );
        // The percentile interval is known to be slightly liberal for small effects
        // (Fritz, Taylor & MacKinnon 2012); require 95% within four Monte-Carlo SEs plus 1.5 points.
        assert!(
            (cov - 0.95).abs() < 4.0 * se + 0.015,
            "coverage {cov} for n={n}, a={a}, b={b}"
        );
    }
}
