//! Building a catalog track by track: [`TrackRecord`] (one track before its strings are
//! interned) and [`CatalogBuilder`], which drops repeated ids and gathers the columns.

// Fx, not the standard SipHash: a builder checks millions of ids, from files the person
// chose (no adversary to guard against).
use rustc_hash::FxHashSet as HashSet;

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

impl Catalog {
    /// The same catalog with its tracks in `order` (a permutation of its indices: track
    /// `order[k]` becomes track k). Tables, ids, names and values are kept as they are.
    /// Column by column, each old column freed as its new one is made, so renumbering ten
    /// million tracks needs little more memory than the catalog itself.
    pub fn permuted(mut self, order: &[u32]) -> Catalog {
        debug_assert_eq!(order.len(), self.len());
        // The id order stays sorted by id: only the numbers it holds change.
        let mut new_index = vec![0u32; order.len()];
        for (new, &old) in order.iter().enumerate() {
            new_index[old as usize] = new as u32;
        }
        for track in &mut self.id_order {
            *track = new_index[*track as usize];
        }
        drop(new_index);
        let mut ids = Vec::with_capacity(self.ids.len());
        for &i in order {
            let i = i as usize;
            ids.extend_from_slice(&self.ids[i * TRACK_ID_LEN..(i + 1) * TRACK_ID_LEN]);
        }
        self.ids = ids;
        let mut names = String::with_capacity(self.names.len());
        let mut name_start = Vec::with_capacity(self.name_start.len());
        name_start.push(0);
        for &i in order {
            let i = i as usize;
            names.push_str(
                &self.names[self.name_start[i] as usize..self.name_start[i + 1] as usize],
            );
            name_start.push(names.len() as u32);
        }
        self.names = names;
        self.name_start = name_start;
        let pick = |column: &[u32]| order.iter().map(|&i| column[i as usize]).collect();
        self.artist_of = pick(&self.artist_of);
        self.genre_of = pick(&self.genre_of);
        self.moods = order.iter().map(|&i| self.moods[i as usize]).collect();
        for column in self.extras.iter_mut().flatten() {
            *column = order.iter().map(|&i| column[i as usize]).collect();
        }
        self
    }
}
