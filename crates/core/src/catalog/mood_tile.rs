//! Mood tiles (issue 14): what ranking needs of a run of a catalog's tracks — their moods,
//! artist and genre indices into the catalog's tables, and the extra features — without
//! names or ids, which a tiled catalog keeps apart. Numbers use the packed catalog's
//! encoding (exact thousandths when they are, else f64), so reading a tile gives back the
//! catalog's very values, and ranking over tiles can equal brute force bit for bit.
//!
//! Layout: `MOODTILE`, u32 version, u32 first track, u32 count, count × u32 artist,
//! count × u32 genre, column valence, column energy, u8 extras mask, then one column per
//! extra present (as in the packed catalog), then the tile's detail chunks: u32 tracks per
//! chunk, u32 chunk count, and each chunk's length in bytes (the chunks lie end to end
//! where the directory says, so a shown track's details cost one small request).
//!
//! Reading checks every value and that the tile is the one the directory announced
//! ([`TileShape`]); a fault is a specific [`CatalogError`], never a panic.

use std::ops::Range;

use super::packed::{damaged, extras_mask_of, Reader, Writer};
use super::validate::check_indices;
use super::{Catalog, CatalogError, PackedDamage};
use crate::mood::Mood;

const MAGIC: &[u8; 8] = b"MOODTILE";
const VERSION: u32 = 1;

/// The tracks `first .. first + len` of a catalog, as ranking sees them.
#[derive(Debug, Clone, PartialEq)]
pub struct MoodTile {
    pub first: u32,
    pub artist_of: Vec<u32>,
    pub genre_of: Vec<u32>,
    pub moods: Vec<Mood>,
    /// danceability, acousticness, tempo, popularity (NaN where missing), each present
    /// exactly when the catalog has that column.
    pub extras: [Option<Vec<f64>>; 4],
    /// The tile's tracks' details come in chunks of this many tracks (the last may hold
    /// fewer), each of the length in bytes listed, end to end. Empty until the archive is
    /// written.
    pub chunk_tracks: u32,
    pub chunk_lengths: Vec<u32>,
}

/// What the catalog's directory says a tile holds; reading checks the tile against it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TileShape {
    pub first: u32,
    pub count: u32,
    /// Lengths of the catalog's artist and genre tables.
    pub artists: usize,
    pub genres: usize,
    /// The catalog's extra columns (bit c: column c, in storage order).
    pub extras_mask: u8,
    /// Bytes of all the tile's detail chunks together.
    pub detail_bytes: u64,
}

impl Catalog {
    /// Which extra columns this catalog has (bit c: column c, in storage order).
    pub fn extras_mask(&self) -> u8 {
        extras_mask_of(&self.extras)
    }

    /// The mood tile of `tracks` (a range of this catalog's indices).
    pub fn mood_tile(&self, tracks: Range<usize>) -> MoodTile {
        MoodTile {
            first: tracks.start as u32,
            artist_of: self.artist_of[tracks.clone()].to_vec(),
            genre_of: self.genre_of[tracks.clone()].to_vec(),
            moods: self.moods[tracks.clone()].to_vec(),
            // Each column's run only (cloning whole columns per tile cost minutes at 10M).
            extras: self.extras.each_ref().map(|column| {
                column
                    .as_ref()
                    .map(|values| values[tracks.clone()].to_vec())
            }),
            // No details written yet: one empty chunk.
            chunk_tracks: tracks.len().max(1) as u32,
            chunk_lengths: if tracks.is_empty() { vec![] } else { vec![0] },
        }
    }

    /// The shape a tile of `tracks` must have.
    pub fn tile_shape(&self, tracks: Range<usize>) -> TileShape {
        TileShape {
            first: tracks.start as u32,
            count: tracks.len() as u32,
            artists: self.artists.len(),
            genres: self.genres.len(),
            extras_mask: self.extras_mask(),
            detail_bytes: 0,
        }
    }
}

impl MoodTile {
    pub fn len(&self) -> usize {
        self.moods.len()
    }

    pub fn is_empty(&self) -> bool {
        self.moods.is_empty()
    }

