//! The ranking options as a shared link carries them (`z=1&w=danceability:0.5&gi=pop&…`),
//! by name rather than by catalog index, and their conversion to [`RankOptions`].

use std::fmt;

use crate::catalog::Catalog;
use crate::features::Feature;
use crate::rank_options::{GenreFilter, RankOptions};

/// Largest weight a link may set.
pub const MAX_WEIGHT: f64 = 5.0;
/// Items read from one list parameter (more than any catalog has genres); the rest are
/// counted in one notice, so a crafted link cannot make the page work for minutes.
pub const MAX_ITEMS: usize = 256;

/// Ranking options in their shareable form.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct OptionsState {
    pub z_score: bool,
    /// Weights that differ from the default (valence and energy 1, extras 0).
    pub weights: Vec<(Feature, f64)>,
    /// Targets of extra features for a free point, 0..1 in ranking units.
    pub targets: Vec<(Feature, f64)>,
    pub include_genres: Vec<String>,
    pub exclude_genres: Vec<String>,
    pub max_per_artist: Option<usize>,
    pub popularity_rerank: Option<usize>,
}

/// A ranking option in a link that could not be used.
#[derive(Debug, Clone, PartialEq)]
pub struct OptionNotice {
    pub parameter: &'static str,
    pub value: String,
    pub wanted: &'static str,
}

impl fmt::Display for OptionNotice {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "The link's {}=“{}” was ignored: {}.",
            self.parameter, self.value, self.wanted
        )
    }
}

use crate::query::group_thousands;
pub use crate::query_string::encode_component;
use crate::query_string::{shorten, Parameter};
use crate::view_state::ECHO_CHARS;

fn default_weight(feature: Feature) -> f64 {
    match feature {
        Feature::Valence | Feature::Energy => 1.0,
        _ => 0.0,
    }
}

fn format_pairs(pairs: &[(Feature, f64)]) -> String {
    pairs
        .iter()
        .map(|(f, x)| format!("{}:{}", f.key(), trim_number(*x)))
        .collect::<Vec<_>>()
        .join(",")
}

/// `0.500` → `0.5`, `1.000` → `1`: short numbers for links.
fn trim_number(x: f64) -> String {
    let s = format!("{x:.3}");
    let s = s.trim_end_matches('0').trim_end_matches('.');
    s.to_owned()
}

fn parse_pairs(
    parameter: &'static str,
    items: Vec<String>,
    range: std::ops::RangeInclusive<f64>,
    notices: &mut Vec<OptionNotice>,
) -> Vec<(Feature, f64)> {
    let mut pairs = Vec::new();
    for item in items {
        let parsed = item.split_once(':').and_then(|(k, x)| {
            let x: f64 = x.trim().parse().ok()?;
            Some((Feature::from_key(k.trim())?, x))
        });
        match parsed {
            Some((f, x)) if x.is_finite() && range.contains(&x) => pairs.push((f, x)),
            _ => notices.push(OptionNotice {
                parameter,
                value: shorten(&item, ECHO_CHARS),
                wanted: if parameter == "w" {
                    "use feature:weight with a weight from 0 to 5, e.g. danceability:0.5"
                } else {
                    "use feature:value with a value from 0 to 1, e.g. tempo:0.6"
                },
            }),
        }
    }
    pairs
}

/// The first [`MAX_ITEMS`] items of a list parameter; a notice counts the rest.
fn capped_items(
    parameter: &'static str,
    source: &Parameter,
    notices: &mut Vec<OptionNotice>,
) -> Vec<String> {
    let mut items = source.items();
    let kept: Vec<String> = items.by_ref().take(MAX_ITEMS).collect();
    let rest = items.count();
    if rest > 0 {
        notices.push(OptionNotice {
            parameter,
            value: format!("{} items", group_thousands(MAX_ITEMS + rest)),
            wanted: "only the first 256 were read",
        });
    }
    kept
}

fn parse_positive(
    parameter: &'static str,
    value: &str,
    max: usize,
    notices: &mut Vec<OptionNotice>,
) -> Option<usize> {
    match value.trim().parse::<usize>() {
        Ok(k) if (1..=max).contains(&k) => Some(k),
        _ => {
            notices.push(OptionNotice {
                parameter,
                value: shorten(value, ECHO_CHARS),
                wanted: if parameter == "ma" {
                    "use a whole number of tracks per artist from 1 to 50"
                } else {
                    "use a whole number of nearest tracks from 1 to 500"
                },
            });
            None
        }
    }
}

impl OptionsState {
    /// Reads one query parameter; returns false when it is not an option.
    pub fn read_parameter(
        &mut self,
        parameter: &Parameter,
        notices: &mut Vec<OptionNotice>,
    ) -> bool {
        let decoded = parameter.value();
        let value = decoded.as_str();
        match parameter.key.as_str() {
            "z" => match value {
                "1" | "true" => self.z_score = true,
                "0" | "false" => self.z_score = false,
                _ => notices.push(OptionNotice {
                    parameter: "z",
                    value: shorten(value, ECHO_CHARS),
                    wanted: "use z=1 to measure features in standard deviations",
                }),
            },
            "w" => {
                let items = capped_items("w", parameter, notices);
                self.weights = parse_pairs("w", items, 0.0..=MAX_WEIGHT, notices);
            }
            "t" => {
                let items = capped_items("t", parameter, notices);
                self.targets = parse_pairs("t", items, 0.0..=1.0, notices);
            }
            "gi" => self.include_genres = capped_items("gi", parameter, notices),
            "gx" => self.exclude_genres = capped_items("gx", parameter, notices),
            "ma" => self.max_per_artist = parse_positive("ma", value, 50, notices),
            "rr" => self.popularity_rerank = parse_positive("rr", value, 500, notices),
            _ => return false,
        }
        true
    }

