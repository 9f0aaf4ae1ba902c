//! The shareable view state kept in the page URL: `?v=0.304&e=0.058&n=5`,
//! `?track=ID&n=5`, every track within a radius `?v=…&e=…&r=0.05`, a region
//! `?lasso=V1,E1;V2,E2;V3,E3;…`, or a journey `?path=V1,E1;V2,E2;…&n=20&gap=3` (n is
//! then the number of waypoints). Parsing never fails: bad parameters become notices
//! and defaults.

use std::fmt;

use crate::journey::{Journey, JourneyRule, MAX_ARTIST_GAP, MIN_ARTIST_GAP};
use crate::journey_path::{MoodPath, PathError, DEFAULT_STOPS, MAX_STOPS, MIN_STOPS};
use crate::mood::Mood;
use crate::options_state::{OptionNotice, OptionsState};
pub use crate::region::Region;
use crate::region::{parse_radius, Lasso};
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
    /// A journey along a path, shown instead of the point's matches.
    pub journey: Option<Journey>,
    /// Every track within a radius of the point, or inside a region, instead of the n
    /// nearest (a journey wins over both).
    pub region: Option<Region>,
}

impl Default for ViewState {
    fn default() -> Self {
        ViewState {
            query: QuerySource::Point(Mood::CENTRE),
            count: DEFAULT_COUNT,
            options: OptionsState::default(),
            journey: None,
            region: None,
        }
    }
}

