//! Beyond one point: every track within a radius of the query, and every track inside a
//! drawn region (a lasso: a closed polygon on the plane). [`within_radius`] and
//! [`inside_lasso`] are the brute-force references; [`Ranker::within_radius`] and
//! [`Ranker::inside_lasso`] use the grid index and must return exactly the same lists.

use std::fmt;

use crate::catalog::Catalog;
use crate::features::FeatureTable;
use crate::grid_index::WalkEnd;
use crate::journey_path::{parse_vertices, vertices_param, PathError, MAX_VERTICES};
use crate::mood::Mood;
use crate::query::Query;
use crate::rank::Match;
use crate::rank_options::RankOptions;
use crate::ranker::{
    axis_factors, dimensions, distance_squared, is_listable, Dimension, Plan, Ranker,
};

/// Bounds of a radius (in the ranking's units: plane units, or standard deviations).
pub const MIN_RADIUS: f64 = 0.001;
pub const MAX_RADIUS: f64 = 5.0;
pub const DEFAULT_RADIUS: f64 = 0.05;

/// The "beyond one point" queries: every track within a radius of the point, or inside
/// a region.
#[derive(Debug, Clone, PartialEq)]
pub enum Region {
    Radius(f64),
    Lasso(Lasso),
}

/// A radius typed or linked that cannot be used.
#[derive(Debug, Clone, PartialEq)]
pub struct RadiusError {
    pub typed: String,
}

impl fmt::Display for RadiusError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "“{}” is not a radius from {MIN_RADIUS} to {MAX_RADIUS}.",
            self.typed
        )
    }
}

impl std::error::Error for RadiusError {}

/// A radius from typed text, rounded to 1/1000 like every shared number.
pub fn parse_radius(typed: &str) -> Result<f64, RadiusError> {
    typed
        .trim()
        .parse::<f64>()
        .ok()
        .map(|r| (r * 1000.0).round() / 1000.0)
        .filter(|r| (MIN_RADIUS..=MAX_RADIUS).contains(r))
        .ok_or_else(|| RadiusError {
            typed: crate::query_string::shorten(typed, crate::view_state::ECHO_CHARS),
        })
}

/// A closed region on the plane: at least three vertices on the 1/1000 grid, at most
/// [`MAX_VERTICES`]; the last joins back to the first.
#[derive(Debug, Clone, PartialEq)]
pub struct Lasso {
    vertices: Vec<Mood>,
}

impl Lasso {
    pub fn new(vertices: Vec<Mood>) -> Result<Lasso, PathError> {
        match vertices.len() {
            0..=2 => Err(PathError::TooFewForRegion),
            count if count > MAX_VERTICES => Err(PathError::TooManyVertices { count }),
            _ => Ok(Lasso {
                vertices: vertices.into_iter().map(Mood::rounded).collect(),
            }),
        }
    }

    /// Reads the URL form `V1,E1;V2,E2;…`.
    pub fn parse(text: &str) -> Result<Lasso, PathError> {
        Lasso::new(parse_vertices(text)?)
    }

    pub fn to_param(&self) -> String {
        vertices_param(&self.vertices)
    }

    pub fn vertices(&self) -> &[Mood] {
        &self.vertices
    }

    /// The mean of the vertices on the 1/1000 grid: the list is ordered by distance from it.
    pub fn centre(&self) -> Mood {
        let n = self.vertices.len() as f64;
        Mood::clamped(
            self.vertices.iter().map(|m| m.valence).sum::<f64>() / n,
            self.vertices.iter().map(|m| m.energy).sum::<f64>() / n,
        )
        .rounded()
    }

    /// Lowest and highest corner of the bounding box.
    pub fn bounds(&self) -> (Mood, Mood) {
        let fold = |pick: fn(f64, f64) -> f64, start: f64| {
            self.vertices.iter().fold((start, start), |(v, e), m| {
                (pick(v, m.valence), pick(e, m.energy))
            })
        };
        let (lv, le) = fold(f64::min, f64::INFINITY);
        let (hv, he) = fold(f64::max, f64::NEG_INFINITY);
        (Mood::clamped(lv, le), Mood::clamped(hv, he))
    }

