//! The value that says how matches are chosen: z-scores, per-feature weights and targets,
//! the genre filter, the per-artist cap and the popularity re-rank. The engine that ranks
//! by it lives in [`crate::ranker`].

use crate::features::{Feature, FeatureMap};
pub use crate::genre_filter::{GenreChoice, GenreFilter};

/// How matches are chosen.
#[derive(Debug, Clone, PartialEq)]
pub struct RankOptions {
    /// Measure each feature in standard deviations from the catalog mean. A feature whose
    /// values are all equal (up to rounding, see [`crate::stats::Summary::is_constant`])
    /// has no standard deviation and is then left out, as if its weight were 0.
    pub z_score: bool,
    /// Weight of each feature; 0 means ignored.
    pub weights: FeatureMap<f64>,
    /// Wanted values (0..1, ranking units) of the extra features for a free point; a query
    /// track uses its own values instead.
    pub targets: FeatureMap<f64>,
    pub genres: GenreFilter,
    /// At most this many results by one artist.
    pub max_per_artist: Option<usize>,
    /// Take the k nearest and order them by popularity, most popular first.
    pub popularity_rerank: Option<usize>,
    /// Tracks never listed (a person's library, for "near my library").
    pub left_out: Option<TrackSet>,
}

/// A set of a catalog's tracks by index, shared cheaply; two sets are equal when they
/// hold the same tracks.
#[derive(Debug, Clone)]
pub struct TrackSet(std::sync::Arc<Vec<u64>>);

impl TrackSet {
    /// The set of `indices` (each below `len`, the catalog's size).
    pub fn new(len: usize, indices: impl IntoIterator<Item = usize>) -> TrackSet {
        let mut words = vec![0u64; len.div_ceil(64)];
        for i in indices {
            words[i / 64] |= 1 << (i % 64);
        }
        TrackSet(std::sync::Arc::new(words))
    }

    pub fn contains(&self, index: usize) -> bool {
        self.0
            .get(index / 64)
            .is_some_and(|w| w & (1 << (index % 64)) != 0)
    }

    pub fn len(&self) -> usize {
        self.0.iter().map(|w| w.count_ones() as usize).sum()
    }

    pub fn is_empty(&self) -> bool {
        self.0.iter().all(|w| *w == 0)
    }
}

impl PartialEq for TrackSet {
    fn eq(&self, other: &TrackSet) -> bool {
        std::sync::Arc::ptr_eq(&self.0, &other.0) || self.0 == other.0
    }
}

impl Default for RankOptions {
    fn default() -> Self {
        RankOptions {
            z_score: false,
            weights: FeatureMap::from_fn(|f| match f {
                Feature::Valence | Feature::Energy => 1.0,
                _ => 0.0,
            }),
            targets: FeatureMap::splat(0.5),
            genres: GenreFilter::default(),
            max_per_artist: None,
            popularity_rerank: None,
            left_out: None,
        }
    }
}

impl RankOptions {
    /// Whether these options rank exactly like the plain tutorial method.
    pub fn is_plain(&self) -> bool {
        *self
            == RankOptions {
                targets: self.targets,
                ..RankOptions::default()
            }
    }
}
