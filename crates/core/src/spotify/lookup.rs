//! The lookup of a pasted track outside the catalog, as a state machine: what the card
//! shows, and what the browser must do next (fetch, wait a second, move the point),
//! for every answer, rate limit, countdown tick, cancel and retry. The browser layer
//! only runs the effects and drops answers of lookups that were replaced.

use crate::mood::Mood;
use crate::track_id::TrackId;

use super::api::{wait_is_automatic, ApiFailure, AudioFeatures, TrackInfo};

/// Automatic retries after rate limits, per lookup.
pub const MAX_AUTOMATIC_RETRIES: u32 = 3;

/// What a finished lookup found; kept so an id is fetched once.
#[derive(Debug, Clone, PartialEq)]
pub enum Found {
    WithMood(TrackInfo, AudioFeatures),
    /// The track, but no usable mood (and why).
    WithoutMood(TrackInfo, ApiFailure),
}

/// What the lookup card shows.
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
        retries: u32,
    },
    /// Rate limited: retrying when the countdown ends, unless cancelled.
    Waiting {
        id: TrackId,
        seconds_left: u64,
        retries: u32,
    },
    /// Found with its mood: the point moved there.
    Placed {
        track: TrackInfo,
        features: AudioFeatures,
    },
    /// Found, but without a mood: the person places it by dragging.
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

/// Something that happened to the lookup.
#[derive(Debug, Clone, PartialEq)]
pub enum LookupEvent {
    /// A track outside the catalog was pasted; `cached` is what an earlier lookup found.
    Start {
        id: TrackId,
        pasted: String,
        cached: Option<Found>,
        logged_in: bool,
    },
    /// The fetch started by [`LookupEffect::Fetch`] finished.
    Answer(Result<Found, ApiFailure>),
    /// A second of a countdown passed.
    Tick,
    CancelWait,
    Retry,
    /// A catalog track or a drag took over.
    Clear,
}

/// What the browser must do after a transition.
#[derive(Debug, Clone, PartialEq)]
pub enum LookupEffect {
    Fetch(TrackId),
    /// Send [`LookupEvent::Tick`] in one second.
    TickInOneSecond,
    Remember(TrackId, Found),
    MoveTo(Mood),
    /// Spotify no longer accepts the login: the page's login status must be re-read.
    SessionEnded,
}

fn show(found: Found) -> (LookupState, Vec<LookupEffect>) {
    match found {
        Found::WithMood(track, features) => {
            let effects = features
                .mood()
                .map(LookupEffect::MoveTo)
                .into_iter()
                .collect();
            (LookupState::Placed { track, features }, effects)
        }
        Found::WithoutMood(track, why) => (
            LookupState::PlaceByHand {
                track,
                why: why.to_string(),
            },
            vec![],
        ),
    }
}

fn fetch(id: TrackId, retries: u32) -> (LookupState, Vec<LookupEffect>) {
    (
        LookupState::Loading {
            id: id.clone(),
            retries,
        },
        vec![LookupEffect::Fetch(id)],
    )
}

fn failed(id: TrackId, failure: ApiFailure, retries: u32) -> (LookupState, Vec<LookupEffect>) {
    match failure {
        ApiFailure::RateLimited { retry_after_secs }
            if wait_is_automatic(retry_after_secs) && retries < MAX_AUTOMATIC_RETRIES =>
        {
            (
                LookupState::Waiting {
                    id,
                    seconds_left: retry_after_secs.max(1),
                    retries: retries + 1,
                },
                vec![LookupEffect::TickInOneSecond],
            )
        }
        ApiFailure::Unauthorized => (
            LookupState::Failed {
                id,
                message: failure.to_string(),
                can_retry: false,
                needs_login: true,
            },
            vec![LookupEffect::SessionEnded],
        ),
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
            (
                LookupState::Failed {
                    id,
                    message,
                    can_retry,
                    needs_login: false,
                },
                vec![],
            )
        }
    }
}

