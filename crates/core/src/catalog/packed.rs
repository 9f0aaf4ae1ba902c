//! The packed catalog: the same data as the JSON, in a compact little-endian binary the
//! page loads fast at a million tracks. Strings are stored once (genre and artist
//! tables); numbers are quantised to 1/1000 (u16 or u32) or to whole numbers (u8)
//! whenever that is exact, else kept as f64, so decoding gives back exactly the values
//! the builder read. A gap is the kind's largest value (`f64::NAN` itself for f64); any
//! other value is checked like the JSON's. The id permutation is stored sorted, so
//! loading only checks it.
//!
//! Layout: `MOODPACK`, u32 version, u32 count, str source, u32 + strs genres,
//! u32 + strs artists, count × 22 id bytes, count × u32 id order, u32 + bytes names,
//! (count + 1) × u32 name starts, count × u32 artist, count × u32 genre, column valence,
//! column energy, u8 extras mask, then one column per extra present.
//! A str is u32 length + UTF-8; a column is a kind byte then its values.

use super::validate::{check_extra, check_indices};
use super::{Catalog, CatalogError};
use crate::mood::Mood;
use crate::track_id::{TrackId, TRACK_ID_LEN};

const MAGIC: &[u8; 8] = b"MOODPACK";
const VERSION: u32 = 1;

/// How a column of numbers is stored.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    F64 = 0,
    Milli16 = 1,
    Milli32 = 2,
    Whole8 = 3,
}

const MISSING_16: u16 = u16::MAX;
const MISSING_32: u32 = u32::MAX;
const MISSING_8: u8 = u8::MAX;
/// The gap marker of an f64 column: exactly this NaN. Any other NaN is damage.
const MISSING_F64: f64 = f64::NAN;

/// The smallest exact encoding of `values` (NaN = missing).
fn kind_for(values: &[f64]) -> Kind {
    let present = || values.iter().filter(|x| !x.is_nan());
    let exact_milli = |x: &f64| (x * 1000.0).round() / 1000.0 == *x && *x >= 0.0;
    if present().all(|x| x.fract() == 0.0 && (0.0..255.0).contains(x)) {
        Kind::Whole8
    } else if present().all(|x| exact_milli(x) && *x * 1000.0 < MISSING_16 as f64) {
        Kind::Milli16
    } else if present().all(|x| exact_milli(x) && *x * 1000.0 < MISSING_32 as f64) {
        Kind::Milli32
    } else {
        Kind::F64
    }
}

struct Writer(Vec<u8>);

impl Writer {
    fn u32(&mut self, x: u32) {
        self.0.extend_from_slice(&x.to_le_bytes());
    }
    fn str(&mut self, s: &str) {
        self.u32(s.len() as u32);
        self.0.extend_from_slice(s.as_bytes());
    }
    fn u32s(&mut self, xs: &[u32]) {
        for &x in xs {
            self.u32(x);
        }
    }
    fn column(&mut self, values: &[f64]) {
        let kind = kind_for(values);
        self.0.push(kind as u8);
        for &x in values {
            match kind {
                Kind::Whole8 => self.0.push(if x.is_nan() { MISSING_8 } else { x as u8 }),
                Kind::Milli16 => {
                    let v = if x.is_nan() {
                        MISSING_16
                    } else {
                        (x * 1000.0).round() as u16
                    };
                    self.0.extend_from_slice(&v.to_le_bytes());
                }
                Kind::Milli32 => {
                    let v = if x.is_nan() {
                        MISSING_32
                    } else {
                        (x * 1000.0).round() as u32
                    };
                    self.0.extend_from_slice(&v.to_le_bytes());
                }
                Kind::F64 => {
                    let v = if x.is_nan() { MISSING_F64 } else { x };
                    self.0.extend_from_slice(&v.to_le_bytes());
                }
            }
        }
    }
}

