//! The ranking engine: [`Ranker`] answers through the grid index, [`rank`] is the
//! brute-force reference it must equal exactly. Both turn [`RankOptions`] into weighted
//! distance terms, then fill a pool nearest first (genre filter, query track skipped,
//! per-artist cap) and re-rank it by popularity when asked. With default options both
//! return exactly what [`crate::rank::nearest`] does.

use crate::catalog::Catalog;
use crate::features::{Feature, FeatureTable};
use crate::grid_index::{AxisFactors, GridIndex, WalkEnd};
use crate::query::Query;
use crate::rank::{nearest, Match};
use crate::rank_options::RankOptions;

/// One dimension of the weighted distance, ready for the inner loop.
pub(crate) struct Dimension<'a> {
    pub(crate) feature: Feature,
    column: &'a [f64],
    pub(crate) target: f64,
    /// weight / spread²: the factor on the squared difference.
    pub(crate) factor: f64,
}

/// The weighted distance terms `options` ask for, around `query`.
pub(crate) fn dimensions<'a>(
    options: &RankOptions,
    features: &'a FeatureTable,
    query: Query,
) -> Vec<Dimension<'a>> {
    Feature::ALL
        .into_iter()
        .filter(|f| options.weights[*f] > 0.0)
        .filter_map(|f| {
            let column = features.column(f)?;
            let summary = features.summary(f)?;
            // In standard deviations a constant feature is undefined, and it cannot tell
            // tracks apart anyway: leave it out rather than divide by rounding noise.
            if options.z_score && summary.is_constant() {
                return None;
            }
            let target = match (f, query.track) {
                (Feature::Valence, _) => query.mood.valence,
                (Feature::Energy, _) => query.mood.energy,
                (_, Some(track)) => column[track],
                (_, None) => options.targets[f],
            };
            let spread = if options.z_score {
                summary.std_dev
            } else {
                1.0
            };
            Some(Dimension {
                feature: f,
                column,
                target,
                factor: options.weights[f] / (spread * spread),
            })
        })
        .collect()
}

/// Squared weighted distance of track `index` from the query.
pub(crate) fn distance_squared(dimensions: &[Dimension], index: usize) -> f64 {
    dimensions
        .iter()
        .map(|d| {
            let diff = d.target - d.column[index];
            d.factor * (diff * diff)
        })
        .sum()
}

/// The valence and energy factors of a distance, for the index's lower bounds.
pub(crate) fn axis_factors(dimensions: &[Dimension]) -> AxisFactors {
    let factor_of = |f: Feature| {
        dimensions
            .iter()
            .find(|d| d.feature == f)
            .map_or(0.0, |d| d.factor)
    };
    AxisFactors {
        valence: factor_of(Feature::Valence),
        energy: factor_of(Feature::Energy),
    }
}

/// What choosing among candidates needs to know of a track beyond its distance: a whole
/// catalog knows it, and so do the tiles of a tiled one fetched so far.
pub(crate) trait TrackFacts {
    fn artist_of(&self, index: usize) -> usize;
    fn genre_of(&self, index: usize) -> usize;
    fn popularity_of(&self, index: usize) -> Option<f64>;
}

impl TrackFacts for Catalog {
    fn artist_of(&self, index: usize) -> usize {
        self.artist_index(index)
    }
    fn genre_of(&self, index: usize) -> usize {
        self.genre_index(index)
    }
    fn popularity_of(&self, index: usize) -> Option<f64> {
        self.extras(index).popularity
    }
}

/// Whether `options` let track `index` be listed (its genre passes the filter, and it is
/// not left out): the one such test of the ranking, journeys and regions.
pub(crate) fn is_listable(
    facts: &(impl TrackFacts + ?Sized),
    options: &RankOptions,
    index: usize,
) -> bool {
    let genres = &options.genres;
    (genres.is_empty() || genres.allows(facts.genre_of(index)))
        && !options
            .left_out
            .as_ref()
            .is_some_and(|set| set.contains(index))
}

