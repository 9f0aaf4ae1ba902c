//! What the Criterion benchmarks share: which catalog CSVs to run on, and loading one.

use std::path::{Path, PathBuf};

use moodplane_catalog_builder::build_catalog_from_reader;
use moodplane_core::Catalog;

/// The CSVs named in MOODPLANE_BENCH_CSVS (comma-separated); by default the embedded 11k
/// catalog and, when present, ../shared/data's 32k one.
pub fn catalogs() -> Vec<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    match std::env::var("MOODPLANE_BENCH_CSVS") {
        Ok(list) if !list.trim().is_empty() => list.split(',').map(PathBuf::from).collect(),
        _ => [
            root.join("data/valence_arousal_11k.csv"),
            root.join("../shared/data/spotify_songs_32k.csv"),
        ]
        .into_iter()
        .filter(|p| p.exists())
        .collect(),
    }
}

pub fn load(path: &Path) -> Catalog {
    let file = std::fs::File::open(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let name = path.file_name().unwrap().to_string_lossy().into_owned();
    build_catalog_from_reader(std::io::BufReader::new(file), &name)
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()))
        .catalog
}
