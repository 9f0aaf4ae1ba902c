//! What the examples that read a built tiled catalog share: inflating its blobs and a
//! seeded stream of numbers for picking points and tracks.

use std::io::Read;

use flate2::read::GzDecoder;

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
