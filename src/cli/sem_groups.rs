//! `cipa sem --group VAR`: the multi-group fit (sem::groups) with `--group-equal` and
//! `--group-partial`, or with `--invariance` the configural-metric-scalar-strict sequence;
//! reported per group as lavaan's summary() does (report/sem_groups.rs), with each group's
//! reliability, path diagram and APA tables drawn by the single-group code on the group's view
//! (`GroupedFit::group_fit`); `--missing fiml` fits each group's own missing-data patterns
//! (sem/groups/fiml.rs); `--boot` (within each group, complete data or FIML) and `--mc` add
//! the resampled intervals of every free and `:=` parameter and of the `:=` rows' std.all
//! values, `--bollen-stine` the p value over groups (sem::groups::resample); `--mi` and
//! `--residuals` are sem_groups_diag.rs; `--probe`/`--wvals` probe a := naming an observed
//! moderator at its values in the pooled sample (sem_groups_probe.rs).

use serde_json::json;

use crate::analysis::sem_group_slopes::{grouped_latent_slopes, GroupSlopes};
use crate::data::Dataset;
use crate::report::sem_groups::{
    add_group_reliability, add_group_reliability_json, invariance_json, invariance_report,
    sem_groups_json, sem_groups_report,
};
use crate::report::Report;
use crate::sem::groups::{self, invariance, GroupEqual, GroupOptions, GroupedFit};
use crate::sem::lrt::LrtTable;
use crate::sem::reliability::LatentReliability;
use crate::sem::resample::SemBootstrap;
use crate::sem::wald::WaldTest;

use super::output::{self, Deliverable, Delivery};
use super::results_dir::{Destination, Provenance, ResultsDir};
use super::sem::SemPlan;
use super::warn::InputNotes;
use super::{usage, CliError};

/// The grouped fit or the invariance sequence, not yet delivered (the Python package renders
/// it on request).
pub fn fitted(plan: SemPlan, data: Dataset) -> Result<GroupRun, CliError> {
    let gopts = group_options(&plan)?;
    let (flat, probed) = super::sem_groups_probe::probed_model(&plan, &data)?;
    let err = |e: crate::sem::SemError| CliError::from(crate::Error::from(e));
    let mut result = if plan.a.invariance {
        refuse_with_invariance(&plan, &gopts)?;
        Fitted::Invariance(
            invariance::invariance(&plan.flat, &data, &plan.opts, &gopts).map_err(err)?,
        )
    } else {
        Fitted::Single(Box::new(fit_grouped(&plan, &flat, &data, &gopts)?))
    };
    let wald = match (&result, &plan.a.wald) {
        (Fitted::Single(f), Some(text)) => Some(f.wald_text(text)?),
        _ => None,
    };
    let mi = match (&result, plan.a.mi) {
        (Fitted::Single(f), Some(t)) => Some(super::sem_groups_diag::modindices(f, t)?),
        _ => None,
    };
    let residuals = match &result {
        Fitted::Single(f) if plan.a.residuals => Some(super::sem_groups_diag::residuals(f)?),
        _ => None,
    };
    let mut boot = match (&result, super::sem::boot_options(&plan.a)?) {
        (Fitted::Single(f), Some(opts)) => {
            Some(groups::resample::bootstrap(&flat, &data, f, &opts).map_err(err)?)
        }
        _ => None,
    };
    if let Fitted::Single(f) = &mut result {
        crate::analysis::sem_probe_groups::withhold_standardized(f, boot.as_mut(), &probed);
    }
    let compare = match (&result, &plan.a.compare) {
        (Fitted::Single(f), Some(path)) => Some(compared(&plan, &data, &gopts, f, path)?),
        _ => None,
    };
    let reliability = match &result {
        Fitted::Single(f) => f.reliability().map_err(err)?,
        Fitted::Invariance(_) => Vec::new(),
    };
    let slopes = match &result {
        Fitted::Single(f) => grouped_latent_slopes(f, &data, &super::sem::probe_method(&plan.a))
            .map_err(|e| CliError::from(crate::Error::from(e)))?,
        Fitted::Invariance(_) => Vec::new(),
    };
    let input = InputNotes::from_data(&data);
    Ok(GroupRun {
        plan,
        data,
        result,
        input,
        wald,
        mi,
        residuals,
        boot,
        reliability,
        compare,
        slopes,
        probed,
    })
}

