//! A tree of bounding boxes over a tiled catalog's tiles, built once when the page reads
//! the directory, and the tile walk's queue over it: boxes are opened best-first, so a
//! list costs the lower bounds of the few boxes and tiles near its point instead of every
//! tile's (5,887 at 10M tracks, on every move of a drag), and the tiles still come out
//! in exactly the order a queue of every tile gives: lower bound, then tile number.

use std::cmp::Ordering;
use std::collections::BinaryHeap;

use crate::features::{Feature, FeatureMap};
use crate::grid_index::{safely_below, Entry};
use crate::ranker::Dimension;

/// A tile's (or a box's) lowest and highest value in each rankable dimension.
pub type Bounds = FeatureMap<Option<(f64, f64)>>;

/// Tiles in a box that holds tiles rather than boxes.
const TILES_PER_BOX: usize = 8;

/// Lower bound of the weighted distance from the query to any track within `bounds`.
pub(crate) fn lower_bound(bounds: &Bounds, dims: &[Dimension]) -> f64 {
    let sum: f64 = dims
        .iter()
        .map(|d| match bounds[d.feature] {
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

#[derive(Debug, Clone)]
pub(crate) struct TileTree {
    /// The root first; every box holds every tile below it.
    boxes: Vec<BoundingBox>,
    /// Tile numbers: each tile-holding box owns a run of them.
    tiles: Vec<u32>,
}

#[derive(Debug, Clone)]
struct BoundingBox {
    bounds: Bounds,
    inside: Inside,
}

#[derive(Debug, Clone, Copy)]
enum Inside {
    /// Two boxes (their places in `boxes`).
    Boxes(u32, u32),
    /// A run of `tiles`.
    Tiles(u32, u32),
}

/// The smallest bounds holding both.
fn union(a: &Bounds, b: &Bounds) -> Bounds {
    FeatureMap::from_fn(|f| match (a[f], b[f]) {
        (Some((lo1, hi1)), Some((lo2, hi2))) => Some((lo1.min(lo2), hi1.max(hi2))),
        (one, other) => one.or(other),
    })
}

impl TileTree {
    /// The tree over tiles `0..tile_bounds.len()`, cut at the median of the tiles'
    /// centres along the wider of the plane's axes until a box holds a few tiles.
    pub(crate) fn new(tile_bounds: &[Bounds]) -> TileTree {
        let mut tree = TileTree {
            boxes: Vec::new(),
            tiles: (0..tile_bounds.len() as u32).collect(),
        };
        if !tile_bounds.is_empty() {
            tree.cut(tile_bounds, 0, tile_bounds.len());
        }
        tree
    }

    /// Adds the box over `tiles[start..end]` and those below it; its place.
    fn cut(&mut self, tile_bounds: &[Bounds], start: usize, end: usize) -> u32 {
        let run = &self.tiles[start..end];
        let bounds = run[1..].iter().fold(tile_bounds[run[0] as usize], |b, &t| {
            union(&b, &tile_bounds[t as usize])
        });
        let at = self.boxes.len();
        self.boxes.push(BoundingBox {
            bounds,
            inside: Inside::Tiles(start as u32, end as u32),
        });
        if end - start <= TILES_PER_BOX {
            return at as u32;
        }
        let extent = |f: Feature| bounds[f].map_or(0.0, |(lo, hi)| hi - lo);
        let axis = if extent(Feature::Valence) >= extent(Feature::Energy) {
            Feature::Valence
        } else {
            Feature::Energy
        };
        let centre = |t: &u32| tile_bounds[*t as usize][axis].map_or(0.0, |(lo, hi)| lo + hi);
        let middle = (start + end) / 2;
        self.tiles[start..end]
            .select_nth_unstable_by(middle - start, |a, b| centre(a).total_cmp(&centre(b)));
        let low = self.cut(tile_bounds, start, middle);
        let high = self.cut(tile_bounds, middle, end);
        self.boxes[at].inside = Inside::Boxes(low, high);
        at as u32
    }

    /// The walk's queue for a query measured by `dims`: every tile `allowed` lets in,
    /// each with the lower bound `tile_bound` gives it.
    pub(crate) fn queue<'a>(
        &'a self,
        dims: &'a [Dimension<'a>],
        tile_bound: impl Fn(u32) -> Option<f64> + 'a,
    ) -> TileQueue<'a> {
        let mut heap = BinaryHeap::new();
        if let Some(root) = self.boxes.first() {
            heap.push(Item {
                bound: lower_bound(&root.bounds, dims),
                is_tile: false,
                id: 0,
            });
        }
        TileQueue {
            tree: self,
            dims,
            tile_bound: Box::new(tile_bound),
            heap,
        }
    }
}

/// Tiles by (lower bound, tile number), opening boxes as they come up.
pub(crate) struct TileQueue<'a> {
    tree: &'a TileTree,
    dims: &'a [Dimension<'a>],
    /// A tile's lower bound, or None when the walk skips it (no wanted genre).
    tile_bound: Box<dyn Fn(u32) -> Option<f64> + 'a>,
    heap: BinaryHeap<Item>,
}

#[derive(Debug, Clone, Copy, PartialEq)]
struct Item {
    bound: f64,
    is_tile: bool,
    id: u32,
}

impl Eq for Item {}

impl Ord for Item {
    /// Reversed (the heap is a max-heap): the least bound first; at an equal bound boxes
    /// before tiles (so every tile of that bound is in the heap before one leaves), then
    /// the lower number.
    fn cmp(&self, other: &Self) -> Ordering {
        other
            .bound
            .total_cmp(&self.bound)
            .then(other.is_tile.cmp(&self.is_tile))
            .then(other.id.cmp(&self.id))
    }
}

impl PartialOrd for Item {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl TileQueue<'_> {
    /// The next tile's lower bound and number, left in the queue.
    pub(crate) fn peek(&mut self) -> Option<Entry> {
        self.open_boxes();
        self.heap.peek().map(|item| Entry(item.bound, item.id))
    }

    /// The next tile's lower bound and number.
    pub(crate) fn pop(&mut self) -> Option<Entry> {
        self.open_boxes();
        self.heap.pop().map(|item| Entry(item.bound, item.id))
    }

    /// Opens boxes until a tile (or nothing) is first: no box left can then hold a tile
    /// that should come before it (a box's bound is at most its tiles').
    fn open_boxes(&mut self) {
        while let Some(&Item {
            is_tile: false, id, ..
        }) = self.heap.peek()
        {
            self.heap.pop();
            match self.tree.boxes[id as usize].inside {
                Inside::Boxes(low, high) => {
                    for inner in [low, high] {
                        let bounds = &self.tree.boxes[inner as usize].bounds;
                        self.heap.push(Item {
                            bound: lower_bound(bounds, self.dims),
                            is_tile: false,
                            id: inner,
                        });
                    }
                }
                Inside::Tiles(start, end) => {
                    for &tile in &self.tree.tiles[start as usize..end as usize] {
                        if let Some(bound) = (self.tile_bound)(tile) {
                            self.heap.push(Item {
                                bound,
                                is_tile: true,
                                id: tile,
                            });
                        }
                    }
                }
            }
        }
    }
}
