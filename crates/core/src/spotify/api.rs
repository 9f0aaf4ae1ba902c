//! The Spotify Web API as this page uses it: the answers of /v1/tracks, /v1/audio-features
//! and /v1/me, and every way a call can fail, classified into what a person is told.

use std::fmt;

use serde::Deserialize;

use crate::mood::Mood;
use crate::track_id::TrackId;

/// Longest Retry-After this page waits out by itself with a countdown.
pub const MAX_AUTO_WAIT_SECS: u64 = 60;
/// Wait used when a 429 carries no readable Retry-After.
pub const DEFAULT_WAIT_SECS: u64 = 5;

/// Which call failed, since the same status means different things per endpoint.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Endpoint {
    Me,
    Track,
    AudioFeatures,
    /// Creating a playlist or adding its items (paths from `playlist::PlaylistSave`).
    Playlist,
}

impl Endpoint {
    pub fn path(self, id: Option<&TrackId>) -> String {
        match (self, id) {
            (Endpoint::Me, _) => "/v1/me".to_owned(),
            (Endpoint::Track, Some(id)) => format!("/v1/tracks/{id}"),
            (Endpoint::AudioFeatures, Some(id)) => format!("/v1/audio-features/{id}"),
            (Endpoint::Playlist, _) => "/v1/me/playlists".to_owned(),
            (_, None) => "/v1/me".to_owned(),
        }
    }
}

/// The parts of a /v1/tracks/{id} answer the page shows.
#[derive(Debug, Clone, PartialEq)]
pub struct TrackInfo {
    pub id: TrackId,
    pub name: String,
    pub artists: String,
    pub image_url: Option<String>,
    /// Newer apps get tracks without popularity: that is normal, not an error.
    pub popularity: Option<u32>,
}

#[derive(Deserialize)]
struct RawTrack {
    name: String,
    #[serde(default)]
    artists: Vec<RawName>,
    #[serde(default)]
    album: Option<RawAlbum>,
    #[serde(default)]
    popularity: Option<u32>,
}

#[derive(Deserialize)]
struct RawName {
    name: String,
}

#[derive(Deserialize)]
struct RawAlbum {
    #[serde(default)]
    images: Vec<RawImage>,
}

#[derive(Deserialize)]
struct RawImage {
    url: String,
    #[serde(default)]
    width: Option<u32>,
}

/// The mood features of a track, from /v1/audio-features/{id}.
#[derive(Debug, Clone, Copy, PartialEq, Deserialize)]
pub struct AudioFeatures {
    pub valence: f64,
    pub energy: f64,
    #[serde(default)]
    pub danceability: Option<f64>,
    #[serde(default)]
    pub acousticness: Option<f64>,
    #[serde(default)]
    pub tempo: Option<f64>,
}

impl AudioFeatures {
    /// The track's place on the plane, if its values are in range.
    pub fn mood(&self) -> Option<Mood> {
        Mood::new(self.valence, self.energy).ok()
    }
}

/// Who is logged in, from /v1/me.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct Profile {
    pub id: String,
    #[serde(default)]
    pub display_name: Option<String>,
}

impl Profile {
    pub fn shown_name(&self) -> &str {
        self.display_name
            .as_deref()
            .filter(|n| !n.is_empty())
            .unwrap_or(&self.id)
    }
}

/// An answer that parsed as JSON but not as what was asked for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnexpectedAnswer(pub String);

/// Reads a /v1/tracks/{id} answer; the smallest album image of at least 64 px wins.
pub fn parse_track(id: &TrackId, body: &str) -> Result<TrackInfo, UnexpectedAnswer> {
    let raw: RawTrack = serde_json::from_str(body).map_err(|e| UnexpectedAnswer(e.to_string()))?;
    let mut images = raw.album.map(|a| a.images).unwrap_or_default();
    images.sort_by_key(|i| i.width.unwrap_or(0));
    let image_url = images
        .iter()
        .find(|i| i.width.unwrap_or(0) >= 64)
        .or(images.last())
        .map(|i| i.url.clone());
    Ok(TrackInfo {
        id: id.clone(),
        name: raw.name,
        artists: raw
            .artists
            .into_iter()
            .map(|a| a.name)
            .collect::<Vec<_>>()
            .join(", "),
        image_url,
        popularity: raw.popularity,
    })
}

