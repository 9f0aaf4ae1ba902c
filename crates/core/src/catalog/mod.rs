//! The in-memory catalog: validated tracks, their moods in one contiguous array for
//! ranking, and an id lookup. Converts to and from [`CatalogFile`] (JSON) and the packed
//! binary form (`packed`).

mod json_view;
mod packed;

pub use json_view::JsonView;
pub use packed::PackedSource;

use std::collections::HashMap;
use std::fmt;

use crate::catalog_file::{CatalogFile, TrackColumns, CATALOG_FORMAT, CATALOG_VERSION};
use crate::mood::{Mood, MoodError};
use crate::track_id::{TrackId, TrackIdError, TRACK_ID_LEN};

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

/// A view of one catalog track.
#[derive(Debug, Clone, PartialEq)]
pub struct TrackView<'a> {
    pub index: usize,
    pub id: TrackId,
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
            Packed { detail } => write!(f, "the packed catalog is damaged ({detail})"),
        }
    }
}

impl std::error::Error for CatalogError {}

/// A validated catalog, ready to rank. Compact at a million tracks: ids in one byte
/// array with a sorted permutation for lookups, names in one string, extra features as
/// columns (NaN where missing).
#[derive(Debug, Clone, Default)]
pub struct Catalog {
    source: String,
    genres: Vec<String>,
    artists: Vec<String>,
    /// `TRACK_ID_LEN` ASCII bytes per track.
    ids: Vec<u8>,
    /// Track indices ordered by id bytes, for binary search.
    id_order: Vec<u32>,
    /// `names[name_start[i]..name_start[i + 1]]` is track i's name.
    names: String,
    name_start: Vec<u32>,
    artist_of: Vec<u32>,
    genre_of: Vec<u32>,
    moods: Vec<Mood>,
    /// danceability, acousticness, tempo, popularity: each a column or absent.
    extras: [Option<Vec<f64>>; 4],
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

/// Builds a catalog one track at a time, so a builder can stream a huge CSV without
/// holding every row as a record.
pub struct CatalogBuilder {
    catalog: Catalog,
    genres: StringTable,
    artists: StringTable,
    seen: std::collections::HashSet<[u8; TRACK_ID_LEN]>,
    duplicates: usize,
}

impl CatalogBuilder {
    pub fn new(source: impl Into<String>) -> CatalogBuilder {
        CatalogBuilder {
            catalog: Catalog {
                source: source.into(),
                name_start: vec![0],
                ..Catalog::default()
            },
            genres: StringTable::default(),
            artists: StringTable::default(),
            seen: Default::default(),
            duplicates: 0,
        }
    }

    /// Adds a track; returns false (and counts it) when its id was already added.
    pub fn push(&mut self, record: TrackRecord) -> bool {
        let key: [u8; TRACK_ID_LEN] = record
            .id
            .as_str()
            .as_bytes()
            .try_into()
            .expect("ids are 22 bytes");
        if !self.seen.insert(key) {
            self.duplicates += 1;
            return false;
        }
        let c = &mut self.catalog;
        let row = c.moods.len();
        c.ids.extend_from_slice(&key);
        c.names.push_str(&record.name);
        c.name_start.push(c.names.len() as u32);
        c.artist_of.push(self.artists.intern(&record.artist));
        c.genre_of.push(self.genres.intern(&record.genre));
        c.moods.push(record.mood);
        for (column, slot) in c.extras.iter_mut().enumerate() {
            let value = extra_of(&record.extras, column);
            if slot.is_none() && value.is_some() {
                // First value of this feature: earlier tracks lack it.
                *slot = Some(vec![f64::NAN; row]);
            }
            if let Some(values) = slot {
                values.push(value.unwrap_or(f64::NAN));
            }
        }
        true
    }

    /// The catalog, and how many duplicates were dropped.
    pub fn finish(self) -> (Catalog, usize) {
        let mut catalog = self.catalog;
        catalog.genres = self.genres.items;
        catalog.artists = self.artists.items;
        catalog.sort_ids();
        (catalog, self.duplicates)
    }
}

fn extra_of(e: &ExtraFeatures, column: usize) -> Option<f64> {
    [e.danceability, e.acousticness, e.tempo, e.popularity][column]
}

impl Catalog {
    /// Builds a catalog from records. Later records with an id already seen are dropped;
    /// the number dropped is returned beside the catalog.
    pub fn from_records(source: impl Into<String>, records: Vec<TrackRecord>) -> (Catalog, usize) {
        let mut builder = CatalogBuilder::new(source);
        for record in records {
            builder.push(record);
        }
        builder.finish()
    }

