//! Id shards (issue 14): a tiled catalog's id lookup, split into runs of the id order so
//! that a pasted id costs one small request, found or not. An id's place is its first six
//! characters read as a base-62 number in ASCII order (digits, capitals, small letters);
//! its shard is where that place falls in the catalog's own span of places (its first
//! id's to its last id's, [`IdSpan`]) cut into equal parts, so each shard is a run of the
//! catalog's id order and any count can be chosen: a builder keeps shards near a few
//! hundred ids at any catalog size. The span matters: a Spotify id is a 128-bit number
//! in base 62, so real ids all begin with 0 to 7 and fill an eighth of the places a
//! 22-character id could have (cut over every place, the 32k catalog's shards held
//! eight times the ids meant and came in 52 KB slots).
//!
//! Layout: `MOODIDSH`, u32 version, u32 shard number, u32 shard count, u32 count,
//! count × 22 id bytes (ascending), count × u32 track index, count × u32 genre, then a
//! valence and an energy column, the extras mask and each extra feature's column (the
//! packed catalog's encoding, so the very values its tiles hold). The moods let a paste
//! place its point from the shard alone: its tile comes with the point's first wave, not
//! in a round trip of its own; the genres and extra features let a person's library
//! tracks found here be filtered, weighted and re-ranked as the catalog's are, with no
//! tile read for them. Reading checks that every id is well formed, belongs to this
//! shard, comes after the one before, and points at a track the catalog has, that every
//! genre is one of the catalog's, and every mood and extra value one a track may have.
//!
//! In the archive each shard lies, gzip-compressed, in a slot of the same size
//! ([`in_slot`]): its length (u32), the gzip, zeros. So a page finds any shard from the
//! shard count and the slot size alone, with no list of lengths to download.

use serde::{Deserialize, Serialize};

use super::packed::{check_id_bytes, damaged, ExtraColumns, Reader, Writer};
use super::validate::check_indices;
use super::{Catalog, CatalogError, ExtraFeatures, PackedDamage};
use crate::mood::Mood;
use crate::track_id::{TrackId, TRACK_ID_LEN};

const MAGIC: &[u8; 8] = b"MOODIDSH";
const VERSION: u32 = 5;
/// Letters an id is made of.
const BASE: u64 = 62;
/// Characters of an id that give its place.
const PLACE_CHARS: u32 = 6;
/// Places an id can have.
pub const PLACES: u64 = BASE.pow(PLACE_CHARS);
/// The most shards a catalog may have.
pub const MAX_SHARDS: u32 = BASE.pow(4) as u32;

/// The places a catalog's ids span, first to last (both included): its shards cut this
/// span, not every place an id could have.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct IdSpan {
    pub first: u64,
    pub last: u64,
}

impl IdSpan {
    /// Every place (a catalog with no ids).
    pub const ALL: IdSpan = IdSpan {
        first: 0,
        last: PLACES - 1,
    };

    /// The span from a catalog's first id to its last, in id order.
    pub fn between(first_id: &[u8], last_id: &[u8]) -> IdSpan {
        IdSpan {
            first: place_of(first_id),
            last: place_of(last_id),
        }
    }

    /// Whether it is a span of places at all.
    pub fn is_valid(self) -> bool {
        self.first <= self.last && self.last < PLACES
    }
}

/// The ids of one shard, ascending, with their track indices, genres, moods and extra
/// features.
#[derive(Debug, Clone, PartialEq)]
pub struct IdShard {
    number: u32,
    shards: u32,
    ids: Vec<u8>,
    tracks: Vec<u32>,
    genres: Vec<u32>,
    moods: Vec<Mood>,
    extras: ExtraColumns,
}

/// What a shard says of one of its ids.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ShardEntry {
    /// The track's index in the catalog.
    pub index: usize,
    pub mood: Mood,
    /// Its genre, in the catalog's genre table.
    pub genre: usize,
    pub extras: ExtraFeatures,
}

/// A character's place among the 62 an id may use, in ASCII order.
fn digit(byte: u8) -> u64 {
    match byte {
        b'0'..=b'9' => u64::from(byte - b'0'),
        b'A'..=b'Z' => u64::from(byte - b'A') + 10,
        _ => u64::from(byte.wrapping_sub(b'a')).min(25) + 36,
    }
}

/// An id's place: its first six characters as a base-62 number (an id is 22 characters,
/// so a shorter one only in tests).
pub fn place_of(id: &[u8]) -> u64 {
    (0..PLACE_CHARS as usize).fold(0, |n, i| n * BASE + id.get(i).map_or(0, |&b| digit(b)))
}

