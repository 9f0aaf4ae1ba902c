//! The features a ranking can use, scaled to comparable units: valence and energy as they
//! are (0..1), danceability and acousticness as they are, tempo min–max scaled over the
//! catalog, popularity divided by 100. Also each feature's mean and standard deviation
//! for z-scores. Built once per catalog, off the drag path. [`FeatureMap`] holds one value
//! per feature, addressed by [`Feature`] rather than by number.

use std::ops::{Index, IndexMut};

use serde::{Deserialize, Serialize};

use crate::catalog::Catalog;
use crate::mood::Mood;
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

    /// Position in [`Feature::ALL`]. Prefer indexing a [`FeatureMap`] by the feature itself.
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

/// One value per feature, indexed by [`Feature`] (`map[Feature::Tempo]`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize)]
pub struct FeatureMap<T>([T; 6]);

impl<T> FeatureMap<T> {
    /// Each feature's value from `value_of`.
    pub fn from_fn(mut value_of: impl FnMut(Feature) -> T) -> FeatureMap<T> {
        FeatureMap(Feature::ALL.map(&mut value_of))
    }

    /// The same value for every feature.
    pub fn splat(value: T) -> FeatureMap<T>
    where
        T: Clone,
    {
        FeatureMap::from_fn(|_| value.clone())
    }

    /// Every feature with its value, in [`Feature::ALL`] order.
    pub fn iter(&self) -> impl Iterator<Item = (Feature, &T)> {
        Feature::ALL.into_iter().zip(self.0.iter())
    }
}

impl<T> Index<Feature> for FeatureMap<T> {
    type Output = T;

    fn index(&self, feature: Feature) -> &T {
        &self.0[feature.index()]
    }
}

impl<T> IndexMut<Feature> for FeatureMap<T> {
    fn index_mut(&mut self, feature: Feature) -> &mut T {
        &mut self.0[feature.index()]
    }
}

/// The catalog's raw column of an extra feature (NaN where a track lacks it), or None for
/// the plane's axes and for extras the catalog lacks. The one place that knows the
/// catalog's numbered extra slots; switch it when the catalog offers a typed accessor.
fn raw_extra_column(catalog: &Catalog, feature: Feature) -> Option<&[f64]> {
    let slot = match feature {
        Feature::Valence | Feature::Energy => return None,
        Feature::Danceability => 0,
        Feature::Acousticness => 1,
        Feature::Tempo => 2,
        Feature::Popularity => 3,
    };
    catalog.extra_column(slot)
}

/// How a catalog's features are put in ranking units: enough to scale any part of it
/// (a library, a tile) exactly as the whole catalog is. A tiled catalog's manifest
/// carries it.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct FeatureScale {
    /// Raw tempo range, to scale tempo (and turn a scaled tempo back into beats per minute).
    pub tempo_range: Option<(f64, f64)>,
    /// The value, in ranking units, a track without an extra feature gets: the mean of the
    /// catalog's present values, exactly as the catalog's own table computed it.
    pub gap_fill: FeatureMap<Option<f64>>,
    /// Mean and spread of each feature the catalog has, for z-scores.
    pub summaries: FeatureMap<Option<Summary>>,
}

/// Every feature of every track in ranking units, with per-feature statistics.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct FeatureTable {
    /// `columns[f][track]`, scaled to 0..1; `None` when the catalog lacks the feature.
    columns: FeatureMap<Option<Vec<f64>>>,
    scale: FeatureScale,
}

impl FeatureTable {
    /// Scales the catalog's features. A track missing an extra value gets the feature's
    /// catalog mean, so it neither gains nor loses by the gap.
    pub fn new(catalog: &Catalog) -> FeatureTable {
        FeatureTable::scaled(catalog.moods(), |f| raw_extra_column(catalog, f), None)
    }

    /// Scales `catalog`'s features in the units of `reference` (its tempo range, its
    /// means for gaps, its means and spreads for z-scores), so that a part of the world
    /// (a person's library) is measured exactly as the whole catalog is. A feature the
    /// reference lacks is left out.
    pub fn measured_like(catalog: &Catalog, reference: &FeatureTable) -> FeatureTable {
        FeatureTable::scaled_like(
            catalog.moods(),
            |f| raw_extra_column(catalog, f),
            &reference.scale,
        )
    }

