//! The report of `cipa measure` (text, Markdown, LaTeX, CSV) and its JSON document.

use serde_json::{json, Value as Json};

use crate::measure::Measurement;

use super::{Report, Section, Table, Value};

fn stars(p: f64) -> &'static str {
    if p < 0.001 {
        "***"
    } else if p < 0.01 {
        "**"
    } else if p < 0.05 {
        "*"
    } else {
        ""
    }
}

fn num(x: f64, d: usize) -> String {
    if x.is_nan() {
        "NA".into()
    } else {
        format!("{x:.d$}")
    }
}

fn pair_matrix(
    title: &str,
    names: &[String],
    f: &dyn Fn(usize, usize) -> Value,
    notes: Vec<String>,
) -> Table {
    Table {
        title: title.into(),
        columns: std::iter::once(String::new())
            .chain(names.iter().cloned())
            .collect(),
        rows: (0..names.len())
            .map(|i| {
                std::iter::once(Value::Text(names[i].clone()))
                    .chain((0..names.len()).map(|j| if j <= i { f(i, j) } else { Value::Empty }))
                    .collect()
            })
            .collect(),
        notes,
    }
}

/// The measurement report; `decimals` formats the starred correlations, `diag_ave` puts
/// sqrt(AVE) on the diagonal of the construct correlation table.
pub fn measure_report(
    m: &Measurement,
    header: Vec<(String, String)>,
    decimals: usize,
    diag_ave: bool,
    notes: Vec<String>,
) -> Report {
    let mut disc = vec![fornell_larcker_table(m)];
    disc.extend(htmt_table(m));
    let mut report_notes = notes;
    if !m.dropped_lines.is_empty() {
        report_notes.push(format!(
            "{} rows with missing item values were dropped (listwise).",
            m.dropped_lines.len()
        ));
    }
    Report {
        title: format!("cipa {} · measure", crate::VERSION),
        header,
        sections: vec![
            Section {
                heading: "Items and reliability".into(),
                tables: vec![items_table(m), reliability_table(m)],
            },
            Section {
                heading: "Confirmatory factor analysis".into(),
                tables: cfa_tables(m),
            },
            Section {
                heading: "Discriminant validity".into(),
                tables: disc,
            },
            Section {
                heading: "Constructs".into(),
                tables: vec![construct_correlations_table(m, decimals, diag_ave)],
            },
            Section {
                heading: "Collinearity and common-method checks".into(),
                tables: checks_tables(m, decimals),
            },
        ],
        warnings: m.warnings.clone(),
        notes: report_notes,
        decimals: 4,
    }
}

/// Each item: descriptives, item-total r, alpha if deleted and its CFA loading.
fn items_table(m: &Measurement) -> Table {
    Table {
        title: "Items".into(),
        columns: ["construct", "item", "mean", "SD", "item-total r", "alpha if deleted", "loading", "SE", "std. loading"]
            .map(String::from)
            .to_vec(),
        rows: m
            .items
            .iter()
            .zip(&m.cfa.loadings)
            .map(|(it, l)| {
                vec![
                    Value::Text(it.construct.clone()),
                    Value::Text(if it.reversed { format!("{} (R)", it.item) } else { it.item.clone() }),
                    Value::Num(it.mean),
                    Value::Num(it.sd),
                    Value::Num(it.item_total),
                    Value::Num(it.alpha_if_deleted),
                    Value::Num(l.estimate),
                    if l.se.is_nan() { Value::Text("fixed".into()) } else { Value::Num(l.se) },
                    Value::Num(l.std),
                ]
            })
            .collect(),
        notes: vec![
            "(R) reverse-coded. Item-total r: correlation with the sum of the construct's other items (psych's r.drop). Loadings from the CFA below; the first item of each construct is fixed to 1.".into(),
        ],
    }
}

