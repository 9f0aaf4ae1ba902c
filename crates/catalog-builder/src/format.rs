//! Recognises which of the supported CSV layouts a header belongs to and where each
//! field the catalog needs sits in it: the named formats by a column only they have, and
//! any other CSV with a track id column plus valence and energy by those columns.

use crate::error::BuildError;

/// A supported source layout.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SourceFormat {
    /// `id,genre,track_name,artist_name,valence,energy`
    Tutorial,
    /// TidyTuesday 2020-01-21 `spotify_songs.csv`.
    TidyTuesday,
    /// Kaggle "Spotify Tracks Dataset" (114k rows, unnamed index column first).
    Kaggle,
    /// An Exportify playlist export.
    Exportify,
    /// Kaggle "Spotify 1.2M+ Songs" `tracks_features.csv` (artists as a Python list).
    Songs1200k,
    /// Kaggle "Spotify Dataset 1921–2020, 160k+ tracks" `data.csv` (artists as a Python list).
    Data160k,
    /// Kaggle "Spotify 600K+ tracks" `tracks.csv` (artists as a Python list).
    Tracks600k,
    /// Any CSV with a track id column (`id`, `track_id`, `uri`, `Track URI`) and
    /// `valence` and `energy`; name, artists, genre and popularity when present.
    Generic,
}

/// How a format writes several artists in one field.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ArtistStyle {
    /// As they should be shown.
    Plain,
    /// `Artist A;Artist B` (Kaggle 114k).
    Semicolons,
    /// A Python list literal: `['Artist A', "Artist B's Band"]`.
    PythonList,
    /// A Python list when the field looks like one, else plain (generic CSVs).
    Either,
}

impl SourceFormat {
    pub fn name(self) -> &'static str {
        match self {
            SourceFormat::Tutorial => "tutorial",
            SourceFormat::TidyTuesday => "TidyTuesday spotify_songs",
            SourceFormat::Kaggle => "Kaggle 114k tracks",
            SourceFormat::Exportify => "Exportify playlist export",
            SourceFormat::Songs1200k => "Spotify 1.2M+ Songs tracks_features.csv",
            SourceFormat::Data160k => "Spotify 1921–2020 160k+ data.csv",
            SourceFormat::Tracks600k => "Spotify 600K+ tracks.csv",
            SourceFormat::Generic => "generic (track id, valence, energy)",
        }
    }

    pub fn artist_style(self) -> ArtistStyle {
        match self {
            SourceFormat::Kaggle => ArtistStyle::Semicolons,
            SourceFormat::Songs1200k | SourceFormat::Data160k | SourceFormat::Tracks600k => {
                ArtistStyle::PythonList
            }
            SourceFormat::Generic => ArtistStyle::Either,
            _ => ArtistStyle::Plain,
        }
    }

    /// Column names of (id, name, artist, valence, energy), required in this order.
    fn required(self) -> [&'static str; 5] {
        match self {
            SourceFormat::Tutorial => ["id", "track_name", "artist_name", "valence", "energy"],
            SourceFormat::TidyTuesday => [
                "track_id",
                "track_name",
                "track_artist",
                "valence",
                "energy",
            ],
            SourceFormat::Kaggle => ["track_id", "track_name", "artists", "valence", "energy"],
            SourceFormat::Exportify => [
                "Track URI",
                "Track Name",
                "Artist Name(s)",
                "Valence",
                "Energy",
            ],
            SourceFormat::Songs1200k
            | SourceFormat::Data160k
            | SourceFormat::Tracks600k
            | SourceFormat::Generic => ["id", "name", "artists", "valence", "energy"],
        }
    }

    /// Column names of (genre, danceability, acousticness, tempo, popularity), optional.
    fn optional(self) -> [&'static str; 5] {
        match self {
            SourceFormat::Tutorial => [
                "genre",
                "danceability",
                "acousticness",
                "tempo",
                "popularity",
            ],
            SourceFormat::TidyTuesday => [
                "playlist_genre",
                "danceability",
                "acousticness",
                "tempo",
                "track_popularity",
            ],
            SourceFormat::Kaggle => [
                "track_genre",
                "danceability",
                "acousticness",
                "tempo",
                "popularity",
            ],
            SourceFormat::Exportify => [
                "Genres",
                "Danceability",
                "Acousticness",
                "Tempo",
                "Popularity",
            ],
            SourceFormat::Songs1200k
            | SourceFormat::Data160k
            | SourceFormat::Tracks600k
            | SourceFormat::Generic => [
                "genre",
                "danceability",
                "acousticness",
                "tempo",
                "popularity",
            ],
        }
    }
}

