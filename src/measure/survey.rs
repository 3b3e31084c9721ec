//! The measurement table of a survey paper in one call: item statistics, reliability (alpha with
//! intervals, omega, CR, AVE), the CFA measurement model, discriminant validity (Fornell-Larcker,
//! HTMT), construct descriptives and correlations, collinearity and common-method checks.

use crate::numeric::dist::t_p_two_sided;

use super::cfa::{fit_cfa, CfaFit};
use super::collinearity::{vif, Vif};
use super::constructs::{Construct, ItemMatrix, ScoreMethod};
use super::method_bias::{harman, lindell_whitney, Harman, MarkerCorrection};
use super::reliability::{cronbach_alpha, item_stats, omega_psych_1f, Alpha, ItemStat};
use super::stats::{cov_to_cor, covariance, mean};
use super::validity::{ave, comp_rel_sem, composite_reliability, htmt, FornellLarcker, Htmt};
use super::MeasureError;

/// Which composite reliability the reliability table's `cr` shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum CrMethod {
    /// `(Σλ)² / ((Σλ)² + Σ(1 − λ²))` from standardized loadings (Fornell & Larcker 1981).
    #[default]
    FornellLarcker,
    /// semTools::compRelSEM's default: unstandardized loadings over the observed total variance.
    CompRelSem,
}

impl CrMethod {
    pub fn label(self) -> &'static str {
        match self {
            CrMethod::FornellLarcker => {
                "CR = (Σλ)² / ((Σλ)² + Σ(1 − λ²)) from standardized loadings (Fornell & Larcker)"
            }
            CrMethod::CompRelSem => {
                "CR as semTools::compRelSEM (observed total variance in the denominator)"
            }
        }
    }
}

/// Options of [`measure`].
#[derive(Debug, Clone, PartialEq)]
pub struct MeasureOptions {
    /// Scale range `(min, max)` for reverse-coded items.
    pub scale: Option<(f64, f64)>,
    /// Confidence level in percent for alpha and HTMT intervals.
    pub conf: f64,
    pub cr: CrMethod,
    pub score: ScoreMethod,
    /// A marker item for the Lindell-Whitney correction.
    pub marker: Option<String>,
    /// Construct whose score is regressed on the other scores for regression VIFs.
    pub vif_outcome: Option<String>,
    /// Bootstrap draws for HTMT intervals (0: none).
    pub boot: usize,
    pub seed: u64,
    pub threads: usize,
}

impl Default for MeasureOptions {
    fn default() -> Self {
        MeasureOptions {
            scale: None,
            conf: 95.0,
            cr: CrMethod::default(),
            score: ScoreMethod::Mean,
            marker: None,
            vif_outcome: None,
            boot: 0,
            seed: 1,
            threads: 0,
        }
    }
}

/// Reliability of one construct.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Reliability {
    pub construct: String,
    pub items: usize,
    pub alpha: f64,
    pub alpha_ci_lower: f64,
    pub alpha_ci_upper: f64,
    /// Feldt's interval (the one in `alpha_ci_*`) and Duhachek's, both as psych::alpha prints.
    pub alpha_detail: Alpha,
    /// Omega total from a one-factor ML CFA of the construct's items, with the model-implied total
    /// variance (semTools::compRelSEM(obs.var = FALSE) on that model); `NaN` below 3 items.
    pub omega: f64,
    /// Omega total as psych::omega(nfactors = 1) reports it (one-factor minres loadings, observed
    /// total correlation); `NaN` below 3 items.
    pub omega_psych: f64,
    /// As chosen by [`CrMethod`].
    pub cr: f64,
    pub cr_fornell_larcker: f64,
    pub cr_comprelsem: f64,
    pub ave: f64,
    pub sqrt_ave: f64,
}

