//! What the examples that read a built tiled catalog share: their arguments, reading the
//! catalog, inflating its blobs and a seeded stream of numbers for picking points and
//! tracks.

use std::io::Read;

use flate2::read::GzDecoder;
use moodplane_core::tiled_manifest::TiledManifest;

/// The catalog's folder (the first argument; `usage` otherwise) and `--queries N`
/// (`queries` when not given).
pub fn dir_and_queries(usage: &str, queries: usize) -> (String, usize) {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let dir = args.first().expect(usage).clone();
    let queries = args
        .iter()
        .position(|a| a == "--queries")
        .and_then(|i| args.get(i + 1))
        .and_then(|n| n.parse().ok())
        .unwrap_or(queries);
    (dir, queries)
}

/// The tiled catalog in `dir`: its manifest's text, the manifest, and its archive.
pub fn read_catalog(dir: &str) -> (String, TiledManifest, Vec<u8>) {
    let text = std::fs::read_to_string(format!("{dir}/tiles.json")).expect("tiles.json");
    let manifest = TiledManifest::from_json(&text).expect("a valid manifest");
    let archive = std::fs::read(format!("{dir}/{}", manifest.archive)).expect("the archive");
    (text, manifest, archive)
}

/// The bytes of one gzip blob of the archive.
pub fn gunzip(packed: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    GzDecoder::new(packed)
        .read_to_end(&mut out)
        .expect("a gzip blob");
    out
}

/// A seeded stream of numbers in 0..1 (xorshift64*): enough for picking points.
pub fn seeded(mut seed: u64) -> impl FnMut() -> f64 {
    move || {
        seed ^= seed >> 12;
        seed ^= seed << 25;
        seed ^= seed >> 27;
        (seed.wrapping_mul(0x2545_F491_4F6C_DD1D) >> 11) as f64 / (1u64 << 53) as f64
    }
}