/// `--compare MODEL` under `--group`: MODEL fitted to the same groups with the same
/// `--group-equal`/`--group-partial`, and lavTestLRT of the two grouped fits (plain, or
/// Satorra-Bentler 2001 under MLR).
fn compared(
    plan: &SemPlan,
    data: &Dataset,
    gopts: &GroupOptions,
    fit: &GroupedFit,
    path: &std::path::Path,
) -> Result<LrtTable, CliError> {
    let err = |e: crate::sem::SemError| CliError::from(crate::Error::from(e));
    let (flat, names) = super::sem::compare_model(path, &plan.source)?;
    let other = fit_compared(plan, &flat, data, gopts)?;
    crate::sem::lrt::lrt_groups(&[(&names.0, fit), (&names.1, &other)]).map_err(err)
}

/// MODEL's grouped fit under the same options. A --group-partial entry was checked against the
/// main model (fitted first); one that is no row of MODEL (a parameter MODEL drops) exempts
/// nothing there, as in lavaan, so it is left out of MODEL's options rather than refused.
fn fit_compared(
    plan: &SemPlan,
    flat: &crate::spec::flat::FlatModel,
    data: &Dataset,
    gopts: &GroupOptions,
) -> Result<GroupedFit, CliError> {
    let mut gopts = gopts.clone();
    loop {
        match fit_grouped(plan, flat, data, &gopts) {
            Err(CliError::Input(crate::Error::Sem(crate::sem::SemError::UnknownPartial {
                entry,
                ..
            }))) if gopts.partial.iter().any(|p| p.trim() == entry) => {
                gopts.partial.retain(|p| p.trim() != entry);
            }
            other => return other,
        }
    }
}

/// The grouped fit the flags ask for: cluster-robust with --cluster (sem/groups/cluster.rs).
fn fit_grouped(
    plan: &SemPlan,
    flat: &crate::spec::flat::FlatModel,
    data: &Dataset,
    gopts: &GroupOptions,
) -> Result<GroupedFit, CliError> {
    let fit = match &plan.a.cluster {
        Some(var) => groups::cluster::fit_clustered(flat, data, &plan.opts, gopts, var),
        None => groups::fit(flat, data, &plan.opts, gopts),
    };
    fit.map_err(|e| CliError::from(crate::Error::from(e)))
}

/// What `--invariance` cannot take: flags that set, test, draw, tabulate or resample one fitted
/// model (the sequence fits four), each refused with the way to get it.
fn refuse_with_invariance(plan: &SemPlan, gopts: &GroupOptions) -> Result<(), CliError> {
    let a = &plan.a;
    if !gopts.equal.is_empty() {
        return Err(usage(
            "--invariance sets the equal parameters of each level itself; drop --group-equal",
        ));
    }
    if a.wald.is_some() {
        return Err(usage(
            "--wald tests constraints on one fitted model and --invariance fits four; drop --invariance and fit the level to test with --group and --group-equal (metric: loadings; scalar: loadings,intercepts; strict: loadings,intercepts,residuals)",
        ));
    }
    let one_model = [(a.diagram.is_some(), "--diagram"), (a.apa, "--apa")];
    if let Some((_, flag)) = one_model.iter().find(|(on, _)| *on) {
        return Err(usage(format!(
            "{flag} shows one fitted model and --invariance fits four; drop --invariance and fit the level you want with --group-equal (e.g. --group-equal loadings,intercepts for scalar)"
        )));
    }
    if a.cluster.is_some() {
        return Err(usage(
            "--cluster with --invariance is not available yet; fit each level with --group, --group-equal and --cluster, and compare them with --compare",
        ));
    }
    if a.mi.is_some() || a.residuals {
        return Err(usage(
            "--mi and --residuals read one fit; drop --invariance and fit the level with --group-equal",
        ));
    }
    if a.boot > 0 || a.mc > 0 {
        return Err(usage(
            "--boot and --mc resample one fit; drop --invariance and fit the model with --group (and --group-equal)",
        ));
    }
    Ok(())
}

