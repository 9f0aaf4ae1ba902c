//! Why a catalog cannot be used: [`CatalogError`], one variant per kind of fault, each
//! with a message for people.

use std::fmt;

use crate::catalog_file::{CATALOG_FORMAT, CATALOG_VERSION};
use crate::mood::MoodError;
use crate::track_id::TrackIdError;

/// Why a catalog file cannot be used.
#[derive(Debug, Clone, PartialEq)]
pub enum CatalogError {
    NotJson {
        detail: String,
    },
    WrongFormat {
        found: String,
    },
    UnsupportedVersion {
        found: u32,
    },
    ColumnLength {
        column: &'static str,
        found: usize,
        expected: usize,
    },
    BadTrackId {
        row: usize,
        error: TrackIdError,
    },
    BadMood {
        row: usize,
        error: MoodError,
    },
    BadStringIndex {
        column: &'static str,
        row: usize,
        index: u32,
        table_len: usize,
    },
    DuplicateId {
        row: usize,
        id: String,
    },
    /// An extra feature holds a value no source gives: not a number, infinite, or outside
    /// the feature's range (see `validate::EXTRA_RULES`).
    BadExtra {
        column: &'static str,
        row: usize,
        id: String,
        value: f64,
        /// The values the column accepts, in words.
        allowed: &'static str,
    },
    /// The packed (binary) catalog is truncated or inconsistent.
    Packed {
        detail: String,
    },
}

impl fmt::Display for CatalogError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        use CatalogError::*;
        match self {
            NotJson { detail } => write!(f, "the catalog is not valid JSON ({detail})"),
            WrongFormat { found } => write!(
                f,
                "the file is not a Moodplane catalog (format is “{found}”, expected “{CATALOG_FORMAT}”)"
            ),
            UnsupportedVersion { found } => write!(
                f,
                "the catalog has format version {found}; this page reads version {CATALOG_VERSION}"
            ),
            ColumnLength { column, found, expected } => write!(
                f,
                "the catalog's “{column}” column has {found} entries but there are {expected} tracks"
            ),
            BadTrackId { row, error } => write!(f, "track {row} has a bad id: {error}"),
            BadMood { row, error } => write!(f, "track {row} has a bad mood: {error}"),
            BadStringIndex { column, row, index, table_len } => write!(
                f,
                "track {row} points at {column} {index}, but the catalog lists only {table_len}"
            ),
            DuplicateId { row, id } => write!(f, "track {row} repeats the id {id}"),
            BadExtra { column, row, id, value, allowed } => write!(
                f,
                "track {row} (id {id}) has {column} {value}, but {column} must be {allowed}"
            ),
            Packed { detail } => write!(f, "the packed catalog is damaged ({detail})"),
        }
    }
}

impl std::error::Error for CatalogError {}
