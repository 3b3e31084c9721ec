//! Raw flags. Parsing only checks shapes (numbers are numbers, choices are known); everything that
//! needs the data is checked when options are resolved.

use clap::{Args, Parser, Subcommand};

use crate::data::Contrast;
use crate::inference::CovType;
use crate::report::Format;

/// cipa: Conditional and Indirect Path Analysis: regression, mediation and moderation for survey
/// data, agreeing with PROCESS and R.
#[derive(Debug, Parser)]
#[command(name = "cipa", version, about, long_about = None, propagate_version = true)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

// Parsed once per run: the size of the largest variant does not matter.
#[allow(clippy::large_enum_variant)]
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Linear (OLS) or logistic regression with robust or cluster-robust standard errors.
    Regress(RegressArgs),
    /// Descriptive statistics and the correlation matrix of numeric variables.
    Describe(DescribeArgs),
    /// Mediation, moderation and conditional process models: a PROCESS model number with roles,
    /// or a model in cipa's path syntax.
    #[command(alias = "process")]
    Fit(FitArgs),
    /// The main job on the shipped teaching data: the framework's moderated-mediation model with
    /// a bootstrap, every report, table and figure written to ./cipa-example/.
    Example(super::example::ExampleArgs),
    /// The measurement table of a survey: item statistics, alpha, omega, CFA, CR, AVE, HTMT,
    /// Fornell-Larcker, VIFs and common-method checks for constructs defined by --construct.
    Measure(MeasureArgs),
    /// Draw a model's conceptual or statistical path diagram (SVG, PNG, PDF, Graphviz DOT or
    /// TikZ) from a PROCESS model number with roles or a model file; no data needed.
    #[cfg(feature = "plot")]
    Diagram(DiagramArgs),
    /// Simulated survey data from a design (default: the framework's), with the true parameters
    /// in a JSON file beside the CSV.
    Simulate(super::simulate::SimulateArgs),
    /// Kogut-Singh cultural distance from Hofstede scores, or great-circle distance; between two
    /// countries or as a new column of a data set.
    Distance(super::distance::DistanceArgs),
    /// Monte Carlo power of indirect effects, indices of moderated mediation or coefficients
    /// across sample sizes, from a design; `--shard i/N` and `cipa power merge` for job arrays.
    Power(super::power::PowerArgs),
    /// Latent-variable structural equation models (CFA, SEM) by maximum likelihood from a
    /// model in lavaan's syntax, with lavaan's estimates, standard errors and fit measures.
    /// `--missing` takes `listwise` (the default) or `fiml` besides missing-value codes.
    Sem(SemArgs),
}

/// Options of `cipa diagram`.
#[cfg(feature = "plot")]
#[derive(Debug, Args)]
pub struct DiagramArgs {
    #[command(flatten)]
    pub roles: ModelArgs,
    /// conceptual (moderators as arrows onto paths) or statistical (every term a box).
    #[arg(long, default_value = "conceptual", value_parser = ["conceptual", "statistical"])]
    pub kind: String,
    /// svg, png, pdf, dot or tikz; by default from the extension of --out (.svg, .png, .pdf,
    /// .dot, .gv, .tex; any other is an error), else svg.
    #[arg(long, value_parser = ["svg", "png", "pdf", "dot", "tikz"])]
    pub format: Option<String>,
    /// Labels for variables: name=Label,name2=Label 2.
    #[arg(long, value_name = "NAME=LABEL,...")]
    pub labels: Option<String>,
    /// Draw in greys instead of colours.
    #[arg(long)]
    pub greyscale: bool,
    /// No caption under the diagram (journals want captions in the text).
    #[arg(long)]
    pub no_captions: bool,
    /// Resolution of a PNG.
    #[arg(long, default_value_t = 300.0)]
    pub dpi: f64,
    /// Write to FILE (atomically) instead of standard output; required for PNG and PDF.
    #[arg(long, value_name = "FILE")]
    pub out: Option<std::path::PathBuf>,
}