/// The shard of an id among `shards` cutting `span` (an id outside the span goes to the
/// nearer end's shard, which does not hold it).
pub fn shard_of(id: &[u8], shards: u32, span: IdSpan) -> usize {
    let width = u128::from(span.last.saturating_sub(span.first)) + 1;
    let offset = place_of(id).clamp(span.first, span.last.max(span.first)) - span.first;
    (u128::from(offset) * u128::from(shards.clamp(1, MAX_SHARDS)) / width) as usize
}

/// The shard count that keeps shards near `per_shard` ids for `tracks` tracks.
pub fn shards_for(tracks: usize, per_shard: usize) -> u32 {
    let wanted = tracks.div_ceil(per_shard.max(1)).max(1);
    u32::try_from(wanted).unwrap_or(MAX_SHARDS).min(MAX_SHARDS)
}

/// A shard's gzip bytes in a slot of `slot` bytes: the length (u32 little-endian), the
/// bytes, zeros to the end.
pub fn in_slot(gzip: &[u8], slot: usize) -> Vec<u8> {
    let mut out = Vec::with_capacity(slot);
    out.extend_from_slice(&(gzip.len() as u32).to_le_bytes());
    out.extend_from_slice(gzip);
    out.resize(slot.max(out.len()), 0);
    out
}

/// The gzip bytes a slot holds (empty for an empty shard).
pub fn from_slot(slot: &[u8]) -> Result<&[u8], CatalogError> {
    let truncated = || {
        damaged(PackedDamage::Truncated {
            section: "id shard slot",
        })
    };
    let length = slot.get(..4).ok_or_else(truncated)?;
    let length = u32::from_le_bytes([length[0], length[1], length[2], length[3]]) as usize;
    slot.get(4..4usize.saturating_add(length))
        .ok_or_else(truncated)
}

impl Catalog {
    /// The places this catalog's ids span, which its shards cut.
    pub fn id_span(&self) -> IdSpan {
        let id = |track: u32| {
            let at = track as usize * TRACK_ID_LEN;
            &self.ids[at..at + TRACK_ID_LEN]
        };
        match (self.id_order.first(), self.id_order.last()) {
            (Some(&first), Some(&last)) => IdSpan::between(id(first), id(last)),
            _ => IdSpan::ALL,
        }
    }

    /// Every id shard of this catalog split `count` ways, in shard order (empty shards
    /// included).
    pub fn id_shards(&self, count: u32) -> Vec<IdShard> {
        self.id_shards_one_by_one(count).collect()
    }

    /// The same shards made one at a time (each is a run of the id order), so that a
    /// builder can pack each and let it go instead of holding every id twice.
    pub fn id_shards_one_by_one(&self, count: u32) -> impl Iterator<Item = IdShard> + '_ {
        let count = count.clamp(1, MAX_SHARDS);
        let span = self.id_span();
        let mut at = 0;
        (0..count).map(move |number| {
            let mut shard = IdShard {
                number,
                shards: count,
                ids: Vec::new(),
                tracks: Vec::new(),
                genres: Vec::new(),
                moods: Vec::new(),
                extras: std::array::from_fn(|c| self.extras[c].as_ref().map(|_| Vec::new())),
            };
            while let Some(&track) = self.id_order.get(at) {
                let id =
                    &self.ids[track as usize * TRACK_ID_LEN..(track as usize + 1) * TRACK_ID_LEN];
                if shard_of(id, count, span) != number as usize {
                    break;
                }
                shard.ids.extend_from_slice(id);
                shard.tracks.push(track);
                shard.genres.push(self.genre_of[track as usize]);
                shard.moods.push(self.moods[track as usize]);
                for (column, all) in shard.extras.iter_mut().zip(&self.extras) {
                    if let (Some(column), Some(all)) = (column, all) {
                        column.push(all[track as usize]);
                    }
                }
                at += 1;
            }
            shard
        })
    }
}

impl IdShard {
    pub fn len(&self) -> usize {
        self.tracks.len()
    }

    pub fn is_empty(&self) -> bool {
        self.tracks.is_empty()
    }

    /// The catalog index of `id` and its mood, if the catalog has it (and it belongs to
    /// this shard).
    pub fn find(&self, id: &TrackId) -> Option<(usize, Mood)> {
        self.entry(id).map(|e| (e.index, e.mood))
    }

