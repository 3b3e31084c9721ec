use super::DataError;

/// The values of one column. Missing numeric values are `NaN`; missing categorical values are `None`.
/// Infinite values never reach a `Numeric` column from a reader: they are recorded as a
/// [`CellProblem`] and reported when the column is used.
#[derive(Debug, Clone, PartialEq)]
pub enum Column {
    Numeric(Vec<f64>),
    /// Codes index into `levels`, which are sorted (numerically when every level is a number,
    /// otherwise as text), so the first level is the default reference as in R and PROCESS.
    Categorical {
        codes: Vec<Option<u32>>,
        levels: Vec<String>,
    },
}

impl Column {
    pub fn len(&self) -> usize {
        match self {
            Column::Numeric(v) => v.len(),
            Column::Categorical { codes, .. } => codes.len(),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    pub fn is_missing(&self, row: usize) -> bool {
        match self {
            Column::Numeric(v) => v[row].is_nan(),
            Column::Categorical { codes, .. } => codes[row].is_none(),
        }
    }

    pub fn is_categorical(&self) -> bool {
        matches!(self, Column::Categorical { .. })
    }

    /// The rows' values in the given order.
    pub fn take(&self, rows: &[usize]) -> Column {
        match self {
            Column::Numeric(v) => Column::Numeric(rows.iter().map(|&r| v[r]).collect()),
            Column::Categorical { codes, levels } => Column::Categorical {
                codes: rows.iter().map(|&r| codes[r]).collect(),
                levels: levels.clone(),
            },
        }
    }

    /// The cell as the user would write it (empty for missing).
    pub fn display(&self, row: usize) -> String {
        match self {
            Column::Numeric(v) if v[row].is_nan() => String::new(),
            Column::Numeric(v) => format_number(v[row]),
            Column::Categorical { codes, levels } => codes[row]
                .map(|c| levels[c as usize].clone())
                .unwrap_or_default(),
        }
    }
}

/// Shortest text that reads back as the same number (`3`, not `3.0`).
pub fn format_number(x: f64) -> String {
    if x.fract() == 0.0 && x.abs() < 1e15 {
        format!("{}", x as i64)
    } else {
        format!("{x}")
    }
}

/// A cell that stopped a column from being a clean numeric column. Kept with the column so that
/// loading a file never fails because of a column no model uses; using the column reports it.
#[derive(Debug, Clone, PartialEq)]
pub struct CellProblem {
    pub kind: ProblemKind,
    pub line: u64,
    pub value: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ProblemKind {
    NonNumeric,
    NonFinite,
}

/// A named column with its metadata.
#[derive(Debug, Clone, PartialEq)]
pub struct Variable {
    pub name: String,
    /// Variable label (SPSS/Stata), if the file had one.
    pub label: Option<String>,
    pub data: Column,
    /// Value labels (code -> label) from SPSS or Stata files.
    pub value_labels: Vec<(f64, String)>,
    pub problem: Option<CellProblem>,
}

impl Variable {
    pub fn numeric(name: impl Into<String>, values: Vec<f64>) -> Self {
        Variable {
            name: name.into(),
            label: None,
            data: Column::Numeric(values),
            value_labels: Vec::new(),
            problem: None,
        }
    }

    /// A categorical variable from text values (`None` = missing); levels are sorted.
    pub fn categorical(name: impl Into<String>, values: &[Option<&str>]) -> Self {
        Variable {
            name: name.into(),
            label: None,
            data: categorical_from_text(values.iter().copied()),
            value_labels: Vec::new(),
            problem: None,
        }
    }
}

impl Variable {
    /// A categorical variable whose levels keep the order given (those that occur), so that an
    /// ordered classification such as firm size has its first class as the reference of
    /// indicator coding instead of the alphabetically first. Values not in `order` are levels
    /// after them, in sort order.
    pub fn categorical_in_order(
        name: impl Into<String>,
        values: &[Option<&str>],
        order: &[&str],
    ) -> Self {
        let mut levels: Vec<String> = order
            .iter()
            .filter(|l| values.iter().any(|v| v == &Some(**l)))
            .map(|l| l.to_string())
            .collect();
        let mut rest: Vec<String> = values
            .iter()
            .flatten()
            .filter(|v| !order.contains(v))
            .map(|v| v.to_string())
            .collect();
        sort_levels(&mut rest);
        rest.dedup();
        levels.extend(rest);
        let codes = values
            .iter()
            .map(|v| v.and_then(|s| levels.iter().position(|l| l == s).map(|i| i as u32)))
            .collect();
        Variable {
            name: name.into(),
            label: None,
            data: Column::Categorical { codes, levels },
            value_labels: Vec::new(),
            problem: None,
        }
    }
}

/// Builds a categorical column with levels in sort order: numeric order when every level is a
/// number, text order otherwise.
pub fn categorical_from_text<'a>(values: impl Iterator<Item = Option<&'a str>> + Clone) -> Column {
    let (codes, levels) = code_text(values);
    Column::Categorical { codes, levels }
}

/// Codes and sorted levels of text values (`None` = missing), as in [`categorical_from_text`].
pub fn code_text<'a>(
    values: impl Iterator<Item = Option<&'a str>> + Clone,
) -> (Vec<Option<u32>>, Vec<String>) {
    let mut levels: Vec<String> = values.clone().flatten().map(str::to_string).collect();
    sort_levels(&mut levels);
    levels.dedup();
    let codes = values
        .map(|v| v.map(|s| levels.binary_search_by(|l| cmp_levels(l, s)).unwrap_or(0) as u32))
        .collect();
    (codes, levels)
}

fn sort_levels(levels: &mut [String]) {
    levels.sort_by(|a, b| cmp_levels(a, b));
}

fn cmp_levels(a: &str, b: &str) -> std::cmp::Ordering {
    match (a.trim().parse::<f64>(), b.trim().parse::<f64>()) {
        (Ok(x), Ok(y)) if x != y => x.total_cmp(&y),
        (Ok(_), Err(_)) => std::cmp::Ordering::Less,
        (Err(_), Ok(_)) => std::cmp::Ordering::Greater,
        _ => a.cmp(b),
    }
}

/// A data set: named columns of equal length, and for each row the line it came from.
#[derive(Debug, Clone, PartialEq)]
pub struct Dataset {
    /// File name (or another description of the source) used in messages.
    pub source: String,
    vars: Vec<Variable>,
    lines: Vec<u64>,
    /// How the file was read, where that is worth saying (a detected delimiter, encoding or
    /// decimal mark; thousands separators and percentages).
    notes: Vec<String>,
}

impl Dataset {
    /// Builds a data set from variables of equal length; rows are numbered 2, 3, ... as if read
    /// from a file with a header line.
    pub fn new(source: impl Into<String>, vars: Vec<Variable>) -> Result<Self, DataError> {
        let n = vars.first().map_or(0, |v| v.data.len());
        let lines = (0..n as u64).map(|i| i + 2).collect();
        Self::with_lines(source, vars, lines)
    }

