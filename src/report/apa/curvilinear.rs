//! The APA table of curvilinear effects: for each quadratic `b1 x + b2 x²`, the turning point
//! `-b1 / (2 b2)` with its delta-method SE and Fieller's interval, where it lies against the
//! range tested, and Lind and Mehlum's (2010) U test (the weaker end's statistic and its p), as
//! a paper reports an inverted U.

use crate::effects::{Fieller, Position, QuadraticTests, Reference};

use super::build::ApaOptions;
use super::{ApaTable, Cell, Heading, NumStyle, Panel, Rich, Row};

/// One row per quadratic with a turning point; `None` when no quadratic has one (b2 = 0).
pub fn apa_quadratic(tests: &[QuadraticTests], opts: &ApaOptions) -> Option<ApaTable> {
    let rows: Vec<Row> = tests.iter().filter_map(|q| row(q, opts)).collect();
    let first = tests.iter().find(|q| q.turning_point.is_some())?;
    let stat = match first.reference {
        Reference::T { .. } => "*t*",
        Reference::Normal => "*z*",
    };
    let heading = |s: &str, width| Heading {
        label: Rich::markup(s),
        width,
    };
    let headings = vec![
        vec![
            heading("Turning point", 5),
            heading("U test (Lind & Mehlum, 2010)", 4),
        ],
        vec![
            heading("", 2),
            heading(&format!("Fieller {}% CI", first.conf), 2),
            heading("", 5),
        ],
        [
            "*x*^{*}", "*SE*", "*LL*", "*UL*", "Position", "Shape", "Range", stat, "*p*",
        ]
        .iter()
        .map(|s| heading(s, 1))
        .collect(),
    ];
    let note = Rich::markup(
        "*Note.* *x*^{*} = −*b*_{1} / (2*b*_{2}) for *b*_{1}*x* + *b*_{2}*x*^{2}, with its \
         delta-method *SE* and Fieller's (1954) interval (unbounded when *b*_{2} is not \
         significant). The U test asks whether the slope *b*_{1} + 2*b*_{2}*x* has opposite \
         signs at both ends of the range; its statistic is the weaker end's one-sided statistic \
         and *p* its upper tail (",
    )
    .then(Rich::plain(match first.reference {
        Reference::T { df } => format!("t with {df} df"),
        Reference::Normal => "standard normal, on the log-odds scale".into(),
    }))
    .then(Rich::plain(")."));
    Some(ApaTable {
        number: opts.first_number,
        title: "Curvilinear effects: turning points and U tests".into(),
        slug: "curvilinear".into(),
        stub: Rich::markup("Effect"),
        headings,
        panels: vec![Panel {
            heading: None,
            rows,
        }],
        notes: vec![note],
    })
}

fn row(q: &QuadraticTests, opts: &ApaOptions) -> Option<Row> {
    let tp = q.turning_point.as_ref()?;
    let d = opts.decimals;
    let num = |v: f64| Cell::num(v, NumStyle::Fixed(d));
    let text = |s: String| Cell::Text(Rich::plain(s));
    let (lo, hi) = match tp.fieller {
        Fieller::Bounded { lower, upper } => (num(lower), num(upper)),
        Fieller::Unbounded => (text("unbounded".into()), Cell::Empty),
    };
    let position = match tp.position {
        Position::Below => "below range",
        Position::Inside => "inside range",
        Position::Above => "above range",
    };
    let mut cells = vec![num(tp.x), num(tp.se), lo, hi, text(position.into())];
    match &q.u_test {
        Some(u) => cells.extend([
            text(u.shape.label().into()),
            text(format!(
                "[{}, {}]",
                super::format_num(u.lower.x, NumStyle::Fixed(d)),
                super::format_num(u.upper.x, NumStyle::Fixed(d))
            )),
            num(u.stat),
            Cell::num(u.p, NumStyle::P),
        ]),
        None => cells.extend(std::iter::repeat_n(Cell::Empty, 4)),
    }
    Some(Row {
        label: Rich::plain(format!(
            "{} → {}",
            opts.name(&q.variable),
            opts.name(&q.outcome)
        )),
        indent: false,
        cells,
    })
}
