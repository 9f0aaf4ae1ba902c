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

use crate::query_string::{parameters, shorten};

/// Longest echo of a link's value in a notice: a crafted link cannot fill the page.
pub const ECHO_CHARS: usize = 40;
/// Notices shown at once; the rest are summed up in one line.
pub const MAX_NOTICES_SHOWN: usize = 8;

fn parse_unit(value: &str) -> Option<f64> {
    let x: f64 = value.trim().parse().ok()?;
    (x.is_finite() && (0.0..=1.0).contains(&x)).then_some(x)
}

/// The notices to show: at most [`MAX_NOTICES_SHOWN`], then one “and N more” line.
pub fn shown_notices(notices: Vec<String>) -> Vec<String> {
    let total = notices.len();
    if total <= MAX_NOTICES_SHOWN {
        return notices;
    }
    let mut shown: Vec<String> = notices.into_iter().take(MAX_NOTICES_SHOWN - 1).collect();
    shown.push(format!(
        "…and {} more problems with this link.",
        total - (MAX_NOTICES_SHOWN - 1)
    ));
    shown
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
        for parameter in parameters(search) {
            let value = parameter.value();
            let echo = || shorten(&value, ECHO_CHARS);
            match parameter.key.as_str() {
                key @ ("v" | "e") => match parse_unit(&value) {
                    Some(x) if key == "v" => valence = Some(x),
                    Some(x) => energy = Some(x),
                    None => notices.push(StateNotice::BadCoordinate {
                        name: if key == "v" { "v" } else { "e" },
                        value: echo(),
                    }),
                },
                "n" => match value.trim().parse::<usize>() {
                    Ok(n) if (1..=MAX_COUNT).contains(&n) => count = n,
                    _ => notices.push(StateNotice::BadCount { value: echo() }),
                },
                "track" => match TrackId::parse(value.trim()) {
                    Ok(id) => track = Some(id),
                    Err(_) => notices.push(StateNotice::BadTrack { value: echo() }),
                },
                _ => {
                    options.read_parameter(&parameter, &mut option_notices);
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

    /// Reported: `gi=a,a,a,…` of about 2 MB made a million notices and froze the page.
    #[test]
    fn a_huge_link_gives_few_short_notices() {
        let search = format!(
            "w={}&v={}",
            vec!["bad:9"; 500_000].join(","),
            "x".repeat(5000)
        );
        let (state, notices) = ViewState::parse(&search);
        assert_eq!(state, ViewState::default());
        assert!(
            notices.len() <= crate::options_state::MAX_ITEMS + 2,
            "{}",
            notices.len()
        );
        assert!(notices.iter().all(|n| n.to_string().chars().count() < 200));
        let texts: Vec<String> = notices.iter().map(|n| n.to_string()).collect();
        let shown = shown_notices(texts);
        assert_eq!(shown.len(), MAX_NOTICES_SHOWN);
        assert!(shown.last().unwrap().contains("more problems"), "{shown:?}");
        let genres = format!("gi={}", vec!["a"; 1_000_000].join(","));
        let (state, notices) = ViewState::parse(&genres);
        assert_eq!(
            state.options.include_genres.len(),
            crate::options_state::MAX_ITEMS
        );
        assert_eq!(notices.len(), 1);
        assert!(
            notices[0].to_string().contains("1,000,000 items"),
            "{}",
            notices[0]
        );
    }

    #[test]
    fn malformed_escapes_are_read_without_panicking() {
        let (s, notices) = ViewState::parse("v=%aé&e=%€&n=%+1&gi=%F0%9F");
        assert_eq!(s.query, QuerySource::Point(Mood::CENTRE));
        assert_eq!(notices.len(), 3);
        assert!(notices[2].to_string().contains("n=“% 1”"), "{}", notices[2]);
    }

    #[test]
    fn decodes_escapes() {
        let (s, _) = ViewState::parse("v=%30.25&e=0.75");
        assert_eq!(s.query, QuerySource::Point(Mood::new(0.25, 0.75).unwrap()));
    }
}
