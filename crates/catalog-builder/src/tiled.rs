//! Writes a tiled catalog (issue 14): the catalog renumbered in leaf order, cut into
//! mood tiles, detail chunks (a tile's tracks in runs, listed by the tile) and id shards,
//! each gzip-compressed and laid end to end in one archive (a host serves byte ranges of it; the page inflates them), and the
//! manifest that says where each lies. The archive's name carries a hash of its bytes,
//! so hosts may cache it forever.

use std::io::Write;
use std::ops::Range;

use flate2::write::GzEncoder;
use flate2::Compression;
use sha2::{Digest, Sha256};

use moodplane_core::analysis::MoodAnalysis;
use moodplane_core::catalog::id_shard::{in_slot, shards_for};
use moodplane_core::density::count_per_pixel;
use moodplane_core::features::{FeatureMap, FeatureTable};
use moodplane_core::tiled_manifest::{
    Blob, TileRef, TiledManifest, DENSITY_SIZE, LOAD_WHOLE_UP_TO, TILED_FORMAT, TILED_VERSION,
};
use moodplane_core::tiled_whole::order_bytes;
use moodplane_core::tiles::in_leaf_order_from;
use moodplane_core::Catalog;

/// How finely a catalog is cut.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TileSizes {
    /// At most this many tracks per mood tile (more only where many share one mood).
    pub tracks_per_tile: usize,
    /// Tracks per detail chunk: small, because a list's tracks lie in several chunks and
    /// each is fetched whole for the few tracks shown.
    pub tracks_per_chunk: usize,
    /// Ids are split into shards of about this many (a few KB: one request per paste).
    pub ids_per_shard: usize,
    /// A catalog of at most this many tracks is made to be read whole: each tile's
    /// details in one chunk, and the order blob that puts tracks back in catalog order.
    pub load_whole_up_to: u32,
}

impl Default for TileSizes {
    fn default() -> TileSizes {
        TileSizes {
            tracks_per_tile: 4096,
            tracks_per_chunk: 64,
            ids_per_shard: 256,
            load_whole_up_to: LOAD_WHOLE_UP_TO,
        }
    }
}

/// A tiled catalog, ready to write: the manifest, the archive it names, and the catalog
/// in the order the tiles number it.
#[derive(Debug)]
pub struct TiledCatalog {
    pub manifest: TiledManifest,
    pub archive: Vec<u8>,
    pub ordered: Catalog,
}

/// Cuts `catalog` into a tiled catalog held in memory.
pub fn build_tiled(catalog: Catalog, sizes: TileSizes) -> TiledCatalog {
    let mut archive = Vec::new();
    let (manifest, ordered) =
        write_tiled(catalog, sizes, &mut archive).expect("writing to memory cannot fail");
    TiledCatalog {
        manifest,
        archive,
        ordered,
    }
}

/// Cuts `catalog` into a tiled catalog, writing the archive to `sink` as it goes (a
/// catalog of ten million tracks never holds its archive in memory). Returns the
/// manifest and the catalog in tile order.
pub fn write_tiled(
    catalog: Catalog,
    sizes: TileSizes,
    sink: &mut impl Write,
) -> std::io::Result<(TiledManifest, Catalog)> {
    let whole = catalog.len() as u64 <= u64::from(sizes.load_whole_up_to);
    // In the catalog's own order, so a page that reads it whole computes the same figures.
    let analysis = MoodAnalysis::of(&catalog);
    let (ordered, leaves, came_from) = in_leaf_order_from(catalog, sizes.tracks_per_tile);
    // Only a catalog read whole needs to know where its tracks came from.
    let came_from = if whole { came_from } else { Vec::new() };
    let scale = FeatureTable::new(&ordered).scale().clone();
    let mut archive = Archive {
        sink,
        hash: Sha256::new(),
        len: 0,
    };
    // A catalog read whole fetches every chunk at once: one per tile compresses best.
    let per_chunk = |leaf_len: usize| {
        if whole {
            leaf_len.max(1)
        } else {
            sizes.tracks_per_chunk.max(1)
        }
    };
    // Compressing is most of a build: batches of tiles are packed on every core, then
    // written in order, so the archive is the same bytes as a one-thread build's.
    let mut tiles = Vec::with_capacity(leaves.len());
    for batch in leaves.chunks(64) {
        let packed = in_parallel(batch, |leaf| {
            let first = leaf.members[0] as usize;
            pack_tile(
                &ordered,
                first..first + leaf.members.len(),
                per_chunk(leaf.members.len()),
            )
        });
        for (leaf, packed) in batch.iter().zip(packed) {
            let details_start = archive.len;
            let mut details_length = 0;
            for chunk in &packed.chunks {
                details_length += archive.put_compressed(chunk)?.length();
            }
            tiles.push(TileRef {
                first: leaf.members[0],
                count: leaf.members.len() as u32,
                bounds: FeatureMap::from_fn(|f| leaf.bounds[f].map(rounded_out)),
                genres: leaf.genres.clone(),
                blob: archive.put_compressed(&packed.tile)?,
                details: Blob(details_start, details_length),
            });
        }
    }
    let order = if whole {
        Some(archive.put_compressed(&gzip(&order_bytes(came_from.into_iter())))?)
    } else {
        None
    };
    let n = ordered.len();
    // Every shard in a slot the size of the largest, so a page finds any shard from the
    // count and the slot size alone.
    let shard_count = shards_for(n, sizes.ids_per_shard);
    let shards_start = archive.len;
    // Shards are made a batch at a time and let go once packed: only the packed bytes
    // are held until the slot size is known (10M tracks: 2.1 GB peak holding them all).
    let mut packed_shards = Vec::with_capacity(shard_count as usize);
    let mut shards = ordered.id_shards_one_by_one(shard_count).peekable();
    while shards.peek().is_some() {
        let batch: Vec<_> = shards.by_ref().take(256).collect();
        packed_shards.extend(in_parallel(&batch, |shard| {
            if shard.is_empty() {
                Vec::new()
            } else {
                gzip(&shard.to_bytes())
            }
        }));
    }
    drop(shards);
    let shard_slot = 4 + packed_shards.iter().map(Vec::len).max().unwrap_or(0);
    for packed in &packed_shards {
        archive.put_compressed(&in_slot(packed, shard_slot))?;
    }
    drop(packed_shards);
    let hash = archive.hash.finalize();
    let hex: String = hash[..8].iter().map(|b| format!("{b:02x}")).collect();
    let manifest = TiledManifest {
        format: TILED_FORMAT.to_owned(),
        version: TILED_VERSION,
        source: ordered.source().to_owned(),
        tracks: n as u32,
        genres: ordered.genres().to_vec(),
        artists: ordered.artist_count() as u32,
        extras_mask: ordered.extras_mask(),
        scale,
        archive: format!("catalog-{hex}.tiles"),
        archive_bytes: archive.len,
        tiles,
        shard_count,
        shard_slot: shard_slot as u32,
        shards_start,
        shard_span: ordered.id_span(),
        genre_counts: ordered.genre_counts().iter().map(|&c| c as u32).collect(),
        density_size: DENSITY_SIZE,
        density: count_per_pixel(
            ordered.moods(),
            DENSITY_SIZE as usize,
            DENSITY_SIZE as usize,
        ),
        order,
        analysis: Some(analysis),
    };
    Ok((manifest, ordered))
}

