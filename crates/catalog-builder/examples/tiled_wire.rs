//! What a tiled catalog would cost a page on the wire, counted natively (issue 14): for
//! seeded random points (n = 10) and pastes of random catalog ids, the bytes of every
//! blob the page must fetch before it can show the list (manifest, the tiles the walk
//! asks for one after another, the detail chunks of the shown tracks, and for a paste
//! its id shard and tile first), and how many round trips follow one another. A model
//! of the network, not a browser measurement: the page does not read tiles yet.
//!
//! Usage: cargo run --release --example tiled_wire -- DIR [--queries 200]

mod support;

use std::collections::BTreeSet;
use std::io::Write;

use moodplane_core::catalog::id_shard::from_slot;
use moodplane_core::catalog::{DetailChunk, MoodTile};
use moodplane_core::rank_options::RankOptions;
use moodplane_core::tiled_manifest::{Blob, TiledManifest};
use moodplane_core::tiles::{TileSet, TiledRanking};
use moodplane_core::{Mood, Query, TrackId};
use support::{dir_and_queries, gunzip, read_catalog, seeded};

struct Archive(Vec<u8>);

impl Archive {
    fn read(&self, blob: Blob) -> Vec<u8> {
        let start = blob.offset() as usize;
        gunzip(&self.0[start..start + blob.length() as usize])
    }

    /// The id shard in `slot`, inflated.
    fn read_shard(&self, slot: Blob) -> Vec<u8> {
        let start = slot.offset() as usize;
        gunzip(from_slot(&self.0[start..start + slot.length() as usize]).expect("a slot"))
    }
}

/// What one query cost.
struct Cost {
    bytes: u64,
    rounds: usize,
}

/// Ranks from no tile at hand; returns the cost and the matches' indices.
fn first_results(
    manifest: &TiledManifest,
    archive: &Archive,
    tiles: &mut TileSet,
    query: Query,
) -> (Cost, Vec<usize>) {
    let mut cost = Cost {
        bytes: 0,
        rounds: 0,
    };
    let matches = loop {
        match tiles.rank(query, 10, &RankOptions::default()) {
            TiledRanking::Ranked { matches, .. } => break matches,
            TiledRanking::Needs(number) => {
                fetch_tile(manifest, archive, tiles, number, &mut cost);
            }
        }
    };
    // The shown tracks' detail chunks, fetched together: one more round.
    let mut chunks = BTreeSet::new();
    for m in &matches {
        let number = tiles.tile_of(m.index).expect("a catalog track");
        let tile = tiles.tile(number).expect("its tile was read");
        let (blob, _) = manifest
            .detail_chunk_of(number, tile, m.index)
            .expect("a chunk");
        chunks.insert((blob.offset(), blob.length()));
    }
    cost.bytes += chunks.iter().map(|&(_, l)| u64::from(l)).sum::<u64>();
    cost.rounds += 1;
    (cost, matches.iter().map(|m| m.index).collect())
}

fn read_tile(manifest: &TiledManifest, archive: &Archive, number: usize) -> MoodTile {
    let blob = manifest.tiles[number].blob;
    MoodTile::from_bytes(&archive.read(blob), &manifest.tile_shape(number)).expect("a valid tile")
}

/// Fetches tile `number` into `tiles`, counting it as one more round trip.
fn fetch_tile(
    manifest: &TiledManifest,
    archive: &Archive,
    tiles: &mut TileSet,
    number: usize,
    cost: &mut Cost,
) {
    cost.bytes += u64::from(manifest.tiles[number].blob.length());
    cost.rounds += 1;
    tiles.insert(number, read_tile(manifest, archive, number));
}

/// A track's id, read from its detail chunk (not counted: the person pasted it).
fn id_of(manifest: &TiledManifest, archive: &Archive, index: usize) -> TrackId {
    let number = manifest.tile_set().tile_of(index).expect("a catalog track");
    let tile = read_tile(manifest, archive, number);
    let (chunk, tracks) = manifest
        .detail_chunk_of(number, &tile, index)
        .expect("its chunk");
    DetailChunk::from_bytes(&archive.read(chunk), tracks)
        .expect("a valid chunk")
        .track(index)
        .expect("its details")
        .id
}