/// Where packed bytes are read from: a slice natively, or (in the page) a JavaScript
/// array, copied section by section straight into the catalog's own vectors so the whole
/// file is never duplicated in memory.
pub trait PackedSource {
    fn byte_len(&self) -> usize;
    /// Copies `out.len()` bytes starting at `start` into `out` (the range is in bounds).
    fn copy_to(&self, start: usize, out: &mut [u8]);
}

impl PackedSource for [u8] {
    fn byte_len(&self) -> usize {
        self.len()
    }
    fn copy_to(&self, start: usize, out: &mut [u8]) {
        out.copy_from_slice(&self[start..start + out.len()]);
    }
}

struct Reader<'a, S: PackedSource + ?Sized> {
    source: &'a S,
    at: usize,
}

fn damaged(detail: impl Into<String>) -> CatalogError {
    CatalogError::Packed {
        detail: detail.into(),
    }
}

impl<S: PackedSource + ?Sized> Reader<'_, S> {
    fn take(&mut self, n: usize, what: &str) -> Result<Vec<u8>, CatalogError> {
        let end = self
            .at
            .checked_add(n)
            .filter(|&e| e <= self.source.byte_len());
        let end = end.ok_or_else(|| damaged(format!("it ends inside the {what}")))?;
        let mut out = vec![0u8; n];
        self.source.copy_to(self.at, &mut out);
        self.at = end;
        Ok(out)
    }
    fn u32(&mut self, what: &str) -> Result<u32, CatalogError> {
        Ok(u32::from_le_bytes(
            self.take(4, what)?.try_into().expect("4 bytes"),
        ))
    }
    fn str(&mut self, what: &str) -> Result<String, CatalogError> {
        let len = self.u32(what)? as usize;
        String::from_utf8(self.take(len, what)?.to_vec())
            .map_err(|_| damaged(format!("the {what} is not UTF-8")))
    }
    fn strs(&mut self, what: &str) -> Result<Vec<String>, CatalogError> {
        let n = self.u32(what)? as usize;
        (0..n).map(|_| self.str(what)).collect()
    }
    fn u32s(&mut self, n: usize, what: &str) -> Result<Vec<u32>, CatalogError> {
        let bytes = self.take(
            n.checked_mul(4).ok_or_else(|| damaged("too many tracks"))?,
            what,
        )?;
        Ok(bytes
            .chunks_exact(4)
            .map(|c| u32::from_le_bytes(c.try_into().expect("4 bytes")))
            .collect())
    }
    /// Reads a column of `n` numbers. Gaps (the kind's missing marker) become NaN;
    /// every other value goes through `check` with its row, which may reject it.
    fn column(
        &mut self,
        n: usize,
        what: &str,
        mut check: impl FnMut(usize, f64) -> Result<f64, CatalogError>,
    ) -> Result<Vec<f64>, CatalogError> {
        let kind = self.take(1, what)?[0];
        let width = match kind {
            0 => 8,
            1 => 2,
            2 => 4,
            3 => 1,
            _ => return Err(damaged(format!("unknown encoding {kind} of the {what}"))),
        };
        let bytes = self.take(n * width, what)?;
        bytes
            .chunks_exact(width)
            .enumerate()
            .map(|(row, c)| {
                let value = match kind {
                    0 => match f64::from_le_bytes(c.try_into().expect("8 bytes")) {
                        x if x.to_bits() == MISSING_F64.to_bits() => None,
                        x => Some(x),
                    },
                    1 => match u16::from_le_bytes(c.try_into().expect("2 bytes")) {
                        MISSING_16 => None,
                        v => Some(v as f64 / 1000.0),
                    },
                    2 => match u32::from_le_bytes(c.try_into().expect("4 bytes")) {
                        MISSING_32 => None,
                        v => Some(v as f64 / 1000.0),
                    },
                    _ => match c[0] {
                        MISSING_8 => None,
                        v => Some(v as f64),
                    },
                };
                value.map_or(Ok(f64::NAN), |x| check(row, x))
            })
            .collect()
    }
}

