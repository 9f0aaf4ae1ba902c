//! A uniform grid over the valence–energy plane that yields tracks in exact distance order,
//! nearest first (ties by catalog order), for any distance whose valence and energy parts
//! are weighted squares: plain, z-scored or weighted, with further non-negative terms
//! from extra features. Cells are visited best-first by a lower bound on their distance,
//! so a query touches only the cells near it, and the order is exactly a full sort's.
//! A walk carries a budget of tracks it may evaluate: when the bound prunes little (small
//! valence/energy weights, a rare genre) it gives up early, so the caller can switch to a
//! plain scan, which is then cheaper.

use std::cmp::Ordering;
use std::collections::BinaryHeap;

use crate::mood::Mood;

/// Tracks per cell the grid aims at.
const TARGET_PER_CELL: usize = 16;
/// Most cells along one side.
const MAX_SIDE: usize = 512;

/// Tracks bucketed by grid cell, in a compact layout (cell offsets + track indices).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct GridIndex {
    side: usize,
    /// `cell_start[c]..cell_start[c + 1]` indexes `members` for cell `c`.
    cell_start: Vec<u32>,
    /// Track indices, grouped by cell, each group in catalog order.
    members: Vec<u32>,
}

/// How the valence and energy differences are weighted: `d² = fv·Δv² + fe·Δe² + rest`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct AxisFactors {
    pub valence: f64,
    pub energy: f64,
}

impl AxisFactors {
    pub const PLAIN: AxisFactors = AxisFactors {
        valence: 1.0,
        energy: 1.0,
    };
}

/// How a walk through the index ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WalkEnd {
    /// The visitor stopped it, or every track was visited.
    Complete,
    /// It would have evaluated more tracks than its budget allowed. What the visitor got
    /// so far is correct but incomplete.
    OverBudget,
}

fn cell_of(x: f64, side: usize) -> usize {
    ((x * side as f64) as usize).min(side - 1)
}

/// A min-heap entry: (key, tie-breaker). Shared with the tile walk (`tiles.rs`).
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Entry(pub(crate) f64, pub(crate) u32);

/// A hair below a lower bound, so rounding never lets it exceed a real distance.
pub(crate) fn safely_below(bound: f64) -> f64 {
    (bound * (1.0 - 1e-9) - 1e-12).max(0.0)
}

impl Eq for Entry {}

impl Ord for Entry {
    fn cmp(&self, other: &Self) -> Ordering {
        // Reversed: BinaryHeap is a max-heap and we want the smallest first.
        other.0.total_cmp(&self.0).then(other.1.cmp(&self.1))
    }
}

impl PartialOrd for Entry {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl GridIndex {
    /// Buckets `moods` into about `len / 16` cells (at most 512 × 512).
    pub fn new(moods: &[Mood]) -> GridIndex {
        let side = ((moods.len() / TARGET_PER_CELL) as f64).sqrt().ceil() as usize;
        let side = side.clamp(1, MAX_SIDE);
        let cell = |m: &Mood| cell_of(m.energy, side) * side + cell_of(m.valence, side);
        let mut counts = vec![0u32; side * side + 1];
        for m in moods {
            counts[cell(m) + 1] += 1;
        }
        for c in 1..counts.len() {
            counts[c] += counts[c - 1];
        }
        let cell_start = counts.clone();
        let mut next = counts;
        let mut members = vec![0u32; moods.len()];
        for (i, m) in moods.iter().enumerate() {
            let c = cell(m);
            members[next[c] as usize] = i as u32;
            next[c] += 1;
        }
        GridIndex {
            side,
            cell_start,
            members,
        }
    }

    pub fn cells_per_side(&self) -> usize {
        self.side
    }

    /// Calls `visit(i)` for every track in the cells that overlap the box from `low` to
    /// `high` (a superset of the tracks inside it), cell by cell.
    pub fn visit_box(&self, low: Mood, high: Mood, mut visit: impl FnMut(usize)) {
        if self.members.is_empty() {
            return;
        }
        let side = self.side;
        let (v0, v1) = (cell_of(low.valence, side), cell_of(high.valence, side));
        let (e0, e1) = (cell_of(low.energy, side), cell_of(high.energy, side));
        for cy in e0..=e1 {
            let row = cy * side;
            let members = &self.members
                [self.cell_start[row + v0] as usize..self.cell_start[row + v1 + 1] as usize];
            for &i in members {
                visit(i as usize);
            }
        }
    }

