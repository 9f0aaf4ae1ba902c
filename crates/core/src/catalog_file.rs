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

/// The tiled catalog's manifest a build declares in the page (`tiles-<16 hex>.json`, a
/// content hash so hosts may cache it forever); anything else is no catalog.
pub fn tiles_manifest_name(declared: Option<&str>) -> Option<&str> {
    Some(declared_hashed_name(declared, "tiles-", ".json", "")).filter(|n| !n.is_empty())
}

/// The import worker's script beside the page when the build names none.
pub const DEFAULT_IMPORT_WORKER: &str = "import-worker.js";

/// The import worker's script a deployable build declares (`import-worker-<16 hex>.js`);
/// anything else gives the default name.
pub fn import_worker_name(declared: Option<&str>) -> &str {
    declared_hashed_name(declared, "import-worker-", ".js", DEFAULT_IMPORT_WORKER)
}

/// `declared` when it is exactly `stem` + 16 lowercase hex digits + `extension` (so a
/// page can never be pointed elsewhere through it), else `default`.
fn declared_hashed_name<'a>(
    declared: Option<&'a str>,
    stem: &str,
    extension: &str,
    default: &'a str,
) -> &'a str {
    match declared {
        Some(name)
            if name.len() == stem.len() + 16 + extension.len()
                && name.starts_with(stem)
                && name.ends_with(extension)
                && name[stem.len()..name.len() - extension.len()]
                    .bytes()
                    .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b)) =>
        {
            name
        }
        _ => default,
    }
}

#[cfg(test)]
mod packed_name_tests {
    use super::*;

    #[test]
    fn only_a_hashed_manifest_name_is_taken() {
        assert_eq!(tiles_manifest_name(None), None);
        assert_eq!(
            tiles_manifest_name(Some("tiles-0123456789abcdef.json")),
            Some("tiles-0123456789abcdef.json")
        );
        for bad in [
            "https://evil.example/tiles-0123456789abcdef.json",
            "../tiles-0123456789abcdef.json",
            "tiles-0123456789ABCDEF.json",
            "tiles-0123.json",
            "",
        ] {
            assert_eq!(tiles_manifest_name(Some(bad)), None, "{bad}");
        }
    }

    #[test]
    fn only_a_hashed_worker_name_is_taken() {
        assert_eq!(import_worker_name(None), "import-worker.js");
        assert_eq!(
            import_worker_name(Some("import-worker-00ff00ff00ff00ff.js")),
            "import-worker-00ff00ff00ff00ff.js"
        );
        for bad in [
            "https://evil.example/x.js",
            "import-worker-00ff00ff00ff00fg.js",
            "import-worker-00ff.js",
            "../import-worker-00ff00ff00ff00ff.js",
        ] {
            assert_eq!(import_worker_name(Some(bad)), "import-worker.js", "{bad}");
        }
    }
}
