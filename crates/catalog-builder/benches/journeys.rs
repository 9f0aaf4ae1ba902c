//! Criterion benchmark of the queries beyond one point (issue 12), brute force vs the
//! grid index, on each catalog CSV named in MOODPLANE_BENCH_CSVS (comma-separated;
//! default: the embedded 11k catalog and, when present, ../shared/data's 32k one):
//! one 100-stop journey winding through five vertices (plain, and with artist spacing);
//! every track in a region covering a quarter of the plane (a square, counted and
//! sorted); every track within 0.05 of the centre; and ranking over tiles of at most
//! 4,096 tracks (the builder's default), all at hand, against the grid index (n = 10,
//! 200 seeded points; the tiles read per query go to stderr), and the journey over them.

mod common;

use common::{catalogs, load};
use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion};
use moodplane_core::features::FeatureTable;
use moodplane_core::journey::{plan_journey, JourneyRule};
use moodplane_core::journey_path::MoodPath;
use moodplane_core::rank_options::RankOptions;
use moodplane_core::ranker::Ranker;
use moodplane_core::region::{inside_lasso, within_radius, Lasso};
use moodplane_core::tiles::{directory_of, in_leaf_order, TileSet, TiledRanking};
use moodplane_core::{Mood, Query};

const STOPS: usize = 100;

fn journeys(c: &mut Criterion) {
    let path = MoodPath::new(
        [(0.9, 0.95), (0.2, 0.8), (0.5, 0.5), (0.8, 0.2), (0.1, 0.05)]
            .into_iter()
            .map(|(v, e)| Mood::new(v, e).unwrap())
            .collect(),
    )
    .unwrap();
    let options = RankOptions::default();
    for csv in catalogs() {
        let catalog = load(&csv);
        let ranker = Ranker::new(&catalog);
        let label = csv.file_stem().unwrap().to_string_lossy().into_owned();
        let mut group = c.benchmark_group(format!("journey_{label}"));
        group.sample_size(10);
        for (name, artist_gap) in [("plain", None), ("artist_gap_5", Some(5))] {
            let rule = JourneyRule {
                stops: STOPS,
                artist_gap,
            };
            group.bench_function(BenchmarkId::new("brute_force", name), |b| {
                b.iter(|| {
                    std::hint::black_box(plan_journey(
                        &catalog,
                        &ranker.features,
                        &path,
                        rule,
                        &options,
                    ))
                })
            });
            group.bench_function(BenchmarkId::new("grid_index", name), |b| {
                b.iter(|| std::hint::black_box(ranker.journey(&catalog, &path, rule, &options)))
            });
        }
        let quarter = Lasso::parse("0,0;0.5,0;0.5,0.5;0,0.5").unwrap();
        group.bench_function(BenchmarkId::new("brute_force", "lasso_quarter"), |b| {
            b.iter(|| std::hint::black_box(inside_lasso(&catalog, &quarter, &options).len()))
        });
        group.bench_function(BenchmarkId::new("grid_index", "lasso_quarter"), |b| {
            b.iter(|| std::hint::black_box(ranker.inside_lasso(&catalog, &quarter, &options).len()))
        });
        let centre = Query::at(Mood::CENTRE);
        group.bench_function(BenchmarkId::new("brute_force", "radius_0.05"), |b| {
            b.iter(|| {
                std::hint::black_box(
                    within_radius(&catalog, &ranker.features, centre, 0.05, &options).len(),
                )
            })
        });
        group.bench_function(BenchmarkId::new("grid_index", "radius_0.05"), |b| {
            b.iter(|| {
                std::hint::black_box(ranker.within_radius(&catalog, centre, 0.05, &options).len())
            })
        });
        // Tiles of at most 4,096 tracks (the builder's default), all at hand: the walk's
        // own cost, what a drag over fetched tiles pays.
        let (ordered, leaves) = in_leaf_order(catalog.clone(), 4096);
        let directory = directory_of(&ordered, &leaves);
        let scale = FeatureTable::new(&ordered).scale().clone();
        let mut tiles = TileSet::new(directory.clone(), scale);
        for (number, entry) in directory.iter().enumerate() {
            let first = entry.shape.first as usize;
            tiles.insert(
                number,
                ordered.mood_tile(first..first + entry.shape.count as usize),
            );
        }
        let points: Vec<Query> = (0..200)
            .map(|i| {
                Query::at(Mood::clamped(
                    (i * 37 % 200) as f64 / 200.0,
                    (i * 91 % 200) as f64 / 200.0,
                ))
            })
            .collect();
        let read: usize = points
            .iter()
            .map(|&q| match tiles.rank(q, 10, &options) {
                TiledRanking::Ranked { tiles_read, .. } => tiles_read.len(),
                TiledRanking::Needs(_) => unreachable!("every tile is at hand"),
            })
            .sum();
        eprintln!(
            "{label}: {} tiles of at most 4,096 tracks; a plain n = 10 query reads {:.2} on average",
            leaves.len(),
            read as f64 / points.len() as f64
        );
        group.bench_function(BenchmarkId::new("tiles_4096", "plain_200_queries"), |b| {
            b.iter(|| {
                for &q in &points {
                    std::hint::black_box(tiles.rank(q, 10, &options));
                }
            })
        });
        group.bench_function(BenchmarkId::new("grid_index", "plain_200_queries"), |b| {
            b.iter(|| {
                for &q in &points {
                    std::hint::black_box(ranker.rank(&catalog, q, 10, &options));
                }
            })
        });
        let rule = JourneyRule {
            stops: STOPS,
            artist_gap: None,
        };
        group.bench_function(BenchmarkId::new("tiles_4096", "plain"), |b| {
            b.iter(|| std::hint::black_box(tiles.journey(&path, rule, &options)))
        });
        group.finish();
    }
}

criterion_group!(benches, journeys);
criterion_main!(benches);
