//! The in-memory catalog: validated tracks, their moods in one contiguous array for
//! ranking, and an id lookup. Converts to and from [`CatalogFile`].

use std::collections::HashMap;
use std::fmt;

use crate::catalog_file::{CatalogFile, TrackColumns, CATALOG_FORMAT, CATALOG_VERSION};
use crate::mood::{Mood, MoodError};
use crate::track_id::{TrackId, TrackIdError};

/// Features beyond valence and energy that some sources carry, kept for later ranking work.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct ExtraFeatures {
    pub danceability: Option<f64>,
    pub acousticness: Option<f64>,
    pub tempo: Option<f64>,
    pub popularity: Option<f64>,
}

/// One track as a builder produces it, before strings are interned.
#[derive(Debug, Clone, PartialEq)]
pub struct TrackRecord {
    pub id: TrackId,
    pub name: String,
    pub artist: String,
    pub genre: String,
    pub mood: Mood,
    pub extras: ExtraFeatures,
}

/// A borrowed view of one catalog track.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct TrackView<'a> {
    pub index: usize,
    pub id: &'a TrackId,
    pub name: &'a str,
    pub artist: &'a str,
    pub genre: &'a str,
    pub mood: Mood,
}

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
        }
    }
}

impl std::error::Error for CatalogError {}

/// A validated catalog, ready to rank.
#[derive(Debug, Clone, Default)]
pub struct Catalog {
    source: String,
    genres: Vec<String>,
    artists: Vec<String>,
    ids: Vec<TrackId>,
    names: Vec<String>,
    artist_of: Vec<u32>,
    genre_of: Vec<u32>,
    moods: Vec<Mood>,
    extras: Vec<ExtraFeatures>,
    has_extra: [bool; 4],
    index_by_id: HashMap<TrackId, usize>,
}

/// Interns strings into a table, returning each one's index.
#[derive(Default)]
struct StringTable {
    items: Vec<String>,
    index: HashMap<String, u32>,
}

impl StringTable {
    fn intern(&mut self, s: &str) -> u32 {
        if let Some(&i) = self.index.get(s) {
            return i;
        }
        let i = self.items.len() as u32;
        self.items.push(s.to_owned());
        self.index.insert(s.to_owned(), i);
        i
    }
}

impl Catalog {
    /// Builds a catalog from records. Later records with an id already seen are dropped;
    /// the number dropped is returned beside the catalog.
    pub fn from_records(source: impl Into<String>, records: Vec<TrackRecord>) -> (Catalog, usize) {
        let mut genres = StringTable::default();
        let mut artists = StringTable::default();
        let mut catalog = Catalog {
            source: source.into(),
            ..Catalog::default()
        };
        let mut duplicates = 0;
        for record in records {
            if catalog.index_by_id.contains_key(&record.id) {
                duplicates += 1;
                continue;
            }
            let e = &record.extras;
            for (flag, value) in catalog.has_extra.iter_mut().zip([
                e.danceability,
                e.acousticness,
                e.tempo,
                e.popularity,
            ]) {
                *flag |= value.is_some();
            }
            catalog
                .index_by_id
                .insert(record.id.clone(), catalog.ids.len());
            catalog.ids.push(record.id);
            catalog.names.push(record.name);
            catalog.artist_of.push(artists.intern(&record.artist));
            catalog.genre_of.push(genres.intern(&record.genre));
            catalog.moods.push(record.mood);
            catalog.extras.push(record.extras);
        }
        catalog.genres = genres.items;
        catalog.artists = artists.items;
        (catalog, duplicates)
    }

    /// Parses and validates catalog JSON.
    pub fn from_json(text: &str) -> Result<Catalog, CatalogError> {
        let file: CatalogFile = serde_json::from_str(text).map_err(|e| CatalogError::NotJson {
            detail: e.to_string(),
        })?;
        Catalog::from_file(file)
    }