    /// The query-string parameters (already escaped) for the non-default options.
    pub fn to_parameters(&self) -> Vec<String> {
        let names = |list: &[String]| {
            list.iter()
                .map(|g| encode_component(g))
                .collect::<Vec<_>>()
                .join(",")
        };
        let mut out = Vec::new();
        if self.z_score {
            out.push("z=1".to_owned());
        }
        if !self.weights.is_empty() {
            out.push(format!("w={}", format_pairs(&self.weights)));
        }
        if !self.targets.is_empty() {
            out.push(format!("t={}", format_pairs(&self.targets)));
        }
        if !self.include_genres.is_empty() {
            out.push(format!("gi={}", names(&self.include_genres)));
        }
        if !self.exclude_genres.is_empty() {
            out.push(format!("gx={}", names(&self.exclude_genres)));
        }
        if let Some(m) = self.max_per_artist {
            out.push(format!("ma={m}"));
        }
        if let Some(k) = self.popularity_rerank {
            out.push(format!("rr={k}"));
        }
        out
    }

    /// The options for this catalog; genres or features it lacks become notices.
    pub fn to_options(
        &self,
        catalog: &Catalog,
        has_feature: impl Fn(Feature) -> bool,
    ) -> (RankOptions, Vec<String>) {
        let mut notices = Vec::new();
        let mut options = RankOptions {
            z_score: self.z_score,
            max_per_artist: self.max_per_artist,
            ..RankOptions::default()
        };
        for &(feature, weight) in &self.weights {
            if has_feature(feature) {
                options.weights[feature] = weight;
            } else {
                notices.push(format!(
                    "This catalog has no {} values, so the link's weight for it was ignored.",
                    feature.key()
                ));
            }
        }
        for &(feature, target) in &self.targets {
            options.targets[feature] = target;
        }
        if self.popularity_rerank.is_some() {
            if has_feature(Feature::Popularity) {
                options.popularity_rerank = self.popularity_rerank;
            } else {
                notices.push(
                    "This catalog has no popularity values, so re-ranking by popularity is off."
                        .to_owned(),
                );
            }
        }
        let mut resolve = |names: &[String]| -> Vec<usize> {
            names
                .iter()
                .filter_map(|name| {
                    let found = catalog.genres().iter().position(|g| g == name);
                    if found.is_none() {
                        notices.push(format!(
                            "This catalog has no genre “{}”, so the link's filter on it was ignored.",
                            shorten(name, ECHO_CHARS)
                        ));
                    }
                    found
                })
                .collect()
        };
        options.genres = GenreFilter {
            include: resolve(&self.include_genres),
            exclude: resolve(&self.exclude_genres),
        };
        (options, notices)
    }

    /// The shareable form of `options` for this catalog.
    pub fn from_options(options: &RankOptions, catalog: &Catalog) -> OptionsState {
        let names = |ids: &[usize]| ids.iter().map(|&g| catalog.genres()[g].clone()).collect();
        OptionsState {
            z_score: options.z_score,
            weights: Feature::ALL
                .into_iter()
                .filter(|f| options.weights[*f] != default_weight(*f))
                .map(|f| (f, options.weights[f]))
                .collect(),
            targets: Feature::EXTRAS
                .into_iter()
                .filter(|f| options.weights[*f] > 0.0 && options.targets[*f] != 0.5)
                .map(|f| (f, options.targets[f]))
                .collect(),
            include_genres: names(&options.genres.include),
            exclude_genres: names(&options.genres.exclude),
            max_per_artist: options.max_per_artist,
            popularity_rerank: options.popularity_rerank,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::query_string::parameters;

    #[test]
    fn parameters_round_trip() {
        let mut state = OptionsState::default();
        let mut notices = Vec::new();
        let search =
            "z=1&w=danceability:0.5,tempo:2&t=danceability:0.8&gi=pop,r%26b&gx=jazz&ma=2&rr=20";
        for parameter in parameters(search) {
            assert!(state.read_parameter(&parameter, &mut notices));
        }
        assert!(notices.is_empty());
        assert_eq!(state.include_genres, vec!["pop", "r&b"]);
        assert_eq!(
            state.to_parameters().join("&"),
            "z=1&w=danceability:0.5,tempo:2&t=danceability:0.8&gi=pop,r%26b&gx=jazz&ma=2&rr=20"
        );
        assert!(!state.read_parameter(&parameters("v=0.5")[0], &mut notices));
    }

    #[test]
    fn bad_options_become_notices() {
        let mut state = OptionsState::default();
        let mut notices = Vec::new();
        for parameter in parameters("w=danceability:9,color:1,tempo:0.5&ma=0&z=maybe") {
            state.read_parameter(&parameter, &mut notices);
        }
        assert_eq!(state.weights, vec![(Feature::Tempo, 0.5)]);
        assert_eq!(state.max_per_artist, None);
        assert_eq!(notices.len(), 4);
        assert!(notices[0].to_string().contains("w=“danceability:9”"));
    }
}
