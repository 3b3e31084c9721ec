//! The APA tables carry the engine's numbers into the right cells: every coefficient, SE and p in
//! the CSV form of the tables equals the fitted value for that term and equation, and every effect
//! row equals its effect.

use cipa::analysis::{analyse, Analysis, AnalysisOptions};
use cipa::report::apa::{apa_csv, apa_process, apa_regression, ApaOptions};

fn analysis(model: u32, m: &[&str], w: Option<&str>) -> Analysis {
    let data = crate::common::sme_example();
    let roles = cipa::spec::Roles {
        x: "network_ties".into(),
        y: "export_intensity".into(),
        m: m.iter().map(|s| s.to_string()).collect(),
        w: w.map(String::from),
        cov: vec!["family_owned".into()],
        ..Default::default()
    };
    let spec = cipa::spec::template::template(model)
        .unwrap()
        .instantiate(&roles)
        .unwrap();
    let opts = AnalysisOptions {
        boot: 200,
        seed: 11,
        total: w.is_none(),
        ..Default::default()
    };
    analyse(&data, &spec, &opts).unwrap()
}

/// Rows of a CSV without quoted commas (the tables' labels have none).
fn csv(text: &str) -> (Vec<String>, Vec<Vec<String>>) {
    let mut lines = text.lines();
    let header = lines.next().unwrap().split(',').map(String::from).collect();
    let rows = lines
        .map(|l| l.split(',').map(String::from).collect())
        .collect();
    (header, rows)
}

fn term_of(label: &str) -> String {
    if label == "Constant" {
        "constant".into()
    } else {
        label.replace(" × ", ":")
    }
}

fn check_coefficients(a: &Analysis) {
    let tables = apa_process(a, &ApaOptions::default());
    let (header, rows) = csv(&apa_csv(&tables[0]));
    let mut checked = 0;
    for (fit, _) in &a.equations {
        let col = |stat: &str| {
            header
                .iter()
                .position(|h| h.starts_with(&format!("{} ", fit.outcome)) && h.ends_with(stat))
                .unwrap_or_else(|| panic!("a {stat} column for {} in {header:?}", fit.outcome))
        };
        let (b, se, p) = (col(" b"), col(" SE"), col(" p"));
        for row in rows.iter().filter(|r| !r[1].is_empty()) {
            let term = term_of(&row[1]);
            match fit.coefficient(&term) {
                Some(c) => {
                    assert_eq!(row[b].parse::<f64>().unwrap(), c.estimate, "{term}");
                    assert_eq!(row[se].parse::<f64>().unwrap(), c.se, "{term}");
                    assert_eq!(row[p].parse::<f64>().unwrap(), c.p, "{term}");
                    checked += 1;
                }
                None => assert!(row[b].is_empty(), "{term} is not in {}", fit.outcome),
            }
        }
    }
    let total: usize = a.equations.iter().map(|(f, _)| f.k()).sum();
    assert_eq!(checked, total, "every coefficient appears once");
}

fn check_effects(a: &Analysis) {
    let tables = apa_process(a, &ApaOptions::default());
    let (_, rows) = csv(&apa_csv(&tables[1]));
    let with_numbers: Vec<&Vec<String>> = rows.iter().filter(|r| !r[2].is_empty()).collect();
    assert_eq!(with_numbers.len(), a.effects.len(), "one row per effect");
    // Panels in Hayes' order: total, direct, indirect (with total indirect and contrasts), indices.
    use cipa::effects::EffectKind as K;
    let panel = |k: K| match k {
        K::Total => 0,
        K::Direct => 1,
        K::Indirect | K::TotalIndirect | K::Contrast => 2,
        _ => 3,
    };
    let mut ordered: Vec<_> = a.effects.iter().collect();
    ordered.sort_by_key(|e| panel(e.def.kind));
    for (row, e) in with_numbers.iter().zip(ordered) {
        assert_eq!(row[2].parse::<f64>().unwrap(), e.effect);
        let se = e.se.or(e.boot_se).unwrap();
        assert_eq!(row[3].parse::<f64>().unwrap(), se);
        assert_eq!(row[5].parse::<f64>().unwrap(), e.ci_lower);
        assert_eq!(row[6].parse::<f64>().unwrap(), e.ci_upper);
    }
}

#[test]
fn moderated_mediation_tables_hold_the_engine_numbers() {
    let a = analysis(14, &["collab"], Some("psychic_distance"));
    check_coefficients(&a);
    check_effects(&a);
}

#[test]
fn serial_mediation_tables_hold_the_engine_numbers() {
    let a = analysis(6, &["collab", "intl_experience"], None);
    check_coefficients(&a);
    check_effects(&a);
    let tables = apa_process(&a, &ApaOptions::default());
    let (header, _) = csv(&apa_csv(&tables[0]));
    assert!(
        header.iter().any(|h| h.contains("total effect model")),
        "--total adds the total effect model as a block"
    );
}

#[test]
fn regression_table_holds_the_fit() {
    let a = analysis(6, &["collab", "intl_experience"], None);
    let fits: Vec<_> = a.equations.iter().map(|(f, _)| f).collect();
    let (header, rows) = csv(&apa_csv(&apa_regression(&fits, &ApaOptions::default())));
    assert_eq!(header.len(), 2 + 6 * fits.len());
    for (k, f) in fits.iter().enumerate() {
        for c in &f.coefficients {
            let row = rows
                .iter()
                .find(|r| term_of(&r[1]) == c.term)
                .unwrap_or_else(|| panic!("a row for {}", c.term));
            let got: Vec<f64> = row[2 + 6 * k..2 + 6 * (k + 1)]
                .iter()
                .map(|s| s.parse().unwrap())
                .collect();
            assert_eq!(
                got,
                vec![c.estimate, c.se, c.stat, c.p, c.ci_lower, c.ci_upper]
            );
        }
    }
}