/// Descriptives and correlations of construct scores.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct ScoreTable {
    pub method: ScoreMethod,
    pub names: Vec<String>,
    pub means: Vec<f64>,
    pub sds: Vec<f64>,
    /// Row-major `k × k` correlations and two-sided p-values.
    pub r: Vec<f64>,
    pub p: Vec<f64>,
}

/// Everything [`measure`] computes.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Measurement {
    pub n: usize,
    pub dropped_lines: Vec<u64>,
    pub constructs: Vec<Construct>,
    pub items: Vec<ItemStat>,
    pub reliability: Vec<Reliability>,
    pub cr_method: CrMethod,
    pub cfa: CfaFit,
    pub fornell_larcker: Vec<FornellLarcker>,
    pub htmt: Vec<Htmt>,
    pub scores: ScoreTable,
    pub full_vif: Vec<Vif>,
    pub vif: Option<(String, Vec<Vif>)>,
    pub harman: Harman,
    pub marker: Option<MarkerCorrection>,
    pub warnings: Vec<String>,
}

/// Runs the measurement analysis of `constructs` on `data`.
pub fn measure(
    data: &crate::data::Dataset,
    constructs: &[Construct],
    opts: &MeasureOptions,
) -> Result<Measurement, crate::Error> {
    check_constructs(constructs, opts)?;
    let extra: Vec<&str> = opts.marker.iter().map(String::as_str).collect();
    let im = ItemMatrix::build(data, constructs, opts.scale, &extra)?;
    im.check_not_constant(constructs)?;
    let n = im.n();
    let n_items = im.p() - extra.len();
    check_rows(n, n_items, !extra.is_empty())?;
    let names: Vec<String> = constructs.iter().map(|c| c.name.clone()).collect();
    let groups: Vec<Vec<usize>> = (0..constructs.len()).map(|k| im.items_of(k)).collect();
    let item_cols = &im.cols[..n_items];
    let mut warnings = Vec::new();
    let each = construct_statistics(constructs, &im, &groups, opts, &mut warnings)?;
    let item_names: Vec<String> = im.items[..n_items].to_vec();
    let cfa = fit_cfa(&item_names, &names, &im.construct_of[..n_items], item_cols)?;
    warnings.extend(cfa.warnings.iter().map(|w| format!("CFA: {w}")));
    warnings.extend(negative_loadings(constructs, &groups, &each.items, &cfa));
    let reliability = reliability_rows(
        constructs,
        &im,
        &groups,
        &cfa,
        &each,
        opts,
        n_items,
        &mut warnings,
    );
    let fornell_larcker = fornell_larcker(&cfa, &names, &reliability);
    let (htmt, boot_problem) = htmt(
        item_cols,
        &groups,
        &names,
        opts.boot,
        opts.seed,
        opts.conf,
        opts.threads,
    );
    warnings.extend(boot_problem);
    let score_cols = construct_scores(&im, &groups, opts.score, n);
    let scores = score_table(&names, &score_cols, opts.score, n);
    let full_vif = if names.len() >= 2 {
        vif(&names, &score_cols)?
    } else {
        Vec::new()
    };
    let vif_reg = match &opts.vif_outcome {
        None => None,
        Some(y) => Some((y.clone(), outcome_vif(y, &names, &score_cols)?)),
    };
    let harman = harman(&cov_to_cor(&covariance(item_cols, 1), n_items), n_items);
    let marker = opts
        .marker
        .as_ref()
        .map(|mk| marker_correction(mk, &im.cols[n_items], &score_cols, &scores, n));
    Ok(Measurement {
        n,
        dropped_lines: im.dropped_lines.clone(),
        constructs: constructs.to_vec(),
        items: each.items,
        reliability,
        cr_method: opts.cr,
        cfa,
        fornell_larcker,
        htmt,
        scores,
        full_vif,
        vif: vif_reg,
        harman,
        marker,
        warnings,
    })
}