/// Alpha with its interval, omega, CR and AVE per construct.
fn reliability_table(m: &Measurement) -> Table {
    Table {
        title: "Reliability and convergent validity".into(),
        columns: ["construct", "items", "alpha", "CI lower", "CI upper", "omega", "CR", "AVE"]
            .map(String::from)
            .to_vec(),
        rows: m
            .reliability
            .iter()
            .map(|r| {
                vec![
                    Value::Text(r.construct.clone()),
                    Value::Int(r.items as i64),
                    Value::Num(r.alpha),
                    Value::Num(r.alpha_ci_lower),
                    Value::Num(r.alpha_ci_upper),
                    Value::Num(r.omega),
                    Value::Num(r.cr),
                    Value::Num(r.ave),
                ]
            })
            .collect(),
        notes: vec![
            "alpha: Cronbach's raw alpha with Feldt's interval (as psych::alpha; Duhachek's is in the JSON output).".into(),
            "omega: omega total from a one-factor ML CFA of each construct (model-implied total variance; needs 3 items); psych::omega(nfactors = 1)'s minres version is in the JSON output (omega_psych).".into(),
            format!("{}; AVE = mean squared standardized loading.", m.cr_method.label()),
        ],
    }
}

/// The CFA's fit measures (lavaan's fitMeasures).
fn fit_table(m: &Measurement) -> Table {
    let f = &m.cfa.fit;
    Table {
        title: "Fit of the measurement model (ML)".into(),
        columns: ["", "value"].map(String::from).to_vec(),
        rows: vec![
            vec![Value::Text("chi-square".into()), Value::Num(f.chisq)],
            vec![Value::Text("df".into()), Value::Int(f.df as i64)],
            vec![Value::Text("p".into()), Value::Num(f.p)],
            vec![Value::Text("CFI".into()), Value::Num(f.cfi)],
            vec![Value::Text("TLI".into()), Value::Num(f.tli)],
            vec![Value::Text("RMSEA".into()), Value::Num(f.rmsea)],
            vec![Value::Text("RMSEA 90% CI lower".into()), Value::Num(f.rmsea_ci_lower)],
            vec![Value::Text("RMSEA 90% CI upper".into()), Value::Num(f.rmsea_ci_upper)],
            vec![Value::Text("SRMR".into()), Value::Num(f.srmr)],
            vec![Value::Text("baseline chi-square".into()), Value::Num(f.baseline_chisq)],
            vec![Value::Text("baseline df".into()), Value::Int(f.baseline_df as i64)],
            vec![Value::Text("baseline p".into()), Value::Num(f.baseline_p)],
            vec![Value::Text("log-likelihood".into()), Value::Num(f.logl)],
            vec![Value::Text("unrestricted log-likelihood".into()), Value::Num(f.unrestricted_logl)],
            vec![Value::Text("AIC".into()), Value::Num(f.aic)],
            vec![Value::Text("BIC".into()), Value::Num(f.bic)],
            vec![Value::Text("sample-size adjusted BIC".into()), Value::Num(f.bic2)],
        ],
        notes: vec![
            format!(
                "n = {}; {} free parameters; chi-square = N x F_ML as lavaan (likelihood = \"normal\"); standard errors from the expected information.",
                m.cfa.n, m.cfa.n_params
            ),
            "Baseline: the independence model (free variances, no covariances). AIC = -2 logL + 2k, BIC = -2 logL + k ln N, sample-size adjusted BIC = -2 logL + k ln((N + 2)/24) (Sclove 1987), k the free parameters, as lavaan's fitMeasures.".into(),
        ],
    }
}

/// sqrt(AVE) against the factor correlations (Fornell & Larcker 1981).
fn fornell_larcker_table(m: &Measurement) -> Table {
    let names: Vec<String> = m.constructs.iter().map(|c| c.name.clone()).collect();
    let idx = |s: &str| names.iter().position(|n| n == s).unwrap_or(0);
    pair_matrix(
        "Fornell-Larcker criterion",
        &names,
        &|i, j| {
            if i == j {
                Value::Num(m.reliability[i].sqrt_ave)
            } else {
                m.fornell_larcker
                    .iter()
                    .find(|x| {
                        (idx(&x.a) == i && idx(&x.b) == j) || (idx(&x.a) == j && idx(&x.b) == i)
                    })
                    .map_or(Value::Empty, |x| Value::Num(x.correlation))
            }
        },
        vec![{
            let assessed = m
                .fornell_larcker
                .iter()
                .filter(|x| x.passes.is_some())
                .count();
            let withheld = m.fornell_larcker.len() - assessed;
            format!(
                "sqrt(AVE) on the diagonal, factor correlations from the CFA below it; {} of {} pairs meet the criterion (sqrt(AVE) above the correlation){}.",
                m.fornell_larcker.iter().filter(|x| x.passes == Some(true)).count(),
                assessed,
                if withheld > 0 {
                    format!("; {withheld} pair(s) not assessed because an AVE is withheld (see the warnings)")
                } else {
                    String::new()
                }
            )
        }],
    )
}

