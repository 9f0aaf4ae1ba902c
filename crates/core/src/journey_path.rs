//! A mood journey's path across the plane: its vertices (rounded to the shared 1/1000
//! grid, at most [`MAX_VERTICES`]), the waypoints at equal arc-length spacing along it,
//! the smoothing of a freehand stroke into vertices, the URL form `V1,E1;V2,E2;…`, and
//! the named journeys (wind down, warm up, lift me up, cool off).

use std::fmt;

use crate::catalog::Catalog;
use crate::mood::Mood;
use crate::presets::presets;
use crate::query::{PasteError, Query};
use crate::query_string::shorten;
use crate::spotify_link::parse_track_link;
use crate::track_id::TrackId;
use crate::view_state::{parse_unit, ECHO_CHARS};

/// Most vertices a path keeps (and a link may carry).
pub const MAX_VERTICES: usize = 32;
/// Bounds and default of the number of waypoints (and so of tracks) in a journey.
pub const MIN_STOPS: usize = 2;
pub const MAX_STOPS: usize = 100;
pub const DEFAULT_STOPS: usize = 20;

/// A polyline on the plane with at least two vertices, each on the 1/1000 grid.
#[derive(Debug, Clone, PartialEq)]
pub struct MoodPath {
    vertices: Vec<Mood>,
}

/// Why a path could not be made, worded for people.
#[derive(Debug, Clone, PartialEq)]
pub enum PathError {
    TooFewVertices,
    TooFewForRegion,
    TooManyVertices { count: usize },
    BadVertex { position: usize, text: String },
}

impl fmt::Display for PathError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PathError::TooFewVertices => {
                write!(f, "a path needs at least two points")
            }
            PathError::TooFewForRegion => {
                write!(f, "a region needs at least three points")
            }
            PathError::TooManyVertices { count } => write!(
                f,
                "a path has at most {MAX_VERTICES} points, this one has {count}"
            ),
            PathError::BadVertex { position, text } => write!(
                f,
                "point {position} (“{text}”) is not “valence,energy” with both from 0 to 1"
            ),
        }
    }
}

impl std::error::Error for PathError {}

impl MoodPath {
    /// A path through `vertices`, each rounded to the 1/1000 grid.
    pub fn new(vertices: Vec<Mood>) -> Result<MoodPath, PathError> {
        match vertices.len() {
            0 | 1 => Err(PathError::TooFewVertices),
            count if count > MAX_VERTICES => Err(PathError::TooManyVertices { count }),
            _ => Ok(MoodPath {
                vertices: vertices.into_iter().map(Mood::rounded).collect(),
            }),
        }
    }

    pub fn vertices(&self) -> &[Mood] {
        &self.vertices
    }

    pub fn start(&self) -> Mood {
        self.vertices[0]
    }

    pub fn end(&self) -> Mood {
        self.vertices[self.vertices.len() - 1]
    }

    /// Reads the URL form `V1,E1;V2,E2;…` (values 0..1).
    pub fn parse(text: &str) -> Result<MoodPath, PathError> {
        MoodPath::new(parse_vertices(text)?)
    }

    /// The URL form, three decimals per value: [`MoodPath::parse`] reads it back exactly.
    pub fn to_param(&self) -> String {
        vertices_param(&self.vertices)
    }

    /// Total length on the plane.
    pub fn length(&self) -> f64 {
        self.vertices
            .windows(2)
            .map(|w| segment_length(w[0], w[1]))
            .sum()
    }

