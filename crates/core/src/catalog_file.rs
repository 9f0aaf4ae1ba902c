//! The catalog's JSON interchange schema: columnar, with repeated strings stored once.
//!
//! ```json
//! { "format": "moodplane-catalog", "version": 1, "source": "…",
//!   "genres": ["acoustic", …], "artists": ["Train", …],
//!   "tracks": { "id": […], "name": […], "artist": [0, …], "genre": [0, …],
//!               "valence": [0.768, …], "energy": [0.885, …],
//!               "danceability": [0.5, null, …] /* optional, as are the others */ } }
//! ```
//! `artist` and `genre` index the string tables. Optional feature columns, when present,
//! have one entry per track, `null` where the source had no usable value; every number
//! must lie in its feature's range (danceability and acousticness 0..=1, tempo above 0
//! and at most 1000, popularity 0..=100), or loading fails with `CatalogError::BadExtra`.

use serde::{Deserialize, Serialize};

/// The value of `format` in every catalog file.
pub const CATALOG_FORMAT: &str = "moodplane-catalog";
/// The schema version this code writes and reads.
pub const CATALOG_VERSION: u32 = 1;

/// A catalog as stored in JSON. Validate it with [`crate::Catalog::from_file`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CatalogFile {
    pub format: String,
    pub version: u32,
    /// Where the tracks came from, for people (file name, row counts).
    pub source: String,
    pub genres: Vec<String>,
    pub artists: Vec<String>,
    pub tracks: TrackColumns,
}

/// One array per field, all of the same length.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct TrackColumns {
    pub id: Vec<String>,
    pub name: Vec<String>,
    pub artist: Vec<u32>,
    pub genre: Vec<u32>,
    pub valence: Vec<f64>,
    pub energy: Vec<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub danceability: Option<Vec<Option<f64>>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub acousticness: Option<Vec<Option<f64>>>,
    /// Beats per minute, unscaled: above 0, at most 1000.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tempo: Option<Vec<Option<f64>>>,
    /// Spotify popularity, 0..=100.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub popularity: Option<Vec<Option<f64>>>,
}
