//! The framework-sized SEM of the speed comparisons (benches/sem.rs, examples/sem_timing.rs,
//! benches/compare/sem_vs_lavaan.sh): 4 latents with 4-5 items each, 2 observed covariates, a
//! mediation chain with defined indirect effects, simulated from known values with a fixed
//! linear congruential sequence (Box-Muller normals), so every run and tool sees the same rows.

// Each includer uses part of it (the bench the data set, the example the columns).
#![allow(dead_code)]

/// The model, in lavaan's syntax.
pub const MODEL: &str = "f1 =~ a1 + a2 + a3 + a4
f2 =~ b1 + b2 + b3 + b4 + b5
f3 =~ c1 + c2 + c3 + c4
f4 =~ d1 + d2 + d3 + d4 + d5
f2 ~ a*f1 + w1 + w2
f3 ~ b*f2 + f1 + w1
f4 ~ c*f3 + d*f2 + w2
ind1 := a*b
ind2 := a*b*c + a*d";

fn normals(n: usize, seed: u64) -> Vec<f64> {
    let mut state = seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1;
    let mut unif = move || {
        state = state
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        ((state >> 11) as f64 + 0.5) / ((1u64 << 53) as f64)
    };
    (0..n)
        .map(|_| (-2.0 * unif().ln()).sqrt() * (2.0 * std::f64::consts::PI * unif()).cos())
        .collect()
}

/// Column names and columns of `n` rows.
pub fn columns(n: usize) -> Vec<(String, Vec<f64>)> {
    let w1 = normals(n, 1);
    let w2 = normals(n, 2);
    let mix = |parts: &[(f64, &[f64])], seed: u64| -> Vec<f64> {
        let e = normals(n, seed);
        (0..n)
            .map(|i| e[i] + parts.iter().map(|(b, x)| b * x[i]).sum::<f64>())
            .collect()
    };
    let f1 = mix(&[(0.3, &w1)], 11);
    let f2 = mix(&[(0.5, &f1), (0.2, &w1), (-0.2, &w2)], 12);
    let f3 = mix(&[(0.4, &f2), (0.2, &f1), (0.1, &w1)], 13);
    let f4 = mix(&[(0.4, &f3), (0.2, &f2), (0.3, &w2)], 14);
    let mut out = Vec::new();
    for (k, (prefix, f, items)) in [("a", &f1, 4), ("b", &f2, 5), ("c", &f3, 4), ("d", &f4, 5)]
        .into_iter()
        .enumerate()
    {
        for j in 0..items {
            let l = 1.0 - 0.1 * j as f64;
            let e = normals(n, 100 + 10 * k as u64 + j as u64);
            let x = f.iter().zip(&e).map(|(a, b)| l * a + 0.7 * b).collect();
            out.push((format!("{prefix}{}", j + 1), x));
        }
    }
    out.push(("w1".into(), w1));
    out.push(("w2".into(), w2));
    out
}

/// The rows as a data set.
pub fn dataset(n: usize) -> cipa::data::Dataset {
    let vars = columns(n)
        .into_iter()
        .map(|(name, x)| cipa::data::Variable::numeric(name, x))
        .collect();
    cipa::data::Dataset::new("simulated", vars).expect("equal columns")
}