/// The model and its roles, shared by `fit`, `diagram` and `power`.
#[derive(Debug, Args, Clone)]
pub struct ModelArgs {
    /// PROCESS v4 model number (1-22, 28, 29, 58-76, 80-92). Model 74 is PROCESS 2.16's (X
    /// moderating M -> Y, effects conditional on X), which PROCESS 4.3.1 refuses; its
    /// counterfactual form is --model 4 --xmint.
    #[arg(long, value_name = "N", conflicts_with = "spec")]
    pub model: Option<u32>,
    /// A model in cipa's path syntax (a file, or framework:NAME for a shipped framework model),
    /// instead of --model.
    #[arg(long, value_name = "FILE")]
    pub spec: Option<std::path::PathBuf>,
    /// The focal antecedent X.
    #[arg(long, value_name = "VAR")]
    pub x: Option<String>,
    /// The outcome Y.
    #[arg(long, value_name = "VAR")]
    pub y: Option<String>,
    /// Mediators, comma-separated (in causal order for serial models).
    #[arg(long, value_name = "VARS", value_delimiter = ',')]
    pub m: Vec<String>,
    /// Primary moderator W.
    #[arg(long, value_name = "VAR")]
    pub w: Option<String>,
    /// Secondary moderator Z.
    #[arg(long, value_name = "VAR")]
    pub z: Option<String>,
    /// Covariates in every equation.
    #[arg(long, value_name = "VARS", value_delimiter = ',')]
    pub cov: Vec<String>,
}

/// Options for reading the data file, shared by every command.
#[derive(Debug, Args, Clone)]
pub struct DataArgs {
    /// Data file: .csv, .tsv/.txt (tab), .sav/.zsav (SPSS), .dta (Stata), .xlsx (Excel), .parquet
    /// (with the `polars` feature); or a shipped example, `example:sme`.
    #[arg(long, value_name = "FILE")]
    pub data: std::path::PathBuf,
    /// Extra missing-value codes, e.g. `-99,999` (empty cells, NA, . and NaN are always missing).
    #[arg(
        long,
        value_name = "CODES",
        value_delimiter = ',',
        allow_hyphen_values = true
    )]
    pub missing: Vec<String>,
    /// Treat these columns as categorical (e.g. numeric group codes).
    #[arg(long, value_name = "VARS", value_delimiter = ',')]
    pub categorical: Vec<String>,
    /// Treat these columns as numeric (a non-number in them is then an error).
    #[arg(long, value_name = "VARS", value_delimiter = ',')]
    pub numeric: Vec<String>,
    /// Field delimiter for text files; `tab` for a tab. Default: the one of ',' ';' and tab
    /// that the header line uses (',' for .csv and tab otherwise when it has none).
    #[arg(long, value_name = "CHAR")]
    pub delimiter: Option<String>,
    /// Decimal mark of text files: '.' or ',' (as European spreadsheets write 1,5). Default:
    /// detected from the cells (',' only in files not separated by commas).
    #[arg(long, value_name = "CHAR")]
    pub decimal: Option<String>,
    /// Worksheet of an Excel workbook (default: the first).
    #[arg(long, value_name = "NAME")]
    pub sheet: Option<String>,
    /// A construct measured by items, as NAME=item1,item2,-item3 (a leading '-' reverse-codes an
    /// item; needs --scale); repeatable. Its score (see --score) becomes a column named NAME.
    #[arg(long = "construct", value_name = "NAME=ITEMS")]
    pub constructs: Vec<String>,
    /// A file of construct definitions, one NAME = items per line (# starts a comment).
    #[arg(long = "constructs", value_name = "FILE")]
    pub constructs_file: Option<std::path::PathBuf>,
    /// Range of the item scale as MIN,MAX (e.g. 1,7), for reverse-coded items.
    #[arg(long, value_name = "MIN,MAX", allow_hyphen_values = true)]
    pub scale: Option<String>,
    /// How items are combined into construct scores: mean or sum.
    #[arg(long, default_value = "mean", value_name = "HOW")]
    pub score: String,
    /// Add a categorical size class of an employee-count column, as COL or COL:SCHEME with SCHEME
    /// eu (micro < 10, small 10-49, medium 50-249, large; the default), sba (500 employees),
    /// sba:N or census; the new column is COL_class. Repeatable.
    #[arg(long = "size-class", value_name = "COL[:SCHEME]")]
    pub size_class: Vec<String>,
}

