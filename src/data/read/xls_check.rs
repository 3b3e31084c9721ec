//! A look inside a legacy Excel workbook (`.xls`) before calamine reads it. calamine reserves
//! room for every cell a sheet's DIMENSIONS record declares, unchecked: a damaged record in a
//! 30 KB file asked for 687 GB and the failed allocation aborted the process (which no panic
//! guard can catch). The workbook is a Compound File (MS-CFB) whose `Workbook` stream is a
//! sequence of BIFF records (MS-XLS 2.1.4); this module finds that stream and reads the
//! DIMENSIONS records (MS-XLS 2.4.90) the way calamine does. Anything it cannot follow is left
//! to calamine, which reports it.

/// A sector number at or above this is a marker (free, end of chain, FAT or DIFAT sector), not
/// a sector of data (MS-CFB 2.1).
const MAX_REG_SECT: u32 = 0xFFFF_FFFA;
/// Record type of DIMENSIONS (MS-XLS 2.4.90).
const DIMENSIONS: u16 = 0x0200;

/// The most cells calamine would reserve for any sheet of the workbook in `bytes`, with the
/// record's bounds, or `None` when the file is not a workbook this module can follow.
pub(super) fn largest_dimensions(bytes: &[u8]) -> Option<(u64, [u32; 4])> {
    let stream = workbook_stream(bytes)?;
    let mut largest = None;
    let mut at = 0usize;
    while let Some(head) = stream.get(at..at + 4) {
        let typ = u16::from_le_bytes([head[0], head[1]]);
        let len = usize::from(u16::from_le_bytes([head[2], head[3]]));
        let Some(data) = stream.get(at + 4..at + 4 + len) else {
            break;
        };
        if typ == DIMENSIONS {
            if let Some((cells, bounds)) = reserved_cells(data) {
                if largest.is_none_or(|(c, _)| cells > c) {
                    largest = Some((cells, bounds));
                }
            }
        }
        at += 4 + len;
    }
    largest
}

/// Whether the chain of the compound file's directory loops (a damaged FAT): calamine follows
/// that chain without a bound, appending a sector a step until memory runs out (found by the
/// reader fuzz target: a 5.7 KB `.xls` made it allocate 32 GB).
pub(super) fn directory_loops(bytes: &[u8]) -> bool {
    let Some(cfb) = Compound::open(bytes) else {
        return false;
    };
    let Some(mut n) = cfb.u32_at(0x30) else {
        return false;
    };
    let mut seen = vec![false; cfb.fat.len()];
    while n < MAX_REG_SECT {
        let Some(s) = seen.get_mut(n as usize) else {
            return false;
        };
        if *s {
            return true;
        }
        *s = true;
        n = cfb.fat[n as usize];
    }
    false
}

/// The cells calamine reserves for a DIMENSIONS record (first row, row after the last, first
/// column, column after the last: u16 fields in BIFF5, rows as u32 in BIFF8), counted as it
/// counts them (a first column above 255 or after the last is taken as 0; row arithmetic wraps
/// as in its release build).
fn reserved_cells(r: &[u8]) -> Option<(u64, [u32; 4])> {
    let u16_at = |i: usize| Some(u32::from(u16::from_le_bytes([*r.get(i)?, *r.get(i + 1)?])));
    let u32_at = |i: usize| Some(u32::from_le_bytes(r.get(i..i + 4)?.try_into().ok()?));
    let (rf, rl, cf, cl) = match r.len() {
        10 => (u16_at(0)?, u16_at(2)?, u16_at(4)?, u16_at(6)?),
        14 | 16 => (u32_at(0)?, u32_at(4)?, u16_at(8)?, u16_at(10)?),
        _ => return None,
    };
    let first_col = if cf > 0xFF || cl < cf { 0 } else { cf };
    if rl == 0 || cl == 0 {
        return Some((1, [rf, rl, cf, cl]));
    }
    let rows = u64::from((rl - 1).wrapping_sub(rf).wrapping_add(1));
    let cols = u64::from(cl - first_col);
    Some((rows.saturating_mul(cols), [rf, rl, cf, cl]))
}