    /// `count` waypoints at equal arc-length spacing, the first at the start and the last
    /// at the end (`count` is clamped to [`MIN_STOPS`]..=[`MAX_STOPS`]). The arithmetic is
    /// spelled out so that an independent reference can repeat it to the last bit:
    /// waypoint j lies at arc length `total × j / (count − 1)`, on the first segment whose
    /// end reaches that length, at `a + (b − a) × ((target − before) / segment)`, where
    /// segment lengths are `sqrt(dv² + de²)` summed from the start.
    pub fn waypoints(&self, count: usize) -> Vec<Mood> {
        let count = count.clamp(MIN_STOPS, MAX_STOPS);
        let segments: Vec<f64> = self
            .vertices
            .windows(2)
            .map(|w| segment_length(w[0], w[1]))
            .collect();
        let total: f64 = segments.iter().sum();
        let mut waypoints = Vec::with_capacity(count);
        waypoints.push(self.start());
        for j in 1..count - 1 {
            let target = total * j as f64 / (count - 1) as f64;
            waypoints.push(self.point_at(&segments, target));
        }
        waypoints.push(self.end());
        waypoints
    }

    /// The point at arc length `target` from the start.
    fn point_at(&self, segments: &[f64], target: f64) -> Mood {
        let mut before = 0.0;
        for (k, &segment) in segments.iter().enumerate() {
            let after = before + segment;
            if after >= target && segment > 0.0 {
                let (a, b) = (self.vertices[k], self.vertices[k + 1]);
                let t = (target - before) / segment;
                return Mood::clamped(
                    a.valence + (b.valence - a.valence) * t,
                    a.energy + (b.energy - a.energy) * t,
                );
            }
            before = after;
        }
        self.end()
    }

    /// A freehand stroke made into a path: the Ramer–Douglas–Peucker simplification of
    /// its points at the smallest tolerance (from 0.005, doubling: half a percent of the plane,
    /// more than a finger's jitter) that leaves at most
    /// [`MAX_VERTICES`] vertices. What it returns is what the plane draws and the journey
    /// walks, so the smoothing is never hidden.
    pub fn from_stroke(stroke: &[Mood]) -> Result<MoodPath, PathError> {
        let points: Vec<Mood> = dedup_rounded(stroke);
        let mut tolerance = 0.005;
        loop {
            let kept = simplify(&points, tolerance);
            if kept.len() <= MAX_VERTICES {
                return MoodPath::new(kept);
            }
            tolerance *= 2.0;
        }
    }
}

/// The vertices of the URL form `V1,E1;V2,E2;…` (values 0..1, at most [`MAX_VERTICES`]).
pub(crate) fn parse_vertices(text: &str) -> Result<Vec<Mood>, PathError> {
    let pieces: Vec<&str> = text.split(';').filter(|p| !p.trim().is_empty()).collect();
    if pieces.len() > MAX_VERTICES {
        return Err(PathError::TooManyVertices {
            count: pieces.len(),
        });
    }
    pieces
        .iter()
        .enumerate()
        .map(|(i, piece)| {
            parse_vertex(piece).ok_or_else(|| PathError::BadVertex {
                position: i + 1,
                text: shorten(piece, ECHO_CHARS),
            })
        })
        .collect()
}

/// The URL form of vertices, three decimals per value.
pub(crate) fn vertices_param(vertices: &[Mood]) -> String {
    vertices
        .iter()
        .map(|m| format!("{:.3},{:.3}", m.valence, m.energy))
        .collect::<Vec<_>>()
        .join(";")
}

fn parse_vertex(piece: &str) -> Option<Mood> {
    let (v, e) = piece.split_once(',')?;
    Some(Mood::clamped(parse_unit(v)?, parse_unit(e)?))
}

fn segment_length(a: Mood, b: Mood) -> f64 {
    let dv = b.valence - a.valence;
    let de = b.energy - a.energy;
    (dv * dv + de * de).sqrt()
}

/// The stroke's points on the 1/1000 grid, without consecutive repeats.
fn dedup_rounded(stroke: &[Mood]) -> Vec<Mood> {
    let mut points: Vec<Mood> = stroke.iter().map(|m| m.rounded()).collect();
    points.dedup();
    points
}

/// Distance from `p` to the segment a–b.
fn distance_to_segment(p: Mood, a: Mood, b: Mood) -> f64 {
    let (dv, de) = (b.valence - a.valence, b.energy - a.energy);
    let length2 = dv * dv + de * de;
    let t = if length2 == 0.0 {
        0.0
    } else {
        (((p.valence - a.valence) * dv + (p.energy - a.energy) * de) / length2).clamp(0.0, 1.0)
    };
    let (cv, ce) = (a.valence + dv * t, a.energy + de * t);
    ((p.valence - cv).powi(2) + (p.energy - ce).powi(2)).sqrt()
}

