//! Turns one CSV row into a track, or into the reason it has to be skipped.

use csv::StringRecord;
use moodplane_core::{ExtraFeatures, Mood, TrackId, TrackRecord};

use crate::format::{ArtistStyle, Columns, SourceFormat};

/// Why a row was left out.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum SkipReason {
    /// The row's bytes are not UTF-8 text.
    NotUtf8,
    /// The row has another number of fields than the header.
    FieldCount {
        found: usize,
        expected: usize,
    },
    BadTrackId,
    MissingValence,
    MissingEnergy,
    ValenceNotANumber,
    EnergyNotANumber,
    ValenceOutOfRange,
    EnergyOutOfRange,
}

impl SkipReason {
    pub fn describe(self) -> String {
        match self {
            SkipReason::NotUtf8 => "row is not valid UTF-8 text".to_owned(),
            SkipReason::FieldCount { found, expected } => {
                format!("row has {found} fields, the header has {expected}")
            }
            other => other.describe_value().to_owned(),
        }
    }

    fn describe_value(self) -> &'static str {
        match self {
            SkipReason::NotUtf8 | SkipReason::FieldCount { .. } => "",
            SkipReason::BadTrackId => "track id is not 22 letters and digits",
            SkipReason::MissingValence => "valence is empty",
            SkipReason::MissingEnergy => "energy is empty",
            SkipReason::ValenceNotANumber => "valence is not a number",
            SkipReason::EnergyNotANumber => "energy is not a number",
            SkipReason::ValenceOutOfRange => "valence is outside 0..1",
            SkipReason::EnergyOutOfRange => "energy is outside 0..1",
        }
    }
}

fn field(row: &StringRecord, column: usize) -> &str {
    row.get(column).unwrap_or("").trim()
}

/// A required 0..1 feature.
fn unit_value(
    text: &str,
    missing: SkipReason,
    junk: SkipReason,
    range: SkipReason,
) -> Result<f64, SkipReason> {
    if text.is_empty() {
        return Err(missing);
    }
    let value: f64 = text.parse().map_err(|_| junk)?;
    if !value.is_finite() {
        Err(junk)
    } else if !(0.0..=1.0).contains(&value) {
        Err(range)
    } else {
        Ok(value)
    }
}

/// An optional feature the row gives but that had to be left out.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum DroppedExtra {
    Danceability,
    Acousticness,
    Tempo,
    Popularity,
}

impl DroppedExtra {
    pub fn describe(self) -> &'static str {
        match self {
            DroppedExtra::Danceability => "danceability is not a number from 0 to 1",
            DroppedExtra::Acousticness => "acousticness is not a number from 0 to 1",
            DroppedExtra::Tempo => {
                "tempo is not a number of beats per minute above 0 and up to 1000"
            }
            DroppedExtra::Popularity => "popularity is not a number from 0 to 100",
        }
    }
}

/// An optional feature: `None` when the column is absent or the field empty; otherwise
/// kept only when it parses and lies in `range`, else recorded in `dropped`.
fn optional_value(
    row: &StringRecord,
    column: Option<usize>,
    range: std::ops::RangeInclusive<f64>,
    which: DroppedExtra,
    dropped: &mut Vec<DroppedExtra>,
) -> Option<f64> {
    let text = field(row, column?);
    if text.is_empty() {
        return None;
    }
    match text.parse::<f64>() {
        Ok(value) if value.is_finite() && range.contains(&value) => Some(value),
        _ => {
            dropped.push(which);
            None
        }
    }
}

/// The artists as shown: several joined by ", ".
fn artists(text: &str, style: ArtistStyle) -> String {
    match style {
        ArtistStyle::Plain => text.to_owned(),
        ArtistStyle::Semicolons => text.replace(';', ", "),
        ArtistStyle::PythonList | ArtistStyle::Either => match python_list(text) {
            Some(names) => names.join(", "),
            None => text.to_owned(),
        },
    }
}

