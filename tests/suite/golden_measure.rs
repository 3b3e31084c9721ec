//! Golden tests of the measurement toolkit against R (psych 2.2.9, lavaan 0.6-14, semTools 0.5-6,
//! car 3.1-1): tests/golden/measure_hs1939 (lavaan's HolzingerSwineford1939, read from
//! ../shared/datasets; skipped when absent) and tests/golden/measure_sim (a simulated item-level
//! survey shipped with its data) and tests/golden/measure_sme (the project's teaching data,
//! datasets/sme_survey.csv). The scripts that made the values are beside them (make.R).

use crate::common;

use cipa::data::{read_path, Dataset, ReadOptions};
use cipa::measure::{measure, parse_constructs, MeasureOptions, Measurement};
use serde_json::Value;

/// Relative tolerance for values R printed with 15 significant digits.
const TOL: f64 = 1e-8;
/// CFA estimates depend on where each optimiser stops; lavaan's own convergence is about 1e-6.
const CFA_TOL: f64 = 1e-5;

struct Check {
    failures: Vec<String>,
    count: usize,
}

impl Check {
    fn new() -> Self {
        Check {
            failures: Vec::new(),
            count: 0,
        }
    }
    fn close(&mut self, what: &str, got: f64, want: &Value, tol: f64) {
        self.count += 1;
        let Some(w) = want.as_f64() else {
            if !got.is_nan() {
                self.failures
                    .push(format!("{what}: got {got}, R has {want}"));
            }
            return;
        };
        let err = (got - w).abs() / w.abs().max(1e-3);
        if err.is_nan() || err > tol {
            self.failures
                .push(format!("{what}: got {got}, R has {w} (rel err {err:.2e})"));
        }
    }
    fn done(self) {
        assert!(self.count > 50, "too few comparisons: {}", self.count);
        assert!(
            self.failures.is_empty(),
            "{} of {} differ:\n{}",
            self.failures.len(),
            self.count,
            self.failures.join("\n")
        );
    }
}

fn find<'a>(list: &'a Value, key: &str, val: &str) -> &'a Value {
    list.as_array()
        .and_then(|a| a.iter().find(|v| v[key] == val))
        .unwrap_or_else(|| panic!("no {key} = {val} in golden"))
}