/// Ramer–Douglas–Peucker: keeps the ends and every point farther than `tolerance` from
/// the line through its kept neighbours (iterative, so a long stroke cannot overflow).
fn simplify(points: &[Mood], tolerance: f64) -> Vec<Mood> {
    if points.len() <= 2 {
        return points.to_vec();
    }
    let mut keep = vec![false; points.len()];
    keep[0] = true;
    keep[points.len() - 1] = true;
    let mut spans = vec![(0, points.len() - 1)];
    while let Some((first, last)) = spans.pop() {
        let farthest = (first + 1..last)
            .map(|i| {
                (
                    distance_to_segment(points[i], points[first], points[last]),
                    i,
                )
            })
            .max_by(|a, b| a.0.total_cmp(&b.0));
        if let Some((distance, i)) = farthest {
            if distance > tolerance {
                keep[i] = true;
                spans.push((first, i));
                spans.push((i, last));
            }
        }
    }
    points
        .iter()
        .zip(keep)
        .filter_map(|(p, k)| k.then_some(*p))
        .collect()
}

/// Typed text that is not a number of stops.
#[derive(Debug, Clone, PartialEq)]
pub struct StopsError {
    pub typed: String,
}

impl fmt::Display for StopsError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "“{}” is not a whole number of stops from {MIN_STOPS} to {MAX_STOPS}.",
            self.typed
        )
    }
}

impl std::error::Error for StopsError {}

/// The number of stops typed into the journey's field.
pub fn parse_stops(typed: &str) -> Result<usize, StopsError> {
    typed
        .trim()
        .parse::<usize>()
        .ok()
        .filter(|n| (MIN_STOPS..=MAX_STOPS).contains(n))
        .ok_or_else(|| StopsError {
            typed: shorten(typed, ECHO_CHARS),
        })
}

/// Which end of a journey a pasted link was meant for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum End {
    Start,
    Finish,
}

/// A pasted end of a journey that could not be placed.
#[derive(Debug, Clone, PartialEq)]
pub struct EndError {
    pub end: End,
    pub error: PasteError,
}

impl fmt::Display for EndError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let which = self.end.label();
        match &self.error {
            PasteError::NotInCatalog { id, .. } => write!(
                f,
                "{which}: track {id} is not in this catalog. Click where you feel it sits on the plane to place that end by hand."
            ),
            other => write!(f, "{which}: {other}"),
        }
    }
}

impl std::error::Error for EndError {}

impl End {
    /// The end as its field is labelled.
    pub fn label(self) -> &'static str {
        match self {
            End::Start => "Start",
            End::Finish => "End",
        }
    }
}

/// A straight journey from one pasted catalog track to another.
pub fn path_between_tracks(
    catalog: &Catalog,
    start: &str,
    finish: &str,
) -> Result<MoodPath, EndError> {
    let place = |text: &str, end: End| {
        Query::from_pasted(catalog, text)
            .map(|q| q.mood)
            .map_err(|error| EndError { end, error })
    };
    let from = place(start, End::Start)?;
    let to = place(finish, End::Finish)?;
    Ok(straight_path(from, to))
}

/// A straight journey between two moods, kept as a shared link keeps them.
pub fn straight_path(from: Mood, to: Mood) -> MoodPath {
    // Two vertices always make a path.
    MoodPath {
        vertices: vec![from.rounded(), to.rounded()],
    }
}

/// The track ids of a journey's two pasted ends, before either is looked for (over a
/// catalog read tile by tile, in its id shards); the first end that holds no track
/// link is the error.
pub fn end_ids(start: &str, finish: &str) -> Result<[TrackId; 2], EndError> {
    let read = |text: &str, end: End| {
        parse_track_link(text).map_err(|error| EndError {
            end,
            error: PasteError::Link(error),
        })
    };
    Ok([read(start, End::Start)?, read(finish, End::Finish)?])
}

