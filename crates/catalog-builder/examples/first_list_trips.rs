//! Round trips and bytes of a first list over a built tiled catalog, counted natively by
//! running the core's `FirstList` (which asks for pieces as the app's walk does: the
//! first wave, then the walk's batches, then the shown tracks' details; for a linked
//! track its id shard first, then its tiles with the details around it): for seeded
//! random points, the far corners, and links to random catalog tracks (the path a paste
//! takes). A model of the network, not a browser measurement: it says how often a list
//! needs a round trip more than its floor, and what the first wave costs.
//!
//! Usage: cargo run --release --example first_list_trips -- DIR [--queries 300] [--each]
//! (--each: what each list over its floor read, round trip by round trip)

mod support;

use moodplane_core::catalog::{DetailChunk, MoodTile};
use moodplane_core::first_list::{gzip_in_slot, FirstList, FirstStep, Piece, PieceForm};
use moodplane_core::tiled_manifest::TiledManifest;
use moodplane_core::TrackId;
use support::{dir_and_queries, gunzip, read_catalog, seeded};

/// What a list cost: round trips one after another, and bytes of archive read.
struct Cost {
    round_trips: usize,
    bytes: u64,
    /// What each round trip read: t a tile, C a detail chunk of the first tile read, c
    /// another tile's, s a shard, w a details window.
    reads: Vec<String>,
}

fn run(text: &str, archive: &[u8], search: &str) -> Cost {
    let manifest = TiledManifest::from_json(text).expect("a manifest");
    let tiles: std::collections::HashSet<u64> =
        manifest.tiles.iter().map(|t| t.blob.offset()).collect();
    let mut list = FirstList::new(text, search).expect("a first list");
    let mut kept: Vec<(u64, &[u8])> = Vec::new();
    let mut first_details: Option<moodplane_core::tiled_manifest::Blob> = None;
    let mut cost = Cost {
        round_trips: 0,
        bytes: 0,
        reads: Vec::new(),
    };
    loop {
        match list.step().expect("a step") {
            FirstStep::Done(_) => return cost,
            FirstStep::Read(pieces) => {
                let mut read = String::new();
                for Piece { blob, form } in pieces {
                    let (start, end) = (blob.offset(), blob.offset() + u64::from(blob.length()));
                    let cut = kept.iter().find_map(|(at, bytes)| {
                        (start >= *at && end <= at + bytes.len() as u64)
                            .then(|| &bytes[(start - at) as usize..(end - at) as usize])
                    });
                    if cut.is_none() {
                        if form == PieceForm::Gzip
                            && tiles.contains(&start)
                            && first_details.is_none()
                        {
                            first_details = manifest
                                .tiles
                                .iter()
                                .find(|t| t.blob.offset() == start)
                                .map(|t| t.details);
                        }
                        read.push(match form {
                            PieceForm::Slot => 's',
                            PieceForm::Kept => 'w',
                            PieceForm::Gzip if tiles.contains(&start) => 't',
                            PieceForm::Gzip if first_details.is_some_and(|d| d.holds(blob)) => 'C',
                            PieceForm::Gzip => 'c',
                        });
                        cost.bytes += end - start;
                    }
                    let bytes = cut.unwrap_or(&archive[start as usize..end as usize]);
                    match form {
                        PieceForm::Gzip => list.put(start, &gunzip(bytes)).expect("a piece"),
                        PieceForm::Slot => {
                            let gzip = gzip_in_slot(bytes).expect("a slot");
                            let inflated = if gzip.is_empty() {
                                Vec::new()
                            } else {
                                gunzip(gzip)
                            };
                            list.put(start, &inflated).expect("a shard")
                        }
                        PieceForm::Kept => kept.push((start, bytes)),
                    }
                }
                if !read.is_empty() {
                    cost.round_trips += 1;
                    cost.reads.push(read);
                }
            }
        }
    }
}

/// The id of catalog track `index` (from its detail chunk: the person has the link).
fn id_of(manifest: &TiledManifest, archive: &[u8], index: usize) -> TrackId {
    let read = |blob: moodplane_core::tiled_manifest::Blob| {
        gunzip(
            &archive[blob.offset() as usize..(blob.offset() + u64::from(blob.length())) as usize],
        )
    };
    let number = manifest.tile_set().tile_of(index).expect("a catalog track");
    let tile = MoodTile::from_bytes(
        &read(manifest.tiles[number].blob),
        &manifest.tile_shape(number),
    )
    .expect("a tile");
    let (chunk, tracks) = manifest
        .detail_chunk_of(number, &tile, index)
        .expect("its chunk");
    DetailChunk::from_bytes(&read(chunk), tracks)
        .expect("a chunk")
        .track(index)
        .expect("its details")
        .id
}

fn summary(name: &str, costs: &[Cost]) {
    let mut trips: Vec<usize> = costs.iter().map(|c| c.round_trips).collect();
    trips.sort_unstable();
    let mut kb: Vec<f64> = costs.iter().map(|c| c.bytes as f64 / 1000.0).collect();
    kb.sort_by(f64::total_cmp);
    let at = |p: f64| ((costs.len() - 1) as f64 * p).round() as usize;
    let floor = trips[0];
    let over = trips.iter().filter(|&&t| t > floor).count();
    println!(
        "{name}: round trips median {} p95 {} max {} ({over} of {} over {floor}); KB median {:.1} p95 {:.1}",
        trips[at(0.5)],
        trips[at(0.95)],
        trips[costs.len() - 1],
        costs.len(),
        kb[at(0.5)],
        kb[at(0.95)],
    );
}

fn main() {
    let (dir, queries) = dir_and_queries("usage: first_list_trips DIR [--queries N]", 300);
    let (text, manifest, archive) = read_catalog(&dir);
    let mut random = seeded(7);
    let points: Vec<Cost> = (0..queries)
        .map(|_| {
            run(
                &text,
                &archive,
                &format!("?v={:.3}&e={:.3}", random(), random()),
            )
        })
        .collect();
    let corners: Vec<Cost> = [(0.03, 0.97), (0.97, 0.03), (0.03, 0.03), (0.97, 0.97)]
        .iter()
        .map(|(v, e)| run(&text, &archive, &format!("?v={v}&e={e}")))
        .collect();
    let tracks: Vec<Cost> = (0..queries)
        .map(|_| {
            let index = (random() * f64::from(manifest.tracks)) as usize;
            let id = id_of(&manifest, &archive, index);
            run(&text, &archive, &format!("?track={id}"))
        })
        .collect();
    println!(
        "{dir}: {} tracks, {} tiles; {queries} seeded points and track links, n = 10",
        manifest.tracks,
        manifest.tiles.len()
    );
    let centre = run(&text, &archive, "?v=0.5&e=0.5");
    println!(
        "the default view (the centre): {} round trips, {:.1} KB, reads {:?}",
        centre.round_trips,
        centre.bytes as f64 / 1000.0,
        centre.reads
    );
    summary("a point", &points);
    summary("a far corner", &corners);
    summary("a track link (a paste)", &tracks);
    if std::env::args().any(|a| a == "--each") {
        for cost in points.iter().chain(&corners).filter(|c| c.round_trips > 1) {
            println!("  p {:?}", cost.reads);
        }
        for cost in tracks.iter().filter(|c| c.round_trips > 2) {
            println!("  {:?}", cost.reads);
        }
    }
}