/// Output options shared by every command.
#[derive(Debug, Args, Clone)]
pub struct OutputArgs {
    /// Output format: text, markdown, csv, json, latex or html [default: text, or the one the
    /// --out file's extension names].
    #[arg(long, value_parser = parse_format)]
    pub format: Option<Format>,
    /// Where to write. A file with a report extension (.txt .md .csv .json .tex .html) gets one
    /// report in that format. Any other path (or one ending in /) is a results folder: the report
    /// in every format, results.json, tables/*.csv, APA tables, plots/ (fit: every figure as SVG,
    /// PNG and PDF) and manifest.json (version, command line, data SHA-256, options, seed, B,
    /// threads, time, files). Written atomically: a failed run leaves nothing behind; an existing
    /// folder is replaced only if it is a cipa results folder (has manifest.json) or empty.
    #[arg(long, value_name = "FILE|DIR")]
    pub out: Option<std::path::PathBuf>,
    /// Decimals in text, Markdown, LaTeX and HTML reports.
    #[arg(long, default_value_t = 4, value_parser = clap::value_parser!(u8).range(0..=12))]
    pub decimals: u8,
    /// Print the APA-style tables instead of the report (in --format markdown, latex, html or
    /// csv; text gives Markdown). A results folder always holds them.
    #[arg(long)]
    pub apa: bool,
    /// Decimals of coefficients, SEs, statistics and intervals in APA tables (p-values have 3).
    #[arg(long = "apa-decimals", default_value_t = 2, value_parser = clap::value_parser!(u8).range(0..=8))]
    pub apa_decimals: u8,
    /// Significance stars after coefficients in APA tables (* p < .05, ** p < .01, *** p < .001).
    #[arg(long)]
    pub stars: bool,
}

impl DataArgs {
    /// The files this data is read from (an `--out` must not replace any of them).
    pub fn inputs(&self) -> Vec<&std::path::Path> {
        std::iter::once(self.data.as_path())
            .chain(self.constructs_file.as_deref())
            .collect()
    }
}

impl ModelArgs {
    /// The model file, if the model is read from one.
    pub fn spec_file(&self) -> Option<&std::path::Path> {
        self.spec
            .as_deref()
            .filter(|p| !p.to_string_lossy().starts_with("framework:"))
    }
}

impl OutputArgs {
    /// The format asked for: --format, else the --out file's extension, else text.
    pub fn format(&self) -> Format {
        self.format
            .or_else(|| {
                self.out
                    .as_ref()
                    .and_then(|p| p.extension())
                    .and_then(|e| e.to_str())
                    .and_then(Format::from_extension)
            })
            .unwrap_or(Format::Text)
    }

    pub fn apa_options(&self) -> crate::report::apa::ApaOptions {
        crate::report::apa::ApaOptions {
            decimals: self.apa_decimals as usize,
            stars: self.stars,
            first_number: 1,
            labels: Default::default(),
        }
    }
}