/// Why an end of a journey between two tracks of a tiled catalog was not placed.
#[derive(Debug, Clone, PartialEq)]
pub enum TiledEndError {
    /// Its link holds no track, or the catalog has no such track.
    Placed(EndError),
    /// The id shard that would say where its track lies could not be read (`reason`, a
    /// sentence).
    Unreadable { end: End, reason: String },
}

impl fmt::Display for TiledEndError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            TiledEndError::Placed(error) => error.fmt(f),
            TiledEndError::Unreadable { end, reason } => {
                write!(f, "{}: {reason} Walk again to retry.", end.label())
            }
        }
    }
}

impl std::error::Error for TiledEndError {}

/// The straight journey between two ends of a tiled catalog, from what their id shards
/// said of `ids` (in order: start, end): each found at a mood, not there (of a catalog of
/// `catalog_len` tracks), or not readable (the reason, a sentence). The start's trouble
/// is told first.
pub fn path_between_found(
    ids: &[TrackId; 2],
    found: [Result<Option<Mood>, String>; 2],
    catalog_len: usize,
) -> Result<MoodPath, TiledEndError> {
    let [start, finish] = found;
    let from = place_end(End::Start, &ids[0], start, catalog_len)?;
    let to = place_end(End::Finish, &ids[1], finish, catalog_len)?;
    Ok(straight_path(from, to))
}

/// An end's mood from what its id shard said.
fn place_end(
    end: End,
    id: &TrackId,
    found: Result<Option<Mood>, String>,
    catalog_len: usize,
) -> Result<Mood, TiledEndError> {
    match found {
        Ok(Some(mood)) => Ok(mood),
        Ok(None) => Err(TiledEndError::Placed(EndError {
            end,
            error: PasteError::NotInCatalog {
                id: id.clone(),
                catalog_len,
            },
        })),
        Err(reason) => Err(TiledEndError::Unreadable { end, reason }),
    }
}

/// A named journey between two of the named moods.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct JourneyPreset {
    pub name: &'static str,
    pub from: Mood,
    pub to: Mood,
}

/// (name, from mood, to mood), by the names of [`crate::presets`].
const JOURNEYS: [(&str, &str, &str); 4] = [
    ("wind down", "excited", "calm"),
    ("warm up", "calm", "excited"),
    ("lift me up", "sad", "happy"),
    ("cool off", "angry", "relaxed"),
];

/// The named journeys, each a straight path between two named moods.
pub fn journey_presets() -> Vec<JourneyPreset> {
    let mood_of = |name: &str| {
        presets()
            .into_iter()
            .find(|p| p.name == name)
            .map_or(Mood::CENTRE, |p| p.mood)
    };
    JOURNEYS
        .iter()
        .map(|&(name, from, to)| JourneyPreset {
            name,
            from: mood_of(from),
            to: mood_of(to),
        })
        .collect()
}