fn percentile(mut xs: Vec<f64>, p: f64) -> f64 {
    xs.sort_by(f64::total_cmp);
    xs[((xs.len() - 1) as f64 * p).round() as usize]
}

fn main() {
    let (dir, queries) = dir_and_queries("usage: tiled_wire DIR [--queries N]", 200);
    let (text, manifest, archive) = read_catalog(&dir);
    let archive = Archive(archive);
    let mut gzip = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    gzip.write_all(text.as_bytes()).expect("memory");
    let manifest_gz = gzip.finish().expect("memory").len() as u64;
    let mut random = seeded(42);
    let (mut point_bytes, mut point_rounds) = (Vec::new(), Vec::new());
    let (mut paste_bytes, mut paste_rounds) = (Vec::new(), Vec::new());
    let mut tiles_read = Vec::new();
    for _ in 0..queries {
        // A point anywhere, from a cold page (only the manifest at hand).
        let mut tiles = manifest.tile_set();
        let query = Query::at(Mood::clamped(random(), random()));
        let (cost, _) = first_results(&manifest, &archive, &mut tiles, query);
        point_bytes.push(cost.bytes as f64);
        point_rounds.push(cost.rounds as f64);
        tiles_read.push((cost.rounds - 1) as f64);
        // A paste of a catalog id, the page warm with that point's tiles.
        let index = (random() * f64::from(manifest.tracks)) as usize % manifest.tracks as usize;
        let id = id_of(&manifest, &archive, index);
        let shard = manifest.shard_for(&id);
        // A page fetches the shard's whole slot.
        let slot = manifest.shard_slot_of(shard).expect("its shard");
        let shard_bytes = archive.read_shard(slot);
        let found = manifest
            .id_shard(shard, &shard_bytes)
            .expect("shard")
            .find(&id);
        let (found_index, mood) = found.expect("a catalog id");
        assert_eq!(found_index, index);
        let mut cost = Cost {
            bytes: u64::from(slot.length()),
            rounds: 1,
        };
        // The shard gives the track's mood: the walk starts there, its tile among the rest.
        let query = Query {
            mood,
            track: Some(index),
        };
        let (rest, _) = first_results(&manifest, &archive, &mut tiles, query);
        cost.bytes += rest.bytes;
        cost.rounds += rest.rounds;
        paste_bytes.push(cost.bytes as f64);
        paste_rounds.push(cost.rounds as f64);
    }
    let kb = |x: f64| x / 1000.0;
    println!(
        "{dir}: {} tracks, {} tiles, manifest {:.1} KB gzip, archive {:.1} MB",
        manifest.tracks,
        manifest.tiles.len(),
        kb(manifest_gz as f64),
        manifest.archive_bytes as f64 / 1e6
    );
    println!(
        "a point from a cold page ({queries} seeded points, n = 10): tiles read median {} p95 {}; after the manifest: median {:.1} KB p95 {:.1} KB in median {} p95 {} round trips",
        percentile(tiles_read.clone(), 0.5),
        percentile(tiles_read, 0.95),
        kb(percentile(point_bytes.clone(), 0.5)),
        kb(percentile(point_bytes, 0.95)),
        percentile(point_rounds.clone(), 0.5),
        percentile(point_rounds, 0.95)
    );
    println!(
        "a pasted catalog id (page warm at another point): median {:.1} KB p95 {:.1} KB in median {} p95 {} round trips (shard, then tiles one after another, chunks)",
        kb(percentile(paste_bytes.clone(), 0.5)),
        kb(percentile(paste_bytes, 0.95)),
        percentile(paste_rounds.clone(), 0.5),
        percentile(paste_rounds, 0.95)
    );
}