/// Heterotrait-monotrait ratios (semTools::htmt), with intervals when bootstrapped.
fn htmt_table(m: &Measurement) -> Option<Table> {
    if m.htmt.is_empty() {
        return None;
    }
    let boot = m.htmt.iter().any(|h| !h.ci_lower.is_nan());
    let mut cols = vec!["pair", "HTMT"];
    if boot {
        cols.extend(["CI lower", "CI upper"]);
    }
    cols.push("HTMT2");
    if boot {
        cols.extend(["CI lower", "CI upper"]);
    }
    Some(Table {
        title: "Heterotrait-monotrait ratio".into(),
        columns: cols.into_iter().map(String::from).collect(),
        rows: m
            .htmt
            .iter()
            .map(|h| {
                let mut row = vec![Value::Text(format!("{} - {}", h.a, h.b)), Value::Num(h.value)];
                if boot {
                    row.extend([Value::Num(h.ci_lower), Value::Num(h.ci_upper)]);
                }
                row.push(Value::Num(h.htmt2));
                if boot {
                    row.extend([Value::Num(h.htmt2_ci_lower), Value::Num(h.htmt2_ci_upper)]);
                }
                row
            })
            .collect(),
        notes: vec![format!(
            "HTMT: arithmetic means of absolute item correlations; HTMT2: geometric means (semTools::htmt). Values above 0.85 (or 0.90) suggest a lack of discriminant validity{}",
            htmt_interval_note(m, boot)
        )],
    })
}

/// Means, SDs and starred correlations of the construct scores.
fn construct_correlations_table(m: &Measurement, decimals: usize, diag_ave: bool) -> Table {
    let s = &m.scores;
    let k = s.names.len();
    Table {
        title: "Construct scores: means, SDs and correlations".into(),
        columns: ["", "mean", "SD"]
            .iter()
            .map(|c| c.to_string())
            .chain((1..=k).map(|i| i.to_string()))
            .collect(),
        rows: (0..k)
            .map(|i| {
                let mut row = vec![
                    Value::Text(format!("{}. {}", i + 1, s.names[i])),
                    Value::Num(s.means[i]),
                    Value::Num(s.sds[i]),
                ];
                for j in 0..k {
                    row.push(if j < i {
                        Value::Text(format!(
                            "{}{}",
                            num(s.r[i * k + j], decimals),
                            stars(s.p[i * k + j])
                        ))
                    } else if j == i && diag_ave {
                        Value::Text(format!("({})", num(m.reliability[i].sqrt_ave, decimals)))
                    } else {
                        Value::Empty
                    });
                }
                row
            })
            .collect(),
        notes: vec![format!(
            "Scores are item {}s; n = {}. * p < .05, ** p < .01, *** p < .001 (two-sided).{}",
            match s.method {
                crate::measure::ScoreMethod::Mean => "mean",
                crate::measure::ScoreMethod::Sum => "sum",
            },
            m.n,
            if diag_ave {
                " sqrt(AVE) in parentheses on the diagonal."
            } else {
                ""
            }
        )],
    }
}