#[derive(Debug, Args)]
pub struct RegressArgs {
    #[command(flatten)]
    pub data: DataArgs,
    /// Outcome variable.
    #[arg(long, value_name = "VAR")]
    pub y: String,
    /// Predictors, comma-separated; a product term is written `a:b`, a power `a^2` or `a^3`
    /// (list its lower powers too; --center applies to `a` before it is powered).
    #[arg(long, value_name = "TERMS", value_delimiter = ',', required = true)]
    pub x: Vec<String>,
    /// Heteroskedasticity-consistent standard errors (as sandwich::vcovHC).
    #[arg(long, value_parser = parse_hc)]
    pub hc: Option<CovType>,
    /// Cluster-robust (CR1) standard errors by this variable (as sandwich::vcovCL).
    #[arg(long, value_name = "VAR")]
    pub cluster: Option<String>,
    /// Logistic regression for a binary outcome.
    #[arg(long)]
    pub logistic: bool,
    /// The value of a two-valued outcome coded 1 (the event whose log-odds are modelled), as the
    /// file shows it (yes, 2) or by its value label; default: the second value in sort order,
    /// which the report states.
    #[arg(long, value_name = "LEVEL")]
    pub event: Option<String>,
    /// Variance inflation factors of the predictors' design columns (as car::vif for one-column
    /// terms; a categorical predictor's codes get one each).
    #[arg(long)]
    pub vif: bool,
    /// Confidence level in percent.
    #[arg(long, default_value_t = 95.0)]
    pub conf: f64,
    /// Coding of categorical predictors.
    #[arg(long, default_value = "indicator", value_parser = parse_contrast)]
    pub coding: Contrast,
    /// Reference (first) level of a categorical predictor, as VAR=LEVEL; repeatable.
    #[arg(long = "ref", value_name = "VAR=LEVEL", value_delimiter = ',')]
    pub reference: Vec<String>,
    /// Natural-log transform these variables before fitting.
    #[arg(long, value_name = "VARS", value_delimiter = ',')]
    pub log: Vec<String>,
    /// Mean-centre these variables (over the rows used) before fitting.
    #[arg(long, value_name = "VARS", value_delimiter = ',')]
    pub center: Vec<String>,
    /// Standardise these variables (over the rows used) before fitting.
    #[arg(long, value_name = "VARS", value_delimiter = ',')]
    pub standardize: Vec<String>,
    /// Test of R² change for these terms jointly (comma-separated); repeatable. By default each
    /// highest-order product term is tested; `none` turns the tests off.
    #[arg(long, value_name = "TERMS")]
    pub test: Vec<String>,
    /// The range of Lind and Mehlum's U test of a quadratic (`x` with `x^2`), as LO,HI in the
    /// variable's units as fitted (after centring); the observed range by default.
    #[arg(long = "u-range", value_name = "LO,HI", allow_hyphen_values = true)]
    pub u_range: Option<String>,
    /// Bootstrap resamples for a percentile interval of each quadratic's turning point (a
    /// logistic one on the log-odds scale; 0 or absent: none). Resamples without a turning point are replaced and counted.
    #[arg(long, value_name = "B")]
    pub boot: Option<usize>,
    /// Seed of that bootstrap; without it a seed is chosen and printed so the run can be repeated.
    #[arg(long)]
    pub seed: Option<u64>,
    #[command(flatten)]
    pub output: OutputArgs,
}

#[derive(Debug, Args)]
pub struct DescribeArgs {
    #[command(flatten)]
    pub data: DataArgs,
    /// Variables to describe (default: every numeric column).
    #[arg(long, value_name = "VARS", value_delimiter = ',')]
    pub vars: Vec<String>,
    /// Correlations on pairwise-complete rows instead of listwise deletion.
    #[arg(long)]
    pub pairwise: bool,
    #[command(flatten)]
    pub output: OutputArgs,
}

