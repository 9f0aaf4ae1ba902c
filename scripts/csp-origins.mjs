// The Spotify origins the page's Content-Security-Policy must allow in connect-src: each
// service's build-time base (MOODPLANE_SPOTIFY_ACCOUNTS_BASE, MOODPLANE_SPOTIFY_API_BASE)
// when set, Spotify's own otherwise, so setting only one of the two keeps the other real.
export const SPOTIFY_ACCOUNTS = "https://accounts.spotify.com";
export const SPOTIFY_API = "https://api.spotify.com";

/** The connect-src origins for the given environment, without repeats. */
export function spotifyConnectOrigins(env) {
  const accounts = env.MOODPLANE_SPOTIFY_ACCOUNTS_BASE ? new URL(env.MOODPLANE_SPOTIFY_ACCOUNTS_BASE).origin : SPOTIFY_ACCOUNTS;
  const api = env.MOODPLANE_SPOTIFY_API_BASE ? new URL(env.MOODPLANE_SPOTIFY_API_BASE).origin : SPOTIFY_API;
  return [...new Set([accounts, api])].join(" ");
}
