//! What the ranking is asked about right now: a mood, and the catalog track it came from
//! if any. Converts between user actions (paste, keys, shared links) and that query.

use std::fmt;

use crate::catalog::Catalog;
use crate::mood::Mood;
use crate::options_state::OptionsState;
use crate::spotify_link::{parse_track_link, LinkError};
use crate::track_id::TrackId;
use crate::view_state::{QuerySource, ViewState, MAX_COUNT};

/// The current query: where the point is, and which catalog track it stands for.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Query {
    pub mood: Mood,
    /// The catalog index of the query track; excluded from its own results.
    pub track: Option<usize>,
}

/// What a page opened from a link to a track its catalog lacks says.
pub fn linked_track_missing(id: &TrackId) -> String {
    format!("The link's track {id} is not in this catalog, so the point starts at the centre.")
}

/// What a page opened from a link to a track says when the track's id index (its id
/// shard) could not be read, `why` saying what went wrong.
pub fn linked_track_unreadable(id: &TrackId, why: &str) -> String {
    format!(
        "The link's track {id} could not be looked up, so the point starts at the centre: {why}"
    )
}

/// Why pasted text did not become a query.
#[derive(Debug, Clone, PartialEq)]
pub enum PasteError {
    Link(LinkError),
    NotInCatalog { id: TrackId, catalog_len: usize },
}

impl fmt::Display for PasteError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PasteError::Link(error) => error.fmt(f),
            PasteError::NotInCatalog { id, catalog_len } => write!(
                f,
                "Track {id} is a valid Spotify track, but it is not among the {} tracks of this catalog. Drag the point to where you feel it sits to find its neighbours.",
                group_thousands(*catalog_len)
            ),
        }
    }
}

/// Why a typed match count is not usable.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CountError {
    pub typed: String,
}

impl fmt::Display for CountError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "“{}” is not a whole number from 1 to {MAX_COUNT}; still showing the previous number of matches.",
            self.typed
        )
    }
}

/// Parses the “how many matches” field.
pub fn parse_count(typed: &str) -> Result<usize, CountError> {
    match typed.trim().parse::<usize>() {
        Ok(n) if (1..=MAX_COUNT).contains(&n) => Ok(n),
        _ => Err(CountError {
            typed: typed.to_owned(),
        }),
    }
}

/// `11151` → `"11,151"`, for counts shown to people.
pub fn group_thousands(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, ch) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(ch);
    }
    out
}

/// The point moves this far per arrow key press, or ten times as far with Shift.
pub const KEY_STEP: f64 = 0.01;

/// The (valence, energy) step of an arrow key, or None for other keys.
pub fn arrow_key_step(key: &str, large: bool) -> Option<(f64, f64)> {
    let step = if large { KEY_STEP * 10.0 } else { KEY_STEP };
    match key {
        "ArrowLeft" => Some((-step, 0.0)),
        "ArrowRight" => Some((step, 0.0)),
        "ArrowUp" => Some((0.0, step)),
        "ArrowDown" => Some((0.0, -step)),
        _ => None,
    }
}

impl Query {
    /// A free point (no query track), rounded to the 1/1000 grid that links share, so a
    /// shared link reproduces exactly the same ranking.
    pub fn at(mood: Mood) -> Query {
        Query {
            mood: mood.rounded(),
            track: None,
        }
    }

    /// The query for catalog track `index`.
    pub fn for_track(catalog: &Catalog, index: usize) -> Query {
        Query {
            mood: catalog.track(index).mood,
            track: Some(index),
        }
    }

    /// This query moved by an arrow key; moving frees it from its track.
    pub fn nudged(self, d_valence: f64, d_energy: f64) -> Query {
        Query::at(self.mood.nudged(d_valence, d_energy))
    }

    /// Turns pasted text into the query for that catalog track.
    pub fn from_pasted(catalog: &Catalog, text: &str) -> Result<Query, PasteError> {
        let id = parse_track_link(text).map_err(PasteError::Link)?;
        match catalog.index_of(&id) {
            Some(index) => Ok(Query::for_track(catalog, index)),
            None => Err(PasteError::NotInCatalog {
                id,
                catalog_len: catalog.len(),
            }),
        }
    }

