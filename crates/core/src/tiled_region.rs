//! Every track within a radius or inside a lasso over the tiles at hand (issue 14). A
//! region must read every tile it can reach (by the tiles' bounds), so it asks for all
//! the missing ones at once, or says it reaches more tracks than a page holds; with them
//! all at hand the answer equals brute force's ([`crate::region::within_radius`],
//! [`crate::region::inside_lasso`]) under every option.

use crate::features::Feature;
use crate::query::Query;
use crate::rank::Match;
use crate::rank_options::RankOptions;
use crate::ranker::{dimensions, distance_squared, is_listable};
use crate::region::{by_distance, into_matches, Lasso, Region, MIN_RADIUS};
use crate::tiles::TileSet;

/// The most tracks a page's region over tiles reads: its tiles' tracks, all held at once
/// (well within the page's budget of tiles).
pub const REGION_TRACKS_MOST: u64 = 120_000;

/// The largest radius, to 1/1000 and at least [`MIN_RADIUS`], that reaches no tile whose
/// lower bound (a squared distance) is `bound` or more.
fn radius_below(bound: f64) -> Option<f64> {
    let mut radius = (bound.sqrt() * 1000.0).floor() / 1000.0;
    if radius * radius >= bound {
        radius -= 0.001;
    }
    let radius = (radius * 1000.0).round() / 1000.0;
    (radius >= MIN_RADIUS).then_some(radius)
}

/// Which page of a region's list to give, in order: `size` rows from row `number × size`
/// (a number past the last page gives the last). Only the rows up to the page's end are
/// sorted, so a drag over a big region sorts no more than it shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ListPage {
    pub number: usize,
    pub size: usize,
}

impl ListPage {
    /// The whole list as one page.
    pub const WHOLE: ListPage = ListPage {
        number: 0,
        size: usize::MAX,
    };
}

/// The answer of a region over the tiles at hand.
#[derive(Debug, Clone, PartialEq)]
pub enum TiledRegion {
    /// Exactly brute force's answer over the whole catalog: the page asked for (its rows
    /// from row `first`) of the `total` tracks found, and the tiles it read.
    Found {
        matches: Vec<Match>,
        first: usize,
        total: usize,
        tiles_read: Vec<usize>,
    },
    /// These tiles are missing (all of them: a region reads every tile it reaches).
    Needs(Vec<usize>),
    /// The region reaches more tracks than it may read: `tiles` tiles holding `tracks`;
    /// for a radius, the largest (to 1/1000) whose tiles hold few enough, if any.
    TooBig {
        tiles: usize,
        tracks: u64,
        fitting_radius: Option<f64>,
    },
}

impl TileSet {
    /// Every track of `region` around `query` that `options` keep (a radius measures as
    /// the ranking does and leaves out the query track; a lasso holds the tracks inside
    /// it, nearest its centre first), when every tile it reaches is at hand; a region
    /// whose tiles hold more than `most_tracks` is not read (the page passes
    /// [`REGION_TRACKS_MOST`]). Gives the `page` of the list asked for.
    pub fn region(
        &self,
        query: Query,
        region: &Region,
        options: &RankOptions,
        most_tracks: u64,
        page: ListPage,
    ) -> TiledRegion {
        let answer = match region {
            Region::Radius(radius) => self.within_radius(query, *radius, options, most_tracks),
            Region::Lasso(lasso) => self.inside_lasso(lasso, options, most_tracks),
        };
        match answer {
            Reached::Found { found, tiles_read } => {
                let (first, total, matches) = page_of(found, page);
                TiledRegion::Found {
                    matches,
                    first,
                    total,
                    tiles_read,
                }
            }
            Reached::Not(answer) => answer,
        }
    }

