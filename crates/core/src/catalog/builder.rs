//! Building a catalog track by track: [`TrackRecord`] (one track before its strings are
//! interned) and [`CatalogBuilder`], which drops repeated ids and gathers the columns.

use std::collections::HashSet;

use super::strings::StringTable;
use super::{Catalog, ExtraFeatures};
use crate::mood::Mood;
use crate::track_id::{TrackId, TRACK_ID_LEN};

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

/// Builds a catalog one track at a time, so a builder can stream a huge CSV without
/// holding every row as a record.
pub struct CatalogBuilder {
    catalog: Catalog,
    genres: StringTable,
    artists: StringTable,
    seen: HashSet<[u8; TRACK_ID_LEN]>,
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

    /// A builder whose genre table starts with `genres` in order, so that a genre index
    /// (and so a genre filter) means the same in the result as in the catalog they came
    /// from.
    pub fn with_genres(source: impl Into<String>, genres: &[String]) -> CatalogBuilder {
        let mut builder = CatalogBuilder::new(source);
        for genre in genres {
            builder.genres.intern(genre);
        }
        builder
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
        catalog.genres = self.genres.into_items();
        catalog.artists = self.artists.into_items();
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
}