    /// Restores a query from a shared link's state; a track the catalog lacks becomes a
    /// notice and the centre.
    pub fn from_view_state(catalog: &Catalog, state: &ViewState) -> (Query, Option<String>) {
        match &state.query {
            QuerySource::Point(mood) => (Query::at(*mood), None),
            QuerySource::Track(id) => match catalog.index_of(id) {
                Some(index) => (Query::for_track(catalog, index), None),
                None => (Query::at(Mood::CENTRE), Some(linked_track_missing(id))),
            },
        }
    }

    /// The shareable state for this query and match count.
    pub fn to_view_state(
        self,
        catalog: &Catalog,
        count: usize,
        options: OptionsState,
    ) -> ViewState {
        let query = match self.track {
            Some(index) => QuerySource::Track(catalog.track(index).id.clone()),
            None => QuerySource::Point(self.mood),
        };
        ViewState {
            query,
            count,
            options,
            journey: None,
            region: None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::{ExtraFeatures, TrackRecord};

    const ID_A: &str = "0KpfYajJVVGgQ32Dby7e9i";
    const ID_B: &str = "6Zewjs7at1sPyc03lUoAHB";

    fn catalog() -> Catalog {
        let record = |id: &str, v, e| TrackRecord {
            id: TrackId::parse(id).unwrap(),
            name: "n".into(),
            artist: "a".into(),
            genre: "g".into(),
            mood: Mood::new(v, e).unwrap(),
            extras: ExtraFeatures::default(),
        };
        Catalog::from_records(
            "t",
            vec![record(ID_A, 0.768, 0.885), record(ID_B, 0.567, 0.647)],
        )
        .0
    }

    #[test]
    fn paste_of_a_catalog_track_excludes_it() {
        let c = catalog();
        let q =
            Query::from_pasted(&c, &format!("https://open.spotify.com/track/{ID_B}?si=x")).unwrap();
        assert_eq!(q.track, Some(1));
        assert_eq!(q.mood, Mood::new(0.567, 0.647).unwrap());
        assert_eq!(
            q.to_view_state(&c, 5, OptionsState::default()).to_query(),
            format!("track={ID_B}&n=5")
        );
    }

    #[test]
    fn paste_errors_are_specific() {
        let c = catalog();
        let err = Query::from_pasted(&c, "spotify:track:1111111111111111111111").unwrap_err();
        assert!(err.to_string().contains("not among the 2 tracks"));
        let err = Query::from_pasted(&c, "https://open.spotify.com/album/1111111111111111111111")
            .unwrap_err();
        assert_eq!(
            err,
            PasteError::Link(LinkError::NotATrack {
                kind: "album".into()
            })
        );
    }

    #[test]
    fn nudging_rounds_and_frees_the_track() {
        let c = catalog();
        let q = Query::for_track(&c, 0).nudged(0.01, -0.01);
        assert_eq!(
            q,
            Query {
                mood: Mood::new(0.778, 0.875).unwrap(),
                track: None
            }
        );
    }

    #[test]
    fn view_state_round_trip_and_unknown_track() {
        let c = catalog();
        let (state, _) = ViewState::parse(&format!("track={ID_A}&n=3"));
        assert_eq!(
            Query::from_view_state(&c, &state),
            (Query::for_track(&c, 0), None)
        );
        let (state, _) = ViewState::parse("track=1111111111111111111111");
        let (q, notice) = Query::from_view_state(&c, &state);
        assert_eq!(q, Query::at(Mood::CENTRE));
        assert!(notice.unwrap().contains("not in this catalog"));
    }

    #[test]
    fn counts_keys_and_thousands() {
        assert_eq!(parse_count(" 7 "), Ok(7));
        assert!(parse_count("0").is_err());
        assert!(parse_count("51").is_err());
        assert!(parse_count("ten")
            .unwrap_err()
            .to_string()
            .contains("“ten”"));
        assert_eq!(arrow_key_step("ArrowUp", false), Some((0.0, 0.01)));
        assert_eq!(arrow_key_step("ArrowLeft", true), Some((-0.1, 0.0)));
        assert_eq!(arrow_key_step("a", false), None);
        assert_eq!(group_thousands(11151), "11,151");
        assert_eq!(group_thousands(999), "999");
        assert_eq!(group_thousands(1_200_000), "1,200,000");
    }
}
