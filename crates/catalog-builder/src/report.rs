//! What a build did: rows read, tracks kept, rows skipped by reason with their first line
//! numbers, and duplicate ids dropped.

use std::collections::BTreeMap;
use std::fmt;

use crate::row::{DroppedExtra, SkipReason};

/// How many line numbers are listed per skip reason.
pub const LINES_SHOWN: usize = 5;

/// The outcome of a build, for people.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct BuildReport {
    pub format: &'static str,
    pub rows: usize,
    pub tracks: usize,
    /// Per reason: how many rows, and the first few file line numbers (header = 1).
    pub skipped: BTreeMap<SkipReason, (usize, Vec<u64>)>,
    /// Optional values left out of kept rows (out of range or not a number), per column.
    pub extras_dropped: BTreeMap<DroppedExtra, (usize, Vec<u64>)>,
    pub duplicates: usize,
}

fn count_at<K: Ord>(map: &mut BTreeMap<K, (usize, Vec<u64>)>, key: K, line: u64) {
    let (count, lines) = map.entry(key).or_default();
    *count += 1;
    if lines.len() < LINES_SHOWN {
        lines.push(line);
    }
}

fn write_counts(
    f: &mut fmt::Formatter<'_>,
    entries: impl Iterator<Item = (String, usize, Vec<u64>)>,
) -> fmt::Result {
    for (what, count, lines) in entries {
        let shown: Vec<String> = lines.iter().map(u64::to_string).collect();
        let more = if count > lines.len() { ", …" } else { "" };
        writeln!(f, "  {count} × {what} (lines {}{more})", shown.join(", "))?;
    }
    Ok(())
}

impl BuildReport {
    pub fn skip(&mut self, reason: SkipReason, line: u64) {
        count_at(&mut self.skipped, reason, line);
    }

    pub fn drop_extra(&mut self, extra: DroppedExtra, line: u64) {
        count_at(&mut self.extras_dropped, extra, line);
    }

    pub fn skipped_total(&self) -> usize {
        self.skipped.values().map(|(n, _)| n).sum()
    }
}

impl fmt::Display for BuildReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "format: {}", self.format)?;
        writeln!(f, "rows read: {}", self.rows)?;
        writeln!(f, "tracks written: {}", self.tracks)?;
        writeln!(f, "rows skipped: {}", self.skipped_total())?;
        write_counts(
            f,
            self.skipped
                .iter()
                .map(|(r, (n, lines))| (r.describe(), *n, lines.clone())),
        )?;
        if !self.extras_dropped.is_empty() {
            writeln!(
                f,
                "optional values left out of kept rows (the track stays, without that value):"
            )?;
            write_counts(
                f,
                self.extras_dropped
                    .iter()
                    .map(|(e, (n, lines))| (e.describe().to_owned(), *n, lines.clone())),
            )?;
        }
        write!(f, "duplicate ids dropped (first kept): {}", self.duplicates)
    }
}
