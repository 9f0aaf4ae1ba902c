//! What the id shards said of a person's library tracks in one tiled catalog, in a byte
//! form the page keeps in this browser (IndexedDB), so a return visit asks no shard
//! again: each found track's id, place in the tiled numbering and mood, and the ids the
//! catalog lacks. Read back checked: a damaged or foreign record is refused, never
//! trusted (the page then asks the shards as on a first visit).

use std::fmt;

use crate::mood::Mood;
use crate::track_id::{TrackId, TRACK_ID_LEN};

const MAGIC: &[u8; 4] = b"MPLP";
const VERSION: u8 = 1;
/// An id, its place (u32) and its mood (two f64).
const FOUND_LEN: usize = TRACK_ID_LEN + 4 + 16;

/// A library track the catalog holds: where, and at which mood.
#[derive(Debug, Clone, PartialEq)]
pub struct FoundPlace {
    pub id: TrackId,
    pub index: u32,
    pub mood: Mood,
}

/// The shards' answers for a library's ids in one catalog.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct FoundPlaces {
    pub found: Vec<FoundPlace>,
    /// Ids the catalog does not hold.
    pub absent: Vec<TrackId>,
}

/// Why kept places were not used.
#[derive(Debug, Clone, PartialEq)]
pub enum PlacesError {
    /// Not this format, or another version of it.
    NotPlaces,
    /// Shorter or longer than its counts say.
    WrongLength { expected: usize, found: usize },
    /// A place past the catalog's last track, a mood off the plane or an id that is not one.
    BadEntry { entry: usize, why: String },
}

impl fmt::Display for PlacesError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PlacesError::NotPlaces => {
                write!(f, "the kept library places are not in this page's format")
            }
            PlacesError::WrongLength { expected, found } => write!(
                f,
                "the kept library places should be {expected} bytes but are {found}"
            ),
            PlacesError::BadEntry { entry, why } => {
                write!(f, "kept library place {entry} cannot be used: {why}")
            }
        }
    }
}

