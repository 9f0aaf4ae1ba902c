//! Looking up a pasted track that is not in the catalog, source by source: ReccoBeats
//! (only with consent), then Spotify (when logged in), else placing it by hand. Each id
//! is fetched once per page session. The decisions are the core's state machine
//! (`moodplane_core::sources::lookup`); this module runs its effects, ignores answers of
//! lookups that were replaced, and shows the card.

use std::collections::HashMap;
use std::time::Duration;

use leptos::prelude::*;
use leptos::task::spawn_local;
use moodplane_core::sources::lookup::{
    Consent, Found, LookupEffect, LookupEvent, LookupState, Source, SourceFailure,
};
use moodplane_core::sources::MoodSource;
use moodplane_core::spotify::api::{
    parse_audio_features, parse_track, ApiFailure, Endpoint, TrackInfo,
};
use moodplane_core::{Query, TrackId};

use crate::reccobeats;
use crate::spotify::client;
use crate::spotify::login_status::SpotifyContext;

#[derive(Clone, Copy)]
pub struct Lookup {
    pub state: RwSignal<LookupState>,
    found: StoredValue<HashMap<TrackId, Found>>,
    /// Bumped by every event that starts, restarts or ends a lookup; late answers and
    /// ticks of older ones are ignored.
    generation: StoredValue<u64>,
    query: RwSignal<Query>,
    spotify: SpotifyContext,
    /// The person's choice about ReccoBeats, shared with the settings.
    consent: RwSignal<Consent>,
}

async fn from_spotify(id: &TrackId) -> Result<Found, ApiFailure> {
    let body = client::get(Endpoint::Track, Some(id)).await?;
    let track = parse_track(id, &body).map_err(|e| ApiFailure::BadAnswer { detail: e.0 })?;
    let no_mood = |why: String| Found::WithoutMood {
        track: Some(track.clone()),
        why,
    };
    match client::get(Endpoint::AudioFeatures, Some(id)).await {
        Ok(body) => Ok(match parse_audio_features(&body).ok().and_then(|f| f.mood()) {
            Some(mood) => Found::WithMood {
                track: Some(track),
                mood,
                source: MoodSource::Spotify,
            },
            None => no_mood("Spotify's answer had no usable valence and energy: drag the point to where you feel the track sits.".to_owned()),
        }),
        Err(ApiFailure::AudioFeaturesClosed) => {
            Ok(no_mood(ApiFailure::AudioFeaturesClosed.to_string()))
        }
        Err(other) => Err(other),
    }
}

async fn fetch(id: &TrackId, source: Source) -> Result<Found, SourceFailure> {
    match source {
        Source::ReccoBeats => reccobeats::look_up(id).await,
        Source::Spotify => from_spotify(id).await.map_err(SourceFailure::Spotify),
    }
}

impl Lookup {
    pub fn new(
        query: RwSignal<Query>,
        spotify: SpotifyContext,
        consent: RwSignal<Consent>,
    ) -> Lookup {
        Lookup {
            state: RwSignal::new(LookupState::Idle),
            found: StoredValue::new(HashMap::new()),
            generation: StoredValue::new(0),
            query,
            spotify,
            consent,
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
            consent: self.consent.get_untracked(),
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
                | LookupEvent::Consent { .. }
                | LookupEvent::Decline
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
            LookupEffect::Fetch(id, source) => spawn_local(async move {
                let result = fetch(&id, source).await;
                let logged_in = self.spotify.is_logged_in();
                self.dispatch_if_current(generation, LookupEvent::Answer { result, logged_in });
            }),
            LookupEffect::TickInOneSecond => set_timeout(
                move || self.dispatch_if_current(generation, LookupEvent::Tick),
                Duration::from_secs(1),
            ),
            LookupEffect::Remember(id, found) => self.found.update_value(|f| {
                f.insert(id, found);
            }),
            LookupEffect::MoveTo(mood) => self.query.set(Query::at(mood)),
            LookupEffect::RememberConsent => {
                reccobeats::set_consent(Consent::Always);
                self.consent.set(Consent::Always);
            }
            LookupEffect::SessionEnded => self.spotify.sync_status(),
        }
    }
}

