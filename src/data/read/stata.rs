//! Stata `.dta` input (every release, 102 to 119) through the `dta` crate.
//!
//! Numeric variables become numeric columns (Stata's missing values `.` and `.a` to `.z` are
//! missing) and string variables, `strL` included, categorical ones. Variable labels and the value
//! labels of the label set attached to each variable are kept. `float` values are read as the
//! shortest decimal that Stata stored (`1.1`, not `1.100000023841858`), as Stata displays them.

use std::path::Path;

use dta::stata::dta::dta_error::DtaError;
use dta::stata::dta::dta_reader::DtaReader;
use dta::stata::dta::long_string_ref::LongStringRef;
use dta::stata::dta::long_string_table::LongStringTable;
use dta::stata::dta::value::Value;
use dta::stata::dta::value_label_table::ValueLabelTable;
use dta::stata::dta::variable_type::VariableType;

use super::{guard, io_error, Cell, ColumnKind, RawColumn, RawTable};
use crate::data::DataError;

/// A cell before `strL` references are resolved.
enum Slot {
    Cell(Cell),
    Long(LongStringRef),
}

pub(super) fn read(path: &Path) -> Result<RawTable, DataError> {
    let source = path.display().to_string();
    let bytes = std::fs::read(path).map_err(|e| io_error(path, e))?;
    if let Err(message) = check_lengths(&bytes) {
        return Err(io_error(
            path,
            format!("not a readable Stata file: {message}"),
        ));
    }
    let bad = |e: DtaError| io_error(path, format!("not a readable Stata file: {e}"));
    let read = guard(path, "Stata file", || read_file(path))?;
    let (columns, n) = read.map_err(bad)?;
    if columns.is_empty() || n == 0 {
        return Err(DataError::EmptyFile { path: source });
    }
    Ok(RawTable {
        source,
        columns,
        lines: (0..n as u64).map(|i| i + 2).collect(),
        notes: Vec::new(),
    })
}

/// A counted section of a Stata 117-119 file: (map entry, opening tag, entry tag, bytes from the
/// entry tag to its length, bytes from the length to the counted data, closing bytes after the
/// data, what the section holds).
type Section<'a> = (usize, &'a [u8], &'a [u8], usize, usize, usize, &'a str);

/// Checks the lengths that the `dta` crate allocates before it reads (Stata 117 to 119): every
/// characteristic, long string (strL) and value-label table must end inside the file. A damaged
/// length would otherwise make the reader allocate (and zero) up to gigabytes for a file of a few
/// kilobytes, or abort on the allocation. Sections are found through the file's map, as Stata
/// writes it; a file without one (releases before 117) or with a structure the walk does not
/// recognise is left to the reader's own checks.
fn check_lengths(bytes: &[u8]) -> Result<(), String> {
    let Some(release) = tag_value(bytes, b"<release>") else {
        return Ok(());
    };
    let (name_len, o_len) = match release {
        b"117" => (33, 4),
        b"118" | b"119" => (129, 8),
        _ => return Ok(()),
    };
    let little = tag_value(bytes, b"<byteorder>") == Some(b"LSF");
    check_variable_count(bytes, release, little, name_len)?;
    let Some(map) = find(bytes, b"<map>").map(|i| i + 5) else {
        return Ok(());
    };
    let offset = |k: usize| -> Option<usize> {
        let b: [u8; 8] = bytes.get(map + 8 * k..map + 8 * k + 8)?.try_into().ok()?;
        let v = if little {
            u64::from_le_bytes(b)
        } else {
            u64::from_be_bytes(b)
        };
        usize::try_from(v).ok()
    };
    let u32_at = |at: usize| -> Option<usize> {
        let b: [u8; 4] = bytes.get(at..at + 4)?.try_into().ok()?;
        Some(if little {
            u32::from_le_bytes(b)
        } else {
            u32::from_be_bytes(b)
        } as usize)
    };
    let sections: [Section; 3] = [
        (8, b"<characteristics>", b"<ch>", 4, 4, 5, "characteristics"),
        (
            10,
            b"<strls>",
            b"GSO",
            3 + 4 + o_len + 1,
            4,
            0,
            "long strings",
        ),
        (
            11,
            b"<value_labels>",
            b"<lbl>",
            5,
            4 + name_len + 3,
            6,
            "value labels",
        ),
    ];
    for (k, open, entry, to_len, to_data, close, what) in sections {
        let Some(mut at) =
            offset(k).filter(|&o| bytes.get(o..).is_some_and(|b| b.starts_with(open)))
        else {
            continue;
        };
        at += open.len();
        while bytes.get(at..).is_some_and(|b| b.starts_with(entry)) {
            let Some(len) = u32_at(at + to_len) else {
                break;
            };
            let end = (at + to_len + to_data).saturating_add(len);
            if end > bytes.len() {
                return Err(format!(
                    "an entry of its {what} section claims {len} bytes, past the end of the file ({} bytes); the file is damaged",
                    bytes.len()
                ));
            }
            at = end + close;
        }
    }
    Ok(())
}

