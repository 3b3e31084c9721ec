//! A power study's summary as output: the report with its header, the JSON document, the power
//! curve, one file or a results folder.

use std::path::{Path, PathBuf};

use serde_json::json;

use super::super::args::OutputArgs;
use super::super::output::{deliver, emit, Deliverable, Delivery};
use super::super::results_dir::{self, Provenance, ResultsDir};
use super::super::{usage, CliError};
use crate::report::{power_report, Report};
use crate::simulate::power::PowerSummary;

/// The summary as JSON: cipa's version and the summary itself (docs/json-schema.md).
fn summary_value(s: &PowerSummary) -> Result<serde_json::Value, CliError> {
    let mut v = serde_json::to_value(s).map_err(|e| CliError::Internal(e.to_string()))?;
    v["cipa_version"] = json!(crate::VERSION);
    v["kind"] = json!("cipa power");
    Ok(v)
}

fn summary_json(s: &PowerSummary) -> Result<String, CliError> {
    super::super::json_text(&summary_value(s)?)
}

fn header(s: &PowerSummary) -> Vec<(String, String)> {
    let st = &s.settings;
    let model = st
        .model
        .get("equations")
        .and_then(|e| e.as_array())
        .map(|eqs| {
            eqs.iter()
                .map(|e| {
                    let y = e["outcome"].as_str().unwrap_or("?");
                    let terms: Vec<String> = e["terms"]
                        .as_array()
                        .map(|ts| {
                            ts.iter()
                                .map(|t| {
                                    t["factors"]
                                        .as_array()
                                        .map(|f| {
                                            f.iter()
                                                .filter_map(|x| x.as_str())
                                                .collect::<Vec<_>>()
                                                .join(":")
                                        })
                                        .unwrap_or_default()
                                })
                                .collect()
                        })
                        .unwrap_or_default();
                    format!("{y} ~ {}", terms.join(" + "))
                })
                .collect::<Vec<_>>()
                .join("; ")
        })
        .unwrap_or_default();
    vec![
        ("Design".into(), st.design.clone()),
        ("Model".into(), model),
        (
            "Sample sizes".into(),
            st.sizes
                .iter()
                .map(|n| n.to_string())
                .collect::<Vec<_>>()
                .join(", "),
        ),
        ("Replications per size".into(), st.reps.to_string()),
        (
            "Intervals".into(),
            if st.boot > 0 {
                format!("{}% {} bootstrap, B = {}", st.conf, st.ci.label(), st.boot)
            } else {
                format!("{}% (no bootstrap)", st.conf)
            },
        ),
        ("Seed".into(), st.seed.to_string()),
        ("Fingerprint".into(), s.fingerprint.clone()),
        ("cipa".into(), crate::VERSION.into()),
    ]
}

/// The power curve as (SVG, PNG) bytes, when the plot feature is built.
fn curve(s: &PowerSummary) -> Result<Option<(String, Vec<u8>)>, CliError> {
    #[cfg(feature = "plot")]
    {
        use crate::plot::power::{PowerCurve, PowerSeries};
        let series = s
            .settings
            .effects
            .iter()
            .map(|e| PowerSeries {
                name: e.name.clone(),
                points: s
                    .rows
                    .iter()
                    .filter(|r| r.effect == e.name)
                    .map(|r| (r.n, r.power, r.power_se))
                    .collect(),
            })
            .collect();
        let caption = format!(
            "{} replications per size; bars: ±1.96 Monte-Carlo SE; dashed: power 0.80.",
            s.settings.reps
        );
        let fig = PowerCurve::new("Power by sample size", series, caption, Default::default())
            .map_err(crate::Error::from)?;
        let svg = crate::plot::to_svg(&fig).map_err(crate::Error::from)?;
        let png = crate::plot::to_png(&fig, 300.0).map_err(crate::Error::from)?;
        Ok(Some((svg, png)))
    }
    #[cfg(not(feature = "plot"))]
    {
        let _ = s;
        Ok(None)
    }
}