    fn within_radius(
        &self,
        query: Query,
        radius: f64,
        options: &RankOptions,
        most_tracks: u64,
    ) -> Reached {
        let targeted = match self.walk_options(query, options) {
            Ok(targeted) => targeted,
            Err(tile) => return Reached::Not(TiledRegion::Needs(vec![tile])),
        };
        let at_mood = Query {
            mood: query.mood,
            track: None,
        };
        let limit = radius * radius;
        let dims = dimensions(&targeted, &self.no_tracks, at_mood);
        let mut queue = self.unread_tiles(&dims, options);
        let mut reached = Vec::new();
        let (mut tracks, mut overflow_bound) = (0u64, None);
        while let Some(entry) = queue.pop() {
            if entry.0 > limit {
                break;
            }
            tracks += u64::from(self.directory[entry.1 as usize].shape.count);
            if tracks > most_tracks && overflow_bound.is_none() {
                overflow_bound = Some(entry.0);
            }
            reached.push(entry.1 as usize);
        }
        if let Some(bound) = overflow_bound {
            return Reached::Not(TiledRegion::TooBig {
                tiles: reached.len(),
                tracks,
                fitting_radius: radius_below(bound),
            });
        }
        self.read_reached(reached, |tile, found| {
            let dims = dimensions(&targeted, &tile.features, at_mood);
            for row in 0..tile.tile.len() {
                let index = tile.tile.first as usize + row;
                let d2 = distance_squared(&dims, row);
                if d2 <= limit && Some(index) != query.track && is_listable(self, options, index) {
                    found.push((d2, index));
                }
            }
        })
    }

    fn inside_lasso(&self, lasso: &Lasso, options: &RankOptions, most_tracks: u64) -> Reached {
        let (low, high) = lasso.bounds();
        let overlaps = |bounds: Option<(f64, f64)>, lo: f64, hi: f64| {
            bounds.is_none_or(|(from, to)| from <= hi && lo <= to)
        };
        let reached = self
            .directory
            .iter()
            .enumerate()
            .filter(|(_, entry)| {
                overlaps(entry.bounds[Feature::Valence], low.valence, high.valence)
                    && overlaps(entry.bounds[Feature::Energy], low.energy, high.energy)
                    && entry.holds_wanted_genre(options)
            })
            .map(|(number, _)| number)
            .collect::<Vec<_>>();
        let tracks: u64 = reached
            .iter()
            .map(|&t| u64::from(self.directory[t].shape.count))
            .sum();
        if tracks > most_tracks {
            return Reached::Not(TiledRegion::TooBig {
                tiles: reached.len(),
                tracks,
                fitting_radius: None,
            });
        }
        let centre = lasso.centre();
        self.read_reached(reached, |tile, found| {
            for (row, &mood) in tile.tile.moods.iter().enumerate() {
                let index = tile.tile.first as usize + row;
                if lasso.contains(mood) && is_listable(self, options, index) {
                    found.push((centre.distance_squared(mood), index));
                }
            }
        })
    }

    /// The region's answer from the tiles it reaches (few enough to read): the missing
    /// ones, or every track `collect` finds in them (unordered).
    fn read_reached(
        &self,
        reached: Vec<usize>,
        mut collect: impl FnMut(&crate::tiles::LoadedTile, &mut Vec<(f64, usize)>),
    ) -> Reached {
        let missing: Vec<usize> = reached
            .iter()
            .copied()
            .filter(|&t| !self.is_loaded(t))
            .collect();
        if !missing.is_empty() {
            return Reached::Not(TiledRegion::Needs(missing));
        }
        let mut found = Vec::new();
        for &tile in &reached {
            let loaded = self.loaded[tile]
                .as_ref()
                .expect("checked: every tile is here");
            collect(loaded, &mut found);
        }
        Reached::Found {
            found,
            tiles_read: reached,
        }
    }
}

/// What a region's tiles gave: every (squared distance, track) in it, or another answer.
enum Reached {
    Found {
        found: Vec<(f64, usize)>,
        tiles_read: Vec<usize>,
    },
    Not(TiledRegion),
}