/// Track id columns a generic CSV may use, in order of preference.
pub const GENERIC_ID_COLUMNS: [&str; 5] = ["id", "track_id", "uri", "track uri", "spotify_id"];
const GENERIC_NAME_COLUMNS: [&str; 4] = ["name", "track_name", "track name", "title"];
const GENERIC_ARTIST_COLUMNS: [&str; 6] = [
    "artists",
    "artist",
    "artist_name",
    "artist name(s)",
    "track_artist",
    "artist_names",
];
const GENERIC_GENRE_COLUMNS: [&str; 5] = [
    "genre",
    "track_genre",
    "playlist_genre",
    "genres",
    "top genre",
];
const GENERIC_POPULARITY_COLUMNS: [&str; 2] = ["popularity", "track_popularity"];

/// Columns of a generic CSV, matched without regard to case: None without an id column,
/// valence and energy.
fn detect_generic(header: &[String]) -> Option<Columns> {
    generic_columns(header).filter(|c| c.valence.is_some() && c.energy.is_some())
}

/// Columns of a generic CSV by name, whatever case: None without an id column.
fn generic_columns(header: &[String]) -> Option<Columns> {
    let position = |names: &[&str]| {
        names.iter().find_map(|name| {
            header
                .iter()
                .position(|h| h.trim().eq_ignore_ascii_case(name))
        })
    };
    Some(Columns {
        id: position(&GENERIC_ID_COLUMNS)?,
        valence: position(&["valence"]),
        energy: position(&["energy"]),
        name: position(&GENERIC_NAME_COLUMNS),
        artist: position(&GENERIC_ARTIST_COLUMNS),
        genre: position(&GENERIC_GENRE_COLUMNS),
        danceability: position(&["danceability"]),
        acousticness: position(&["acousticness"]),
        tempo: position(&["tempo"]),
        popularity: position(&GENERIC_POPULARITY_COLUMNS),
    })
}

/// Where each field sits in a row.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Columns {
    pub id: usize,
    /// Absent only in generic CSVs (the track is then untitled).
    pub name: Option<usize>,
    pub artist: Option<usize>,
    /// Absent only in a library without audio features (see [`detect_library`]).
    pub valence: Option<usize>,
    pub energy: Option<usize>,
    pub genre: Option<usize>,
    pub danceability: Option<usize>,
    pub acousticness: Option<usize>,
    pub tempo: Option<usize>,
    pub popularity: Option<usize>,
}

/// Picks the format by a column only it has, then finds every column it needs; failing
/// that, reads it as a generic CSV when it has a track id, valence and energy.
pub fn detect(header: &[String]) -> Result<(SourceFormat, Columns), BuildError> {
    let has = |name: &str| header.iter().any(|h| h == name);
    let format = if has("Track URI") {
        SourceFormat::Exportify
    } else if has("track_artist") {
        SourceFormat::TidyTuesday
    } else if has("artist_ids") && has("album_id") {
        SourceFormat::Songs1200k
    } else if has("id_artists") {
        SourceFormat::Tracks600k
    } else if has("track_genre") {
        SourceFormat::Kaggle
    } else if has("year") && has("artists") && has("id") && has("release_date") {
        SourceFormat::Data160k
    } else if has("artist_name") {
        SourceFormat::Tutorial
    } else if let Some(columns) = detect_generic(header) {
        return Ok((SourceFormat::Generic, columns));
    } else {
        return Err(BuildError::UnknownFormat {
            found: header.to_vec(),
        });
    };
    let position = |name: &str| header.iter().position(|h| h == name);
    let required = format.required();
    let missing: Vec<&'static str> = required
        .iter()
        .copied()
        .filter(|name| position(name).is_none())
        .collect();
    if format == SourceFormat::Exportify
        && missing.iter().all(|m| *m == "Valence" || *m == "Energy")
        && !missing.is_empty()
    {
        return Err(BuildError::ExportWithoutAudioFeatures);
    }
    // The tutorial format always has a genre column.
    let tutorial_genre_missing = format == SourceFormat::Tutorial && !has("genre");
    if !missing.is_empty() || tutorial_genre_missing {
        let mut missing = missing;
        if tutorial_genre_missing {
            missing.insert(0, "genre");
        }
        return Err(BuildError::MissingColumns {
            format: format.name(),
            missing,
            found: header.to_vec(),
        });
    }
    let [id, name, artist, valence, energy] = required.map(|n| position(n).expect("checked above"));
    let (name, artist) = (Some(name), Some(artist));
    let [genre, danceability, acousticness, tempo, popularity] = format.optional().map(position);
    Ok((
        format,
        Columns {
            id,
            name,
            artist,
            valence: Some(valence),
            energy: Some(energy),
            genre,
            danceability,
            acousticness,
            tempo,
            popularity,
        },
    ))
}