/// The compound file in `bytes`: its sectors and allocation table.
struct Compound<'a> {
    bytes: &'a [u8],
    shift: u32,
    fat: Vec<u32>,
}

impl<'a> Compound<'a> {
    /// Reads the header and the FAT (its sectors listed in the header's DIFAT and in the DIFAT
    /// sectors chained after it; MS-CFB 2.2 and 2.5).
    fn open(bytes: &'a [u8]) -> Option<Compound<'a>> {
        const SIGNATURE: [u8; 8] = [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];
        if bytes.get(..8)? != SIGNATURE {
            return None;
        }
        let shift = u32::from(u16::from_le_bytes(bytes.get(0x1E..0x20)?.try_into().ok()?));
        if shift != 9 && shift != 12 {
            return None;
        }
        let mut cfb = Compound {
            bytes,
            shift,
            fat: Vec::new(),
        };
        let sectors_in_file = bytes.len() >> shift;
        let mut fat_sectors: Vec<u32> = (0..109).filter_map(|i| cfb.u32_at(0x4C + 4 * i)).collect();
        let mut difat = cfb.u32_at(0x44)?;
        let per_sector = (1usize << shift) / 4 - 1;
        while difat < MAX_REG_SECT && fat_sectors.len() <= sectors_in_file {
            let s = cfb.sector(difat)?;
            let entry = |i: usize| {
                s.get(4 * i..4 * i + 4)
                    .and_then(|b| b.try_into().ok())
                    .map_or(u32::MAX, u32::from_le_bytes)
            };
            fat_sectors.extend((0..per_sector).map(entry));
            difat = entry(per_sector);
        }
        for n in fat_sectors.into_iter().filter(|&n| n < MAX_REG_SECT) {
            let s = cfb.sector(n)?;
            cfb.fat.extend(
                s.chunks_exact(4)
                    .map(|c| u32::from_le_bytes([c[0], c[1], c[2], c[3]])),
            );
            if cfb.fat.len() > 4 * sectors_in_file + 1024 {
                return None;
            }
        }
        Some(cfb)
    }

    fn u32_at(&self, at: usize) -> Option<u32> {
        Some(u32::from_le_bytes(
            self.bytes.get(at..at + 4)?.try_into().ok()?,
        ))
    }

    /// Sector `n` (sector 0 follows the 512-byte header; a 4096-byte sector size pads it).
    fn sector(&self, n: u32) -> Option<&'a [u8]> {
        let size = 1usize << self.shift;
        let start = (n as usize).checked_add(1)?.checked_mul(size)?;
        self.bytes
            .get(start..start.checked_add(size)?.min(self.bytes.len()))
            .filter(|s| !s.is_empty())
    }

    /// The sectors chained from `first` in `table`, at most `limit` of them (the sectors there
    /// are: a cycle in a damaged table ends).
    fn chain(&self, first: u32, table: &[u32], limit: usize) -> Vec<u32> {
        let mut out = Vec::new();
        let mut n = first;
        while n < MAX_REG_SECT && out.len() < limit.min(table.len()) {
            out.push(n);
            n = table.get(n as usize).copied().unwrap_or(u32::MAX);
        }
        out
    }

    /// The concatenated sectors of the chain from `first`.
    fn read_chain(&self, first: u32) -> Option<Vec<u8>> {
        let mut out = Vec::new();
        for n in self.chain(first, &self.fat, (self.bytes.len() >> self.shift) + 1) {
            out.extend_from_slice(self.sector(n)?);
        }
        Some(out)
    }
}

