//! ReccoBeats, a free keyless service with Spotify-compatible audio features looked up by
//! Spotify track id: the request paths (at most 40 ids each), its answers matched back to
//! the ids asked for (by each item's Spotify `href`, since tracks it does not know are
//! simply left out), and every way a request can fail, in words for people.

use std::fmt;

use serde::Deserialize;

use crate::mood::Mood;
use crate::spotify_link::parse_track_link;
use crate::track_id::TrackId;

/// Ids ReccoBeats accepts in one request.
pub const MAX_IDS_PER_REQUEST: usize = 40;
/// Wait used when a 429 carries no readable Retry-After.
pub const DEFAULT_WAIT_SECS: u64 = 5;

/// The ids in request-sized batches, in order, without repeats.
pub fn batches(ids: &[TrackId]) -> Vec<Vec<TrackId>> {
    let mut seen = std::collections::HashSet::new();
    let unique: Vec<TrackId> = ids.iter().filter(|id| seen.insert(*id)).cloned().collect();
    unique
        .chunks(MAX_IDS_PER_REQUEST)
        .map(<[TrackId]>::to_vec)
        .collect()
}

fn joined(ids: &[TrackId]) -> String {
    ids.iter()
        .map(TrackId::as_str)
        .collect::<Vec<_>>()
        .join(",")
}

/// `GET` path of the audio features of up to [`MAX_IDS_PER_REQUEST`] tracks.
pub fn audio_features_path(ids: &[TrackId]) -> String {
    format!("/v1/audio-features?ids={}", joined(ids))
}

/// `GET` path of the title, artists and ISRC of up to [`MAX_IDS_PER_REQUEST`] tracks.
pub fn tracks_path(ids: &[TrackId]) -> String {
    format!("/v1/track?ids={}", joined(ids))
}

/// The mood features ReccoBeats gives for one track, on Spotify's scales.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RbFeatures {
    pub mood: Mood,
    pub danceability: Option<f64>,
    pub acousticness: Option<f64>,
    /// Beats per minute.
    pub tempo: Option<f64>,
}

/// What ReccoBeats said about one asked-for track.
#[derive(Debug, Clone, PartialEq)]
pub enum FeaturesOutcome {
    Found(RbFeatures),
    /// Left out of the answer: ReccoBeats has no features for it.
    Unknown,
    /// In the answer, but with values a mood cannot have.
    BadValues {
        detail: String,
    },
}

#[derive(Deserialize)]
struct Content<T> {
    content: Vec<T>,
}

#[derive(Deserialize)]
struct RawFeatures {
    href: String,
    valence: Option<f64>,
    energy: Option<f64>,
    danceability: Option<f64>,
    acousticness: Option<f64>,
    tempo: Option<f64>,
}

fn in_unit(value: Option<f64>) -> Option<f64> {
    value.filter(|x| x.is_finite() && (0.0..=1.0).contains(x))
}

impl RawFeatures {
    fn outcome(&self) -> FeaturesOutcome {
        match (self.valence, self.energy) {
            (Some(valence), Some(energy)) => match Mood::new(valence, energy) {
                Ok(mood) => FeaturesOutcome::Found(RbFeatures {
                    mood,
                    danceability: in_unit(self.danceability),
                    acousticness: in_unit(self.acousticness),
                    tempo: self.tempo.filter(|t| t.is_finite() && *t > 0.0),
                }),
                Err(_) => FeaturesOutcome::BadValues {
                    detail: format!("valence {valence}, energy {energy} are not both from 0 to 1"),
                },
            },
            _ => FeaturesOutcome::BadValues {
                detail: "valence or energy is missing".to_owned(),
            },
        }
    }
}

/// Reads an audio-features answer: one outcome per asked id, in the order asked.
pub fn parse_audio_features(
    body: &str,
    asked: &[TrackId],
) -> Result<Vec<(TrackId, FeaturesOutcome)>, RbFailure> {
    let answer: Content<RawFeatures> =
        serde_json::from_str(body).map_err(|e| RbFailure::BadAnswer {
            detail: e.to_string(),
        })?;
    let mut by_id = std::collections::HashMap::new();
    for item in &answer.content {
        if let Ok(id) = parse_track_link(&item.href) {
            by_id.entry(id).or_insert_with(|| item.outcome());
        }
    }
    Ok(asked
        .iter()
        .map(|id| {
            let outcome = by_id.remove(id).unwrap_or(FeaturesOutcome::Unknown);
            (id.clone(), outcome)
        })
        .collect())
}

