//! The crate: tracks a person collects from several queries, in their own order, without
//! repeats, each remembering the mood point it was found at; kept in the browser as a
//! small versioned JSON text, read back strictly (a damaged text is reported, never
//! half-read).

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::export::ExportRow;
use crate::mood::Mood;
use crate::sources::MoodSource;
use crate::track_id::TrackId;

/// Entries a crate holds at most (a browser's storage is small; a crate is a short list).
pub const MAX_ENTRIES: usize = 1_000;

/// One collected track.
#[derive(Debug, Clone, PartialEq)]
pub struct CrateEntry {
    pub id: TrackId,
    pub name: String,
    pub artists: String,
    pub genre: String,
    pub mood: Mood,
    pub source: MoodSource,
    /// The query point the track was found at.
    pub found_at: Mood,
}

impl CrateEntry {
    /// The entry of an exported row (a result, a pasted track).
    pub fn from_row(row: &ExportRow) -> CrateEntry {
        CrateEntry {
            id: row.id.clone(),
            name: row.name.clone(),
            artists: row.artists.clone(),
            genre: row.genre.clone(),
            mood: row.mood,
            source: row.source,
            found_at: row.found_at,
        }
    }
}

/// The collected tracks, in the person's order.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Crate {
    entries: Vec<CrateEntry>,
}

/// Why a stored crate cannot be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CrateError {
    Unreadable { detail: String },
    UnknownVersion { found: u32 },
    BadEntry { position: usize, problem: String },
}

impl fmt::Display for CrateError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CrateError::Unreadable { detail } => {
                write!(f, "the saved crate is not readable ({detail})")
            }
            CrateError::UnknownVersion { found } => write!(
                f,
                "the saved crate is of a newer kind (version {found}) than this page reads"
            ),
            CrateError::BadEntry { position, problem } => write!(
                f,
                "entry {position} of the saved crate is damaged ({problem})"
            ),
        }
    }
}

impl std::error::Error for CrateError {}

const STORAGE_VERSION: u32 = 1;

#[derive(Serialize, Deserialize)]
struct Stored {
    version: u32,
    entries: Vec<StoredEntry>,
}

#[derive(Serialize, Deserialize)]
struct StoredEntry {
    id: String,
    name: String,
    artists: String,
    genre: String,
    valence: f64,
    energy: f64,
    source: String,
    found_valence: f64,
    found_energy: f64,
}

fn source_from_key(key: &str) -> Option<MoodSource> {
    [
        MoodSource::Catalog,
        MoodSource::ReccoBeats,
        MoodSource::Spotify,
        MoodSource::ByHand,
    ]
    .into_iter()
    .find(|s| s.key() == key)
}

impl Crate {
    pub fn entries(&self) -> &[CrateEntry] {
        &self.entries
    }

    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    pub fn contains(&self, id: &TrackId) -> bool {
        self.entries.iter().any(|e| &e.id == id)
    }

    /// Adds at the end unless the track is already in (or the crate is full).
    pub fn add(&mut self, entry: CrateEntry) -> bool {
        if self.contains(&entry.id) || self.entries.len() >= MAX_ENTRIES {
            return false;
        }
        self.entries.push(entry);
        true
    }

    /// Adds every entry not already in; returns how many were added.
    pub fn add_all(&mut self, entries: impl IntoIterator<Item = CrateEntry>) -> usize {
        entries.into_iter().filter(|e| self.add(e.clone())).count()
    }

    pub fn remove(&mut self, id: &TrackId) {
        self.entries.retain(|e| &e.id != id);
    }

    /// Moves the entry at `position` one place up (`-1`) or down (`+1`), if it can.
    pub fn shift(&mut self, position: usize, up: bool) {
        let target = if up {
            position.checked_sub(1)
        } else {
            Some(position + 1)
        };
        if let Some(target) = target.filter(|t| *t < self.entries.len()) {
            if position < self.entries.len() {
                self.entries.swap(position, target);
            }
        }
    }

    pub fn clear(&mut self) {
        self.entries.clear();
    }

    /// The moods of the entries: the plane's crate layer.
    pub fn moods(&self) -> Vec<Mood> {
        self.entries.iter().map(|e| e.mood).collect()
    }

    /// The entries as exported rows, in crate order; the distance is from the point each
    /// was found at.
    pub fn export_rows(&self) -> Vec<ExportRow> {
        self.entries
            .iter()
            .map(|e| ExportRow {
                id: e.id.clone(),
                name: e.name.clone(),
                artists: e.artists.clone(),
                genre: e.genre.clone(),
                mood: e.mood,
                distance: Some(e.mood.distance(e.found_at)),
                source: e.source,
                found_at: e.found_at,
            })
            .collect()
    }