fn compare(m: &Measurement, g: &Value) {
    let mut c = Check::new();
    assert_eq!(m.n as u64, g["n"].as_u64().unwrap());
    for r in &m.reliability {
        let w = find(&g["reliability"], "construct", &r.construct);
        let k = &r.construct;
        c.close(&format!("{k} alpha"), r.alpha, &w["alpha"], TOL);
        c.close(
            &format!("{k} std alpha"),
            r.alpha_detail.std_alpha,
            &w["std_alpha"],
            TOL,
        );
        c.close(
            &format!("{k} average r"),
            r.alpha_detail.average_r,
            &w["average_r"],
            TOL,
        );
        c.close(&format!("{k} ase"), r.alpha_detail.ase, &w["ase"], TOL);
        c.close(
            &format!("{k} feldt lower"),
            r.alpha_ci_lower,
            &w["feldt_lower"],
            TOL,
        );
        c.close(
            &format!("{k} feldt upper"),
            r.alpha_ci_upper,
            &w["feldt_upper"],
            TOL,
        );
        c.close(
            &format!("{k} duhachek lower"),
            r.alpha_detail.duhachek_lower,
            &w["duhachek_lower"],
            TOL,
        );
        c.close(
            &format!("{k} duhachek upper"),
            r.alpha_detail.duhachek_upper,
            &w["duhachek_upper"],
            TOL,
        );
        let o = find(&g["omega"], "construct", k);
        c.close(&format!("{k} omega"), r.omega, &o["omega"], CFA_TOL);
        c.close(
            &format!("{k} psych omega"),
            r.omega_psych,
            &o["psych_omega_1f"],
            CFA_TOL,
        );
        let cr = find(&g["cr"], "construct", k);
        c.close(&format!("{k} CR"), r.cr_fornell_larcker, &cr["cr"], CFA_TOL);
        c.close(&format!("{k} AVE"), r.ave, &cr["ave"], CFA_TOL);
        c.close(
            &format!("{k} compRelSEM"),
            r.cr_comprelsem,
            &cr["comprelsem"],
            CFA_TOL,
        );
        for it in m.items.iter().filter(|i| &i.construct == k) {
            let wi = find(&w["items"], "item", &it.item);
            c.close(&format!("{} mean", it.item), it.mean, &wi["mean"], TOL);
            c.close(&format!("{} sd", it.item), it.sd, &wi["sd"], TOL);
            c.close(
                &format!("{} r.drop", it.item),
                it.item_total,
                &wi["r_drop"],
                TOL,
            );
            c.close(
                &format!("{} alpha if deleted", it.item),
                it.alpha_if_deleted,
                &wi["alpha_if_deleted"],
                TOL,
            );
        }
    }
    let f = &m.cfa.fit;
    let gf = &g["cfa"]["fit"];
    for (name, got, key) in [
        ("chisq", f.chisq, "chisq"),
        ("df", f.df, "df"),
        ("p", f.p, "pvalue"),
        ("baseline chisq", f.baseline_chisq, "baseline.chisq"),
        ("cfi", f.cfi, "cfi"),
        ("tli", f.tli, "tli"),
        ("rmsea", f.rmsea, "rmsea"),
        ("rmsea lower", f.rmsea_ci_lower, "rmsea.ci.lower"),
        ("rmsea upper", f.rmsea_ci_upper, "rmsea.ci.upper"),
        ("srmr", f.srmr, "srmr"),
        ("baseline df", f.baseline_df, "baseline.df"),
        ("baseline p", f.baseline_p, "baseline.pvalue"),
    ] {
        c.close(&format!("fit {name}"), got, &gf[key], CFA_TOL);
    }
    // The log-likelihoods are flat at the optimum: they agree to R's printed digits.
    for (name, got, key) in [
        ("logl", f.logl, "logl"),
        (
            "unrestricted logl",
            f.unrestricted_logl,
            "unrestricted.logl",
        ),
        ("aic", f.aic, "aic"),
        ("bic", f.bic, "bic"),
        ("bic2", f.bic2, "bic2"),
        ("npar", m.cfa.n_params as f64, "npar"),
    ] {
        c.close(&format!("fit {name}"), got, &gf[key], TOL);
    }
    for v in &m.cfa.factor_variances {
        let w = find(&g["cfa"]["factor_variances"], "construct", &v.construct);
        for (what, got, key) in [
            ("", v.estimate, "estimate"),
            (" se", v.se, "se"),
            (" z", v.z, "z"),
            (" p", v.p, "p"),
        ] {
            c.close(
                &format!("{} variance{what}", v.construct),
                got,
                &w[key],
                CFA_TOL,
            );
        }
    }
    for l in &m.cfa.loadings {
        let w = find(&g["cfa"]["loadings"], "item", &l.item);
        c.close(
            &format!("{} loading", l.item),
            l.estimate,
            &w["estimate"],
            CFA_TOL,
        );
        c.close(&format!("{} se", l.item), l.se, &w["se"], CFA_TOL);
        c.close(&format!("{} std", l.item), l.std, &w["std"], CFA_TOL);
        c.close(
            &format!("{} std se", l.item),
            l.std_se,
            &w["std_se"],
            CFA_TOL,
        );
    }
    for fc in &m.cfa.factor_correlations {
        let w = g["cfa"]["factor_correlations"]
            .as_array()
            .unwrap()
            .iter()
            .find(|v| {
                (v["a"] == fc.a.as_str() && v["b"] == fc.b.as_str())
                    || (v["a"] == fc.b.as_str() && v["b"] == fc.a.as_str())
            })
            .expect("factor pair in golden");
        c.close(
            &format!("cov {}-{}", fc.a, fc.b),
            fc.covariance,
            &w["covariance"],
            CFA_TOL,
        );
        c.close(
            &format!("cov se {}-{}", fc.a, fc.b),
            fc.se,
            &w["se"],
            CFA_TOL,
        );
        c.close(&format!("cov z {}-{}", fc.a, fc.b), fc.z, &w["z"], CFA_TOL);
        c.close(&format!("cov p {}-{}", fc.a, fc.b), fc.p, &w["p"], CFA_TOL);
        c.close(
            &format!("cor {}-{}", fc.a, fc.b),
            fc.correlation,
            &w["correlation"],
            CFA_TOL,
        );
        c.close(
            &format!("cor se {}-{}", fc.a, fc.b),
            fc.correlation_se,
            &w["correlation_se"],
            CFA_TOL,
        );
    }
    for r in &m.cfa.residuals {
        let w = find(&g["cfa"]["residuals"], "item", &r.item);
        c.close(
            &format!("{} residual", r.item),
            r.estimate,
            &w["estimate"],
            CFA_TOL,
        );
        c.close(&format!("{} residual se", r.item), r.se, &w["se"], CFA_TOL);
        c.close(&format!("{} residual z", r.item), r.z, &w["z"], CFA_TOL);
        c.close(&format!("{} residual p", r.item), r.p, &w["p"], CFA_TOL);
    }
    for h in &m.htmt {
        let w = g["htmt"]
            .as_array()
            .unwrap()
            .iter()
            .find(|v| v["a"] == h.a.as_str() && v["b"] == h.b.as_str())
            .expect("htmt pair in golden");
        c.close(&format!("htmt {}-{}", h.a, h.b), h.value, &w["htmt"], TOL);
        c.close(&format!("htmt2 {}-{}", h.a, h.b), h.htmt2, &w["htmt2"], TOL);
    }
    let k = m.scores.names.len();
    for (i, name) in m.scores.names.iter().enumerate() {
        let w = find(&g["descriptives"], "construct", name);
        c.close(
            &format!("{name} score mean"),
            m.scores.means[i],
            &w["mean"],
            TOL,
        );
        c.close(&format!("{name} score sd"), m.scores.sds[i], &w["sd"], TOL);
        let fv = find(&g["full_vif"], "construct", name);
        c.close(
            &format!("{name} full VIF"),
            m.full_vif[i].vif,
            &fv["vif"],
            TOL,
        );
        for j in 0..i {
            let w = g["correlations"]
                .as_array()
                .unwrap()
                .iter()
                .find(|v| v["a"] == m.scores.names[j].as_str() && v["b"] == name.as_str())
                .expect("correlation pair");
            c.close(&format!("r {name}"), m.scores.r[i * k + j], &w["r"], TOL);
            c.close(&format!("p {name}"), m.scores.p[i * k + j], &w["p"], 1e-6);
        }
    }
    if let Some((y, v)) = &m.vif {
        assert_eq!(y, g["vif"]["outcome"].as_str().unwrap());
        for x in v {
            c.close(
                &format!("vif {}", x.variable),
                x.vif,
                &g["vif"]["predictors"][&x.variable],
                TOL,
            );
        }
    }
    c.close(
        "harman eigenvalue",
        m.harman.first_eigenvalue,
        &g["harman"]["first_eigenvalue"],
        TOL,
    );
    c.close("harman share", m.harman.share, &g["harman"]["share"], TOL);
    let mk = m.marker.as_ref().expect("marker requested");
    c.close("marker r_M", mk.r_m, &g["marker"]["r_m"], TOL);
    for pr in &mk.pairs {
        let w = g["marker"]["pairs"]
            .as_array()
            .unwrap()
            .iter()
            .find(|v| v["a"] == pr.a.as_str() && v["b"] == pr.b.as_str())
            .expect("marker pair");
        c.close(
            &format!("LW r {}-{}", pr.a, pr.b),
            pr.r_adjusted,
            &w["r_adjusted"],
            TOL,
        );
        c.close(&format!("LW p {}-{}", pr.a, pr.b), pr.p, &w["p"], 1e-6);
    }
    assert!(
        m.cfa.converged,
        "CFA did not converge: {:?}",
        m.cfa.warnings
    );
    c.done();
}