/// `POST` path that analyses an uploaded audio file (multipart field [`UPLOAD_FIELD`]).
pub const ANALYSIS_PATH: &str = "/v1/analysis/audio-features";
/// The multipart field that carries the file.
pub const UPLOAD_FIELD: &str = "audioFile";
/// Largest file ReccoBeats analyses (it reads only the first 30 s of it).
pub const MAX_UPLOAD_BYTES: f64 = 5.0 * 1024.0 * 1024.0;

/// Whether a file of `bytes` may be sent; a larger one is refused before any upload.
pub fn check_upload_size(bytes: f64) -> Result<(), RbFailure> {
    if bytes > MAX_UPLOAD_BYTES {
        Err(RbFailure::FileTooLarge)
    } else {
        Ok(())
    }
}

#[derive(Deserialize)]
struct RawFileFeatures {
    valence: Option<f64>,
    energy: Option<f64>,
    danceability: Option<f64>,
    acousticness: Option<f64>,
    tempo: Option<f64>,
}

/// Reads the analysis of an uploaded file: one flat object of features.
pub fn parse_file_features(body: &str) -> Result<FeaturesOutcome, RbFailure> {
    let raw: RawFileFeatures = serde_json::from_str(body).map_err(|e| RbFailure::BadAnswer {
        detail: e.to_string(),
    })?;
    Ok(RawFeatures {
        href: String::new(),
        valence: raw.valence,
        energy: raw.energy,
        danceability: raw.danceability,
        acousticness: raw.acousticness,
        tempo: raw.tempo,
    }
    .outcome())
}

/// Title and artists of a track, from `/v1/track`.
#[derive(Debug, Clone, PartialEq)]
pub struct RbTrack {
    pub id: TrackId,
    pub title: String,
    pub artists: String,
    pub isrc: Option<String>,
    pub popularity: Option<u32>,
}

#[derive(Deserialize)]
struct RawTrack {
    href: String,
    #[serde(rename = "trackTitle")]
    title: String,
    #[serde(default)]
    artists: Vec<RawArtist>,
    #[serde(default)]
    isrc: Option<String>,
    #[serde(default)]
    popularity: Option<u32>,
}

#[derive(Deserialize)]
struct RawArtist {
    name: String,
}

/// Reads a `/v1/track` answer; tracks it does not know are left out.
pub fn parse_tracks(body: &str) -> Result<Vec<RbTrack>, RbFailure> {
    let answer: Content<RawTrack> =
        serde_json::from_str(body).map_err(|e| RbFailure::BadAnswer {
            detail: e.to_string(),
        })?;
    Ok(answer
        .content
        .into_iter()
        .filter_map(|raw| {
            let id = parse_track_link(&raw.href).ok()?;
            Some(RbTrack {
                id,
                title: raw.title,
                artists: raw
                    .artists
                    .into_iter()
                    .map(|a| a.name)
                    .collect::<Vec<_>>()
                    .join(", "),
                isrc: raw.isrc,
                popularity: raw.popularity.filter(|p| *p <= 100),
            })
        })
        .collect())
}

/// Every way a ReccoBeats request can fail, as the person should hear it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RbFailure {
    /// 429: wait this long.
    RateLimited {
        retry_after_secs: u64,
    },
    /// 413 on an audio upload.
    FileTooLarge,
    ServerError {
        status: u16,
    },
    Unexpected {
        status: u16,
    },
    /// No answer reached the page: offline, or the browser blocked it (no CORS headers).
    Network {
        detail: String,
    },
    BadAnswer {
        detail: String,
    },
}