pub fn parse_audio_features(body: &str) -> Result<AudioFeatures, UnexpectedAnswer> {
    serde_json::from_str(body).map_err(|e| UnexpectedAnswer(e.to_string()))
}

pub fn parse_profile(body: &str) -> Result<Profile, UnexpectedAnswer> {
    serde_json::from_str(body).map_err(|e| UnexpectedAnswer(e.to_string()))
}

/// Every way an API call can fail, as the person should hear it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ApiFailure {
    /// 401: the access token is no longer accepted (refresh once, then log in again).
    Unauthorized,
    /// 403 on audio features: Spotify closed them to apps registered since Nov 2024.
    AudioFeaturesClosed,
    /// 403 elsewhere: a development-mode app answers so to accounts not on its allow-list.
    NotAllowListed,
    /// 403 on a playlist change: the login lacks the playlist scope.
    ScopeRefused,
    /// 404.
    NotFound,
    /// 429 with a wait.
    RateLimited { retry_after_secs: u64 },
    /// 429 with reason QUOTA_EXCEEDED: the app's daily quota is spent.
    QuotaExceeded,
    /// 5xx.
    ServerError { status: u16 },
    /// Any other status.
    Unexpected { status: u16 },
    /// The request never got an answer.
    Network { detail: String },
    /// The answer could not be read.
    BadAnswer { detail: String },
}

impl fmt::Display for ApiFailure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ApiFailure::Unauthorized => write!(f, "Spotify no longer accepts this login. Log in again to carry on."),
            ApiFailure::AudioFeaturesClosed => write!(f, "Spotify does not give this app the track's mood: since November 2024 it refuses audio features (valence, energy) to newly registered apps. The track is shown above; drag the point to where you feel it sits to find its neighbours."),
            ApiFailure::NotAllowListed => write!(f, "Spotify refused the request for this account. This Moodplane uses a Spotify app in development mode, which serves only the (at most five) accounts its owner has added to it. Ask the owner to add your account, or use your own client ID under “Spotify settings”."),
            ApiFailure::ScopeRefused => write!(f, "Spotify refused to change playlists: this login was not given permission for it. Save again and accept the playlist permission on Spotify's page."),
            ApiFailure::NotFound => write!(f, "Spotify has no track with that id. Check the link; it may be from a region-locked or removed track."),
            ApiFailure::RateLimited { retry_after_secs } => write!(f, "Spotify asks this app to slow down for {retry_after_secs} s."),
            ApiFailure::QuotaExceeded => write!(f, "This Spotify app has used up its daily request quota. Lookups will work again tomorrow; meanwhile, tracks in the catalog and dragging work as usual."),
            ApiFailure::ServerError { status } => write!(f, "Spotify had a problem answering (HTTP {status}). Try again in a moment."),
            ApiFailure::Unexpected { status } => write!(f, "Spotify answered with an unexpected HTTP {status}. Try again; if it persists, log out and in."),
            ApiFailure::Network { detail } => write!(f, "Could not reach Spotify ({detail}). Check the connection and retry."),
            ApiFailure::BadAnswer { detail } => write!(f, "Spotify's answer could not be read ({detail})."),
        }
    }
}

impl std::error::Error for ApiFailure {}

#[derive(Deserialize)]
struct ErrorEnvelope {
    error: ErrorObject,
}

#[derive(Deserialize)]
struct ErrorObject {
    #[serde(default)]
    reason: Option<String>,
    #[serde(default)]
    message: Option<String>,
}

/// Classifies a non-2xx answer.
pub fn classify(
    endpoint: Endpoint,
    status: u16,
    retry_after: Option<&str>,
    body: &str,
) -> ApiFailure {
    let error = serde_json::from_str::<ErrorEnvelope>(body)
        .ok()
        .map(|e| e.error);
    let says_quota = error.as_ref().is_some_and(|e| {
        e.reason.as_deref() == Some("QUOTA_EXCEEDED")
            || e.message
                .as_deref()
                .is_some_and(|m| m.contains("QUOTA_EXCEEDED"))
    });
    match status {
        401 => ApiFailure::Unauthorized,
        403 if endpoint == Endpoint::AudioFeatures => ApiFailure::AudioFeaturesClosed,
        403 if endpoint == Endpoint::Playlist
            && error
                .as_ref()
                .and_then(|e| e.message.as_deref())
                .is_some_and(|m| m.to_ascii_lowercase().contains("scope")) =>
        {
            ApiFailure::ScopeRefused
        }
        403 => ApiFailure::NotAllowListed,
        404 => ApiFailure::NotFound,
        429 if says_quota => ApiFailure::QuotaExceeded,
        429 => ApiFailure::RateLimited {
            retry_after_secs: retry_after
                .and_then(|v| v.trim().parse::<u64>().ok())
                .unwrap_or(DEFAULT_WAIT_SECS),
        },
        500..=599 => ApiFailure::ServerError { status },
        _ => ApiFailure::Unexpected { status },
    }
}