    /// The tile's bytes.
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut w = Writer(Vec::with_capacity(self.len() * 16 + 64));
        w.header(MAGIC, VERSION);
        w.u32(self.first);
        w.u32(self.len() as u32);
        w.u32s(&self.artist_of);
        w.u32s(&self.genre_of);
        w.moods_and_extras(&self.moods, &self.extras);
        w.u32(self.chunk_tracks);
        w.u32(self.chunk_lengths.len() as u32);
        w.u32s(&self.chunk_lengths);
        w.0
    }

    /// Every detail chunk of the tile, in order: (offset within the tile's details,
    /// length, the tracks it holds), so that the details fetched whole can be cut apart.
    pub fn detail_chunks(&self) -> impl Iterator<Item = (u64, u32, Range<u32>)> + '_ {
        let end = self.first + self.len() as u32;
        let step = self.chunk_tracks.max(1);
        self.chunk_lengths
            .iter()
            .scan(0u64, |offset, &length| {
                let at = *offset;
                *offset += u64::from(length);
                Some((at, length))
            })
            .enumerate()
            .map(move |(k, (offset, length))| {
                let first = self.first + k as u32 * step;
                (offset, length, first..(first + step).min(end))
            })
    }

    /// Where track `index`'s details lie among the tile's chunks: (offset within the
    /// tile's details, length, the tracks the chunk holds). None for a track of another
    /// tile.
    pub fn detail_chunk_of(&self, index: usize) -> Option<(u64, u32, Range<u32>)> {
        let row = index
            .checked_sub(self.first as usize)
            .filter(|&r| r < self.len())?;
        self.detail_chunks()
            .nth(row / self.chunk_tracks.max(1) as usize)
    }

    /// Reads and validates a tile that the directory describes as `shape`.
    pub fn from_bytes(bytes: &[u8], shape: &TileShape) -> Result<MoodTile, CatalogError> {
        let mut r = Reader {
            source: bytes,
            at: 0,
        };
        r.header(MAGIC, VERSION, "a Moodplane mood tile")?;
        let first = r.u32("tile header")?;
        let count = r.u32("tile header")?;
        expect("first track", shape.first.into(), first.into())?;
        expect("track count", shape.count.into(), count.into())?;
        let n = count as usize;
        let global = |row: usize| first as usize + row;
        let artist_of = check_indices("artist", r.u32s(n, "artists")?, shape.artists)
            .map_err(|e| at_global_row(e, first))?;
        let genre_of = check_indices("genre", r.u32s(n, "genres")?, shape.genres)
            .map_err(|e| at_global_row(e, first))?;
        let id_of = |_| "kept apart from mood tiles".to_owned();
        let (moods, extras) = r.moods_and_extras(n, global, id_of)?;
        expect(
            "set of extra features",
            shape.extras_mask.into(),
            extras_mask_of(&extras).into(),
        )?;
        let chunk_tracks = r.u32("detail chunk sizes")?;
        let chunks = r.u32("detail chunk sizes")?;
        let expected_chunks = (n as u64).div_ceil(u64::from(chunk_tracks.max(1)));
        if chunk_tracks == 0 && n > 0 {
            expect("tracks per detail chunk", 1, 0)?;
        }
        expect("count of detail chunks", expected_chunks, chunks.into())?;
        let chunk_lengths = r.u32s(chunks as usize, "detail chunk sizes")?;
        let detail_bytes = chunk_lengths.iter().map(|&l| u64::from(l)).sum();
        expect("bytes of detail chunks", shape.detail_bytes, detail_bytes)?;
        r.at_end()?;
        Ok(MoodTile {
            first,
            artist_of,
            genre_of,
            moods,
            extras,
            chunk_tracks,
            chunk_lengths,
        })
    }
}

fn expect(what: &'static str, expected: u64, found: u64) -> Result<(), CatalogError> {
    if expected == found {
        Ok(())
    } else {
        Err(damaged(PackedDamage::TileMismatch {
            what,
            expected,
            found,
        }))
    }
}