    /// Builds a data set with explicit file line numbers for its rows.
    pub fn with_lines(
        source: impl Into<String>,
        vars: Vec<Variable>,
        lines: Vec<u64>,
    ) -> Result<Self, DataError> {
        let source = source.into();
        for (i, v) in vars.iter().enumerate() {
            if v.data.len() != lines.len() {
                return Err(DataError::Invalid(format!(
                    "column '{}' has {} values but the data set has {} rows",
                    v.name,
                    v.data.len(),
                    lines.len()
                )));
            }
            if let Some(j) = vars[..i].iter().position(|w| w.name == v.name) {
                return Err(DataError::DuplicateColumn {
                    path: source,
                    name: v.name.clone(),
                    first: j + 1,
                    second: i + 1,
                });
            }
        }
        Ok(Dataset {
            source,
            vars,
            lines,
            notes: Vec::new(),
        })
    }

    /// Builds a numeric data set from an `ndarray` matrix (rows = cases) and column names.
    pub fn from_array(
        source: impl Into<String>,
        names: &[&str],
        x: ndarray::ArrayView2<f64>,
    ) -> Result<Self, DataError> {
        if names.len() != x.ncols() {
            return Err(DataError::Invalid(format!(
                "{} names for {} columns",
                names.len(),
                x.ncols()
            )));
        }
        let vars = names
            .iter()
            .zip(x.columns())
            .map(|(n, c)| Variable::numeric(*n, c.to_vec()))
            .collect();
        Self::new(source, vars)
    }

    pub fn n_rows(&self) -> usize {
        self.lines.len()
    }

    pub fn n_cols(&self) -> usize {
        self.vars.len()
    }

    pub fn variables(&self) -> &[Variable] {
        &self.vars
    }

    pub fn names(&self) -> impl Iterator<Item = &str> {
        self.vars.iter().map(|v| v.name.as_str())
    }