impl FoundPlaces {
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(
            13 + self.found.len() * FOUND_LEN + self.absent.len() * TRACK_ID_LEN,
        );
        out.extend_from_slice(MAGIC);
        out.push(VERSION);
        out.extend_from_slice(&(self.found.len() as u32).to_le_bytes());
        out.extend_from_slice(&(self.absent.len() as u32).to_le_bytes());
        for place in &self.found {
            out.extend_from_slice(place.id.as_str().as_bytes());
            out.extend_from_slice(&place.index.to_le_bytes());
            out.extend_from_slice(&place.mood.valence.to_le_bytes());
            out.extend_from_slice(&place.mood.energy.to_le_bytes());
        }
        for id in &self.absent {
            out.extend_from_slice(id.as_str().as_bytes());
        }
        out
    }

    /// Reads places kept for a catalog of `tracks` tracks.
    pub fn from_bytes(bytes: &[u8], tracks: u32) -> Result<FoundPlaces, PlacesError> {
        if bytes.len() < 13 || &bytes[..4] != MAGIC || bytes[4] != VERSION {
            return Err(PlacesError::NotPlaces);
        }
        let count = |at: usize| u32::from_le_bytes(bytes[at..at + 4].try_into().unwrap()) as usize;
        let (found, absent) = (count(5), count(9));
        let expected = found
            .checked_mul(FOUND_LEN)
            .and_then(|f| absent.checked_mul(TRACK_ID_LEN)?.checked_add(f))
            .and_then(|body| body.checked_add(13))
            .ok_or(PlacesError::NotPlaces)?;
        if bytes.len() != expected {
            return Err(PlacesError::WrongLength {
                expected,
                found: bytes.len(),
            });
        }
        let id_at = |entry: usize, at: usize| {
            std::str::from_utf8(&bytes[at..at + TRACK_ID_LEN])
                .ok()
                .and_then(|text| TrackId::parse(text).ok())
                .ok_or_else(|| PlacesError::BadEntry {
                    entry,
                    why: "its id is not a Spotify track id".to_owned(),
                })
        };
        let f64_at = |at: usize| f64::from_le_bytes(bytes[at..at + 8].try_into().unwrap());
        let mut places = FoundPlaces::default();
        for entry in 0..found {
            let at = 13 + entry * FOUND_LEN;
            let id = id_at(entry, at)?;
            let index = count(at + TRACK_ID_LEN) as u32;
            if index >= tracks {
                return Err(PlacesError::BadEntry {
                    entry,
                    why: format!("place {index} is past the catalog's {tracks} tracks"),
                });
            }
            let mood = Mood::new(
                f64_at(at + TRACK_ID_LEN + 4),
                f64_at(at + TRACK_ID_LEN + 12),
            )
            .map_err(|e| PlacesError::BadEntry {
                entry,
                why: e.to_string(),
            })?;
            places.found.push(FoundPlace { id, index, mood });
        }
        let absent_from = 13 + found * FOUND_LEN;
        for entry in 0..absent {
            places
                .absent
                .push(id_at(found + entry, absent_from + entry * TRACK_ID_LEN)?);
        }
        Ok(places)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn id(n: u64) -> TrackId {
        TrackId::parse(&format!("{n:0>22}")).unwrap()
    }

    fn places(found: &[(u64, u32, f64, f64)], absent: &[u64]) -> FoundPlaces {
        FoundPlaces {
            found: found
                .iter()
                .map(|&(n, index, v, e)| FoundPlace {
                    id: id(n),
                    index,
                    mood: Mood::new(v, e).unwrap(),
                })
                .collect(),
            absent: absent.iter().map(|&n| id(n)).collect(),
        }
    }

    proptest! {
        #[test]
        fn places_come_back_exactly(
            found in prop::collection::vec((0u64..1_000_000, 0u32..1000, 0.0f64..=1.0, 0.0f64..=1.0), 0..40),
            absent in prop::collection::vec(0u64..1_000_000, 0..40),
        ) {
            let kept = places(&found, &absent);
            prop_assert_eq!(FoundPlaces::from_bytes(&kept.to_bytes(), 1000), Ok(kept));
        }

        #[test]
        fn damaged_places_are_refused_never_a_panic(bytes in prop::collection::vec(any::<u8>(), 0..200), cut in 0usize..200) {
            let _ = FoundPlaces::from_bytes(&bytes, 1000);
            let good = places(&[(1, 2, 0.5, 0.25)], &[3]).to_bytes();
            let cut = cut.min(good.len() - 1);
            prop_assert!(FoundPlaces::from_bytes(&good[..cut], 1000).is_err());
        }
    }

    #[test]
    fn a_place_past_the_catalog_a_mood_off_the_plane_or_a_foreign_record_is_refused() {
        let kept = places(&[(1, 999, 0.5, 0.5)], &[]).to_bytes();
        assert!(FoundPlaces::from_bytes(&kept, 1000).is_ok());
        assert!(matches!(
            FoundPlaces::from_bytes(&kept, 999),
            Err(PlacesError::BadEntry { entry: 0, .. })
        ));
        let mut off_plane = kept.clone();
        let valence_at = 13 + TRACK_ID_LEN + 4;
        off_plane[valence_at..valence_at + 8].copy_from_slice(&1.5f64.to_le_bytes());
        assert!(matches!(
            FoundPlaces::from_bytes(&off_plane, 1000),
            Err(PlacesError::BadEntry { .. })
        ));
        let mut bad_id = kept.clone();
        bad_id[13] = b'!';
        assert!(matches!(
            FoundPlaces::from_bytes(&bad_id, 1000),
            Err(PlacesError::BadEntry { .. })
        ));
        assert_eq!(
            FoundPlaces::from_bytes(b"MPLX\x01........", 1000),
            Err(PlacesError::NotPlaces)
        );
        let mut longer = kept;
        longer.push(0);
        assert!(matches!(
            FoundPlaces::from_bytes(&longer, 1000),
            Err(PlacesError::WrongLength { .. })
        ));
    }
}