/// The card that shows the looked-up track and the lookup's progress or trouble.
#[component]
pub fn LookupCard(lookup: Lookup) -> impl IntoView {
    let spotify = lookup.spotify;
    let login_offer = move |pasted: String, logged_in: bool| {
        (!logged_in).then(|| view! {
            <button type="button" id="lookup-login" on:click=move |_| spotify.log_in(Some(&pasted))>"Log in with Spotify"</button>
        })
    };
    move || {
        match lookup.state.get() {
        LookupState::Idle => ().into_any(),
        LookupState::AskConsent { id, pasted, logged_in } => view! {
            <div class="lookup consent" id="lookup" role="group" aria-labelledby="consent-question">
                <p id="consent-question">{format!("Track {id} is not in this catalog. ReccoBeats, a free third-party service, can give its mood: it will receive this track's id (and, like any website, your IP address). Nothing is sent unless you agree.")}</p>
                <div class="button-row">
                    <button type="button" id="consent-once" on:click=move |_| lookup.dispatch(LookupEvent::Consent { always: false })>"Ask ReccoBeats once"</button>
                    <button type="button" id="consent-always" on:click=move |_| lookup.dispatch(LookupEvent::Consent { always: true })>"Always ask ReccoBeats"</button>
                    <button type="button" id="consent-decline" on:click=move |_| lookup.dispatch(LookupEvent::Decline)>"Not now"</button>
                </div>
                <p class="hint">{if logged_in {
                    "“Not now” asks Spotify instead. Change this choice any time under “Lookups outside the catalog”."
                } else {
                    "Or log in with Spotify to fetch its mood; your link stays in the box and the lookup carries on after the login. You can also drag the point to place it by hand."
                }}</p>
                {login_offer(pasted, logged_in)}
            </div>
        }.into_any(),
        LookupState::NeedsLogin { id, pasted } => view! {
            <div class="lookup" id="lookup" role="status">
                <p>{format!("Track {id} is not in this catalog. Log in with Spotify to fetch its mood; your link stays in the box and the lookup carries on after the login. Or drag the point to place it by hand.")}</p>
                {login_offer(pasted, false)}
                <button type="button" id="consent-once" on:click=move |_| lookup.dispatch(LookupEvent::Consent { always: false })>"Ask ReccoBeats once"</button>
            </div>
        }.into_any(),
        LookupState::Loading { id, source, .. } => view! {
            <div class="lookup" id="lookup" role="status"><p>{format!("Looking up {id} on {}…", source.name())}</p></div>
        }.into_any(),
        LookupState::Waiting { source, seconds_left, .. } => view! {
            <div class="lookup" id="lookup" role="status">
                <p>{format!("{} asks this page to slow down. Trying again in ", source.name())}
                    <strong id="retry-countdown">{seconds_left}</strong>" s."</p>
                <button type="button" id="cancel-wait" on:click=move |_| lookup.cancel_wait()>"Cancel"</button>
            </div>
        }.into_any(),
        LookupState::Placed { id, track, mood, source } => view! {
            <div class="lookup found" id="lookup" role="status" data-mood-source=source.key()>
                <TrackSummary id=id track=track />
                <p id="lookup-placed">{format!("Placed at its mood ({source}): valence {:.3}, energy {:.3}.", mood.valence, mood.energy)}</p>
            </div>
        }.into_any(),
        LookupState::PlaceByHand { id, track, why } => view! {
            <div class="lookup by-hand" id="lookup" role="status">
                <TrackSummary id=id track=track />
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
fn TrackSummary(id: TrackId, track: Option<TrackInfo>) -> impl IntoView {
    let open_url = id.open_url();
    let Some(track) = track else {
        return view! {
            <div class="track-summary" id="external-track" data-track-id=id.to_string()>
                <p>{format!("Track {id}")}" · "<a href=open_url target="_blank" rel="noopener noreferrer">"Open in Spotify"</a></p>
            </div>
        }
        .into_any();
    };
    view! {
        <div class="track-summary" id="external-track" data-track-id=id.to_string()>
            {track.image_url.clone().map(|src| view! { <img src=src alt="" width="64" height="64" /> })}
            <div>
                <p><strong>{track.name.clone()}</strong></p>
                <p class="artist">{track.artists.clone()}</p>
                <p class="meta">
                    {track.popularity.map_or_else(
                        || "Popularity not given".to_owned(),
                        |p| format!("Popularity {p}"),
                    )}
                    " · "
                    <a href=open_url target="_blank" rel="noopener noreferrer">"Open in Spotify"</a>
                </p>
            </div>
        </div>
    }
    .into_any()
}