#[derive(Debug, Args)]
pub struct FitArgs {
    #[command(flatten)]
    pub data: DataArgs,
    #[command(flatten)]
    pub roles: ModelArgs,
    /// Covariates in the mediator equations only (overrides --cov there).
    #[arg(long = "cov-m", value_name = "VARS", value_delimiter = ',')]
    pub cov_m: Option<Vec<String>>,
    /// Covariates in the outcome equation only (overrides --cov there).
    #[arg(long = "cov-y", value_name = "VARS", value_delimiter = ',')]
    pub cov_y: Option<Vec<String>>,
    /// Bootstrap resamples (0 turns the bootstrap off; otherwise at least 50, 200 at --conf 99).
    #[arg(long, value_name = "B")]
    pub boot: Option<usize>,
    /// Seed of the bootstrap; without it a seed is chosen and printed so the run can be repeated.
    #[arg(long)]
    pub seed: Option<u64>,
    /// Bootstrap confidence intervals: percentile, bc (bias-corrected) or bca (bias-corrected and
    /// accelerated).
    #[arg(long, value_parser = parse_ci)]
    pub ci: Option<crate::inference::CiMethod>,
    /// Conventions of another tool: process4 (default) or pyprocessmacro (bias-corrected CIs,
    /// HC3, mean ± SD probes).
    #[arg(long, default_value = "process4")]
    pub preset: String,
    /// Heteroskedasticity-consistent standard errors for the equations.
    #[arg(long, value_parser = parse_hc)]
    pub hc: Option<CovType>,
    /// Clustered data (say firms within countries): cluster-robust (CR1) standard errors by this
    /// variable in every equation (as sandwich::vcovCL), used by the conditional effects,
    /// Johnson-Neyman and Sobel tests too, and a bootstrap that resamples whole clusters.
    #[arg(long, value_name = "VAR", conflicts_with = "hc")]
    pub cluster: Option<String>,
    /// Bootstrap standard errors and intervals of every regression coefficient (PROCESS's
    /// modelbt), from the same resamples as the effects.
    #[arg(long)]
    pub modelbt: bool,
    /// PROCESS's xmint: with --model 4 and one mediator, add the X×M product to Y's equation and
    /// report the counterfactually defined natural direct, natural indirect and controlled direct
    /// effects (PROCESS 4.3.1's output; --model 74 is PROCESS 2.16's model instead).
    #[arg(long)]
    pub xmint: bool,
    /// With --xmint: the reference and counterfactual values of X, as REF[,CF] (default: a
    /// dichotomous X's two values; a continuous X needs REF, and CF defaults to REF + 1).
    #[arg(
        long,
        value_name = "REF[,CF]",
        value_delimiter = ',',
        allow_hyphen_values = true
    )]
    pub xrefval: Option<Vec<f64>>,
    /// With --xmint: the value of M at which the controlled direct effect holds it (default: its
    /// mean).
    #[arg(long, value_name = "M", allow_hyphen_values = true)]
    pub cdeval: Option<f64>,
    /// Confidence level in percent.
    #[arg(long, default_value_t = 95.0)]
    pub conf: f64,
    /// Probe moderators at percentiles (16th/50th/84th) or meansd (mean ± 1 SD).
    #[arg(long, value_name = "METHOD")]
    pub probe: Option<String>,
    /// Probe values of W, comma-separated.
    #[arg(
        long,
        value_name = "VALUES",
        value_delimiter = ',',
        allow_hyphen_values = true
    )]
    pub wvals: Option<Vec<f64>>,
    /// Probe values of Z, comma-separated.
    #[arg(
        long,
        value_name = "VALUES",
        value_delimiter = ',',
        allow_hyphen_values = true
    )]
    pub zvals: Option<Vec<f64>>,
    /// Values of X at which effects that change with X are probed, comma-separated: X in a power
    /// (`m ~ x + x^2`: the instantaneous indirect effect θ(x) of Hayes and Preacher's MEDCURVE,
    /// default mean and ± 1 SD) or X moderating its own indirect effect (model 74).
    #[arg(
        long,
        value_name = "VALUES",
        value_delimiter = ',',
        allow_hyphen_values = true
    )]
    pub xvals: Option<Vec<f64>>,
    /// Coding of a categorical X, W or Z.
    #[arg(long, default_value = "indicator", value_parser = parse_contrast)]
    pub coding: Contrast,
    /// Pairwise contrasts of specific indirect effects.
    #[arg(long)]
    pub contrast: bool,
    /// The total effect of X (models without moderation).
    #[arg(long)]
    pub total: bool,
    /// Normal-theory (Sobel) tests of indirect effects.
    #[arg(long)]
    pub normal: bool,
    /// Mean-centre the variables in product terms: all, or continuous (more than two values).
    #[arg(long, value_name = "WHICH")]
    pub center: Option<String>,
    /// Standardized effects (partially standardized for a dichotomous X, completely otherwise).
    #[arg(long)]
    pub effsize: bool,
    /// Johnson-Neyman regions of significance for moderated direct effects.
    #[arg(long)]
    pub jn: bool,
    /// Estimate Y's equation by logistic regression (Y must have two values; the default detects
    /// a two-valued Y and does this with a note).
    #[arg(long, conflicts_with = "linear_y")]
    pub logistic: bool,
    /// Estimate Y's equation by OLS even when Y has two values (a linear probability model).
    #[arg(long = "linear-y")]
    pub linear_y: bool,
    /// The value of a two-valued Y coded 1 (the event whose log-odds are modelled), as the file
    /// shows it (yes, 2) or by its value label; default: the second value in sort order, which
    /// the report states.
    #[arg(long, value_name = "LEVEL")]
    pub event: Option<String>,
    /// Show the conditional effects of a focal predictor in the text report only when the test of
    /// its interaction has p at or below this (PROCESS's intprobe; default 0.10, 1 always).
    #[arg(long, value_name = "P")]
    pub intprobe: Option<f64>,
    /// Monte Carlo confidence intervals from this many normal draws of the coefficients, instead
    /// of the bootstrap.
    #[arg(long, value_name = "DRAWS")]
    pub mc: Option<usize>,
    /// Write every bootstrap draw of every effect to this CSV file (one line per draw); without
    /// FILE, as draws.csv in the --out results folder.
    #[arg(long = "save-boot", value_name = "FILE", num_args = 0..=1)]
    pub save_boot: Option<Option<std::path::PathBuf>>,
    /// Labels for variables in the figures and APA tables: name=Label,name2=Label 2; may name
    /// just some variables (the others show the data file's SPSS or Stata variable label, or
    /// their name).
    #[arg(long, value_name = "NAME=LABEL,...")]
    pub labels: Option<String>,
    /// Draw the figures of a results folder in greys instead of colours.
    #[arg(long)]
    pub greyscale: bool,
    /// Figures of a results folder without captions drawn under them (journals want captions in
    /// the text); figures.json and index.html still hold each caption.
    #[arg(long)]
    pub no_captions: bool,
    /// What the statistical diagram of a results folder writes on its arrows: stars
    /// (coefficient with * p < .05, ** p < .01, *** p < .001) or ci (coefficient with its
    /// confidence interval at --conf).
    #[arg(long = "diagram-coef", value_name = "STYLE", default_value = "stars", value_parser = ["stars", "ci"])]
    pub diagram_coef: String,
    /// Threads for the bootstrap (default: all cores); results do not depend on it.
    #[arg(long, default_value_t = 0)]
    pub threads: usize,
    #[command(flatten)]
    pub output: OutputArgs,
}