impl Catalog {
    /// The packed binary form of this catalog.
    pub fn to_packed(&self) -> Vec<u8> {
        let mut w = Writer(Vec::with_capacity(self.len() * 48 + 1024));
        w.0.extend_from_slice(MAGIC);
        w.u32(VERSION);
        w.u32(self.len() as u32);
        w.str(&self.source);
        w.u32(self.genres.len() as u32);
        self.genres.iter().for_each(|g| w.str(g));
        w.u32(self.artists.len() as u32);
        self.artists.iter().for_each(|a| w.str(a));
        w.0.extend_from_slice(&self.ids);
        w.u32s(&self.id_order);
        w.str(&self.names);
        w.u32s(&self.name_start);
        w.u32s(&self.artist_of);
        w.u32s(&self.genre_of);
        w.column(&self.moods.iter().map(|m| m.valence).collect::<Vec<_>>());
        w.column(&self.moods.iter().map(|m| m.energy).collect::<Vec<_>>());
        let mask = self
            .extras
            .iter()
            .enumerate()
            .fold(0u8, |m, (c, col)| m | ((col.is_some() as u8) << c));
        w.0.push(mask);
        for column in self.extras.iter().flatten() {
            w.column(column);
        }
        w.0
    }

    /// Reads and validates a packed catalog.
    pub fn from_packed(bytes: &[u8]) -> Result<Catalog, CatalogError> {
        Catalog::from_packed_source(bytes)
    }

