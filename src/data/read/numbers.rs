//! Numbers as spreadsheets export them: decimal commas (`1,5`, from European Excel), thousands
//! separators (`1,234`, `1.234,5`, `1 234`) and percentages (`12%`). The decimal mark of a text
//! file is given (`--decimal`) or detected; a cell is then a number only in a form that mark
//! allows, so `1.234` is 1.234 with a decimal point and 1234 with a decimal comma, never a guess
//! per cell.

/// The decimal mark of a text file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Decimal {
    Point,
    Comma,
}

impl Decimal {
    /// `.` or `,`, as `--decimal` takes it.
    pub fn from_byte(b: u8) -> Option<Decimal> {
        match b {
            b'.' => Some(Decimal::Point),
            b',' => Some(Decimal::Comma),
            _ => None,
        }
    }

    fn mark(self) -> char {
        match self {
            Decimal::Point => '.',
            Decimal::Comma => ',',
        }
    }

    /// The thousands separator that goes with the mark.
    fn group(self) -> char {
        match self {
            Decimal::Point => ',',
            Decimal::Comma => '.',
        }
    }
}

/// How a cell's number was written, beyond plain digits.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Written {
    Plain,
    /// With thousands separators.
    Grouped,
    /// With a decimal comma.
    DecimalComma,
    /// A percentage, read as the number shown (`12%` is 12).
    Percent,
}

/// Separators of digit groups besides the mark's partner: spaces (plain, no-break and narrow
/// no-break, as French and Nordic locales write them) and the apostrophe (Swiss).
const SPACE_GROUPS: [char; 4] = [' ', '\u{a0}', '\u{202f}', '\''];

/// Reads a trimmed cell as a number under `decimal`, or `None` if it is not one.
pub fn parse(cell: &str, decimal: Decimal) -> Option<(f64, Written)> {
    let t = cell.trim();
    if let Some(body) = t.strip_suffix('%') {
        let (x, w) = parse_number(body.trim_end(), decimal)?;
        let _ = w;
        return Some((x, Written::Percent));
    }
    parse_number(t, decimal)
}

fn parse_number(t: &str, decimal: Decimal) -> Option<(f64, Written)> {
    if decimal == Decimal::Point {
        if let Ok(x) = t.parse::<f64>() {
            // Rust also reads "inf" and "NaN"; those stay as the builder expects them.
            return Some((x, Written::Plain));
        }
    }
    let (sign, rest) = match t.as_bytes().first() {
        Some(b'-') => (-1.0, &t[1..]),
        Some(b'+') => (1.0, &t[1..]),
        _ => (1.0, t),
    };
    // An exponent (1,5E-3) keeps its own digits.
    let (mantissa, exponent) = match rest.find(['e', 'E']) {
        Some(i) => (&rest[..i], Some(&rest[i + 1..])),
        None => (rest, None),
    };
    let (int, frac) = match mantissa.split_once(decimal.mark()) {
        Some((i, f)) => (i, Some(f)),
        None => (mantissa, None),
    };
    if frac.is_some_and(|f| f.is_empty() || !f.bytes().all(|b| b.is_ascii_digit())) {
        return None;
    }
    // A number has digits: "%", "-" and "e5" are not numbers.
    if int.is_empty() && frac.is_none() {
        return None;
    }
    let (digits, grouped) = integer_digits(int, decimal)?;
    let mut text = digits;
    if let Some(f) = frac {
        text.push('.');
        text.push_str(f);
    }
    if let Some(e) = exponent {
        let ok = e.strip_prefix(['+', '-']).unwrap_or(e);
        if ok.is_empty() || !ok.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        text.push('e');
        text.push_str(e);
    }
    let x: f64 = text.parse().ok()?;
    let written = if grouped {
        Written::Grouped
    } else if frac.is_some() && decimal == Decimal::Comma {
        Written::DecimalComma
    } else {
        Written::Plain
    };
    Some((sign * x, written))
}

/// The digits of an integer part, and whether it was grouped: plain digits, or groups of three
/// after a first group of one to three, separated by one kind of separator throughout.
fn integer_digits(int: &str, decimal: Decimal) -> Option<(String, bool)> {
    if int.is_empty() {
        return Some(("0".into(), false));
    }
    if int.bytes().all(|b| b.is_ascii_digit()) {
        return Some((int.to_string(), false));
    }
    let sep = int.chars().find(|c| !c.is_ascii_digit())?;
    if sep != decimal.group() && !SPACE_GROUPS.contains(&sep) {
        return None;
    }
    let groups: Vec<&str> = int.split(sep).collect();
    let first_ok = (1..=3).contains(&groups[0].len());
    let rest_ok = groups[1..].iter().all(|g| g.len() == 3);
    let digits_ok = groups.iter().all(|g| g.bytes().all(|b| b.is_ascii_digit()));
    (first_ok && rest_ok && digits_ok).then(|| (groups.concat(), true))
}

/// A cell written with a decimal comma (`1,5`, `-0,25`, `1.234,5`), which a file read with a
/// decimal point cannot take: the message for such a cell names `--decimal ,`.
pub fn looks_like_decimal_comma(cell: &str) -> bool {
    let t = cell.trim();
    matches!(
        parse(t, Decimal::Comma),
        Some((_, Written::DecimalComma | Written::Grouped))
    ) && parse(t, Decimal::Point).is_none()
}