/// The rows of `page` (its first row, the list's length, the rows in order) from the
/// unordered `found`: only the rows up to the page's end are sorted.
fn page_of(mut found: Vec<(f64, usize)>, page: ListPage) -> (usize, usize, Vec<Match>) {
    let total = found.len();
    let size = page.size.max(1);
    let last_page = total.div_ceil(size).max(1) - 1;
    let first = page.number.min(last_page).saturating_mul(size).min(total);
    let end = first.saturating_add(size).min(total);
    if end < total {
        if end > 0 {
            found.select_nth_unstable_by(end - 1, by_distance);
        }
        found.truncate(end);
    }
    found.sort_unstable_by(by_distance);
    (first, total, into_matches(found.split_off(first)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::Catalog;
    use crate::features::FeatureTable;
    use crate::mood::Mood;
    use crate::region::{inside_lasso, within_radius};
    use crate::tiles::tests::{catalog_of, fetch_tile, options_strategy};
    use crate::tiles::{directory_of, in_leaf_order, TileEntry};
    use proptest::prelude::*;

    /// Reads `region` as the page does: starts with no tile, fetches (from bytes, checked
    /// against the directory) every tile it asks for, asks again. Returns the answer, how
    /// many asks it took, and the tiles then at hand.
    fn region_fetching(
        ordered: &Catalog,
        directory: &[TileEntry],
        query: Query,
        region: &Region,
        options: &RankOptions,
        most_tracks: u64,
    ) -> (TiledRegion, usize, TileSet) {
        let mut tiles = TileSet::new(
            directory.to_vec(),
            FeatureTable::new(ordered).scale().clone(),
        );
        let mut asks = 0;
        loop {
            match tiles.region(query, region, options, most_tracks, ListPage::WHOLE) {
                TiledRegion::Needs(numbers) => {
                    asks += 1;
                    assert!(
                        asks <= 2,
                        "a region asks for its query track's tile, then the rest"
                    );
                    for number in numbers {
                        assert!(!tiles.is_loaded(number), "asked again for tile {number}");
                        fetch_tile(&mut tiles, ordered, directory, number);
                    }
                }
                answer => return (answer, asks, tiles),
            }
        }
    }

    fn found(answer: TiledRegion) -> Vec<Match> {
        match answer {
            TiledRegion::Found { matches, .. } => matches,
            other => panic!("not found: {other:?}"),
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(128))]
        /// Over tiles of at most 4 tracks, every radius (measured under every option, from
        /// a point or a track) and every lasso (convex or not) holds exactly what brute
        /// force finds over the whole catalog, in its order.
        #[test]
        fn a_region_over_tiles_equals_brute_force(
            points in prop::collection::vec((0u16..=20, 0u16..=20, 0u8..3, 0u8..4, 0u8..=10), 0..300),
            q in (0u32..=100_000, 0u32..=100_000),
            track in proptest::option::of(0usize..300),
            radius in prop::sample::select(vec![0.001, 0.05, 0.13, 0.4, 5.0]),
            vertices in prop::collection::vec((0u16..=20, 0u16..=20), 3..7),
            options in options_strategy(),
            page in (0usize..8, 1usize..40),
        ) {
            let (catalog, leaves) = in_leaf_order(catalog_of(&points), 4);
            let directory = directory_of(&catalog, &leaves);
            let features = FeatureTable::new(&catalog);
            let query = Query {
                mood: Mood::new(q.0 as f64 / 100_000.0, q.1 as f64 / 100_000.0).unwrap(),
                track: track.filter(|&t| t < catalog.len()),
            };
            let every = u64::MAX;
            let (answer, _, tiles) = region_fetching(&catalog, &directory, query, &Region::Radius(radius), &options, every);
            let whole = within_radius(&catalog, &features, query, radius, &options);
            prop_assert_eq!(found(answer), whole.clone());
            // A page of it (one past the last gives the last): the same rows, sorting
            // only up to the page's end.
            let (number, size) = page;
            let asked = tiles.region(query, &Region::Radius(radius), &options, every, ListPage { number, size });
            let TiledRegion::Found { matches, first, total, .. } = asked else {
                panic!("every tile is at hand");
            };
            let last = whole.len().div_ceil(size).max(1) - 1;
            prop_assert_eq!((first, total), (number.min(last) * size, whole.len()));
            prop_assert_eq!(&matches[..], &whole[first..(first + size).min(whole.len())]);
            let lasso = Lasso::new(
                vertices.iter().map(|&(v, e)| Mood::new(v as f64 / 20.0, e as f64 / 20.0).unwrap()).collect(),
            ).unwrap();
            let (answer, asks, _) = region_fetching(&catalog, &directory, query, &Region::Lasso(lasso.clone()), &options, every);
            prop_assert!(asks <= 1, "a lasso asks for all its tiles at once");
            prop_assert_eq!(found(answer), inside_lasso(&catalog, &lasso, &options));
        }
    }

    /// 400 tracks on a 20 × 20 grid in tiles of at most 8.
    fn grid_of_400() -> (Catalog, Vec<TileEntry>) {
        let points: Vec<_> = (0..400u16)
            .map(|i| (i % 20, (i / 20) % 20, 0, (i % 4) as u8, 0))
            .collect();
        let (catalog, leaves) = in_leaf_order(catalog_of(&points), 8);
        let directory = directory_of(&catalog, &leaves);
        (catalog, directory)
    }

    #[test]
    fn a_region_reads_only_the_tiles_it_reaches_and_no_more_tracks_than_it_may() {
        let (catalog, directory) = grid_of_400();
        let at = Query::at(Mood::new(0.5, 0.5).unwrap());
        let small = Region::Radius(0.06);
        let (answer, ..) = region_fetching(
            &catalog,
            &directory,
            at,
            &small,
            &RankOptions::default(),
            400,
        );
        let TiledRegion::Found {
            matches,
            tiles_read,
            ..
        } = answer
        else {
            panic!("a small radius is found");
        };
        // The grid's step is 0.05: the point's four neighbours and the four diagonal
        // ones (0.0707 away) are outside; (0.5, 0.5) itself and its four are within.
        assert_eq!(matches.len(), 5);
        assert!(
            tiles_read.len() < directory.len() / 4,
            "read {} tiles",
            tiles_read.len()
        );
        // The whole plane reaches every tile: with fewer tracks allowed it is not read,
        // and nothing is asked for.
        let tiles = TileSet::new(
            directory.clone(),
            FeatureTable::new(&catalog).scale().clone(),
        );
        let TiledRegion::TooBig {
            tiles: reached,
            tracks,
            fitting_radius: Some(fitting),
        } = tiles.region(
            at,
            &Region::Radius(2.0),
            &RankOptions::default(),
            100,
            ListPage::WHOLE,
        )
        else {
            panic!("the whole plane is too big, and a smaller radius fits");
        };
        assert_eq!((reached, tracks), (directory.len(), 400));
        // The radius offered instead reaches at most 100 tracks' tiles, and 0.001 more
        // would reach more.
        let (answer, ..) = region_fetching(
            &catalog,
            &directory,
            at,
            &Region::Radius(fitting),
            &RankOptions::default(),
            100,
        );
        assert!(
            matches!(answer, TiledRegion::Found { .. }),
            "{fitting} fits"
        );
        assert!(matches!(
            tiles.region(
                at,
                &Region::Radius(fitting + 0.001),
                &RankOptions::default(),
                100,
                ListPage::WHOLE
            ),
            TiledRegion::TooBig { .. }
        ));
        let square = Lasso::parse("0,0;1,0;1,1;0,1").unwrap();
        assert!(matches!(
            tiles.region(
                at,
                &Region::Lasso(square),
                &RankOptions::default(),
                399,
                ListPage::WHOLE
            ),
            TiledRegion::TooBig { tracks: 400, .. }
        ));
    }
}