impl LookupState {
    /// The state after `event`, and what the browser must do. Events that do not apply
    /// to the current state (a tick after a cancel, an answer while idle) change nothing.
    pub fn next(self, event: LookupEvent) -> (LookupState, Vec<LookupEffect>) {
        use LookupEvent as E;
        use LookupState as S;
        match (self, event) {
            (_, E::Clear) => (S::Idle, vec![]),
            (
                _,
                E::Start {
                    cached: Some(found),
                    ..
                },
            ) => show(found),
            (
                _,
                E::Start {
                    id,
                    pasted,
                    logged_in: false,
                    ..
                },
            ) => (S::NeedsLogin { id, pasted }, vec![]),
            (_, E::Start { id, .. }) => fetch(id, 0),
            (S::Failed { id, .. } | S::Waiting { id, .. }, E::Retry) => fetch(id, 0),
            (S::Waiting { id, .. }, E::CancelWait) => (
                S::Failed {
                    id,
                    message: "Waiting for Spotify was cancelled.".to_owned(),
                    can_retry: true,
                    needs_login: false,
                },
                vec![],
            ),
            (
                S::Waiting {
                    id,
                    seconds_left,
                    retries,
                },
                E::Tick,
            ) => {
                if seconds_left > 1 {
                    (
                        S::Waiting {
                            id,
                            seconds_left: seconds_left - 1,
                            retries,
                        },
                        vec![LookupEffect::TickInOneSecond],
                    )
                } else {
                    fetch(id, retries)
                }
            }
            (S::Loading { id, .. }, E::Answer(Ok(found))) => {
                let (state, mut effects) = show(found.clone());
                effects.insert(0, LookupEffect::Remember(id, found));
                (state, effects)
            }
            (S::Loading { id, retries }, E::Answer(Err(failure))) => failed(id, failure, retries),
            (state, _) => (state, vec![]),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn id() -> TrackId {
        TrackId::parse("4uLU6hMCjMI75M1A2tKUQC").unwrap()
    }

    fn track() -> TrackInfo {
        TrackInfo {
            id: id(),
            name: "Never Gonna Give You Up".into(),
            artists: "Rick Astley".into(),
            image_url: None,
            popularity: None,
        }
    }

    fn features() -> AudioFeatures {
        AudioFeatures {
            valence: 0.918,
            energy: 0.939,
            danceability: None,
            acousticness: None,
            tempo: None,
        }
    }

    fn start(logged_in: bool) -> LookupEvent {
        LookupEvent::Start {
            id: id(),
            pasted: "link".into(),
            cached: None,
            logged_in,
        }
    }

    fn loading(retries: u32) -> LookupState {
        LookupState::Loading { id: id(), retries }
    }

    #[test]
    fn logged_out_waits_for_a_login_and_keeps_the_text() {
        let (state, effects) = LookupState::Idle.next(start(false));
        assert_eq!(
            state,
            LookupState::NeedsLogin {
                id: id(),
                pasted: "link".into()
            }
        );
        assert!(effects.is_empty());
    }

    #[test]
    fn a_found_mood_is_remembered_and_moves_the_point() {
        let (state, effects) = LookupState::Idle.next(start(true));
        assert_eq!(state, loading(0));
        assert_eq!(effects, vec![LookupEffect::Fetch(id())]);
        let found = Found::WithMood(track(), features());
        let (state, effects) = state.next(LookupEvent::Answer(Ok(found.clone())));
        assert!(matches!(state, LookupState::Placed { .. }));
        assert_eq!(
            effects,
            vec![
                LookupEffect::Remember(id(), found.clone()),
                LookupEffect::MoveTo(Mood::new(0.918, 0.939).unwrap())
            ]
        );
        // A second paste of the same id is answered from memory: no fetch.
        let (_, effects) = LookupState::Idle.next(LookupEvent::Start {
            id: id(),
            pasted: "link".into(),
            cached: Some(found),
            logged_in: true,
        });
        assert_eq!(
            effects,
            vec![LookupEffect::MoveTo(Mood::new(0.918, 0.939).unwrap())]
        );
    }

    #[test]
    fn closed_features_mean_placing_by_hand() {
        let found = Found::WithoutMood(track(), ApiFailure::AudioFeaturesClosed);
        let (state, _) = loading(0).next(LookupEvent::Answer(Ok(found)));
        let LookupState::PlaceByHand { why, .. } = state else {
            panic!("{state:?}");
        };
        assert!(why.contains("since November 2024"));
    }

    #[test]
    fn rate_limits_count_down_then_retry_at_most_three_times() {
        let limited = || {
            LookupEvent::Answer(Err(ApiFailure::RateLimited {
                retry_after_secs: 2,
            }))
        };
        let (state, effects) = loading(0).next(limited());
        assert_eq!(
            state,
            LookupState::Waiting {
                id: id(),
                seconds_left: 2,
                retries: 1
            }
        );
        assert_eq!(effects, vec![LookupEffect::TickInOneSecond]);
        let (state, effects) = state.next(LookupEvent::Tick);
        assert_eq!(effects, vec![LookupEffect::TickInOneSecond]);
        let (state, effects) = state.next(LookupEvent::Tick);
        assert_eq!(state, loading(1));
        assert_eq!(effects, vec![LookupEffect::Fetch(id())]);
        let (state, _) = loading(3).next(limited());
        let LookupState::Failed {
            can_retry, message, ..
        } = state
        else {
            panic!("{state:?}");
        };
        assert!(can_retry, "{message}");
        // A zero Retry-After still waits a second.
        let (state, _) = loading(0).next(LookupEvent::Answer(Err(ApiFailure::RateLimited {
            retry_after_secs: 0,
        })));
        assert!(matches!(
            state,
            LookupState::Waiting {
                seconds_left: 1,
                ..
            }
        ));
    }

    #[test]
    fn long_waits_are_not_waited_out() {
        let (state, effects) = loading(0).next(LookupEvent::Answer(Err(ApiFailure::RateLimited {
            retry_after_secs: 3600,
        })));
        let LookupState::Failed { message, .. } = state else {
            panic!("{state:?}");
        };
        assert!(message.contains("(60 min)"), "{message}");
        assert!(effects.is_empty());
    }

    #[test]
    fn cancel_then_retry() {
        let waiting = LookupState::Waiting {
            id: id(),
            seconds_left: 5,
            retries: 1,
        };
        let (state, _) = waiting.next(LookupEvent::CancelWait);
        assert!(matches!(
            state,
            LookupState::Failed {
                can_retry: true,
                ..
            }
        ));
        // A tick of the cancelled countdown changes nothing.
        let (state, effects) = state.next(LookupEvent::Tick);
        assert!(matches!(state, LookupState::Failed { .. }) && effects.is_empty());
        let (state, effects) = state.next(LookupEvent::Retry);
        assert_eq!(state, loading(0));
        assert_eq!(effects, vec![LookupEffect::Fetch(id())]);
    }

    #[test]
    fn failures_say_whether_retry_or_login_helps() {
        let cases = [
            (ApiFailure::Unauthorized, false, true),
            (ApiFailure::NotFound, false, false),
            (ApiFailure::QuotaExceeded, false, false),
            (ApiFailure::NotAllowListed, false, false),
            (ApiFailure::ServerError { status: 502 }, true, false),
            (
                ApiFailure::Network {
                    detail: "offline".into(),
                },
                true,
                false,
            ),
        ];
        for (failure, retry, login) in cases {
            let unauthorized = failure == ApiFailure::Unauthorized;
            let (state, effects) = loading(0).next(LookupEvent::Answer(Err(failure)));
            let LookupState::Failed {
                can_retry,
                needs_login,
                ..
            } = state
            else {
                panic!("{state:?}");
            };
            assert_eq!((can_retry, needs_login), (retry, login));
            assert_eq!(effects.contains(&LookupEffect::SessionEnded), unauthorized);
        }
    }

    #[test]
    fn stray_events_change_nothing() {
        for event in [
            LookupEvent::Tick,
            LookupEvent::CancelWait,
            LookupEvent::Retry,
            LookupEvent::Answer(Err(ApiFailure::NotFound)),
        ] {
            assert_eq!(LookupState::Idle.next(event), (LookupState::Idle, vec![]));
        }
        assert_eq!(
            loading(0).next(LookupEvent::Clear),
            (LookupState::Idle, vec![])
        );
    }
}
