//! Looking up a pasted track that is not in the catalog: its name, artists and art from
//! /v1/tracks, its mood from /v1/audio-features, each id fetched once per page session.
//! Every failure ends in a message and a way forward (retry, log in, place by hand), and
//! a rate limit is waited out with a visible, cancellable countdown.

use std::collections::HashMap;
use std::time::Duration;

use leptos::prelude::*;
use leptos::task::spawn_local;
use moodplane_core::spotify::api::{
    parse_audio_features, parse_track, wait_is_automatic, ApiFailure, AudioFeatures, Endpoint,
    TrackInfo,
};
use moodplane_core::{Query, TrackId};

use super::client;
use super::login_status::SpotifyContext;

/// Automatic retries after rate limits, per lookup.
const MAX_AUTOMATIC_RETRIES: u32 = 3;

#[derive(Debug, Clone, PartialEq)]
pub enum LookupState {
    Idle,
    /// Not logged in: the paste waits for a login.
    NeedsLogin {
        id: TrackId,
        pasted: String,
    },
    Loading {
        id: TrackId,
    },
    /// Rate limited: retrying when the countdown ends, unless cancelled.
    Waiting {
        id: TrackId,
        seconds_left: u64,
    },
    /// Found with its mood: the point moved there.
    Placed {
        track: TrackInfo,
        features: AudioFeatures,
    },
    /// Found, but Spotify gave no mood: the person places it by dragging.
    PlaceByHand {
        track: TrackInfo,
        why: String,
    },
    Failed {
        id: TrackId,
        message: String,
        can_retry: bool,
        needs_login: bool,
    },
}

/// What a finished lookup found, kept so an id is fetched once.
#[derive(Clone)]
enum Found {
    WithMood(TrackInfo, AudioFeatures),
    WithoutMood(TrackInfo, ApiFailure),
}

#[derive(Clone, Copy)]
pub struct Lookup {
    pub state: RwSignal<LookupState>,
    found: StoredValue<HashMap<TrackId, Found>>,
    /// Bumped by every new lookup or cancel; late answers of older ones are ignored.
    generation: StoredValue<u64>,
    query: RwSignal<Query>,
    spotify: SpotifyContext,
}

async fn fetch(id: &TrackId) -> Result<Found, ApiFailure> {
    let body = client::get(Endpoint::Track, Some(id)).await?;
    let track = parse_track(id, &body).map_err(|e| ApiFailure::BadAnswer { detail: e.0 })?;
    match client::get(Endpoint::AudioFeatures, Some(id)).await {
        Ok(body) => match parse_audio_features(&body) {
            Ok(features) if features.mood().is_some() => Ok(Found::WithMood(track, features)),
            _ => Ok(Found::WithoutMood(
                track,
                ApiFailure::BadAnswer {
                    detail: "no usable valence and energy".to_owned(),
                },
            )),
        },
        Err(ApiFailure::AudioFeaturesClosed) => {
            Ok(Found::WithoutMood(track, ApiFailure::AudioFeaturesClosed))
        }
        Err(other) => Err(other),
    }
}

impl Lookup {
    pub fn new(query: RwSignal<Query>, spotify: SpotifyContext) -> Lookup {
        Lookup {
            state: RwSignal::new(LookupState::Idle),
            found: StoredValue::new(HashMap::new()),
            generation: StoredValue::new(0),
            query,
            spotify,
        }
    }

    fn next_generation(self) -> u64 {
        self.generation.update_value(|g| *g += 1);
        self.generation.get_value()
    }

    /// Forgets the current lookup (a catalog track or a drag took over).
    pub fn clear(self) {
        self.next_generation();
        self.state.set(LookupState::Idle);
    }

    /// Looks up `id`, pasted as `pasted`.
    pub fn start(self, id: TrackId, pasted: String) {
        let generation = self.next_generation();
        if let Some(found) = self.found.with_value(|f| f.get(&id).cloned()) {
            self.show(found);
            return;
        }
        if !self.spotify.is_logged_in() {
            self.state.set(LookupState::NeedsLogin { id, pasted });
            return;
        }
        self.run(id, generation, 0);
    }

    /// Tries again after a failure or a cancelled wait.
    pub fn retry(self) {
        let id = match self.state.get_untracked() {
            LookupState::Failed { id, .. } | LookupState::Waiting { id, .. } => id,
            _ => return,
        };
        let generation = self.next_generation();
        self.run(id, generation, 0);
    }

    /// Stops a countdown; the person can retry by hand.
    pub fn cancel_wait(self) {
        if let LookupState::Waiting { id, .. } = self.state.get_untracked() {
            self.next_generation();
            self.state.set(LookupState::Failed {
                id,
                message: "Waiting for Spotify was cancelled.".to_owned(),
                can_retry: true,
                needs_login: false,
            });
        }
    }

    fn current(self, generation: u64) -> bool {
        self.generation.get_value() == generation
    }

    fn run(self, id: TrackId, generation: u64, retries: u32) {
        self.state.set(LookupState::Loading { id: id.clone() });
        spawn_local(async move {
            let result = fetch(&id).await;
            if !self.current(generation) {
                return;
            }
            match result {
                Ok(found) => {
                    self.found.update_value(|f| {
                        f.insert(id, found.clone());
                    });
                    self.show(found);
                }
                Err(failure) => self.fail(id, failure, generation, retries),
            }
        });
    }

