//! The catalog as a density image, for catalogs too big to draw dot by dot: tracks are
//! counted per pixel and the counts shaded on a log scale into RGBA bytes, ready for a
//! canvas `ImageData`. Computed once per catalog.

use crate::mood::Mood;

/// Tracks per pixel of a `width × height` image of the unit square (row 0 = energy 1).
pub fn count_per_pixel(moods: &[Mood], width: usize, height: usize) -> Vec<u32> {
    let mut counts = vec![0u32; width * height];
    if width == 0 || height == 0 {
        return counts;
    }
    for m in moods {
        let x = ((m.valence * width as f64) as usize).min(width - 1);
        let y = (((1.0 - m.energy) * height as f64) as usize).min(height - 1);
        counts[y * width + x] += 1;
    }
    counts
}

/// The smallest radius around `mood` (in the plane's units) whose disc holds whole cells
/// of `counts`, a `size × size` grid from [`count_per_pixel`], with at least `wanted`
/// tracks between them: at least `wanted` tracks lie within it, wherever in their cells.
/// None when the grid holds fewer.
pub fn radius_holding(counts: &[u32], size: usize, mood: Mood, wanted: usize) -> Option<f64> {
    if wanted == 0 {
        return Some(0.0);
    }
    let side = size as f64;
    // Each cell by the distance to its farthest corner: within that, the whole cell.
    let mut cells: Vec<(f64, u32)> = counts
        .iter()
        .enumerate()
        .filter(|&(_, &count)| count > 0)
        .map(|(i, &count)| {
            let (x, y) = ((i % size) as f64, (i / size) as f64);
            let valence = (mood.valence - x / side).max((x + 1.0) / side - mood.valence);
            let energy =
                ((1.0 - y / side) - mood.energy).max(mood.energy - (1.0 - (y + 1.0) / side));
            (valence.hypot(energy), count)
        })
        .collect();
    cells.sort_by(|a, b| a.0.total_cmp(&b.0));
    let mut held = 0usize;
    cells.into_iter().find_map(|(radius, count)| {
        held += count as usize;
        (held >= wanted).then_some(radius)
    })
}

/// The radius around `mood` that likely holds `wanted` tracks: the disc they fill at the
/// density of the cell of `counts` (a `size × size` grid from [`count_per_pixel`]) that
/// holds `mood`, and half again (an estimate, not a bound: see [`radius_holding`]). None
/// when that cell is empty.
pub fn likely_radius(counts: &[u32], size: usize, mood: Mood, wanted: usize) -> Option<f64> {
    if size == 0 {
        return None;
    }
    let x = ((mood.valence * size as f64) as usize).min(size - 1);
    let y = (((1.0 - mood.energy) * size as f64) as usize).min(size - 1);
    let count = *counts.get(y * size + x).filter(|&&c| c > 0)?;
    let per_unit_area = f64::from(count) * (size * size) as f64;
    Some(1.5 * (wanted as f64 / (std::f64::consts::PI * per_unit_area)).sqrt())
}

