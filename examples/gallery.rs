//! Regenerates docs/gallery/: every kind of figure cipa draws, for PROCESS models 1, 4, 6, 7, 14
//! and 58 fitted on the shipped example data (datasets/sme_example.csv, `-99` missing).
//!
//!     cargo run --release --example gallery
//!
//! The gallery keeps a selection (PNG at 300 dpi; SVG, DOT and TikZ for model 14's diagrams);
//! `cipa`'s results folder holds every figure of a model.

use std::fmt::Write;
use std::path::Path;

use cipa::analysis::{analyse, AnalysisOptions};
use cipa::data::{read_path, ReadOptions};
use cipa::plot::{parse_labels, render_all, render_all_with_data, Artifact, Labels, PlotOptions};
use cipa::spec::{template::template, Roles};

struct Case {
    model: u32,
    m: &'static [&'static str],
    w: Option<&'static str>,
    cov: &'static [&'static str],
    what: &'static str,
}

const CASES: &[Case] = &[
    Case {
        model: 1,
        m: &[],
        w: Some("psychic_distance"),
        cov: &[],
        what: "moderation: psychic distance moderates collaboration -> export intensity",
    },
    Case {
        model: 4,
        m: &["collab"],
        w: None,
        cov: &["family_owned"],
        what: "simple mediation",
    },
    Case {
        model: 6,
        m: &["intl_experience", "collab"],
        w: None,
        cov: &[],
        what: "serial mediation",
    },
    Case {
        model: 7,
        m: &["collab"],
        w: Some("psychic_distance"),
        cov: &[],
        what: "first-stage moderated mediation",
    },
    Case {
        model: 14,
        m: &["collab"],
        w: Some("psychic_distance"),
        cov: &["family_owned"],
        what: "second-stage moderated mediation",
    },
    Case {
        model: 58,
        m: &["collab"],
        w: Some("psychic_distance"),
        cov: &[],
        what: "first- and second-stage moderated mediation",
    },
];

/// The `--labels` flag for the variables `vars`, so each printed command names only variables
/// of its model (cipa refuses labels for any other name).
fn labels_flag(labels: &Labels, vars: &[&str]) -> String {
    let pairs: Vec<String> = labels
        .0
        .iter()
        .filter(|(k, _)| vars.contains(&k.as_str()))
        .map(|(k, v)| format!("{k}={v}"))
        .collect();
    if pairs.is_empty() {
        String::new()
    } else {
        format!(" --labels \"{}\"", pairs.join(","))
    }
}

