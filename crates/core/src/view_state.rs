//! The shareable view state kept in the page URL: `?v=0.304&e=0.058&n=5` or
//! `?track=ID&n=5`. Parsing never fails: bad parameters become notices and defaults.

use std::fmt;

use crate::mood::Mood;
use crate::options_state::{OptionNotice, OptionsState};
use crate::track_id::TrackId;

/// Default and bounds of the number of matches shown.
pub const DEFAULT_COUNT: usize = 10;
pub const MAX_COUNT: usize = 50;

/// What the ranking is asked about.
#[derive(Debug, Clone, PartialEq)]
pub enum QuerySource {
    /// A point placed by dragging, clicking or typing coordinates.
    Point(Mood),
    /// A catalog track, excluded from its own results.
    Track(TrackId),
}

/// Everything a shared link reproduces.
#[derive(Debug, Clone, PartialEq)]
pub struct ViewState {
    pub query: QuerySource,
    pub count: usize,
    pub options: OptionsState,
}

impl Default for ViewState {
    fn default() -> Self {
        ViewState {
            query: QuerySource::Point(Mood::CENTRE),
            count: DEFAULT_COUNT,
            options: OptionsState::default(),
        }
    }
}

/// A URL parameter that could not be used, and what was used instead.
#[derive(Debug, Clone, PartialEq)]
pub enum StateNotice {
    BadCoordinate { name: &'static str, value: String },
    BadCount { value: String },
    BadTrack { value: String },
    BadOption(OptionNotice),
}

impl fmt::Display for StateNotice {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            StateNotice::BadCoordinate { name, value } => write!(
                f,
                "The link's {name}=“{value}” is not a number from 0 to 1, so {} starts at 0.5.",
                if *name == "v" { "valence" } else { "energy" }
            ),
            StateNotice::BadCount { value } => write!(
                f,
                "The link's n=“{value}” is not a whole number from 1 to {MAX_COUNT}, so {DEFAULT_COUNT} matches are shown."
            ),
            StateNotice::BadTrack { value } => write!(
                f,
                "The link's track=“{value}” is not a Spotify track id, so the point starts at the centre."
            ),
            StateNotice::BadOption(notice) => notice.fmt(f),
        }
    }
}

use crate::url_encoding::percent_decode;

fn parse_unit(value: &str) -> Option<f64> {
    let x: f64 = value.trim().parse().ok()?;
    (x.is_finite() && (0.0..=1.0).contains(&x)).then_some(x)
}

impl ViewState {
    /// Reads a URL query string (with or without the leading `?`). Unknown parameters are
    /// ignored; a `track` parameter wins over `v`/`e`.
    pub fn parse(search: &str) -> (ViewState, Vec<StateNotice>) {
        let mut notices = Vec::new();
        let mut valence = None;
        let mut energy = None;
        let mut track = None;
        let mut count = DEFAULT_COUNT;
        let mut options = OptionsState::default();
        let mut option_notices = Vec::new();
        for pair in search
            .trim_start_matches('?')
            .split('&')
            .filter(|p| !p.is_empty())
        {
            let (key, raw) = pair.split_once('=').unwrap_or((pair, ""));
            let value = percent_decode(raw);
            match key {
                "v" | "e" => {
                    let name = if key == "v" { "v" } else { "e" };
                    match parse_unit(&value) {
                        Some(x) if key == "v" => valence = Some(x),
                        Some(x) => energy = Some(x),
                        None => notices.push(StateNotice::BadCoordinate { name, value }),
                    }
                }
                "n" => match value.trim().parse::<usize>() {
                    Ok(n) if (1..=MAX_COUNT).contains(&n) => count = n,
                    _ => notices.push(StateNotice::BadCount { value }),
                },
                "track" => match TrackId::parse(value.trim()) {
                    Ok(id) => track = Some(id),
                    Err(_) => notices.push(StateNotice::BadTrack { value }),
                },
                _ => {
                    options.read_parameter(key, raw, &mut option_notices);
                }
            }
        }
        notices.extend(option_notices.into_iter().map(StateNotice::BadOption));
        let query = match track {
            Some(id) => QuerySource::Track(id),
            None => QuerySource::Point(Mood::clamped(
                valence.unwrap_or(Mood::CENTRE.valence),
                energy.unwrap_or(Mood::CENTRE.energy),
            )),
        };
        (
            ViewState {
                query,
                count,
                options,
            },
            notices,
        )
    }

    /// The query string (without `?`) that reproduces this state.
    pub fn to_query(&self) -> String {
        let base = match &self.query {
            QuerySource::Point(mood) => format!(
                "v={:.3}&e={:.3}&n={}",
                mood.valence, mood.energy, self.count
            ),
            QuerySource::Track(id) => format!("track={id}&n={}", self.count),
        };
        std::iter::once(base)
            .chain(self.options.to_parameters())
            .collect::<Vec<_>>()
            .join("&")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_point_and_count() {
        let (s, notices) = ViewState::parse("?v=0.304&e=0.058&n=5");
        assert!(notices.is_empty());
        assert_eq!(s.count, 5);
        assert_eq!(
            s.query,
            QuerySource::Point(Mood::new(0.304, 0.058).unwrap())
        );
        assert_eq!(s.to_query(), "v=0.304&e=0.058&n=5");
    }

    #[test]
    fn track_wins_and_round_trips() {
        let (s, notices) = ViewState::parse("v=0.1&track=0KpfYajJVVGgQ32Dby7e9i&n=3");
        assert!(notices.is_empty());
        assert_eq!(s.to_query(), "track=0KpfYajJVVGgQ32Dby7e9i&n=3");
        assert_eq!(ViewState::parse(&s.to_query()).0, s);
    }

    #[test]
    fn empty_gives_defaults() {
        assert_eq!(ViewState::parse(""), (ViewState::default(), vec![]));
        assert_eq!(ViewState::parse("?utm=x&&"), (ViewState::default(), vec![]));
    }

    #[test]
    fn bad_values_fall_back_with_notices() {
        let (s, notices) = ViewState::parse("v=abc&e=1.5&n=0&track=nope");
        assert_eq!(s, ViewState::default());
        assert_eq!(
            notices,
            vec![
                StateNotice::BadCoordinate {
                    name: "v",
                    value: "abc".into()
                },
                StateNotice::BadCoordinate {
                    name: "e",
                    value: "1.5".into()
                },
                StateNotice::BadCount { value: "0".into() },
                StateNotice::BadTrack {
                    value: "nope".into()
                },
            ]
        );
        assert!(notices[0].to_string().contains("valence starts at 0.5"));
        let (s, notices) = ViewState::parse("v=0.2&z=1&rr=oops&gx=jazz");
        assert!(s.options.z_score);
        assert_eq!(s.options.exclude_genres, vec!["jazz"]);
        assert_eq!(s.to_query(), "v=0.200&e=0.500&n=10&z=1&gx=jazz");
        assert!(notices[0].to_string().contains("rr=“oops”"));
        let (s, notices) = ViewState::parse("v=0.2&n=51");
        assert_eq!(s.query, QuerySource::Point(Mood::new(0.2, 0.5).unwrap()));
        assert_eq!(s.count, DEFAULT_COUNT);
        assert_eq!(notices.len(), 1);
    }

    #[test]
    fn decodes_escapes() {
        let (s, _) = ViewState::parse("v=%30.25&e=0.75");
        assert_eq!(s.query, QuerySource::Point(Mood::new(0.25, 0.75).unwrap()));
    }
}