/// The archive as it is written: gzip blobs end to end, hashed on the way.
struct Archive<'a, W: Write> {
    sink: &'a mut W,
    hash: Sha256,
    len: u64,
}

impl<W: Write> Archive<'_, W> {
    /// Appends a compressed blob; returns where it lies.
    fn put_compressed(&mut self, compressed: &[u8]) -> std::io::Result<Blob> {
        self.sink.write_all(compressed)?;
        self.hash.update(compressed);
        let blob = Blob(self.len, compressed.len() as u32);
        self.len += compressed.len() as u64;
        Ok(blob)
    }
}

fn gzip(bytes: &[u8]) -> Vec<u8> {
    let mut gzip = GzEncoder::new(Vec::with_capacity(bytes.len() / 2), Compression::default());
    gzip.write_all(bytes).expect("writing to memory");
    gzip.finish().expect("writing to memory")
}

/// A tile's blobs, compressed: its detail chunks, then the tile, which lists their lengths.
struct PackedTile {
    chunks: Vec<Vec<u8>>,
    tile: Vec<u8>,
}

fn pack_tile(ordered: &Catalog, tracks: Range<usize>, per_chunk: usize) -> PackedTile {
    let chunks: Vec<Vec<u8>> = tracks
        .clone()
        .step_by(per_chunk)
        .map(|start| {
            let end = (start + per_chunk).min(tracks.end);
            gzip(&ordered.detail_chunk(start..end).to_bytes())
        })
        .collect();
    let mut tile = ordered.mood_tile(tracks);
    tile.chunk_tracks = per_chunk as u32;
    tile.chunk_lengths = chunks.iter().map(|c| c.len() as u32).collect();
    PackedTile {
        tile: gzip(&tile.to_bytes()),
        chunks,
    }
}

/// `work` done on each of `items` across the machine's cores; results in order.
fn in_parallel<T: Sync, R: Send>(items: &[T], work: impl Fn(&T) -> R + Sync) -> Vec<R> {
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
    let per_thread = items.len().div_ceil(threads).max(1);
    let work = &work;
    std::thread::scope(|scope| {
        let parts: Vec<_> = items
            .chunks(per_thread)
            .map(|part| scope.spawn(move || part.iter().map(work).collect::<Vec<R>>()))
            .collect();
        parts
            .into_iter()
            .flat_map(|part| part.join().expect("a packing thread does not panic"))
            .collect()
    })
}

/// A range widened to whole ten-thousandths (for a shorter manifest): still a bound of
/// every value in it, so the ranking's lower bounds stay lower bounds.
fn rounded_out((lo, hi): (f64, f64)) -> (f64, f64) {
    // Divided (not multiplied by 1e-4) so the result is the double nearest the decimal
    // and prints short; a rounding past the value steps once more.
    const PER_UNIT: f64 = 1e4;
    let mut down = (lo * PER_UNIT).floor() / PER_UNIT;
    if down > lo {
        down = ((lo * PER_UNIT).floor() - 1.0) / PER_UNIT;
    }
    let mut up = (hi * PER_UNIT).ceil() / PER_UNIT;
    if up < hi {
        up = ((hi * PER_UNIT).ceil() + 1.0) / PER_UNIT;
    }
    (down, up)
}

#[cfg(test)]
mod tests {
    use super::rounded_out;
    use proptest::prelude::*;

    proptest! {
        #[test]
        fn rounded_bounds_still_hold_their_range_and_print_short(
            a in 0.0..=1.0f64,
            b in 0.0..=1.0f64,
        ) {
            let (lo, hi) = (a.min(b), a.max(b));
            let (down, up) = rounded_out((lo, hi));
            prop_assert!(down <= lo && up >= hi);
            prop_assert!(hi - lo + 2.1e-4 >= up - down);
            prop_assert!(down.to_string().len() <= 8 && up.to_string().len() <= 8, "{down} {up}");
        }
    }
}