/// RGBA bytes: `rgb` everywhere, opacity rising with log(1 + count) up to 0.9 at the
/// densest pixel; empty pixels fully transparent.
pub fn shade(counts: &[u32], rgb: [u8; 3]) -> Vec<u8> {
    let top = counts.iter().copied().max().unwrap_or(0);
    let scale = if top == 0 {
        0.0
    } else {
        1.0 / (1.0 + top as f64).ln()
    };
    let mut rgba = Vec::with_capacity(counts.len() * 4);
    for &c in counts {
        let alpha = if c == 0 {
            0
        } else {
            // At least faintly visible, however sparse.
            (40.0 + 190.0 * (1.0 + c as f64).ln() * scale).min(230.0) as u8
        };
        rgba.extend_from_slice(&[rgb[0], rgb[1], rgb[2], alpha]);
    }
    rgba
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_land_in_the_right_pixels() {
        let moods = [
            Mood::new(0.0, 1.0).unwrap(),
            Mood::new(1.0, 0.0).unwrap(),
            Mood::new(0.99, 0.01).unwrap(),
            Mood::new(0.5, 0.5).unwrap(),
        ];
        let counts = count_per_pixel(&moods, 4, 4);
        assert_eq!(counts[0], 1); // top left: valence 0, energy 1
        assert_eq!(counts[15], 2); // bottom right
        assert_eq!(counts[2 * 4 + 2], 1); // centre rounds down-right
        assert_eq!(counts.iter().sum::<u32>(), 4);
    }

    #[test]
    fn shading_is_transparent_when_empty_and_densest_at_the_top() {
        let rgba = shade(&[0, 1, 10], [1, 2, 3]);
        assert_eq!(&rgba[0..4], &[1, 2, 3, 0]);
        assert!(rgba[7] > 0 && rgba[7] < rgba[11]);
        assert_eq!(rgba[11], 230);
    }

    #[test]
    fn the_radius_holding_takes_whole_cells_nearest_first() {
        // One track in each cell of a 4 × 4 grid; the point at the middle.
        let counts = vec![1u32; 16];
        let middle = Mood::new(0.5, 0.5).unwrap();
        let inner = (0.25f64 * 0.25 * 2.0).sqrt();
        assert_eq!(radius_holding(&counts, 4, middle, 0), Some(0.0));
        assert_eq!(radius_holding(&counts, 4, middle, 4), Some(inner));
        // The fifth track is in an edge cell, whose far corner is 0.5 and 0.25 away.
        assert_eq!(
            radius_holding(&counts, 4, middle, 5),
            Some((0.5f64 * 0.5 + 0.25 * 0.25).sqrt())
        );
        assert_eq!(radius_holding(&counts, 4, middle, 17), None);
        assert_eq!(radius_holding(&[0, 0, 0, 0], 2, middle, 1), None);
    }

    #[test]
    fn the_likely_radius_is_the_disc_the_tracks_fill_at_the_cells_density() {
        // 1,000 tracks in the top left cell of a 10 × 10 grid: 100,000 a unit of area.
        let mut counts = vec![0u32; 100];
        counts[0] = 1000;
        let corner = Mood::new(0.05, 0.95).unwrap();
        let r = likely_radius(&counts, 10, corner, 10).unwrap();
        let expected = 1.5 * (10.0 / (std::f64::consts::PI * 100_000.0)).sqrt();
        assert!((r - expected).abs() < 1e-12, "{r}");
        // Far smaller than the bound, which takes the whole cell.
        assert!(r < radius_holding(&counts, 10, corner, 10).unwrap() / 5.0);
        assert_eq!(
            likely_radius(&counts, 10, Mood::new(0.5, 0.5).unwrap(), 10),
            None
        );
        assert_eq!(likely_radius(&[], 0, corner, 10), None);
    }

    proptest::proptest! {
        /// The radius is a bound: at least `wanted` tracks lie within it, by brute force.
        #[test]
        fn at_least_the_wanted_tracks_lie_within_the_radius(
            points in proptest::collection::vec((0u32..=1000, 0u32..=1000), 1..300),
            at in (0u32..=1000, 0u32..=1000),
            size in 1usize..12,
            wanted in 1usize..40,
        ) {
            let moods: Vec<Mood> = points
                .iter()
                .map(|&(v, e)| Mood::new(v as f64 / 1000.0, e as f64 / 1000.0).unwrap())
                .collect();
            let query = Mood::new(at.0 as f64 / 1000.0, at.1 as f64 / 1000.0).unwrap();
            let counts = count_per_pixel(&moods, size, size);
            let within = |r: f64| {
                moods
                    .iter()
                    .filter(|m| (m.valence - query.valence).hypot(m.energy - query.energy) <= r * (1.0 + 1e-9))
                    .count()
            };
            match radius_holding(&counts, size, query, wanted) {
                Some(r) => proptest::prop_assert!(within(r) >= wanted, "{} within {}", within(r), r),
                None => proptest::prop_assert!(moods.len() < wanted),
            }
        }
    }
}