/// Collects matches from candidates arriving nearest first: skips the query track and
/// filtered genres, applies the per-artist cap, stops at the pool size, then re-ranks.
pub(crate) struct PoolBuilder<'a, F: TrackFacts + ?Sized = Catalog> {
    facts: &'a F,
    options: &'a RankOptions,
    exclude: Option<usize>,
    pool_size: usize,
    pool: Vec<(f64, usize)>,
    per_artist: std::collections::HashMap<usize, usize>,
}

impl<'a, F: TrackFacts + ?Sized> PoolBuilder<'a, F> {
    pub(crate) fn new(
        facts: &'a F,
        options: &'a RankOptions,
        exclude: Option<usize>,
        n: usize,
    ) -> Self {
        let pool_size = options.popularity_rerank.map_or(n, |k| k.max(n));
        PoolBuilder {
            facts,
            options,
            exclude,
            pool_size,
            pool: Vec::with_capacity(pool_size),
            per_artist: std::collections::HashMap::new(),
        }
    }

    fn wants(&self, index: usize) -> bool {
        Some(index) != self.exclude && is_listable(self.facts, self.options, index)
    }

    /// Offers the next-nearest candidate; returns false once the pool is full.
    pub(crate) fn offer(&mut self, d2: f64, index: usize) -> bool {
        if self.pool.len() == self.pool_size {
            return false;
        }
        if !self.wants(index) {
            return true;
        }
        if let Some(limit) = self.options.max_per_artist {
            let seen = self
                .per_artist
                .entry(self.facts.artist_of(index))
                .or_insert(0);
            if *seen >= limit {
                return true;
            }
            *seen += 1;
        }
        self.pool.push((d2, index));
        self.pool.len() < self.pool_size
    }

    pub(crate) fn finish(mut self, n: usize) -> Vec<Match> {
        if self.options.popularity_rerank.is_some() {
            let facts = self.facts;
            let popularity = |i: usize| facts.popularity_of(i).unwrap_or(-1.0);
            // Stable: equal popularity keeps the nearer track first.
            self.pool
                .sort_by(|a, b| popularity(b.1).total_cmp(&popularity(a.1)));
        }
        self.pool.truncate(n);
        self.pool
            .into_iter()
            .map(|(d2, index)| Match {
                index,
                distance: d2.sqrt(),
            })
            .collect()
    }
}

/// A walk may evaluate this share of the catalog (1/16) before it gives way to a scan: a
/// walk pays a heap push and pop per track, several times a scan's cost per track.
const WALK_BUDGET_DIVISOR: usize = 16;
/// ...but never fewer tracks than this, so small catalogs always walk to the end.
const MIN_WALK_BUDGET: usize = 512;

/// The valence and energy factors count as nothing beside the other features' typical
/// part below this share of it (see [`Ranker::plan`]).
const NEGLIGIBLE_MOOD_SHARE: f64 = 1e-3;

/// How [`Ranker::rank`] answers a query.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Plan {
    /// Best-first through the grid index, within the walk budget.
    Walk,
    /// Brute force ([`rank`]), when the grid's valence–energy bound cannot prune.
    Scan,
}

/// Ranks through a grid index built once per catalog; exactly equal to [`rank`], and never
/// much slower: when the index cannot help it scans instead.
#[derive(Debug, Clone, Default)]
pub struct Ranker {
    /// Shared, so views can read features without copying a million-track table.
    pub features: std::sync::Arc<FeatureTable>,
    pub(crate) index: GridIndex,
    /// Tracks a walk may evaluate before the query is answered by a scan instead.
    pub(crate) walk_budget: usize,
}

impl Ranker {
    pub fn new(catalog: &Catalog) -> Ranker {
        Ranker::with_features(catalog, FeatureTable::new(catalog))
    }

    /// A ranker over `catalog` with its features already scaled (perhaps in another
    /// catalog's units, see [`FeatureTable::measured_like`]).
    pub fn with_features(catalog: &Catalog, features: FeatureTable) -> Ranker {
        Ranker {
            features: std::sync::Arc::new(features),
            index: GridIndex::new(catalog.moods()),
            walk_budget: (catalog.len() / WALK_BUDGET_DIVISOR).max(MIN_WALK_BUDGET),
        }
    }