    /// Scales a run of tracks (given as moods and raw extra columns, NaN where missing)
    /// by a catalog's `scale`: each value comes out exactly as in the catalog's own table.
    /// A feature the scale lacks is left out; one it has is kept even where the run has
    /// no value of it (every track then gets the gap value).
    pub fn scaled_like<'a>(
        moods: &[Mood],
        raw_extra: impl Fn(Feature) -> Option<&'a [f64]>,
        scale: &FeatureScale,
    ) -> FeatureTable {
        let mut table = FeatureTable::scaled(moods, raw_extra, Some(scale));
        for feature in Feature::ALL {
            if scale.summaries[feature].is_none() {
                table.columns[feature] = None;
            }
        }
        if table.columns[Feature::Tempo].is_none() {
            table.scale.tempo_range = None;
        }
        table.scale.summaries =
            FeatureMap::from_fn(|f| table.columns[f].as_ref().and(scale.summaries[f]));
        table
    }

    /// A table of no tracks that has exactly the features `scale` has, with its
    /// statistics: what a page that holds only a tiled catalog's manifest knows of its
    /// features (which exist, their spreads, the tempo range).
    pub fn of_scale(scale: &FeatureScale) -> FeatureTable {
        FeatureTable::scaled_like(
            &[],
            |f| scale.summaries[f].is_some().then_some(&[][..]),
            scale,
        )
    }

    /// The scale of this table, to measure other tracks as these are.
    pub fn scale(&self) -> &FeatureScale {
        &self.scale
    }

    fn scaled<'a>(
        moods: &[Mood],
        raw_extra: impl Fn(Feature) -> Option<&'a [f64]>,
        reference: Option<&FeatureScale>,
    ) -> FeatureTable {
        let mut table = FeatureTable::default();
        table.columns[Feature::Valence] = Some(moods.iter().map(|m| m.valence).collect());
        table.columns[Feature::Energy] = Some(moods.iter().map(|m| m.energy).collect());
        for feature in Feature::EXTRAS {
            let Some(raw) = raw_extra(feature) else {
                continue;
            };
            let present = || raw.iter().copied().filter(|x| !x.is_nan());
            let own_range = present()
                .next()
                .map(|first| present().fold((first, first), |(lo, hi), x| (lo.min(x), hi.max(x))));
            let reference_gap = reference.and_then(|r| r.gap_fill[feature]);
            // A run without any value of a feature keeps it only to take the reference's
            // gap value; a whole catalog without one does not have the feature.
            if own_range.is_none() && reference_gap.is_none() {
                continue;
            }
            let range = match (feature, reference) {
                (Feature::Tempo, Some(r)) => r.tempo_range,
                _ => own_range,
            };
            let (lo, hi) = range.unwrap_or((0.0, 1.0));
            let scale = |x: f64| match feature {
                Feature::Tempo => (x - lo) / if hi > lo { hi - lo } else { 1.0 },
                Feature::Popularity => x / 100.0,
                _ => x,
            };
            if feature == Feature::Tempo {
                table.scale.tempo_range = range;
            }
            // Scaled in place of one copy; gaps (NaN) then take the feature's mean.
            let mut column: Vec<f64> = raw.iter().map(|&x| scale(x)).collect();
            let (sum, count) = column
                .iter()
                .filter(|x| !x.is_nan())
                .fold((0.0, 0usize), |(s, c), x| (s + x, c + 1));
            let gap = reference_gap.unwrap_or(sum / count as f64);
            for x in column.iter_mut().filter(|x| x.is_nan()) {
                *x = gap;
            }
            table.scale.gap_fill[feature] = Some(gap);
            table.columns[feature] = Some(column);
        }
        table.scale.summaries = FeatureMap::from_fn(|f| table.columns[f].as_deref().map(summarise));
        table
    }

    /// Whether the catalog carries this feature.
    pub fn has(&self, feature: Feature) -> bool {
        self.columns[feature].is_some()
    }

    /// The scaled values of a feature, one per track.
    pub fn column(&self, feature: Feature) -> Option<&[f64]> {
        self.columns[feature].as_deref()
    }

    /// Mean and spread of a feature in ranking units.
    pub fn summary(&self, feature: Feature) -> Option<Summary> {
        self.scale.summaries[feature]
    }

    /// Track `index`'s value of a feature in ranking units.
    pub fn value(&self, feature: Feature, index: usize) -> Option<f64> {
        self.column(feature).map(|c| c[index])
    }

    /// A scaled tempo as beats per minute, for labels.
    pub fn tempo_bpm(&self, scaled: f64) -> Option<f64> {
        self.scale
            .tempo_range
            .map(|(lo, hi)| lo + scaled * (hi - lo))
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

    #[test]
    fn each_extra_reads_its_own_catalog_field() {
        let record = TrackRecord {
            id: TrackId::parse(&format!("{:0>22}", 1)).unwrap(),
            name: String::new(),
            artist: String::new(),
            genre: String::new(),
            mood: Mood::new(0.25, 0.75).unwrap(),
            extras: ExtraFeatures {
                danceability: Some(0.125),
                acousticness: Some(0.375),
                tempo: Some(100.0),
                popularity: Some(50.0),
            },
        };
        let (catalog, _) = Catalog::from_records("t", vec![record]);
        let table = FeatureTable::new(&catalog);
        let expected = [
            (Feature::Valence, 0.25),
            (Feature::Energy, 0.75),
            (Feature::Danceability, 0.125),
            (Feature::Acousticness, 0.375),
            // A single tempo spans no range, so it scales to 0.
            (Feature::Tempo, 0.0),
            (Feature::Popularity, 0.5),
        ];
        for (feature, value) in expected {
            assert_eq!(table.value(feature, 0), Some(value), "{}", feature.key());
        }
    }

    #[test]
    fn feature_map_addresses_each_feature_by_name() {
        let mut map = FeatureMap::from_fn(|f| f.key().len());
        map[Feature::Tempo] = 99;
        let pairs: Vec<(Feature, usize)> = map.iter().map(|(f, &v)| (f, v)).collect();
        assert_eq!(
            pairs,
            vec![
                (Feature::Valence, 7),
                (Feature::Energy, 6),
                (Feature::Danceability, 12),
                (Feature::Acousticness, 12),
                (Feature::Tempo, 99),
                (Feature::Popularity, 10),
            ]
        );
        assert_eq!(map[Feature::Energy], 6);
    }
}
