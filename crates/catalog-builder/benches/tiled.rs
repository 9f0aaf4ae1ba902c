//! Criterion benchmark of one ranking query (n = 10) over tiles, every tile at hand: the
//! page's drag loop over a big catalog, where each move walks the tiles best-first.
//! The catalog CSVs are those of ranking.rs (MOODPLANE_BENCH_CSVS), cut into tiles of at
//! most 8 tracks, so the 32k catalog makes thousands of tiles, as 10M tracks do in tiles
//! of 4,096. Each iteration runs the same 200 seeded uniform query points.

mod common;

use common::{catalogs, load};
use criterion::{criterion_group, criterion_main, Criterion};
use moodplane_core::catalog::MoodTile;
use moodplane_core::features::FeatureTable;
use moodplane_core::rank_options::RankOptions;
use moodplane_core::tiles::{directory_of, in_leaf_order, TileSet, TiledRanking};
use moodplane_core::{Mood, Query};

const QUERIES: usize = 200;
const N: usize = 10;
const TRACKS_PER_TILE: usize = 8;

/// The same 200 points on every run (a small linear congruential generator).
fn queries() -> Vec<Query> {
    let mut state: u64 = 11;
    let mut next = move || {
        state = state
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        (state >> 11) as f64 / (1u64 << 53) as f64
    };
    (0..QUERIES)
        .map(|_| Query::at(Mood::clamped(next(), next())))
        .collect()
}

fn tiled(c: &mut Criterion) {
    let queries = queries();
    for path in catalogs() {
        let (catalog, leaves) = in_leaf_order(load(&path), TRACKS_PER_TILE);
        let directory = directory_of(&catalog, &leaves);
        let mut tiles = TileSet::new(
            directory.clone(),
            FeatureTable::new(&catalog).scale().clone(),
        );
        for (number, entry) in directory.iter().enumerate() {
            let range =
                entry.shape.first as usize..(entry.shape.first + entry.shape.count) as usize;
            tiles.insert(
                number,
                MoodTile::from_bytes(&catalog.mood_tile(range).to_bytes(), &entry.shape).unwrap(),
            );
        }
        let label = path.file_stem().unwrap().to_string_lossy().into_owned();
        let mut group = c.benchmark_group(format!("tiled_{label}_{}_tiles", directory.len()));
        group.sample_size(10);
        let options = RankOptions::default();
        group.bench_function("plain", |b| {
            b.iter(|| {
                for &q in &queries {
                    let TiledRanking::Ranked { matches, .. } = tiles.rank(q, N, &options) else {
                        panic!("every tile is at hand");
                    };
                    std::hint::black_box(matches);
                }
            })
        });
        group.finish();
    }
}

criterion_group!(benches, tiled);
criterion_main!(benches);