/// The `Workbook` (BIFF8) or `Book` (BIFF5) stream of the compound file in `bytes`, from the
/// regular sectors or, when shorter than the cutoff, from the mini stream (MS-CFB 2.6).
fn workbook_stream(bytes: &[u8]) -> Option<Vec<u8>> {
    let cfb = Compound::open(bytes)?;
    let directory = cfb.read_chain(cfb.u32_at(0x30)?)?;
    let entries: Vec<&[u8]> = directory.chunks_exact(128).collect();
    let stream = entries.iter().find(|e| {
        let name_len = usize::from(u16::from_le_bytes([e[64], e[65]])).min(64);
        let name: Vec<u16> = e[..name_len]
            .chunks_exact(2)
            .map(|c| u16::from_le_bytes([c[0], c[1]]))
            .take_while(|&c| c != 0)
            .collect();
        let name = String::from_utf16_lossy(&name);
        e[66] == 2 && (name == "Workbook" || name == "Book")
    })?;
    let start = u32::from_le_bytes(stream[116..120].try_into().ok()?);
    let size = usize::try_from(u32::from_le_bytes(stream[120..124].try_into().ok()?)).ok()?;
    let cutoff = usize::try_from(cfb.u32_at(0x38)?).ok()?;
    let mut data = if size < cutoff {
        let root = entries.first()?;
        let mini_stream = cfb.read_chain(u32::from_le_bytes(root[116..120].try_into().ok()?))?;
        let mini_fat: Vec<u32> = cfb
            .read_chain(cfb.u32_at(0x3C)?)?
            .chunks_exact(4)
            .map(|c| u32::from_le_bytes([c[0], c[1], c[2], c[3]]))
            .collect();
        let mini = 1usize << u16::from_le_bytes(bytes.get(0x20..0x22)?.try_into().ok()?).min(12);
        let mut out = Vec::new();
        for n in cfb.chain(start, &mini_fat, mini_stream.len() / mini + 1) {
            let at = (n as usize).checked_mul(mini)?;
            out.extend_from_slice(mini_stream.get(at..at + mini)?);
        }
        out
    } else {
        cfb.read_chain(start)?
    };
    data.truncate(size);
    Some(data)
}

#[cfg(test)]
mod tests {
    use super::largest_dimensions;

    fn fixture(name: &str) -> Vec<u8> {
        std::fs::read(format!(
            "{}/tests/fixtures/{name}",
            env!("CARGO_MANIFEST_DIR")
        ))
        .unwrap()
    }

    /// The first DIMENSIONS record's row after the last (BIFF8: bytes 4..8 of its data).
    fn set_last_row(d: &mut [u8], rows: u32) {
        let at = d
            .windows(4)
            .position(|w| w == [0x00, 0x02, 0x0E, 0x00])
            .unwrap()
            + 8;
        d[at..at + 4].copy_from_slice(&rows.to_le_bytes());
    }

    #[test]
    fn the_sheet_dimensions_are_found_in_regular_and_mini_streams() {
        // Five data rows and a header, three columns (tests/fixtures/make_xls.py).
        for f in ["small.xls", "mini_stream.xls"] {
            assert_eq!(
                largest_dimensions(&fixture(f)),
                Some((18, [0, 6, 0, 3])),
                "{f}"
            );
        }
    }

    #[test]
    fn damaged_dimensions_are_counted_as_calamine_would_reserve_them() {
        for f in ["small.xls", "mini_stream.xls"] {
            let mut d = fixture(f);
            set_last_row(&mut d, 1 << 20);
            assert_eq!(largest_dimensions(&d).map(|x| x.0), Some(3 << 20), "{f}");
            // A last row before the first wraps around in calamine's row count.
            set_last_row(&mut d, 0x0000_0001);
            let at = d
                .windows(4)
                .position(|w| w == [0x00, 0x02, 0x0E, 0x00])
                .unwrap()
                + 4;
            d[at..at + 4].copy_from_slice(&5u32.to_le_bytes());
            assert!(largest_dimensions(&d).unwrap().0 > 1 << 32, "{f}");
        }
    }

    #[test]
    fn other_files_are_left_to_calamine() {
        assert_eq!(largest_dimensions(b"not a compound file"), None);
        let mut d = fixture("small.xls");
        d.truncate(600);
        assert_eq!(largest_dimensions(&d), None);
    }
}