impl fmt::Display for RbFailure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RbFailure::RateLimited { retry_after_secs } => write!(f, "ReccoBeats asks this page to slow down for {retry_after_secs} s."),
            RbFailure::FileTooLarge => write!(f, "ReccoBeats takes audio files of at most 5 MB; this one is larger. Cut or compress it (the first 30 seconds are enough) and try again."),
            RbFailure::ServerError { status } => write!(f, "ReccoBeats had a problem answering (HTTP {status}). Try again in a moment, place the track by hand, or log in with Spotify."),
            RbFailure::Unexpected { status } => write!(f, "ReccoBeats answered with an unexpected HTTP {status}. Place the track by hand, or log in with Spotify."),
            RbFailure::Network { detail } => write!(f, "Could not reach ReccoBeats ({detail}): you may be offline, or the browser blocked the request. Place the track by hand, or log in with Spotify."),
            RbFailure::BadAnswer { detail } => write!(f, "ReccoBeats' answer could not be read ({detail}). Place the track by hand, or log in with Spotify."),
        }
    }
}

impl std::error::Error for RbFailure {}

/// Classifies a non-2xx answer.
pub fn classify(status: u16, retry_after: Option<&str>) -> RbFailure {
    match status {
        429 => RbFailure::RateLimited {
            retry_after_secs: retry_after
                .and_then(|v| v.trim().parse::<u64>().ok())
                .unwrap_or(DEFAULT_WAIT_SECS),
        },
        413 => RbFailure::FileTooLarge,
        500..=599 => RbFailure::ServerError { status },
        _ => RbFailure::Unexpected { status },
    }
}

impl FeaturesOutcome {
    /// Why this outcome gives no mood, in words (`None` when it gives one).
    pub fn why_no_mood(&self) -> Option<String> {
        match self {
            FeaturesOutcome::Found(_) => None,
            FeaturesOutcome::Unknown => Some(UNKNOWN_TRACK.to_owned()),
            FeaturesOutcome::BadValues { detail } => Some(format!(
                "ReccoBeats gave values a mood cannot have ({detail}): place the track by hand or log in with Spotify."
            )),
        }
    }
}

/// What the person is told when ReccoBeats does not know a track.
pub const UNKNOWN_TRACK: &str =
    "ReccoBeats has no features for this track: place it by hand or log in with Spotify.";

#[cfg(test)]
mod tests {
    use super::*;

    fn id(text: &str) -> TrackId {
        TrackId::parse(text).unwrap()
    }

    const RICK: &str = "4uLU6hMCjMI75M1A2tKUQC";
    const KILLERS: &str = "3n3Ppam7vgaVa1iaRUc9Lp";
    const SHAPE: &str = "7qiZfU4dY1lWllzX7mPBI3";

    #[test]
    fn batches_of_forty_without_repeats() {
        let ids: Vec<TrackId> = (0..95)
            .map(|i| id(&format!("{i:0>22}")))
            .chain([id(&format!("{:0>22}", 3))])
            .collect();
        let batches = batches(&ids);
        assert_eq!(
            batches.iter().map(Vec::len).collect::<Vec<_>>(),
            vec![40, 40, 15]
        );
        assert_eq!(
            audio_features_path(&[id(RICK), id(KILLERS)]),
            format!("/v1/audio-features?ids={RICK},{KILLERS}")
        );
        assert_eq!(tracks_path(&[id(RICK)]), format!("/v1/track?ids={RICK}"));
    }

