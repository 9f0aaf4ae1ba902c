//! Spotify without a backend: PKCE login (RFC 7636) and token handling, the Web API's
//! answers and its failure modes, all as pure logic the browser layer drives.

pub mod api;
pub mod oauth;
pub mod pkce;
pub mod playlist;
