//! Build-time Spotify settings. The service addresses are fixed when the page is built
//! (never read from the page URL, storage or the catalog), so tests can point a build at
//! a fake server; the client ID has a build-time default a person may replace.

use crate::storage::{local_get, CLIENT_ID_KEY};

/// Spotify's accounts service, or the build's `MOODPLANE_SPOTIFY_ACCOUNTS_BASE`.
pub const ACCOUNTS_BASE: &str = match option_env!("MOODPLANE_SPOTIFY_ACCOUNTS_BASE") {
    Some(base) => base,
    None => "https://accounts.spotify.com",
};

/// Spotify's Web API, or the build's `MOODPLANE_SPOTIFY_API_BASE`.
pub const API_BASE: &str = match option_env!("MOODPLANE_SPOTIFY_API_BASE") {
    Some(base) => base,
    None => "https://api.spotify.com",
};

/// The client ID built in (`MOODPLANE_SPOTIFY_CLIENT_ID`); empty when none was given.
pub const DEFAULT_CLIENT_ID: &str = match option_env!("MOODPLANE_SPOTIFY_CLIENT_ID") {
    Some(id) => id,
    None => "",
};

/// The client ID a new login uses: the one saved in settings, else the built-in one.
/// A login keeps the ID it started with, so a change here (in any tab) affects only the
/// next login.
pub fn client_id() -> String {
    local_get(CLIENT_ID_KEY)
        .filter(|id| !id.trim().is_empty())
        .unwrap_or_else(|| DEFAULT_CLIENT_ID.to_owned())
}

/// This page's address without query or fragment: the redirect URI to register.
pub fn redirect_uri() -> String {
    let location = leptos::prelude::window().location();
    format!(
        "{}{}",
        location.origin().unwrap_or_default(),
        location.pathname().unwrap_or_else(|_| "/".to_owned())
    )
}