    /// All the shard says of `id`, if the catalog has it (and it belongs to this shard).
    pub fn entry(&self, id: &TrackId) -> Option<ShardEntry> {
        let key = id.as_str().as_bytes();
        let at = |i: usize| &self.ids[i * TRACK_ID_LEN..(i + 1) * TRACK_ID_LEN];
        let mut range = 0..self.len();
        while !range.is_empty() {
            let middle = range.start + range.len() / 2;
            match at(middle).cmp(key) {
                std::cmp::Ordering::Less => range.start = middle + 1,
                std::cmp::Ordering::Greater => range.end = middle,
                std::cmp::Ordering::Equal => return Some(self.entry_at(middle)),
            }
        }
        None
    }

    fn entry_at(&self, row: usize) -> ShardEntry {
        ShardEntry {
            index: self.tracks[row] as usize,
            mood: self.moods[row],
            genre: self.genres[row] as usize,
            extras: ExtraFeatures::at_row(&self.extras, row),
        }
    }

    pub fn to_bytes(&self) -> Vec<u8> {
        let mut w = Writer(Vec::with_capacity(self.len() * (TRACK_ID_LEN + 20) + 30));
        w.header(MAGIC, VERSION);
        w.u32(self.number);
        w.u32(self.shards);
        w.u32(self.len() as u32);
        w.0.extend_from_slice(&self.ids);
        w.u32s(&self.tracks);
        w.u32s(&self.genres);
        w.moods_and_extras(&self.moods, &self.extras);
        w.0
    }

