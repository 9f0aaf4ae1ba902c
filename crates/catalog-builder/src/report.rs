//! What a build did: rows read, tracks kept, rows skipped by reason with their first line
//! numbers, and duplicate ids dropped.

use std::collections::BTreeMap;
use std::fmt;

use crate::row::SkipReason;

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
    pub duplicates: usize,
}

impl BuildReport {
    pub fn skip(&mut self, reason: SkipReason, line: u64) {
        let (count, lines) = self.skipped.entry(reason).or_default();
        *count += 1;
        if lines.len() < LINES_SHOWN {
            lines.push(line);
        }
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
        for (reason, (count, lines)) in &self.skipped {
            let shown: Vec<String> = lines.iter().map(u64::to_string).collect();
            let more = if *count > lines.len() { ", …" } else { "" };
            writeln!(
                f,
                "  {count} × {} (lines {}{more})",
                reason.describe(),
                shown.join(", ")
            )?;
        }
        write!(f, "duplicate ids dropped (first kept): {}", self.duplicates)
    }
}
