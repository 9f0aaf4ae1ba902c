//! Turns one CSV row into a track, or into the reason it has to be skipped.

use csv::StringRecord;
use moodplane_core::{ExtraFeatures, Mood, TrackId, TrackRecord};

use crate::format::{Columns, SourceFormat};

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

/// Reads one data row: the track, with the optional values it had to leave out.
pub fn read_row(
    row: &StringRecord,
    format: SourceFormat,
    c: &Columns,
) -> Result<(TrackRecord, Vec<DroppedExtra>), SkipReason> {
    let raw_id = field(row, c.id);
    let raw_id = match format {
        SourceFormat::Exportify => raw_id.strip_prefix("spotify:track:").unwrap_or(raw_id),
        _ => raw_id,
    };
    let id = TrackId::parse(raw_id).map_err(|_| SkipReason::BadTrackId)?;
    let valence = unit_value(
        field(row, c.valence),
        SkipReason::MissingValence,
        SkipReason::ValenceNotANumber,
        SkipReason::ValenceOutOfRange,
    )?;
    let energy = unit_value(
        field(row, c.energy),
        SkipReason::MissingEnergy,
        SkipReason::EnergyNotANumber,
        SkipReason::EnergyOutOfRange,
    )?;
    let artist = match format {
        SourceFormat::Kaggle => field(row, c.artist).replace(';', ", "),
        _ => field(row, c.artist).to_owned(),
    };
    let genre = c.genre.map(|g| field(row, g)).unwrap_or("");
    let genre = match format {
        // Exportify lists several genres in one field; the first stands for the track.
        SourceFormat::Exportify => genre.split(',').next().unwrap_or("").trim(),
        _ => genre,
    };
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
        id,
        name: field(row, c.name).to_owned(),
        artist,
        genre: genre.to_owned(),
        mood: Mood::new(valence, energy).expect("both checked to lie in 0..1"),
        extras,
    };
    Ok((record, dropped))
}
