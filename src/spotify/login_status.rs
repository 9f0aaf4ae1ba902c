//! The page-wide Spotify login status, shared as context: who is logged in, the latest
//! login message, and a paste to carry on with after logging in.

use leptos::prelude::*;
use leptos::task::spawn_local;
use moodplane_core::spotify::api::{parse_profile, Endpoint};

use super::{client, session};

#[derive(Debug, Clone, PartialEq)]
pub enum LoginStatus {
    LoggedOut,
    /// Back from Spotify, exchanging the code: neither logged in nor out yet.
    Completing,
    LoggedIn {
        name: Option<String>,
    },
}

#[derive(Clone, Copy)]
pub struct SpotifyContext {
    pub status: RwSignal<LoginStatus>,
    /// The latest login problem, in words.
    pub message: RwSignal<Option<String>>,
    /// Text pasted before the login, handed back to the paste box afterwards.
    pub pending_paste: RwSignal<Option<String>>,
}

impl SpotifyContext {
    /// Creates the context, finishing a login if the page is its callback.
    pub fn start() -> SpotifyContext {
        let context = SpotifyContext {
            status: RwSignal::new(LoginStatus::LoggedOut),
            message: RwSignal::new(None),
            pending_paste: RwSignal::new(None),
        };
        if let Some(callback) = session::take_callback_from_url() {
            context.status.set(LoginStatus::Completing);
            let pending = session::take_pending_paste();
            spawn_local(async move {
                match session::complete_login(callback).await {
                    Ok(()) => {
                        context.load_profile();
                        context.pending_paste.set(pending);
                    }
                    Err(error) => {
                        context.status.set(LoginStatus::LoggedOut);
                        context.message.set(Some(error.to_string()));
                        context.pending_paste.set(pending);
                    }
                }
            });
        } else if session::has_session() {
            context.load_profile();
        }
        context
    }

    /// Marks the session logged in and fetches the account's name to show.
    fn load_profile(self) {
        self.status.set(LoginStatus::LoggedIn { name: None });
        spawn_local(async move {
            match client::get(Endpoint::Me, None).await {
                Ok(body) => {
                    let name = parse_profile(&body).ok().map(|p| p.shown_name().to_owned());
                    self.status.set(LoginStatus::LoggedIn { name });
                }
                Err(failure) => self.lost_or_limited(failure.to_string(), session::has_session()),
            }
        });
    }

    /// Records a failure; when the session is gone, the status says so.
    pub fn lost_or_limited(self, message: String, still_logged_in: bool) {
        if !still_logged_in {
            self.status.set(LoginStatus::LoggedOut);
        }
        self.message.set(Some(message));
    }

    pub fn is_logged_in(self) -> bool {
        matches!(self.status.get_untracked(), LoginStatus::LoggedIn { .. })
    }

    /// Starts a login, keeping `pending_paste` to carry on with afterwards.
    pub fn log_in(self, pending_paste: Option<&str>) {
        if let Err(error) = session::begin_login(pending_paste) {
            self.message.set(Some(error.to_string()));
        }
    }

    pub fn log_out(self) {
        session::logout();
        self.status.set(LoginStatus::LoggedOut);
        self.message.set(None);
    }
}