    /// Lower bound of the weighted distance from `q` to any point of cell (cx, cy).
    fn bound(&self, q: Mood, f: AxisFactors, cx: usize, cy: usize) -> f64 {
        let gap = |x: f64, c: usize| {
            let lo = c as f64 / self.side as f64;
            let hi = (c + 1) as f64 / self.side as f64;
            if x < lo {
                lo - x
            } else if x > hi {
                x - hi
            } else {
                0.0
            }
        };
        let dv = gap(q.valence, cx);
        let de = gap(q.energy, cy);
        safely_below(f.valence * dv * dv + f.energy * de * de)
    }

    /// Visits tracks nearest first: `distance(i)` gives track i's squared distance (its
    /// valence/energy part must be `factors`-weighted squares around `q`, plus anything
    /// non-negative), and `visit(i, d²)` returns false to stop. Evaluates at most `budget`
    /// tracks' distances; past that it stops with [`WalkEnd::OverBudget`].
    pub fn visit_nearest(
        &self,
        q: Mood,
        factors: AxisFactors,
        budget: usize,
        distance: impl Fn(usize) -> f64,
        mut visit: impl FnMut(usize, f64) -> bool,
    ) -> WalkEnd {
        if self.members.is_empty() {
            return WalkEnd::Complete;
        }
        let mut evaluated = 0usize;
        let side = self.side;
        let mut seen = vec![false; side * side];
        let mut cells = BinaryHeap::new();
        let start = (cell_of(q.valence, side), cell_of(q.energy, side));
        seen[start.1 * side + start.0] = true;
        cells.push(Entry(0.0, (start.1 * side + start.0) as u32));
        let mut points: BinaryHeap<Entry> = BinaryHeap::new();
        loop {
            let next_bound = cells.peek().map_or(f64::INFINITY, |e| e.0);
            // Every point nearer than any unvisited cell can be reported, in order.
            while let Some(&Entry(d2, i)) = points.peek() {
                if d2 >= next_bound {
                    break;
                }
                points.pop();
                if !visit(i as usize, d2) {
                    return WalkEnd::Complete;
                }
            }
            let Some(Entry(_, c)) = cells.pop() else {
                return WalkEnd::Complete;
            };
            let c = c as usize;
            let members =
                &self.members[self.cell_start[c] as usize..self.cell_start[c + 1] as usize];
            evaluated += members.len();
            if evaluated > budget {
                return WalkEnd::OverBudget;
            }
            for &i in members {
                points.push(Entry(distance(i as usize), i));
            }
            let (cx, cy) = (c % side, c / side);
            let neighbours = [
                (cx.wrapping_sub(1), cy),
                (cx + 1, cy),
                (cx, cy.wrapping_sub(1)),
                (cx, cy + 1),
            ];
            for (nx, ny) in neighbours {
                if nx < side && ny < side && !seen[ny * side + nx] {
                    seen[ny * side + nx] = true;
                    cells.push(Entry(
                        self.bound(q, factors, nx, ny),
                        (ny * side + nx) as u32,
                    ));
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rank::nearest;
    use proptest::prelude::*;

    fn m(v: f64, e: f64) -> Mood {
        Mood::new(v, e).unwrap()
    }

    fn first_n(index: &GridIndex, moods: &[Mood], q: Mood, n: usize) -> Vec<usize> {
        let mut out = Vec::new();
        index.visit_nearest(
            q,
            AxisFactors::PLAIN,
            usize::MAX,
            |i| q.distance_squared(moods[i]),
            |i, _| {
                out.push(i);
                out.len() < n
            },
        );
        out
    }

    #[test]
    fn sizes_the_grid_to_the_catalog() {
        assert_eq!(GridIndex::new(&[]).cells_per_side(), 1);
        let moods: Vec<Mood> = (0..10_000)
            .map(|i| m((i % 100) as f64 / 100.0, (i / 100) as f64 / 100.0))
            .collect();
        assert_eq!(GridIndex::new(&moods).cells_per_side(), 25);
    }

    #[test]
    fn visits_everything_in_order_including_edges() {
        let moods = [
            m(1.0, 1.0),
            m(0.0, 0.0),
            m(0.5, 0.5),
            m(0.5, 0.5),
            m(0.25, 1.0),
        ];
        let index = GridIndex::new(&moods);
        assert_eq!(
            first_n(&index, &moods, m(0.5, 0.5), 10),
            vec![2, 3, 4, 0, 1]
        );
    }

    #[test]
    fn a_walk_past_its_budget_stops_with_a_correct_prefix() {
        let moods: Vec<Mood> = (0..400)
            .map(|i| m((i % 20) as f64 / 19.0, (i / 20) as f64 / 19.0))
            .collect();
        let index = GridIndex::new(&moods);
        let q = m(0.3, 0.6);
        let everything: Vec<usize> = nearest(&moods, q, moods.len(), None)
            .iter()
            .map(|x| x.index)
            .collect();
        let walk = |budget: usize| {
            let mut got = Vec::new();
            let end = index.visit_nearest(
                q,
                AxisFactors::PLAIN,
                budget,
                |i| q.distance_squared(moods[i]),
                |i, _| {
                    got.push(i);
                    true
                },
            );
            (end, got)
        };
        let (end, got) = walk(50);
        assert_eq!(end, WalkEnd::OverBudget);
        assert!(got.len() < moods.len());
        assert_eq!(got, everything[..got.len()]);
        assert_eq!(walk(moods.len()), (WalkEnd::Complete, everything));
    }

    proptest! {
        /// The index returns exactly what brute force returns: same tracks, same order,
        /// ties by catalog order. Coordinates on the 1/1000 grid make ties common.
        #[test]
        fn equals_brute_force(
            raw in prop::collection::vec((0u32..=1000, 0u32..=1000), 0..400),
            q in (0u32..=1000, 0u32..=1000),
            n in 1usize..40,
        ) {
            let moods: Vec<Mood> = raw.iter().map(|&(v, e)| m(v as f64 / 1000.0, e as f64 / 1000.0)).collect();
            let q = m(q.0 as f64 / 1000.0, q.1 as f64 / 1000.0);
            let index = GridIndex::new(&moods);
            let expected: Vec<usize> = nearest(&moods, q, n, None).iter().map(|x| x.index).collect();
            prop_assert_eq!(first_n(&index, &moods, q, n), expected);
        }

        /// Clustered catalogs (many tracks in few cells) and weighted axes, one weight 0.
        #[test]
        fn equals_brute_force_weighted_and_clustered(
            raw in prop::collection::vec((0u32..=20, 0u32..=20), 1..300),
            q in (0u32..=1000, 0u32..=1000),
            fv in prop::sample::select(vec![0.0, 0.5, 1.0, 14.1]),
            fe in prop::sample::select(vec![0.0, 1.0, 3.3]),
        ) {
            let moods: Vec<Mood> = raw.iter().map(|&(v, e)| m(0.4 + v as f64 / 100.0, 0.1 + e as f64 / 100.0)).collect();
            let q = m(q.0 as f64 / 1000.0, q.1 as f64 / 1000.0);
            let f = AxisFactors { valence: fv, energy: fe };
            let d = |i: usize| {
                let dv = q.valence - moods[i].valence;
                let de = q.energy - moods[i].energy;
                f.valence * (dv * dv) + f.energy * (de * de)
            };
            let mut expected: Vec<(f64, usize)> = (0..moods.len()).map(|i| (d(i), i)).collect();
            expected.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
            let mut got = Vec::new();
            GridIndex::new(&moods).visit_nearest(q, f, usize::MAX, d, |i, d2| { got.push((d2, i)); true });
            prop_assert_eq!(got, expected);
        }
    }
}