/// Runs the grouped fit or the invariance sequence and delivers it.
pub fn run(
    plan: SemPlan,
    data: Dataset,
    dest: Destination,
    diagram: Option<(std::path::PathBuf, &'static str)>,
) -> Result<(), CliError> {
    let run = fitted(plan, data)?;
    if let (Some((path, format)), Fitted::Single(f)) = (diagram, &run.result) {
        super::sem_diagram::write_groups(f, &run.plan.a, &path, format)?;
    }
    let format = run.format();
    let out = run.plan.a.out.clone();
    output::deliver(
        &run,
        Delivery {
            dest,
            format,
            apa: run.plan.a.apa,
            out: out.as_deref(),
        },
    )
}

/// `--group`, `--group-equal`, `--group-partial` as the engine's options.
fn group_options(plan: &SemPlan) -> Result<GroupOptions, CliError> {
    let a = &plan.a;
    let equal = a
        .group_equal
        .iter()
        .filter(|s| !s.trim().is_empty())
        .map(|s| {
            GroupEqual::parse(s).ok_or_else(|| {
                let names: Vec<&str> = GroupEqual::ALL.iter().map(|(n, _)| *n).collect();
                usage(format!(
                    "--group-equal {s}: not one of lavaan's group.equal kinds ({})",
                    names.join(", ")
                ))
            })
        })
        .collect::<Result<Vec<_>, _>>()?;
    Ok(GroupOptions {
        column: a.group.clone().unwrap_or_default(),
        equal,
        // An empty entry ("a,,b" or "") names nothing, as lavaan reads group.partial = "".
        partial: a
            .group_partial
            .iter()
            .map(|s| s.trim().to_string())
            .filter(|s| !s.is_empty())
            .collect(),
    })
}

enum Fitted {
    Single(Box<GroupedFit>),
    Invariance(invariance::Invariance),
}

pub struct GroupRun {
    plan: SemPlan,
    pub data: Dataset,
    result: Fitted,
    input: InputNotes,
    /// `--wald` on the grouped fit (lavTestWald).
    wald: Option<WaldTest>,
    /// `--mi` on the grouped fit (lavaan's modindices()).
    mi: Option<super::sem_groups_diag::GroupMi>,
    /// `--residuals`: each group's (lavaan's residuals()).
    residuals: Option<Vec<crate::sem::residuals::Residuals>>,
    /// `--boot` / `--mc` on the grouped fit.
    boot: Option<SemBootstrap>,
    /// Each group's omega and AVE (semTools' compRelSEM and AVE per group).
    reliability: Vec<Vec<LatentReliability>>,
    /// `--compare MODEL`: lavTestLRT of the grouped fit and MODEL's.
    compare: Option<LrtTable>,
    /// Each group's simple slopes and Johnson-Neyman regions of the latent interactions.
    slopes: Vec<GroupSlopes>,
    /// The := probed at values of an observed moderator (--probe, --wvals).
    probed: Vec<crate::analysis::sem_probe_groups::GroupProbedDefinition>,
}

impl GroupRun {
    fn format(&self) -> crate::report::Format {
        let a = &self.plan.a;
        a.format
            .or_else(|| {
                a.out
                    .as_ref()
                    .and_then(|p| p.extension())
                    .and_then(|e| e.to_str())
                    .and_then(crate::report::Format::from_extension)
            })
            .unwrap_or(crate::report::Format::Text)
    }

    fn options_json(&self) -> serde_json::Value {
        let (o, a) = (&self.plan.opts, &self.plan.a);
        json!({
            "model": self.plan.source, "estimator": o.estimator, "missing": o.missing,
            "std_lv": o.std_lv, "meanstructure": true, "fixed_x": o.fixed_x,
            "information": o.information, "conf": a.conf, "missing_codes": a.data.missing,
            "group": a.group, "group_equal": a.group_equal, "group_partial": a.group_partial,
            "invariance": a.invariance, "wald": a.wald, "mi": a.mi,
            "residuals": a.residuals, "compare": a.compare, "cluster": a.cluster,
            "boot": a.boot, "mc": a.mc, "seed": self.boot.as_ref().map(|b| b.seed),
            "ci": self.boot.as_ref().filter(|_| a.boot > 0).map(|b| b.method),
            "probe": a.probe.as_deref().unwrap_or("percentiles"), "wvals": a.wvals,
        })
    }

    fn header(&self) -> Vec<(String, String)> {
        let mut header = vec![
            (
                "Data".to_string(),
                format!("{} ({} rows)", self.data.source, self.data.n_rows()),
            ),
            ("Model".to_string(), self.plan.source.clone()),
            ("cipa".to_string(), crate::VERSION.to_string()),
        ];
        if let Fitted::Single(f) = &self.result {
            if !f.dropped_lines.is_empty() {
                header.push((
                    "Rows dropped (missing, listwise)".into(),
                    format!(
                        "{} (file lines {})",
                        f.dropped_lines.len(),
                        output::line_list(&f.dropped_lines)
                    ),
                ));
            }
        }
        header
    }
}

impl Deliverable for GroupRun {
    fn report(&self) -> Report {
        let decimals = self.plan.a.decimals as usize;
        let mut report = match &self.result {
            Fitted::Single(f) => {
                let mut r = sem_groups_report(f, self.header(), decimals);
                add_group_reliability(&mut r, f, &self.reliability);
                crate::report::sem_interaction::add_groups_to(
                    &mut r,
                    &f.interactions,
                    &self.slopes,
                    &f.group,
                    f.options.estimator == crate::sem::Estimator::Mlr,
                );
                for (c, g) in f.cluster.iter().zip(&f.groups) {
                    crate::report::sem_tests::add_cluster(&mut r, c);
                    if let Some(h) = r.header.last_mut() {
                        h.0 = format!("Clusters, {}", g.level);
                    }
                }
                r.notes.push(format!(
                    "Confidence intervals at {}%; Std.lv standardizes the latent variables, Std.all every variable (within each group).",
                    crate::data::format_number(self.plan.a.conf)
                ));
                r
            }
            Fitted::Invariance(inv) => invariance_report(inv, self.header(), decimals),
        };
        if let Some(w) = &self.wald {
            crate::report::sem_tests::add_wald(&mut report, w);
        }
        if let (Fitted::Single(f), Some(mi)) = (&self.result, &self.mi) {
            super::sem_groups_diag::add_to_report(&mut report, f, mi);
        }
        if let (Fitted::Single(f), Some(r)) = (&self.result, &self.residuals) {
            super::sem_groups_diag::add_residuals_to_report(&mut report, f, r);
        }
        let column = self.plan.a.group.as_deref().unwrap_or_default();
        report
            .notes
            .extend(super::sem_groups_probe::notes(&self.probed, column));
        if let Some(b) = &self.boot {
            crate::report::sem_boot::add_to(&mut report, b);
        }
        if let Some(t) = &self.compare {
            crate::report::sem_tests::add_lrt(&mut report, t);
        }
        self.input.add_to(&mut report);
        report
    }

    fn json(&self) -> Result<serde_json::Value, CliError> {
        let data = json!({"file": self.data.source, "rows": self.data.n_rows()});
        let mut doc = match &self.result {
            Fitted::Single(f) => {
                let mut doc = sem_groups_json(f, data, self.options_json());
                add_group_reliability_json(&mut doc, &self.reliability);
                if !f.cluster.is_empty() {
                    doc["cluster"] = serde_json::to_value(&f.cluster).unwrap_or_default();
                }
                if !f.interactions.is_empty() {
                    doc["interactions"] = serde_json::to_value(&f.interactions).unwrap_or_default();
                    doc["latent_slopes"] = serde_json::to_value(&self.slopes).unwrap_or_default();
                }
                doc
            }
            Fitted::Invariance(inv) => invariance_json(inv, data, self.options_json()),
        };
        if let (Some(w), Some(o)) = (&self.wald, doc.as_object_mut()) {
            o.insert("wald".into(), serde_json::to_value(w).unwrap_or_default());
        }
        if let (Fitted::Single(f), Some(mi)) = (&self.result, &self.mi) {
            super::sem_groups_diag::add_to_json(&mut doc, f, mi);
        }
        if let (Fitted::Single(f), Some(r)) = (&self.result, &self.residuals) {
            super::sem_groups_diag::add_residuals_to_json(&mut doc, f, r);
        }
        if let (Some(b), Some(o)) = (&self.boot, doc.as_object_mut()) {
            o.insert(
                "resampling".into(),
                serde_json::to_value(b).unwrap_or_default(),
            );
        }
        if let (Some(t), Some(o)) = (&self.compare, doc.as_object_mut()) {
            o.insert("lrt".into(), serde_json::to_value(t).unwrap_or_default());
        }
        super::sem_groups_probe::add_to_json(&mut doc, &self.probed);
        self.input.add_to_json(&mut doc);
        Ok(doc)
    }

    fn apa(&self) -> Option<Vec<crate::report::apa::ApaTable>> {
        Some(self.apa_tables())
    }

    fn folder(&self) -> Option<Result<(ResultsDir, Provenance), CliError>> {
        Some(self.results_folder())
    }
}

impl GroupRun {
    fn results_folder(&self) -> Result<(ResultsDir, Provenance), CliError> {
        let mut files = ResultsDir::new();
        files.add_report(&self.report());
        files.add("results.json", super::json_text(&self.json()?)?);
        if let Fitted::Single(f) = &self.result {
            super::sem_diagram::add_groups_to_folder(&mut files, f, &self.plan.a)?;
            super::sem_groups_interaction::add_to_folder(&mut files, f, &self.data, &self.slopes)?;
            files.add_apa(&self.apa_tables());
        }
        let (used, dropped) = match &self.result {
            Fitted::Single(f) => (Some(f.n), f.dropped_lines.clone()),
            Fitted::Invariance(inv) => (
                inv.levels.first().map(|l| l.fit.n),
                inv.levels
                    .first()
                    .map(|l| l.fit.dropped_lines.clone())
                    .unwrap_or_default(),
            ),
        };
        let prov = Provenance {
            command: "sem",
            data_path: self.plan.a.data.data.clone(),
            rows: self.data.n_rows(),
            rows_used: used,
            rows_dropped: Some(dropped.len()),
            dropped_lines: dropped,
            options: self.options_json(),
            seed: self.boot.as_ref().map(|b| b.seed),
            b: self.boot.as_ref().map(|b| b.b).filter(|&b| b > 0),
            resampling: None,
            threads_requested: 0,
            threads_used: 1,
        };
        Ok((files, prov))
    }
}

impl GroupRun {
    /// The APA tables of every group, numbered on from one group to the next, each title and
    /// file name carrying its group (the single-group tables of report/apa/sem.rs on the
    /// group's view; its fit line is the multi-group model's).
    fn apa_tables(&self) -> Vec<crate::report::apa::ApaTable> {
        let Fitted::Single(f) = &self.result else {
            return Vec::new();
        };
        let mut out: Vec<crate::report::apa::ApaTable> = Vec::new();
        for (g, res) in f.groups.iter().enumerate() {
            let Some(view) = f.group_fit(g) else { continue };
            let opts = crate::report::apa::ApaOptions {
                first_number: out.len() + 1,
                ..Default::default()
            };
            for mut t in crate::report::apa::apa_sem(&view, &opts) {
                t.title = format!("{} ({} = {})", t.title, f.group, res.level);
                t.slug = format!("{}-{}", t.slug, super::results_dir::slug(&res.level));
                t.notes.push(crate::report::apa::Rich::plain(format!(
                    "Estimates of group {} (n = {}) of a {}-group model (N = {}); the fit line is the multi-group model's.",
                    res.level,
                    res.n,
                    f.groups.len(),
                    f.n
                )));
                out.push(t);
            }
        }
        out
    }
}
