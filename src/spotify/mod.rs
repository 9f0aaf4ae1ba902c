//! The browser side of the Spotify login and lookups: build-time settings, storage,
//! the PKCE login and token refresh, API calls, and the components that show them.
//! All decisions (URLs, bodies, failure meanings) come from `moodplane_core::spotify`.

pub mod client;
pub mod config;
pub mod login_status;
pub mod panel;
pub mod save_playlist;
pub mod session;
