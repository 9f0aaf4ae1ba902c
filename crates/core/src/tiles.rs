//! The catalog cut into tiles (issue 14), and exact ranking over the tiles at hand.
//! A quadtree splits the plane until each leaf holds at most a given number of tracks;
//! [`in_leaf_order`] renumbers the catalog so that each leaf is a run of tracks, one
//! [`MoodTile`] each, and [`directory_of`] lists every tile's bounds in each rankable
//! dimension and its genres. [`TileSet::rank`] reads tiles best-first by a lower bound of
//! the weighted distance over all those dimensions (the grid walk's argument with tiles
//! as cells) and releases tracks only when nearer than every unread tile, so the answer
//! equals brute force ([`crate::ranker::rank`]) under every option; tiles that hold no
//! wanted genre are never read. When the tile it must read next is not at hand it says
//! which ([`TiledRanking::Needs`]): the page fetches it and asks again.

use std::borrow::Cow;
use std::collections::BinaryHeap;

use crate::catalog::{Catalog, MoodTile, TileShape};
use crate::density::{likely_radius, radius_holding};
use crate::features::{Feature, FeatureMap, FeatureScale, FeatureTable};
use crate::grid_index::Entry;
use crate::journey::{Eligibility, JourneyRule, Stop};
use crate::journey_path::MoodPath;
use crate::mood::Mood;
use crate::query::Query;
use crate::rank::Match;
use crate::rank_options::RankOptions;
use crate::ranker::{
    axis_factors, dimensions, distance_squared, Dimension, PoolBuilder, TrackFacts,
};
use crate::tile_tree::{lower_bound, TileQueue, TileTree};

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

/// The catalog with its tracks in leaf order, and its leaves, each now the run
/// `members[0] ..= members[last]` of the new order: the layout of a tiled catalog, where
/// a tile is a run of tracks. Within a leaf, tracks follow a Z-order curve over the plane,
/// so tracks near in mood are near in number (and so share detail chunks). Genre indices
/// keep their meaning; ids, names and every value are the catalog's.
pub fn in_leaf_order(catalog: Catalog, max_per_leaf: usize) -> (Catalog, Vec<Leaf>) {
    let (ordered, leaves, _) = in_leaf_order_from(catalog, max_per_leaf);
    (ordered, leaves)
}

/// [`in_leaf_order`], also giving where each track came from: track k of the new order
/// was track `from[k]` of `catalog`.
pub fn in_leaf_order_from(catalog: Catalog, max_per_leaf: usize) -> (Catalog, Vec<Leaf>, Vec<u32>) {
    // The features are dropped before the catalog is renumbered: memory at 10M tracks.
    let leaves = cut_into_leaves(&catalog, &FeatureTable::new(&catalog), max_per_leaf);
    let moods = catalog.moods();
    let mut order = Vec::with_capacity(catalog.len());
    for leaf in &leaves {
        let start = order.len();
        order.extend_from_slice(&leaf.members);
        order[start..].sort_by_key(|&i| (z_order(moods[i as usize]), i));
    }
    let ordered = catalog.permuted(&order);
    let mut next = 0u32;
    let leaves = leaves
        .into_iter()
        .map(|leaf| {
            let count = leaf.members.len() as u32;
            let members = (next..next + count).collect();
            next += count;
            Leaf { members, ..leaf }
        })
        .collect();
    (ordered, leaves, order)
}