/// The strings of a Python list literal such as `['AC/DC', "Guns N' Roses", 'A, B']`
/// (single or double quotes, backslash escapes); None when `text` is not one.
pub fn python_list(text: &str) -> Option<Vec<String>> {
    let inner = text.trim().strip_prefix('[')?.strip_suffix(']')?;
    let mut items = Vec::new();
    let mut chars = inner.chars().peekable();
    loop {
        while chars.next_if(|c| c.is_whitespace()).is_some() {}
        let Some(quote) = chars.next() else {
            return Some(items);
        };
        if quote != '\'' && quote != '"' {
            return None;
        }
        let mut item = String::new();
        loop {
            match chars.next()? {
                '\\' => item.push(chars.next()?),
                c if c == quote => break,
                c => item.push(c),
            }
        }
        items.push(item);
        while chars.next_if(|c| c.is_whitespace()).is_some() {}
        match chars.next() {
            None => return Some(items),
            Some(',') => {}
            Some(_) => return None,
        }
    }
}

/// Who a row names, before its mood is read.
#[derive(Debug, Clone, PartialEq)]
pub struct Identity {
    pub id: TrackId,
    pub name: String,
    pub artist: String,
    pub genre: String,
}

/// Reads the row's track id, name, artists (as shown) and genre.
pub fn read_identity(
    row: &StringRecord,
    format: SourceFormat,
    c: &Columns,
) -> Result<Identity, SkipReason> {
    let raw_id = field(row, c.id);
    // Exportify and generic `uri` columns carry `spotify:track:` before the id.
    let raw_id = raw_id.strip_prefix("spotify:track:").unwrap_or(raw_id);
    let id = TrackId::parse(raw_id).map_err(|_| SkipReason::BadTrackId)?;
    let artist = artists(
        c.artist.map_or("", |a| field(row, a)),
        format.artist_style(),
    );
    let genre = c.genre.map(|g| field(row, g)).unwrap_or("");
    let genre = match format {
        // Exportify lists several genres in one field; the first stands for the track.
        SourceFormat::Exportify => genre.split(',').next().unwrap_or("").trim(),
        _ => genre,
    };
    Ok(Identity {
        id,
        name: c.name.map_or("", |n| field(row, n)).to_owned(),
        artist,
        genre: genre.to_owned(),
    })
}

/// Reads one data row: the track, with the optional values it had to leave out. A file
/// without a valence or energy column reads as if the field were empty.
pub fn read_row(
    row: &StringRecord,
    format: SourceFormat,
    c: &Columns,
) -> Result<(TrackRecord, Vec<DroppedExtra>), SkipReason> {
    let who = read_identity(row, format, c)?;
    let valence = unit_value(
        c.valence.map_or("", |v| field(row, v)),
        SkipReason::MissingValence,
        SkipReason::ValenceNotANumber,
        SkipReason::ValenceOutOfRange,
    )?;
    let energy = unit_value(
        c.energy.map_or("", |e| field(row, e)),
        SkipReason::MissingEnergy,
        SkipReason::EnergyNotANumber,
        SkipReason::EnergyOutOfRange,
    )?;
    let mut dropped = Vec::new();
    let extras = ExtraFeatures {
        danceability: optional_value(
            row,
            c.danceability,
            0.0..=1.0,
            DroppedExtra::Danceability,
            &mut dropped,
        ),
        acousticness: optional_value(
            row,
            c.acousticness,
            0.0..=1.0,
            DroppedExtra::Acousticness,
            &mut dropped,
        ),
        tempo: optional_value(
            row,
            c.tempo,
            f64::MIN_POSITIVE..=1000.0,
            DroppedExtra::Tempo,
            &mut dropped,
        ),
        popularity: optional_value(
            row,
            c.popularity,
            0.0..=100.0,
            DroppedExtra::Popularity,
            &mut dropped,
        ),
    };
    let record = TrackRecord {
        id: who.id,
        name: who.name,
        artist: who.artist,
        genre: who.genre,
        mood: Mood::new(valence, energy).expect("both checked to lie in 0..1"),
        extras,
    };
    Ok((record, dropped))
}