    /// Walk unless the grid's bound is useless: it weighs only valence and energy, and can
    /// never exceed their factors' sum (the plane is 1 wide). When that sum is negligible
    /// beside what the other features add for a typical track, every cell's bound lies
    /// below the n-th best distance, so a walk would visit them all at a higher cost per
    /// track than a scan. Measured on a 114k-track synthetic catalog (n = 10), walks still
    /// win at a ratio of about 1/440 and lose at about 1/2300; near the line the walk
    /// budget decides.
    pub(crate) fn plan(&self, dimensions: &[Dimension]) -> Plan {
        let axes = axis_factors(dimensions);
        let mood_span = axes.valence + axes.energy;
        let extras_typical: f64 = dimensions
            .iter()
            .filter(|d| !matches!(d.feature, Feature::Valence | Feature::Energy))
            .map(|d| self.typical_part(d))
            .sum();
        if mood_span > 0.0 && mood_span > NEGLIGIBLE_MOOD_SHARE * extras_typical {
            Plan::Walk
        } else {
            Plan::Scan
        }
    }

    /// What a distance term adds for a typical track: factor × mean of (target − value)²,
    /// which is the feature's variance plus the squared gap between target and mean.
    fn typical_part(&self, dimension: &Dimension) -> f64 {
        self.features.summary(dimension.feature).map_or(0.0, |s| {
            let target_gap = dimension.target - s.mean;
            dimension.factor * (s.std_dev * s.std_dev + target_gap * target_gap)
        })
    }

    /// The `n` best matches for `query` under `options`.
    pub fn rank(
        &self,
        catalog: &Catalog,
        query: Query,
        n: usize,
        options: &RankOptions,
    ) -> Vec<Match> {
        let mut pool = PoolBuilder::new(catalog, options, query.track, n);
        if n == 0 {
            return Vec::new();
        }
        let walk = if options.is_plain() {
            let moods = catalog.moods();
            let q = query.mood;
            self.index.visit_nearest(
                q,
                AxisFactors::PLAIN,
                self.walk_budget,
                |i| q.distance_squared(moods[i]),
                |i, d2| pool.offer(d2, i),
            )
        } else {
            let dimensions = dimensions(options, &self.features, query);
            if self.plan(&dimensions) == Plan::Scan {
                return rank(catalog, &self.features, query, n, options);
            }
            self.index.visit_nearest(
                query.mood,
                axis_factors(&dimensions),
                self.walk_budget,
                |i| distance_squared(&dimensions, i),
                |i, d2| pool.offer(d2, i),
            )
        };
        match walk {
            WalkEnd::Complete => pool.finish(n),
            // The pool holds a correct but partial answer; the scan redoes it whole.
            WalkEnd::OverBudget => rank(catalog, &self.features, query, n, options),
        }
    }
}