/// A finished power study: its summary and everything its outputs are made from.
pub struct PowerRun {
    pub summary: PowerSummary,
    out: OutputArgs,
    /// The design file (or the first shard file), hashed in a results folder's manifest.
    source: PathBuf,
    options: serde_json::Value,
    threads: usize,
}

impl PowerRun {
    /// A summary with what its outputs need: the output flags, the file its manifest hashes, the
    /// options it records and the threads asked for.
    pub fn new(
        summary: PowerSummary,
        out: OutputArgs,
        source: &Path,
        options: serde_json::Value,
        threads: usize,
    ) -> Self {
        PowerRun {
            summary,
            out,
            source: source.to_path_buf(),
            options,
            threads,
        }
    }

    /// The JSON document of `--format json`.
    pub fn json(&self) -> Result<serde_json::Value, CliError> {
        summary_value(&self.summary)
    }

    /// The report (text, Markdown, LaTeX, HTML and CSV are renderings of it).
    pub fn report(&self) -> Report {
        let mut report = power_report(&self.summary, header(&self.summary));
        report.decimals = self.out.decimals as usize;
        report
    }

    /// The power curve as (SVG, PNG), when the plot feature is built.
    pub fn curve(&self) -> Result<Option<(String, Vec<u8>)>, CliError> {
        curve(&self.summary)
    }

    /// The files of a results folder and what its manifest records.
    pub fn folder(&self) -> Result<(ResultsDir, Provenance), CliError> {
        let source = &self.source;
        if !source.is_file() {
            return Err(usage(format!(
                "a results folder records the SHA-256 of the design, but '{}' is not a file here; give --design FILE (the framework's is designs/framework.toml in cipa's sources) or --out FILE.json",
                source.display()
            )));
        }
        let mut files = ResultsDir::new();
        files.add_report(&self.report());
        files.add("results.json", summary_json(&self.summary)?);
        if let Some((svg, png)) = self.curve()? {
            files.add_figure(
                "Power curve: the power of each effect across the sample sizes of the design, with 95% intervals for the Monte Carlo error; the dashed line marks a power of 0.80",
                "",
                vec![
                    ("plots/power_curve.svg".into(), svg.into_bytes()),
                    ("plots/power_curve.png".into(), png),
                ],
            );
        }
        let st = &self.summary.settings;
        let prov = Provenance {
            command: "power",
            data_path: source.clone(),
            rows: 0,
            rows_used: None,
            rows_dropped: None,
            dropped_lines: Vec::new(),
            options: self.options.clone(),
            seed: Some(st.seed),
            b: Some(st.boot),
            resampling: Some("nonparametric"),
            threads_requested: self.threads,
            threads_used: results_dir::threads_used(self.threads, true),
        };
        Ok((files, prov))
    }

    /// Writes the outputs the flags ask for (and the power curve to `plot`).
    pub(super) fn output(&self, plot: Option<&Path>) -> Result<(), CliError> {
        let out = &self.out;
        if out.apa {
            return Err(usage("cipa power has no APA tables; drop --apa"));
        }
        if let Some(p) = plot {
            let Some((svg, png)) = self.curve()? else {
                return Err(usage(
                    "this cipa was built without the plot feature; drop --plot",
                ));
            };
            match p.extension().and_then(|e| e.to_str()) {
                Some("svg") => emit(&svg, Some(p))?,
                Some("png") => super::super::output::write_bytes(p, &png)?,
                _ => {
                    return Err(usage(format!(
                        "--plot '{}': name a .svg or .png file",
                        p.display()
                    )))
                }
            }
        }
        deliver(
            self,
            Delivery {
                apa: false,
                ..Delivery::from_flags(results_dir::destination(out.out.as_deref())?, out)
            },
        )
    }
}

impl Deliverable for PowerRun {
    fn report(&self) -> Report {
        PowerRun::report(self)
    }

    fn json(&self) -> Result<serde_json::Value, CliError> {
        PowerRun::json(self)
    }

    fn folder(&self) -> Option<Result<(ResultsDir, Provenance), CliError>> {
        Some(PowerRun::folder(self))
    }
}