    /// Whether `p` is inside (even–odd rule; a point on a rising or falling edge counts by
    /// the half-open crossing test, so a point on the line between two regions that share
    /// it is in exactly one of them).
    pub fn contains(&self, p: Mood) -> bool {
        let mut inside = false;
        let n = self.vertices.len();
        let mut j = n - 1;
        for i in 0..n {
            let (a, b) = (self.vertices[i], self.vertices[j]);
            if (a.energy > p.energy) != (b.energy > p.energy) {
                let cross = (b.valence - a.valence) * (p.energy - a.energy) / (b.energy - a.energy)
                    + a.valence;
                if p.valence < cross {
                    inside = !inside;
                }
            }
            j = i;
        }
        inside
    }
}

/// The shape a radius draws on the plane: the semi-axes (valence, energy) of the ellipse
/// `factor_v·Δv² + factor_e·Δe² ≤ r²`, when valence and energy are all the distance
/// measures; None when other features weigh in (the region is then no shape on the plane).
pub fn radius_shape(
    options: &RankOptions,
    features: &FeatureTable,
    radius: f64,
) -> Option<(f64, f64)> {
    let dims = dimensions(options, features, Query::at(Mood::CENTRE));
    let axes = axis_factors(&dims);
    let only_mood = dims.iter().all(|d| {
        matches!(
            d.feature,
            crate::features::Feature::Valence | crate::features::Feature::Energy
        )
    });
    (only_mood && axes.valence > 0.0 && axes.energy > 0.0)
        .then(|| (radius / axes.valence.sqrt(), radius / axes.energy.sqrt()))
}

fn wanted(catalog: &Catalog, options: &RankOptions, exclude: Option<usize>, index: usize) -> bool {
    Some(index) != exclude && is_listable(catalog, options, index)
}

pub(crate) fn by_distance(a: &(f64, usize), b: &(f64, usize)) -> std::cmp::Ordering {
    a.0.total_cmp(&b.0).then(a.1.cmp(&b.1))
}

pub(crate) fn into_matches(mut found: Vec<(f64, usize)>) -> Vec<Match> {
    found.sort_unstable_by(by_distance);
    found
        .into_iter()
        .map(|(d2, index)| Match {
            index,
            distance: d2.sqrt(),
        })
        .collect()
}

fn scan_radius(
    catalog: &Catalog,
    dims: &[Dimension],
    query: Query,
    radius: f64,
    options: &RankOptions,
) -> Vec<Match> {
    let limit = radius * radius;
    let found = (0..catalog.len())
        .filter(|&i| wanted(catalog, options, query.track, i))
        .map(|i| (distance_squared(dims, i), i))
        .filter(|(d2, _)| *d2 <= limit)
        .collect();
    into_matches(found)
}

/// Every track within `radius` of the query under the options' distance and genre filter
/// (not the query track), nearest first, ties by catalog order. Brute force.
pub fn within_radius(
    catalog: &Catalog,
    features: &FeatureTable,
    query: Query,
    radius: f64,
    options: &RankOptions,
) -> Vec<Match> {
    let dims = dimensions(options, features, query);
    scan_radius(catalog, &dims, query, radius, options)
}

/// Every track inside `lasso` that the genre filter keeps, nearest to the lasso's centre
/// first (plane distance), ties by catalog order. Brute force.
pub fn inside_lasso(catalog: &Catalog, lasso: &Lasso, options: &RankOptions) -> Vec<Match> {
    let centre = lasso.centre();
    let found = catalog
        .moods()
        .iter()
        .enumerate()
        .filter(|&(i, m)| wanted(catalog, options, None, i) && lasso.contains(*m))
        .map(|(i, m)| (centre.distance_squared(*m), i))
        .collect();
    into_matches(found)
}