/// A URL parameter that could not be used, and what was used instead.
#[derive(Debug, Clone, PartialEq)]
pub enum StateNotice {
    BadCoordinate { name: &'static str, value: String },
    BadCount { value: String },
    BadTrack { value: String },
    BadPath { value: String, reason: PathError },
    BadStops { value: String },
    BadArtistGap { value: String },
    BadRadius { value: String },
    BadLasso { value: String, reason: PathError },
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
            StateNotice::BadPath { value, reason } => write!(
                f,
                "The link's path=“{value}” cannot be walked: {reason}; the point is shown instead."
            ),
            StateNotice::BadStops { value } => write!(
                f,
                "The link's n=“{value}” is not a whole number of stops from {MIN_STOPS} to {MAX_STOPS}, so the journey has {DEFAULT_STOPS}."
            ),
            StateNotice::BadArtistGap { value } => write!(
                f,
                "The link's gap=“{value}” is not a whole number from {MIN_ARTIST_GAP} to {MAX_ARTIST_GAP}, so artists are not spaced."
            ),
            StateNotice::BadRadius { value } => write!(
                f,
                "The link's r=“{value}” is not a radius from {} to {}, so the nearest tracks are shown.",
                crate::region::MIN_RADIUS,
                crate::region::MAX_RADIUS
            ),
            StateNotice::BadLasso { value, reason } => write!(
                f,
                "The link's lasso=“{value}” is not a region: {reason}; the point is shown instead."
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

/// A number from 0 to 1 as a link writes it (also the path and region vertices').
pub(crate) fn parse_unit(value: &str) -> Option<f64> {
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
        let mut count_text = None;
        let mut path = None;
        let mut gap_text = None;
        let mut region = None;
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
                // Read once the path is known: n counts matches, or a journey's stops.
                // Notices keep the link's order: n's goes where n stood.
                "n" => count_text = Some((value.clone(), notices.len())),
                "gap" => gap_text = Some((value.clone(), notices.len())),
                "r" => match parse_radius(&value) {
                    // A lasso wins over a radius, whichever comes first.
                    Ok(r) => {
                        if !matches!(region, Some(Region::Lasso(_))) {
                            region = Some(Region::Radius(r));
                        }
                    }
                    Err(_) => notices.push(StateNotice::BadRadius { value: echo() }),
                },
                "lasso" => match Lasso::parse(&value) {
                    Ok(lasso) => region = Some(Region::Lasso(lasso)),
                    Err(reason) => notices.push(StateNotice::BadLasso {
                        value: echo(),
                        reason,
                    }),
                },
                "path" => match MoodPath::parse(&value) {
                    Ok(p) => path = Some(p),
                    Err(reason) => notices.push(StateNotice::BadPath {
                        value: echo(),
                        reason,
                    }),
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
        let whole_in = |text: &str, range: std::ops::RangeInclusive<usize>| {
            text.trim()
                .parse::<usize>()
                .ok()
                .filter(|n| range.contains(n))
        };
        let echo = |text: &str| shorten(text, ECHO_CHARS);
        let mut count = DEFAULT_COUNT;
        let journey = match path {
            Some(path) => {
                let artist_gap = gap_text.and_then(|(text, slot)| {
                    let gap = whole_in(&text, MIN_ARTIST_GAP..=MAX_ARTIST_GAP);
                    if gap.is_none() {
                        notices.insert(slot, StateNotice::BadArtistGap { value: echo(&text) });
                    }
                    gap
                });
                let stops = match count_text {
                    None => DEFAULT_STOPS,
                    Some((text, slot)) => {
                        whole_in(&text, MIN_STOPS..=MAX_STOPS).unwrap_or_else(|| {
                            notices.insert(slot, StateNotice::BadStops { value: echo(&text) });
                            DEFAULT_STOPS
                        })
                    }
                };
                Some(Journey {
                    path,
                    rule: JourneyRule { stops, artist_gap },
                })
            }
            None => {
                if let Some((text, slot)) = count_text {
                    match whole_in(&text, 1..=MAX_COUNT) {
                        Some(n) => count = n,
                        None => notices.insert(slot, StateNotice::BadCount { value: echo(&text) }),
                    }
                }
                None
            }
        };
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
                region: if journey.is_some() { None } else { region },
                journey,
            },
            notices,
        )
    }

    /// The query string (without `?`) that reproduces this state.
    pub fn to_query(&self) -> String {
        let base = match (&self.journey, &self.region, &self.query) {
            (Some(journey), _, _) => journey.to_parameters(),
            (None, Some(Region::Lasso(lasso)), _) => format!("lasso={}", lasso.to_param()),
            (None, Some(Region::Radius(r)), QuerySource::Point(mood)) => {
                format!("v={:.3}&e={:.3}&r={r:.3}", mood.valence, mood.energy)
            }
            (None, Some(Region::Radius(r)), QuerySource::Track(id)) => {
                format!("track={id}&r={r:.3}")
            }
            (None, None, query) => match query {
                QuerySource::Point(mood) => format!(
                    "v={:.3}&e={:.3}&n={}",
                    mood.valence, mood.energy, self.count
                ),
                QuerySource::Track(id) => format!("track={id}&n={}", self.count),
            },
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
    fn a_journey_link_round_trips_and_n_counts_its_stops() {
        let (s, notices) = ViewState::parse("?path=0.9,0.95;0.5,0.5;0.1,0.05&n=64&gap=3&z=1");
        assert!(notices.is_empty(), "{notices:?}");
        let journey = s.journey.clone().unwrap();
        assert_eq!(journey.rule.stops, 64);
        assert_eq!(journey.rule.artist_gap, Some(3));
        assert_eq!(journey.path.vertices().len(), 3);
        assert_eq!(s.count, DEFAULT_COUNT);
        assert_eq!(
            s.to_query(),
            "path=0.900,0.950;0.500,0.500;0.100,0.050&n=64&gap=3&z=1"
        );
        assert_eq!(ViewState::parse(&s.to_query()).0, s);
        // Without n a journey has the default number of stops.
        let (s, _) = ViewState::parse("path=0,0;1,1");
        assert_eq!(s.journey.unwrap().rule.stops, DEFAULT_STOPS);
    }

    #[test]
    fn bad_journey_parameters_explain_themselves() {
        let (s, notices) = ViewState::parse("path=0.1,0.1;2,0.5&n=7");
        assert_eq!(s.journey, None);
        assert_eq!(s.count, 7, "without a path, n counts matches");
        assert_eq!(
            notices[0].to_string(),
            "The link's path=“0.1,0.1;2,0.5” cannot be walked: point 2 (“2,0.5”) is not “valence,energy” with both from 0 to 1; the point is shown instead."
        );
        let (s, notices) = ViewState::parse("path=0.1,0.1;0.5,0.5&n=101&gap=1");
        let journey = s.journey.unwrap();
        assert_eq!(journey.rule.stops, DEFAULT_STOPS);
        assert_eq!(journey.rule.artist_gap, None);
        assert!(notices[0].to_string().contains("n=“101”"), "{}", notices[0]);
        assert!(notices[1].to_string().contains("gap=“1”"), "{}", notices[1]);
        let (s, notices) = ViewState::parse("path=0.5,0.5");
        assert_eq!(s.journey, None);
        assert!(notices[0].to_string().contains("at least two points"));
    }

    #[test]
    fn radius_and_lasso_links_round_trip() {
        let (s, notices) = ViewState::parse("v=0.3&e=0.7&r=0.1234&gx=jazz");
        assert!(notices.is_empty(), "{notices:?}");
        assert_eq!(s.region, Some(Region::Radius(0.123)));
        assert_eq!(s.to_query(), "v=0.300&e=0.700&r=0.123&gx=jazz");
        assert_eq!(ViewState::parse(&s.to_query()).0, s);
        let (s, _) = ViewState::parse("lasso=0.1,0.1;0.5,0.1;0.3,0.4&r=0.2");
        assert!(matches!(s.region, Some(Region::Lasso(_))));
        assert_eq!(s.to_query(), "lasso=0.100,0.100;0.500,0.100;0.300,0.400");
        assert_eq!(ViewState::parse(&s.to_query()).0, s);
        let (s, notices) = ViewState::parse("r=-1&lasso=0.1,0.1;0.2,0.2");
        assert_eq!(s.region, None);
        assert!(
            notices[0].to_string().contains("r=“-1” is not a radius"),
            "{}",
            notices[0]
        );
        assert!(
            notices[1]
                .to_string()
                .contains("a region needs at least three points"),
            "{}",
            notices[1]
        );
    }

    #[test]
    fn decodes_escapes() {
        let (s, _) = ViewState::parse("v=%30.25&e=0.75");
        assert_eq!(s.query, QuerySource::Point(Mood::new(0.25, 0.75).unwrap()));
    }
}