    /// Reads and validates shard `number` of `shards` cutting `span`, of a catalog of
    /// `tracks` tracks and `genres` genres.
    pub fn from_bytes(
        bytes: &[u8],
        number: u32,
        shards: u32,
        span: IdSpan,
        tracks: usize,
        genres: usize,
    ) -> Result<IdShard, CatalogError> {
        let mut r = Reader {
            source: bytes,
            at: 0,
        };
        r.header(MAGIC, VERSION, "a Moodplane id shard")?;
        for (what, expected) in [("shard number", number), ("shard count", shards)] {
            let found = r.u32("shard header")?;
            if found != expected {
                return Err(damaged(PackedDamage::TileMismatch {
                    what,
                    expected: expected.into(),
                    found: found.into(),
                }));
            }
        }
        let n = r.u32("shard header")? as usize;
        let ids = r.take(n.saturating_mul(TRACK_ID_LEN), "ids")?;
        check_id_bytes(&ids)?;
        let indices = r.u32s(n, "track indices")?;
        let genre_of = check_indices("genre", r.u32s(n, "genres")?, genres)?;
        let id_text = |row: usize| {
            String::from_utf8_lossy(&ids[row * TRACK_ID_LEN..(row + 1) * TRACK_ID_LEN]).into_owned()
        };
        let (moods, extras) = r.moods_and_extras(n, |row| indices[row] as usize, id_text)?;
        r.at_end()?;
        let id = |i: usize| &ids[i * TRACK_ID_LEN..(i + 1) * TRACK_ID_LEN];
        for i in 0..n {
            if shard_of(id(i), shards, span) != number as usize {
                return Err(damaged(PackedDamage::IdOutsideShard { position: i }));
            }
            if i > 0 && id(i - 1) >= id(i) {
                return Err(damaged(PackedDamage::IdOrderNotSorted { position: i }));
            }
        }
        if let Some((position, &track)) = indices
            .iter()
            .enumerate()
            .find(|(_, &t)| t as usize >= tracks)
        {
            return Err(damaged(PackedDamage::IdOrderOutOfRange { position, track }));
        }
        Ok(IdShard {
            number,
            shards,
            ids,
            tracks: indices,
            genres: genre_of,
            moods,
            extras,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::{ExtraFeatures, TrackRecord};
    use crate::mood::Mood;
    use proptest::prelude::*;

    const LETTERS: &str = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

    /// A catalog of `ids`, each with a mood of its own (thousandths, and one that is not),
    /// one of three genres, a danceability on every other track and a tempo on all but the
    /// first (so a catalog of one has no extra features).
    fn catalog_of(ids: &[String]) -> Catalog {
        let records = ids
            .iter()
            .enumerate()
            .map(|(i, id)| TrackRecord {
                id: TrackId::parse(id).unwrap(),
                name: String::new(),
                artist: String::new(),
                genre: format!("g{}", i % 3),
                mood: Mood::new((i % 1000) as f64 / 1000.0, 1.0 / (i as f64 + 1.5)).unwrap(),
                extras: ExtraFeatures {
                    danceability: (i % 2 == 1).then_some((i % 10) as f64 / 10.0),
                    tempo: (i > 0).then_some(100.0 + i as f64),
                    ..ExtraFeatures::default()
                },
            })
            .collect();
        Catalog::from_records("test", records).0
    }

    #[test]
    fn shards_are_runs_of_the_id_order_of_any_count() {
        let digits: Vec<u64> = LETTERS.bytes().map(digit).collect();
        assert_eq!(digits, (0..62).collect::<Vec<_>>());
        let all = IdSpan::ALL;
        assert_eq!(shard_of(b"zzzzzz", 3844, all), 3843);
        assert_eq!(shard_of(b"000000", 3844, all), 0);
        assert_eq!(shard_of(b"100000", 62, all), 1);
        assert_eq!(shard_of(b"zzzzzz", 1, all), 0);
        assert_eq!(
            shard_of(b"zzzzzz", MAX_SHARDS, all),
            MAX_SHARDS as usize - 1
        );
        // Cut over a span, the span's ends are the first and last shards, and an id
        // outside it goes to the nearer end.
        let span = IdSpan::between(b"100000", b"7n42DG");
        assert!(span.is_valid());
        assert_eq!(shard_of(b"100000", 8, span), 0);
        assert_eq!(shard_of(b"7n42DG", 8, span), 7);
        assert_eq!(shard_of(b"000000", 8, span), 0);
        assert_eq!(shard_of(b"zzzzzz", 8, span), 7);
        assert_eq!(shard_of(b"zzzzzz", 8, IdSpan::between(b"5", b"5")), 0);
        assert!(!IdSpan { first: 2, last: 1 }.is_valid());
        assert!(!IdSpan {
            first: 0,
            last: PLACES
        }
        .is_valid());
        assert_eq!(shards_for(11_000, 1024), 11);
        assert_eq!(shards_for(500, 1024), 1);
        assert_eq!(shards_for(10_000_000, 256), 39_063);
    }

    /// `n` ids as Spotify makes them: 128-bit numbers in base 62 (digits, small letters,
    /// capitals), 22 characters, so every one begins with 0 to 7.
    fn spotify_like_ids(n: usize) -> Vec<String> {
        const SPOTIFY_DIGITS: &[u8] =
            b"0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";
        let mut state = 0x9e37_79b9_7f4a_7c15_u64;
        let mut next = || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state
        };
        (0..n)
            .map(|_| {
                let mut value = (u128::from(next()) << 64) | u128::from(next());
                let mut id = [b'0'; 22];
                for slot in id.iter_mut().rev() {
                    *slot = SPOTIFY_DIGITS[(value % 62) as usize];
                    value /= 62;
                }
                String::from_utf8(id.to_vec()).unwrap()
            })
            .collect()
    }

    #[test]
    fn real_ids_fill_their_shards_evenly() {
        // A bug once cut every place an id could have, of which Spotify's ids fill an
        // eighth: the 32k catalog's shards held eight times the ids meant.
        let ids = spotify_like_ids(20_000);
        assert!(ids
            .iter()
            .all(|id| (b'0'..=b'7').contains(&id.as_bytes()[0])));
        let catalog = catalog_of(&ids);
        let count = shards_for(ids.len(), 256);
        let shards = catalog.id_shards(count);
        let largest = shards.iter().map(IdShard::len).max().unwrap();
        let empty = shards.iter().filter(|s| s.is_empty()).count();
        assert!(
            largest <= 2 * 256,
            "the largest of {count} shards holds {largest} ids"
        );
        assert!(
            empty <= count as usize / 10,
            "{empty} of {count} shards are empty"
        );
    }

    #[test]
    fn a_slot_gives_back_its_bytes_and_a_short_one_is_named() {
        let slot = in_slot(b"gzip", 16);
        assert_eq!(slot.len(), 16);
        assert_eq!(from_slot(&slot).unwrap(), b"gzip");
        assert_eq!(from_slot(&in_slot(b"", 8)).unwrap(), b"");
        assert_eq!(
            from_slot(&slot[..6]).unwrap_err().to_string(),
            "the packed catalog is damaged (it ends inside the id shard slot)"
        );
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(48))]
        /// Every id is found in its own shard after the bytes round trip, with its very
        /// mood, and an id the catalog lacks is found in none.
        #[test]
        fn each_id_is_found_in_its_shard_only(
            ids in prop::collection::hash_set("[0-9A-Za-z]{22}", 1..80),
            absent in "[0-9A-Za-z]{22}",
            count in 1u32..5000,
        ) {
            let ids: Vec<String> = ids.into_iter().collect();
            let catalog = catalog_of(&ids);
            let span = catalog.id_span();
            let shards: Vec<IdShard> = catalog
                .id_shards(count)
                .iter()
                .enumerate()
                .map(|(n, s)| IdShard::from_bytes(&s.to_bytes(), n as u32, count, span, catalog.len(), catalog.genres().len()).unwrap())
                .collect();
            prop_assert_eq!(shards.iter().map(IdShard::len).sum::<usize>(), catalog.len());
            for (i, id) in ids.iter().enumerate() {
                let shard = &shards[shard_of(id.as_bytes(), count, span)];
                prop_assert_eq!(shard.find(&TrackId::parse(id).unwrap()), Some((i, catalog.moods()[i])));
                // With its genre and extra features, as the catalog has them.
                prop_assert_eq!(
                    shard.entry(&TrackId::parse(id).unwrap()),
                    Some(ShardEntry {
                        index: i,
                        mood: catalog.moods()[i],
                        genre: catalog.genre_index(i),
                        extras: catalog.extras(i),
                    })
                );
            }
            if !ids.contains(&absent) {
                let shard = &shards[shard_of(absent.as_bytes(), count, span)];
                prop_assert_eq!(shard.find(&TrackId::parse(&absent).unwrap()), None);
            }
        }

        #[test]
        fn damaged_shards_never_panic(
            ids in prop::collection::hash_set("[0-9A-Za-z]{22}", 1..30),
            at in any::<prop::sample::Index>(),
            byte in any::<u8>(),
            keep in any::<prop::sample::Index>(),
        ) {
            let ids: Vec<String> = ids.into_iter().collect();
            let catalog = catalog_of(&ids);
            let mut bytes = catalog.id_shards(1)[0].to_bytes();
            let i = at.index(bytes.len());
            bytes[i] = byte;
            let span = catalog.id_span();
            let _ = IdShard::from_bytes(&bytes, 0, 1, span, catalog.len(), catalog.genres().len());
            bytes.truncate(keep.index(bytes.len()));
            prop_assert!(IdShard::from_bytes(&bytes, 0, 1, span, catalog.len(), catalog.genres().len()).is_err());
        }
    }

