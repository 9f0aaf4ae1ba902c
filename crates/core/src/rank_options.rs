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
