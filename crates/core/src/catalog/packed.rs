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
//! column energy, u8 extras mask (bit c: extra column c, in the order danceability,
//! acousticness, tempo, popularity; higher bits are damage), then one column per extra
//! present. A str is u32 length + UTF-8; a column is a kind byte then its values.
//!
//! Loading checks every section and never panics, whatever the bytes: each fault is a
//! specific [`CatalogError`] (for faults only a binary can have, a [`PackedDamage`]).

use super::validate::{check_extra, check_indices, EXTRA_RULES};
use super::{Catalog, CatalogError, PackedDamage};
use crate::mood::Mood;
use crate::track_id::{TrackIdError, TRACK_ID_LEN};

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

pub(super) struct Writer(pub(super) Vec<u8>);

impl Writer {
    /// A format's magic bytes and version.
    pub(super) fn header(&mut self, magic: &[u8; 8], version: u32) {
        self.0.extend_from_slice(magic);
        self.u32(version);
    }
    /// A valence column, then an energy column.
    pub(super) fn moods(&mut self, moods: &[Mood]) {
        self.column(&moods.iter().map(|m| m.valence).collect::<Vec<_>>());
        self.column(&moods.iter().map(|m| m.energy).collect::<Vec<_>>());
    }
    /// Valence and energy columns, the extras mask, then each extra column present.
    pub(super) fn moods_and_extras(&mut self, moods: &[Mood], extras: &ExtraColumns) {
        self.moods(moods);
        self.0.push(extras_mask_of(extras));
        for column in extras.iter().flatten() {
            self.column(column);
        }
    }
    pub(super) fn u32(&mut self, x: u32) {
        self.0.extend_from_slice(&x.to_le_bytes());
    }
    pub(super) fn str(&mut self, s: &str) {
        self.u32(s.len() as u32);
        self.0.extend_from_slice(s.as_bytes());
    }
    pub(super) fn u32s(&mut self, xs: &[u32]) {
        for &x in xs {
            self.u32(x);
        }
    }
    pub(super) fn column(&mut self, values: &[f64]) {
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

pub(super) struct Reader<'a, S: PackedSource + ?Sized> {
    pub(super) source: &'a S,
    pub(super) at: usize,
}

/// The extra feature columns (danceability, acousticness, tempo, popularity), each
/// present or not, NaN where a track lacks the value.
pub(super) type ExtraColumns = [Option<Vec<f64>>; 4];

/// Which extra columns are present (bit c: column c, in storage order).
pub(super) fn extras_mask_of(extras: &ExtraColumns) -> u8 {
    extras
        .iter()
        .enumerate()
        .fold(0u8, |m, (c, col)| m | ((col.is_some() as u8) << c))
}

pub(super) fn damaged(damage: PackedDamage) -> CatalogError {
    CatalogError::Packed(damage)
}

impl<S: PackedSource + ?Sized> Reader<'_, S> {
    /// Checks that every byte has been read.
    pub(super) fn at_end(&self) -> Result<(), CatalogError> {
        match self.source.byte_len() - self.at {
            0 => Ok(()),
            count => Err(damaged(PackedDamage::TrailingBytes { count })),
        }
    }

    /// Checks a format's magic bytes (`kind` names the format for the error) and version.
    pub(super) fn header(
        &mut self,
        magic: &[u8; 8],
        version: u32,
        kind: &'static str,
    ) -> Result<(), CatalogError> {
        if self.take(8, "header")? != magic {
            return Err(CatalogError::WrongFormat {
                found: format!("not {kind}"),
            });
        }
        match self.u32("header")? {
            v if v == version => Ok(()),
            found => Err(CatalogError::UnsupportedVersion { found }),
        }
    }

    /// Reads what [`Writer::moods`] wrote for `n` tracks; a value outside 0..1 (or a
    /// gap) names track `track_of(row)`.
    pub(super) fn moods(
        &mut self,
        n: usize,
        track_of: impl Fn(usize) -> usize,
    ) -> Result<Vec<Mood>, CatalogError> {
        let valence = self.column(n, "valence", |_, x| Ok(x))?;
        let energy = self.column(n, "energy", |_, x| Ok(x))?;
        valence
            .iter()
            .zip(&energy)
            .enumerate()
            .map(|(row, (&v, &e))| {
                Mood::new(v, e).map_err(|error| CatalogError::BadMood {
                    row: track_of(row),
                    error,
                })
            })
            .collect()
    }