/// Collinearity (full and predictor VIFs) and common-method checks (Harman, marker variable).
fn checks_tables(m: &Measurement, decimals: usize) -> Vec<Table> {
    let mut checks = Vec::new();
    if !m.full_vif.is_empty() {
        checks.push(Table {
            title: "Full-collinearity VIFs".into(),
            columns: ["construct", "VIF"].map(String::from).to_vec(),
            rows: m.full_vif.iter().map(|v| vec![Value::Text(v.variable.clone()), Value::Num(v.vif)]).collect(),
            notes: vec!["Each construct score regressed on all the others (Kock 2015); above 3.3 suggests collinearity or common-method variance.".into()],
        });
    }
    if let Some((y, v)) = &m.vif {
        checks.push(Table {
            title: format!("VIFs of the predictors of {y}"),
            columns: ["predictor", "VIF"].map(String::from).to_vec(),
            rows: v
                .iter()
                .map(|v| vec![Value::Text(v.variable.clone()), Value::Num(v.vif)])
                .collect(),
            notes: vec![],
        });
    }
    checks.push(Table {
        title: "Harman's single-factor test".into(),
        columns: ["", "value"].map(String::from).to_vec(),
        rows: vec![
            vec![Value::Text("items".into()), Value::Int(m.harman.items as i64)],
            vec![Value::Text("first eigenvalue".into()), Value::Num(m.harman.first_eigenvalue)],
            vec![Value::Text("share of variance".into()), Value::Num(m.harman.share)],
        ],
        notes: vec![
            "First unrotated principal component of the item correlations; a share above 0.50 is the customary flag. The test is weak: a low share does not rule out common-method bias (Podsakoff et al. 2003).".into(),
        ],
    });
    if let Some(mk) = &m.marker {
        checks.push(Table {
            title: format!("Marker-variable correction (Lindell-Whitney), marker {}", mk.marker),
            columns: ["pair", "r", "r adjusted", "p"].map(String::from).to_vec(),
            rows: mk
                .pairs
                .iter()
                .map(|p| {
                    vec![
                        Value::Text(format!("{} - {}", p.a, p.b)),
                        Value::Num(p.r),
                        Value::Num(p.r_adjusted),
                        Value::Num(p.p),
                    ]
                })
                .collect(),
            notes: vec![format!(
                "r_M = {} (the smallest positive correlation of the marker with a construct score, Lindell & Whitney 2001; 0 when none is positive); r_A = (r - r_M)/(1 - r_M), t on n - 3 df.",
                num(mk.r_m, decimals)
            )],
        });
    }
    checks
}

/// The CFA section: fit, factor covariances and correlations, variances.
fn cfa_tables(m: &Measurement) -> Vec<Table> {
    let mut lds = Vec::new();
    for fc in &m.cfa.factor_correlations {
        lds.push(vec![
            Value::Text(format!("{} ~~ {}", fc.a, fc.b)),
            Value::Num(fc.covariance),
            Value::Num(fc.se),
            Value::Num(fc.z),
            Value::Num(fc.p),
            Value::Num(fc.correlation),
            Value::Num(fc.correlation_se),
        ]);
    }
    let mut cfa_tables = vec![fit_table(m)];
    if !lds.is_empty() {
        cfa_tables.push(Table {
            title: "Factor covariances and correlations".into(),
            columns: ["", "covariance", "SE", "z", "p", "correlation", "SE"]
                .map(String::from)
                .to_vec(),
            rows: lds,
            notes: vec!["z and p test the covariance (estimate / SE, two-sided normal p, as lavaan's parameterEstimates).".into()],
        });
    }
    cfa_tables.push(variances_table(m));
    cfa_tables
}

/// Factor variances and item residual variances with SE, z and p (lavaan's parameterEstimates).
fn variances_table(m: &Measurement) -> Table {
    let row = |label: String, est: f64, se: f64, z: f64, p: f64| {
        vec![
            Value::Text(label),
            Value::Num(est),
            Value::Num(se),
            Value::Num(z),
            Value::Num(p),
        ]
    };
    let factors = m.cfa.factor_variances.iter().map(|v| {
        row(
            format!("{0} ~~ {0}", v.construct),
            v.estimate,
            v.se,
            v.z,
            v.p,
        )
    });
    let residuals = m.cfa.residuals.iter().map(|r| {
        row(
            format!("{0} ~~ {0} (residual)", r.item),
            r.estimate,
            r.se,
            r.z,
            r.p,
        )
    });
    Table {
        title: "Factor and residual variances".into(),
        columns: ["", "variance", "SE", "z", "p"].map(String::from).to_vec(),
        rows: factors.chain(residuals).collect(),
        notes: vec!["z = estimate / SE with a two-sided normal p, as lavaan's parameterEstimates; a variance cannot be negative, so its test against 0 is on the boundary of the parameter space and conservative.".into()],
    }
}