    /// How the file was read, where that is worth telling the user (see [`RawTable`]'s notes).
    ///
    /// [`RawTable`]: crate::data::read::RawTable
    pub fn read_notes(&self) -> &[String] {
        &self.notes
    }

    /// Adds a note on how the data were read.
    pub fn add_read_note(&mut self, note: String) {
        self.notes.push(note);
    }

    /// The file line of each row (header = line 1).
    pub fn lines(&self) -> &[u64] {
        &self.lines
    }

    /// The variable called `name`, or an error suggesting the closest names.
    pub fn var(&self, name: &str) -> Result<&Variable, DataError> {
        self.vars
            .iter()
            .find(|v| v.name == name)
            .ok_or_else(|| DataError::UnknownColumn {
                path: self.source.clone(),
                name: name.to_string(),
                suggestions: closest_names(name, self.names()),
            })
    }

    pub fn var_mut(&mut self, name: &str) -> Result<&mut Variable, DataError> {
        match self.vars.iter().position(|v| v.name == name) {
            Some(i) => Ok(&mut self.vars[i]),
            None => Err(self
                .var(name)
                .err()
                .unwrap_or_else(|| DataError::Invalid(name.into()))),
        }
    }

    pub fn contains(&self, name: &str) -> bool {
        self.vars.iter().any(|v| v.name == name)
    }

    /// The values of a numeric column (`NaN` = missing), or an error if the column is unknown,
    /// categorical, or had a cell that is not a finite number.
    pub fn numeric(&self, name: &str) -> Result<&[f64], DataError> {
        let v = self.var(name)?;
        self.check_problem(v)?;
        match &v.data {
            Column::Numeric(x) => Ok(x),
            Column::Categorical { levels, .. } => Err(DataError::NotNumeric {
                column: name.to_string(),
                // A level that is not a number shows best why the column is not numeric.
                example: levels
                    .iter()
                    .find(|l| l.trim().parse::<f64>().is_err())
                    .or(levels.first())
                    .cloned()
                    .unwrap_or_default(),
            }),
        }
    }

    /// Reports a cell problem recorded for the variable at read time.
    pub fn check_problem(&self, v: &Variable) -> Result<(), DataError> {
        match &v.problem {
            None => Ok(()),
            Some(p) => {
                let (path, column, line, value) =
                    (self.source.clone(), v.name.clone(), p.line, p.value.clone());
                Err(match p.kind {
                    ProblemKind::NonNumeric => DataError::NonNumeric {
                        path,
                        column,
                        line,
                        value,
                    },
                    ProblemKind::NonFinite => DataError::NonFinite {
                        path,
                        column,
                        line,
                        value,
                    },
                })
            }
        }
    }

    /// Adds a column, or replaces the one with the same name.
    pub fn set(&mut self, var: Variable) -> Result<(), DataError> {
        if var.data.len() != self.n_rows() {
            return Err(DataError::Invalid(format!(
                "column '{}' has {} values but the data set has {} rows",
                var.name,
                var.data.len(),
                self.n_rows()
            )));
        }
        match self.vars.iter_mut().find(|v| v.name == var.name) {
            Some(slot) => *slot = var,
            None => self.vars.push(var),
        }
        Ok(())
    }

    /// A new data set with the given rows, in the given order.
    pub fn take_rows(&self, rows: &[usize]) -> Dataset {
        Dataset {
            source: self.source.clone(),
            vars: self
                .vars
                .iter()
                .map(|v| Variable {
                    data: v.data.take(rows),
                    ..v.clone()
                })
                .collect(),
            lines: rows.iter().map(|&r| self.lines[r]).collect(),
            notes: self.notes.clone(),
        }
    }
}

/// Up to three known names closest to `name` (case-insensitive matches first).
pub fn closest_names<'a>(name: &str, names: impl Iterator<Item = &'a str>) -> Vec<String> {
    let lower = name.to_lowercase();
    let mut scored: Vec<(f64, &str)> = names
        .map(|n| {
            let nl = n.to_lowercase();
            let score = if nl == lower {
                2.0
            } else {
                strsim::jaro_winkler(&lower, &nl).max(
                    if nl.contains(&lower) || lower.contains(&nl) {
                        0.85
                    } else {
                        0.0
                    },
                )
            };
            (score, n)
        })
        .filter(|(s, _)| *s >= 0.75)
        .collect();
    scored.sort_by(|a, b| b.0.total_cmp(&a.0));
    scored
        .into_iter()
        .take(3)
        .map(|(_, n)| n.to_string())
        .collect()
}