    /// Reads what [`Writer::moods_and_extras`] wrote for `n` tracks, checking every value;
    /// errors name track `track_of(row)`, whose id `id_of(row)` gives.
    pub(super) fn moods_and_extras(
        &mut self,
        n: usize,
        track_of: impl Fn(usize) -> usize,
        id_of: impl Fn(usize) -> String,
    ) -> Result<(Vec<Mood>, ExtraColumns), CatalogError> {
        let moods = self.moods(n, &track_of)?;
        let mask = self.take(1, "extras mask")?[0];
        if mask >> EXTRA_RULES.len() != 0 {
            return Err(damaged(PackedDamage::UnknownExtras { mask }));
        }
        let mut extras: ExtraColumns = Default::default();
        for (c, slot) in extras.iter_mut().enumerate() {
            if mask & (1 << c) != 0 {
                let section = EXTRA_RULES[c].column;
                *slot = Some(self.column(n, section, |row, x| {
                    check_extra(c, track_of(row), x, |_| id_of(row))
                })?);
            }
        }
        Ok((moods, extras))
    }

    pub(super) fn take(
        &mut self,
        n: usize,
        section: &'static str,
    ) -> Result<Vec<u8>, CatalogError> {
        let end = self
            .at
            .checked_add(n)
            .filter(|&e| e <= self.source.byte_len());
        let end = end.ok_or(damaged(PackedDamage::Truncated { section }))?;
        let mut out = vec![0u8; n];
        self.source.copy_to(self.at, &mut out);
        self.at = end;
        Ok(out)
    }
    pub(super) fn u32(&mut self, section: &'static str) -> Result<u32, CatalogError> {
        Ok(u32::from_le_bytes(
            self.take(4, section)?.try_into().expect("4 bytes"),
        ))
    }
    pub(super) fn str(&mut self, section: &'static str) -> Result<String, CatalogError> {
        let len = self.u32(section)? as usize;
        String::from_utf8(self.take(len, section)?)
            .map_err(|_| damaged(PackedDamage::NotUtf8 { section }))
    }
    pub(super) fn strs(&mut self, section: &'static str) -> Result<Vec<String>, CatalogError> {
        let n = self.u32(section)? as usize;
        (0..n).map(|_| self.str(section)).collect()
    }
    pub(super) fn u32s(
        &mut self,
        n: usize,
        section: &'static str,
    ) -> Result<Vec<u32>, CatalogError> {
        let bytes = self.take(n.saturating_mul(4), section)?;
        Ok(bytes
            .chunks_exact(4)
            .map(|c| u32::from_le_bytes(c.try_into().expect("4 bytes")))
            .collect())
    }
    /// Reads a column of `n` numbers. Gaps (the kind's missing marker) become NaN;
    /// every other value goes through `check` with its row, which may reject it.
    pub(super) fn column(
        &mut self,
        n: usize,
        section: &'static str,
        mut check: impl FnMut(usize, f64) -> Result<f64, CatalogError>,
    ) -> Result<Vec<f64>, CatalogError> {
        let kind = self.take(1, section)?[0];
        let width = match kind {
            0 => 8,
            1 => 2,
            2 => 4,
            3 => 1,
            byte => return Err(damaged(PackedDamage::UnknownEncoding { section, byte })),
        };
        let bytes = self.take(n.saturating_mul(width), section)?;
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
        w.header(MAGIC, VERSION);
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
        w.moods_and_extras(&self.moods, &self.extras);
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
        r.header(MAGIC, VERSION, "a packed Moodplane catalog")?;
        // Sizes computed from the count saturate (a 32-bit usize could overflow): a size
        // that large is past the end, reported as the section it cuts short.
        let n = r.u32("header")? as usize;
        let description = r.str("source")?;
        let genres = r.strs("genre table")?;
        let artists = r.strs("artist table")?;
        let ids = r.take(n.saturating_mul(TRACK_ID_LEN), "ids")?;
        check_id_bytes(&ids)?;
        let id_order = r.u32s(n, "id order")?;
        check_id_order(&ids, &id_order)?;
        let names = r.str("names")?;
        let name_start = r.u32s(n.saturating_add(1), "name offsets")?;
        check_name_offsets(&names, &name_start)?;
        let artist_of = check_indices("artist", r.u32s(n, "artists")?, artists.len())?;
        let genre_of = check_indices("genre", r.u32s(n, "genres")?, genres.len())?;
        let id_of = |row: usize| {
            String::from_utf8_lossy(&ids[row * TRACK_ID_LEN..(row + 1) * TRACK_ID_LEN]).into_owned()
        };
        let (moods, extras) = r.moods_and_extras(n, |row| row, id_of)?;
        r.at_end()?;
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

/// Checks every id is 22 ASCII letters or digits.
pub(super) fn check_id_bytes(ids: &[u8]) -> Result<(), CatalogError> {
    for (row, id) in ids.chunks_exact(TRACK_ID_LEN).enumerate() {
        if let Some(&bad) = id.iter().find(|b| !b.is_ascii_alphanumeric()) {
            let found = if bad.is_ascii() {
                bad as char
            } else {
                char::REPLACEMENT_CHARACTER
            };
            return Err(CatalogError::BadTrackId {
                row,
                error: TrackIdError::BadCharacter { found },
            });
        }
    }
    Ok(())
}

/// Checks the id order lists every track once, by increasing id; equal ids neighbour
/// there, so this is also the duplicate check.
fn check_id_order(ids: &[u8], id_order: &[u32]) -> Result<(), CatalogError> {
    let count = ids.len() / TRACK_ID_LEN;
    if let Some((position, &track)) = id_order
        .iter()
        .enumerate()
        .find(|(_, &i)| i as usize >= count)
    {
        return Err(damaged(PackedDamage::IdOrderOutOfRange { position, track }));
    }
    let key = |i: u32| &ids[i as usize * TRACK_ID_LEN..(i as usize + 1) * TRACK_ID_LEN];
    for (position, pair) in id_order.windows(2).enumerate() {
        let position = position + 1;
        let (a, b) = (pair[0], pair[1]);
        if a == b {
            return Err(damaged(PackedDamage::IdOrderRepeatsTrack {
                position,
                track: b,
            }));
        }
        match key(a).cmp(key(b)) {
            std::cmp::Ordering::Less => {}
            std::cmp::Ordering::Equal => {
                return Err(CatalogError::DuplicateId {
                    row: b as usize,
                    id: String::from_utf8_lossy(key(b)).into_owned(),
                })
            }
            std::cmp::Ordering::Greater => {
                return Err(damaged(PackedDamage::IdOrderNotSorted { position }))
            }
        }
    }
    Ok(())
}

/// Checks the name offsets cut `names` into one slice per track: from 0, never going
/// back, on character boundaries, ending exactly at the end.
pub(super) fn check_name_offsets(names: &str, name_start: &[u32]) -> Result<(), CatalogError> {
    let names_len = names.len();
    let first = name_start.first().copied().unwrap_or(0);
    if first != 0 {
        return Err(damaged(PackedDamage::NamesNotFromStart { first }));
    }
    for (position, &offset) in name_start.iter().enumerate().skip(1) {
        if offset as usize > names_len {
            return Err(damaged(PackedDamage::NameOffsetPastEnd {
                position,
                offset,
                names_len,
            }));
        }
        if offset < name_start[position - 1] {
            return Err(damaged(PackedDamage::NameOffsetDecreases { position }));
        }
        if !names.is_char_boundary(offset as usize) {
            return Err(damaged(PackedDamage::NameOffsetSplitsCharacter {
                position,
                offset,
            }));
        }
    }
    let end = name_start.last().copied().unwrap_or(0);
    if end as usize != names_len {
        return Err(damaged(PackedDamage::NamesNotAllUsed { end, names_len }));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::{ExtraFeatures, TrackRecord};
    use crate::mood::MoodError;
    use crate::track_id::TrackId;

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

    /// The error from loading the sample after `damage` changed its packed bytes.
    fn load_damaged(damage: impl FnOnce(&mut Vec<u8>, &Sections)) -> CatalogError {
        let mut bytes = sample().to_packed();
        let at = sections(&bytes);
        damage(&mut bytes, &at);
        Catalog::from_packed(&bytes).expect_err("the damage must be found")
    }

    fn packed(damage: PackedDamage) -> CatalogError {
        CatalogError::Packed(damage)
    }

    // The sample's tracks, in catalog order: 0 has id …9 and the name "Zoë — “quoted”"
    // (21 bytes), 1 has id …3 and an empty name, 2 has id …5 and "Hey, Soul Sister"
    // (16 bytes). One genre, one artist. Its id order is therefore [1, 2, 0]. Valence is
    // stored in thousandths (u16), energy as f64.

    #[test]
    fn the_sample_is_laid_out_as_the_damage_tests_assume() {
        let bytes = sample().to_packed();
        let at = sections(&bytes);
        let u32s = |from: usize, n: usize| {
            (0..n)
                .map(|i| u32_at(&bytes, from + 4 * i))
                .collect::<Vec<_>>()
        };
        assert_eq!(u32s(at.id_order, 3), [1, 2, 0]);
        assert_eq!(u32s(at.name_start, 4), [0, 21, 21, 37]);
        assert_eq!(
            (u32_at(&bytes, at.genres), u32_at(&bytes, at.artists)),
            (1, 1)
        );
        assert_eq!(bytes[at.valence], Kind::Milli16 as u8);
        assert_eq!(
            bytes[at.energy],
            Kind::F64 as u8,
            "0.000175 is no whole thousandth"
        );
        assert_eq!(bytes[at.extras_mask], 0b1111);
    }

    #[test]
    fn rejects_a_file_cut_inside_any_section() {
        let bytes = sample().to_packed();
        let at = sections(&bytes);
        let mut cuts = vec![
            (0, "header"),
            (7, "header"),
            (at.version + 1, "header"),
            (at.count + 1, "header"),
            (at.source + 1, "source"),
            (at.genres + 1, "genre table"),
            (at.artists + 1, "artist table"),
            (at.ids + 1, "ids"),
            (at.id_order + 1, "id order"),
            (at.names + 1, "names"),
            (at.name_start + 1, "name offsets"),
            (at.artist_of + 1, "artists"),
            (at.genre_of + 1, "genres"),
            (at.valence, "valence"),
            (at.valence + 2, "valence"),
            (at.energy + 2, "energy"),
            (at.extras_mask, "extras mask"),
        ];
        for (extra, column) in
            at.extras
                .iter()
                .zip(["danceability", "acousticness", "tempo", "popularity"])
        {
            cuts.push((extra + 1, column));
        }
        for (cut, section) in cuts {
            assert_eq!(
                Catalog::from_packed(&bytes[..cut]).unwrap_err(),
                packed(PackedDamage::Truncated { section }),
                "cut at {cut}"
            );
        }
    }

    #[test]
    fn rejects_wrong_magic_and_version_and_trailing_bytes() {
        assert!(matches!(
            load_damaged(|b, _| b[0] = b'X'),
            CatalogError::WrongFormat { .. }
        ));
        assert_eq!(
            load_damaged(|b, at| put_u32(b, at.version, 2)),
            CatalogError::UnsupportedVersion { found: 2 }
        );
        assert_eq!(
            load_damaged(|b, _| b.extend_from_slice(&[0, 0])),
            packed(PackedDamage::TrailingBytes { count: 2 })
        );
    }

    #[test]
    fn rejects_lengths_that_do_not_match_the_data() {
        assert_eq!(
            load_damaged(|b, at| put_u32(b, at.count, u32::MAX)),
            packed(PackedDamage::Truncated { section: "ids" })
        );
        // One track more: its id is read from the id order's bytes (1, 0, 0, 0, …).
        assert_eq!(
            load_damaged(|b, at| put_u32(b, at.count, 4)),
            CatalogError::BadTrackId {
                row: 3,
                error: TrackIdError::BadCharacter { found: '\u{1}' }
            }
        );
        // One track fewer: the id order starts inside the third id, "0000" = 0x30303030.
        assert_eq!(
            load_damaged(|b, at| put_u32(b, at.count, 2)),
            packed(PackedDamage::IdOrderOutOfRange {
                position: 0,
                track: 0x3030_3030
            })
        );
        assert_eq!(
            load_damaged(|b, at| put_u32(b, at.source, u32::MAX)),
            packed(PackedDamage::Truncated { section: "source" })
        );
        // A second genre swallows the artist table's count; the table then claims
        // 0x61000000 artists ("a" of "artist" is its top byte) and runs out of bytes.
        assert_eq!(
            load_damaged(|b, at| put_u32(b, at.genres, 2)),
            packed(PackedDamage::Truncated {
                section: "artist table"
            })
        );
        // The names grow by a byte no offset reaches.
        assert_eq!(
            load_damaged(|b, at| {
                put_u32(b, at.names, 38);
                b.insert(at.name_start, b'!');
            }),
            packed(PackedDamage::NamesNotAllUsed {
                end: 37,
                names_len: 38
            })
        );
        // The mask drops popularity, so its column is left over at the end.
        assert_eq!(
            load_damaged(|b, at| b[at.extras_mask] = 0b0111),
            packed(PackedDamage::TrailingBytes { count: 1 + 3 })
        );
    }

    #[test]
    fn rejects_strings_that_are_not_utf8() {
        let cases = [
            ("source", 4),
            ("genre table", 8),
            ("artist table", 8),
            ("names", 4),
        ];
        for (section, content) in cases {
            let error = load_damaged(|b, at| {
                let start = match section {
                    "source" => at.source,
                    "genre table" => at.genres,
                    "artist table" => at.artists,
                    _ => at.names,
                };
                b[start + content] = 0xFF;
            });
            assert_eq!(error, packed(PackedDamage::NotUtf8 { section }));
        }
    }

    #[test]
    fn rejects_ids_that_are_not_letters_and_digits() {
        assert_eq!(
            load_damaged(|b, at| b[at.ids + TRACK_ID_LEN + 5] = b'-'),
            CatalogError::BadTrackId {
                row: 1,
                error: TrackIdError::BadCharacter { found: '-' }
            }
        );
        assert_eq!(
            load_damaged(|b, at| b[at.ids + 2 * TRACK_ID_LEN + 21] = 0xC3),
            CatalogError::BadTrackId {
                row: 2,
                error: TrackIdError::BadCharacter {
                    found: char::REPLACEMENT_CHARACTER
                }
            }
        );
    }

    #[test]
    fn rejects_an_id_order_that_is_unsorted_repeats_or_points_past_the_tracks() {
        let with_order = |order: [u32; 3]| {
            load_damaged(move |b, at| {
                for (i, track) in order.into_iter().enumerate() {
                    put_u32(b, at.id_order + 4 * i, track);
                }
            })
        };
        assert_eq!(
            with_order([2, 1, 0]),
            packed(PackedDamage::IdOrderNotSorted { position: 1 })
        );
        assert_eq!(
            with_order([1, 2, 7]),
            packed(PackedDamage::IdOrderOutOfRange {
                position: 2,
                track: 7
            })
        );
        assert_eq!(
            with_order([1, 1, 0]),
            packed(PackedDamage::IdOrderRepeatsTrack {
                position: 1,
                track: 1
            })
        );
        // Track 2's id becomes track 1's (…5 → …3): the order is still right, the ids repeat.
        assert_eq!(
            load_damaged(|b, at| b[at.ids + 3 * TRACK_ID_LEN - 1] = b'3'),
            CatalogError::DuplicateId {
                row: 2,
                id: format!("{:0>22}", 3)
            }
        );
    }

    #[test]
    fn rejects_name_offsets_that_do_not_cut_the_names_into_tracks() {
        let with_offset = |position: usize, offset: u32| {
            load_damaged(move |b, at| put_u32(b, at.name_start + 4 * position, offset))
        };
        assert_eq!(
            with_offset(0, 1),
            packed(PackedDamage::NamesNotFromStart { first: 1 })
        );
        assert_eq!(
            with_offset(2, 100),
            packed(PackedDamage::NameOffsetPastEnd {
                position: 2,
                offset: 100,
                names_len: 37
            })
        );
        assert_eq!(
            with_offset(2, 20),
            packed(PackedDamage::NameOffsetDecreases { position: 2 })
        );
        // Byte 3 is the second byte of "ë".
        assert_eq!(
            with_offset(1, 3),
            packed(PackedDamage::NameOffsetSplitsCharacter {
                position: 1,
                offset: 3
            })
        );
        assert_eq!(
            with_offset(3, 36),
            packed(PackedDamage::NamesNotAllUsed {
                end: 36,
                names_len: 37
            })
        );
    }

    #[test]
    fn rejects_artist_and_genre_indices_past_their_tables() {
        assert_eq!(
            load_damaged(|b, at| put_u32(b, at.artist_of, 1)),
            CatalogError::BadStringIndex {
                column: "artist",
                row: 0,
                index: 1,
                table_len: 1
            }
        );
        assert_eq!(
            load_damaged(|b, at| put_u32(b, at.genre_of + 4 * 2, u32::MAX)),
            CatalogError::BadStringIndex {
                column: "genre",
                row: 2,
                index: u32::MAX,
                table_len: 1
            }
        );
    }

    #[test]
    fn rejects_unknown_column_encodings_and_extras() {
        assert_eq!(
            load_damaged(|b, at| b[at.valence] = 7),
            packed(PackedDamage::UnknownEncoding {
                section: "valence",
                byte: 7
            })
        );
        assert_eq!(
            load_damaged(|b, at| b[at.extras[2]] = 200),
            packed(PackedDamage::UnknownEncoding {
                section: "tempo",
                byte: 200
            })
        );
        assert_eq!(
            load_damaged(|b, at| b[at.extras_mask] = 0b1_1111),
            packed(PackedDamage::UnknownExtras { mask: 0b1_1111 })
        );
    }

    #[test]
    fn rejects_moods_out_of_range_or_missing() {
        assert_eq!(
            load_damaged(|b, at| b[at.valence + 1 + 2..at.valence + 1 + 4]
                .copy_from_slice(&1001u16.to_le_bytes())),
            CatalogError::BadMood {
                row: 1,
                error: MoodError::OutOfRange {
                    axis: "valence",
                    value: 1.001
                }
            }
        );
        assert_eq!(
            load_damaged(
                |b, at| b[at.energy + 1..at.energy + 9].copy_from_slice(&MISSING_F64.to_le_bytes())
            ),
            CatalogError::BadMood {
                row: 0,
                error: MoodError::NotFinite { axis: "energy" }
            }
        );
    }

    /// Loads `bytes`; when they are accepted, the catalog must be fully usable and write
    /// itself back to the same bytes (so nothing damaged slipped through as data).
    fn load_never_panics(bytes: &[u8]) {
        if let Ok(catalog) = Catalog::from_packed(bytes) {
            for i in 0..catalog.len() {
                let track = catalog.track(i);
                assert_eq!(catalog.index_of(&track.id), Some(i));
                let _ = catalog.extras(i);
            }
            assert_eq!(catalog.genre_counts().iter().sum::<usize>(), catalog.len());
            let again = Catalog::from_packed(&catalog.to_packed()).expect("rewritten bytes load");
            assert_eq!(again.to_file(), catalog.to_file());
        }
    }

    mod arbitrary_input {
        use super::*;
        use proptest::prelude::*;
        use proptest::sample::Index;

        proptest! {
            #[test]
            fn random_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..400)) {
                load_never_panics(&bytes);
            }

            #[test]
            fn random_bytes_after_a_valid_header_never_panic(
                count in 0u32..8,
                rest in proptest::collection::vec(any::<u8>(), 0..400),
            ) {
                let mut bytes = MAGIC.to_vec();
                bytes.extend_from_slice(&VERSION.to_le_bytes());
                bytes.extend_from_slice(&count.to_le_bytes());
                bytes.extend_from_slice(&rest);
                load_never_panics(&bytes);
            }

            #[test]
            fn single_byte_changes_of_a_valid_file_never_panic(at in any::<Index>(), value in any::<u8>()) {
                let mut bytes = sample().to_packed();
                let at = at.index(bytes.len());
                bytes[at] = value;
                load_never_panics(&bytes);
            }

            #[test]
            fn a_few_byte_changes_cuts_and_insertions_never_panic(
                changes in proptest::collection::vec((any::<Index>(), any::<u8>(), 0u8..3), 1..6),
            ) {
                let mut bytes = sample().to_packed();
                for (at, value, how) in changes {
                    let at = at.index(bytes.len());
                    match how {
                        0 => bytes[at] = value,
                        1 => bytes.truncate(at),
                        _ => bytes.insert(at, value),
                    }
                    if bytes.is_empty() {
                        break;
                    }
                }
                load_never_panics(&bytes);
            }
        }
    }
}
