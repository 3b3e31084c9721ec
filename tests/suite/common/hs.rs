//! HolzingerSwineford1939 in the `cipa sem` tests of multi-group models: the data file (and its
//! copy with the FIML golden cells blanked), lavaan's three-factor CFA, the argument list of a
//! grouped run, and the library's grouped fit that a run is compared with.

use std::path::Path;

use cipa::sem::groups::{GroupEqual, GroupOptions, GroupedFit};
use cipa::spec::flat::FlatModel;

use super::{hs_fiml_blank_cells, read_data, shared_or_skip_file};

/// lavaan's three-factor CFA of the tutorial.
pub const HS_CFA: &str = "visual =~ x1 + x2 + x3\ntextual =~ x4 + x5 + x6\nspeed =~ x7 + x8 + x9";

/// The path of HolzingerSwineford1939.csv; `None` (the test skips) without ../shared.
pub fn hs_csv() -> Option<String> {
    shared_or_skip_file("datasets/lavaan_pkg/HolzingerSwineford1939.csv")
        .map(|p| p.display().to_string())
}

/// HolzingerSwineford1939 with the cells of tests/golden/sem_hs_fiml/blank.csv blanked, as a
/// CSV in `dir`; `None` without ../shared.
pub fn hs_blanked_csv(dir: &Path) -> Option<String> {
    let text = std::fs::read_to_string(hs_csv()?).expect("data");
    let mut lines: Vec<Vec<String>> = (text.lines())
        .map(|l| l.split(',').map(str::to_string).collect())
        .collect();
    for (row, col) in hs_fiml_blank_cells() {
        let j = (lines[0].iter())
            .position(|h| *h == format!("\"{col}\""))
            .expect("column");
        lines[row + 1][j] = String::new();
    }
    let path = dir.join("hs_blanked.csv");
    let body: Vec<String> = lines.iter().map(|l| l.join(",")).collect();
    std::fs::write(&path, body.join("\n") + "\n").expect("write");
    Some(path.to_string_lossy().into_owned())
}

/// `sem --data DATA --syntax MODEL --group GROUP` followed by `extra`.
pub fn grouped_args<'a>(
    data: &'a str,
    model: &'a str,
    group: &'a str,
    extra: &[&'a str],
) -> Vec<&'a str> {
    let mut v = vec!["sem", "--data", data, "--syntax", model, "--group", group];
    v.extend_from_slice(extra);
    v
}

/// Groups by `school` with these equality constraints and exemptions.
pub fn by_school(equal: &[GroupEqual], partial: &[&str]) -> GroupOptions {
    GroupOptions {
        column: "school".into(),
        equal: equal.to_vec(),
        partial: partial.iter().map(|p| p.to_string()).collect(),
    }
}

/// The library's grouped ML fit (lavaan's defaults) of `model` on the data file, with the
/// parsed model and the data set for further calls.
pub fn library_grouped_fit(
    data: &str,
    model: &str,
    gopts: &GroupOptions,
) -> (FlatModel, cipa::data::Dataset, GroupedFit) {
    let flat = cipa::spec::syntax::parse_flat("model", model).unwrap_or_else(|e| panic!("{e}"));
    let d = read_data(Path::new(data));
    let fit = cipa::sem::groups::fit(&flat, &d, &Default::default(), gopts)
        .unwrap_or_else(|e| panic!("{e}"));
    (flat, d, fit)
}
