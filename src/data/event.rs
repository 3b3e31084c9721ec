//! A two-valued outcome as 0/1 with a stated event: which value is coded 1 decides the sign of
//! every coefficient of a logistic regression, so it is chosen explicitly (`--event LEVEL`) or
//! stated in the report, never left to an unstated alphabetical order.

use serde::Serialize;

use super::{format_number, Column, DataError, Dataset, Variable};

/// How a two-valued column was coded: `event` is 1, `other` is 0.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct EventCoding {
    pub column: String,
    /// The value coded 1, as the file shows it.
    pub event: String,
    /// The value coded 0.
    pub other: String,
    /// True when the user named the event; false when it is the default (the second of the two
    /// values in sort order, numeric order for numbers).
    pub chosen: bool,
}

impl EventCoding {
    /// One sentence for a report's notes.
    pub fn describe(&self) -> String {
        let how = if self.chosen {
            "as chosen with --event".to_string()
        } else {
            format!(
                "the second of its two values in sort order; --event '{}' codes the other one 1 and flips the sign of every coefficient",
                self.other
            )
        };
        format!(
            "'{}' is coded 1 = '{}', 0 = '{}' ({how}): coefficients are log-odds of '{}'.",
            self.column, self.event, self.other, self.event
        )
    }
}

/// The distinct non-missing values of a column as the file shows them, in sort order, each with
/// the numeric value (numbers) or level index (text) it stands for.
fn distinct_values(var: &Variable) -> Vec<(String, f64)> {
    match &var.data {
        Column::Numeric(v) => crate::numeric::distinct_finite(v)
            .into_iter()
            .map(|x| (format_number(x), x))
            .collect(),
        Column::Categorical { codes, levels } => {
            let mut used: Vec<u32> = codes.iter().flatten().copied().collect();
            used.sort_unstable();
            used.dedup();
            used.into_iter()
                .map(|c| (levels[c as usize].clone(), f64::from(c)))
                .collect()
        }
    }
}

/// Whether a numeric column has more than two distinct finite values (as [`distinct_values`]
/// counts them: equal by `==`, so 0 and -0 are one), stopping at the third.
fn more_than_two_numbers(var: &Variable) -> bool {
    let Column::Numeric(v) = &var.data else {
        return false;
    };
    let mut seen: [Option<f64>; 2] = [None; 2];
    for &x in v.iter().filter(|x| x.is_finite()) {
        match seen {
            [Some(a), _] if a == x => {}
            [_, Some(b)] if b == x => {}
            [None, _] => seen[0] = Some(x),
            [_, None] => seen[1] = Some(x),
            _ => return true,
        }
    }
    false
}

/// Recodes a two-valued `column` in place as numeric 0/1 with `event` coded 1, and says how.
///
/// `event` names a value as the file shows it (`yes`, `2`) or by its SPSS/Stata value label.
/// Without it, a numeric column already coded 0/1 is left alone (`None`); any other two-valued
/// column gets its second value in sort order as the event. A column without exactly two values
/// is left alone without `event` (the model reports it) and is an error with it.
pub fn code_event(
    data: &mut Dataset,
    column: &str,
    event: Option<&str>,
) -> Result<Option<EventCoding>, DataError> {
    let var = data.var(column)?;
    data.check_problem(var)?;
    // Without `event` a column of more than two values is left alone: found before every distinct
    // value is formatted as text (formatting 2,000 numbers was a fifth of a fit's time without
    // a bootstrap, docs/PERFORMANCE.md).
    if event.is_none() && more_than_two_numbers(var) {
        return Ok(None);
    }
    let values = distinct_values(var);
    let zero_one = matches!(var.data, Column::Numeric(_))
        && values.len() == 2
        && values[0].1 == 0.0
        && values[1].1 == 1.0;
    let k = match event {
        None if values.len() != 2 || zero_one => return Ok(None),
        None => 1,
        Some(level) => event_index(var, &values, level)?,
    };
    let coding = EventCoding {
        column: column.to_string(),
        event: values[k].0.clone(),
        other: values[1 - k].0.clone(),
        chosen: event.is_some(),
    };
    let hit = values[k].1;
    let coded: Vec<f64> = match &var.data {
        Column::Numeric(v) => v
            .iter()
            .map(|&x| {
                if x.is_nan() {
                    f64::NAN
                } else {
                    f64::from(u8::from(x == hit))
                }
            })
            .collect(),
        Column::Categorical { codes, .. } => codes
            .iter()
            .map(|c| c.map_or(f64::NAN, |c| f64::from(u8::from(f64::from(c) == hit))))
            .collect(),
    };
    let recoded = Variable {
        name: var.name.clone(),
        label: var.label.clone(),
        data: Column::Numeric(coded),
        value_labels: vec![(0.0, coding.other.clone()), (1.0, coding.event.clone())],
        problem: None,
    };
    data.set(recoded)?;
    Ok(Some(coding))
}

