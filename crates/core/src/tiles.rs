//! The catalog cut into leaves for static tiles (issue 14), and exact ranking over them.
//! A quadtree splits the plane until each leaf holds at most a given number of tracks.
//! Each leaf keeps its tracks, its bounds in every rankable dimension and the genres it
//! holds. [`rank_over_leaves`] reads leaves best-first by a lower bound of the weighted
//! distance over all those dimensions: the grid walk's argument with leaves as cells.
//! Tracks are released only when nearer than every unread leaf, so the answer equals
//! brute force ([`crate::ranker::rank`]) under every option. Leaves that hold no wanted
//! genre are never read. Storage (the archive and its leaf format) is still to come; here
//! a leaf lists global track indices.

use std::collections::BinaryHeap;

use crate::catalog::Catalog;
use crate::features::{FeatureMap, FeatureTable};
use crate::grid_index::{safely_below, Entry};
use crate::query::Query;
use crate::rank::Match;
use crate::rank_options::RankOptions;
use crate::ranker::{dimensions, distance_squared, Dimension, PoolBuilder};

/// Deepest split: tracks at one mood cannot be told apart by splitting.
const MAX_DEPTH: u32 = 24;

/// A leaf of the quadtree.
#[derive(Debug, Clone, PartialEq)]
pub struct Leaf {
    /// Catalog indices, ascending.
    pub members: Vec<u32>,
    /// (lowest, highest) value of each dimension the catalog has, in ranking units.
    pub bounds: FeatureMap<Option<(f64, f64)>>,
    /// The genre indices present, ascending.
    pub genres: Vec<u32>,
}

/// Cuts the catalog into leaves of at most `max_per_leaf` tracks (more only where many
/// tracks share one mood), in quadtree order.
pub fn cut_into_leaves(
    catalog: &Catalog,
    features: &FeatureTable,
    max_per_leaf: usize,
) -> Vec<Leaf> {
    let moods = catalog.moods();
    let mut leaves = Vec::new();
    let all: Vec<u32> = (0..catalog.len() as u32).collect();
    let mut pending = vec![(all, (0.0, 0.0, 1.0, 1.0), 0u32)];
    while let Some((members, (v0, e0, v1, e1), depth)) = pending.pop() {
        if members.is_empty() {
            continue;
        }
        if members.len() <= max_per_leaf.max(1) || depth >= MAX_DEPTH {
            leaves.push(leaf_of(catalog, features, members));
            continue;
        }
        let (vm, em) = ((v0 + v1) / 2.0, (e0 + e1) / 2.0);
        let mut quarters: [Vec<u32>; 4] = Default::default();
        for i in members {
            let m = moods[i as usize];
            let q = usize::from(m.valence >= vm) + 2 * usize::from(m.energy >= em);
            quarters[q].push(i);
        }
        let boxes = [
            (v0, e0, vm, em),
            (vm, e0, v1, em),
            (v0, em, vm, e1),
            (vm, em, v1, e1),
        ];
        for (quarter, bounds) in quarters.into_iter().zip(boxes).rev() {
            pending.push((quarter, bounds, depth + 1));
        }
    }
    leaves
}

fn leaf_of(catalog: &Catalog, features: &FeatureTable, members: Vec<u32>) -> Leaf {
    let bounds = FeatureMap::from_fn(|f| {
        let column = features.column(f)?;
        members
            .iter()
            .map(|&i| column[i as usize])
            .fold(None, |acc: Option<(f64, f64)>, x| {
                Some(acc.map_or((x, x), |(lo, hi)| (lo.min(x), hi.max(x))))
            })
    });
    let mut genres: Vec<u32> = members
        .iter()
        .map(|&i| catalog.genre_index(i as usize) as u32)
        .collect();
    genres.sort_unstable();
    genres.dedup();
    Leaf {
        members,
        bounds,
        genres,
    }
}

/// Lower bound of the weighted distance from the query to any track of `leaf`.
fn lower_bound(leaf: &Leaf, dims: &[Dimension]) -> f64 {
    let sum: f64 = dims
        .iter()
        .map(|d| match leaf.bounds[d.feature] {
            Some((lo, hi)) => {
                let gap = if d.target < lo {
                    lo - d.target
                } else if d.target > hi {
                    d.target - hi
                } else {
                    0.0
                };
                d.factor * gap * gap
            }
            None => 0.0,
        })
        .sum();
    safely_below(sum)
}