    /// The text kept in the browser.
    pub fn to_storage(&self) -> String {
        let stored = Stored {
            version: STORAGE_VERSION,
            entries: self
                .entries
                .iter()
                .map(|e| StoredEntry {
                    id: e.id.to_string(),
                    name: e.name.clone(),
                    artists: e.artists.clone(),
                    genre: e.genre.clone(),
                    valence: e.mood.valence,
                    energy: e.mood.energy,
                    source: e.source.key().to_owned(),
                    found_valence: e.found_at.valence,
                    found_energy: e.found_at.energy,
                })
                .collect(),
        };
        serde_json::to_string(&stored).unwrap_or_default()
    }

    /// Reads the text kept in the browser; every entry is checked.
    pub fn from_storage(text: &str) -> Result<Crate, CrateError> {
        let stored: Stored = serde_json::from_str(text).map_err(|e| CrateError::Unreadable {
            detail: e.to_string(),
        })?;
        if stored.version != STORAGE_VERSION {
            return Err(CrateError::UnknownVersion {
                found: stored.version,
            });
        }
        let mut crate_list = Crate::default();
        for (i, e) in stored.entries.into_iter().enumerate() {
            let bad = |problem: String| CrateError::BadEntry {
                position: i + 1,
                problem,
            };
            let id = TrackId::parse(&e.id).map_err(|err| bad(err.to_string()))?;
            let mood = Mood::new(e.valence, e.energy).map_err(|err| bad(err.to_string()))?;
            let found_at =
                Mood::new(e.found_valence, e.found_energy).map_err(|err| bad(err.to_string()))?;
            let source = source_from_key(&e.source)
                .ok_or_else(|| bad(format!("unknown source “{}”", e.source)))?;
            crate_list.add(CrateEntry {
                id,
                name: e.name,
                artists: e.artists,
                genre: e.genre,
                mood,
                source,
                found_at,
            });
        }
        Ok(crate_list)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(id: &str, valence: f64) -> CrateEntry {
        CrateEntry {
            id: TrackId::parse(id).unwrap(),
            name: format!("Track {id}"),
            artists: "Artist".into(),
            genre: "pop".into(),
            mood: Mood::new(valence, 0.5).unwrap(),
            source: MoodSource::Catalog,
            found_at: Mood::new(0.5, 0.5).unwrap(),
        }
    }

    const A: &str = "0KpfYajJVVGgQ32Dby7e9i";
    const B: &str = "7qiZfU4dY1lWllzX7mPBI3";
    const C: &str = "3n3Ppam7vgaVa1iaRUc9Lp";

    fn ids(c: &Crate) -> Vec<String> {
        c.entries().iter().map(|e| e.id.to_string()).collect()
    }

    #[test]
    fn collects_without_repeats_and_keeps_the_persons_order() {
        let mut c = Crate::default();
        assert!(c.add(entry(A, 0.1)));
        assert!(!c.add(entry(A, 0.9)), "no duplicates");
        assert_eq!(c.add_all([entry(B, 0.2), entry(A, 0.1), entry(C, 0.3)]), 2);
        assert_eq!(ids(&c), vec![A, B, C]);
        c.shift(2, true);
        assert_eq!(ids(&c), vec![A, C, B]);
        c.shift(0, true);
        c.shift(2, false);
        assert_eq!(ids(&c), vec![A, C, B], "the ends do not move further");
        c.remove(&TrackId::parse(C).unwrap());
        assert_eq!(ids(&c), vec![A, B]);
        assert!((c.export_rows()[0].distance.unwrap() - 0.4).abs() < 1e-12);
        c.clear();
        assert!(c.is_empty());
    }

    #[test]
    fn survives_a_round_trip_through_storage() {
        let mut c = Crate::default();
        c.add_all([entry(A, 0.1), entry(B, 0.2)]);
        assert_eq!(Crate::from_storage(&c.to_storage()), Ok(c));
    }

    #[test]
    fn damaged_storage_is_reported_not_half_read() {
        assert!(matches!(
            Crate::from_storage("{"),
            Err(CrateError::Unreadable { .. })
        ));
        assert_eq!(
            Crate::from_storage(r#"{"version":9,"entries":[]}"#),
            Err(CrateError::UnknownVersion { found: 9 })
        );
        let mut c = Crate::default();
        c.add(entry(A, 0.1));
        let damaged = c.to_storage().replace("0.1", "7");
        let error = Crate::from_storage(&damaged).unwrap_err();
        assert!(
            matches!(error, CrateError::BadEntry { position: 1, .. }),
            "{error}"
        );
    }
}