/// A mood's place on a Z-order (Morton) curve: valence and energy in 16 bits each,
/// their bits interleaved.
pub(crate) fn z_order(mood: Mood) -> u64 {
    let spread = |x: f64| {
        let mut v = (x.clamp(0.0, 1.0) * 65535.0).round() as u64;
        v = (v | (v << 8)) & 0x00FF_00FF;
        v = (v | (v << 4)) & 0x0F0F_0F0F;
        v = (v | (v << 2)) & 0x3333_3333;
        (v | (v << 1)) & 0x5555_5555
    };
    spread(mood.valence) | (spread(mood.energy) << 1)
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

/// What a tiled catalog's directory says of one tile: which run of tracks it holds, its
/// bounds in every rankable dimension, and the genres in it.
#[derive(Debug, Clone, PartialEq)]
pub struct TileEntry {
    pub shape: TileShape,
    pub bounds: FeatureMap<Option<(f64, f64)>>,
    pub genres: Vec<u32>,
}

impl TileEntry {
    /// Whether the tile holds a genre the options' filter lets through.
    pub(crate) fn holds_wanted_genre(&self, options: &RankOptions) -> bool {
        let genres = &options.genres;
        genres.is_empty() || self.genres.iter().any(|&g| genres.allows(g as usize))
    }
}

/// The directory of a leaf-ordered catalog (see [`in_leaf_order`]): one tile per leaf.
pub fn directory_of(ordered: &Catalog, leaves: &[Leaf]) -> Vec<TileEntry> {
    leaves
        .iter()
        .map(|leaf| {
            let first = leaf.members.first().map_or(0, |&i| i as usize);
            TileEntry {
                shape: ordered.tile_shape(first..first + leaf.members.len()),
                bounds: leaf.bounds,
                genres: leaf.genres.clone(),
            }
        })
        .collect()
}

/// The answer of ranking over the tiles at hand.
#[derive(Debug, Clone, PartialEq)]
pub enum TiledRanking {
    /// Exactly brute force's answer over the whole catalog, and the tiles the walk read
    /// to know it (best first: a cache keeps these).
    Ranked {
        matches: Vec<Match>,
        tiles_read: Vec<usize>,
    },
    /// The walk must read this tile next, and it is not here: fetch it and ask again.
    Needs(usize),
}

/// A tiled catalog as the page holds it: the directory of every tile, the catalog's
/// feature scale, and the tiles fetched so far, each with its features in ranking units.
#[derive(Debug, Clone)]
pub struct TileSet {
    pub(crate) directory: Vec<TileEntry>,
    /// Boxes over the directory's tiles: the walk's queue opens them best-first.
    tree: TileTree,
    scale: FeatureScale,
    /// No tracks, every feature of the scale: the targets and factors of a query.
    pub(crate) no_tracks: FeatureTable,
    pub(crate) loaded: Vec<Option<LoadedTile>>,
}

#[derive(Debug, Clone)]
pub(crate) struct LoadedTile {
    pub(crate) tile: MoodTile,
    pub(crate) features: FeatureTable,
}

impl TileSet {
    pub fn new(directory: Vec<TileEntry>, scale: FeatureScale) -> TileSet {
        let no_tracks =
            FeatureTable::scaled_like(&[], |f| scale.gap_fill[f].map(|_| &[][..]), &scale);
        let loaded = vec![None; directory.len()];
        let bounds: Vec<_> = directory.iter().map(|entry| entry.bounds).collect();
        TileSet {
            tree: TileTree::new(&bounds),
            directory,
            scale,
            no_tracks,
            loaded,
        }
    }

    pub fn is_loaded(&self, number: usize) -> bool {
        self.loaded.get(number).is_some_and(Option::is_some)
    }

    /// Keeps tile `number` (read with its directory entry's shape, so it is that tile).
    pub fn insert(&mut self, number: usize, tile: MoodTile) {
        let raw = |f: Feature| extra_slot(f).and_then(|c| tile.extras[c].as_deref());
        let features = FeatureTable::scaled_like(&tile.moods, raw, &self.scale);
        self.loaded[number] = Some(LoadedTile { tile, features });
    }

    /// Tile `number`, when at hand.
    pub fn tile(&self, number: usize) -> Option<&MoodTile> {
        self.loaded.get(number)?.as_ref().map(|l| &l.tile)
    }

    /// Lets tile `number` go (a bounded cache evicts this way).
    pub fn evict(&mut self, number: usize) {
        if let Some(slot) = self.loaded.get_mut(number) {
            *slot = None;
        }
    }

    /// The tile holding track `index`, if the catalog has that track.
    pub fn tile_of(&self, index: usize) -> Option<usize> {
        let after = self
            .directory
            .partition_point(|e| e.shape.first as usize <= index);
        let tile = after.checked_sub(1)?;
        let shape = &self.directory[tile].shape;
        (index < shape.first as usize + shape.count as usize).then_some(tile)
    }

    fn located(&self, index: usize) -> (&LoadedTile, usize) {
        let tile = self.tile_of(index).expect("a track of the catalog");
        let loaded = self.loaded[tile]
            .as_ref()
            .expect("candidates come from loaded tiles");
        (loaded, index - loaded.tile.first as usize)
    }

    /// The options the walk measures with: a query track lends its own extra features
    /// as the targets, so its tile is needed first (`Err` names it) when one of them is
    /// weighted. With none weighted the targets change no distance: the walk (and a
    /// first wave) goes by the tiles' bounds alone, and the tiles around the track come
    /// in the same round trip as its own.
    pub(crate) fn walk_options<'a>(
        &self,
        query: Query,
        options: &'a RankOptions,
    ) -> Result<Cow<'a, RankOptions>, usize> {
        let targets_matter = Feature::EXTRAS.iter().any(|&f| options.weights[f] > 0.0);
        let Some(track) = query
            .track
            .filter(|&t| targets_matter && self.tile_of(t).is_some())
        else {
            return Ok(Cow::Borrowed(options));
        };
        let tile = self.tile_of(track).expect("checked");
        if !self.is_loaded(tile) {
            return Err(tile);
        }
        let (loaded, row) = self.located(track);
        let mut targeted = options.clone();
        for feature in Feature::EXTRAS {
            if let Some(value) = loaded.features.value(feature, row) {
                targeted.targets[feature] = value;
            }
        }
        Ok(Cow::Owned(targeted))
    }

    /// Every tile that holds a wanted genre, by its lower bound under `dims` (then its
    /// number): the walk's queue.
    pub(crate) fn unread_tiles<'a>(
        &'a self,
        dims: &'a [Dimension<'a>],
        options: &'a RankOptions,
    ) -> TileQueue<'a> {
        self.tree.queue(dims, move |tile| {
            let entry = &self.directory[tile as usize];
            entry
                .holds_wanted_genre(options)
                .then(|| lower_bound(&entry.bounds, dims))
        })
    }

    /// The `n` best matches for `query` under `options`, reading tiles best-first by the
    /// lower bound of the weighted distance to any of their tracks; or the tile it must
    /// read next when that one is missing (the query track's own tile first, when its
    /// features are the targets). Equals [`crate::ranker::rank`] over the whole catalog.
    pub fn rank(&self, query: Query, n: usize, options: &RankOptions) -> TiledRanking {
        let mut pool = PoolBuilder::new(self, options, query.track, n);
        if n == 0 {
            return TiledRanking::Ranked {
                matches: Vec::new(),
                tiles_read: Vec::new(),
            };
        }
        let dimension_options = match self.walk_options(query, options) {
            Ok(targeted) => targeted,
            Err(tile) => return TiledRanking::Needs(tile),
        };
        let dimension_options = dimension_options.as_ref();
        // The point as it is (not rounded again): the measure brute force uses.
        let at_mood = Query {
            mood: query.mood,
            track: None,
        };
        let dims = dimensions(dimension_options, &self.no_tracks, at_mood);
        let mut unread = self.unread_tiles(&dims, options);
        let mut candidates: BinaryHeap<Entry> = BinaryHeap::new();
        let mut tiles_read = Vec::new();
        loop {
            let next_bound = unread.peek().map_or(f64::INFINITY, |e| e.0);
            while let Some(&Entry(d2, i)) = candidates.peek() {
                if d2 >= next_bound {
                    break;
                }
                candidates.pop();
                if !pool.offer(d2, i as usize) {
                    return TiledRanking::Ranked {
                        matches: pool.finish(n),
                        tiles_read,
                    };
                }
            }
            let Some(Entry(_, tile)) = unread.pop() else {
                return TiledRanking::Ranked {
                    matches: pool.finish(n),
                    tiles_read,
                };
            };
            let Some(loaded) = &self.loaded[tile as usize] else {
                return TiledRanking::Needs(tile as usize);
            };
            tiles_read.push(tile as usize);
            push_tracks(
                loaded,
                &dimensions(dimension_options, &loaded.features, at_mood),
                &mut candidates,
            );
        }
    }
}