    #[test]
    fn an_id_in_the_wrong_shard_is_named() {
        let catalog = catalog_of(&["0000000000000000000000".to_owned()]);
        let bytes = catalog.id_shards(62)[0].to_bytes();
        let mut moved = bytes.clone();
        moved[24] = b'A';
        assert_eq!(
            IdShard::from_bytes(&moved, 0, 62, IdSpan::ALL, 1, 1)
                .unwrap_err()
                .to_string(),
            "the packed catalog is damaged (id 0 of an id shard does not belong to it)"
        );
        assert_eq!(
            IdShard::from_bytes(&bytes, 0, 62, IdSpan::ALL, 0, 1)
                .unwrap_err()
                .to_string(),
            "the packed catalog is damaged (entry 0 of the id order is track 0, which does not exist)"
        );
    }

    #[test]
    fn a_genre_outside_the_catalogs_table_is_refused() {
        let ids: Vec<String> = [
            "0000000000000000000000",
            "1000000000000000000000",
            "2000000000000000000000",
        ]
        .map(String::from)
        .to_vec();
        let catalog = catalog_of(&ids);
        let bytes = catalog.id_shards(1)[0].to_bytes();
        let span = catalog.id_span();
        assert!(IdShard::from_bytes(&bytes, 0, 1, span, 3, 3).is_ok());
        let error = IdShard::from_bytes(&bytes, 0, 1, span, 3, 2).unwrap_err();
        assert!(
            matches!(
                error,
                CatalogError::BadStringIndex {
                    column: "genre",
                    ..
                }
            ),
            "{error}"
        );
    }

    #[test]
    fn a_mood_outside_the_plane_is_named_with_its_track() {
        let catalog = catalog_of(&["0000000000000000000000".to_owned()]);
        let mut bytes = catalog.id_shards(1)[0].to_bytes();
        // The energy column comes last but for the extras mask (none): its kind byte,
        // then one f64 (1 / 1.5 is not a thousandth).
        let at = bytes.len() - 9;
        bytes[at..at + 8].copy_from_slice(&1.5f64.to_le_bytes());
        let error = IdShard::from_bytes(&bytes, 0, 1, catalog.id_span(), 1, 1).unwrap_err();
        assert!(
            matches!(error, CatalogError::BadMood { row: 0, .. }),
            "{error}"
        );
    }
}