/// Whether a rate limit is waited out by a countdown or only reported.
pub fn wait_is_automatic(retry_after_secs: u64) -> bool {
    retry_after_secs <= MAX_AUTO_WAIT_SECS
}

#[cfg(test)]
mod tests {
    use super::*;

    const ID: &str = "0KpfYajJVVGgQ32Dby7e9i";

    #[test]
    fn parses_a_track_with_and_without_popularity() {
        let id = TrackId::parse(ID).unwrap();
        let body = r#"{"id":"0KpfYajJVVGgQ32Dby7e9i","name":"Hey, Soul Sister","popularity":78,
            "artists":[{"name":"Train"},{"name":"Guest"}],
            "album":{"images":[{"url":"https://i.example/640","width":640},{"url":"https://i.example/64","width":64},{"url":"https://i.example/300","width":300}]}}"#;
        let t = parse_track(&id, body).unwrap();
        assert_eq!(t.artists, "Train, Guest");
        assert_eq!(t.image_url.as_deref(), Some("https://i.example/64"));
        assert_eq!(t.popularity, Some(78));
        let t = parse_track(&id, r#"{"name":"X","artists":[],"album":{"images":[]}}"#).unwrap();
        assert_eq!((t.popularity, t.image_url), (None, None));
        assert!(parse_track(&id, r#"{"nope":1}"#).is_err());
    }

    #[test]
    fn parses_features_and_profile() {
        let f = parse_audio_features(
            r#"{"valence":0.768,"energy":0.885,"danceability":0.673,"tempo":97.0}"#,
        )
        .unwrap();
        assert_eq!(f.mood(), Some(Mood::new(0.768, 0.885).unwrap()));
        assert_eq!(f.acousticness, None);
        let p = parse_profile(r#"{"id":"u1","display_name":null}"#).unwrap();
        assert_eq!(p.shown_name(), "u1");
    }

    #[test]
    fn classifies_failures() {
        use ApiFailure::*;
        assert_eq!(classify(Endpoint::Track, 401, None, ""), Unauthorized);
        assert_eq!(
            classify(Endpoint::AudioFeatures, 403, None, ""),
            AudioFeaturesClosed
        );
        assert_eq!(classify(Endpoint::Track, 403, None, ""), NotAllowListed);
        assert_eq!(classify(Endpoint::Me, 403, None, ""), NotAllowListed);
        assert_eq!(
            classify(
                Endpoint::Playlist,
                403,
                None,
                r#"{"error":{"status":403,"message":"Insufficient client scope"}}"#
            ),
            ScopeRefused
        );
        assert_eq!(
            classify(Endpoint::Playlist, 403, None, "{}"),
            NotAllowListed
        );
        assert_eq!(classify(Endpoint::Track, 404, None, ""), NotFound);
        assert_eq!(
            classify(Endpoint::Track, 429, Some("7"), "{}"),
            RateLimited {
                retry_after_secs: 7
            }
        );
        assert_eq!(
            classify(Endpoint::Track, 429, None, ""),
            RateLimited {
                retry_after_secs: DEFAULT_WAIT_SECS
            }
        );
        assert_eq!(
            classify(
                Endpoint::Track,
                429,
                Some("86400"),
                r#"{"error":{"status":429,"message":"Quota exceeded","reason":"QUOTA_EXCEEDED"}}"#
            ),
            QuotaExceeded
        );
        assert_eq!(
            classify(Endpoint::Track, 503, None, ""),
            ServerError { status: 503 }
        );
        assert_eq!(
            classify(Endpoint::Track, 418, None, ""),
            Unexpected { status: 418 }
        );
        assert!(wait_is_automatic(60) && !wait_is_automatic(61));
        assert!(AudioFeaturesClosed.to_string().contains("November 2024"));
    }
}