/// Every track of a tile read, by its distance under `dims` (measured in the tile).
fn push_tracks(loaded: &LoadedTile, dims: &[Dimension], candidates: &mut BinaryHeap<Entry>) {
    let first = loaded.tile.first;
    for row in 0..loaded.tile.len() {
        candidates.push(Entry(distance_squared(dims, row), first + row as u32));
    }
}

/// A journey over the tiles at hand.
#[derive(Debug, Clone, PartialEq)]
pub enum TiledJourney {
    /// Every stop, as [`crate::journey::plan_journey`] over the whole catalog gives them,
    /// and the tiles the walks read to know them (each once: a cache keeps these).
    Planned {
        stops: Vec<Stop>,
        tiles_read: Vec<usize>,
    },
    /// The tile to read next.
    Needs(usize),
}

impl TileSet {
    /// The journey along `path` under `rule` and `options`: for each waypoint the nearest
    /// allowed track, found by the ranking's best-first walk over tiles (least distance,
    /// then least index, as brute force). Or the tile the walk must read next.
    pub fn journey(
        &self,
        path: &MoodPath,
        rule: JourneyRule,
        options: &RankOptions,
    ) -> TiledJourney {
        let mut eligible = Eligibility::new(self, options, rule);
        let mut stops = Vec::new();
        let mut tiles_read = Vec::new();
        for waypoint in path.waypoints(rule.stops) {
            match self.nearest_allowed(waypoint, options, &eligible, &mut tiles_read) {
                Err(tile) => return TiledJourney::Needs(tile),
                Ok(None) => break,
                Ok(Some((d2, index))) => {
                    eligible.take(index);
                    stops.push(Stop {
                        waypoint,
                        chosen: Match {
                            index,
                            distance: d2.sqrt(),
                        },
                    });
                }
            }
        }
        TiledJourney::Planned { stops, tiles_read }
    }

    /// The tiles a journey will surely want that are not at hand: for each waypoint the
    /// missing tile nearest it, each once, in path order (what a page fetches together).
    pub fn missing_along(
        &self,
        path: &MoodPath,
        rule: JourneyRule,
        options: &RankOptions,
    ) -> Vec<usize> {
        let mut tiles = Vec::new();
        for waypoint in path.waypoints(rule.stops) {
            for tile in self.nearest_missing(Query::at(waypoint), options, 1, f64::INFINITY) {
                if !tiles.contains(&tile) {
                    tiles.push(tile);
                }
            }
        }
        tiles
    }

    /// The least (distance², index) track `eligible` allows, by the walk of [`TileSet::rank`].
    /// Each tile it reads joins `tiles_read` (once).
    fn nearest_allowed(
        &self,
        waypoint: Mood,
        options: &RankOptions,
        eligible: &Eligibility<'_, TileSet>,
        tiles_read: &mut Vec<usize>,
    ) -> Result<Option<(f64, usize)>, usize> {
        let at = Query {
            mood: waypoint,
            track: None,
        };
        let dims = dimensions(options, &self.no_tracks, at);
        let mut unread = self.unread_tiles(&dims, options);
        let mut candidates: BinaryHeap<Entry> = BinaryHeap::new();
        loop {
            let next_bound = unread.peek().map_or(f64::INFINITY, |e| e.0);
            while let Some(&Entry(d2, i)) = candidates.peek() {
                if d2 >= next_bound {
                    break;
                }
                candidates.pop();
                if eligible.allows(i as usize) {
                    return Ok(Some((d2, i as usize)));
                }
            }
            let Some(Entry(_, tile)) = unread.pop() else {
                return Ok(None);
            };
            let Some(loaded) = &self.loaded[tile as usize] else {
                return Err(tile as usize);
            };
            if !tiles_read.contains(&(tile as usize)) {
                tiles_read.push(tile as usize);
            }
            push_tracks(
                loaded,
                &dimensions(options, &loaded.features, at),
                &mut candidates,
            );
        }
    }
}

/// How many tiles to fetch on the `ask`-th ask in a row for a tile for one query (and
/// options): one for the first two asks (most lists need one to three tiles), then 2, 4,
/// … 64, the asked-for tile and the next ones in the walk's order
/// ([`TileSet::nearest_missing`]). A list spanning many tiles (a sparse corner of a dense
/// catalog) so costs a few round trips, not one a tile, and fetches at most about twice
/// the tiles it reads.
pub fn tiles_per_ask(ask: u32) -> usize {
    1 << ask.max(1).saturating_sub(2).min(6)
}

/// How far from a list's point tiles are worth fetching ahead for its next move: twice
/// its farthest match (a move of that much changes the list), and at least a step of
/// the arrow keys (0.01) twice.
pub fn fetch_ahead_reach(matches: &[Match]) -> f64 {
    2.0 * matches.last().map_or(0.0, |m| m.distance).max(0.02)
}