/// The JSON document of `cipa measure` (docs/json-schema.md).
pub fn measure_json(m: &Measurement, data: Json, options: Json) -> Json {
    let reliability: Vec<Json> = m
        .reliability
        .iter()
        .map(|r| {
            json!({
                "construct": r.construct, "items": r.items, "alpha": r.alpha,
                "alpha_ci_lower": r.alpha_ci_lower, "alpha_ci_upper": r.alpha_ci_upper,
                "alpha_ci_method": "feldt",
                "std_alpha": r.alpha_detail.std_alpha, "average_r": r.alpha_detail.average_r,
                "alpha_ase": r.alpha_detail.ase,
                "alpha_duhachek_lower": r.alpha_detail.duhachek_lower,
                "alpha_duhachek_upper": r.alpha_detail.duhachek_upper,
                "omega": r.omega, "omega_psych": r.omega_psych, "cr": r.cr, "cr_fornell_larcker": r.cr_fornell_larcker,
                "cr_comprelsem": r.cr_comprelsem, "ave": r.ave, "sqrt_ave": r.sqrt_ave,
            })
        })
        .collect();
    let s = &m.scores;
    let k = s.names.len();
    let mut cors = Vec::new();
    for i in 0..k {
        for j in 0..i {
            cors.push(
                json!({"a": s.names[j], "b": s.names[i], "r": s.r[i * k + j], "p": s.p[i * k + j]}),
            );
        }
    }
    json!({
        "cipa_version": crate::VERSION,
        "command": "measure",
        "data": data,
        "options": options,
        "n": m.n,
        "dropped_lines": m.dropped_lines,
        "constructs": m.constructs,
        "items": m.items,
        "reliability": reliability,
        "cr_method": m.cr_method,
        "cfa": {
            "fit": m.cfa.fit,
            "loadings": m.cfa.loadings,
            "factor_variances": m.cfa.factor_variances,
            "factor_correlations": m.cfa.factor_correlations,
            "residuals": m.cfa.residuals,
            "n_params": m.cfa.n_params,
            "converged": m.cfa.converged,
            "iterations": m.cfa.iterations,
        },
        "fornell_larcker": m.fornell_larcker,
        "htmt": m.htmt,
        "scores": {
            "method": s.method,
            "descriptives": (0..k).map(|i| json!({"construct": s.names[i], "mean": s.means[i], "sd": s.sds[i]})).collect::<Vec<_>>(),
            "correlations": cors,
        },
        "vif": {
            "full_collinearity": m.full_vif,
            "regression": m.vif.as_ref().map(|(y, v)| json!({"outcome": y, "predictors": v})),
        },
        "harman": m.harman,
        "marker": m.marker,
        "warnings": m.warnings,
    })
}

/// What the HTMT table's note says of intervals: percentile bootstrap when it has them; why
/// not when the bootstrap ran but its intervals were withheld (too many failed draws, or the
/// bootstrap abandoned); nothing without a bootstrap.
fn htmt_interval_note(m: &Measurement, boot: bool) -> String {
    if boot {
        return "; intervals are percentile bootstrap.".into();
    }
    let withheld = m
        .warnings
        .iter()
        .find(|w| w.starts_with("HTMT bootstrap") && w.contains("no HTMT intervals"));
    match withheld {
        Some(w) if w.contains("abandoned") => {
            "; no intervals: the bootstrap was abandoned (see the warnings).".into()
        }
        Some(_) => format!(
            "; no intervals: more than {:.0}% of the bootstrap draws failed, so those that succeeded are no sample of the sampling distribution (see the warnings).",
            100.0 * crate::inference::resample::MAX_FAILED_SHARE
        ),
        None => ".".into(),
    }
}
