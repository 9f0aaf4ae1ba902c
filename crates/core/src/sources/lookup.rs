//! The lookup of a pasted track outside the catalog, as a state machine over its sources
//! in order: ReccoBeats (only with the person's consent), then Spotify (when logged in),
//! then placing it by hand. For every event (an answer, a rate limit, a countdown tick,
//! consent given or declined, cancel, retry) it gives what the card shows and what the
//! browser must do next; the browser runs those effects and drops answers of lookups
//! that were replaced.

use crate::mood::Mood;
use crate::spotify::api::{wait_is_automatic, ApiFailure, TrackInfo};
use crate::track_id::TrackId;

use super::reccobeats::RbFailure;
use super::MoodSource;

/// Automatic retries after rate limits, per lookup.
pub const MAX_AUTOMATIC_RETRIES: u32 = 3;

/// A network source of moods, in the order they are asked.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Source {
    ReccoBeats,
    Spotify,
}

impl Source {
    pub fn name(self) -> &'static str {
        match self {
            Source::ReccoBeats => "ReccoBeats",
            Source::Spotify => "Spotify",
        }
    }
}

/// What the person chose about sending track ids to ReccoBeats, remembered in this
/// browser until changed in the settings.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Consent {
    /// Ask each time (the default: nothing is sent without a yes).
    #[default]
    Ask,
    Always,
    Never,
}

impl Consent {
    /// The stored form.
    pub fn key(self) -> &'static str {
        match self {
            Consent::Ask => "ask",
            Consent::Always => "always",
            Consent::Never => "never",
        }
    }

    /// Reads the stored form; anything else means ask.
    pub fn from_key(key: &str) -> Consent {
        match key {
            "always" => Consent::Always,
            "never" => Consent::Never,
            _ => Consent::Ask,
        }
    }
}

/// What a source answered about a track.
#[derive(Debug, Clone, PartialEq)]
pub enum Found {
    WithMood {
        track: Option<TrackInfo>,
        mood: Mood,
        source: MoodSource,
    },
    /// The source had no usable mood for it (and says why).
    WithoutMood {
        track: Option<TrackInfo>,
        why: String,
    },
}

/// Why a source could not answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SourceFailure {
    Spotify(ApiFailure),
    ReccoBeats(RbFailure),
}

impl SourceFailure {
    fn rate_limit(&self) -> Option<u64> {
        match self {
            SourceFailure::Spotify(ApiFailure::RateLimited { retry_after_secs })
            | SourceFailure::ReccoBeats(RbFailure::RateLimited { retry_after_secs }) => {
                Some(*retry_after_secs)
            }
            _ => None,
        }
    }

    fn can_retry(&self) -> bool {
        !matches!(
            self,
            SourceFailure::Spotify(
                ApiFailure::NotFound
                    | ApiFailure::QuotaExceeded
                    | ApiFailure::NotAllowListed
                    | ApiFailure::Unauthorized
            ) | SourceFailure::ReccoBeats(RbFailure::FileTooLarge)
        )
    }

    fn message(&self) -> String {
        match self {
            SourceFailure::Spotify(f) => f.to_string(),
            SourceFailure::ReccoBeats(f) => f.to_string(),
        }
    }
}

/// What the lookup card shows.
#[derive(Debug, Clone, PartialEq)]
pub enum LookupState {
    Idle,
    /// Asks whether ReccoBeats may receive the track's id (login offered beside it).
    AskConsent {
        id: TrackId,
        pasted: String,
        logged_in: bool,
    },
    /// No consent and no login: log in, allow ReccoBeats, or place by hand.
    NeedsLogin {
        id: TrackId,
        pasted: String,
    },
    Loading {
        id: TrackId,
        source: Source,
        retries: u32,
    },
    /// Rate limited: retrying when the countdown ends, unless cancelled.
    Waiting {
        id: TrackId,
        source: Source,
        seconds_left: u64,
        retries: u32,
    },
    /// Found with its mood: the point moved there.
    Placed {
        id: TrackId,
        track: Option<TrackInfo>,
        mood: Mood,
        source: MoodSource,
    },
    /// No source had its mood: the person places it by dragging.
    PlaceByHand {
        id: TrackId,
        track: Option<TrackInfo>,
        why: String,
    },
    Failed {
        id: TrackId,
        source: Source,
        message: String,
        can_retry: bool,
        needs_login: bool,
    },
}