/// The columns of a person's own library: every catalog format, and also a CSV whose
/// tracks carry no mood (an Exportify export made after November 2024, or any CSV with a
/// track id column), whose rows the page then places by id.
pub fn detect_library(header: &[String]) -> Result<(SourceFormat, Columns), BuildError> {
    let error = match detect(header) {
        Ok(found) => return Ok(found),
        Err(error) => error,
    };
    let moodless = matches!(
        error,
        BuildError::ExportWithoutAudioFeatures | BuildError::UnknownFormat { .. }
    );
    match generic_columns(header).filter(|_| moodless) {
        Some(columns) if header.iter().any(|h| h == "Track URI") => {
            Ok((SourceFormat::Exportify, columns))
        }
        Some(columns) => Ok((SourceFormat::Generic, columns)),
        None => Err(error),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn header(names: &str) -> Vec<String> {
        names.split(',').map(str::to_owned).collect()
    }

    #[test]
    fn detects_each_format() {
        let (f, c) = detect(&header("id,genre,track_name,artist_name,valence,energy")).unwrap();
        assert_eq!(f, SourceFormat::Tutorial);
        assert_eq!(
            (c.id, c.genre, c.energy, c.tempo),
            (0, Some(1), Some(5), None)
        );
        let (f, _) = detect(&header(",track_id,artists,album_name,track_name,popularity,danceability,energy,valence,tempo,track_genre")).unwrap();
        assert_eq!(f, SourceFormat::Kaggle);
        let (f, c) = detect(&header("Track URI,Track Name,Artist Name(s),Popularity,Genres,Danceability,Energy,Valence,Tempo")).unwrap();
        assert_eq!(f, SourceFormat::Exportify);
        assert_eq!(c.popularity, Some(3));
    }

    #[test]
    fn names_missing_columns() {
        let err = detect(&header("id,genre,track_name,artist_name,valence")).unwrap_err();
        assert_eq!(
            err.to_string(),
            "this looks like the tutorial format but is missing the required column(s) \"energy\" (found: id, genre, track_name, artist_name, valence)"
        );
    }

    #[test]
    fn newer_exportify_exports_are_explained() {
        let err = detect(&header("Track URI,Track Name,Artist Name(s),Popularity")).unwrap_err();
        assert!(matches!(err, BuildError::ExportWithoutAudioFeatures));
        assert!(err.to_string().contains("no audio features"));
    }

    #[test]
    fn unknown_header_lists_the_formats() {
        let err = detect(&header("a,b,c")).unwrap_err();
        let text = err.to_string();
        assert!(
            text.contains("(a, b, c)") && text.contains("Exportify"),
            "{text}"
        );
    }

    #[test]
    fn a_library_may_lack_moods() {
        let (f, c) = detect_library(&header(
            "Track URI,Track Name,Artist Name(s),Genres,Popularity",
        ))
        .unwrap();
        assert_eq!(f, SourceFormat::Exportify);
        assert_eq!(
            (c.id, c.name, c.artist, c.genre, c.popularity, c.valence),
            (0, Some(1), Some(2), Some(3), Some(4), None)
        );
        let (f, c) = detect_library(&header("track_id,title")).unwrap();
        assert_eq!((f, c.id, c.name), (SourceFormat::Generic, 0, Some(1)));
        // A catalog needs moods; a header without any id column is still unknown.
        assert!(detect(&header("track_id,title")).is_err());
        assert!(matches!(
            detect_library(&header("a,b")),
            Err(BuildError::UnknownFormat { .. })
        ));
        // A known format missing a column other than the mood is still reported as such.
        assert!(matches!(
            detect_library(&header("id,genre,track_name,artist_name,valence")),
            Err(BuildError::MissingColumns { .. })
        ));
    }
}
