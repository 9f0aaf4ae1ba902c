//! Why a CSV could not become a catalog, in words for the person running the builder.

use std::fmt;

use crate::report::BuildReport;

/// A failure that leaves nothing to write.
#[derive(Debug)]
pub enum BuildError {
    /// The file could not be read at all.
    Io { path: String, detail: String },
    /// Zero bytes.
    Empty,
    /// A header but no rows.
    NoRows,
    /// The header matches none of the supported formats.
    UnknownFormat { found: Vec<String> },
    /// The format was recognised but some of its required columns are absent.
    MissingColumns {
        format: &'static str,
        missing: Vec<&'static str>,
        found: Vec<String>,
    },
    /// An Exportify export made after Spotify withdrew audio features.
    ExportWithoutAudioFeatures,
    /// The CSV itself is broken (for example, invalid UTF-8 in the header).
    Csv { detail: String },
    /// Every row was skipped.
    NothingUsable(BuildReport),
}

/// Longest echo of a header in a message: a binary file must not flood the terminal.
pub const HEADER_ECHO_CHARS: usize = 200;

/// The header's columns as a person can read them: control characters escaped, cut at
/// [`HEADER_ECHO_CHARS`] with the size of the rest.
pub fn echo_header(found: &[String]) -> String {
    let joined = found.join(", ");
    let escaped: String = joined
        .chars()
        .flat_map(|c| {
            // Control characters, and invisible or text-reversing ones that could make an
            // echoed header read differently from what the file holds.
            let escape = c.is_control()
                || matches!(c, '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{FEFF}' | '\u{FFFD}');
            let shown: Vec<char> = if escape {
                c.escape_default().collect()
            } else {
                vec![c]
            };
            shown
        })
        .collect();
    let total = escaped.chars().count();
    if total <= HEADER_ECHO_CHARS {
        return escaped;
    }
    let kept: String = escaped.chars().take(HEADER_ECHO_CHARS).collect();
    format!("{kept}… ({} more characters)", total - HEADER_ECHO_CHARS)
}

impl fmt::Display for BuildError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            BuildError::Io { path, detail } => write!(f, "cannot read {path}: {detail}"),
            BuildError::Empty => write!(f, "the file is empty: expected a CSV header and rows of tracks"),
            BuildError::NoRows => write!(f, "no tracks: the file has a header but no rows"),
            BuildError::UnknownFormat { found } => write!(
                f,
                "unrecognised CSV header ({}). Looked for a track id column ({}) with valence and energy columns, or one of the known formats: the tutorial format (id, genre, track_name, artist_name, valence, energy); TidyTuesday spotify_songs.csv (track_id, track_name, track_artist, …, valence, energy); the Kaggle 114k tracks dataset (track_id, artists, track_name, …, track_genre); Spotify 1.2M+ Songs tracks_features.csv (id, name, album, album_id, artists, artist_ids, …, valence, …); Spotify 1921–2020 160k+ data.csv (valence, year, …, artists, …, id, …, release_date, …); Spotify 600K+ tracks.csv (id, name, popularity, …, artists, id_artists, …); an Exportify playlist export (Track URI, Track Name, Artist Name(s), …, Valence, Energy)",
                echo_header(found),
                crate::format::GENERIC_ID_COLUMNS.join(", ")
            ),
            BuildError::MissingColumns { format, missing, found } => write!(
                f,
                "this looks like the {format} format but is missing the required column(s) {} (found: {})",
                missing.iter().map(|m| format!("\"{m}\"")).collect::<Vec<_>>().join(", "),
                echo_header(found)
            ),
            BuildError::ExportWithoutAudioFeatures => write!(
                f,
                "this Exportify export has no Valence or Energy columns: newer exports carry no audio features, because Spotify stopped providing them to new apps in November 2024. Without valence and energy its tracks cannot be placed on the mood plane; use an export made before then, or another catalog"
            ),
            BuildError::Csv { detail } => write!(
                f,
                "the CSV cannot be parsed: {}",
                echo_header(std::slice::from_ref(detail))
            ),
            BuildError::NothingUsable(report) => {
                write!(f, "nothing usable remains: every row was skipped.\n{report}")
            }
        }
    }
}

impl std::error::Error for BuildError {}