/// Which of the two values `level` names: as shown, as a number equal to it, or by value label.
fn event_index(var: &Variable, values: &[(String, f64)], level: &str) -> Result<usize, DataError> {
    let shown = |vs: &[(String, f64)]| {
        vs.iter()
            .take(6)
            .map(|(s, _)| format!("'{s}'"))
            .collect::<Vec<_>>()
            .join(", ")
    };
    if values.len() != 2 {
        return Err(DataError::Event {
            column: var.name.clone(),
            message: format!(
                "--event '{level}' needs an outcome with exactly two values, but '{}' has {} ({}{}); recode it to two values or drop --event",
                var.name,
                values.len(),
                shown(values),
                if values.len() > 6 { ", ..." } else { "" }
            ),
        });
    }
    let level = level.trim();
    let numeric = matches!(var.data, Column::Numeric(_));
    let by_label = |x: f64| {
        var.value_labels
            .iter()
            .any(|(code, label)| *code == x && label.trim() == level)
    };
    values
        .iter()
        .position(|(s, x)| {
            s == level
                || (numeric && level.parse::<f64>().is_ok_and(|l| l == *x))
                || (numeric && by_label(*x))
        })
        .ok_or_else(|| DataError::Event {
            column: var.name.clone(),
            message: format!(
                "--event '{level}' is not a value of '{}'; its two values are {} (case matters)",
                var.name,
                shown(values)
            ),
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn data(v: Variable) -> Dataset {
        Dataset::new("t.csv", vec![v]).unwrap()
    }

    #[test]
    fn text_outcome_default_and_chosen_event() {
        let v = Variable::categorical("y", &[Some("yes"), Some("no"), None, Some("yes")]);
        let mut d = data(v.clone());
        let c = code_event(&mut d, "y", None).unwrap().unwrap();
        assert_eq!(
            (c.event.as_str(), c.other.as_str(), c.chosen),
            ("yes", "no", false)
        );
        let y = d.numeric("y").unwrap();
        assert_eq!(&y[..2], &[1.0, 0.0]);
        assert!(y[2].is_nan());
        let mut d = data(v);
        let c = code_event(&mut d, "y", Some("no")).unwrap().unwrap();
        assert!(c.chosen && c.event == "no");
        assert_eq!(&d.numeric("y").unwrap()[..2], &[0.0, 1.0]);
        assert!(c.describe().contains("1 = 'no'"));
    }

    #[test]
    fn numeric_outcomes() {
        let mut d = data(Variable::numeric("y", vec![0.0, 1.0, 1.0]));
        assert_eq!(code_event(&mut d, "y", None).unwrap(), None);
        let c = code_event(&mut d, "y", Some("0")).unwrap().unwrap();
        assert_eq!(d.numeric("y").unwrap(), &[1.0, 0.0, 0.0]);
        assert_eq!(c.event, "0");
        let mut d = data(Variable::numeric("y", vec![1.0, 2.0, 2.0]));
        let c = code_event(&mut d, "y", None).unwrap().unwrap();
        assert_eq!((c.event.as_str(), c.other.as_str()), ("2", "1"));
        assert_eq!(d.numeric("y").unwrap(), &[0.0, 1.0, 1.0]);
        let mut v = Variable::numeric("y", vec![1.0, 2.0]);
        v.value_labels = vec![(1.0, "exporter".into()), (2.0, "domestic".into())];
        let mut d = data(v);
        let c = code_event(&mut d, "y", Some("exporter")).unwrap().unwrap();
        assert_eq!(c.event, "1");
        assert_eq!(d.numeric("y").unwrap(), &[1.0, 0.0]);
    }

    /// The early exit counts values as `distinct_values` does (0 and -0 one value, missing
    /// none), and a continuous outcome stays as it is.
    #[test]
    fn more_than_two_values_found_early() {
        for v in [
            vec![0.0, -0.0, 1.0, f64::NAN, 1.0],
            vec![3.0, 3.0],
            vec![],
            vec![1.0, 2.0, 3.0],
            vec![-0.0, 2.0, 0.0, 5.0],
        ] {
            let var = Variable::numeric("y", v.clone());
            let many = distinct_values(&var).len() > 2;
            assert_eq!(more_than_two_numbers(&var), many, "{v:?}");
        }
        let mut d = data(Variable::numeric("y", vec![0.5, 1.5, 2.5, f64::NAN]));
        assert_eq!(code_event(&mut d, "y", None).unwrap(), None);
        assert_eq!(d.numeric("y").unwrap()[..3], [0.5, 1.5, 2.5]);
    }

    #[test]
    fn errors_name_the_values() {
        let mut d = data(Variable::categorical(
            "y",
            &[Some("a"), Some("b"), Some("c")],
        ));
        let e = code_event(&mut d, "y", Some("a")).unwrap_err().to_string();
        assert!(e.contains("exactly two values") && e.contains("'c'"), "{e}");
        assert_eq!(code_event(&mut d, "y", None).unwrap(), None);
        let mut d = data(Variable::categorical("y", &[Some("no"), Some("yes")]));
        let e = code_event(&mut d, "y", Some("Yes"))
            .unwrap_err()
            .to_string();
        assert!(
            e.contains("'no', 'yes'") && e.contains("--event 'Yes'"),
            "{e}"
        );
    }
}
