//! Thin access to Web Storage, and the page's keys. Tokens and login secrets live in
//! sessionStorage only (gone when the tab closes); public choices (the client ID, the
//! ReccoBeats consent) and the crate live in localStorage.

use leptos::prelude::window;
use web_sys::Storage;

pub const ACCESS_TOKEN_KEY: &str = "moodplane.spotify.access_token";
pub const REFRESH_TOKEN_KEY: &str = "moodplane.spotify.refresh_token";
pub const EXPIRES_AT_KEY: &str = "moodplane.spotify.expires_at";
/// The client ID the stored tokens were issued to (refreshes must use the same one).
pub const TOKEN_CLIENT_ID_KEY: &str = "moodplane.spotify.token_client_id";
/// The scopes the stored tokens were granted (space-separated).
pub const TOKEN_SCOPE_KEY: &str = "moodplane.spotify.token_scope";
/// A playlist save waiting for a login with the playlist scope.
pub const PENDING_SAVE_KEY: &str = "moodplane.spotify.pending_save";
pub const VERIFIER_KEY: &str = "moodplane.spotify.pkce_verifier";
pub const STATE_KEY: &str = "moodplane.spotify.oauth_state";
/// The client ID a login in progress was started with (the exchange must use it).
pub const LOGIN_CLIENT_ID_KEY: &str = "moodplane.spotify.login_client_id";
pub const PENDING_PASTE_KEY: &str = "moodplane.spotify.pending_paste";
pub const RETURN_VIEW_KEY: &str = "moodplane.spotify.return_view";
pub const CLIENT_ID_KEY: &str = "moodplane.spotify.client_id";

/// What a logged-in tab holds; all cleared before a new login's tokens are stored.
pub const TOKEN_KEYS: [&str; 5] = [
    ACCESS_TOKEN_KEY,
    REFRESH_TOKEN_KEY,
    EXPIRES_AT_KEY,
    TOKEN_CLIENT_ID_KEY,
    TOKEN_SCOPE_KEY,
];

/// Every session key this page writes, cleared on logout.
pub const SESSION_KEYS: [&str; 11] = [
    ACCESS_TOKEN_KEY,
    REFRESH_TOKEN_KEY,
    EXPIRES_AT_KEY,
    TOKEN_CLIENT_ID_KEY,
    TOKEN_SCOPE_KEY,
    PENDING_SAVE_KEY,
    VERIFIER_KEY,
    STATE_KEY,
    LOGIN_CLIENT_ID_KEY,
    PENDING_PASTE_KEY,
    RETURN_VIEW_KEY,
];

fn session() -> Option<Storage> {
    window().session_storage().ok().flatten()
}

fn local() -> Option<Storage> {
    window().local_storage().ok().flatten()
}

pub fn session_get(key: &str) -> Option<String> {
    session()?.get_item(key).ok().flatten()
}

pub fn session_set(key: &str, value: &str) {
    if let Some(s) = session() {
        let _ = s.set_item(key, value);
    }
}

pub fn session_remove(key: &str) {
    if let Some(s) = session() {
        let _ = s.remove_item(key);
    }
}

/// Reads and removes a single-use value.
pub fn session_take(key: &str) -> Option<String> {
    let value = session_get(key);
    session_remove(key);
    value
}

pub fn local_get(key: &str) -> Option<String> {
    local()?.get_item(key).ok().flatten()
}

pub fn local_set(key: &str, value: &str) {
    if let Some(s) = local() {
        let _ = if value.is_empty() {
            s.remove_item(key)
        } else {
            s.set_item(key, value)
        };
    }
}
