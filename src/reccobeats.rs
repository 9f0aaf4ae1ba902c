//! ReccoBeats from the page: its build-time address, the person's remembered consent,
//! and the lookup of one track's mood and title. Nothing is sent without consent; the
//! decisions (paths, matching, failures) are the core's (`moodplane_core::sources`).

use std::collections::HashMap;

use gloo_net::http::Request;
use moodplane_core::sources::lookup::{Consent, Found, SourceFailure};
use moodplane_core::sources::reccobeats::{
    audio_features_path, classify, parse_audio_features, parse_tracks, tracks_path,
    FeaturesOutcome, RbFailure, ANALYSIS_PATH, UPLOAD_FIELD,
};
use moodplane_core::sources::MoodSource;
use moodplane_core::spotify::api::TrackInfo;
use moodplane_core::TrackId;

use crate::storage::{local_get, local_set};

/// ReccoBeats' API, or the build's `MOODPLANE_RECCOBEATS_BASE` (never read at run time).
pub const RECCOBEATS_BASE: &str = match option_env!("MOODPLANE_RECCOBEATS_BASE") {
    Some(base) => base,
    None => "https://api.reccobeats.com",
};

/// localStorage key of the person's choice (ask, always, never).
pub const CONSENT_KEY: &str = "moodplane.reccobeats.consent";

/// What the person chose about ReccoBeats in this browser (ask, unless they said).
pub fn consent() -> Consent {
    local_get(CONSENT_KEY).map_or(Consent::Ask, |key| Consent::from_key(&key))
}

/// Remembers the choice; "ask" forgets it.
pub fn set_consent(choice: Consent) {
    // An empty value removes the key: "ask" is the absence of a choice.
    local_set(
        CONSENT_KEY,
        if choice == Consent::Ask {
            ""
        } else {
            choice.key()
        },
    );
}

/// The body of a successful answer, or why there is none.
async fn read_answer(
    sent: Result<gloo_net::http::Response, gloo_net::Error>,
) -> Result<String, RbFailure> {
    let response = sent.map_err(|e| RbFailure::Network {
        detail: e.to_string(),
    })?;
    if !response.ok() {
        let retry_after = response.headers().get("retry-after");
        return Err(classify(response.status(), retry_after.as_deref()));
    }
    response.text().await.map_err(|e| RbFailure::BadAnswer {
        detail: e.to_string(),
    })
}

async fn get(path: &str) -> Result<String, RbFailure> {
    let sent = Request::get(&format!("{RECCOBEATS_BASE}{path}"))
        .header("Accept", "application/json")
        .send()
        .await;
    read_answer(sent).await
}

/// Uploads an audio file for analysis (multipart field `audioFile`).
pub async fn analyse_file(file: &web_sys::File) -> Result<String, RbFailure> {
    let unsupported = |what: &str| RbFailure::Network {
        detail: format!("this browser cannot {what}"),
    };
    let form = web_sys::FormData::new().map_err(|_| unsupported("build an upload"))?;
    form.append_with_blob_and_filename(UPLOAD_FIELD, file, &file.name())
        .map_err(|_| unsupported("attach the file"))?;
    let request = Request::post(&format!("{RECCOBEATS_BASE}{ANALYSIS_PATH}"))
        .body(form)
        .map_err(|e| unsupported(&e.to_string()))?;
    read_answer(request.send().await).await
}

/// One batch (at most 40 ids) of a pasted block: each id's outcome, and the titles
/// ReccoBeats knows ("title — artists"; a failure there only costs the titles).
pub async fn features_batch(
    ids: &[TrackId],
) -> Result<(Vec<(TrackId, FeaturesOutcome)>, HashMap<TrackId, String>), RbFailure> {
    let body = get(&audio_features_path(ids)).await?;
    let outcomes = parse_audio_features(&body, ids)?;
    let titles = match get(&tracks_path(ids)).await {
        Ok(body) => parse_tracks(&body)
            .unwrap_or_default()
            .into_iter()
            .map(|t| (t.id, format!("{} — {}", t.title, t.artists)))
            .collect(),
        Err(_) => HashMap::new(),
    };
    Ok((outcomes, titles))
}

/// The track's title and artists, when ReccoBeats has them (a failure here only costs
/// the title, not the mood).
async fn title(id: &TrackId) -> Option<TrackInfo> {
    let body = get(&tracks_path(std::slice::from_ref(id))).await.ok()?;
    let track = parse_tracks(&body)
        .ok()?
        .into_iter()
        .find(|t| &t.id == id)?;
    Some(TrackInfo {
        id: track.id,
        name: track.title,
        artists: track.artists,
        image_url: None,
        popularity: track.popularity,
    })
}

/// Asks ReccoBeats for one track's mood (and title).
pub async fn look_up(id: &TrackId) -> Result<Found, SourceFailure> {
    let asked = [id.clone()];
    let body = get(&audio_features_path(&asked))
        .await
        .map_err(SourceFailure::ReccoBeats)?;
    let outcome = parse_audio_features(&body, &asked)
        .map_err(SourceFailure::ReccoBeats)?
        .into_iter()
        .next()
        .map_or(FeaturesOutcome::Unknown, |(_, outcome)| outcome);
    let track = title(id).await;
    Ok(match outcome {
        FeaturesOutcome::Found(features) => Found::WithMood {
            track,
            mood: features.mood,
            source: MoodSource::ReccoBeats,
        },
        other => Found::WithoutMood {
            track,
            why: other.why_no_mood().unwrap_or_default(),
        },
    })
}
