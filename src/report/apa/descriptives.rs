use crate::measure::{CorrelationMatrix, Descriptive, MissingPolicy};

use super::build::{star_note, ApaOptions};
use super::{stars, ApaTable, Cell, Heading, NumStyle, Panel, Rich, Row};

/// The usual first table of a survey paper: means, standard deviations and the lower triangle of
/// the correlation matrix, variables numbered down the rows and across the columns.
pub fn apa_descriptives(
    stats: &[Descriptive],
    cor: &CorrelationMatrix,
    opts: &ApaOptions,
) -> ApaTable {
    let k = cor.k();
    let mut leaf = vec![
        Heading {
            label: Rich::markup("*M*"),
            width: 1,
        },
        Heading {
            label: Rich::markup("*SD*"),
            width: 1,
        },
    ];
    leaf.extend((1..=k).map(|j| Heading {
        label: Rich::plain(j.to_string()),
        width: 1,
    }));
    let rows = (0..cor.names.len())
        .map(|i| variable_row(stats, cor, opts, i))
        .collect();
    let mut notes = vec![Rich::markup("*Note.* ")
        .then(sample_note(cor))
        .then(Rich::markup(
            "*M* and *SD* over each variable's non-missing values; Pearson correlations.",
        ))];
    if opts.stars {
        notes.push(star_note());
    }
    ApaTable {
        number: opts.first_number,
        title: "Means, standard deviations and correlations".into(),
        slug: "descriptives".into(),
        stub: Rich::plain("Variable"),
        headings: vec![leaf],
        panels: vec![Panel {
            heading: None,
            rows,
        }],
        notes,
    }
}

/// Variable `i`: its mean and SD, then its correlations with the variables before it.
fn variable_row(
    stats: &[Descriptive],
    cor: &CorrelationMatrix,
    opts: &ApaOptions,
    i: usize,
) -> Row {
    let d = opts.decimals;
    let name = &cor.names[i];
    let s = stats.iter().find(|s| &s.name == name);
    let mut cells = vec![
        s.map_or(Cell::Empty, |s| Cell::num(s.mean, NumStyle::Fixed(d))),
        s.map_or(Cell::Empty, |s| Cell::num(s.sd, NumStyle::Fixed(d))),
    ];
    cells.extend((0..cor.k()).map(|j| match j.cmp(&i) {
        std::cmp::Ordering::Less => Cell::Num {
            value: cor.r(i, j),
            style: NumStyle::Bounded(d),
            stars: if opts.stars { stars(cor.p(i, j)) } else { "" },
        },
        std::cmp::Ordering::Equal => Cell::Text(Rich::plain("—")),
        std::cmp::Ordering::Greater => Cell::Empty,
    }));
    Row {
        label: Rich::plain(format!("{}. {}", i + 1, opts.name(name))),
        indent: false,
        cells,
    }
}

/// The sample the correlations rest on: N after listwise deletion, or the range of pairwise n.
fn sample_note(cor: &CorrelationMatrix) -> Rich {
    let k = cor.k();
    match cor.missing {
        MissingPolicy::Listwise => Rich::markup(&format!(
            "*N* = {} (listwise deletion{}). ",
            if k > 0 { cor.n(0, 0) } else { 0 },
            if cor.dropped_lines.is_empty() {
                String::new()
            } else {
                format!(", {} cases excluded", cor.dropped_lines.len())
            }
        )),
        MissingPolicy::Pairwise => {
            let ns: Vec<usize> = (0..k)
                .flat_map(|i| (0..i).map(move |j| (i, j)))
                .map(|(i, j)| cor.n(i, j))
                .collect();
            let (lo, hi) = (
                ns.iter().min().copied().unwrap_or(0),
                ns.iter().max().copied().unwrap_or(0),
            );
            Rich::markup(&format!(
                "Pairwise deletion: *n* = {lo} to {hi} per correlation. "
            ))
        }
    }
}