impl JourneyPreset {
    pub fn path(&self) -> MoodPath {
        MoodPath {
            vertices: vec![self.from, self.to],
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn m(v: f64, e: f64) -> Mood {
        Mood::new(v, e).unwrap()
    }

    #[test]
    fn waypoints_are_evenly_spaced_by_arc_length() {
        // An L: 0.6 across, then 0.2 up; 5 waypoints every 0.2.
        let path = MoodPath::new(vec![m(0.1, 0.1), m(0.7, 0.1), m(0.7, 0.3)]).unwrap();
        let w = path.waypoints(5);
        let expected = [(0.1, 0.1), (0.3, 0.1), (0.5, 0.1), (0.7, 0.1), (0.7, 0.3)];
        assert_eq!(w.len(), 5);
        for (got, (v, e)) in w.iter().zip(expected) {
            assert!((got.valence - v).abs() < 1e-12, "{got:?}");
            assert!((got.energy - e).abs() < 1e-12, "{got:?}");
        }
        assert_eq!(w[0], path.start());
        assert_eq!(w[4], path.end());
    }

    #[test]
    fn a_path_of_no_length_puts_every_waypoint_on_its_point() {
        let path = MoodPath::new(vec![m(0.4, 0.4), m(0.4, 0.4)]).unwrap();
        assert_eq!(path.waypoints(4), vec![m(0.4, 0.4); 4]);
    }

    #[test]
    fn stops_are_clamped_to_their_bounds() {
        let path = MoodPath::new(vec![m(0.0, 0.0), m(1.0, 1.0)]).unwrap();
        assert_eq!(path.waypoints(0).len(), MIN_STOPS);
        assert_eq!(path.waypoints(1000).len(), MAX_STOPS);
    }

    #[test]
    fn the_url_form_round_trips_and_rounds() {
        let path = MoodPath::parse("0.9,0.95;0.5,0.5;0.1234,0.05").unwrap();
        assert_eq!(path.to_param(), "0.900,0.950;0.500,0.500;0.123,0.050");
        assert_eq!(MoodPath::parse(&path.to_param()).unwrap(), path);
    }

    #[test]
    fn bad_paths_say_what_is_wrong() {
        assert_eq!(MoodPath::parse("0.5,0.5"), Err(PathError::TooFewVertices));
        assert_eq!(MoodPath::parse(""), Err(PathError::TooFewVertices));
        let err = MoodPath::parse("0.1,0.1;1.5,0.2").unwrap_err();
        assert_eq!(
            err.to_string(),
            "point 2 (“1.5,0.2”) is not “valence,energy” with both from 0 to 1"
        );
        assert!(MoodPath::parse("0.1;0.2").is_err());
        assert!(MoodPath::parse("NaN,0.1;0.2,0.2").is_err());
        let many = vec!["0.1,0.1"; 33].join(";");
        assert_eq!(
            MoodPath::parse(&many),
            Err(PathError::TooManyVertices { count: 33 })
        );
    }

    #[test]
    fn a_stroke_is_smoothed_to_at_most_the_vertex_cap() {
        // A zigzag of 500 points cannot keep them all.
        let stroke: Vec<Mood> = (0..500)
            .map(|i| m(i as f64 / 500.0, if i % 2 == 0 { 0.2 } else { 0.8 }))
            .collect();
        let path = MoodPath::from_stroke(&stroke).unwrap();
        assert!(path.vertices().len() <= MAX_VERTICES);
        assert_eq!(path.start(), stroke[0]);
        assert_eq!(path.end(), stroke[499]);
    }

    #[test]
    fn a_straight_stroke_becomes_one_segment() {
        let stroke: Vec<Mood> = (0..=100).map(|i| m(i as f64 / 100.0, 0.5)).collect();
        let path = MoodPath::from_stroke(&stroke).unwrap();
        assert_eq!(path.vertices(), &[m(0.0, 0.5), m(1.0, 0.5)]);
    }

    #[test]
    fn a_corner_is_kept() {
        let mut stroke: Vec<Mood> = (0..=50).map(|i| m(0.2 + i as f64 / 100.0, 0.2)).collect();
        stroke.extend((1..=50).map(|i| m(0.7, 0.2 + i as f64 / 100.0)));
        let path = MoodPath::from_stroke(&stroke).unwrap();
        assert_eq!(path.vertices(), &[m(0.2, 0.2), m(0.7, 0.2), m(0.7, 0.7)]);
    }

    #[test]
    fn a_dot_is_not_a_path() {
        assert_eq!(
            MoodPath::from_stroke(&[m(0.3, 0.3), m(0.3, 0.3)]),
            Err(PathError::TooFewVertices)
        );
    }

    #[test]
    fn two_pasted_tracks_make_a_straight_path() {
        use crate::catalog::{ExtraFeatures, TrackRecord};
        use crate::track_id::TrackId;
        let record = |id: &str, v, e| TrackRecord {
            id: TrackId::parse(id).unwrap(),
            name: "n".into(),
            artist: "a".into(),
            genre: "g".into(),
            mood: m(v, e),
            extras: ExtraFeatures::default(),
        };
        let catalog = Catalog::from_records(
            "test",
            vec![
                record("0KpfYajJVVGgQ32Dby7e9i", 0.9, 0.8),
                record("1KpfYajJVVGgQ32Dby7e9i", 0.2, 0.1),
            ],
        )
        .0;
        let path = path_between_tracks(
            &catalog,
            "https://open.spotify.com/track/0KpfYajJVVGgQ32Dby7e9i",
            "spotify:track:1KpfYajJVVGgQ32Dby7e9i",
        )
        .unwrap();
        assert_eq!(path.vertices(), &[m(0.9, 0.8), m(0.2, 0.1)]);
        let missing = path_between_tracks(
            &catalog,
            "spotify:track:0KpfYajJVVGgQ32Dby7e9i",
            "spotify:track:2KpfYajJVVGgQ32Dby7e9i",
        )
        .unwrap_err();
        assert_eq!(missing.end, End::Finish);
        assert!(missing
            .to_string()
            .starts_with("End: track 2KpfYajJVVGgQ32Dby7e9i is not in this catalog."));
        let bad = path_between_tracks(&catalog, "hello", "").unwrap_err();
        assert_eq!(bad.end, End::Start);
        assert!(bad.to_string().starts_with("Start: "), "{bad}");
    }

    #[test]
    fn ends_over_tiles_are_read_first_then_placed_by_what_their_shards_said() {
        let [a, b] = end_ids(
            "https://open.spotify.com/track/0KpfYajJVVGgQ32Dby7e9i?si=x",
            "spotify:track:1KpfYajJVVGgQ32Dby7e9i",
        )
        .unwrap();
        assert_eq!(a.to_string(), "0KpfYajJVVGgQ32Dby7e9i");
        assert_eq!(b.to_string(), "1KpfYajJVVGgQ32Dby7e9i");
        // The first end that is no link is the error, before any shard is read.
        let bad = end_ids("spotify:track:0KpfYajJVVGgQ32Dby7e9i", "hello").unwrap_err();
        assert_eq!(bad.end, End::Finish);
        assert!(bad.to_string().starts_with("End: "), "{bad}");
        assert_eq!(end_ids("", "").unwrap_err().end, End::Start);

        let ids = [a, b];
        let path = path_between_found(&ids, [Ok(Some(m(0.91234, 0.8))), Ok(Some(m(0.2, 0.1)))], 9)
            .unwrap();
        assert_eq!(path.vertices(), &[m(0.91234, 0.8).rounded(), m(0.2, 0.1)]);
        let missing =
            path_between_found(&ids, [Ok(Some(m(0.2, 0.1))), Ok(None)], 1_200_000).unwrap_err();
        assert!(missing
            .to_string()
            .starts_with("End: track 1KpfYajJVVGgQ32Dby7e9i is not in this catalog."));
        let unreadable =
            path_between_found(&ids, [Err("The server answered 503.".into()), Ok(None)], 9)
                .unwrap_err();
        assert_eq!(
            unreadable.to_string(),
            "Start: The server answered 503. Walk again to retry."
        );
    }

    #[test]
    fn typed_stops_are_checked() {
        assert_eq!(parse_stops(" 40 "), Ok(40));
        assert_eq!(parse_stops("2"), Ok(2));
        assert_eq!(
            parse_stops("1").unwrap_err().to_string(),
            "“1” is not a whole number of stops from 2 to 100."
        );
        assert!(parse_stops("101").is_err());
        assert!(parse_stops("ten").is_err());
    }

    #[test]
    fn named_journeys_go_between_named_moods() {
        let all = journey_presets();
        let wind_down = all.iter().find(|j| j.name == "wind down").unwrap();
        assert!(wind_down.from.energy > 0.7 && wind_down.to.energy < 0.3);
        let lift = all.iter().find(|j| j.name == "lift me up").unwrap();
        assert!(lift.from.valence < 0.3 && lift.to.valence > 0.7);
        assert_eq!(all.len(), 4);
    }
}