/// The `n` best matches for `query` under `options`, reading leaves best-first; exactly
/// [`crate::ranker::rank`]'s answer. Also returns how many leaves were read.
pub fn rank_over_leaves(
    catalog: &Catalog,
    features: &FeatureTable,
    leaves: &[Leaf],
    query: Query,
    n: usize,
    options: &RankOptions,
) -> (Vec<Match>, usize) {
    let mut pool = PoolBuilder::new(catalog, options, query.track, n);
    if n == 0 {
        return (Vec::new(), 0);
    }
    let dims = dimensions(options, features, query);
    let genres = &options.genres;
    let mut unread: BinaryHeap<Entry> = leaves
        .iter()
        .enumerate()
        .filter(|(_, leaf)| {
            genres.is_empty() || leaf.genres.iter().any(|&g| genres.allows(g as usize))
        })
        .map(|(i, leaf)| Entry(lower_bound(leaf, &dims), i as u32))
        .collect();
    let mut candidates: BinaryHeap<Entry> = BinaryHeap::new();
    let mut read = 0;
    loop {
        let next_bound = unread.peek().map_or(f64::INFINITY, |e| e.0);
        while let Some(&Entry(d2, i)) = candidates.peek() {
            if d2 >= next_bound {
                break;
            }
            candidates.pop();
            if !pool.offer(d2, i as usize) {
                return (pool.finish(n), read);
            }
        }
        let Some(Entry(_, leaf)) = unread.pop() else {
            return (pool.finish(n), read);
        };
        read += 1;
        for &i in &leaves[leaf as usize].members {
            candidates.push(Entry(distance_squared(&dims, i as usize), i));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::{ExtraFeatures, TrackRecord};
    use crate::features::Feature;
    use crate::mood::Mood;
    use crate::rank_options::GenreFilter;
    use crate::ranker::rank;
    use crate::track_id::TrackId;
    use proptest::prelude::*;

    fn catalog_of(points: &[(u16, u16, u8, u8, u8)]) -> Catalog {
        let records = points
            .iter()
            .enumerate()
            .map(|(i, &(v, e, g, a, d))| TrackRecord {
                id: TrackId::parse(&format!("{i:0>22}")).unwrap(),
                name: format!("t{i}"),
                artist: format!("a{a}"),
                genre: format!("g{g}"),
                mood: Mood::new(v as f64 / 20.0, e as f64 / 20.0).unwrap(),
                extras: ExtraFeatures {
                    danceability: Some(d as f64 / 10.0),
                    popularity: Some((i % 11) as f64 * 9.0),
                    ..ExtraFeatures::default()
                },
            })
            .collect();
        Catalog::from_records("test", records).0
    }

    #[test]
    fn leaves_hold_every_track_once_within_their_size() {
        let points: Vec<_> = (0..500u16)
            .map(|i| (i % 21, (i / 21) % 21, (i % 3) as u8, 0, 0))
            .collect();
        let catalog = catalog_of(&points);
        let features = FeatureTable::new(&catalog);
        let leaves = cut_into_leaves(&catalog, &features, 16);
        let mut all: Vec<u32> = leaves.iter().flat_map(|l| l.members.clone()).collect();
        all.sort_unstable();
        assert_eq!(all, (0..500).collect::<Vec<u32>>());
        // 21 × 21 grid points hold at most ~2 tracks each, so every leaf fits.
        assert!(leaves.iter().all(|l| l.members.len() <= 16));
        // A plain query near a corner reads only a few of them.
        let (_, read) = rank_over_leaves(
            &catalog,
            &features,
            &leaves,
            Query::at(Mood::new(0.1, 0.1).unwrap()),
            5,
            &RankOptions::default(),
        );
        assert!(read * 4 < leaves.len(), "read {read} of {}", leaves.len());
    }

    fn options_strategy() -> impl Strategy<Value = RankOptions> {
        (
            any::<bool>(),
            prop::sample::select(vec![0.0, 1e-6, 1.0, 3.0]),
            prop::sample::select(vec![0.0, 0.5, 2.0]),
            prop::sample::select(vec![0.0, 1.0]),
            proptest::option::of(0usize..3),
            proptest::option::of(1usize..3),
            proptest::option::of(3usize..8),
        )
            .prop_map(|(z, mood, dance, popularity, genre, cap, rerank)| {
                let mut o = RankOptions {
                    z_score: z,
                    max_per_artist: cap,
                    popularity_rerank: rerank,
                    ..RankOptions::default()
                };
                o.weights[Feature::Valence] = mood;
                o.weights[Feature::Energy] = mood;
                o.weights[Feature::Danceability] = dance;
                o.weights[Feature::Popularity] = popularity;
                o.targets[Feature::Danceability] = 0.7;
                if let Some(g) = genre {
                    o.genres = GenreFilter {
                        include: vec![g],
                        exclude: vec![],
                    };
                }
                o
            })
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(128))]
        /// Over leaves of at most 4 tracks, so every query crosses many, the answer is
        /// brute force's, under every option.
        #[test]
        fn ranking_over_leaves_equals_brute_force(
            points in prop::collection::vec((0u16..=20, 0u16..=20, 0u8..3, 0u8..4, 0u8..=10), 0..300),
            q in (0u16..=1000, 0u16..=1000),
            track in proptest::option::of(0usize..300),
            n in 0usize..25,
            options in options_strategy(),
        ) {
            let catalog = catalog_of(&points);
            let features = FeatureTable::new(&catalog);
            let leaves = cut_into_leaves(&catalog, &features, 4);
            let query = Query {
                mood: Mood::new(q.0 as f64 / 1000.0, q.1 as f64 / 1000.0).unwrap(),
                track: track.filter(|&t| t < catalog.len()),
            };
            let (tiled, _) = rank_over_leaves(&catalog, &features, &leaves, query, n, &options);
            prop_assert_eq!(tiled, rank(&catalog, &features, query, n, &options));
        }
    }
}