/// lavaan's HolzingerSwineford1939, when ../shared is there.
fn holzinger_swineford() -> Option<Dataset> {
    let path = common::shared_or_skip_file("datasets/lavaan_pkg/HolzingerSwineford1939.csv")?;
    Some(common::read_data(&path))
}

fn golden(case: &str) -> Value {
    let path = common::golden_dir(case).join("expected.json");
    serde_json::from_str(&std::fs::read_to_string(&path).expect("golden file"))
        .expect("golden JSON")
}

#[test]
fn holzinger_swineford_three_factors() {
    let Some(data) = holzinger_swineford() else {
        return;
    };
    let cs = parse_constructs(&["visual=x1,x2,x3", "textual=x4,x5,x6", "speed=x7,x8,x9"]).unwrap();
    let opts = MeasureOptions {
        marker: Some("ageyr".into()),
        vif_outcome: Some("speed".into()),
        ..Default::default()
    };
    let m = measure(&data, &cs, &opts).unwrap();
    compare(&m, &golden("measure_hs1939"));
}

#[test]
fn simulated_survey_with_reverse_item_and_missing_values() {
    let data = read_path(
        common::golden_dir("measure_sim").join("data.csv"),
        &ReadOptions::default(),
    )
    .unwrap();
    let cs = parse_constructs(&[
        "network=n1,n2,n3,n4",
        "collab=c1,c2,-c3,c4",
        "perf=p1,p2,p3,p4",
    ])
    .unwrap();
    let opts = MeasureOptions {
        scale: Some((1.0, 7.0)),
        marker: Some("mk".into()),
        vif_outcome: Some("perf".into()),
        ..Default::default()
    };
    let m = measure(&data, &cs, &opts).unwrap();
    assert_eq!(m.dropped_lines.len(), 2);
    compare(&m, &golden("measure_sim"));
}

