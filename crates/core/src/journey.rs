//! A mood journey's playlist: for each waypoint of a path in order, the nearest catalog
//! track not yet chosen (ties by catalog order), under the ranking options' distance
//! (z-scores, weights) and genre filter, optionally never repeating an artist within a
//! window of tracks. [`plan_journey`] is the brute-force reference; [`Ranker::journey`]
//! walks the grid index and must return exactly the same playlist.

use crate::catalog::Catalog;
use crate::features::FeatureTable;
use crate::grid_index::WalkEnd;
use crate::journey_path::MoodPath;
use crate::mood::Mood;
use crate::query::Query;
use crate::rank::Match;
use crate::rank_options::RankOptions;
use crate::ranker::{
    axis_factors, dimensions, distance_squared, is_listable, Dimension, Plan, Ranker, TrackFacts,
};

/// Bounds of the artist spacing: "no artist twice within k tracks".
pub const MIN_ARTIST_GAP: usize = 2;
pub const MAX_ARTIST_GAP: usize = 20;

/// How a journey is turned into tracks, beyond the path itself.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct JourneyRule {
    /// How many waypoints (and so at most how many tracks).
    pub stops: usize,
    /// No artist twice within this many consecutive tracks (None: no spacing).
    pub artist_gap: Option<usize>,
}

/// A journey as a link shares it: the path and the rule.
#[derive(Debug, Clone, PartialEq)]
pub struct Journey {
    pub path: MoodPath,
    pub rule: JourneyRule,
}

impl Journey {
    /// `path=…&n=…` and `&gap=…` when artists are spaced.
    pub fn to_parameters(&self) -> String {
        let mut text = format!("path={}&n={}", self.path.to_param(), self.rule.stops);
        if let Some(gap) = self.rule.artist_gap {
            text.push_str(&format!("&gap={gap}"));
        }
        text
    }
}

/// One track of a journey and the waypoint it was chosen for.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Stop {
    pub waypoint: Mood,
    /// The track, and its distance from the waypoint under the options.
    pub chosen: Match,
}

/// Which tracks a waypoint may still take: the genre filter, not chosen before, and no
/// artist among the last `gap − 1` chosen. Over a whole catalog or the tiles at hand.
pub(crate) struct Eligibility<'a, F: TrackFacts + ?Sized = Catalog> {
    facts: &'a F,
    options: &'a RankOptions,
    /// At most [`crate::journey_path::MAX_STOPS`] tracks.
    chosen: Vec<usize>,
    recent_artists: std::collections::VecDeque<usize>,
    window: usize,
}

impl<'a, F: TrackFacts + ?Sized> Eligibility<'a, F> {
    pub(crate) fn new(facts: &'a F, options: &'a RankOptions, rule: JourneyRule) -> Self {
        Eligibility {
            facts,
            options,
            chosen: Vec::new(),
            recent_artists: std::collections::VecDeque::new(),
            window: rule
                .artist_gap
                .map_or(0, |k| k.clamp(MIN_ARTIST_GAP, MAX_ARTIST_GAP) - 1),
        }
    }

    pub(crate) fn allows(&self, index: usize) -> bool {
        !self.chosen.contains(&index)
            && is_listable(self.facts, self.options, index)
            && (self.window == 0 || !self.recent_artists.contains(&self.facts.artist_of(index)))
    }

    pub(crate) fn take(&mut self, index: usize) {
        self.chosen.push(index);
        if self.window > 0 {
            if self.recent_artists.len() == self.window {
                self.recent_artists.pop_front();
            }
            self.recent_artists.push_back(self.facts.artist_of(index));
        }
    }
}

/// The nearest allowed track by scanning every track: least (distance², index).
fn scan_nearest(
    catalog: &Catalog,
    dimensions: &[Dimension],
    eligible: &Eligibility,
) -> Option<(f64, usize)> {
    let mut best: Option<(f64, usize)> = None;
    for index in 0..catalog.len() {
        let d2 = distance_squared(dimensions, index);
        // Strictly nearer only: an equal distance at a later index loses the tie. Only a
        // nearer track is asked whether it is allowed (the cheaper test first).
        if best.is_none_or(|(b, _)| d2 < b) && eligible.allows(index) {
            best = Some((d2, index));
        }
    }
    best
}

