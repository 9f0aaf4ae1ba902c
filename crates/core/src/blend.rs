//! Blending several seed tracks into one query: their centre (the mean mood, on the
//! shared 1/1000 grid) for "more like all of these", or the path through them in the
//! order given for a journey.

use crate::journey_path::{MoodPath, PathError, MAX_VERTICES};
use crate::mood::Mood;

/// The mean mood of the seeds, rounded to 1/1000; None without seeds.
pub fn centre_of(seeds: &[Mood]) -> Option<Mood> {
    if seeds.is_empty() {
        return None;
    }
    let n = seeds.len() as f64;
    Some(
        Mood::clamped(
            seeds.iter().map(|m| m.valence).sum::<f64>() / n,
            seeds.iter().map(|m| m.energy).sum::<f64>() / n,
        )
        .rounded(),
    )
}

/// The path through the seeds in order (the first [`MAX_VERTICES`] of them).
pub fn path_through(seeds: &[Mood]) -> Result<MoodPath, PathError> {
    MoodPath::new(seeds.iter().take(MAX_VERTICES).copied().collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn m(v: f64, e: f64) -> Mood {
        Mood::new(v, e).unwrap()
    }

    #[test]
    fn the_centre_is_the_rounded_mean() {
        assert_eq!(centre_of(&[]), None);
        assert_eq!(
            centre_of(&[m(0.1, 0.2), m(0.2, 0.4), m(0.3, 0.9)]),
            Some(m(0.2, 0.5))
        );
        assert_eq!(
            centre_of(&[m(0.0, 0.0), m(0.001, 0.0), m(0.001, 0.0)]),
            Some(m(0.001, 0.0))
        );
    }

    #[test]
    fn a_path_goes_through_the_seeds_in_order() {
        let seeds = [m(0.1, 0.1), m(0.9, 0.2), m(0.5, 0.9)];
        assert_eq!(path_through(&seeds).unwrap().vertices(), &seeds);
        assert_eq!(path_through(&seeds[..1]), Err(PathError::TooFewVertices));
        let many: Vec<Mood> = (0..40).map(|i| m(i as f64 / 40.0, 0.5)).collect();
        assert_eq!(path_through(&many).unwrap().vertices().len(), MAX_VERTICES);
    }
}
