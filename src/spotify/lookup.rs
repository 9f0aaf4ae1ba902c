//! Looking up a pasted track that is not in the catalog: its name, artists and art from
//! /v1/tracks, its mood from /v1/audio-features, each id fetched once per page session.
//! The decisions (what to show, when to retry, count down or give up) are the core's
//! state machine (`moodplane_core::spotify::lookup`); this module runs its effects and
//! ignores answers of lookups that were replaced.

use std::collections::HashMap;
use std::time::Duration;

use leptos::prelude::*;
use leptos::task::spawn_local;
use moodplane_core::spotify::api::{
    parse_audio_features, parse_track, ApiFailure, Endpoint, TrackInfo,
};
use moodplane_core::spotify::lookup::{Found, LookupEffect, LookupEvent, LookupState};
use moodplane_core::{Query, TrackId};

use super::client;
use super::login_status::SpotifyContext;

#[derive(Clone, Copy)]
pub struct Lookup {
    pub state: RwSignal<LookupState>,
    found: StoredValue<HashMap<TrackId, Found>>,
    /// Bumped by every event that starts, restarts or ends a lookup; late answers and
    /// ticks of older ones are ignored.
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

    /// Forgets the current lookup (a catalog track or a drag took over).
    pub fn clear(self) {
        self.dispatch(LookupEvent::Clear);
    }

    /// Looks up `id`, pasted as `pasted`.
    pub fn start(self, id: TrackId, pasted: String) {
        let cached = self.found.with_value(|f| f.get(&id).cloned());
        self.dispatch(LookupEvent::Start {
            id,
            pasted,
            cached,
            logged_in: self.spotify.is_logged_in(),
        });
    }

    /// Tries again after a failure or a cancelled wait.
    pub fn retry(self) {
        self.dispatch(LookupEvent::Retry);
    }

    /// Stops a countdown; the person can retry by hand.
    pub fn cancel_wait(self) {
        self.dispatch(LookupEvent::CancelWait);
    }

    /// Applies an event of the current lookup and runs what it asks for.
    fn dispatch(self, event: LookupEvent) {
        let restarts = matches!(
            event,
            LookupEvent::Start { .. }
                | LookupEvent::Retry
                | LookupEvent::CancelWait
                | LookupEvent::Clear
        );
        if restarts {
            self.generation.update_value(|g| *g += 1);
        }
        let generation = self.generation.get_value();
        let (state, effects) = self.state.get_untracked().next(event);
        self.state.set(state);
        for effect in effects {
            self.run(effect, generation);
        }
    }

    /// An event of the lookup `generation`, dropped if a newer lookup replaced it.
    fn dispatch_if_current(self, generation: u64, event: LookupEvent) {
        if self.generation.get_value() == generation {
            self.dispatch(event);
        }
    }

    fn run(self, effect: LookupEffect, generation: u64) {
        match effect {
            LookupEffect::Fetch(id) => spawn_local(async move {
                let answer = fetch(&id).await;
                self.dispatch_if_current(generation, LookupEvent::Answer(answer));
            }),
            LookupEffect::TickInOneSecond => set_timeout(
                move || self.dispatch_if_current(generation, LookupEvent::Tick),
                Duration::from_secs(1),
            ),
            LookupEffect::Remember(id, found) => self.found.update_value(|f| {
                f.insert(id, found);
            }),
            LookupEffect::MoveTo(mood) => self.query.set(Query::at(mood)),
            LookupEffect::SessionEnded => self.spotify.sync_status(),
        }
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
        LookupState::Loading { id, .. } => view! {
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
