//! Detail chunks (issue 14): what a tiled catalog shows of a run of its tracks — ids,
//! names and artist names — fetched only for the tracks on screen, apart from the mood
//! tiles that ranking reads. Artist names are stored once per chunk.
//!
//! Layout: `MOODDETL`, u32 version, u32 first track, u32 count, count × 22 id bytes,
//! str names, (count + 1) × u32 name starts, u32 + strs artist names, count × u32 artist
//! (into the chunk's own artist names). Reading checks each section as the packed
//! catalog does and that the chunk is the run the directory announced.

use std::ops::Range;

use super::packed::{check_id_bytes, check_name_offsets, damaged, Reader, Writer};
use super::strings::StringTable;
use super::validate::check_indices;
use super::{Catalog, CatalogError, PackedDamage};
use crate::track_id::{TrackId, TRACK_ID_LEN};

const MAGIC: &[u8; 8] = b"MOODDETL";
const VERSION: u32 = 1;

/// Ids, names and artists of the tracks `first .. first + len` of a catalog.
#[derive(Debug, Clone, PartialEq)]
pub struct DetailChunk {
    first: u32,
    ids: Vec<u8>,
    names: String,
    name_start: Vec<u32>,
    artists: Vec<String>,
    artist_of: Vec<u32>,
}

/// One track's details.
#[derive(Debug, Clone, PartialEq)]
pub struct TrackDetails<'a> {
    pub index: usize,
    pub id: TrackId,
    pub name: &'a str,
    pub artist: &'a str,
}

impl Catalog {
    /// The detail chunk of `tracks` (a range of this catalog's indices).
    pub fn detail_chunk(&self, tracks: Range<usize>) -> DetailChunk {
        let mut artists = StringTable::default();
        let artist_of = tracks
            .clone()
            .map(|i| artists.intern(&self.artists[self.artist_of[i] as usize]))
            .collect();
        let (from, to) = (
            self.name_start[tracks.start] as usize,
            self.name_start[tracks.end] as usize,
        );
        let base = from as u32;
        DetailChunk {
            first: tracks.start as u32,
            ids: self.ids[tracks.start * TRACK_ID_LEN..tracks.end * TRACK_ID_LEN].to_vec(),
            names: self.names[from..to].to_owned(),
            name_start: self.name_start[tracks.start..=tracks.end]
                .iter()
                .map(|s| s - base)
                .collect(),
            artists: artists.into_items(),
            artist_of,
        }
    }
}

impl DetailChunk {
    pub fn first(&self) -> usize {
        self.first as usize
    }

    pub fn len(&self) -> usize {
        self.artist_of.len()
    }

    pub fn is_empty(&self) -> bool {
        self.artist_of.is_empty()
    }

    /// Whether track `index` of the catalog is in this chunk.
    pub fn holds(&self, index: usize) -> bool {
        (self.first()..self.first() + self.len()).contains(&index)
    }