/// At least one construct, and a marker that is not one of their items.
fn check_constructs(constructs: &[Construct], opts: &MeasureOptions) -> Result<(), crate::Error> {
    if constructs.is_empty() {
        return Err(MeasureError::Invalid(
            "no constructs given; define at least one with --construct NAME=item1,item2,item3"
                .into(),
        )
        .into());
    }
    if let Some(mk) = &opts.marker {
        if let Some(c) = constructs
            .iter()
            .find(|c| c.items.iter().any(|i| &i.name == mk))
        {
            return Err(MeasureError::MarkerInConstruct {
                item: mk.clone(),
                construct: c.name.clone(),
            }
            .into());
        }
    }
    Ok(())
}

/// The item covariance matrix needs more rows than items to be positive definite.
fn check_rows(n: usize, n_items: usize, marker: bool) -> Result<(), crate::Error> {
    if n > n_items.max(2) {
        return Ok(());
    }
    Err(MeasureError::TooFewRows {
        what: format!(
            "all {n_items} construct items{}",
            if marker { " and the marker" } else { "" }
        ),
        n,
        needed: n_items.max(2) + 1,
    }
    .into())
}

/// What each construct gives on its own: item statistics, alpha, omega.
struct ConstructStatistics {
    items: Vec<ItemStat>,
    alphas: Vec<Alpha>,
    omegas: Vec<f64>,
}

fn construct_statistics(
    constructs: &[Construct],
    im: &ItemMatrix,
    groups: &[Vec<usize>],
    opts: &MeasureOptions,
    warnings: &mut Vec<String>,
) -> Result<ConstructStatistics, crate::Error> {
    let mut out = ConstructStatistics {
        items: Vec::new(),
        alphas: Vec::new(),
        omegas: Vec::new(),
    };
    for (k, c) in constructs.iter().enumerate() {
        if c.items.len() < 2 {
            return Err(MeasureError::TooFewItems {
                construct: c.name.clone(),
                count: c.items.len(),
                needed: 2,
                what: "Cronbach's alpha",
            }
            .into());
        }
        let cols: Vec<Vec<f64>> = groups[k].iter().map(|&j| im.cols[j].clone()).collect();
        let inames: Vec<String> = c.items.iter().map(|i| i.name.clone()).collect();
        let rev: Vec<bool> = c.items.iter().map(|i| i.reversed).collect();
        let stats = item_stats(&c.name, &inames, &rev, &cols);
        warnings.extend(negative_item_total(&c.name, &stats));
        out.items.extend(stats);
        out.alphas.push(cronbach_alpha(&cols, opts.conf / 100.0));
        out.omegas.push(omega_total(c, &inames, &cols, warnings)?);
    }
    Ok(out)
}

/// Omega total of one construct from its own one-factor CFA (semTools::compRelSEM); NaN with a
/// warning for two items or an improper solution.
fn omega_total(
    c: &Construct,
    inames: &[String],
    cols: &[Vec<f64>],
    warnings: &mut Vec<String>,
) -> Result<f64, crate::Error> {
    if c.items.len() < 3 {
        warnings.push(format!("construct '{}' has 2 items: omega needs a one-factor CFA of at least 3 items and is not reported", c.name));
        return Ok(f64::NAN);
    }
    let f1 = fit_cfa(
        inames,
        std::slice::from_ref(&c.name),
        &vec![0; inames.len()],
        cols,
    )?;
    for w in &f1.warnings {
        warnings.push(format!("one-factor CFA of '{}' (omega): {w}", c.name));
    }
    if let Some(why) = improper(&f1, 0) {
        warnings.push(format!(
            "construct '{}': omega is not reported (null) because its one-factor CFA {why}",
            c.name
        ));
        return Ok(f64::NAN);
    }
    let lam: Vec<f64> = f1.loadings.iter().map(|l| l.estimate).collect();
    let sigma = f1.model.sigma(&f1.params);
    Ok(comp_rel_sem(&lam, f1.factor_variances[0].estimate, &sigma))
}