    #[test]
    fn answers_are_matched_by_href_and_left_out_tracks_are_unknown() {
        let body = format!(
            r#"{{"content":[
              {{"id":"a1b2","href":"https://open.spotify.com/track/{SHAPE}","acousticness":0.581,"danceability":0.825,"energy":0.652,"instrumentalness":0,"key":1,"liveness":0.0931,"loudness":-3.183,"mode":0,"speechiness":0.0802,"tempo":95.977,"valence":0.931}},
              {{"id":"c3d4","href":"https://open.spotify.com/track/{RICK}","energy":1.7,"valence":0.9}}
            ]}}"#
        );
        let asked = [id(RICK), id(KILLERS), id(SHAPE)];
        let outcomes = parse_audio_features(&body, &asked).unwrap();
        assert_eq!(outcomes[0].0, id(RICK));
        assert!(matches!(outcomes[0].1, FeaturesOutcome::BadValues { .. }));
        assert_eq!(outcomes[1], (id(KILLERS), FeaturesOutcome::Unknown));
        let FeaturesOutcome::Found(features) = outcomes[2].1 else {
            panic!("{:?}", outcomes[2]);
        };
        assert_eq!(features.mood, Mood::new(0.931, 0.652).unwrap());
        assert_eq!(features.tempo, Some(95.977));
        assert_eq!(features.danceability, Some(0.825));
    }

    #[test]
    fn malformed_answers_are_reported_not_panicked_on() {
        for body in ["", "<html>", r#"{"content":"x"}"#, r#"{"data":[]}"#] {
            assert!(matches!(
                parse_audio_features(body, &[id(RICK)]),
                Err(RbFailure::BadAnswer { .. })
            ));
        }
        let junk_href = r#"{"content":[{"href":"nope","valence":0.5,"energy":0.5}]}"#;
        assert_eq!(
            parse_audio_features(junk_href, &[id(RICK)]).unwrap(),
            vec![(id(RICK), FeaturesOutcome::Unknown)]
        );
    }

    #[test]
    fn tracks_give_titles_and_artists() {
        let body = format!(
            r#"{{"content":[{{"id":"u1","trackTitle":"Shape of You","artists":[{{"id":"a","name":"Ed Sheeran","href":"https://open.spotify.com/artist/x"}}],"durationMs":233712,"isrc":"GBAHS1600463","href":"https://open.spotify.com/track/{SHAPE}","popularity":88}}]}}"#
        );
        assert_eq!(
            parse_tracks(&body).unwrap(),
            vec![RbTrack {
                id: id(SHAPE),
                title: "Shape of You".into(),
                artists: "Ed Sheeran".into(),
                isrc: Some("GBAHS1600463".into()),
                popularity: Some(88),
            }]
        );
    }

    #[test]
    fn audio_files_are_checked_then_read() {
        assert_eq!(check_upload_size(5.0 * 1024.0 * 1024.0), Ok(()));
        assert_eq!(
            check_upload_size(5.0 * 1024.0 * 1024.0 + 1.0),
            Err(RbFailure::FileTooLarge)
        );
        let body = r#"{"acousticness":0.174,"danceability":0.4004,"energy":0.6899,"instrumentalness":0.0309,"liveness":0.1188,"loudness":-6.0411,"speechiness":0.0566,"tempo":147.7849,"valence":0.2747}"#;
        let FeaturesOutcome::Found(features) = parse_file_features(body).unwrap() else {
            panic!("features expected");
        };
        assert_eq!(features.mood, Mood::new(0.2747, 0.6899).unwrap());
        assert!(matches!(
            parse_file_features(r#"{"valence":2,"energy":0.5}"#),
            Ok(FeaturesOutcome::BadValues { .. })
        ));
        assert!(matches!(
            parse_file_features("not json"),
            Err(RbFailure::BadAnswer { .. })
        ));
    }

    #[test]
    fn outcomes_without_a_mood_say_why() {
        assert_eq!(
            FeaturesOutcome::Unknown.why_no_mood().as_deref(),
            Some(UNKNOWN_TRACK)
        );
        let bad = FeaturesOutcome::BadValues {
            detail: "valence 2".into(),
        };
        assert!(bad
            .why_no_mood()
            .unwrap()
            .contains("values a mood cannot have (valence 2)"));
    }

    #[test]
    fn failures_in_words() {
        assert_eq!(
            classify(429, Some("7")),
            RbFailure::RateLimited {
                retry_after_secs: 7
            }
        );
        assert_eq!(
            classify(429, None),
            RbFailure::RateLimited {
                retry_after_secs: DEFAULT_WAIT_SECS
            }
        );
        assert_eq!(classify(413, None), RbFailure::FileTooLarge);
        assert_eq!(classify(503, None), RbFailure::ServerError { status: 503 });
        assert!(RbFailure::Network {
            detail: "TypeError".into()
        }
        .to_string()
        .contains("blocked"));
    }
}
