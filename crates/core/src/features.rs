//! The features a ranking can use, scaled to comparable units: valence and energy as they
//! are (0..1), danceability and acousticness as they are, tempo min–max scaled over the
//! catalog, popularity divided by 100. Also each feature's mean and standard deviation
//! for z-scores. Built once per catalog, off the drag path.

use crate::catalog::Catalog;
use crate::stats::{summarise, Summary};

/// A feature of a track that ranking can weigh.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Feature {
    Valence,
    Energy,
    Danceability,
    Acousticness,
    Tempo,
    Popularity,
}

impl Feature {
    pub const ALL: [Feature; 6] = [
        Feature::Valence,
        Feature::Energy,
        Feature::Danceability,
        Feature::Acousticness,
        Feature::Tempo,
        Feature::Popularity,
    ];

    /// The extra features, beyond the plane's two axes.
    pub const EXTRAS: [Feature; 4] = [
        Feature::Danceability,
        Feature::Acousticness,
        Feature::Tempo,
        Feature::Popularity,
    ];

    pub fn index(self) -> usize {
        self as usize
    }

    /// The short name used in URLs and labels.
    pub fn key(self) -> &'static str {
        match self {
            Feature::Valence => "valence",
            Feature::Energy => "energy",
            Feature::Danceability => "danceability",
            Feature::Acousticness => "acousticness",
            Feature::Tempo => "tempo",
            Feature::Popularity => "popularity",
        }
    }

    pub fn from_key(key: &str) -> Option<Feature> {
        Feature::ALL.into_iter().find(|f| f.key() == key)
    }
}

/// Every feature of every track in ranking units, with per-feature statistics.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct FeatureTable {
    /// `columns[f][track]`, scaled to 0..1; `None` when the catalog lacks the feature.
    columns: [Option<Vec<f64>>; 6],
    summaries: [Option<Summary>; 6],
    /// Raw tempo range, to turn a scaled tempo back into beats per minute.
    tempo_range: Option<(f64, f64)>,
}

impl FeatureTable {
    /// Scales the catalog's features. A track missing an extra value gets the feature's
    /// catalog mean, so it neither gains nor loses by the gap.
    pub fn new(catalog: &Catalog) -> FeatureTable {
        let mut table = FeatureTable::default();
        let moods = catalog.moods();
        table.columns[0] = Some(moods.iter().map(|m| m.valence).collect());
        table.columns[1] = Some(moods.iter().map(|m| m.energy).collect());
        for (slot, feature) in Feature::EXTRAS.into_iter().enumerate() {
            let Some(raw) = catalog.extra_column(slot) else {
                continue;
            };
            let present = || raw.iter().copied().filter(|x| !x.is_nan());
            let Some(first) = present().next() else {
                continue;
            };
            let (lo, hi) = present().fold((first, first), |(lo, hi), x| (lo.min(x), hi.max(x)));
            let scale = |x: f64| match feature {
                Feature::Tempo => (x - lo) / if hi > lo { hi - lo } else { 1.0 },
                Feature::Popularity => x / 100.0,
                _ => x,
            };
            if feature == Feature::Tempo {
                table.tempo_range = Some((lo, hi));
            }
            // Scaled in place of one copy; gaps (NaN) then take the feature's mean.
            let mut column: Vec<f64> = raw.iter().map(|&x| scale(x)).collect();
            let (sum, count) = column
                .iter()
                .filter(|x| !x.is_nan())
                .fold((0.0, 0usize), |(s, c), x| (s + x, c + 1));
            let mean = sum / count as f64;
            for x in column.iter_mut().filter(|x| x.is_nan()) {
                *x = mean;
            }
            table.columns[feature.index()] = Some(column);
        }
        for feature in Feature::ALL {
            if let Some(column) = &table.columns[feature.index()] {
                table.summaries[feature.index()] = Some(summarise(column));
            }
        }
        table
    }

    /// Whether the catalog carries this feature.
    pub fn has(&self, feature: Feature) -> bool {
        self.columns[feature.index()].is_some()
    }

    /// The scaled values of a feature, one per track.
    pub fn column(&self, feature: Feature) -> Option<&[f64]> {
        self.columns[feature.index()].as_deref()
    }

    /// Mean and spread of a feature in ranking units.
    pub fn summary(&self, feature: Feature) -> Option<Summary> {
        self.summaries[feature.index()]
    }

    /// Track `index`'s value of a feature in ranking units.
    pub fn value(&self, feature: Feature, index: usize) -> Option<f64> {
        self.column(feature).map(|c| c[index])
    }

    /// A scaled tempo as beats per minute, for labels.
    pub fn tempo_bpm(&self, scaled: f64) -> Option<f64> {
        self.tempo_range.map(|(lo, hi)| lo + scaled * (hi - lo))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::{ExtraFeatures, TrackRecord};
    use crate::mood::Mood;
    use crate::track_id::TrackId;

    #[test]
    fn scales_and_fills_gaps_with_the_mean() {
        let record = |n: u32, tempo: Option<f64>, pop: Option<f64>| TrackRecord {
            id: TrackId::parse(&format!("{n:0>22}")).unwrap(),
            name: String::new(),
            artist: String::new(),
            genre: String::new(),
            mood: Mood::CENTRE,
            extras: ExtraFeatures {
                tempo,
                popularity: pop,
                ..ExtraFeatures::default()
            },
        };
        let (catalog, _) = Catalog::from_records(
            "t",
            vec![
                record(1, Some(60.0), Some(10.0)),
                record(2, Some(180.0), None),
                record(3, Some(120.0), Some(30.0)),
            ],
        );
        let table = FeatureTable::new(&catalog);
        assert!(!table.has(Feature::Danceability));
        assert_eq!(table.column(Feature::Tempo).unwrap(), &[0.0, 1.0, 0.5]);
        assert_eq!(table.column(Feature::Popularity).unwrap(), &[0.1, 0.2, 0.3]);
        assert_eq!(table.tempo_bpm(0.5), Some(120.0));
        assert_eq!(table.summary(Feature::Valence).unwrap().mean, 0.5);
    }
}