/// Items that load negatively in the CFA: probably reverse-coded but not marked so (or marked so
/// once too often).
fn negative_loadings(
    constructs: &[Construct],
    groups: &[Vec<usize>],
    items: &[ItemStat],
    cfa: &CfaFit,
) -> Vec<String> {
    let mut warnings = Vec::new();
    for (k, c) in constructs.iter().enumerate() {
        let is_reversed = |j: usize| c.items[j - groups[k][0]].reversed;
        // Items already warned about for a negative item-total correlation are not repeated.
        let warned = |j: usize| {
            items.iter().any(|s| {
                s.construct == c.name && s.item == cfa.loadings[j].item && s.item_total < 0.0
            })
        };
        let negative: Vec<&str> = groups[k]
            .iter()
            .filter(|&&j| cfa.loadings[j].std < 0.0 && !is_reversed(j) && !warned(j))
            .map(|&j| cfa.loadings[j].item.as_str())
            .collect();
        // An item already written as -ITEM that still loads negatively was reversed once too
        // often (or is stored reverse-coded already); advising -ITEM again would be wrong.
        let negative_reversed: Vec<&str> = groups[k]
            .iter()
            .filter(|&&j| cfa.loadings[j].std < 0.0 && is_reversed(j))
            .map(|&j| cfa.loadings[j].item.as_str())
            .collect();
        if !negative_reversed.is_empty() {
            warnings.push(format!(
                "construct '{}': reverse-coded item(s) {} still load negatively; if the data already store them reverse-coded, drop the '-' in the construct definition, and check that --scale is the items' range",
                c.name,
                negative_reversed.iter().map(|i| format!("'{i}'")).collect::<Vec<_>>().join(", ")
            ));
        }
        if !negative.is_empty() {
            warnings.push(format!(
                "construct '{}': item(s) {} load negatively; if they are reverse-coded, write them as -ITEM in the construct and give --scale MIN,MAX (alpha, CR and the scores assume items point the same way)",
                c.name,
                negative.iter().map(|i| format!("'{i}'")).collect::<Vec<_>>().join(", ")
            ));
        }
    }
    warnings
}

/// Alpha, omega, CR (both kinds) and AVE per construct; CR and AVE withheld for an improper CFA.
#[allow(clippy::too_many_arguments)]
fn reliability_rows(
    constructs: &[Construct],
    im: &ItemMatrix,
    groups: &[Vec<usize>],
    cfa: &CfaFit,
    each: &ConstructStatistics,
    opts: &MeasureOptions,
    p: usize,
    warnings: &mut Vec<String>,
) -> Vec<Reliability> {
    let s_ml = covariance(&im.cols[..p], 0);
    let mut reliability = Vec::new();
    for (k, c) in constructs.iter().enumerate() {
        let std = cfa.std_loadings(k);
        let lam: Vec<f64> = groups[k]
            .iter()
            .map(|&j| cfa.loadings[j].estimate)
            .collect();
        let sub: Vec<f64> = groups[k]
            .iter()
            .flat_map(|&a| groups[k].iter().map(move |&b| (a, b)))
            .map(|(a, b)| s_ml[a * p + b])
            .collect();
        let mut cr_fl = composite_reliability(&std);
        let mut cr_crs = comp_rel_sem(&lam, cfa.factor_variances[k].estimate, &sub);
        let a = &each.alphas[k];
        let mut v = ave(&std);
        // CR and AVE of an improper solution come out as impossible figures (a CR of 7.6, an AVE
        // above 1) that read as excellent; they are withheld rather than printed as if valid.
        if let Some(why) = improper(cfa, k) {
            warnings.push(format!(
                "construct '{}': CR, AVE and the Fornell-Larcker check are not reported (null) because the CFA {why}; they are not valid for an improper solution. Revise the construct (add items, drop a weak or misassigned item) and rerun",
                c.name
            ));
            cr_fl = f64::NAN;
            cr_crs = f64::NAN;
            v = f64::NAN;
        }
        reliability.push(Reliability {
            construct: c.name.clone(),
            items: c.items.len(),
            alpha: a.alpha,
            alpha_ci_lower: a.feldt_lower,
            alpha_ci_upper: a.feldt_upper,
            alpha_detail: a.clone(),
            omega: each.omegas[k],
            omega_psych: if c.items.len() >= 3 {
                let sub: Vec<Vec<f64>> = groups[k].iter().map(|&j| im.cols[j].clone()).collect();
                omega_psych_1f(&cov_to_cor(&covariance(&sub, 1), sub.len()), sub.len())
            } else {
                f64::NAN
            },
            cr: match opts.cr {
                CrMethod::FornellLarcker => cr_fl,
                CrMethod::CompRelSem => cr_crs,
            },
            cr_fornell_larcker: cr_fl,
            cr_comprelsem: cr_crs,
            ave: v,
            sqrt_ave: v.sqrt(),
        });
    }
    reliability
}

