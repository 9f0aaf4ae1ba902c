//! Why a catalog cannot be used: [`CatalogError`] (and, for the packed form,
//! [`PackedDamage`]), one variant per kind of fault, each with a message for people.

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
    Packed(PackedDamage),
}

/// What is wrong with a packed catalog's bytes (beyond the faults it shares with the
/// JSON, which have their own [`CatalogError`] variants).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PackedDamage {
    /// The bytes end before the section does.
    Truncated {
        section: &'static str,
    },
    NotUtf8 {
        section: &'static str,
    },
    /// A column's kind byte names no known encoding.
    UnknownEncoding {
        section: &'static str,
        byte: u8,
    },
    /// The id order lists a track that does not exist.
    IdOrderOutOfRange {
        position: usize,
        track: u32,
    },
    /// The id order lists the same track twice.
    IdOrderRepeatsTrack {
        position: usize,
        track: u32,
    },
    /// Two neighbours in the id order have their ids the wrong way round.
    IdOrderNotSorted {
        position: usize,
    },
    /// The first name offset is not 0.
    NamesNotFromStart {
        first: u32,
    },
    NameOffsetPastEnd {
        position: usize,
        offset: u32,
        names_len: usize,
    },
    NameOffsetDecreases {
        position: usize,
    },
    /// An offset falls inside a multi-byte character.
    NameOffsetSplitsCharacter {
        position: usize,
        offset: u32,
    },
    /// The last offset leaves name bytes that belong to no track.
    NamesNotAllUsed {
        end: u32,
        names_len: usize,
    },
    /// The extras mask has bits for features this version does not know.
    UnknownExtras {
        mask: u8,
    },
    TrailingBytes {
        count: usize,
    },
    /// An id shard holds an id whose first characters belong to another shard.
    IdOutsideShard {
        position: usize,
    },
    /// A tile holds other tracks, or other features, than the catalog's directory says.
    TileMismatch {
        what: &'static str,
        expected: u64,
        found: u64,
    },
}

impl fmt::Display for PackedDamage {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        use PackedDamage::*;
        match self {
            Truncated { section } => write!(f, "it ends inside the {section}"),
            NotUtf8 { section } => write!(f, "the {section} is not UTF-8 text"),
            UnknownEncoding { section, byte } => {
                write!(f, "the {section} column has an unknown encoding {byte}")
            }
            IdOrderOutOfRange { position, track } => write!(
                f,
                "entry {position} of the id order is track {track}, which does not exist"
            ),
            IdOrderRepeatsTrack { position, track } => write!(
                f,
                "entry {position} of the id order lists track {track} a second time"
            ),
            IdOrderNotSorted { position } => {
                write!(f, "the id order is not sorted at entry {position}")
            }
            NamesNotFromStart { first } => {
                write!(f, "the first name starts at byte {first}, not 0")
            }
            NameOffsetPastEnd {
                position,
                offset,
                names_len,
            } => write!(
                f,
                "name offset {position} is {offset}, past the {names_len} bytes of names"
            ),
            NameOffsetDecreases { position } => {
                write!(f, "name offset {position} is smaller than the one before")
            }
            NameOffsetSplitsCharacter { position, offset } => write!(
                f,
                "name offset {position} ({offset}) falls inside a character"
            ),
            NamesNotAllUsed { end, names_len } => write!(
                f,
                "the last name ends at byte {end}, but the names are {names_len} bytes"
            ),
            UnknownExtras { mask } => write!(
                f,
                "the extra features mask {mask:#04x} names features this page does not know"
            ),
            TrailingBytes { count } => write!(f, "there are {count} bytes after the end"),
            IdOutsideShard { position } => {
                write!(f, "id {position} of an id shard does not belong to it")
            }
            TileMismatch {
                what,
                expected,
                found,
            } => write!(
                f,
                "a tile's {what} is {found}, but the catalog's directory says {expected}"
            ),
        }
    }
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
            Packed(damage) => write!(f, "the packed catalog is damaged ({damage})"),
        }
    }
}

impl std::error::Error for CatalogError {}
