//! The in-memory catalog: validated tracks, their moods in one contiguous array for
//! ranking, and an id lookup. This module owns the [`Catalog`] type and its accessors;
//! building, loading (JSON and packed), validation and errors live in the submodules.

mod builder;
mod detail_chunk;
mod error;
pub mod id_shard;
mod json_file;
mod json_view;
mod mood_tile;
mod packed;
mod strings;
mod validate;

pub use builder::{CatalogBuilder, TrackRecord};
pub use detail_chunk::{DetailChunk, TrackDetails};
pub use error::{CatalogError, PackedDamage};
pub use id_shard::IdShard;
pub use json_view::JsonView;
pub use mood_tile::{MoodTile, TileShape};
pub use packed::PackedSource;

use crate::mood::Mood;
use crate::track_id::{TrackId, TRACK_ID_LEN};

/// Features beyond valence and energy that some sources carry, kept for later ranking work.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct ExtraFeatures {
    pub danceability: Option<f64>,
    pub acousticness: Option<f64>,
    pub tempo: Option<f64>,
    pub popularity: Option<f64>,
}

impl ExtraFeatures {
    /// Row `row` of extra feature columns (danceability, acousticness, tempo, popularity;
    /// each present or not, NaN where a track lacks the value), as a catalog, a tile and
    /// an id shard hold them.
    pub fn at_row(columns: &[Option<Vec<f64>>; 4], row: usize) -> ExtraFeatures {
        let at = |c: usize| {
            columns[c]
                .as_ref()
                .map(|column| column[row])
                .filter(|x| !x.is_nan())
        };
        ExtraFeatures {
            danceability: at(0),
            acousticness: at(1),
            tempo: at(2),
            popularity: at(3),
        }
    }
}

/// A result row's genre cell: the genre, and the popularity when it is known (the app's
/// list and the page's first list write the same words).
pub fn genre_cell(genre: &str, popularity: Option<f64>) -> String {
    match popularity {
        Some(p) => format!("{genre} · popularity {p:.0}"),
        None => genre.to_owned(),
    }
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

impl TrackView<'_> {
    /// The name a person is shown: "(untitled)" for a track whose name is empty.
    pub fn shown_name(&self) -> &str {
        if self.name.is_empty() {
            "(untitled)"
        } else {
            self.name
        }
    }
}

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

impl Catalog {
    /// Orders the id permutation; returns the first repeated id, if any.
    fn sort_ids(&mut self) -> Option<usize> {
        let ids = &self.ids;
        let key = |i: u32| &ids[i as usize * TRACK_ID_LEN..(i as usize + 1) * TRACK_ID_LEN];
        // Sorted by each id's first eight bytes read as one number (the bytes' own order),
        // the whole id only where those tie: the sort moves its keys along instead of
        // following every comparison into ten million ids.
        let head = |i: u32| {
            let bytes = key(i);
            u64::from_be_bytes([
                bytes[0], bytes[1], bytes[2], bytes[3], bytes[4], bytes[5], bytes[6], bytes[7],
            ])
        };
        let mut keyed: Vec<(u64, u32)> =
            (0..self.moods.len() as u32).map(|i| (head(i), i)).collect();
        keyed.sort_unstable_by(|a, b| {
            a.0.cmp(&b.0)
                .then_with(|| key(a.1).cmp(key(b.1)))
                .then(a.1.cmp(&b.1))
        });
        let order: Vec<u32> = keyed.into_iter().map(|(_, i)| i).collect();
        let repeat = order
            .windows(2)
            .find(|w| key(w[0]) == key(w[1]))
            .map(|w| w[1] as usize);
        self.id_order = order;
        repeat
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
        ExtraFeatures::at_row(&self.extras, index)
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
    /// Track `index` as a record, to build another catalog with it.
    pub fn record(&self, index: usize) -> TrackRecord {
        let t = self.track(index);
        TrackRecord {
            id: t.id,
            name: t.name.to_owned(),
            artist: t.artist.to_owned(),
            genre: t.genre.to_owned(),
            mood: t.mood,
            extras: self.extras(index),
        }
    }

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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_track_without_a_name_is_shown_as_untitled() {
        let view = |name| TrackView {
            index: 0,
            id: TrackId::parse("0000000000000000000000").unwrap(),
            name,
            artist: "",
            genre: "",
            mood: Mood::CENTRE,
        };
        assert_eq!(view("").shown_name(), "(untitled)");
        assert_eq!(view("Halo").shown_name(), "Halo");
    }

    #[test]
    fn ids_that_share_their_first_eight_bytes_are_ordered_by_the_rest() {
        let ids = [
            "AAAAAAAAzzzzzzzzzzzzzz",
            "AAAAAAAA00000000000001",
            "0000000000000000000000",
            "AAAAAAAA00000000000000",
            "AAAAAAAB00000000000000",
            "zzzzzzzz00000000000000",
        ];
        let records = ids
            .iter()
            .map(|id| TrackRecord {
                id: TrackId::parse(id).unwrap(),
                name: String::new(),
                artist: String::new(),
                genre: String::new(),
                mood: Mood::CENTRE,
                extras: ExtraFeatures::default(),
            })
            .collect();
        let (catalog, dropped) = Catalog::from_records("test", records);
        assert_eq!(dropped, 0);
        let in_order: Vec<&str> = catalog.id_order.iter().map(|&i| ids[i as usize]).collect();
        let mut sorted = ids.to_vec();
        sorted.sort_unstable();
        assert_eq!(in_order, sorted);
        for (i, id) in ids.iter().enumerate() {
            assert_eq!(catalog.index_of(&TrackId::parse(id).unwrap()), Some(i));
        }
        assert_eq!(
            catalog.index_of(&TrackId::parse("AAAAAAAA00000000000002").unwrap()),
            None
        );
    }
}