/// Runs the rule with `nearest` answering each waypoint; stops early if the catalog runs
/// out of allowed tracks.
fn walk_path(
    catalog: &Catalog,
    features: &FeatureTable,
    path: &MoodPath,
    rule: JourneyRule,
    options: &RankOptions,
    mut nearest: impl FnMut(Mood, &[Dimension], &Eligibility) -> Option<(f64, usize)>,
) -> Vec<Stop> {
    let mut eligible = Eligibility::new(catalog, options, rule);
    let mut stops = Vec::new();
    for waypoint in path.waypoints(rule.stops) {
        let dimensions = dimensions(
            options,
            features,
            Query {
                mood: waypoint,
                track: None,
            },
        );
        let Some((d2, index)) = nearest(waypoint, &dimensions, &eligible) else {
            break;
        };
        eligible.take(index);
        stops.push(Stop {
            waypoint,
            chosen: Match {
                index,
                distance: d2.sqrt(),
            },
        });
    }
    stops
}

/// The journey along `path` by brute force: the reference every index must equal.
pub fn plan_journey(
    catalog: &Catalog,
    features: &FeatureTable,
    path: &MoodPath,
    rule: JourneyRule,
    options: &RankOptions,
) -> Vec<Stop> {
    walk_path(
        catalog,
        features,
        path,
        rule,
        options,
        |_, dims, eligible| scan_nearest(catalog, dims, eligible),
    )
}

