//! Whether a text file's table can fit in memory, judged before the file is read: a file of a
//! few GB on a small machine is a typed error naming what it would take, not an abort on a
//! failed allocation part-way through.

use std::io::Read;
use std::path::Path;

use super::io_error;
use crate::data::DataError;

/// Bytes of the file's start looked at to estimate how many cells it holds.
const PREFIX: usize = 1 << 20;

/// Bytes each cell takes while a text file is read (one `f64` of a packed column; a text cell
/// takes 8 more, but survey text columns are few).
const BYTES_PER_CELL: u64 = 8;

/// Refuses a text file whose estimated table (the text, held once, and 8 bytes per cell) is
/// larger than the memory the system says is available. Where that is unknown (not Linux),
/// nothing is checked.
pub(super) fn check_text_file(source: &str, path: &Path, size: u64) -> Result<(), DataError> {
    let Some(available) = available_memory() else {
        return Ok(());
    };
    if size < (PREFIX as u64) * 16 {
        return Ok(());
    }
    let mut prefix = Vec::with_capacity(PREFIX);
    std::fs::File::open(path)
        .and_then(|f| f.take(PREFIX as u64).read_to_end(&mut prefix))
        .map_err(|e| io_error(path, e))?;
    fits(source, size, estimated_bytes(size, &prefix), available)
}

/// Memory a text file of `size` bytes takes to read, judging its cells by those of `prefix`
/// (each field ends in a delimiter or a line end).
pub(super) fn estimated_bytes(size: u64, prefix: &[u8]) -> u64 {
    let ends = prefix
        .iter()
        .filter(|b| matches!(b, b',' | b';' | b'\t' | b'\n'))
        .count()
        .max(1) as f64;
    let cells = size as f64 * ends / prefix.len().max(1) as f64;
    size.saturating_add((cells * BYTES_PER_CELL as f64) as u64)
}

pub(super) fn fits(source: &str, size: u64, need: u64, available: u64) -> Result<(), DataError> {
    if need <= available {
        return Ok(());
    }
    Err(DataError::Io {
        path: source.to_string(),
        message: format!(
            "the file is {} and reading it would take about {} of memory, more than the {} this \
             machine has available; split it (fewer rows or columns per file), save it in a \
             binary format (.sav, .dta, .parquet), or use a machine with more memory",
            gigabytes(size),
            gigabytes(need),
            gigabytes(available)
        ),
    })
}

fn gigabytes(bytes: u64) -> String {
    format!("{:.1} GB", bytes as f64 / 1e9)
}

/// The memory the system can give without swapping (Linux's `MemAvailable`), in bytes.
pub fn available_memory() -> Option<u64> {
    let info = std::fs::read_to_string("/proc/meminfo").ok()?;
    let line = info.lines().find(|l| l.starts_with("MemAvailable:"))?;
    let kb: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb.saturating_mul(1024))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_table_beyond_available_memory_is_refused_naming_the_sizes() {
        // 10 fields of 3 bytes per line: 4 bytes per cell, so 8 bytes per cell triples the file.
        let prefix = b"1.5,2.5,3.5,4.5,5.5,6.5,7.5,8.5,9.5,1.0\n".repeat(100);
        let need = estimated_bytes(4_000_000_000, &prefix);
        assert_eq!(need, 12_000_000_000);
        assert!(fits("big.csv", 4_000_000_000, need, 16_000_000_000).is_ok());
        let e = fits("big.csv", 4_000_000_000, need, 8_000_000_000)
            .unwrap_err()
            .to_string();
        assert!(
            e.contains("'big.csv'") && e.contains("4.0 GB") && e.contains("12.0 GB"),
            "{e}"
        );
        assert!(
            e.contains("8.0 GB available") || e.contains("8.0 GB this"),
            "{e}"
        );
    }

    #[test]
    fn available_memory_is_read_on_linux() {
        if cfg!(target_os = "linux") {
            assert!(available_memory().is_some_and(|b| b > 0));
        }
    }
}