/// Names a tile's row by its track number in the whole catalog.
fn at_global_row(error: CatalogError, first: u32) -> CatalogError {
    match error {
        CatalogError::BadStringIndex {
            column,
            row,
            index,
            table_len,
        } => CatalogError::BadStringIndex {
            column,
            row: first as usize + row,
            index,
            table_len,
        },
        other => other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::{ExtraFeatures, TrackRecord};
    use crate::track_id::TrackId;
    use proptest::prelude::*;

    /// valence, energy, artist number, danceability, tempo.
    type Row = (f64, f64, u8, Option<f64>, Option<f64>);

    fn catalog_of(rows: &[Row]) -> Catalog {
        let records = rows
            .iter()
            .enumerate()
            .map(|(i, &(v, e, a, dance, tempo))| TrackRecord {
                id: TrackId::parse(&format!("{i:0>22}")).unwrap(),
                name: format!("t{i}"),
                artist: format!("a{a}"),
                genre: format!("g{}", a % 3),
                mood: Mood::new(v, e).unwrap(),
                extras: ExtraFeatures {
                    danceability: dance,
                    tempo,
                    ..ExtraFeatures::default()
                },
            })
            .collect();
        Catalog::from_records("test", records).0
    }

    #[test]
    fn the_detail_chunks_lie_end_to_end_and_each_holds_the_tracks_it_is_found_for() {
        let rows: Vec<Row> = (0..10)
            .map(|i| (0.1 * i as f64, 0.5, i, None, None))
            .collect();
        let mut tile = catalog_of(&rows).mood_tile(0..10);
        tile.first = 100;
        tile.chunk_tracks = 4;
        tile.chunk_lengths = vec![30, 20, 11];
        let chunks: Vec<_> = tile.detail_chunks().collect();
        assert_eq!(
            chunks,
            vec![(0, 30, 100..104), (30, 20, 104..108), (50, 11, 108..110)]
        );
        for index in 100..110 {
            let found = tile.detail_chunk_of(index).unwrap();
            assert!(chunks.contains(&found), "track {index}");
            assert!(found.2.contains(&(index as u32)));
        }
        assert_eq!(tile.detail_chunk_of(110), None);
    }

    fn row() -> impl Strategy<Value = Row> {
        (
            prop_oneof![(0u16..=1000).prop_map(|m| m as f64 / 1000.0), 0.0..=1.0f64],
            (0u16..=1000).prop_map(|m| m as f64 / 1000.0),
            0u8..6,
            proptest::option::of(0.0..=1.0f64),
            proptest::option::of((1u16..=400).prop_map(f64::from)),
        )
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(96))]
        /// Any run of any catalog comes back from its bytes exactly (f64 bits included).
        #[test]
        fn a_tile_reads_back_exactly(
            rows in prop::collection::vec(row(), 1..80),
            cut in (0usize..80, 0usize..80),
        ) {
            let catalog = catalog_of(&rows);
            let (a, b) = (cut.0 % (catalog.len() + 1), cut.1 % (catalog.len() + 1));
            let tracks = a.min(b)..a.max(b);
            let tile = catalog.mood_tile(tracks.clone());
            let read = MoodTile::from_bytes(&tile.to_bytes(), &catalog.tile_shape(tracks)).unwrap();
            prop_assert_eq!(read.to_bytes(), tile.to_bytes());
            for (got, want) in read.moods.iter().zip(&tile.moods) {
                prop_assert_eq!(got.valence.to_bits(), want.valence.to_bits());
                prop_assert_eq!(got.energy.to_bits(), want.energy.to_bits());
            }
        }

        /// Damaged bytes (cut short, a byte changed) give an error or a valid tile, never
        /// a panic.
        #[test]
        fn damaged_tiles_never_panic(
            rows in prop::collection::vec(row(), 1..40),
            at in any::<prop::sample::Index>(),
            byte in any::<u8>(),
            keep in any::<prop::sample::Index>(),
        ) {
            let catalog = catalog_of(&rows);
            let shape = catalog.tile_shape(0..catalog.len());
            let mut bytes = catalog.mood_tile(0..catalog.len()).to_bytes();
            let i = at.index(bytes.len());
            bytes[i] = byte;
            let _ = MoodTile::from_bytes(&bytes, &shape);
            bytes.truncate(keep.index(bytes.len()));
            prop_assert!(MoodTile::from_bytes(&bytes, &shape).is_err());
        }
    }

    #[test]
    fn a_tile_that_is_not_the_one_announced_says_so() {
        let catalog = catalog_of(&[(0.1, 0.2, 0, None, None), (0.3, 0.4, 1, None, None)]);
        let bytes = catalog.mood_tile(1..2).to_bytes();
        let error = MoodTile::from_bytes(&bytes, &catalog.tile_shape(0..1)).unwrap_err();
        assert_eq!(
            error.to_string(),
            "the packed catalog is damaged (a tile's first track is 1, but the catalog's directory says 0)"
        );
        let mut shape = catalog.tile_shape(1..2);
        shape.artists = 1;
        let error = MoodTile::from_bytes(&bytes, &shape).unwrap_err();
        assert_eq!(
            error.to_string(),
            "track 1 points at artist 1, but the catalog lists only 1"
        );
    }

    #[test]
    fn a_bad_value_is_named_by_its_track_in_the_catalog() {
        let catalog = catalog_of(&[
            (0.1, 0.2, 0, Some(0.5), None),
            (0.3, 0.4, 1, Some(0.25), None),
        ]);
        let mut bytes = catalog.mood_tile(1..2).to_bytes();
        // The danceability column comes last before the chunk sizes (three u32): its kind
        // byte, then 0.25 as the u16 250. 2000 would be 2.0, out of range.
        let end = bytes.len() - 12;
        bytes[end - 2..end].copy_from_slice(&2000u16.to_le_bytes());
        let error = MoodTile::from_bytes(&bytes, &catalog.tile_shape(1..2)).unwrap_err();
        assert!(
            error
                .to_string()
                .starts_with("track 1 (id kept apart from mood tiles) has danceability 2"),
            "{error}"
        );
    }
}