    /// The details of track `index` of the catalog, if this chunk holds it.
    pub fn track(&self, index: usize) -> Option<TrackDetails<'_>> {
        if !self.holds(index) {
            return None;
        }
        let row = index - self.first();
        let id = std::str::from_utf8(&self.ids[row * TRACK_ID_LEN..(row + 1) * TRACK_ID_LEN])
            .ok()
            .and_then(|s| TrackId::parse(s).ok())?;
        let name = &self.names[self.name_start[row] as usize..self.name_start[row + 1] as usize];
        Some(TrackDetails {
            index,
            id,
            name,
            artist: &self.artists[self.artist_of[row] as usize],
        })
    }

    pub fn to_bytes(&self) -> Vec<u8> {
        let mut w = Writer(Vec::with_capacity(
            self.ids.len() + self.names.len() * 2 + 64,
        ));
        w.header(MAGIC, VERSION);
        w.u32(self.first);
        w.u32(self.len() as u32);
        w.0.extend_from_slice(&self.ids);
        w.str(&self.names);
        w.u32s(&self.name_start);
        w.u32(self.artists.len() as u32);
        self.artists.iter().for_each(|a| w.str(a));
        w.u32s(&self.artist_of);
        w.0
    }

    /// Reads and validates the chunk that the directory says holds `tracks`.
    pub fn from_bytes(bytes: &[u8], tracks: Range<u32>) -> Result<DetailChunk, CatalogError> {
        let mut r = Reader {
            source: bytes,
            at: 0,
        };
        r.header(MAGIC, VERSION, "a Moodplane detail chunk")?;
        let first = r.u32("chunk header")?;
        let count = r.u32("chunk header")?;
        for (what, expected, found) in [
            ("first track", tracks.start, first),
            (
                "track count",
                tracks.end.saturating_sub(tracks.start),
                count,
            ),
        ] {
            if expected != found {
                return Err(damaged(PackedDamage::TileMismatch {
                    what,
                    expected: expected.into(),
                    found: found.into(),
                }));
            }
        }
        let n = count as usize;
        let ids = r.take(n.saturating_mul(TRACK_ID_LEN), "ids")?;
        check_id_bytes(&ids)?;
        let names = r.str("names")?;
        let name_start = r.u32s(n.saturating_add(1), "name offsets")?;
        check_name_offsets(&names, &name_start)?;
        let artists = r.strs("artist table")?;
        let artist_of = check_indices("artist", r.u32s(n, "artists")?, artists.len())?;
        r.at_end()?;
        Ok(DetailChunk {
            first,
            ids,
            names,
            name_start,
            artists,
            artist_of,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::{ExtraFeatures, TrackRecord};
    use crate::mood::Mood;
    use proptest::prelude::*;

    fn catalog_of(rows: &[(String, u8)]) -> Catalog {
        let records = rows
            .iter()
            .enumerate()
            .map(|(i, (name, artist))| TrackRecord {
                id: TrackId::parse(&format!("{i:0>22}")).unwrap(),
                name: name.clone(),
                artist: format!("Artist “{artist}”"),
                genre: "pop".to_owned(),
                mood: Mood::CENTRE,
                extras: ExtraFeatures::default(),
            })
            .collect();
        Catalog::from_records("test", records).0
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(64))]
        /// Any run of any catalog reads back with every track's id, name and artist.
        #[test]
        fn a_chunk_reads_back_every_track(
            rows in prop::collection::vec(("\\PC{0,12}", 0u8..5), 1..60),
            cut in (0usize..60, 0usize..60),
        ) {
            let catalog = catalog_of(&rows);
            let (a, b) = (cut.0 % (catalog.len() + 1), cut.1 % (catalog.len() + 1));
            let tracks = a.min(b)..a.max(b);
            let chunk = catalog.detail_chunk(tracks.clone());
            let span = tracks.start as u32..tracks.end as u32;
            let read = DetailChunk::from_bytes(&chunk.to_bytes(), span).unwrap();
            prop_assert_eq!(&read, &chunk);
            for i in tracks.clone() {
                let t = read.track(i).unwrap();
                let whole = catalog.track(i);
                prop_assert_eq!((t.id, t.name, t.artist), (whole.id, whole.name, whole.artist));
            }
            prop_assert!(read.track(tracks.end).is_none());
        }

        /// Damaged bytes give an error or a chunk, never a panic; cut short, an error.
        #[test]
        fn damaged_chunks_never_panic(
            rows in prop::collection::vec(("\\PC{0,12}", 0u8..5), 1..30),
            at in any::<prop::sample::Index>(),
            byte in any::<u8>(),
            keep in any::<prop::sample::Index>(),
        ) {
            let catalog = catalog_of(&rows);
            let span = 0..catalog.len() as u32;
            let mut bytes = catalog.detail_chunk(0..catalog.len()).to_bytes();
            let i = at.index(bytes.len());
            bytes[i] = byte;
            if let Ok(chunk) = DetailChunk::from_bytes(&bytes, span.clone()) {
                for t in 0..catalog.len() {
                    let _ = chunk.track(t);
                }
            }
            bytes.truncate(keep.index(bytes.len()));
            prop_assert!(DetailChunk::from_bytes(&bytes, span).is_err());
        }
    }
}