/// Something that happened to the lookup.
#[derive(Debug, Clone, PartialEq)]
pub enum LookupEvent {
    /// A track outside the catalog was pasted; `cached` is what an earlier lookup found,
    /// `consent` what the person chose about ReccoBeats.
    Start {
        id: TrackId,
        pasted: String,
        cached: Option<Found>,
        consent: Consent,
        logged_in: bool,
    },
    /// Consent to ask ReccoBeats: for this track, or always (remembered).
    Consent {
        always: bool,
    },
    /// Consent refused for this track.
    Decline,
    /// The fetch started by [`LookupEffect::Fetch`] finished.
    Answer {
        result: Result<Found, SourceFailure>,
        logged_in: bool,
    },
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
    Fetch(TrackId, Source),
    /// Send [`LookupEvent::Tick`] in one second.
    TickInOneSecond,
    Remember(TrackId, Found),
    MoveTo(Mood),
    /// Keep "always ask ReccoBeats" in this browser.
    RememberConsent,
    /// Spotify no longer accepts the login: the page's login status must be re-read.
    SessionEnded,
}

type Step = (LookupState, Vec<LookupEffect>);

fn show(id: TrackId, found: Found) -> Step {
    match found {
        Found::WithMood {
            track,
            mood,
            source,
        } => (
            LookupState::Placed {
                id,
                track,
                mood,
                source,
            },
            vec![LookupEffect::MoveTo(mood)],
        ),
        Found::WithoutMood { track, why } => (LookupState::PlaceByHand { id, track, why }, vec![]),
    }
}

fn fetch(id: TrackId, source: Source, retries: u32) -> Step {
    (
        LookupState::Loading {
            id: id.clone(),
            source,
            retries,
        },
        vec![LookupEffect::Fetch(id, source)],
    )
}

fn without_consent(id: TrackId, pasted: String, logged_in: bool) -> Step {
    if logged_in {
        fetch(id, Source::Spotify, 0)
    } else {
        (LookupState::NeedsLogin { id, pasted }, vec![])
    }
}

fn answered(id: TrackId, source: Source, found: Found, logged_in: bool) -> Step {
    match found {
        // Not known to ReccoBeats: Spotify is next, if logged in.
        Found::WithoutMood { .. } if source == Source::ReccoBeats && logged_in => {
            fetch(id, Source::Spotify, 0)
        }
        found => {
            let (state, mut effects) = show(id.clone(), found.clone());
            effects.insert(0, LookupEffect::Remember(id, found));
            (state, effects)
        }
    }
}

fn failed(id: TrackId, source: Source, failure: SourceFailure, retries: u32) -> Step {
    if let Some(wait) = failure.rate_limit() {
        if wait_is_automatic(wait) && retries < MAX_AUTOMATIC_RETRIES {
            return (
                LookupState::Waiting {
                    id,
                    source,
                    seconds_left: wait.max(1),
                    retries: retries + 1,
                },
                vec![LookupEffect::TickInOneSecond],
            );
        }
    }
    let session_ended = failure == SourceFailure::Spotify(ApiFailure::Unauthorized);
    let message = match failure.rate_limit() {
        Some(wait) => format!(
            "{} That is longer than this page waits by itself ({} min); try again later.",
            failure.message(),
            wait.div_ceil(60)
        ),
        None => failure.message(),
    };
    (
        LookupState::Failed {
            id,
            source,
            message,
            can_retry: failure.can_retry(),
            needs_login: session_ended,
        },
        if session_ended {
            vec![LookupEffect::SessionEnded]
        } else {
            vec![]
        },
    )
}