#[derive(Debug, Args)]
pub struct MeasureArgs {
    #[command(flatten)]
    pub data: DataArgs,
    /// Composite reliability shown as CR: fornell-larcker (standardized loadings, the default) or
    /// comprelsem (semTools::compRelSEM's default, observed total variance).
    #[arg(long, default_value = "fornell-larcker", value_name = "METHOD")]
    pub cr: String,
    /// A marker item (theoretically unrelated to the constructs) for the Lindell-Whitney
    /// correction of the construct correlations.
    #[arg(long, value_name = "ITEM")]
    pub marker: Option<String>,
    /// Also report the VIFs of the other constructs' scores as predictors of this construct.
    #[arg(long = "vif-outcome", value_name = "CONSTRUCT")]
    pub vif_outcome: Option<String>,
    /// Bootstrap resamples for the HTMT intervals (0 turns them off; otherwise at least 50, 200 at
    /// --conf 99).
    #[arg(long, default_value_t = 1000, value_name = "B")]
    pub boot: usize,
    /// Seed of the bootstrap.
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
    /// Confidence level in percent (alpha and HTMT intervals).
    #[arg(long, default_value_t = 95.0)]
    pub conf: f64,
    /// Show sqrt(AVE) on the diagonal of the construct correlation table.
    #[arg(long = "diag-ave")]
    pub diag_ave: bool,
    /// Threads for the bootstrap (default: all cores); results do not depend on it.
    #[arg(long, default_value_t = 0)]
    pub threads: usize,
    #[command(flatten)]
    pub output: OutputArgs,
}

fn parse_ci(s: &str) -> Result<crate::inference::CiMethod, String> {
    s.parse()
}

fn parse_format(s: &str) -> Result<Format, String> {
    s.parse()
}

fn parse_hc(s: &str) -> Result<CovType, String> {
    match s.parse::<CovType>()? {
        CovType::Cr1 => Err("use --cluster VAR for cluster-robust standard errors".into()),
        c => Ok(c),
    }
}

fn parse_contrast(s: &str) -> Result<Contrast, String> {
    s.parse()
}

