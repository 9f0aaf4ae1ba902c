//! The page-wide Spotify login status, shared as context: who is logged in, the latest
//! login message, and a paste to carry on with after logging in. The status always
//! follows what sessionStorage holds: a refused or stale reply never hides a session.

use leptos::prelude::*;
use leptos::task::spawn_local;
use moodplane_core::spotify::api::{parse_profile, Endpoint};

use super::session::LoginOutcome;
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
                    Ok(LoginOutcome::LoggedIn) => context.load_profile(),
                    Ok(LoginOutcome::Unchanged) => context.sync_status(),
                    Err(error) => {
                        context.message.set(Some(error.to_string()));
                        context.sync_status();
                    }
                }
                context.pending_paste.set(pending);
            });
        } else {
            context.sync_status();
        }
        context
    }

    /// Makes the status say what sessionStorage holds: logged in (loading the name if
    /// not known yet) while tokens are stored, logged out otherwise.
    pub fn sync_status(self) {
        match (session::has_session(), self.status.get_untracked()) {
            (true, LoginStatus::LoggedIn { .. }) => {}
            (true, _) => self.load_profile(),
            (false, LoginStatus::LoggedOut) => {}
            (false, _) => self.status.set(LoginStatus::LoggedOut),
        }
    }

    /// Marks the session logged in and fetches the account's name to show.
    fn load_profile(self) {
        self.status.set(LoginStatus::LoggedIn { name: None });
        spawn_local(async move {
            match client::get(Endpoint::Me, None).await {
                Ok(body) => {
                    let name = parse_profile(&body).ok().map(|p| p.shown_name().to_owned());
                    if session::has_session() {
                        self.status.set(LoginStatus::LoggedIn { name });
                    }
                }
                Err(failure) => self.report(failure.to_string()),
            }
        });
    }

    /// Shows a Spotify problem; the status follows whatever session is left.
    pub fn report(self, message: String) {
        self.message.set(Some(message));
        self.sync_status();
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

    /// Starts a login that also asks for `scope` (a playlist save).
    pub fn log_in_with_scope(self, scope: &str) {
        if let Err(error) = session::begin_login_with_scope(None, scope) {
            self.message.set(Some(error.to_string()));
        }
    }

    pub fn log_out(self) {
        session::logout();
        self.status.set(LoginStatus::LoggedOut);
        self.message.set(None);
    }
}