impl Ranker {
    /// The journey along `path` through the grid index: per waypoint a best-first walk
    /// to the first allowed track, or a scan where the index cannot prune (see
    /// [`Ranker::rank`]). Exactly equal to [`plan_journey`].
    pub fn journey(
        &self,
        catalog: &Catalog,
        path: &MoodPath,
        rule: JourneyRule,
        options: &RankOptions,
    ) -> Vec<Stop> {
        walk_path(
            catalog,
            &self.features,
            path,
            rule,
            options,
            |waypoint, dims, eligible| {
                if self.plan(dims) == Plan::Scan {
                    return scan_nearest(catalog, dims, eligible);
                }
                let mut found = None;
                let end = self.index.visit_nearest(
                    waypoint,
                    axis_factors(dims),
                    self.walk_budget,
                    |i| distance_squared(dims, i),
                    |i, d2| {
                        if eligible.allows(i) {
                            found = Some((d2, i));
                            false
                        } else {
                            true
                        }
                    },
                );
                match end {
                    WalkEnd::Complete => found,
                    WalkEnd::OverBudget => scan_nearest(catalog, dims, eligible),
                }
            },
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::{ExtraFeatures, TrackRecord};
    use crate::features::Feature;
    use crate::rank_options::GenreFilter;
    use crate::track_id::TrackId;
    use proptest::prelude::*;

    fn catalog_of(rows: &[(f64, f64, &str, &str)]) -> Catalog {
        let records = rows
            .iter()
            .enumerate()
            .map(|(i, &(v, e, genre, artist))| TrackRecord {
                id: TrackId::parse(&format!("{:0>22}", i)).unwrap(),
                name: format!("t{i}"),
                artist: artist.to_owned(),
                genre: genre.to_owned(),
                mood: Mood::new(v, e).unwrap(),
                extras: ExtraFeatures {
                    danceability: Some((i % 7) as f64 / 7.0),
                    popularity: Some((i % 11) as f64 * 9.0),
                    ..ExtraFeatures::default()
                },
            })
            .collect();
        Catalog::from_records("test", records).0
    }

    fn path(points: &[(f64, f64)]) -> MoodPath {
        MoodPath::new(
            points
                .iter()
                .map(|&(v, e)| Mood::new(v, e).unwrap())
                .collect(),
        )
        .unwrap()
    }

    fn indices(stops: &[Stop]) -> Vec<usize> {
        stops.iter().map(|s| s.chosen.index).collect()
    }

    #[test]
    fn each_waypoint_takes_its_nearest_unchosen_track() {
        let catalog = catalog_of(&[
            (0.0, 0.0, "a", "x"),
            (0.5, 0.5, "a", "y"),
            (1.0, 1.0, "a", "z"),
            (0.05, 0.0, "a", "w"),
        ]);
        let features = FeatureTable::new(&catalog);
        let rule = JourneyRule {
            stops: 3,
            artist_gap: None,
        };
        let stops = plan_journey(
            &catalog,
            &features,
            &path(&[(0.0, 0.0), (1.0, 1.0)]),
            rule,
            &RankOptions::default(),
        );
        assert_eq!(indices(&stops), vec![0, 1, 2]);
        assert_eq!(stops[1].waypoint, Mood::new(0.5, 0.5).unwrap());
        assert_eq!(stops[1].chosen.distance, 0.0);
        // With every waypoint at one point, the next nearest are taken in turn.
        let stuck = plan_journey(
            &catalog,
            &features,
            &path(&[(0.0, 0.0), (0.0, 0.0)]),
            JourneyRule { stops: 4, ..rule },
            &RankOptions::default(),
        );
        assert_eq!(indices(&stuck), vec![0, 3, 1, 2]);
    }

    #[test]
    fn ties_go_to_catalog_order_and_the_journey_ends_when_tracks_run_out() {
        let catalog = catalog_of(&[(0.5, 0.5, "a", "x"), (0.5, 0.5, "a", "y")]);
        let features = FeatureTable::new(&catalog);
        let stops = plan_journey(
            &catalog,
            &features,
            &path(&[(0.5, 0.5), (0.6, 0.6)]),
            JourneyRule {
                stops: 5,
                artist_gap: None,
            },
            &RankOptions::default(),
        );
        assert_eq!(indices(&stops), vec![0, 1]);
    }

    #[test]
    fn artist_spacing_skips_to_the_next_nearest() {
        let catalog = catalog_of(&[
            (0.10, 0.5, "a", "same"),
            (0.20, 0.5, "a", "same"),
            (0.21, 0.5, "a", "other"),
            (0.30, 0.5, "a", "same"),
        ]);
        let features = FeatureTable::new(&catalog);
        let along = path(&[(0.1, 0.5), (0.3, 0.5)]);
        let run = |gap| {
            indices(&plan_journey(
                &catalog,
                &features,
                &along,
                JourneyRule {
                    stops: 3,
                    artist_gap: gap,
                },
                &RankOptions::default(),
            ))
        };
        assert_eq!(run(None), vec![0, 1, 3]);
        // Not twice in a row: the second waypoint (0.2) takes "other" instead.
        assert_eq!(run(Some(2)), vec![0, 2, 3]);
    }

    #[test]
    fn the_genre_filter_applies() {
        let catalog = catalog_of(&[(0.1, 0.1, "rock", "x"), (0.1, 0.12, "jazz", "y")]);
        let features = FeatureTable::new(&catalog);
        let options = RankOptions {
            genres: GenreFilter {
                include: vec![catalog.genre_index(1)],
                exclude: vec![],
            },
            ..RankOptions::default()
        };
        let stops = plan_journey(
            &catalog,
            &features,
            &path(&[(0.1, 0.1), (0.9, 0.9)]),
            JourneyRule {
                stops: 2,
                artist_gap: None,
            },
            &options,
        );
        assert_eq!(indices(&stops), vec![1]);
    }

    fn options_strategy(genres: usize) -> impl Strategy<Value = RankOptions> {
        (
            any::<bool>(),
            prop::sample::select(vec![0.0, 1e-6, 0.5, 1.0, 3.0]),
            prop::sample::select(vec![0.0, 1.0, 2.0]),
            prop::sample::select(vec![0.0, 0.7, 4.0]),
            proptest::option::of(0..genres),
        )
            .prop_map(|(z, mood_weight, energy_weight, dance, genre)| {
                let mut options = RankOptions {
                    z_score: z,
                    ..RankOptions::default()
                };
                options.weights[Feature::Valence] = mood_weight;
                options.weights[Feature::Energy] = energy_weight;
                options.weights[Feature::Danceability] = dance;
                if let Some(g) = genre {
                    options.genres = GenreFilter {
                        include: vec![g],
                        exclude: vec![],
                    };
                }
                options
            })
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(96))]
        /// The index gives exactly the brute-force playlist, under every option.
        #[test]
        fn the_index_walks_exactly_like_brute_force(
            points in prop::collection::vec((0u16..=20, 0u16..=20, 0usize..3, 0usize..6), 1..400),
            vertices in prop::collection::vec((0u16..=1000, 0u16..=1000), 2..6),
            stops in 2usize..60,
            gap in proptest::option::of(2usize..6),
            options in options_strategy(3),
        ) {
            // Coarse coordinates make many exact ties.
            let genres = ["g0", "g1", "g2"];
            let artists = ["a0", "a1", "a2", "a3", "a4", "a5"];
            let rows: Vec<(f64, f64, &str, &str)> = points
                .iter()
                .map(|&(v, e, g, a)| (v as f64 / 20.0, e as f64 / 20.0, genres[g], artists[a]))
                .collect();
            let catalog = catalog_of(&rows);
            let ranker = Ranker::new(&catalog);
            let along = MoodPath::new(
                vertices.iter().map(|&(v, e)| Mood::new(v as f64 / 1000.0, e as f64 / 1000.0).unwrap()).collect(),
            ).unwrap();
            let rule = JourneyRule { stops, artist_gap: gap };
            let mut options = options;
            if !options.genres.is_empty() {
                // Genre indices of this catalog: keep the filter meaningful.
                options.genres = GenreFilter { include: vec![0], exclude: vec![] };
            }
            let reference = plan_journey(&catalog, &ranker.features, &along, rule, &options);
            let indexed = ranker.journey(&catalog, &along, rule, &options);
            prop_assert_eq!(indexed, reference);
        }
    }
}