/// Figures kept in the gallery for each model: the first of each kind.
fn keep(a: &Artifact, model: u32, seen: &mut Vec<String>) -> bool {
    let name = &a.file_name;
    let kind = name.split('_').next().unwrap_or("").to_string();
    let kind = if kind == "diagram" {
        name.rsplit_once('.')
            .map_or(name.clone(), |(s, _)| s.to_string())
    } else {
        kind
    };
    let ext = name.rsplit('.').next().unwrap_or("");
    let diagram = name.starts_with("diagram_");
    let wanted = ext == "png" || (model == 14 && diagram);
    if !wanted {
        return false;
    }
    let key = format!("{kind}.{ext}");
    if seen.contains(&key) {
        return false;
    }
    seen.push(key);
    true
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let out = root.join("docs/gallery");
    std::fs::create_dir_all(&out)?;
    let data = read_path(
        root.join("datasets/sme_example.csv"),
        &ReadOptions {
            missing_codes: vec![-99.0],
            ..ReadOptions::default()
        },
    )?;
    let labels = parse_labels(
        "network_ties=Network ties,collab=Collaboration,export_intensity=Export intensity,psychic_distance=Psychic distance,intl_experience=Intl. experience,family_owned=Family owned,size_class=Size class",
    )?;
    let mut index = String::from(
        "# Gallery\n\nEvery kind of figure cipa draws, from models fitted on the shipped example data \
         (`datasets/sme_example.csv`, `-99` missing, 5000 bootstrap draws, seed 1), with \
         `--labels` giving readable names. Regenerate with `cargo run --release --example gallery`.\n\n\
         Figures: conceptual diagram (moderators as arrows onto the paths they moderate), statistical \
         diagram (every term a box, coefficients with stars), interaction plot (predicted outcome at \
         the probe values of the moderator, 95% bands, other predictors at their means, observed cases as points), \
         Johnson-Neyman plot (conditional effect with its band, significant range shaded, JN points \
         marked, observed range of the moderator bracketed), conditional indirect effect with its \
         percentile bootstrap band (index of moderated mediation in the caption), and the bootstrap \
         distribution of each indirect effect with its interval. Plots are 6 × 4 inches and diagrams their natural size, here at 150 dpi to keep the \
         repository small (cipa writes 300 dpi); the Okabe-Ito palette is colour-blind safe, and \
         `Theme { greyscale: true, .. }` draws in greys (see `greyscale/`).\n\n\
         Model 14's diagrams are also here as SVG, PDF, Graphviz DOT (`neato -n2`) and TikZ. \
         Each command below writes the model's results folder with every figure (SVG, PNG, PDF).\n",
    );
    for case in CASES {
        let x = if case.model == 1 {
            "collab"
        } else {
            "network_ties"
        };
        let roles = Roles {
            x: x.into(),
            y: "export_intensity".into(),
            m: case.m.iter().map(|s| s.to_string()).collect(),
            w: case.w.map(str::to_string),
            cov: case.cov.iter().map(|s| s.to_string()).collect(),
            ..Roles::default()
        };
        let spec = template(case.model)?.instantiate(&roles)?;
        let opts = AnalysisOptions {
            jn: true,
            seed: 1,
            ..AnalysisOptions::default()
        };
        let analysis = analyse(&data, &spec, &opts)?;
        // 150 dpi keeps the repository small; cipa writes 300 dpi unless told otherwise.
        let mut plot = PlotOptions {
            labels: labels.clone(),
            dpi: 150.0,
            ..PlotOptions::default()
        };
        let dir = format!("model{:02}", case.model);
        std::fs::create_dir_all(out.join(&dir))?;
        let mut vars = vec![x, "export_intensity"];
        vars.extend(case.m);
        vars.extend(case.w);
        vars.extend(case.cov);
        let _ = write!(
            index,
            "\n## Model {}: {}\n\n`cipa fit --data datasets/sme_example.csv --missing -99 --model {} --x {x} --y export_intensity{}{}{} --jn --seed 1{} --out results/{dir}`\n\n",
            case.model,
            case.what,
            case.model,
            if case.m.is_empty() { String::new() } else { format!(" --m {}", case.m.join(",")) },
            case.w.map_or(String::new(), |w| format!(" --w {w}")),
            if case.cov.is_empty() { String::new() } else { format!(" --cov {}", case.cov.join(",")) },
            labels_flag(&labels, &vars),
        );
        let mut seen = Vec::new();
        for a in render_all_with_data(&analysis, &data, &plot)? {
            if !keep(&a, case.model, &mut seen) {
                continue;
            }
            std::fs::write(out.join(&dir).join(&a.file_name), &a.bytes)?;
            if a.file_name.ends_with(".png") {
                let _ = writeln!(index, "![{}]({dir}/{})\n", a.file_name, a.file_name);
            } else {
                let _ = writeln!(index, "- [{}]({dir}/{})\n", a.file_name, a.file_name);
            }
        }
        if case.model == 58 {
            plot.theme.greyscale = true;
            std::fs::create_dir_all(out.join("greyscale"))?;
            let _ = writeln!(index, "\n## Greyscale (model 58)\n");
            let mut seen = Vec::new();
            for a in render_all(&analysis, &plot)? {
                if a.file_name.ends_with(".png")
                    && !a.file_name.starts_with("diagram")
                    && keep(&a, 0, &mut seen)
                {
                    std::fs::write(out.join("greyscale").join(&a.file_name), &a.bytes)?;
                    let _ = writeln!(index, "![{}](greyscale/{})\n", a.file_name, a.file_name);
                }
            }
        }
    }
    // A categorical focal predictor: predictions at its levels, with interval bars.
    let spec = template(1)?.instantiate(&Roles {
        x: "size_class".into(),
        y: "export_intensity".into(),
        w: Some("psychic_distance".into()),
        ..Roles::default()
    })?;
    let analysis = analyse(
        &data,
        &spec,
        &AnalysisOptions {
            boot: 0,
            ..AnalysisOptions::default()
        },
    )?;
    let plot = PlotOptions {
        labels: labels.clone(),
        dpi: 150.0,
        ..PlotOptions::default()
    };
    let _ = writeln!(
        index,
        "\n## Model 1 with a categorical X\n\n`cipa fit --data datasets/sme_example.csv --missing -99 --model 1 --x size_class --y export_intensity --w psychic_distance --boot 0{} --out results/categorical`\n",
        labels_flag(&labels, &["size_class", "export_intensity", "psychic_distance"]),
    );
    for a in render_all(&analysis, &plot)? {
        if a.file_name.starts_with("interaction_") && a.file_name.ends_with(".png") {
            std::fs::create_dir_all(out.join("categorical"))?;
            std::fs::write(out.join("categorical").join(&a.file_name), &a.bytes)?;
            let _ = writeln!(index, "![{}](categorical/{})\n", a.file_name, a.file_name);
        }
    }
    survey_cases(root, &labels, &out, &mut index)?;
    std::fs::write(out.join("README.md"), index)?;
    println!("wrote {}", out.display());
    Ok(())
}