/// Each factor correlation against both constructs' sqrt(AVE) (Fornell & Larcker 1981).
fn fornell_larcker(
    cfa: &CfaFit,
    names: &[String],
    reliability: &[Reliability],
) -> Vec<FornellLarcker> {
    cfa.factor_correlations
        .iter()
        .map(|fc| {
            let ia = names.iter().position(|x| x == &fc.a).unwrap_or(0);
            let ib = names.iter().position(|x| x == &fc.b).unwrap_or(0);
            let (sa, sb) = (reliability[ia].sqrt_ave, reliability[ib].sqrt_ave);
            FornellLarcker {
                a: fc.a.clone(),
                b: fc.b.clone(),
                correlation: fc.correlation,
                sqrt_ave_a: sa,
                sqrt_ave_b: sb,
                passes: (sa.is_finite() && sb.is_finite())
                    .then(|| sa > fc.correlation.abs() && sb > fc.correlation.abs()),
            }
        })
        .collect()
}

/// Each construct's score per row: the mean or sum of its items.
fn construct_scores(
    im: &ItemMatrix,
    groups: &[Vec<usize>],
    how: ScoreMethod,
    n: usize,
) -> Vec<Vec<f64>> {
    groups
        .iter()
        .map(|g| {
            (0..n)
                .map(|r| {
                    let s: f64 = g.iter().map(|&j| im.cols[j][r]).sum();
                    match how {
                        ScoreMethod::Mean => s / g.len() as f64,
                        ScoreMethod::Sum => s,
                    }
                })
                .collect()
        })
        .collect()
}

/// Means, SDs and correlations of the scores with two-sided t-test p-values on n - 2 df.
fn score_table(
    names: &[String],
    score_cols: &[Vec<f64>],
    method: ScoreMethod,
    n: usize,
) -> ScoreTable {
    let m = names.len();
    let sc = covariance(score_cols, 1);
    let r = cov_to_cor(&sc, m);
    let df = n as f64 - 2.0;
    let p = r
        .iter()
        .map(|&x| {
            if x.abs() >= 1.0 {
                0.0
            } else {
                t_p_two_sided(x * (df / (1.0 - x * x)).sqrt(), df)
            }
        })
        .collect();
    ScoreTable {
        method,
        names: names.to_vec(),
        means: score_cols.iter().map(|c| mean(c)).collect(),
        sds: (0..m).map(|k| sc[k * m + k].sqrt()).collect(),
        r,
        p,
    }
}