    /// Orders the id permutation; returns the first repeated id, if any.
    fn sort_ids(&mut self) -> Option<usize> {
        let ids = &self.ids;
        let key = |i: u32| &ids[i as usize * TRACK_ID_LEN..(i as usize + 1) * TRACK_ID_LEN];
        let mut order: Vec<u32> = (0..self.moods.len() as u32).collect();
        order.sort_unstable_by(|&a, &b| key(a).cmp(key(b)).then(a.cmp(&b)));
        let repeat = order
            .windows(2)
            .find(|w| key(w[0]) == key(w[1]))
            .map(|w| w[1] as usize);
        self.id_order = order;
        repeat
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
            ("danceability", t.danceability),
            ("acousticness", t.acousticness),
            ("tempo", t.tempo),
            ("popularity", t.popularity),
        ];
        let mut catalog = Catalog {
            source: file.source,
            name_start: Vec::with_capacity(count + 1),
            ..Catalog::default()
        };
        for (c, (column, values)) in optional.into_iter().enumerate() {
            if let Some(values) = values {
                check_len(column, values.len())?;
                catalog.extras[c] = Some(
                    values
                        .into_iter()
                        .map(|x| x.filter(|x| x.is_finite()).unwrap_or(f64::NAN))
                        .collect(),
                );
            }
        }
        catalog.ids.reserve(count * TRACK_ID_LEN);
        for (row, raw_id) in t.id.iter().enumerate() {
            TrackId::parse(raw_id).map_err(|error| CatalogError::BadTrackId { row, error })?;
            catalog.ids.extend_from_slice(raw_id.as_bytes());
        }
        for row in 0..count {
            let mood = Mood::new(t.valence[row], t.energy[row])
                .map_err(|error| CatalogError::BadMood { row, error })?;
            catalog.moods.push(mood);
        }
        catalog.artist_of = check_indices("artist", t.artist, file.artists.len())?;
        catalog.genre_of = check_indices("genre", t.genre, file.genres.len())?;
        catalog.name_start.push(0);
        for name in &t.name {
            catalog.names.push_str(name);
            catalog.name_start.push(catalog.names.len() as u32);
        }
        catalog.genres = file.genres;
        catalog.artists = file.artists;
        if let Some(row) = catalog.sort_ids() {
            return Err(CatalogError::DuplicateId {
                row,
                id: t.id[row].clone(),
            });
        }
        Ok(catalog)
    }

    /// The interchange form of this catalog.
    pub fn to_file(&self) -> CatalogFile {
        let column = |c: usize| {
            self.extras[c].as_ref().map(|v| {
                v.iter()
                    .map(|x| Some(*x).filter(|x| !x.is_nan()))
                    .collect::<Vec<_>>()
            })
        };
        CatalogFile {
            format: CATALOG_FORMAT.to_owned(),
            version: CATALOG_VERSION,
            source: self.source.clone(),
            genres: self.genres.clone(),
            artists: self.artists.clone(),
            tracks: TrackColumns {
                id: (0..self.len()).map(|i| self.id_str(i).to_owned()).collect(),
                name: (0..self.len()).map(|i| self.name(i).to_owned()).collect(),
                artist: self.artist_of.clone(),
                genre: self.genre_of.clone(),
                valence: self.moods.iter().map(|m| m.valence).collect(),
                energy: self.moods.iter().map(|m| m.energy).collect(),
                danceability: column(0),
                acousticness: column(1),
                tempo: column(2),
                popularity: column(3),
            },
        }
    }

    /// The catalog as JSON text.
    pub fn to_json(&self) -> String {
        serde_json::to_string(&self.json_view()).expect("a catalog always serialises")
    }

    /// The JSON interchange form, serialisable straight from this catalog (for writing
    /// big catalogs without copying them into a [`CatalogFile`]).
    pub fn json_view(&self) -> json_view::JsonView<'_> {
        json_view::JsonView(self)
    }

    pub fn len(&self) -> usize {
        self.moods.len()
    }

    pub fn is_empty(&self) -> bool {
        self.moods.is_empty()
    }

    pub fn source(&self) -> &str {
        &self.source
    }

    /// Replaces the description of where the tracks came from.
    pub fn set_source(&mut self, source: String) {
        self.source = source;
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

    fn id_str(&self, index: usize) -> &str {
        std::str::from_utf8(&self.ids[index * TRACK_ID_LEN..(index + 1) * TRACK_ID_LEN])
            .expect("ids are validated ASCII")
    }

    fn name(&self, index: usize) -> &str {
        &self.names[self.name_start[index] as usize..self.name_start[index + 1] as usize]
    }

    /// One extra feature (0 danceability, 1 acousticness, 2 tempo, 3 popularity) for every
    /// track, NaN where a track lacks it; None when the catalog has none of it.
    pub fn extra_column(&self, column: usize) -> Option<&[f64]> {
        self.extras[column].as_deref()
    }

    /// The extra features of track `index`.
    pub fn extras(&self, index: usize) -> ExtraFeatures {
        let at = |c: usize| {
            self.extras[c]
                .as_ref()
                .map(|v| v[index])
                .filter(|x| !x.is_nan())
        };
        ExtraFeatures {
            danceability: at(0),
            acousticness: at(1),
            tempo: at(2),
            popularity: at(3),
        }
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

    /// The index into [`Catalog::genres`] of track `index`'s genre.
    pub fn genre_index(&self, index: usize) -> usize {
        self.genre_of[index] as usize
    }

    /// The position of the track with this id, if the catalog has it.
    pub fn index_of(&self, id: &TrackId) -> Option<usize> {
        let wanted = id.as_str().as_bytes();
        self.id_order
            .binary_search_by(|&i| {
                let i = i as usize;
                self.ids[i * TRACK_ID_LEN..(i + 1) * TRACK_ID_LEN].cmp(wanted)
            })
            .ok()
            .map(|at| self.id_order[at] as usize)
    }

    /// Track `index`; panics when out of range, like slice indexing.
    pub fn track(&self, index: usize) -> TrackView<'_> {
        TrackView {
            index,
            id: TrackId::parse(self.id_str(index)).expect("ids are validated"),
            name: self.name(index),
            artist: &self.artists[self.artist_of[index] as usize],
            genre: &self.genres[self.genre_of[index] as usize],
            mood: self.moods[index],
        }
    }
}

/// Checks every string-table index of a column against the table's length.
fn check_indices(
    column: &'static str,
    values: Vec<u32>,
    table_len: usize,
) -> Result<Vec<u32>, CatalogError> {
    if let Some((row, &index)) = values
        .iter()
        .enumerate()
        .find(|(_, &i)| i as usize >= table_len)
    {
        return Err(CatalogError::BadStringIndex {
            column,
            row,
            index,
            table_len,
        });
    }
    Ok(values)
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