    /// Validates a parsed catalog file: format, version, column lengths, ids, moods and
    /// string indices, and that no id repeats.
    pub fn from_file(file: CatalogFile) -> Result<Catalog, CatalogError> {
        if file.format != CATALOG_FORMAT {
            return Err(CatalogError::WrongFormat { found: file.format });
        }
        if file.version != CATALOG_VERSION {
            return Err(CatalogError::UnsupportedVersion {
                found: file.version,
            });
        }
        let t = file.tracks;
        let count = t.id.len();
        let check_len = |column: &'static str, found: usize| {
            if found == count {
                Ok(())
            } else {
                Err(CatalogError::ColumnLength {
                    column,
                    found,
                    expected: count,
                })
            }
        };
        check_len("name", t.name.len())?;
        check_len("artist", t.artist.len())?;
        check_len("genre", t.genre.len())?;
        check_len("valence", t.valence.len())?;
        check_len("energy", t.energy.len())?;
        let optional = [
            ("danceability", &t.danceability),
            ("acousticness", &t.acousticness),
            ("tempo", &t.tempo),
            ("popularity", &t.popularity),
        ];
        for (column, values) in optional {
            if let Some(values) = values {
                check_len(column, values.len())?;
            }
        }
        let check_index = |column: &'static str, row: usize, index: u32, table_len: usize| {
            if (index as usize) < table_len {
                Ok(index)
            } else {
                Err(CatalogError::BadStringIndex {
                    column,
                    row,
                    index,
                    table_len,
                })
            }
        };
        let extra_at = |values: &Option<Vec<Option<f64>>>, row: usize| {
            values
                .as_ref()
                .and_then(|v| v[row])
                .filter(|x| x.is_finite())
        };
        let mut catalog = Catalog {
            source: file.source,
            has_extra: [
                t.danceability.is_some(),
                t.acousticness.is_some(),
                t.tempo.is_some(),
                t.popularity.is_some(),
            ],
            ..Catalog::default()
        };
        catalog.index_by_id.reserve(count);
        for (row, raw_id) in t.id.into_iter().enumerate() {
            let id =
                TrackId::parse(&raw_id).map_err(|error| CatalogError::BadTrackId { row, error })?;
            let mood = Mood::new(t.valence[row], t.energy[row])
                .map_err(|error| CatalogError::BadMood { row, error })?;
            let artist = check_index("artist", row, t.artist[row], file.artists.len())?;
            let genre = check_index("genre", row, t.genre[row], file.genres.len())?;
            if catalog.index_by_id.insert(id.clone(), row).is_some() {
                return Err(CatalogError::DuplicateId { row, id: raw_id });
            }
            catalog.ids.push(id);
            catalog.artist_of.push(artist);
            catalog.genre_of.push(genre);
            catalog.moods.push(mood);
            catalog.extras.push(ExtraFeatures {
                danceability: extra_at(&t.danceability, row),
                acousticness: extra_at(&t.acousticness, row),
                tempo: extra_at(&t.tempo, row),
                popularity: extra_at(&t.popularity, row),
            });
        }
        catalog.names = t.name;
        catalog.genres = file.genres;
        catalog.artists = file.artists;
        Ok(catalog)
    }

    /// The interchange form of this catalog.
    pub fn to_file(&self) -> CatalogFile {
        let column = |present: bool, pick: fn(&ExtraFeatures) -> Option<f64>| {
            present.then(|| self.extras.iter().map(pick).collect::<Vec<_>>())
        };
        CatalogFile {
            format: CATALOG_FORMAT.to_owned(),
            version: CATALOG_VERSION,
            source: self.source.clone(),
            genres: self.genres.clone(),
            artists: self.artists.clone(),
            tracks: TrackColumns {
                id: self.ids.iter().map(|id| id.as_str().to_owned()).collect(),
                name: self.names.clone(),
                artist: self.artist_of.clone(),
                genre: self.genre_of.clone(),
                valence: self.moods.iter().map(|m| m.valence).collect(),
                energy: self.moods.iter().map(|m| m.energy).collect(),
                danceability: column(self.has_extra[0], |e| e.danceability),
                acousticness: column(self.has_extra[1], |e| e.acousticness),
                tempo: column(self.has_extra[2], |e| e.tempo),
                popularity: column(self.has_extra[3], |e| e.popularity),
            },
        }
    }

    /// The catalog as JSON text.
    pub fn to_json(&self) -> String {
        serde_json::to_string(&self.to_file()).expect("a catalog always serialises")
    }

    pub fn len(&self) -> usize {
        self.ids.len()
    }

    pub fn is_empty(&self) -> bool {
        self.ids.is_empty()
    }

    pub fn source(&self) -> &str {
        &self.source
    }

    /// Every track's mood, in catalog order.
    pub fn moods(&self) -> &[Mood] {
        &self.moods
    }

    /// Distinct genres, in order of first appearance.
    pub fn genres(&self) -> &[String] {
        &self.genres
    }

    pub fn artist_count(&self) -> usize {
        self.artists.len()
    }

    /// The extra features of track `index`.
    pub fn extras(&self, index: usize) -> ExtraFeatures {
        self.extras[index]
    }

    /// The index into [`Catalog::genres`] of track `index`'s genre.
    pub fn genre_index(&self, index: usize) -> usize {
        self.genre_of[index] as usize
    }

    /// How many tracks each genre has, indexed like [`Catalog::genres`].
    pub fn genre_counts(&self) -> Vec<usize> {
        let mut counts = vec![0; self.genres.len()];
        for &g in &self.genre_of {
            counts[g as usize] += 1;
        }
        counts
    }

    /// The index of track `index`'s artist (equal for tracks by the same artist).
    pub fn artist_index(&self, index: usize) -> usize {
        self.artist_of[index] as usize
    }

    /// The position of the track with this id, if the catalog has it.
    pub fn index_of(&self, id: &TrackId) -> Option<usize> {
        self.index_by_id.get(id).copied()
    }

    /// Track `index`; panics when out of range, like slice indexing.
    pub fn track(&self, index: usize) -> TrackView<'_> {
        TrackView {
            index,
            id: &self.ids[index],
            name: &self.names[index],
            artist: &self.artists[self.artist_of[index] as usize],
            genre: &self.genres[self.genre_of[index] as usize],
            mood: self.moods[index],
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    pub(crate) fn record(id: &str, name: &str, genre: &str, v: f64, e: f64) -> TrackRecord {
        TrackRecord {
            id: TrackId::parse(id).unwrap(),
            name: name.into(),
            artist: format!("{name} artist"),
            genre: genre.into(),
            mood: Mood::new(v, e).unwrap(),
            extras: ExtraFeatures::default(),
        }
    }

    fn id(n: u32) -> String {
        format!("{n:0>22}")
    }

    #[test]
    fn records_round_trip_through_json() {
        let mut with_extras = record(&id(2), "B", "rock", 0.9, 0.2);
        with_extras.extras.popularity = Some(71.0);
        let (catalog, dups) = Catalog::from_records(
            "fixture",
            vec![
                record(&id(1), "A", "pop", 0.1, 0.2),
                with_extras,
                record(&id(1), "A again", "pop", 0.5, 0.5),
            ],
        );
        assert_eq!(dups, 1);
        assert_eq!(catalog.len(), 2);
        assert_eq!(catalog.genres(), ["pop", "rock"]);
        let back = Catalog::from_json(&catalog.to_json()).unwrap();
        assert_eq!(back.to_file(), catalog.to_file());
        assert_eq!(back.track(1).genre, "rock");
        assert_eq!(back.extras(1).popularity, Some(71.0));
        assert_eq!(back.extras(0).popularity, None);
        assert_eq!(back.index_of(&TrackId::parse(&id(2)).unwrap()), Some(1));
    }

    #[test]
    fn rejects_wrong_format_version_and_lengths() {
        let (catalog, _) = Catalog::from_records("f", vec![record(&id(1), "A", "pop", 0.1, 0.2)]);
        let mut file = catalog.to_file();
        file.format = "other".into();
        assert!(matches!(
            Catalog::from_file(file.clone()),
            Err(CatalogError::WrongFormat { .. })
        ));
        file.format = CATALOG_FORMAT.into();
        file.version = 9;
        assert_eq!(
            Catalog::from_file(file.clone()).unwrap_err(),
            CatalogError::UnsupportedVersion { found: 9 }
        );
        file.version = CATALOG_VERSION;
        file.tracks.energy.push(0.3);
        assert_eq!(
            Catalog::from_file(file).unwrap_err(),
            CatalogError::ColumnLength {
                column: "energy",
                found: 2,
                expected: 1
            }
        );
    }

    #[test]
    fn rejects_bad_values_indices_and_duplicates() {
        let (catalog, _) = Catalog::from_records(
            "f",
            vec![
                record(&id(1), "A", "pop", 0.1, 0.2),
                record(&id(2), "B", "pop", 0.3, 0.4),
            ],
        );
        let good = catalog.to_file();
        let mut bad = good.clone();
        bad.tracks.valence[1] = 1.5;
        assert!(matches!(
            Catalog::from_file(bad).unwrap_err(),
            CatalogError::BadMood { row: 1, .. }
        ));
        let mut bad = good.clone();
        bad.tracks.genre[0] = 7;
        assert!(matches!(
            Catalog::from_file(bad).unwrap_err(),
            CatalogError::BadStringIndex {
                column: "genre",
                row: 0,
                index: 7,
                table_len: 1
            }
        ));
        let mut bad = good.clone();
        bad.tracks.id[1] = id(1);
        assert!(matches!(
            Catalog::from_file(bad).unwrap_err(),
            CatalogError::DuplicateId { row: 1, .. }
        ));
        let mut bad = good;
        bad.tracks.id[0] = "short".into();
        assert!(matches!(
            Catalog::from_file(bad).unwrap_err(),
            CatalogError::BadTrackId { row: 0, .. }
        ));
        assert!(matches!(
            Catalog::from_json("{nope").unwrap_err(),
            CatalogError::NotJson { .. }
        ));
    }
}
