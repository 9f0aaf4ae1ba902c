//! Criterion benchmark of one ranking query (n = 10): brute force vs the grid index, plain,
//! z-scored, with zero mood weights (`w=valence:0,energy:0,danceability:1`, where the
//! grid's valence–energy bound tells nothing) and with faint ones (`valence:0.1,energy:0.1,
//! danceability:1`, where it tells little), on each catalog CSV named in
//! MOODPLANE_BENCH_CSVS (comma-separated; default: the embedded 11k catalog and, when
//! present, ../shared/data's 32k one).
//! Each iteration runs the same 200 seeded uniform query points; figures are per query
//! batch, so divide by 200 (bench/report.mjs does) for one query.

mod common;

use common::{catalogs, load};
use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion};
use moodplane_core::features::{Feature, FeatureTable};
use moodplane_core::rank_options::RankOptions;
use moodplane_core::ranker::{rank, Ranker};
use moodplane_core::{Mood, Query};

/// Queries per iteration.
pub const QUERIES: usize = 200;
const N: usize = 10;

/// A small deterministic generator (SplitMix64) for query points.
fn queries() -> Vec<Query> {
    let mut state: u64 = 7;
    let mut next = move || {
        state = state.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = state;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        ((z ^ (z >> 31)) >> 11) as f64 / (1u64 << 53) as f64
    };
    (0..QUERIES)
        .map(|_| Query::at(Mood::clamped(next(), next())))
        .collect()
}

fn ranking(c: &mut Criterion) {
    let queries = queries();
    let z_scored = RankOptions {
        z_score: true,
        ..RankOptions::default()
    };
    let mut zero_mood_weights = RankOptions::default();
    zero_mood_weights.weights[Feature::Valence] = 0.0;
    zero_mood_weights.weights[Feature::Energy] = 0.0;
    zero_mood_weights.weights[Feature::Danceability] = 1.0;
    let mut faint_mood_weights = zero_mood_weights.clone();
    faint_mood_weights.weights[Feature::Valence] = 0.1;
    faint_mood_weights.weights[Feature::Energy] = 0.1;
    for path in catalogs() {
        let catalog = load(&path);
        let features = FeatureTable::new(&catalog);
        let ranker = Ranker::new(&catalog);
        let label = path.file_stem().unwrap().to_string_lossy().into_owned();
        let mut group = c.benchmark_group(format!("rank_{label}"));
        group.sample_size(10);
        for (name, options) in [
            ("plain", RankOptions::default()),
            ("zscore", z_scored.clone()),
            ("zero_mood_weights", zero_mood_weights.clone()),
            ("faint_mood_weights", faint_mood_weights.clone()),
        ] {
            group.bench_function(BenchmarkId::new("brute_force", name), |b| {
                b.iter(|| {
                    for &q in &queries {
                        std::hint::black_box(rank(&catalog, &features, q, N, &options));
                    }
                })
            });
            group.bench_function(BenchmarkId::new("grid_index", name), |b| {
                b.iter(|| {
                    for &q in &queries {
                        std::hint::black_box(ranker.rank(&catalog, q, N, &options));
                    }
                })
            });
        }
        group.finish();
    }
}

criterion_group!(benches, ranking);
criterion_main!(benches);