#[test]
fn holzinger_swineford_with_a_two_item_factor() {
    let Some(data) = holzinger_swineford() else {
        return;
    };
    let cs = parse_constructs(&["visual=x1,x2", "textual=x4,x5,x6", "speed=x7,x8,x9"]).unwrap();
    let opts = MeasureOptions {
        marker: Some("ageyr".into()),
        vif_outcome: Some("speed".into()),
        ..Default::default()
    };
    let m = measure(&data, &cs, &opts).unwrap();
    assert!(m.reliability[0].omega.is_nan());
    assert!(
        m.warnings
            .iter()
            .any(|w| w.contains("'visual' has 2 items")),
        "{:?}",
        m.warnings
    );
    compare(&m, &golden("measure_hs1939_two_item"));
}

/// The project's own teaching data: four constructs of the framework on 1-7 items, rows with
/// missing items dropped listwise, firm_age as the marker (two of its score correlations are
/// negative, so r_M is the smallest positive one, not the smallest absolute one).
#[test]
fn sme_survey_four_constructs() {
    let data = read_path(
        concat!(env!("CARGO_MANIFEST_DIR"), "/datasets/sme_survey.csv"),
        &ReadOptions::default(),
    )
    .unwrap();
    let cs = parse_constructs(&[
        "eo=eo_1,eo_2,eo_3,eo_4,eo_5",
        "network_ties=ties_1,ties_2,ties_3,ties_4",
        "social_capital=soc_1,soc_2,soc_3,soc_4",
        "collab=collab_1,collab_2,collab_3,collab_4",
    ])
    .unwrap();
    let opts = MeasureOptions {
        scale: Some((1.0, 7.0)),
        marker: Some("firm_age".into()),
        vif_outcome: Some("collab".into()),
        ..Default::default()
    };
    let m = measure(&data, &cs, &opts).unwrap();
    assert_eq!(m.dropped_lines.len(), 400 - 356);
    assert!(m.warnings.is_empty(), "{:?}", m.warnings);
    compare(&m, &golden("measure_sme"));
}