/// The `n` best matches for `query` under `options`, by brute force.
pub fn rank(
    catalog: &Catalog,
    features: &FeatureTable,
    query: Query,
    n: usize,
    options: &RankOptions,
) -> Vec<Match> {
    if options.is_plain() {
        return nearest(catalog.moods(), query.mood, n, query.track);
    }
    let dimensions = dimensions(options, features, query);
    let mut pool = PoolBuilder::new(catalog, options, query.track, n);
    // A plain loop rather than an iterator chain: this is the hot loop of every scan, and
    // it stays fast whether or not the compiler inlines `rank` into its caller.
    let mut candidates: Vec<(f64, usize)> = Vec::with_capacity(catalog.len());
    for index in 0..catalog.len() {
        if pool.wants(index) {
            candidates.push((distance_squared(&dimensions, index), index));
        }
    }
    let by_distance = |a: &(f64, usize), b: &(f64, usize)| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1));
    // Without an artist cap only the pool's worth of nearest can matter.
    if options.max_per_artist.is_none() && pool.pool_size < candidates.len() {
        candidates.select_nth_unstable_by(pool.pool_size, by_distance);
        candidates.truncate(pool.pool_size);
    }
    candidates.sort_unstable_by(by_distance);
    for (d2, index) in candidates {
        if !pool.offer(d2, index) {
            break;
        }
    }
    pool.finish(n)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::{ExtraFeatures, TrackRecord};
    use crate::features::FeatureMap;
    use crate::mood::Mood;
    use crate::rank_options::{GenreFilter, TrackSet};
    use crate::track_id::TrackId;
    use proptest::prelude::*;

    struct Fixture {
        catalog: Catalog,
        features: FeatureTable,
    }

    /// (valence, energy, genre, artist, danceability, popularity)
    fn fixture(rows: &[(f64, f64, &str, &str, f64, f64)]) -> Fixture {
        let records = rows
            .iter()
            .enumerate()
            .map(|(i, &(v, e, genre, artist, dance, pop))| TrackRecord {
                id: TrackId::parse(&format!("{i:0>22}")).unwrap(),
                name: format!("t{i}"),
                artist: artist.into(),
                genre: genre.into(),
                mood: Mood::new(v, e).unwrap(),
                extras: ExtraFeatures {
                    danceability: Some(dance),
                    popularity: Some(pop),
                    ..ExtraFeatures::default()
                },
            })
            .collect();
        let catalog = Catalog::from_records("fixture", records).0;
        let features = FeatureTable::new(&catalog);
        Fixture { catalog, features }
    }

    fn ids(matches: &[Match]) -> Vec<usize> {
        matches.iter().map(|m| m.index).collect()
    }

    fn small() -> Fixture {
        fixture(&[
            (0.50, 0.50, "pop", "A", 0.9, 10.0),  // 0
            (0.52, 0.50, "rock", "A", 0.1, 90.0), // 1
            (0.50, 0.55, "pop", "B", 0.5, 50.0),  // 2
            (0.40, 0.50, "jazz", "C", 0.9, 70.0), // 3
            (0.90, 0.90, "pop", "A", 0.2, 100.0), // 4
        ])
    }

    #[test]
    fn genre_include_and_exclude() {
        let f = small();
        let q = Query::at(Mood::CENTRE);
        let pop = f.catalog.genres().iter().position(|g| g == "pop").unwrap();
        let rock = f.catalog.genres().iter().position(|g| g == "rock").unwrap();
        let mut o = RankOptions::default();
        o.genres.exclude = vec![pop];
        assert_eq!(ids(&rank(&f.catalog, &f.features, q, 5, &o)), vec![1, 3]);
        o.genres = GenreFilter {
            include: vec![pop, rock],
            exclude: vec![rock],
        };
        assert_eq!(ids(&rank(&f.catalog, &f.features, q, 5, &o)), vec![0, 2, 4]);
    }

    #[test]
    fn artist_diversity_caps_each_artist() {
        let f = small();
        let o = RankOptions {
            max_per_artist: Some(1),
            ..RankOptions::default()
        };
        // Plain order is 0 (A), 1 (A), 2 (B), 3 (C), 4 (A): the second A is skipped.
        assert_eq!(
            ids(&rank(
                &f.catalog,
                &f.features,
                Query::at(Mood::CENTRE),
                4,
                &o
            )),
            vec![0, 2, 3]
        );
    }

    #[test]
    fn popularity_rerank_orders_the_k_nearest() {
        let f = small();
        let o = RankOptions {
            popularity_rerank: Some(3),
            ..RankOptions::default()
        };
        // 3 nearest: 0 (10), 1 (90), 2 (50) → by popularity 1, 2, 0; n = 2 keeps two.
        assert_eq!(
            ids(&rank(
                &f.catalog,
                &f.features,
                Query::at(Mood::CENTRE),
                2,
                &o
            )),
            vec![1, 2]
        );
    }

    #[test]
    fn weighted_extra_feature_changes_the_order() {
        let f = small();
        let mut o = RankOptions::default();
        o.weights[Feature::Danceability] = 1.0;
        o.targets[Feature::Danceability] = 0.9;
        // Track 0: mood 0, dance 0 → 0; track 3: mood 0.1² = 0.01, dance 0 → 0.01;
        // track 2: 0.05² + 0.4² = 0.1625; track 1: 0.02² + 0.8² = 0.6404.
        let got = rank(&f.catalog, &f.features, Query::at(Mood::CENTRE), 3, &o);
        assert_eq!(ids(&got), vec![0, 3, 2]);
        assert!((got[2].distance - 0.1625f64.sqrt()).abs() < 1e-12);
    }

    #[test]
    fn z_score_divides_by_each_spread() {
        // Energy spread is tiny, so an energy gap counts for far more once z-scored.
        let f = fixture(&[
            (0.10, 0.50, "g", "a", 0.5, 0.0),
            (0.50, 0.52, "g", "b", 0.5, 0.0),
            (0.90, 0.50, "g", "c", 0.5, 0.0),
            (0.60, 0.50, "g", "d", 0.5, 0.0),
        ]);
        let q = Query::at(Mood::new(0.5, 0.5).unwrap());
        let plain = rank(
            &f.catalog,
            &f.features,
            q,
            1,
            &RankOptions {
                targets: FeatureMap::splat(0.0),
                ..RankOptions::default()
            },
        );
        assert_eq!(ids(&plain), vec![1]);
        let z = RankOptions {
            z_score: true,
            ..RankOptions::default()
        };
        let got = rank(&f.catalog, &f.features, q, 1, &z);
        assert_eq!(ids(&got), vec![3]);
        let sv = f.features.summary(Feature::Valence).unwrap().std_dev;
        assert!((got[0].distance - 0.1 / sv).abs() < 1e-12);
    }

    #[test]
    fn z_scored_constant_column_ranks_as_if_absent() {
        // Danceability is 0.1 everywhere; summing ten 0.1s leaves a spread of ~1e-17
        // rather than 0, which must not blow the column's factor up.
        let rows: Vec<(f64, f64, &str, &str, f64, f64)> = (0..10)
            .map(|i| {
                let v = (i * 37 % 10) as f64 / 10.0;
                let e = (i * 53 % 10) as f64 / 10.0;
                (v, e, "g", "a", 0.1, 50.0)
            })
            .collect();
        let f = fixture(&rows);
        let spread = f.features.summary(Feature::Danceability).unwrap().std_dev;
        assert!(spread > 0.0, "the fixture should show the rounding spread");
        let without = RankOptions {
            z_score: true,
            ..RankOptions::default()
        };
        let mut with = without.clone();
        with.weights[Feature::Danceability] = 1.0;
        with.targets[Feature::Danceability] = 0.9;
        let ranker = Ranker::new(&f.catalog);
        for query in [
            Query::at(Mood::new(0.31, 0.72).unwrap()),
            Query::for_track(&f.catalog, 4),
        ] {
            let expected = rank(&f.catalog, &f.features, query, 10, &without);
            assert_eq!(rank(&f.catalog, &f.features, query, 10, &with), expected);
            assert_eq!(ranker.rank(&f.catalog, query, 10, &with), expected);
        }
    }

    #[test]
    fn combined_options() {
        let f = small();
        let pop = f.catalog.genres().iter().position(|g| g == "pop").unwrap();
        let o = RankOptions {
            z_score: true,
            genres: GenreFilter {
                include: vec![],
                exclude: vec![pop],
            },
            popularity_rerank: Some(10),
            ..RankOptions::default()
        };
        // Only 1 (rock, 90) and 3 (jazz, 70) remain; by popularity: 1, 3.
        assert_eq!(
            ids(&rank(
                &f.catalog,
                &f.features,
                Query::for_track(&f.catalog, 0),
                5,
                &o
            )),
            vec![1, 3]
        );
    }

    /// A catalog spread over the plane with danceability varying independently.
    fn spread_out(tracks: usize) -> Fixture {
        let rows: Vec<(f64, f64, &str, &str, f64, f64)> = (0..tracks)
            .map(|i| {
                let v = (i * 37 % 101) as f64 / 100.0;
                let e = (i * 53 % 103) as f64 / 102.0;
                let d = (i * 71 % 97) as f64 / 96.0;
                (v, e, "g", "a", d, 50.0)
            })
            .collect();
        fixture(&rows)
    }

    #[test]
    fn scans_when_the_grid_bound_cannot_prune() {
        let f = spread_out(500);
        let ranker = Ranker::new(&f.catalog);
        let q = Query::at(Mood::new(0.3, 0.7).unwrap());
        let plan = |wv: f64, we: f64, wd: f64, z_score: bool| {
            let mut o = RankOptions {
                z_score,
                ..RankOptions::default()
            };
            o.weights[Feature::Valence] = wv;
            o.weights[Feature::Energy] = we;
            o.weights[Feature::Danceability] = wd;
            ranker.plan(&dimensions(&o, &f.features, q))
        };
        for z_score in [false, true] {
            assert_eq!(plan(0.0, 0.0, 1.0, z_score), Plan::Scan, "z {z_score}");
            assert_eq!(plan(1e-6, 1e-6, 1.0, z_score), Plan::Scan, "z {z_score}");
            assert_eq!(plan(0.01, 0.01, 1.0, z_score), Plan::Walk, "z {z_score}");
            assert_eq!(plan(1.0, 1.0, 0.0, z_score), Plan::Walk, "z {z_score}");
            assert_eq!(plan(1.0, 1.0, 1.0, z_score), Plan::Walk, "z {z_score}");
        }
    }

    #[test]
    fn zero_mood_weights_rank_by_the_extras_alone() {
        let f = spread_out(500);
        let mut o = RankOptions::default();
        o.weights[Feature::Valence] = 0.0;
        o.weights[Feature::Energy] = 0.0;
        o.weights[Feature::Danceability] = 1.0;
        o.targets[Feature::Danceability] = 0.25;
        let q = Query::at(Mood::new(0.9, 0.1).unwrap());
        let dance = f.features.column(Feature::Danceability).unwrap();
        let mut expected: Vec<usize> = (0..500).collect();
        let gap_squared = |i: usize| (0.25 - dance[i]) * (0.25 - dance[i]);
        expected.sort_by(|&a, &b| gap_squared(a).total_cmp(&gap_squared(b)).then(a.cmp(&b)));
        expected.truncate(12);
        let ranker = Ranker::new(&f.catalog);
        assert_eq!(ids(&ranker.rank(&f.catalog, q, 12, &o)), expected);
        assert_eq!(ids(&rank(&f.catalog, &f.features, q, 12, &o)), expected);
    }

    /// Random options for the property test below.
    fn options_strategy() -> impl Strategy<Value = RankOptions> {
        (
            any::<bool>(),
            prop::sample::select(vec![0.0, 1e-6, 0.01, 0.5, 1.0, 2.0]),
            prop::sample::select(vec![0.0, 1e-6, 1.0]),
            prop::sample::select(vec![0.0, 0.7, 2.0]),
            prop::option::of(0usize..3),
            prop::option::of(1usize..3),
            prop::option::of(1usize..25),
        )
            .prop_map(|(z, wv, we, wd, genre, cap, rerank)| {
                let mut o = RankOptions {
                    z_score: z,
                    max_per_artist: cap,
                    popularity_rerank: rerank,
                    ..RankOptions::default()
                };
                o.weights[Feature::Valence] = wv;
                o.weights[Feature::Energy] = we;
                o.weights[Feature::Danceability] = wd;
                o.targets[Feature::Danceability] = 0.3;
                if let Some(g) = genre {
                    if z {
                        o.genres.exclude = vec![g]
                    } else {
                        o.genres.include = vec![g]
                    }
                }
                o
            })
    }

    proptest! {
        /// The index answers exactly what brute force answers, under z-scores, weights
        /// (zero and near-zero mood weights included), genre filters, exclusion, artist
        /// caps and re-ranking, whether the walk completes or runs out of budget.
        #[test]
        fn index_equals_brute_force_under_every_option(
            raw in prop::collection::vec((0u32..=1000, 0u32..=1000, 0u32..=1000, 0usize..3, 0usize..4, 0u32..=100), 1..250),
            q in (0u32..=1000, 0u32..=1000),
            n in 1usize..20,
            track in prop::option::of(0usize..250),
            options in options_strategy(),
            walk_budget in prop::option::of(0usize..300),
            left_out in prop::option::of(prop::collection::vec(0usize..250, 0..150)),
        ) {
            const GENRES: [&str; 3] = ["pop", "rock", "jazz"];
            const ARTISTS: [&str; 4] = ["a", "b", "c", "d"];
            let rows: Vec<(f64, f64, &str, &str, f64, f64)> = raw.iter()
                .map(|&(v, e, d, g, a, p)| (v as f64 / 1e3, e as f64 / 1e3, GENRES[g], ARTISTS[a], d as f64 / 1e3, p as f64))
                .collect();
            let f = fixture(&rows);
            let query = match track.filter(|&t| t < f.catalog.len()) {
                Some(t) => Query::for_track(&f.catalog, t),
                None => Query::at(Mood::new(q.0 as f64 / 1e3, q.1 as f64 / 1e3).unwrap()),
            };
            let mut ranker = Ranker::new(&f.catalog);
            if let Some(budget) = walk_budget {
                ranker.walk_budget = budget;
            }
            let len = f.catalog.len();
            let mut options = options;
            options.left_out = left_out
                .map(|set| TrackSet::new(len, set.into_iter().filter(|&i| i < len)));
            prop_assert_eq!(
                ranker.rank(&f.catalog, query, n, &options),
                rank(&f.catalog, &f.features, query, n, &options)
            );
        }

        /// Leaving a set out ranks exactly the rest: the plain nearest among the tracks
        /// outside the set, through the index and by brute force.
        #[test]
        fn a_left_out_set_ranks_exactly_the_rest(
            raw in prop::collection::vec((0u32..=1000, 0u32..=1000), 1..200),
            out in prop::collection::vec(any::<bool>(), 200),
            q in (0u32..=1000, 0u32..=1000),
            n in 1usize..30,
        ) {
            let rows: Vec<(f64, f64, &str, &str, f64, f64)> = raw.iter()
                .map(|&(v, e)| (v as f64 / 1e3, e as f64 / 1e3, "g", "a", 0.5, 50.0))
                .collect();
            let f = fixture(&rows);
            let q = Query::at(Mood::new(q.0 as f64 / 1e3, q.1 as f64 / 1e3).unwrap());
            let kept: Vec<usize> = (0..rows.len()).filter(|&i| !out[i]).collect();
            let kept_moods: Vec<Mood> = kept.iter().map(|&i| f.catalog.moods()[i]).collect();
            let expected: Vec<usize> = nearest(&kept_moods, q.mood, n, None)
                .iter()
                .map(|m| kept[m.index])
                .collect();
            let options = RankOptions {
                left_out: Some(TrackSet::new(rows.len(), (0..rows.len()).filter(|&i| out[i]))),
                ..RankOptions::default()
            };
            prop_assert_eq!(ids(&Ranker::new(&f.catalog).rank(&f.catalog, q, n, &options)), expected.clone());
            prop_assert_eq!(ids(&rank(&f.catalog, &f.features, q, n, &options)), expected);
        }

        /// Zero weights on the extras and no other option reproduce plain ranking exactly,
        /// even when the general path is forced (by an include-all genre filter).
        #[test]
        fn zero_weights_reproduce_plain_ranking(
            raw in prop::collection::vec((0u32..=1000, 0u32..=1000, 0u32..=1000), 1..200),
            q in (0u32..=1000, 0u32..=1000),
            n in 1usize..30,
        ) {
            let rows: Vec<(f64, f64, &str, &str, f64, f64)> = raw.iter()
                .map(|&(v, e, d)| (v as f64 / 1e3, e as f64 / 1e3, "g", "a", d as f64 / 1e3, 50.0))
                .collect();
            let f = fixture(&rows);
            let q = Query::at(Mood::new(q.0 as f64 / 1e3, q.1 as f64 / 1e3).unwrap());
            let plain = nearest(f.catalog.moods(), q.mood, n, None);
            let forced = RankOptions { genres: GenreFilter { include: vec![0], exclude: vec![] }, ..RankOptions::default() };
            prop_assert_eq!(rank(&f.catalog, &f.features, q, n, &forced), plain.clone());
            prop_assert_eq!(rank(&f.catalog, &f.features, q, n, &RankOptions::default()), plain);
        }
    }
}