impl LookupState {
    /// The state after `event`, and what the browser must do. Events that do not apply
    /// to the current state (a tick after a cancel, an answer while idle) change nothing.
    pub fn next(self, event: LookupEvent) -> Step {
        use LookupEvent as E;
        use LookupState as S;
        match (self, event) {
            (_, E::Clear) => (S::Idle, vec![]),
            (
                _,
                E::Start {
                    id,
                    cached: Some(found),
                    ..
                },
            ) => show(id, found),
            (
                _,
                E::Start {
                    id,
                    consent: Consent::Always,
                    ..
                },
            ) => fetch(id, Source::ReccoBeats, 0),
            (
                _,
                E::Start {
                    id,
                    pasted,
                    consent: Consent::Never,
                    logged_in,
                    ..
                },
            ) => without_consent(id, pasted, logged_in),
            (
                _,
                E::Start {
                    id,
                    pasted,
                    logged_in,
                    ..
                },
            ) => (
                S::AskConsent {
                    id,
                    pasted,
                    logged_in,
                },
                vec![],
            ),
            (S::AskConsent { id, .. } | S::NeedsLogin { id, .. }, E::Consent { always }) => {
                let (state, mut effects) = fetch(id, Source::ReccoBeats, 0);
                if always {
                    effects.insert(0, LookupEffect::RememberConsent);
                }
                (state, effects)
            }
            (
                S::AskConsent {
                    id,
                    pasted,
                    logged_in,
                },
                E::Decline,
            ) => without_consent(id, pasted, logged_in),
            (S::Failed { id, source, .. } | S::Waiting { id, source, .. }, E::Retry) => {
                fetch(id, source, 0)
            }
            (S::Waiting { id, source, .. }, E::CancelWait) => (
                S::Failed {
                    id,
                    source,
                    message: format!("Waiting for {} was cancelled.", source.name()),
                    can_retry: true,
                    needs_login: false,
                },
                vec![],
            ),
            (
                S::Waiting {
                    id,
                    source,
                    seconds_left,
                    retries,
                },
                E::Tick,
            ) => {
                if seconds_left > 1 {
                    (
                        S::Waiting {
                            id,
                            source,
                            seconds_left: seconds_left - 1,
                            retries,
                        },
                        vec![LookupEffect::TickInOneSecond],
                    )
                } else {
                    fetch(id, source, retries)
                }
            }
            (
                S::Loading { id, source, .. },
                E::Answer {
                    result: Ok(found),
                    logged_in,
                },
            ) => answered(id, source, found, logged_in),
            (
                S::Loading {
                    id,
                    source,
                    retries,
                },
                E::Answer {
                    result: Err(failure),
                    ..
                },
            ) => failed(id, source, failure, retries),
            (state, _) => (state, vec![]),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sources::reccobeats::UNKNOWN_TRACK;

    fn id() -> TrackId {
        TrackId::parse("4uLU6hMCjMI75M1A2tKUQC").unwrap()
    }

    fn mood() -> Mood {
        Mood::new(0.918, 0.939).unwrap()
    }

    fn start(consent: Consent, logged_in: bool) -> LookupEvent {
        LookupEvent::Start {
            id: id(),
            pasted: "link".into(),
            cached: None,
            consent,
            logged_in,
        }
    }

    fn loading(source: Source, retries: u32) -> LookupState {
        LookupState::Loading {
            id: id(),
            source,
            retries,
        }
    }

    fn answer(result: Result<Found, SourceFailure>, logged_in: bool) -> LookupEvent {
        LookupEvent::Answer { result, logged_in }
    }

    fn found_by(source: MoodSource) -> Found {
        Found::WithMood {
            track: None,
            mood: mood(),
            source,
        }
    }

    #[test]
    fn nothing_is_sent_before_consent() {
        for logged_in in [false, true] {
            let (state, effects) = LookupState::Idle.next(start(Consent::Ask, logged_in));
            assert!(matches!(state, LookupState::AskConsent { .. }), "{state:?}");
            assert!(effects.is_empty());
        }
    }

    #[test]
    fn consent_once_or_always_asks_reccobeats() {
        let asking = LookupState::Idle.next(start(Consent::Ask, false)).0;
        let (state, effects) = asking.clone().next(LookupEvent::Consent { always: false });
        assert_eq!(state, loading(Source::ReccoBeats, 0));
        assert_eq!(effects, vec![LookupEffect::Fetch(id(), Source::ReccoBeats)]);
        let (_, effects) = asking.next(LookupEvent::Consent { always: true });
        assert_eq!(
            effects,
            vec![
                LookupEffect::RememberConsent,
                LookupEffect::Fetch(id(), Source::ReccoBeats)
            ]
        );
        // Remembered consent asks at once.
        let (state, _) = LookupState::Idle.next(start(Consent::Always, false));
        assert_eq!(state, loading(Source::ReccoBeats, 0));
    }

    #[test]
    fn never_means_no_question_and_no_request() {
        let (state, effects) = LookupState::Idle.next(start(Consent::Never, false));
        assert!(matches!(state, LookupState::NeedsLogin { .. }));
        assert!(effects.is_empty());
        let (state, _) = LookupState::Idle.next(start(Consent::Never, true));
        assert_eq!(state, loading(Source::Spotify, 0));
        for consent in [Consent::Ask, Consent::Always, Consent::Never] {
            assert_eq!(Consent::from_key(consent.key()), consent);
        }
        assert_eq!(Consent::from_key("junk"), Consent::Ask);
    }

    #[test]
    fn declined_consent_falls_to_spotify_or_to_the_login() {
        let (state, effects) = LookupState::Idle
            .next(start(Consent::Ask, true))
            .0
            .next(LookupEvent::Decline);
        assert_eq!(state, loading(Source::Spotify, 0));
        assert_eq!(effects, vec![LookupEffect::Fetch(id(), Source::Spotify)]);
        let (state, effects) = LookupState::Idle
            .next(start(Consent::Ask, false))
            .0
            .next(LookupEvent::Decline);
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
        let found = found_by(MoodSource::ReccoBeats);
        let (state, effects) =
            loading(Source::ReccoBeats, 0).next(answer(Ok(found.clone()), false));
        assert!(matches!(
            state,
            LookupState::Placed {
                source: MoodSource::ReccoBeats,
                ..
            }
        ));
        assert_eq!(
            effects,
            vec![
                LookupEffect::Remember(id(), found.clone()),
                LookupEffect::MoveTo(mood())
            ]
        );
        let (_, effects) = LookupState::Idle.next(LookupEvent::Start {
            id: id(),
            pasted: "link".into(),
            cached: Some(found),
            consent: Consent::Ask,
            logged_in: false,
        });
        assert_eq!(effects, vec![LookupEffect::MoveTo(mood())]);
    }

    #[test]
    fn unknown_to_reccobeats_asks_spotify_when_logged_in() {
        let unknown = Found::WithoutMood {
            track: None,
            why: UNKNOWN_TRACK.to_owned(),
        };
        let (state, effects) =
            loading(Source::ReccoBeats, 0).next(answer(Ok(unknown.clone()), true));
        assert_eq!(state, loading(Source::Spotify, 0));
        assert_eq!(effects, vec![LookupEffect::Fetch(id(), Source::Spotify)]);
        let (state, _) = loading(Source::ReccoBeats, 0).next(answer(Ok(unknown), false));
        let LookupState::PlaceByHand { why, .. } = state else {
            panic!("{state:?}");
        };
        assert!(why.contains("ReccoBeats has no features for this track"));
    }

    #[test]
    fn closed_spotify_features_mean_placing_by_hand() {
        let found = Found::WithoutMood {
            track: None,
            why: ApiFailure::AudioFeaturesClosed.to_string(),
        };
        let (state, _) = loading(Source::Spotify, 0).next(answer(Ok(found), true));
        let LookupState::PlaceByHand { why, .. } = state else {
            panic!("{state:?}");
        };
        assert!(why.contains("since November 2024"));
    }

    #[test]
    fn rate_limits_count_down_then_retry_at_most_three_times() {
        for (source, failure) in [
            (
                Source::Spotify,
                SourceFailure::Spotify(ApiFailure::RateLimited {
                    retry_after_secs: 2,
                }),
            ),
            (
                Source::ReccoBeats,
                SourceFailure::ReccoBeats(RbFailure::RateLimited {
                    retry_after_secs: 2,
                }),
            ),
        ] {
            let (state, effects) = loading(source, 0).next(answer(Err(failure.clone()), false));
            assert_eq!(
                state,
                LookupState::Waiting {
                    id: id(),
                    source,
                    seconds_left: 2,
                    retries: 1
                }
            );
            assert_eq!(effects, vec![LookupEffect::TickInOneSecond]);
            let (state, _) = state.next(LookupEvent::Tick);
            let (state, effects) = state.next(LookupEvent::Tick);
            assert_eq!(state, loading(source, 1));
            assert_eq!(effects, vec![LookupEffect::Fetch(id(), source)]);
            let (state, _) = loading(source, 3).next(answer(Err(failure), false));
            assert!(matches!(
                state,
                LookupState::Failed {
                    can_retry: true,
                    ..
                }
            ));
        }
        let (state, _) = loading(Source::Spotify, 0).next(answer(
            Err(SourceFailure::Spotify(ApiFailure::RateLimited {
                retry_after_secs: 0,
            })),
            true,
        ));
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
        let (state, effects) = loading(Source::Spotify, 0).next(answer(
            Err(SourceFailure::Spotify(ApiFailure::RateLimited {
                retry_after_secs: 3600,
            })),
            true,
        ));
        let LookupState::Failed { message, .. } = state else {
            panic!("{state:?}");
        };
        assert!(message.contains("(60 min)"), "{message}");
        assert!(effects.is_empty());
    }

    #[test]
    fn cancel_then_retry_the_same_source() {
        let waiting = LookupState::Waiting {
            id: id(),
            source: Source::ReccoBeats,
            seconds_left: 5,
            retries: 1,
        };
        let (state, _) = waiting.next(LookupEvent::CancelWait);
        let LookupState::Failed {
            ref message,
            can_retry: true,
            ..
        } = state
        else {
            panic!("{state:?}");
        };
        assert!(message.contains("ReccoBeats was cancelled"));
        let (state, effects) = state.next(LookupEvent::Tick);
        assert!(matches!(state, LookupState::Failed { .. }) && effects.is_empty());
        let (state, effects) = state.next(LookupEvent::Retry);
        assert_eq!(state, loading(Source::ReccoBeats, 0));
        assert_eq!(effects, vec![LookupEffect::Fetch(id(), Source::ReccoBeats)]);
    }

    #[test]
    fn failures_say_whether_retry_or_login_helps() {
        let cases = [
            (
                SourceFailure::Spotify(ApiFailure::Unauthorized),
                false,
                true,
            ),
            (SourceFailure::Spotify(ApiFailure::NotFound), false, false),
            (
                SourceFailure::Spotify(ApiFailure::QuotaExceeded),
                false,
                false,
            ),
            (
                SourceFailure::Spotify(ApiFailure::NotAllowListed),
                false,
                false,
            ),
            (
                SourceFailure::Spotify(ApiFailure::ServerError { status: 502 }),
                true,
                false,
            ),
            (
                SourceFailure::ReccoBeats(RbFailure::Network {
                    detail: "offline".into(),
                }),
                true,
                false,
            ),
            (
                SourceFailure::ReccoBeats(RbFailure::BadAnswer {
                    detail: "junk".into(),
                }),
                true,
                false,
            ),
        ];
        for (failure, retry, login) in cases {
            let unauthorized = failure == SourceFailure::Spotify(ApiFailure::Unauthorized);
            let (state, effects) = loading(Source::Spotify, 0).next(answer(Err(failure), true));
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
            LookupEvent::Decline,
            LookupEvent::Consent { always: true },
            answer(Err(SourceFailure::Spotify(ApiFailure::NotFound)), true),
        ] {
            assert_eq!(LookupState::Idle.next(event), (LookupState::Idle, vec![]));
        }
        assert_eq!(
            loading(Source::Spotify, 0).next(LookupEvent::Clear),
            (LookupState::Idle, vec![])
        );
    }
}