impl TileSet {
    /// The `k` tiles not at hand that lie nearest `query` under `options` (by the walk's
    /// lower bound), nearest first, none farther than `reach` (in the ranking's distance
    /// units): what a page fetches ahead, so that the point's next move finds its tiles
    /// already here, without creeping outwards over the whole catalog.
    pub fn nearest_missing(
        &self,
        query: Query,
        options: &RankOptions,
        k: usize,
        reach: f64,
    ) -> Vec<usize> {
        // Measured as the walk measures; its query track's tile comes first when the
        // walk needs it first.
        let targeted = match self.walk_options(query, options) {
            Ok(targeted) => targeted,
            Err(tile) => return vec![tile],
        };
        let dims = dimensions(
            &targeted,
            &self.no_tracks,
            Query {
                mood: query.mood,
                track: None,
            },
        );
        let mut unread = self.unread_tiles(&dims, options);
        let mut missing = Vec::new();
        while missing.len() < k {
            match unread.pop() {
                Some(Entry(d2, tile)) if d2 <= reach * reach => {
                    if !self.is_loaded(tile as usize) {
                        missing.push(tile as usize);
                    }
                }
                _ => break,
            }
        }
        missing
    }

    /// The tiles a point's first ask fetches together: those not at hand within the
    /// likely reach of its list (`n` matches, or the popularity re-rank's pool, and the
    /// query track), nearest first, at most [`FIRST_WAVE_MOST`]. The reach is the smaller
    /// of two radii on the plane, both from the manifest's `size × size` density grid
    /// `counts`: [`radius_holding`], a bound (whole cells within it hold that many
    /// tracks), and [`likely_radius`], the disc that many tracks fill at the density of
    /// the point's own cell (where a cell holds thousands of tracks, far smaller). So a
    /// new list mostly costs one round trip of tiles, not one a tile, without fetching a
    /// neighbourhood it does not read; the walk asks for whatever the wave missed. It
    /// always holds the missing tile the walk reads first.
    pub fn first_wave(
        &self,
        query: Query,
        options: &RankOptions,
        n: usize,
        density: Density,
    ) -> Vec<usize> {
        let wanted =
            options.popularity_rerank.map_or(n, |k| k.max(n)) + usize::from(query.track.is_some());
        let bound = radius_holding(density.counts, density.size, query.mood, wanted);
        let radius = match (
            bound,
            likely_radius(density.counts, density.size, query.mood, wanted),
        ) {
            (Some(bound), Some(local)) => bound.min(local),
            (bound, local) => bound.or(local).unwrap_or(f64::INFINITY),
        };
        let reach = self.plane_reach(radius, query.mood, options);
        let wave = self.nearest_missing(query, options, FIRST_WAVE_MOST, reach);
        if wave.is_empty() {
            // The estimate fell short of every missing tile: the walk's next one, at least.
            return self.nearest_missing(query, options, 1, f64::INFINITY);
        }
        wave
    }

    /// How far, in the ranking's units under `options`, a track `radius` away from `mood`
    /// on the plane can be at most (a hair more, for rounding); infinite when the plane
    /// gives no measure (the mood unweighted, or an infinite radius).
    fn plane_reach(&self, radius: f64, mood: Mood, options: &RankOptions) -> f64 {
        let axes = axis_factors(&dimensions(options, &self.no_tracks, Query::at(mood)));
        let scale = axes.valence.max(axes.energy).sqrt();
        if radius.is_finite() && scale > 0.0 {
            radius * scale * (1.0 + 1e-9)
        } else {
            f64::INFINITY
        }
    }

    /// What a page fetches beside tile `asked`, the walk's `ask`-th ask in a row for one
    /// point and options: on the first, the point's first wave; later, the walk's next
    /// tiles, [`tiles_per_ask`] with `asked` (so none on the second). Never `asked`.
    pub fn fetch_beside(
        &self,
        asked: usize,
        ask: u32,
        query: Query,
        options: &RankOptions,
        n: usize,
        density: Density,
    ) -> Vec<usize> {
        let others = |tiles: Vec<usize>| tiles.into_iter().filter(move |&t| t != asked);
        if ask <= 1 {
            return others(self.first_wave(query, options, n, density)).collect();
        }
        let batch = tiles_per_ask(ask);
        others(self.nearest_missing(query, options, batch, f64::INFINITY))
            .take(batch - 1)
            .collect()
    }
}

/// A tiled catalog's density grid (its manifest's): tracks per cell of a `size × size`
/// grid over the plane ([`crate::density::count_per_pixel`]).
#[derive(Debug, Clone, Copy)]
pub struct Density<'a> {
    pub counts: &'a [u32],
    pub size: usize,
}

/// The most tiles a point's first ask fetches at once ([`TileSet::first_wave`]): about
/// 300 KB on the wire at most.
pub const FIRST_WAVE_MOST: usize = 16;

/// The catalog's extra column of a feature (None for the plane's axes).
fn extra_slot(feature: Feature) -> Option<usize> {
    Feature::EXTRAS.iter().position(|&f| f == feature)
}

