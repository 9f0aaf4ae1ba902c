//! What the id shards said of a person's library tracks in one tiled catalog, in a byte
//! form the page keeps in this browser (IndexedDB), so a return visit asks no shard
//! again: each found track's id, place in the tiled numbering, mood, genre and extra
//! features, and the ids the catalog lacks. Read back checked: a damaged or foreign record is refused, never
//! trusted (the page then asks the shards as on a first visit).

use std::fmt;

use crate::catalog::id_shard::ShardEntry;
use crate::catalog::ExtraFeatures;
use crate::mood::Mood;
use crate::track_id::{TrackId, TRACK_ID_LEN};

const MAGIC: &[u8; 4] = b"MPLP";
/// 2: with each track's genre and extra features (1 had its mood only).
const VERSION: u8 = 2;
/// An id, its place (u32), its mood (two f64), its genre (u32) and its four extra
/// features (f64, NaN where it has none).
const FOUND_LEN: usize = TRACK_ID_LEN + 4 + 16 + 4 + 32;

/// A library track the catalog holds: what its id shard says of it.
#[derive(Debug, Clone, PartialEq)]
pub struct FoundPlace {
    pub id: TrackId,
    pub entry: ShardEntry,
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
            let e = &place.entry;
            out.extend_from_slice(place.id.as_str().as_bytes());
            out.extend_from_slice(&(e.index as u32).to_le_bytes());
            out.extend_from_slice(&e.mood.valence.to_le_bytes());
            out.extend_from_slice(&e.mood.energy.to_le_bytes());
            out.extend_from_slice(&(e.genre as u32).to_le_bytes());
            let x = &e.extras;
            for value in [x.danceability, x.acousticness, x.tempo, x.popularity] {
                out.extend_from_slice(&value.unwrap_or(f64::NAN).to_le_bytes());
            }
        }
        for id in &self.absent {
            out.extend_from_slice(id.as_str().as_bytes());
        }
        out
    }

    /// Reads places kept for a catalog of `tracks` tracks and `genres` genres.
    pub fn from_bytes(
        bytes: &[u8],
        tracks: u32,
        genres: usize,
    ) -> Result<FoundPlaces, PlacesError> {
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
            let genre = count(at + TRACK_ID_LEN + 20);
            if genre >= genres {
                return Err(PlacesError::BadEntry {
                    entry,
                    why: format!("genre {genre} is not one of the catalog's {genres}"),
                });
            }
            let extra = |k: usize| {
                let x = f64_at(at + TRACK_ID_LEN + 24 + 8 * k);
                match x {
                    x if x.is_nan() => Ok(None),
                    x if x.is_finite() && x >= 0.0 => Ok(Some(x)),
                    x => Err(PlacesError::BadEntry {
                        entry,
                        why: format!("{x} is not a feature's value"),
                    }),
                }
            };
            let extras = ExtraFeatures {
                danceability: extra(0)?,
                acousticness: extra(1)?,
                tempo: extra(2)?,
                popularity: extra(3)?,
            };
            let entry = ShardEntry {
                index: index as usize,
                mood,
                genre,
                extras,
            };
            places.found.push(FoundPlace { id, entry });
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
                    entry: ShardEntry {
                        index: index as usize,
                        mood: Mood::new(v, e).unwrap(),
                        genre: (n % 3) as usize,
                        extras: ExtraFeatures {
                            danceability: (n % 2 == 0).then_some(v),
                            tempo: Some(90.0 + e),
                            ..ExtraFeatures::default()
                        },
                    },
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
            prop_assert_eq!(FoundPlaces::from_bytes(&kept.to_bytes(), 1000, 3), Ok(kept));
        }

        #[test]
        fn damaged_places_are_refused_never_a_panic(bytes in prop::collection::vec(any::<u8>(), 0..200), cut in 0usize..200) {
            let _ = FoundPlaces::from_bytes(&bytes, 1000, 3);
            let good = places(&[(1, 2, 0.5, 0.25)], &[3]).to_bytes();
            let cut = cut.min(good.len() - 1);
            prop_assert!(FoundPlaces::from_bytes(&good[..cut], 1000, 3).is_err());
        }
    }

    #[test]
    fn a_place_past_the_catalog_a_mood_off_the_plane_or_a_foreign_record_is_refused() {
        let kept = places(&[(1, 999, 0.5, 0.5)], &[]).to_bytes();
        assert!(FoundPlaces::from_bytes(&kept, 1000, 3).is_ok());
        assert!(matches!(
            FoundPlaces::from_bytes(&kept, 999, 3),
            Err(PlacesError::BadEntry { entry: 0, .. })
        ));
        let mut off_plane = kept.clone();
        let valence_at = 13 + TRACK_ID_LEN + 4;
        off_plane[valence_at..valence_at + 8].copy_from_slice(&1.5f64.to_le_bytes());
        assert!(matches!(
            FoundPlaces::from_bytes(&off_plane, 1000, 3),
            Err(PlacesError::BadEntry { .. })
        ));
        // A genre past the catalog's table, an extra feature no track may have.
        let genre_at = 13 + TRACK_ID_LEN + 20;
        assert!(matches!(
            FoundPlaces::from_bytes(&kept, 1000, 1),
            Err(PlacesError::BadEntry { entry: 0, .. })
        ));
        let mut bad_extra = kept.clone();
        bad_extra[genre_at + 4..genre_at + 12].copy_from_slice(&f64::INFINITY.to_le_bytes());
        assert!(matches!(
            FoundPlaces::from_bytes(&bad_extra, 1000, 3),
            Err(PlacesError::BadEntry { .. })
        ));
        // Kept by an older page (version 1): asked of the shards again.
        let mut older = kept.clone();
        older[4] = 1;
        assert_eq!(
            FoundPlaces::from_bytes(&older, 1000, 3),
            Err(PlacesError::NotPlaces)
        );
        let mut bad_id = kept.clone();
        bad_id[13] = b'!';
        assert!(matches!(
            FoundPlaces::from_bytes(&bad_id, 1000, 3),
            Err(PlacesError::BadEntry { .. })
        ));
        assert_eq!(
            FoundPlaces::from_bytes(b"MPLX\x01........", 1000, 3),
            Err(PlacesError::NotPlaces)
        );
        let mut longer = kept;
        longer.push(0);
        assert!(matches!(
            FoundPlaces::from_bytes(&longer, 1000, 3),
            Err(PlacesError::WrongLength { .. })
        ));
    }
}
