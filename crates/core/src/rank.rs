//! Exact top-n ranking by Euclidean distance on the valence–energy plane (the tutorial's
//! method), with ties broken by catalog order and an optional excluded track.

use crate::mood::Mood;

/// One result: the track's catalog index and its distance from the query.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Match {
    pub index: usize,
    pub distance: f64,
}

/// The `n` tracks nearest to `query`, nearest first; equal distances keep catalog order.
/// `exclude` (the query's own track) is never returned. Fewer than `n` come back when the
/// catalog is smaller.
pub fn nearest(moods: &[Mood], query: Mood, n: usize, exclude: Option<usize>) -> Vec<Match> {
    if n == 0 {
        return Vec::new();
    }
    // Kept sorted ascending by (squared distance, index); the last entry is the worst.
    let mut best: Vec<(f64, usize)> = Vec::with_capacity(n + 1);
    for (index, mood) in moods.iter().enumerate() {
        if Some(index) == exclude {
            continue;
        }
        let d2 = query.distance_squared(*mood);
        if best.len() == n {
            // Strictly closer only: an equal distance at a later index loses the tie.
            if d2 >= best[n - 1].0 {
                continue;
            }
            best.pop();
        }
        let at = best.partition_point(|&(d, _)| d <= d2);
        best.insert(at, (d2, index));
    }
    best.into_iter()
        .map(|(d2, index)| Match {
            index,
            distance: d2.sqrt(),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn m(v: f64, e: f64) -> Mood {
        Mood::new(v, e).unwrap()
    }

    fn indices(matches: &[Match]) -> Vec<usize> {
        matches.iter().map(|x| x.index).collect()
    }

    #[test]
    fn orders_by_distance_with_hand_checked_values() {
        let moods = [m(0.0, 0.0), m(0.5, 0.5), m(0.6, 0.5), m(1.0, 1.0)];
        let got = nearest(&moods, m(0.52, 0.45), 3, None);
        assert_eq!(indices(&got), vec![1, 2, 0]);
        // sqrt(0.02² + 0.05²), sqrt(0.08² + 0.05²), sqrt(0.52² + 0.45²)
        assert!((got[0].distance - 0.053_851_648_071_345_04).abs() < 1e-12);
        assert!((got[1].distance - 0.094_339_811_320_566_04).abs() < 1e-12);
        assert!((got[2].distance - 0.687_677_249_878_167_8).abs() < 1e-12);
    }

    #[test]
    fn ties_keep_catalog_order() {
        // All four at distance 0.1 from the centre.
        let moods = [m(0.6, 0.5), m(0.4, 0.5), m(0.5, 0.6), m(0.5, 0.4)];
        let got = nearest(&moods, Mood::CENTRE, 2, None);
        assert_eq!(indices(&got), vec![0, 1]);
        let all = nearest(&moods, Mood::CENTRE, 4, None);
        assert_eq!(indices(&all), vec![0, 1, 2, 3]);
    }

    #[test]
    fn exclusion_removes_the_query_track() {
        let moods = [m(0.2, 0.2), m(0.21, 0.2), m(0.9, 0.9)];
        let got = nearest(&moods, m(0.2, 0.2), 2, Some(0));
        assert_eq!(indices(&got), vec![1, 2]);
    }

    #[test]
    fn n_larger_than_catalog_and_empty_catalog() {
        let moods = [m(0.2, 0.2), m(0.8, 0.8)];
        assert_eq!(nearest(&moods, m(0.9, 0.9), 50, None).len(), 2);
        assert!(nearest(&[], m(0.9, 0.9), 10, None).is_empty());
        assert!(nearest(&moods, m(0.9, 0.9), 0, None).is_empty());
    }

    fn brute_force(moods: &[Mood], q: Mood, n: usize, exclude: Option<usize>) -> Vec<usize> {
        let mut all: Vec<(f64, usize)> = moods
            .iter()
            .enumerate()
            .filter(|(i, _)| Some(*i) != exclude)
            .map(|(i, x)| (q.distance_squared(*x), i))
            .collect();
        all.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
        all.into_iter().take(n).map(|(_, i)| i).collect()
    }

    proptest! {
        /// The bounded insertion keeps exactly what a full sort would. Coordinates on a
        /// 1/1000 grid, like the real data, so ties are common.
        #[test]
        fn equals_full_sort(
            raw in prop::collection::vec((0u32..=1000, 0u32..=1000), 0..300),
            q in (0u32..=1000, 0u32..=1000),
            n in 0usize..60,
            exclude in prop::option::of(0usize..300),
        ) {
            let moods: Vec<Mood> = raw.iter().map(|&(v, e)| m(v as f64 / 1000.0, e as f64 / 1000.0)).collect();
            let q = m(q.0 as f64 / 1000.0, q.1 as f64 / 1000.0);
            prop_assert_eq!(indices(&nearest(&moods, q, n, exclude)), brute_force(&moods, q, n, exclude));
        }
    }
}