    fn show(self, found: Found) {
        match found {
            Found::WithMood(track, features) => {
                if let Some(mood) = features.mood() {
                    self.query.set(Query::at(mood));
                }
                self.state.set(LookupState::Placed { track, features });
            }
            Found::WithoutMood(track, why) => self.state.set(LookupState::PlaceByHand {
                track,
                why: why.to_string(),
            }),
        }
    }

    fn fail(self, id: TrackId, failure: ApiFailure, generation: u64, retries: u32) {
        match failure {
            ApiFailure::RateLimited { retry_after_secs }
                if wait_is_automatic(retry_after_secs) && retries < MAX_AUTOMATIC_RETRIES =>
            {
                self.count_down(id, retry_after_secs.max(1), generation, retries + 1);
            }
            ApiFailure::Unauthorized => {
                self.spotify.lost_or_limited(failure.to_string(), false);
                self.state.set(LookupState::Failed {
                    id,
                    message: failure.to_string(),
                    can_retry: false,
                    needs_login: true,
                });
            }
            other => {
                let can_retry = !matches!(
                    other,
                    ApiFailure::NotFound | ApiFailure::QuotaExceeded | ApiFailure::NotAllowListed
                );
                let message = match other {
                    ApiFailure::RateLimited { retry_after_secs } => format!(
                        "{other} That is longer than this page waits by itself ({} min); try again later.",
                        retry_after_secs.div_ceil(60)
                    ),
                    _ => other.to_string(),
                };
                self.state.set(LookupState::Failed {
                    id,
                    message,
                    can_retry,
                    needs_login: false,
                });
            }
        }
    }

    fn count_down(self, id: TrackId, seconds_left: u64, generation: u64, retries: u32) {
        self.state.set(LookupState::Waiting {
            id: id.clone(),
            seconds_left,
        });
        set_timeout(
            move || {
                if !self.current(generation) {
                    return;
                }
                if seconds_left > 1 {
                    self.count_down(id, seconds_left - 1, generation, retries);
                } else {
                    self.run(id, generation, retries);
                }
            },
            Duration::from_secs(1),
        );
    }
}

/// The card that shows the looked-up track and the lookup's progress or trouble.
#[component]
pub fn LookupCard(lookup: Lookup) -> impl IntoView {
    let spotify = lookup.spotify;
    move || {
        match lookup.state.get() {
        LookupState::Idle => ().into_any(),
        LookupState::NeedsLogin { id, pasted } => view! {
            <div class="lookup" id="lookup" role="status">
                <p>{format!("Track {id} is not in this catalog. Log in with Spotify to fetch its mood; your link stays in the box and the lookup carries on after the login.")}</p>
                <button type="button" id="lookup-login" on:click=move |_| spotify.log_in(Some(&pasted))>"Log in with Spotify"</button>
            </div>
        }.into_any(),
        LookupState::Loading { id } => view! {
            <div class="lookup" id="lookup" role="status"><p>{format!("Looking up {id} on Spotify…")}</p></div>
        }.into_any(),
        LookupState::Waiting { seconds_left, .. } => view! {
            <div class="lookup" id="lookup" role="status">
                <p>"Spotify asks this app to slow down. Trying again in "
                    <strong id="retry-countdown">{seconds_left}</strong>" s."</p>
                <button type="button" id="cancel-wait" on:click=move |_| lookup.cancel_wait()>"Cancel"</button>
            </div>
        }.into_any(),
        LookupState::Placed { track, features } => view! {
            <div class="lookup found" id="lookup" role="status">
                <TrackSummary track=track.clone() />
                <p>{format!("Placed at its mood: valence {:.3}, energy {:.3}.", features.valence, features.energy)}</p>
            </div>
        }.into_any(),
        LookupState::PlaceByHand { track, why } => view! {
            <div class="lookup by-hand" id="lookup" role="status">
                <TrackSummary track=track.clone() />
                <p class="warning" id="lookup-message">{why}</p>
            </div>
        }.into_any(),
        LookupState::Failed { message, can_retry, needs_login, .. } => view! {
            <div class="lookup failed" id="lookup" role="alert">
                <p id="lookup-message">{message}</p>
                {can_retry.then(|| view! {
                    <button type="button" id="lookup-retry" on:click=move |_| lookup.retry()>"Retry"</button>
                })}
                {needs_login.then(|| view! {
                    <button type="button" id="lookup-login" on:click=move |_| spotify.log_in(None)>"Log in again"</button>
                })}
            </div>
        }.into_any(),
    }
    }
}

#[component]
fn TrackSummary(track: TrackInfo) -> impl IntoView {
    view! {
        <div class="track-summary" id="external-track" data-track-id=track.id.to_string()>
            {track.image_url.clone().map(|src| view! { <img src=src alt="" width="64" height="64" /> })}
            <div>
                <p><strong>{track.name.clone()}</strong></p>
                <p class="artist">{track.artists.clone()}</p>
                <p class="meta">
                    {track.popularity.map_or_else(
                        || "Popularity not given by Spotify".to_owned(),
                        |p| format!("Popularity {p}"),
                    )}
                    " · "
                    <a href=track.id.open_url() target="_blank" rel="noopener noreferrer">"Open in Spotify"</a>
                </p>
            </div>
        </div>
    }
}