/// VIFs of the other constructs' scores as predictors of `y` (--vif-outcome).
fn outcome_vif(
    y: &str,
    names: &[String],
    score_cols: &[Vec<f64>],
) -> Result<Vec<Vif>, MeasureError> {
    let iy = names.iter().position(|x| x == y).ok_or_else(|| {
        MeasureError::Invalid(format!(
            "--vif-outcome '{y}' is not a construct; use one of {names:?}"
        ))
    })?;
    let keep: Vec<usize> = (0..names.len()).filter(|&k| k != iy).collect();
    let kn: Vec<String> = keep.iter().map(|&k| names[k].clone()).collect();
    let kc: Vec<Vec<f64>> = keep.iter().map(|&k| score_cols[k].clone()).collect();
    vif(&kn, &kc)
}

/// The marker's correlations with the scores, then every score pair corrected (Lindell-Whitney).
fn marker_correction(
    marker: &str,
    mcol: &[f64],
    score_cols: &[Vec<f64>],
    scores: &ScoreTable,
    n: usize,
) -> MarkerCorrection {
    let m = scores.names.len();
    let mr: Vec<f64> = score_cols
        .iter()
        .map(|c| {
            let cc = covariance(&[mcol.to_vec(), c.clone()], 1);
            cc[1] / (cc[0] * cc[3]).sqrt()
        })
        .collect();
    let mut pairs = Vec::new();
    for a in 0..m {
        for b in 0..a {
            pairs.push((
                scores.names[b].clone(),
                scores.names[a].clone(),
                scores.r[a * m + b],
            ));
        }
    }
    lindell_whitney(marker, &mr, &pairs, n)
}

/// Why factor `k` of a CFA is not a proper solution on which CR and AVE can be read, or `None`:
/// one of its items (or the factor) is a Heywood case. (A CFA that does not converge is an
/// error of `fit_cfa`, never a fit.)
fn improper(cfa: &CfaFit, k: usize) -> Option<String> {
    if cfa.factor_variances[k].estimate <= 0.0 {
        return Some(format!(
            "gives factor '{}' a non-positive variance ({:.4})",
            cfa.factor_variances[k].construct, cfa.factor_variances[k].estimate
        ));
    }
    for ((l, r), &f) in cfa
        .loadings
        .iter()
        .zip(&cfa.residuals)
        .zip(&cfa.model.factor_of)
    {
        if f != k {
            continue;
        }
        if r.estimate < 0.0 {
            return Some(format!(
                "gives item '{}' a negative residual variance ({:.4}, a Heywood case)",
                l.item, r.estimate
            ));
        }
        if l.std.abs() >= 1.0 {
            return Some(format!(
                "gives item '{}' a standardized loading of {:.4} (a Heywood case: at most 1 is possible)",
                l.item, l.std
            ));
        }
    }
    None
}

/// A reverse-coding warning for each item that correlates negatively with the sum of the other
/// items of its construct (corrected item-total r < 0), as psych::alpha warns: alpha, omega and
/// the scores assume the items point the same way. Computed before and apart from the CFA, so it
/// is given for two-item constructs and when the CFA fails too.
fn negative_item_total(construct: &str, stats: &[crate::measure::ItemStat]) -> Vec<String> {
    if let [a, b] = stats {
        // Two items: each is the other's "rest", so one sentence for the pair.
        if a.item_total < 0.0 && !a.reversed && !b.reversed {
            return vec![format!(
                "construct '{construct}': its two items '{}' and '{}' correlate negatively (r = {:.2}); if one is reverse-coded, write it as -ITEM in the construct and give --scale MIN,MAX",
                a.item, b.item, a.item_total
            )];
        }
        return Vec::new();
    }
    // A reversed item that still runs against the others is the loadings' warning (below),
    // which tells a reversal applied twice from a reversal missing.
    stats
        .iter()
        .filter(|s| s.item_total < 0.0 && !s.reversed)
        .map(|s| {
            format!(
                "construct '{construct}': item '{}' correlates negatively with the rest of its items (corrected item-total r = {:.2}); if it is reverse-coded, write it as -{} in the construct and give --scale MIN,MAX",
                s.item, s.item_total, s.item
            )
        })
        .collect()
}