/// Checks the header's variable count K against the file's size. Stata writes K in 2 bytes
/// (117, 118) or 4 (119) after `<K>` (Stata's `help dta`, "Header"); each variable takes at
/// least its type (2 bytes) and its name (`name_len` bytes) in the schema, and the `dta` crate
/// allocates and zeroes each schema section for K entries before reading it. A damaged K in a
/// 4 KB file of release 119 made it zero 1 GB (K = 2^29) and would have made it zero 8.6 GB
/// (K = 2^32 - 1) before failing on the short file.
fn check_variable_count(
    bytes: &[u8],
    release: &[u8],
    little: bool,
    name_len: usize,
) -> Result<(), String> {
    let width = if release == b"119" { 4 } else { 2 };
    let head = &bytes[..bytes.len().min(512)];
    let Some(at) = find(head, b"<K>").map(|i| i + 3) else {
        return Ok(());
    };
    let Some(raw) = bytes.get(at..at + width) else {
        return Ok(());
    };
    let k = if little {
        raw.iter().rev().fold(0u64, |v, &b| v << 8 | u64::from(b))
    } else {
        raw.iter().fold(0u64, |v, &b| v << 8 | u64::from(b))
    };
    let need = k.saturating_mul(2 + name_len as u64);
    if need > bytes.len() as u64 {
        return Err(format!(
            "its header declares {k} variables, which take at least {need} bytes, more than the \
             whole file ({} bytes); the file is damaged",
            bytes.len()
        ));
    }
    Ok(())
}

fn find(bytes: &[u8], tag: &[u8]) -> Option<usize> {
    bytes.windows(tag.len()).position(|w| w == tag)
}

/// The text between `tag` and the next `<` (as in `<release>118</release>`), in the header.
fn tag_value<'a>(bytes: &'a [u8], tag: &[u8]) -> Option<&'a [u8]> {
    let head = &bytes[..bytes.len().min(512)];
    let start = find(head, tag)? + tag.len();
    let len = head[start..].iter().position(|&b| b == b'<')?;
    Some(&head[start..start + len])
}