/// Model 1 on the full teaching survey (datasets/sme_survey.csv): a Johnson-Neyman point inside
/// the observed range (network ties matter for exporting less as international experience grows,
/// and not at all for the most experienced tenth), and a categorical moderator.
fn survey_cases(
    root: &Path,
    labels: &Labels,
    out: &Path,
    index: &mut String,
) -> Result<(), Box<dyn std::error::Error>> {
    let data = read_path(
        root.join("datasets/sme_survey.csv"),
        &ReadOptions::default(),
    )?;
    let cases = [
        (
            "jn_inside",
            "intl_experience",
            "a Johnson-Neyman point inside the observed range",
            "jn_",
        ),
        (
            "categorical_w",
            "size_class",
            "a categorical moderator (size class)",
            "interaction_",
        ),
    ];
    for (dir, w, what, prefix) in cases {
        let spec = template(1)?.instantiate(&Roles {
            x: "network_ties".into(),
            y: "export_intensity".into(),
            w: Some(w.into()),
            ..Roles::default()
        })?;
        let opts = AnalysisOptions {
            jn: true,
            boot: 0,
            ..AnalysisOptions::default()
        };
        let analysis = analyse(&data, &spec, &opts)?;
        let plot = PlotOptions {
            labels: labels.clone(),
            dpi: 150.0,
            ..PlotOptions::default()
        };
        let jn = if w == "size_class" { "" } else { " --jn" };
        let _ = writeln!(
            index,
            "\n## Model 1 with {what}\n\n`cipa fit --data datasets/sme_survey.csv --model 1 --x network_ties --y export_intensity --w {w}{jn} --boot 0{} --out results/{dir}`\n",
            labels_flag(labels, &["network_ties", "export_intensity", w]),
        );
        std::fs::create_dir_all(out.join(dir))?;
        for a in render_all_with_data(&analysis, &data, &plot)? {
            if a.file_name.starts_with(prefix) && a.file_name.ends_with(".png") {
                std::fs::write(out.join(dir).join(&a.file_name), &a.bytes)?;
                let _ = writeln!(index, "![{}]({dir}/{})\n", a.file_name, a.file_name);
            }
        }
    }
    Ok(())
}
