//! Descriptive statistics of a catalog's moods: mean, standard deviation and skewness of
//! each axis, histograms, the least-squares line of energy on valence with Pearson's r,
//! and genre centroids. Definitions follow pandas/numpy so figures can be checked there.

use crate::catalog::Catalog;
use crate::mood::Mood;

/// Summary of one feature over the catalog.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Summary {
    pub count: usize,
    #[serde(with = "nan_as_null")]
    pub mean: f64,
    /// Population standard deviation (numpy's default, `ddof=0`), the one z-scores use.
    #[serde(with = "nan_as_null")]
    pub std_dev: f64,
    /// Adjusted Fisher–Pearson skewness, as pandas' `Series.skew()` computes it (NaN for
    /// fewer than three values or none apart).
    #[serde(with = "nan_as_null")]
    pub skewness: f64,
}

/// JSON has no NaN: an undefined statistic travels as `null` and comes back as NaN.
pub(crate) mod nan_as_null {
    use serde::{Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(value: &f64, serializer: S) -> Result<S::Ok, S::Error> {
        if value.is_nan() {
            serializer.serialize_none()
        } else {
            serializer.serialize_some(value)
        }
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(deserializer: D) -> Result<f64, D::Error> {
        Ok(Option::<f64>::deserialize(deserializer)?.unwrap_or(f64::NAN))
    }
}

/// A spread at or below this fraction of the values' magnitude (at least 1) is rounding
/// noise: n copies of one value sum to n·x only up to about n·ε relative error, so their
/// computed deviation is ~1e-17, not 0. Real columns, stored to 1/1000, differ by far more:
/// one track 0.001 off among ten million still gives a spread of 3e-7.
const CONSTANT_SPREAD_TOLERANCE: f64 = 1e-9;

impl Summary {
    /// Whether every value is the same up to floating-point rounding (or there are none),
    /// so the spread carries no information and must not be divided by.
    pub fn is_constant(&self) -> bool {
        let scale = self.mean.abs().max(1.0);
        self.std_dev.is_nan() || self.std_dev <= CONSTANT_SPREAD_TOLERANCE * scale
    }
}

/// Least-squares fit `energy ≈ intercept + slope · valence`, as `numpy.polyfit(v, e, 1)`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Regression {
    pub slope: f64,
    pub intercept: f64,
    /// Pearson's correlation coefficient of valence and energy.
    pub r: f64,
}

/// Counts of values in equal-width bins over 0..=1 (1.0 falls in the last bin).
#[derive(Debug, Clone, PartialEq)]
pub struct Histogram {
    pub counts: Vec<usize>,
}

/// The mean mood of one genre.
#[derive(Debug, Clone, PartialEq)]
pub struct GenreCentroid {
    pub genre: String,
    pub tracks: usize,
    pub mood: Mood,
}

/// Mean, population standard deviation and adjusted skewness of `values`.
pub fn summarise(values: &[f64]) -> Summary {
    let count = values.len();
    let n = count as f64;
    if count == 0 {
        return Summary {
            count,
            mean: f64::NAN,
            std_dev: f64::NAN,
            skewness: f64::NAN,
        };
    }
    let mean = values.iter().sum::<f64>() / n;
    let (mut m2, mut m3) = (0.0, 0.0);
    for &x in values {
        let d = x - mean;
        m2 += d * d;
        m3 += d * d * d;
    }
    m2 /= n;
    m3 /= n;
    let std_dev = m2.sqrt();
    // g1 = m3 / m2^1.5, then G1 = g1 · sqrt(n(n−1)) / (n−2), pandas' bias-corrected form.
    let skewness = if count < 3 || m2 == 0.0 {
        f64::NAN
    } else {
        let g1 = m3 / m2.powf(1.5);
        g1 * (n * (n - 1.0)).sqrt() / (n - 2.0)
    };
    Summary {
        count,
        mean,
        std_dev,
        skewness,
    }
}

/// The least-squares line of energy on valence, and Pearson's r.
pub fn regression(moods: &[Mood]) -> Regression {
    let n = moods.len() as f64;
    let mean_v = moods.iter().map(|m| m.valence).sum::<f64>() / n;
    let mean_e = moods.iter().map(|m| m.energy).sum::<f64>() / n;
    let (mut svv, mut see, mut sve) = (0.0, 0.0, 0.0);
    for m in moods {
        let dv = m.valence - mean_v;
        let de = m.energy - mean_e;
        svv += dv * dv;
        see += de * de;
        sve += dv * de;
    }
    let slope = sve / svv;
    Regression {
        slope,
        intercept: mean_e - slope * mean_v,
        r: sve / (svv * see).sqrt(),
    }
}

/// `bins` equal-width bins over 0..=1.
pub fn histogram(values: &[f64], bins: usize) -> Histogram {
    let mut counts = vec![0; bins];
    if bins > 0 {
        for &x in values {
            let bin = ((x * bins as f64) as usize).min(bins - 1);
            counts[bin] += 1;
        }
    }
    Histogram { counts }
}

/// The mean mood of each genre with at least one track, in the catalog's genre order.
pub fn genre_centroids(catalog: &Catalog) -> Vec<GenreCentroid> {
    let genres = catalog.genres();
    let mut sums = vec![(0.0f64, 0.0f64, 0usize); genres.len()];
    for index in 0..catalog.len() {
        let slot = &mut sums[catalog.genre_index(index)];
        let mood = catalog.moods()[index];
        slot.0 += mood.valence;
        slot.1 += mood.energy;
        slot.2 += 1;
    }
    genres
        .iter()
        .zip(sums)
        .filter(|(_, (_, _, n))| *n > 0)
        .map(|(genre, (v, e, n))| GenreCentroid {
            genre: genre.clone(),
            tracks: n,
            mood: Mood::clamped(v / n as f64, e / n as f64),
        })
        .collect()
}

/// The centroid drawn within `radius` pixels of (x, y), the nearest one if several.
pub fn centroid_at<'a>(
    centroids: &'a [GenreCentroid],
    area: &crate::plot_area::PlotArea,
    (x, y): (f64, f64),
    radius: f64,
) -> Option<&'a GenreCentroid> {
    centroids
        .iter()
        .map(|c| {
            let (cx, cy) = area.to_pixel(c.mood);
            ((cx - x).powi(2) + (cy - y).powi(2), c)
        })
        .filter(|(d2, _)| *d2 <= radius * radius)
        .min_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, c)| c)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn summary_by_hand() {
        // mean 2.5; deviations −1.5 −0.5 0.5 1.5; m2 = 1.25; m3 = 0 → skew 0.
        let s = summarise(&[1.0, 2.0, 3.0, 4.0]);
        assert_eq!(s.mean, 2.5);
        assert_eq!(s.std_dev, 1.25f64.sqrt());
        assert_eq!(s.skewness, 0.0);
        // [0, 0, 3]: mean 1, m2 = 2, m3 = 2; g1 = 2/2^1.5; G1 = g1·sqrt(6)/1 = 1.7320508…
        let s = summarise(&[0.0, 0.0, 3.0]);
        assert!((s.skewness - 3f64.sqrt()).abs() < 1e-12);
        assert!(summarise(&[]).mean.is_nan());
        assert!(summarise(&[1.0, 1.0, 1.0]).skewness.is_nan());
    }

    #[test]
    fn constant_means_equal_up_to_rounding() {
        let tenths = summarise(&[0.1; 10]);
        assert!(tenths.std_dev > 0.0, "rounding leaves a tiny spread");
        assert!(tenths.is_constant());
        assert!(summarise(&[1e6 + 0.1; 7]).is_constant());
        assert!(summarise(&[]).is_constant());
        let one_step = summarise(&[0.1, 0.1, 0.1, 0.101]);
        assert!(!one_step.is_constant());
        assert!(!summarise(&[0.0, 1e-6]).is_constant());
    }

    #[test]
    fn regression_by_hand() {
        let moods: Vec<Mood> = [(0.0, 0.1), (0.5, 0.35), (1.0, 0.6)]
            .iter()
            .map(|&(v, e)| Mood::new(v, e).unwrap())
            .collect();
        let fit = regression(&moods);
        assert!((fit.slope - 0.5).abs() < 1e-12);
        assert!((fit.intercept - 0.1).abs() < 1e-12);
        assert!((fit.r - 1.0).abs() < 1e-12);
    }

    #[test]
    fn centroid_hit_test_picks_the_nearest_within_reach() {
        let area = crate::plot_area::PlotArea {
            left: 0.0,
            top: 0.0,
            width: 100.0,
            height: 100.0,
        };
        let c = |g: &str, v, e| GenreCentroid {
            genre: g.into(),
            tracks: 1,
            mood: Mood::new(v, e).unwrap(),
        };
        let centroids = [c("a", 0.5, 0.5), c("b", 0.55, 0.5)];
        assert_eq!(
            centroid_at(&centroids, &area, (54.0, 50.0), 6.0)
                .unwrap()
                .genre,
            "b"
        );
        assert!(centroid_at(&centroids, &area, (20.0, 20.0), 6.0).is_none());
    }

    #[test]
    fn histogram_edges() {
        let h = histogram(&[0.0, 0.049, 0.05, 0.999, 1.0], 20);
        assert_eq!(h.counts[0], 2);
        assert_eq!(h.counts[1], 1);
        assert_eq!(h.counts[19], 2);
        assert_eq!(h.counts.iter().sum::<usize>(), 5);
    }
}
