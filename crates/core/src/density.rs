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
}
