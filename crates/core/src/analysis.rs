//! What the analysis panel shows of a catalog besides each feature's summary (which the
//! feature scale holds): histograms of valence and energy, the least-squares line of
//! energy on valence and the genre centroids. Computed from every track, by the page for
//! a catalog it holds whole and by the builder for the manifest of one read tile by tile,
//! so both panels show the same figures.

use serde::{Deserialize, Serialize};

use crate::catalog::Catalog;
use crate::mood::Mood;
use crate::stats::{
    genre_centroids, histogram, nan_as_null, regression, GenreCentroid, Regression,
};

/// Bins of each histogram over 0..=1.
pub const HISTOGRAM_BINS: usize = 20;

/// A genre's mean mood, as a manifest carries it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Centroid {
    pub genre: String,
    pub tracks: u32,
    pub valence: f64,
    pub energy: f64,
}

/// The analysis of a whole catalog.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MoodAnalysis {
    /// Tracks per bin ([`HISTOGRAM_BINS`] equal bins over 0..=1; 1.0 in the last).
    pub valence_bins: Vec<u32>,
    pub energy_bins: Vec<u32>,
    /// Undefined (null in JSON) for fewer than two distinct valences.
    #[serde(with = "nan_as_null")]
    pub slope: f64,
    #[serde(with = "nan_as_null")]
    pub intercept: f64,
    #[serde(with = "nan_as_null")]
    pub r: f64,
    /// In the catalog's genre order, genres without tracks left out.
    pub centroids: Vec<Centroid>,
}

impl MoodAnalysis {
    pub fn of(catalog: &Catalog) -> MoodAnalysis {
        let moods = catalog.moods();
        let bins = |axis: fn(&Mood) -> f64| {
            let values: Vec<f64> = moods.iter().map(axis).collect();
            histogram(&values, HISTOGRAM_BINS)
                .counts
                .into_iter()
                .map(|c| c as u32)
                .collect()
        };
        let fit = regression(moods);
        MoodAnalysis {
            valence_bins: bins(|m| m.valence),
            energy_bins: bins(|m| m.energy),
            slope: fit.slope,
            intercept: fit.intercept,
            r: fit.r,
            centroids: genre_centroids(catalog)
                .into_iter()
                .map(|c| Centroid {
                    genre: c.genre,
                    tracks: c.tracks as u32,
                    valence: c.mood.valence,
                    energy: c.mood.energy,
                })
                .collect(),
        }
    }

    pub fn regression(&self) -> Regression {
        Regression {
            slope: self.slope,
            intercept: self.intercept,
            r: self.r,
        }
    }

    /// The centroids as the plane draws them (moods held to the plane).
    pub fn genre_centroids(&self) -> Vec<GenreCentroid> {
        self.centroids
            .iter()
            .map(|c| GenreCentroid {
                genre: c.genre.clone(),
                tracks: c.tracks as usize,
                mood: Mood::clamped(c.valence, c.energy),
            })
            .collect()
    }

    /// Whether the analysis fits a catalog of `tracks` tracks with `genres` genres: each
    /// histogram has its bins and counts every track, each centroid names a genre and lies
    /// on the plane.
    pub fn fits(&self, tracks: u32, genres: &[String]) -> bool {
        let counts_all = |bins: &[u32]| {
            bins.len() == HISTOGRAM_BINS
                && bins.iter().map(|&b| u64::from(b)).sum::<u64>() == u64::from(tracks)
        };
        counts_all(&self.valence_bins)
            && counts_all(&self.energy_bins)
            && self.centroids.iter().all(|c| {
                genres.contains(&c.genre)
                    && (0.0..=1.0).contains(&c.valence)
                    && (0.0..=1.0).contains(&c.energy)
            })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::{CatalogBuilder, ExtraFeatures, TrackRecord};
    use crate::TrackId;

    fn catalog(points: &[(f64, f64, &str)]) -> Catalog {
        let mut builder = CatalogBuilder::new("test");
        for (i, &(v, e, genre)) in points.iter().enumerate() {
            builder.push(TrackRecord {
                id: TrackId::parse(&format!("{i:0>22}")).unwrap(),
                name: format!("t{i}"),
                artist: "a".into(),
                genre: genre.into(),
                mood: Mood::new(v, e).unwrap(),
                extras: ExtraFeatures::default(),
            });
        }
        builder.finish().0
    }

    #[test]
    fn bins_line_and_centroids_of_every_track_travel_through_json() {
        let c = catalog(&[
            (0.0, 0.1, "pop"),
            (0.5, 0.5, "rock"),
            (1.0, 0.9, "pop"),
            (0.52, 0.5, "rock"),
        ]);
        let a = MoodAnalysis::of(&c);
        assert_eq!(a.valence_bins.iter().sum::<u32>(), 4);
        assert_eq!(
            (a.valence_bins[0], a.valence_bins[10], a.valence_bins[19]),
            (1, 2, 1)
        );
        assert!(a.r > 0.9 && a.slope > 0.0, "{a:?}");
        assert_eq!(a.centroids.len(), 2);
        assert_eq!((a.centroids[0].tracks, a.centroids[0].valence), (2, 0.5));
        let back: MoodAnalysis = serde_json::from_str(&serde_json::to_string(&a).unwrap()).unwrap();
        // serde_json without float_roundtrip (the page's) may miss the last bit.
        assert_eq!(
            (&back.valence_bins, &back.energy_bins, &back.centroids),
            (&a.valence_bins, &a.energy_bins, &a.centroids)
        );
        assert!((back.r - a.r).abs() < 1e-12 && (back.slope - a.slope).abs() < 1e-12);
        assert!(a.fits(4, c.genres()));
        assert!(!a.fits(5, c.genres()), "a histogram must count every track");
    }

    #[test]
    fn one_track_has_no_line_and_says_so_in_json() {
        let a = MoodAnalysis::of(&catalog(&[(0.3, 0.3, "pop")]));
        let text = serde_json::to_string(&a).unwrap();
        assert!(text.contains("\"slope\":null"), "{text}");
        let back: MoodAnalysis = serde_json::from_str(&text).unwrap();
        assert!(back.slope.is_nan() && back.r.is_nan());
    }
}