/// Options of `cipa sem`.
#[derive(Debug, Args)]
pub struct SemArgs {
    #[command(flatten)]
    pub data: DataArgs,
    /// The model in lavaan's syntax: a file, or framework:NAME for a shipped framework model.
    #[arg(
        long,
        value_name = "FILE",
        conflicts_with = "syntax",
        required_unless_present = "syntax"
    )]
    pub model: Option<std::path::PathBuf>,
    /// The model in lavaan's syntax given on the command line (lines separated by newlines or
    /// ';'), instead of --model.
    #[arg(long, value_name = "TEXT")]
    pub syntax: Option<String>,
    /// ml (maximum likelihood) or mlr (ML with Huber-White standard errors and the
    /// Yuan-Bentler scaled test, as lavaan's estimator = "MLR").
    #[arg(long, default_value = "ml", value_parser = ["ml", "mlr"])]
    pub estimator: String,
    /// Identify latent variables by unit variances instead of a first loading fixed to 1.
    #[arg(long = "std-lv")]
    pub std_lv: bool,
    /// Estimate the intercepts and means (also on when the model has a `~ 1` row).
    #[arg(long)]
    pub meanstructure: bool,
    /// Fix the moments of exogenous observed covariates at their sample values (the default).
    #[arg(long = "fixed-x", overrides_with = "no_fixed_x")]
    pub fixed_x: bool,
    /// Estimate the moments of exogenous observed covariates as free parameters.
    #[arg(long = "no-fixed-x", overrides_with = "fixed_x")]
    pub no_fixed_x: bool,
    /// The information matrix of the standard errors: expected or observed [default: lavaan's,
    /// expected for ML and observed for MLR and FIML].
    #[arg(long, value_parser = ["expected", "observed"])]
    pub information: Option<String>,
    /// Confidence level in percent of the parameters' intervals.
    #[arg(long, default_value_t = 95.0)]
    pub conf: f64,
    /// Output format: text, markdown, csv, json, latex or html [default: text, or the one the
    /// --out file's extension names].
    #[arg(long, value_parser = parse_format)]
    pub format: Option<Format>,
    /// Where to write (atomically): a file with a report extension (.txt .md .csv .json .tex
    /// .html) gets one report; any other path is a results folder (the report in every format,
    /// results.json, manifest.json).
    #[arg(long, value_name = "FILE|DIR")]
    pub out: Option<std::path::PathBuf>,
    /// Print the APA-style tables (measurement model with omega and AVE, structural paths,
    /// defined effects, each with the fit line) instead of the report, in --format markdown,
    /// latex, html or csv (text gives Markdown). A results folder always holds them.
    #[arg(long)]
    pub apa: bool,
    /// Decimals in text, Markdown, LaTeX and HTML reports.
    #[arg(long, default_value_t = 3, value_parser = clap::value_parser!(u8).range(0..=12))]
    pub decimals: u8,
    /// List the modification indices (lavaan's modindices(): MI, EPC, standardized EPCs) above
    /// THRESHOLD, largest first [THRESHOLD: 3.84, chi-square(1) at 5%; 0 lists all].
    #[arg(long, value_name = "THRESHOLD", num_args = 0..=1, default_missing_value = "3.84")]
    pub mi: Option<f64>,
    /// Add the residuals (lavaan's residuals(): the correlation residuals in the report; raw,
    /// cor.bollen, cor.bentler, normalized and standardized in JSON).
    #[arg(long)]
    pub residuals: bool,
    /// Also write the model's path diagram (latents as ellipses, estimates on the arrows) to
    /// this file: .svg, .png, .pdf, .dot or .tex (TikZ). A results folder always holds it.
    #[arg(long, value_name = "FILE")]
    pub diagram: Option<std::path::PathBuf>,
    /// Bootstrap resamples B (0, the default: none): bootstrap SEs and intervals of every free
    /// and := parameter and of the standardized := parameters.
    #[arg(long, value_name = "B", default_value_t = 0)]
    pub boot: usize,
    /// Seed of the bootstrap and Monte Carlo draws; without it a seed is chosen and printed.
    #[arg(long)]
    pub seed: Option<u64>,
    /// Bootstrap intervals: percentile (default), bc or bca.
    #[arg(long, value_parser = parse_ci)]
    pub ci: Option<crate::inference::CiMethod>,
    /// Monte Carlo draws R for intervals of the := parameters (0, the default: none).
    #[arg(long, value_name = "R", default_value_t = 0)]
    pub mc: usize,
    /// The Bollen-Stine bootstrap p value of the chi-square, from --boot B draws.
    #[arg(long = "bollen-stine", requires = "boot")]
    pub bollen_stine: bool,
    /// Threads for the draws (default: all cores); results do not depend on it.
    #[arg(long, default_value_t = 0)]
    pub threads: usize,
    /// Probe a := that names an observed moderator (`ind := a*b1 + a*b3*w`) at its
    /// percentiles (16th/50th/84th, the default) or meansd (mean ± 1 SD).
    #[arg(long, value_name = "METHOD", value_parser = ["percentiles", "meansd"])]
    pub probe: Option<String>,
    /// Probe values of the moderator a := names, comma-separated (instead of --probe).
    #[arg(
        long,
        value_name = "VALUES",
        value_delimiter = ',',
        allow_hyphen_values = true,
        conflicts_with = "probe"
    )]
    pub wvals: Option<Vec<f64>>,
    /// What the path diagram (--diagram and a results folder's) writes on its arrows: raw
    /// (unstandardized estimates) or std (lavaan's std.all).
    #[arg(long = "diagram-values", value_name = "VALUES", default_value = "raw", value_parser = ["raw", "std"])]
    pub diagram_values: String,
    /// How the path diagram marks uncertainty: stars (* p < .05, ** p < .01, *** p < .001) or
    /// ci (each estimate with its confidence interval at --conf).
    #[arg(long = "diagram-coef", value_name = "STYLE", default_value = "stars", value_parser = ["stars", "ci"])]
    pub diagram_coef: String,
    /// Draw the variances and residual variances in the path diagram (two-headed loops).
    #[arg(long = "diagram-residuals")]
    pub diagram_residuals: bool,
    /// Cluster-robust standard errors and test (lavaan's cluster = with MLR) for cases nested in
    /// the clusters of this column (firms within countries); needs --estimator mlr.
    #[arg(long, value_name = "VAR")]
    pub cluster: Option<String>,
    /// Wald test of constraints on the model's labels (lavaan's lavTestWald), e.g.
    /// "a1 == a2; b1 == 0"; nonlinear ones and := names are allowed.
    #[arg(long, value_name = "CONSTRAINTS")]
    pub wald: Option<String>,
    /// Also fit this nested model (a lavaan-syntax file) with the same options and print the
    /// likelihood-ratio test of the two (lavaan's lavTestLRT; Satorra-Bentler 2001 under MLR).
    #[arg(long, value_name = "MODEL_FILE")]
    pub compare: Option<std::path::PathBuf>,
    /// How a product term with a latent factor (`y ~ x + w + x:w`) is estimated: dmc
    /// (double-mean-centred product indicators, modsem's default) or lms (latent moderated
    /// structural equations).
    #[arg(long, default_value = "dmc", value_parser = ["dmc", "lms"])]
    pub interaction: String,
    /// Which products of the factors' indicators --interaction dmc builds: all (every pair,
    /// with residual covariances between products sharing an item; modsem) or matched (x1·z1,
    /// x2·z2, ...; semTools' indProd match = TRUE).
    #[arg(long = "dmc-pairs", default_value = "all", value_parser = ["all", "matched"])]
    pub dmc_pairs: String,
    /// Multi-group SEM: fit the model in every group of this column (lavaan's group =; groups
    /// in order of first appearance), one block per group in the report.
    #[arg(long, value_name = "VAR")]
    pub group: Option<String>,
    /// Parameters equal across groups (lavaan's group.equal): loadings, intercepts, means,
    /// residuals, residual.covariances, lv.variances, lv.covariances, regressions.
    #[arg(
        long = "group-equal",
        value_name = "LIST",
        value_delimiter = ',',
        requires = "group"
    )]
    pub group_equal: Vec<String>,
    /// Parameters exempt from --group-equal (lavaan's group.partial), e.g. "x3 ~ 1,visual =~ x2".
    #[arg(
        long = "group-partial",
        value_name = "LIST",
        value_delimiter = ',',
        requires = "group"
    )]
    pub group_partial: Vec<String>,
    /// Measurement invariance: the configural, metric, scalar and strict models in one run, with
    /// chi-square difference tests (Satorra-Bentler 2001 under MLR) and ΔCFI/ΔRMSEA.
    #[arg(long, requires = "group")]
    pub invariance: bool,
}
