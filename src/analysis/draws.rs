//! The draws of a resampled analysis as the result keeps them: every draw of every effect
//! ([`BootDraws`], for `--save-boot`) and the resampling's provenance ([`BootInfo`]).

use serde::Serialize;

use crate::effects::EffectDef;
use crate::inference::{CiMethod, Ledger};

/// The bootstrap draws: `values[b * names.len() + j]` is statistic `j` in draw `b`.
#[derive(Debug, Clone, PartialEq)]
pub struct BootDraws {
    pub names: Vec<String>,
    pub b: usize,
    pub values: Vec<f64>,
}

impl BootDraws {
    /// The draws as CSV: a header of statistic names, then one line per draw at full precision.
    pub fn to_csv(&self) -> String {
        let m = self.names.len();
        let quote = |s: &str| {
            if s.contains([',', '"']) {
                format!("\"{}\"", s.replace('"', "\"\""))
            } else {
                s.to_string()
            }
        };
        let mut out = self
            .names
            .iter()
            .map(|n| quote(n))
            .collect::<Vec<_>>()
            .join(",");
        out.push('\n');
        for row in self.values.chunks(m.max(1)) {
            out += &row
                .iter()
                .map(|v| v.to_string())
                .collect::<Vec<_>>()
                .join(",");
            out.push('\n');
        }
        out
    }
}

/// A column name for an effect in saved draws: kind, path and moderator values.
pub(super) fn draw_name(d: &EffectDef) -> String {
    let kind = serde_json::to_value(d.kind)
        .ok()
        .and_then(|v| v.as_str().map(String::from))
        .unwrap_or_default();
    let mut s = format!("{kind}:{}", d.path.join(">"));
    if let Some(l) = &d.label {
        s += &format!("[{l}]");
    }
    for (m, v) in &d.moderators {
        s += &format!("|{m}={v}");
    }
    s
}

/// Bootstrap provenance: echoed in every output.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct BootInfo {
    /// `nonparametric` (resampled rows), `cluster` (resampled whole clusters) or `monte_carlo`
    /// (normal draws of the coefficients).
    pub resampling: &'static str,
    /// How many clusters each draw of a cluster bootstrap resampled.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub clusters: Option<usize>,
    #[serde(rename = "B")]
    pub b: usize,
    pub seed: u64,
    pub method: CiMethod,
    pub failed: usize,
    pub ledger: Ledger,
}