fn read_file(path: &Path) -> Result<(Vec<RawColumn>, usize), DtaError> {
    let mut characteristics = DtaReader::new()
        .from_path(path)?
        .read_header()?
        .read_schema()?;
    characteristics.skip_to_end()?;
    let mut records = characteristics.into_record_reader()?;
    let variables = records.schema().variables().to_vec();

    let mut slots: Vec<Vec<Slot>> = variables.iter().map(|_| Vec::new()).collect();
    let mut n = 0usize;
    while let Some(record) = records.read_record()? {
        for (col, value) in slots.iter_mut().zip(record.values()) {
            col.push(slot(value));
        }
        n += 1;
    }

    let mut long_strings = LongStringTable::for_reading();
    let mut long_reader = records.into_long_string_reader()?;
    long_reader.read_remaining_into(&mut long_strings)?;
    let encoding = long_reader.encoding();
    let mut label_reader = long_reader.into_value_label_reader()?;
    let mut label_sets = ValueLabelTable::new();
    label_reader.read_remaining_into(&mut label_sets)?;

    let columns = variables
        .iter()
        .zip(slots)
        .map(|(var, col)| {
            let kind = match var.variable_type() {
                VariableType::FixedString(_) | VariableType::LongString => ColumnKind::Categorical,
                _ => ColumnKind::Numeric,
            };
            let cells = col
                .into_iter()
                .map(|s| match s {
                    Slot::Cell(c) => c,
                    Slot::Long(r) => long_strings
                        .get(&r)
                        .and_then(|ls| ls.data_str(encoding).map(|t| text(&t)))
                        .unwrap_or(Cell::Missing),
                })
                .collect();
            let label = Some(var.label().trim())
                .filter(|l| !l.is_empty())
                .map(str::to_string);
            let value_labels = Some(var.value_label_name())
                .filter(|n| !n.is_empty())
                .and_then(|n| label_sets.get(n))
                .map(|set| {
                    set.entries()
                        .iter()
                        .map(|e| (f64::from(e.value()), e.label().to_string()))
                        .collect()
                })
                .unwrap_or_default();
            RawColumn {
                name: var.name().to_string(),
                label,
                cells,
                value_labels,
                file_kind: Some(kind),
                packed: Default::default(),
            }
        })
        .collect();
    Ok((columns, n))
}

fn slot(value: &Value<'_>) -> Slot {
    let num = |x: Option<f64>| Slot::Cell(x.map_or(Cell::Missing, Cell::Number));
    match value {
        Value::Byte(v) => num(v.present().map(f64::from)),
        Value::Int(v) => num(v.present().map(f64::from)),
        Value::Long(v) => num(v.present().map(f64::from)),
        Value::Float(v) => num(v.present().map(float_to_f64)),
        Value::Double(v) => num(v.present()),
        Value::String(s) => Slot::Cell(text(s)),
        Value::LongStringRef(r) => Slot::Long(*r),
    }
}

/// The shortest decimal that reads back as the same `f32`, as an `f64`.
fn float_to_f64(x: f32) -> f64 {
    x.to_string().parse().unwrap_or(f64::from(x))
}

fn text(s: &str) -> Cell {
    let t = s.trim();
    if t.is_empty() {
        Cell::Missing
    } else {
        Cell::Text(t.to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::check_lengths;

    fn fixture(name: &str) -> Vec<u8> {
        std::fs::read(format!(
            "{}/tests/fixtures/{name}",
            env!("CARGO_MANIFEST_DIR")
        ))
        .unwrap()
    }

    #[test]
    fn lengths_of_the_fixtures_are_inside_the_file() {
        for f in ["types.dta", "survey.dta"] {
            assert_eq!(check_lengths(&fixture(f)), Ok(()), "{f}");
        }
    }

    #[test]
    fn a_variable_count_beyond_the_file_is_refused() {
        // survey.dta is release 119 (K in 4 bytes), types.dta release 118 (K in 2 bytes).
        for (f, k, width) in [
            ("survey.dta", u32::MAX, 4),
            ("survey.dta", 1 << 29, 4),
            ("types.dta", 65535, 2),
        ] {
            let mut d = fixture(f);
            let at = d.windows(3).position(|w| w == b"<K>").unwrap() + 3;
            d[at..at + width].copy_from_slice(&k.to_le_bytes()[..width]);
            let e = check_lengths(&d).unwrap_err();
            assert!(e.contains(&format!("declares {k} variables")), "{f}: {e}");
        }
    }

    #[test]
    fn a_long_string_claiming_gigabytes_is_refused() {
        let mut d = fixture("types.dta");
        // The first strL's length (after GSO, v, o and t) set to 2^31.
        let gso = d.windows(3).position(|w| w == b"GSO").unwrap();
        d[gso + 16..gso + 20].copy_from_slice(&0x8000_0000u32.to_le_bytes());
        let e = check_lengths(&d).unwrap_err();
        assert!(
            e.contains("long strings") && e.contains("2147483648"),
            "{e}"
        );
    }
}