impl TrackFacts for TileSet {
    fn artist_of(&self, index: usize) -> usize {
        let (loaded, row) = self.located(index);
        loaded.tile.artist_of[row] as usize
    }
    fn genre_of(&self, index: usize) -> usize {
        let (loaded, row) = self.located(index);
        loaded.tile.genre_of[row] as usize
    }
    fn popularity_of(&self, index: usize) -> Option<f64> {
        let (loaded, row) = self.located(index);
        let column = loaded.tile.extras[extra_slot(Feature::Popularity)?].as_ref()?;
        Some(column[row]).filter(|x| !x.is_nan())
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::catalog::{ExtraFeatures, TrackRecord};
    use crate::features::Feature;
    use crate::journey::plan_journey;
    use crate::mood::Mood;
    use crate::rank_options::GenreFilter;
    use crate::ranker::rank;
    use crate::track_id::TrackId;
    use proptest::prelude::*;

    pub(crate) fn catalog_of(points: &[(u16, u16, u8, u8, u8)]) -> Catalog {
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
                    // 10 stands for a gap, which ranking fills with the catalog's mean.
                    danceability: (d < 10).then(|| d as f64 / 10.0),
                    popularity: Some((i % 11) as f64 * 9.0),
                    ..ExtraFeatures::default()
                },
            })
            .collect();
        Catalog::from_records("test", records).0
    }

    /// Fetches tile `number` of `ordered` as the page does: its bytes, read back against
    /// the directory's shape, into `tiles`.
    pub(crate) fn fetch_tile(
        tiles: &mut TileSet,
        ordered: &Catalog,
        directory: &[TileEntry],
        number: usize,
    ) {
        let shape = directory[number].shape;
        let range = shape.first as usize..(shape.first + shape.count) as usize;
        let bytes = ordered.mood_tile(range).to_bytes();
        tiles.insert(number, MoodTile::from_bytes(&bytes, &shape).unwrap());
    }

    /// Ranks as the page does: starts with no tile, fetches (from bytes, checked against
    /// the directory) each tile the walk asks for, asks again. Returns the matches and
    /// how many tiles were fetched.
    fn rank_fetching(
        ordered: &Catalog,
        leaves: &[Leaf],
        query: Query,
        n: usize,
        options: &RankOptions,
    ) -> (Vec<Match>, usize) {
        let directory = directory_of(ordered, leaves);
        let mut tiles = TileSet::new(
            directory.clone(),
            FeatureTable::new(ordered).scale().clone(),
        );
        let mut fetched = 0;
        loop {
            match tiles.rank(query, n, options) {
                TiledRanking::Ranked { matches, .. } => return (matches, fetched),
                TiledRanking::Needs(number) => {
                    assert!(!tiles.is_loaded(number), "asked twice for tile {number}");
                    fetch_tile(&mut tiles, ordered, &directory, number);
                    fetched += 1;
                }
            }
        }
    }

    /// As [`rank_fetching`], but fetching as the page does: the asked-for tile and
    /// [`TileSet::fetch_beside`] it (over an 8 × 8 density grid). Returns the matches, the tiles fetched after the first
    /// ask, and the tiles read.
    fn rank_fetching_in_batches(
        ordered: &Catalog,
        leaves: &[Leaf],
        query: Query,
        n: usize,
        options: &RankOptions,
    ) -> (Vec<Match>, usize, usize) {
        let directory = directory_of(ordered, leaves);
        let mut tiles = TileSet::new(
            directory.clone(),
            FeatureTable::new(ordered).scale().clone(),
        );
        let counts = crate::density::count_per_pixel(ordered.moods(), 8, 8);
        let density = Density {
            counts: &counts,
            size: 8,
        };
        let (mut fetched, mut ask) = (0, 0);
        loop {
            match tiles.rank(query, n, options) {
                TiledRanking::Ranked {
                    matches,
                    tiles_read,
                } => return (matches, fetched, tiles_read.len()),
                TiledRanking::Needs(number) => {
                    ask += 1;
                    let mut wanted = vec![number];
                    wanted.extend(tiles.fetch_beside(number, ask, query, options, n, density));
                    for number in wanted {
                        fetch_tile(&mut tiles, ordered, &directory, number);
                        if ask > 1 {
                            fetched += 1;
                        }
                    }
                }
            }
        }
    }

    /// 400 tracks on a 20 × 20 grid (four artists), cut into tiles of at most 8, none
    /// loaded yet: the catalog in leaf order, its directory, and its tile set.
    fn grid_of_400_in_tiles_of_8() -> (Catalog, Vec<TileEntry>, TileSet) {
        let points: Vec<_> = (0..400u16)
            .map(|i| (i % 20, (i / 20) % 20, 0, (i % 4) as u8, 0))
            .collect();
        let (catalog, leaves) = in_leaf_order(catalog_of(&points), 8);
        let directory = directory_of(&catalog, &leaves);
        let tiles = TileSet::new(
            directory.clone(),
            FeatureTable::new(&catalog).scale().clone(),
        );
        (catalog, directory, tiles)
    }

    #[test]
    fn a_journey_wants_the_missing_tile_nearest_each_waypoint_once() {
        let (catalog, directory, mut tiles) = grid_of_400_in_tiles_of_8();
        let path = MoodPath::new(vec![
            Mood::new(0.0, 0.0).unwrap(),
            Mood::new(0.95, 0.95).unwrap(),
        ])
        .unwrap();
        let rule = JourneyRule {
            stops: 12,
            artist_gap: None,
        };
        let options = RankOptions::default();
        let wanted = tiles.missing_along(&path, rule, &options);
        let mut expected = Vec::new();
        for w in path.waypoints(rule.stops) {
            let nearest = tiles.nearest_missing(Query::at(w), &options, 1, f64::INFINITY)[0];
            if !expected.contains(&nearest) {
                expected.push(nearest);
            }
        }
        assert_eq!(wanted, expected);
        assert!(
            wanted.len() > 2 && wanted.len() < directory.len(),
            "{} of {}",
            wanted.len(),
            directory.len()
        );
        // Tiles at hand are not wanted again.
        let first = wanted[0];
        load(&mut tiles, &catalog, &directory, first);
        assert!(!tiles.missing_along(&path, rule, &options).contains(&first));
    }

    /// Loads tile `number` of `catalog` (in leaf order) into `tiles`, as a fetch would.
    fn load(tiles: &mut TileSet, catalog: &Catalog, directory: &[TileEntry], number: usize) {
        let shape = directory[number].shape;
        tiles.insert(
            number,
            catalog.mood_tile(shape.first as usize..(shape.first + shape.count) as usize),
        );
    }

    #[test]
    fn a_first_wave_fetches_the_tiles_round_the_point_not_the_catalog() {
        // 400 tracks on a 20 × 20 grid, tiles of at most 8 (112 of them), a density grid
        // of one track a cell: the list of 5 reads a few tiles round the point, and its
        // first wave brings all or all but one of them.
        let (catalog, directory, mut tiles) = grid_of_400_in_tiles_of_8();
        let counts = crate::density::count_per_pixel(catalog.moods(), 20, 20);
        let query = Query::at(Mood::new(0.52, 0.52).unwrap());
        let options = RankOptions::default();
        let wave = tiles.first_wave(
            query,
            &options,
            5,
            Density {
                counts: &counts,
                size: 20,
            },
        );
        assert!(
            (1..=6).contains(&wave.len()),
            "{} tiles of {}",
            wave.len(),
            directory.len()
        );
        for &number in &wave {
            load(&mut tiles, &catalog, &directory, number);
        }
        // A wave fetches only what is not at hand.
        assert!(tiles
            .first_wave(
                query,
                &options,
                5,
                Density {
                    counts: &counts,
                    size: 20
                }
            )
            .iter()
            .all(|t| !wave.contains(t)));
        // The list needs at most one tile more.
        let mut asks = 0;
        while let TiledRanking::Needs(number) = tiles.rank(query, 5, &options) {
            load(&mut tiles, &catalog, &directory, number);
            asks += 1;
        }
        assert!(asks <= 1, "{asks} more asks after a wave of {}", wave.len());
    }

    #[test]
    fn beside_the_asked_tile_come_the_first_wave_then_nothing_then_doubling_batches() {
        let (catalog, _, tiles) = grid_of_400_in_tiles_of_8();
        let counts = crate::density::count_per_pixel(catalog.moods(), 20, 20);
        let density = Density {
            counts: &counts,
            size: 20,
        };
        let query = Query::at(Mood::new(0.52, 0.52).unwrap());
        let options = RankOptions::default();
        let asked = tiles.nearest_missing(query, &options, 1, f64::INFINITY)[0];
        let beside = |ask| tiles.fetch_beside(asked, ask, query, &options, 5, density);
        let wave: Vec<usize> = tiles
            .first_wave(query, &options, 5, density)
            .into_iter()
            .filter(|&t| t != asked)
            .collect();
        assert_eq!(beside(1), wave);
        assert!(beside(2).is_empty());
        for ask in 3..=6 {
            let batch = beside(ask);
            assert_eq!(batch.len(), tiles_per_ask(ask) - 1);
            assert!(!batch.contains(&asked));
        }
    }

    #[test]
    fn tiles_per_ask_double_from_the_third_ask_up_to_64() {
        let batches: Vec<usize> = (1..=10).map(tiles_per_ask).collect();
        assert_eq!(batches, [1, 1, 2, 4, 8, 16, 32, 64, 64, 64]);
        assert_eq!(tiles_per_ask(0), 1);
        assert_eq!(tiles_per_ask(u32::MAX), 64);
    }

    #[test]
    fn the_reach_ahead_is_twice_the_farthest_match_and_never_under_two_arrow_steps() {
        let at = |distance| Match { index: 0, distance };
        assert_eq!(fetch_ahead_reach(&[]), 0.04);
        assert_eq!(fetch_ahead_reach(&[at(0.001), at(0.005)]), 0.04);
        assert_eq!(fetch_ahead_reach(&[at(0.05), at(0.3)]), 0.6);
    }

    #[test]
    fn an_evicted_tile_is_asked_for_again_and_the_answer_stays_the_same() {
        let points: Vec<_> = (0..200u16)
            .map(|i| (i % 21, (i * 7) % 21, 0, (i % 4) as u8, 0))
            .collect();
        let (ordered, leaves) = in_leaf_order(catalog_of(&points), 8);
        let directory = directory_of(&ordered, &leaves);
        let scale = FeatureTable::new(&ordered).scale().clone();
        let mut tiles = TileSet::new(directory.clone(), scale);
        let query = Query::at(Mood::new(0.3, 0.6).unwrap());
        let options = RankOptions::default();
        let fill = |tiles: &mut TileSet| loop {
            match tiles.rank(query, 5, &options) {
                TiledRanking::Ranked { matches, .. } => return matches,
                TiledRanking::Needs(number) => {
                    let shape = directory[number].shape;
                    let first = shape.first as usize;
                    tiles.insert(
                        number,
                        ordered.mood_tile(first..first + shape.count as usize),
                    );
                }
            }
        };
        let before = fill(&mut tiles);
        let first_read = (0..directory.len()).find(|&t| tiles.is_loaded(t)).unwrap();
        tiles.evict(first_read);
        assert!(!tiles.is_loaded(first_read));
        assert!(
            matches!(tiles.rank(query, 5, &options), TiledRanking::Needs(t) if t == first_read)
        );
        assert_eq!(fill(&mut tiles), before);
    }

    #[test]
    fn the_nearest_missing_tiles_are_those_the_walk_would_read_next() {
        let points: Vec<_> = (0..300u16)
            .map(|i| (i % 21, (i * 5) % 21, 0, (i % 4) as u8, 0))
            .collect();
        let (ordered, leaves) = in_leaf_order(catalog_of(&points), 8);
        let directory = directory_of(&ordered, &leaves);
        let scale = FeatureTable::new(&ordered).scale().clone();
        let mut tiles = TileSet::new(directory.clone(), scale);
        let mood = Mood::new(0.8, 0.2).unwrap();
        let options = RankOptions::default();
        // With nothing at hand, the first tile the walk asks for is the nearest missing.
        let TiledRanking::Needs(first) = tiles.rank(Query::at(mood), 3, &options) else {
            panic!("nothing is at hand");
        };
        let ahead = tiles.nearest_missing(Query::at(mood), &options, 3, f64::INFINITY);
        assert_eq!(ahead.len(), 3);
        assert_eq!(ahead[0], first);
        // Fetched tiles leave the list; the rest keep their order.
        let shape = directory[first].shape;
        let start = shape.first as usize;
        tiles.insert(
            first,
            ordered.mood_tile(start..start + shape.count as usize),
        );
        let after = tiles.nearest_missing(Query::at(mood), &options, 2, f64::INFINITY);
        assert_eq!(after, ahead[1..].to_vec());
        assert!(tiles
            .nearest_missing(Query::at(mood), &options, 0, f64::INFINITY)
            .is_empty());
        // Nothing beyond the reach: a tile's lower bound is at most its distance to the
        // point, so a reach of 0 keeps only tiles whose bounds hold the point.
        for tile in tiles.nearest_missing(Query::at(mood), &options, 10, 0.0) {
            let bounds = directory[tile].bounds[Feature::Valence].unwrap();
            assert!(bounds.0 <= mood.valence && mood.valence <= bounds.1);
        }
        assert!(
            tiles
                .nearest_missing(Query::at(mood), &options, 10, 0.3)
                .len()
                < tiles
                    .nearest_missing(Query::at(mood), &options, 100, f64::INFINITY)
                    .len()
        );
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
        let (ordered, leaves) = in_leaf_order(catalog.clone(), 16);
        let (_, read) = rank_fetching(
            &ordered,
            &leaves,
            Query::at(Mood::new(0.1, 0.1).unwrap()),
            5,
            &RankOptions::default(),
        );
        assert!(read * 4 < leaves.len(), "read {read} of {}", leaves.len());
    }

    #[test]
    fn leaf_order_makes_each_leaf_a_run_of_the_same_tracks() {
        let points: Vec<_> = (0..300u16)
            .map(|i| {
                (
                    (i * 7) % 21,
                    (i * 13) % 21,
                    (i % 3) as u8,
                    (i % 5) as u8,
                    (i % 11) as u8,
                )
            })
            .collect();
        let catalog = catalog_of(&points);
        let features = FeatureTable::new(&catalog);
        let before = cut_into_leaves(&catalog, &features, 8);
        let (ordered, leaves) = in_leaf_order(catalog.clone(), 8);
        assert_eq!(ordered.len(), catalog.len());
        assert_eq!(ordered.genres(), catalog.genres());
        assert_eq!(leaves.len(), before.len());
        let mut next = 0;
        for (leaf, original) in leaves.iter().zip(&before) {
            assert_eq!(
                leaf.members,
                (next..next + leaf.members.len() as u32).collect::<Vec<_>>()
            );
            next += leaf.members.len() as u32;
            let ids = |c: &Catalog, members: &[u32]| {
                let mut ids: Vec<_> = members.iter().map(|&i| c.record(i as usize)).collect();
                ids.sort_by(|a, b| a.id.as_str().cmp(b.id.as_str()));
                ids
            };
            assert_eq!(
                ids(&ordered, &leaf.members),
                ids(&catalog, &original.members)
            );
            let curve: Vec<u64> = leaf
                .members
                .iter()
                .map(|&i| z_order(ordered.moods()[i as usize]))
                .collect();
            assert!(curve.windows(2).all(|w| w[0] <= w[1]), "not in Z-order");
            assert_eq!(leaf.bounds, original.bounds);
            assert_eq!(leaf.genres, original.genres);
        }
        // Ids are still found, at their new numbers.
        for i in 0..ordered.len() {
            assert_eq!(ordered.index_of(&ordered.track(i).id), Some(i));
        }
        // The same leaves come out of the ordered catalog, so its tiles are its leaves.
        let again = cut_into_leaves(&ordered, &FeatureTable::new(&ordered), 8);
        assert_eq!(again, leaves);
    }

    pub(crate) fn options_strategy() -> impl Strategy<Value = RankOptions> {
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
        /// Over tiles of at most 4 tracks, so every query crosses many, each tile read
        /// back from its bytes only when the walk asks for it, the answer is brute
        /// force's over the whole catalog, under every option.
        #[test]
        fn ranking_over_leaves_equals_brute_force(
            points in prop::collection::vec((0u16..=20, 0u16..=20, 0u8..3, 0u8..4, 0u8..=10), 0..300),
            q in (0u32..=100_000, 0u32..=100_000),
            track in proptest::option::of(0usize..300),
            n in 0usize..25,
            options in options_strategy(),
        ) {
            let (catalog, leaves) = in_leaf_order(catalog_of(&points), 4);
            let features = FeatureTable::new(&catalog);
            let query = Query {
                // Finer than the 1/1000 grid of links: a query is ranked as it is.
                mood: Mood::new(q.0 as f64 / 100_000.0, q.1 as f64 / 100_000.0).unwrap(),
                track: track.filter(|&t| t < catalog.len()),
            };
            let (tiled, _) = rank_fetching(&catalog, &leaves, query, n, &options);
            prop_assert_eq!(&tiled, &rank(&catalog, &features, query, n, &options));
            // Fetching as the page does changes nothing of the answer, and after the first
            // wave (at most FIRST_WAVE_MOST tiles, within the density grid's bound) fetches
            // at most about twice the tiles the walk reads.
            let (batched, fetched, read) =
                rank_fetching_in_batches(&catalog, &leaves, query, n, &options);
            prop_assert_eq!(&batched, &tiled);
            prop_assert!(fetched <= 2 * read + 1, "fetched {} tiles after the wave for {} read", fetched, read);
        }

        /// The walk's queue, opening its tree of boxes best-first, gives every tile with a
        /// wanted genre in exactly the order a queue of every tile would: lower bound,
        /// then tile number (tiles of at most 2 tracks, so the tree is several boxes deep).
        #[test]
        fn the_tree_queue_gives_the_tiles_in_the_order_of_a_queue_of_every_tile(
            points in prop::collection::vec((0u16..=20, 0u16..=20, 0u8..3, 0u8..4, 0u8..=10), 1..300),
            q in (0u32..=100_000, 0u32..=100_000),
            options in options_strategy(),
        ) {
            let (catalog, leaves) = in_leaf_order(catalog_of(&points), 2);
            let directory = directory_of(&catalog, &leaves);
            let tiles = TileSet::new(directory.clone(), FeatureTable::new(&catalog).scale().clone());
            let at = Query::at(Mood::new(q.0 as f64 / 100_000.0, q.1 as f64 / 100_000.0).unwrap());
            let dims = dimensions(&options, &tiles.no_tracks, at);
            let mut every: Vec<(f64, u32)> = directory
                .iter()
                .enumerate()
                .filter(|(_, e)| options.genres.is_empty() || e.genres.iter().any(|&g| options.genres.allows(g as usize)))
                .map(|(i, e)| (lower_bound(&e.bounds, &dims), i as u32))
                .collect();
            every.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
            let mut queue = tiles.unread_tiles(&dims, &options);
            let mut walked = Vec::new();
            while let Some(Entry(bound, tile)) = queue.pop() {
                walked.push((bound, tile));
            }
            prop_assert_eq!(walked, every);
        }

        /// A first wave always holds the tile the walk reads first, and nothing beyond the
        /// density grid's bound (tiles a list of that size could not read, with only the
        /// plane's axes weighted): its guess may fall short, never wide.
        #[test]
        fn a_first_wave_holds_the_walks_first_tile_and_nothing_beyond_the_bound(
            points in prop::collection::vec((0u16..=20, 0u16..=20, 0u8..3, 0u8..4, 0u8..=10), 1..300),
            q in (0u32..=100_000, 0u32..=100_000),
            track in proptest::option::of(0usize..300),
            n in 1usize..25,
            size in 1usize..24,
            z_score in any::<bool>(),
            weight in prop::sample::select(vec![0.5, 1.0, 3.0]),
        ) {
            let (catalog, leaves) = in_leaf_order(catalog_of(&points), 4);
            let directory = directory_of(&catalog, &leaves);
            let mut tiles = TileSet::new(directory.clone(), FeatureTable::new(&catalog).scale().clone());
            let counts = crate::density::count_per_pixel(catalog.moods(), size, size);
            let mut options = RankOptions { z_score, ..RankOptions::default() };
            options.weights[Feature::Energy] = weight;
            let query = Query {
                mood: Mood::new(q.0 as f64 / 100_000.0, q.1 as f64 / 100_000.0).unwrap(),
                track: track.filter(|&t| t < catalog.len()),
            };
            // A pasted track's tile is at hand before its list is asked for.
            if let Some(t) = query.track {
                let number = tiles.tile_of(t).unwrap();
                load(&mut tiles, &catalog, &directory, number);
            }
            let wave = tiles.first_wave(query, &options, n, Density { counts: &counts, size });
            prop_assert!(wave.len() <= FIRST_WAVE_MOST);
            if let TiledRanking::Needs(first) = tiles.rank(query, n, &options) {
                prop_assert!(wave.contains(&first), "{:?} lacks {}", wave, first);
            }
            let wanted = n + usize::from(query.track.is_some());
            if let Some(bound) = crate::density::radius_holding(&counts, size, query.mood, wanted) {
                let reach = tiles.plane_reach(bound, query.mood, &options);
                let within = tiles.nearest_missing(query, &options, usize::MAX, reach);
                prop_assert!(wave.iter().all(|t| within.contains(t)), "{:?} beyond {:?}", wave, within);
            }
            // Whatever the wave, the list the walk then gives is exact (checked against
            // brute force in `ranking_over_leaves_equals_brute_force`): here, it finishes.
            for &number in &wave {
                load(&mut tiles, &catalog, &directory, number);
            }
            let mut asks = 0;
            while let TiledRanking::Needs(number) = tiles.rank(query, n, &options) {
                prop_assert!(!wave.contains(&number));
                load(&mut tiles, &catalog, &directory, number);
                asks += 1;
                prop_assert!(asks <= directory.len());
            }
        }

        /// A journey over tiles fetched as the walk asks is brute force's journey over
        /// the whole catalog: the same tracks in the same order, ties included.
        #[test]
        fn a_journey_over_tiles_equals_brute_force(
            points in prop::collection::vec((0u16..=20, 0u16..=20, 0u8..3, 0u8..4, 0u8..=10), 0..200),
            vertices in prop::collection::vec((0u16..=100, 0u16..=100), 2..5),
            stops in 2usize..40,
            gap in proptest::option::of(2usize..6),
            options in options_strategy(),
        ) {
            let (catalog, leaves) = in_leaf_order(catalog_of(&points), 4);
            let features = FeatureTable::new(&catalog);
            let path = MoodPath::new(
                vertices.iter().map(|&(v, e)| Mood::new(v as f64 / 100.0, e as f64 / 100.0).unwrap()).collect(),
            ).unwrap();
            let rule = JourneyRule { stops, artist_gap: gap };
            let directory = directory_of(&catalog, &leaves);
            let mut tiles = TileSet::new(directory.clone(), features.scale().clone());
            let (tiled, tiles_read) = loop {
                match tiles.journey(&path, rule, &options) {
                    TiledJourney::Planned { stops, tiles_read } => break (stops, tiles_read),
                    TiledJourney::Needs(number) => {
                        prop_assert!(!tiles.is_loaded(number), "asked twice for tile {}", number);
                        let shape = directory[number].shape;
                        let range = shape.first as usize..(shape.first + shape.count) as usize;
                        tiles.insert(number, catalog.mood_tile(range));
                    }
                }
            };
            prop_assert_eq!(&tiled, &plan_journey(&catalog, &features, &path, rule, &options));
            // The tiles it says it read are all it needs: with every other tile let go
            // (as the page's cache does), it plans the same journey without asking.
            for number in 0..directory.len() {
                if !tiles_read.contains(&number) {
                    tiles.evict(number);
                }
            }
            match tiles.journey(&path, rule, &options) {
                TiledJourney::Planned { stops, tiles_read: again } => {
                    prop_assert_eq!(stops, tiled);
                    prop_assert_eq!(again, tiles_read);
                }
                TiledJourney::Needs(number) => prop_assert!(false, "asked for tile {} it did not report", number),
            }
        }
    }
}