    /// Reads and validates a packed catalog from any [`PackedSource`].
    pub fn from_packed_source<S: PackedSource + ?Sized>(
        source: &S,
    ) -> Result<Catalog, CatalogError> {
        let mut r = Reader { source, at: 0 };
        if r.take(8, "header")? != MAGIC {
            return Err(CatalogError::WrongFormat {
                found: "not a packed Moodplane catalog".to_owned(),
            });
        }
        let version = r.u32("header")?;
        if version != VERSION {
            return Err(CatalogError::UnsupportedVersion { found: version });
        }
        let n = r.u32("header")? as usize;
        let description = r.str("source")?;
        let genres = r.strs("genre table")?;
        let artists = r.strs("artist table")?;
        let ids = r
            .take(
                n.checked_mul(TRACK_ID_LEN)
                    .ok_or_else(|| damaged("too many tracks"))?,
                "ids",
            )?
            .to_vec();
        for (row, id) in ids.chunks_exact(TRACK_ID_LEN).enumerate() {
            if !id.iter().all(u8::is_ascii_alphanumeric) {
                let shown = String::from_utf8_lossy(id).into_owned();
                return Err(CatalogError::BadTrackId {
                    row,
                    error: TrackId::parse(&shown)
                        .err()
                        .unwrap_or(crate::track_id::TrackIdError::WrongLength { found: 0 }),
                });
            }
        }
        let id_order = r.u32s(n, "id order")?;
        let key = |i: u32| ids.get(i as usize * TRACK_ID_LEN..(i as usize + 1) * TRACK_ID_LEN);
        for pair in id_order.windows(2) {
            match (key(pair[0]), key(pair[1])) {
                (Some(a), Some(b)) if a < b => {}
                (Some(a), Some(b)) if a == b => {
                    return Err(CatalogError::DuplicateId {
                        row: pair[1] as usize,
                        id: String::from_utf8_lossy(b).into_owned(),
                    })
                }
                _ => return Err(damaged("the id order is not sorted")),
            }
        }
        if id_order.iter().any(|&i| i as usize >= n) || (n == 1 && id_order != [0]) {
            return Err(damaged("the id order points past the tracks"));
        }
        let names = r.str("names")?;
        let name_start = r.u32s(n + 1, "name offsets")?;
        let bad_offsets = name_start.first() != Some(&0)
            || name_start.windows(2).any(|w| w[0] > w[1])
            || name_start
                .last()
                .is_some_and(|&e| e as usize != names.len())
            || name_start
                .iter()
                .any(|&o| !names.is_char_boundary(o as usize));
        if bad_offsets {
            return Err(damaged("the name offsets are inconsistent"));
        }
        let artist_of = check_indices("artist", r.u32s(n, "artists")?, artists.len())?;
        let genre_of = check_indices("genre", r.u32s(n, "genres")?, genres.len())?;
        let valence = r.column(n, "valence", |_, x| Ok(x))?;
        let energy = r.column(n, "energy", |_, x| Ok(x))?;
        let moods = valence
            .iter()
            .zip(&energy)
            .enumerate()
            .map(|(row, (&v, &e))| {
                Mood::new(v, e).map_err(|error| CatalogError::BadMood { row, error })
            })
            .collect::<Result<Vec<_>, _>>()?;
        let mask = r.take(1, "extras")?[0];
        let mut extras: [Option<Vec<f64>>; 4] = Default::default();
        for (c, slot) in extras.iter_mut().enumerate() {
            if mask & (1 << c) != 0 {
                let id_of = |row: usize| {
                    String::from_utf8_lossy(&ids[row * TRACK_ID_LEN..(row + 1) * TRACK_ID_LEN])
                        .into_owned()
                };
                *slot =
                    Some(r.column(n, "extra features", |row, x| check_extra(c, row, x, id_of))?);
            }
        }
        if r.at != source.byte_len() {
            return Err(damaged("there are bytes after the end"));
        }
        Ok(Catalog {
            source: description,
            genres,
            artists,
            ids,
            id_order,
            names,
            name_start,
            artist_of,
            genre_of,
            moods,
            extras,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::{ExtraFeatures, TrackRecord};

    fn sample() -> Catalog {
        let record = |n: u32, name: &str, v: f64, e: f64, extras: ExtraFeatures| TrackRecord {
            id: TrackId::parse(&format!("{n:0>22}")).unwrap(),
            name: name.into(),
            artist: format!("artist {}", n % 2),
            genre: "r&b".into(),
            mood: Mood::new(v, e).unwrap(),
            extras,
        };
        let full = ExtraFeatures {
            danceability: Some(0.5),
            acousticness: Some(0.000175),
            tempo: Some(122.036),
            popularity: Some(66.0),
        };
        Catalog::from_records(
            "packed test",
            vec![
                record(9, "Zoë — “quoted”", 0.768, 0.885, full),
                record(3, "", 0.1, 0.000175, ExtraFeatures::default()),
                record(5, "Hey, Soul Sister", 1.0, 0.0, full),
            ],
        )
        .0
    }

    #[test]
    fn round_trips_exactly() {
        let catalog = sample();
        let back = Catalog::from_packed(&catalog.to_packed()).unwrap();
        assert_eq!(back.to_file(), catalog.to_file());
        assert_eq!(
            back.index_of(&TrackId::parse(&format!("{:0>22}", 5)).unwrap()),
            Some(2)
        );
        assert_eq!(back.extras(1), ExtraFeatures::default());
        assert_eq!(back.extras(0).acousticness, Some(0.000175));
        assert_eq!(back.track(0).name, "Zoë — “quoted”");
    }

    #[test]
    fn picks_the_smallest_exact_encoding() {
        assert!(kind_for(&[0.768, 0.5, f64::NAN]) == Kind::Milli16);
        assert!(kind_for(&[122.036]) == Kind::Milli32);
        assert!(kind_for(&[66.0, f64::NAN]) == Kind::Whole8);
        assert!(kind_for(&[0.000175]) == Kind::F64);
    }

    #[test]
    fn rejects_damage() {
        let bytes = sample().to_packed();
        for cut in [0, 7, 20, bytes.len() / 2, bytes.len() - 1] {
            assert!(Catalog::from_packed(&bytes[..cut]).is_err(), "cut at {cut}");
        }
        let mut extra = bytes.clone();
        extra.push(0);
        assert!(matches!(
            Catalog::from_packed(&extra),
            Err(CatalogError::Packed { .. })
        ));
        let mut wrong = bytes.clone();
        wrong[0] = b'X';
        assert!(matches!(
            Catalog::from_packed(&wrong),
            Err(CatalogError::WrongFormat { .. })
        ));
    }

    /// Where each section of a packed catalog starts, found by walking the layout in the
    /// module docs, so tests can damage exact bytes without magic offsets.
    #[derive(Debug)]
    #[allow(dead_code)] // the damage tests of the next commit read every field
    struct Sections {
        version: usize,
        count: usize,
        source: usize,
        genres: usize,
        artists: usize,
        ids: usize,
        id_order: usize,
        names: usize,
        name_start: usize,
        artist_of: usize,
        genre_of: usize,
        valence: usize,
        energy: usize,
        extras_mask: usize,
        /// Start (kind byte) of each extra column present, in storage order.
        extras: Vec<usize>,
        end: usize,
    }

    fn u32_at(bytes: &[u8], at: usize) -> usize {
        u32::from_le_bytes(bytes[at..at + 4].try_into().unwrap()) as usize
    }

    #[allow(dead_code)]
    fn put_u32(bytes: &mut [u8], at: usize, value: u32) {
        bytes[at..at + 4].copy_from_slice(&value.to_le_bytes());
    }

    /// Bytes per value of a column whose kind byte is `kind`.
    fn width_of(kind: u8) -> usize {
        match kind {
            0 => 8,
            1 => 2,
            2 => 4,
            3 => 1,
            _ => panic!("unknown column kind {kind}"),
        }
    }

    fn sections(bytes: &[u8]) -> Sections {
        let n = u32_at(bytes, 12);
        let str_end = |at: usize| at + 4 + u32_at(bytes, at);
        let strs_end = |at: usize| (0..u32_at(bytes, at)).fold(at + 4, |at, _| str_end(at));
        let column_end = |at: usize| at + 1 + n * width_of(bytes[at]);
        let source = 16;
        let genres = str_end(source);
        let artists = strs_end(genres);
        let ids = strs_end(artists);
        let id_order = ids + n * TRACK_ID_LEN;
        let names = id_order + n * 4;
        let name_start = str_end(names);
        let artist_of = name_start + (n + 1) * 4;
        let genre_of = artist_of + n * 4;
        let valence = genre_of + n * 4;
        let energy = column_end(valence);
        let extras_mask = column_end(energy);
        let mut extras = Vec::new();
        let mut end = extras_mask + 1;
        for _ in 0..bytes[extras_mask].count_ones() {
            extras.push(end);
            end = column_end(end);
        }
        Sections {
            version: 8,
            count: 12,
            source,
            genres,
            artists,
            ids,
            id_order,
            names,
            name_start,
            artist_of,
            genre_of,
            valence,
            energy,
            extras_mask,
            extras,
            end,
        }
    }

    #[test]
    fn the_test_layout_walk_matches_the_writer() {
        let bytes = sample().to_packed();
        let at = sections(&bytes);
        assert_eq!(at.end, bytes.len());
        assert_eq!(
            &bytes[at.ids..at.ids + TRACK_ID_LEN],
            format!("{:0>22}", 9).as_bytes()
        );
        assert_eq!(at.extras.len(), 4);
        assert_eq!(bytes[at.extras[3]], Kind::Whole8 as u8);
    }

    /// One track with every extra feature, at `values`.
    fn with_extras(values: ExtraFeatures) -> Catalog {
        let mut catalog = sample();
        let mut records: Vec<TrackRecord> = (0..catalog.len())
            .map(|i| {
                let t = catalog.track(i);
                TrackRecord {
                    id: t.id,
                    name: t.name.into(),
                    artist: t.artist.into(),
                    genre: t.genre.into(),
                    mood: t.mood,
                    extras: catalog.extras(i),
                }
            })
            .collect();
        records[2].extras = values;
        (catalog, _) = Catalog::from_records("extras", records);
        catalog
    }

    fn assert_bad_extra(bytes: &[u8], column: &str, value: f64) {
        match Catalog::from_packed(bytes) {
            Err(CatalogError::BadExtra {
                column: c,
                row: 2,
                id,
                value: v,
                ..
            }) if c == column && id == format!("{:0>22}", 5) && v.to_bits() == value.to_bits() => {}
            other => panic!("{column} {value}: {other:?}"),
        }
    }

    #[test]
    fn rejects_extra_features_that_are_not_finite_or_out_of_range() {
        let full = sample().extras(0);
        let cases = [
            (
                "danceability",
                1.5,
                ExtraFeatures {
                    danceability: Some(1.5),
                    ..full
                },
            ),
            (
                "acousticness",
                f64::INFINITY,
                ExtraFeatures {
                    acousticness: Some(f64::INFINITY),
                    ..full
                },
            ),
            (
                "acousticness",
                -0.25,
                ExtraFeatures {
                    acousticness: Some(-0.25),
                    ..full
                },
            ),
            (
                "tempo",
                0.0,
                ExtraFeatures {
                    tempo: Some(0.0),
                    ..full
                },
            ),
            (
                "tempo",
                1e6,
                ExtraFeatures {
                    tempo: Some(1e6),
                    ..full
                },
            ),
            (
                "tempo",
                f64::NEG_INFINITY,
                ExtraFeatures {
                    tempo: Some(f64::NEG_INFINITY),
                    ..full
                },
            ),
            (
                "popularity",
                200.0,
                ExtraFeatures {
                    popularity: Some(200.0),
                    ..full
                },
            ),
            (
                "popularity",
                100.5,
                ExtraFeatures {
                    popularity: Some(100.5),
                    ..full
                },
            ),
        ];
        for (column, value, extras) in cases {
            assert_bad_extra(&with_extras(extras).to_packed(), column, value);
        }
    }

    #[test]
    fn rejects_a_nan_that_is_not_the_missing_marker() {
        // Acousticness needs full f64s (0.000175 is not a whole number of thousandths),
        // where the writer marks a gap with exactly `f64::NAN`; any other NaN is damage.
        let catalog = sample();
        let mut bytes = catalog.to_packed();
        let at = sections(&bytes);
        let acousticness = at.extras[1];
        assert_eq!(bytes[acousticness], Kind::F64 as u8);
        let track_5 = acousticness + 1 + 2 * 8;
        let odd_nan = f64::from_bits(f64::NAN.to_bits() | 1);
        bytes[track_5..track_5 + 8].copy_from_slice(&odd_nan.to_le_bytes());
        assert_bad_extra(&bytes, "acousticness", odd_nan);
        let gap = acousticness + 1 + 8;
        assert_eq!(
            &bytes[gap..gap + 8],
            f64::NAN.to_le_bytes(),
            "track 3 lacks it"
        );
    }

    #[test]
    fn rejects_an_out_of_range_byte_in_a_whole_number_column() {
        let mut bytes = sample().to_packed();
        let popularity = sections(&bytes).extras[3];
        bytes[popularity + 1 + 2] = 101;
        assert_bad_extra(&bytes, "popularity", 101.0);
    }

    #[test]
    fn writes_any_gap_as_the_missing_marker() {
        // In memory every NaN is a gap (`Catalog::extras` says None); on disk only
        // `f64::NAN` is, so the writer must not copy another NaN's bits.
        let odd_nan = f64::from_bits(f64::NAN.to_bits() | 1);
        let catalog = with_extras(ExtraFeatures {
            acousticness: Some(odd_nan),
            ..sample().extras(0)
        });
        let back = Catalog::from_packed(&catalog.to_packed()).unwrap();
        assert_eq!(back.extras(2).acousticness, None);
        assert_eq!(back.to_file(), catalog.to_file());
    }
}