/// What the cells of a text file say about its decimal mark.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Detected {
    Mark(Decimal),
    /// Only cells such as `1,250`, which are 1.25 with a decimal comma and 1250 with a decimal
    /// point, in a file whose delimiter does not settle it: the user must say.
    Ambiguous(String),
}

/// The decimal mark of a text file when none is given. A comma-separated file has a decimal
/// point. Otherwise a cell only a decimal point reads (`2.5`) settles a point, and one only a
/// decimal comma reads (`1,5`, `1.234,5`) a comma (a point wins when both occur: the comma cells
/// are then reported). Cells both read (`1,250`) mean a comma in a `;`-separated file (the
/// layout of European spreadsheets) and are ambiguous in any other. The cells are added one
/// at a time, as a reader meets them.
#[derive(Debug, Default)]
pub struct DecimalVotes {
    point: bool,
    comma: bool,
    both: Option<String>,
}

impl DecimalVotes {
    pub fn add(&mut self, cell: &str) {
        let t = cell.trim();
        let t = t.strip_suffix('%').unwrap_or(t).trim_end();
        if !t.contains([',', '.']) {
            return;
        }
        match (
            parse_number(t, Decimal::Point).is_some(),
            parse_number(t, Decimal::Comma).is_some(),
        ) {
            (true, false) => self.point = true,
            (false, true) => self.comma = true,
            (true, true) if t.contains(',') && self.both.is_none() => {
                self.both = Some(t.to_string())
            }
            _ => {}
        }
    }

    /// A point settles the file; once one is seen, later cells change nothing.
    pub fn settled(&self) -> bool {
        self.point
    }

    pub fn result(self, delimiter: u8) -> Detected {
        if delimiter == b',' {
            return Detected::Mark(Decimal::Point);
        }
        match (self.point, self.comma, self.both) {
            (true, _, _) => Detected::Mark(Decimal::Point),
            (false, true, _) => Detected::Mark(Decimal::Comma),
            (false, false, Some(_)) if delimiter == b';' => Detected::Mark(Decimal::Comma),
            (false, false, Some(example)) => Detected::Ambiguous(example),
            (false, false, None) => Detected::Mark(Decimal::Point),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(s: &str) -> Option<f64> {
        parse(s, Decimal::Point).map(|x| x.0)
    }
    fn c(s: &str) -> Option<f64> {
        parse(s, Decimal::Comma).map(|x| x.0)
    }

    #[test]
    fn decimal_point_files() {
        assert_eq!(p("1.5"), Some(1.5));
        assert_eq!(p("1,234"), Some(1234.0));
        assert_eq!(p("-1,234,567.25"), Some(-1_234_567.25));
        assert_eq!(p("1 234"), Some(1234.0));
        assert_eq!(p("12%"), Some(12.0));
        assert_eq!(p("-3.5 %"), Some(-3.5));
        assert_eq!(parse("12%", Decimal::Point).unwrap().1, Written::Percent);
        assert_eq!(parse("1,234", Decimal::Point).unwrap().1, Written::Grouped);
        for bad in [
            "1,5",
            "12,34",
            "1,2345",
            "1.234,5",
            "1,,234",
            "abc",
            "%",
            "1,234.5.6",
            "",
        ] {
            assert_eq!(p(bad), None, "{bad}");
        }
    }

    #[test]
    fn decimal_comma_files() {
        assert_eq!(c("1,5"), Some(1.5));
        assert_eq!(c("-0,25"), Some(-0.25));
        assert_eq!(c("1.234,5"), Some(1234.5));
        assert_eq!(c("1.234"), Some(1234.0));
        assert_eq!(c("1 234,5"), Some(1234.5));
        assert_eq!(c("7"), Some(7.0));
        assert_eq!(c("1,5E-3"), Some(1.5e-3));
        assert_eq!(c("12,5%"), Some(12.5));
        assert_eq!(
            parse("1,5", Decimal::Comma).unwrap().1,
            Written::DecimalComma
        );
        for bad in ["2.5", "1.23", "1,5,6", "1.234.5", "e5", "1,5E"] {
            assert_eq!(c(bad), None, "{bad}");
        }
    }

    #[test]
    fn detection() {
        let d = |cells: &[&str], delim| {
            let mut votes = DecimalVotes::default();
            cells.iter().for_each(|c| votes.add(c));
            votes.result(delim)
        };
        let mark = |m| Detected::Mark(m);
        assert_eq!(d(&["1,5", "2", "3,25"], b';'), mark(Decimal::Comma));
        assert_eq!(d(&["1,5", "2.5"], b';'), mark(Decimal::Point));
        assert_eq!(d(&["1.234,5", "2"], b';'), mark(Decimal::Comma));
        assert_eq!(d(&["1,5", "1.234"], b'\t'), mark(Decimal::Comma));
        assert_eq!(d(&["1,5", "2"], b','), mark(Decimal::Point));
        assert_eq!(d(&["1", "2"], b';'), mark(Decimal::Point));
        assert_eq!(d(&["1,250", "2"], b';'), mark(Decimal::Comma));
        assert_eq!(
            d(&["1,250", "2"], b'\t'),
            Detected::Ambiguous("1,250".into())
        );
        assert_eq!(d(&["1.250", "2"], b'\t'), mark(Decimal::Point));
        assert!(looks_like_decimal_comma("3,75"));
        assert!(!looks_like_decimal_comma("3,750"));
        assert!(!looks_like_decimal_comma("3.75"));
    }
}