impl Ranker {
    /// [`within_radius`] through the grid index: a best-first walk that stops at the first
    /// track beyond the radius, or a scan where the index cannot prune.
    pub fn within_radius(
        &self,
        catalog: &Catalog,
        query: Query,
        radius: f64,
        options: &RankOptions,
    ) -> Vec<Match> {
        let dims = dimensions(options, &self.features, query);
        if self.plan(&dims) == Plan::Scan {
            return scan_radius(catalog, &dims, query, radius, options);
        }
        let limit = radius * radius;
        let mut found = Vec::new();
        let end = self.index.visit_nearest(
            query.mood,
            axis_factors(&dims),
            self.walk_budget,
            |i| distance_squared(&dims, i),
            |i, d2| {
                if d2 > limit {
                    return false;
                }
                if wanted(catalog, options, query.track, i) {
                    found.push((d2, i));
                }
                true
            },
        );
        match end {
            WalkEnd::Complete => into_matches(found),
            WalkEnd::OverBudget => scan_radius(catalog, &dims, query, radius, options),
        }
    }

    /// [`inside_lasso`] through the grid index: only the cells that overlap the lasso's
    /// bounding box are read.
    pub fn inside_lasso(
        &self,
        catalog: &Catalog,
        lasso: &Lasso,
        options: &RankOptions,
    ) -> Vec<Match> {
        let centre = lasso.centre();
        let (low, high) = lasso.bounds();
        let moods = catalog.moods();
        let mut found = Vec::new();
        self.index.visit_box(low, high, |i| {
            let m = moods[i];
            if wanted(catalog, options, None, i) && lasso.contains(m) {
                found.push((centre.distance_squared(m), i));
            }
        });
        into_matches(found)
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

    fn m(v: f64, e: f64) -> Mood {
        Mood::new(v, e).unwrap()
    }

    fn catalog_of(points: &[(f64, f64, usize)]) -> Catalog {
        let records = points
            .iter()
            .enumerate()
            .map(|(i, &(v, e, g))| TrackRecord {
                id: TrackId::parse(&format!("{i:0>22}")).unwrap(),
                name: format!("t{i}"),
                artist: format!("a{}", i % 5),
                genre: format!("g{g}"),
                mood: m(v, e),
                extras: ExtraFeatures {
                    danceability: Some((i % 7) as f64 / 7.0),
                    ..ExtraFeatures::default()
                },
            })
            .collect();
        Catalog::from_records("test", records).0
    }

    #[test]
    fn a_square_holds_its_inside_only() {
        let square = Lasso::parse("0.2,0.2;0.6,0.2;0.6,0.6;0.2,0.6").unwrap();
        assert!(square.contains(m(0.4, 0.4)));
        assert!(!square.contains(m(0.7, 0.4)));
        assert!(!square.contains(m(0.4, 0.1)));
        assert_eq!(square.bounds(), (m(0.2, 0.2), m(0.6, 0.6)));
        assert_eq!(square.centre(), m(0.4, 0.4));
        // A concave L: the notch is outside.
        let l = Lasso::parse("0.1,0.1;0.9,0.1;0.9,0.3;0.3,0.3;0.3,0.9;0.1,0.9").unwrap();
        assert!(l.contains(m(0.2, 0.8)));
        assert!(!l.contains(m(0.6, 0.6)));
        assert_eq!(
            Lasso::parse("0.1,0.1;0.2,0.2"),
            Err(PathError::TooFewForRegion)
        );
        assert_eq!(
            PathError::TooFewForRegion.to_string(),
            "a region needs at least three points"
        );
    }

    #[test]
    fn two_regions_sharing_an_edge_split_the_points_on_it() {
        let left = Lasso::parse("0.1,0.1;0.5,0.1;0.5,0.9;0.1,0.9").unwrap();
        let right = Lasso::parse("0.5,0.1;0.9,0.1;0.9,0.9;0.5,0.9").unwrap();
        let on_edge = m(0.5, 0.5);
        assert!(left.contains(on_edge) != right.contains(on_edge));
    }

    #[test]
    fn a_radius_holds_every_track_within_it_nearest_first() {
        let catalog = catalog_of(&[(0.5, 0.5, 0), (0.52, 0.5, 0), (0.6, 0.5, 0), (0.5, 0.53, 1)]);
        let ranker = Ranker::new(&catalog);
        let q = Query::at(m(0.5, 0.5));
        let found = ranker.within_radius(&catalog, q, 0.05, &RankOptions::default());
        assert_eq!(
            found.iter().map(|m| m.index).collect::<Vec<_>>(),
            vec![0, 1, 3]
        );
        assert_eq!(found[1].distance, 0.020000000000000018);
        assert_eq!(parse_radius(" 0.12345 "), Ok(0.123));
        assert_eq!(
            parse_radius("0").unwrap_err().to_string(),
            "“0” is not a radius from 0.001 to 5."
        );
        assert!(parse_radius("x").is_err());
    }

    #[test]
    fn a_radius_is_a_circle_plain_and_an_ellipse_in_standard_deviations() {
        let catalog = catalog_of(&[(0.1, 0.2, 0), (0.9, 0.4, 0), (0.5, 0.3, 1)]);
        let features = FeatureTable::new(&catalog);
        assert_eq!(
            radius_shape(&RankOptions::default(), &features, 0.1),
            Some((0.1, 0.1))
        );
        let z = RankOptions {
            z_score: true,
            ..RankOptions::default()
        };
        let (sv, se) = radius_shape(&z, &features, 1.0).unwrap();
        let spread = |f| features.summary(f).unwrap().std_dev;
        assert!((sv - spread(Feature::Valence)).abs() < 1e-12);
        assert!((se - spread(Feature::Energy)).abs() < 1e-12);
        let mut dance = RankOptions::default();
        dance.weights[Feature::Danceability] = 1.0;
        assert_eq!(radius_shape(&dance, &features, 0.1), None);
    }

    fn options_strategy() -> impl Strategy<Value = RankOptions> {
        (
            any::<bool>(),
            prop::sample::select(vec![0.0, 1e-6, 1.0, 2.5]),
            prop::sample::select(vec![0.0, 0.8, 4.0]),
            proptest::option::of(0usize..3),
        )
            .prop_map(|(z, mood_weight, dance, genre)| {
                let mut options = RankOptions {
                    z_score: z,
                    ..RankOptions::default()
                };
                options.weights[Feature::Valence] = mood_weight;
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
        #![proptest_config(ProptestConfig::with_cases(128))]
        /// Radius and lasso through the index equal brute force exactly.
        #[test]
        fn the_index_finds_exactly_what_brute_force_finds(
            points in prop::collection::vec((0u16..=20, 0u16..=20, 0usize..3), 0..400),
            q in (0u16..=1000, 0u16..=1000),
            radius in 1u16..=600,
            polygon in prop::collection::vec((0u16..=1000, 0u16..=1000), 3..9),
            options in options_strategy(),
            track in proptest::option::of(0usize..400),
        ) {
            let catalog = catalog_of(
                &points.iter().map(|&(v, e, g)| (v as f64 / 20.0, e as f64 / 20.0, g)).collect::<Vec<_>>(),
            );
            let ranker = Ranker::new(&catalog);
            let query = Query {
                mood: m(q.0 as f64 / 1000.0, q.1 as f64 / 1000.0),
                track: track.filter(|&t| t < catalog.len()),
            };
            let r = radius as f64 / 1000.0;
            prop_assert_eq!(
                ranker.within_radius(&catalog, query, r, &options),
                within_radius(&catalog, &ranker.features, query, r, &options)
            );
            let lasso = Lasso::new(
                polygon.iter().map(|&(v, e)| m(v as f64 / 1000.0, e as f64 / 1000.0)).collect(),
            ).unwrap();
            prop_assert_eq!(
                ranker.inside_lasso(&catalog, &lasso, &options),
                inside_lasso(&catalog, &lasso, &options)
            );
        }
    }
}
