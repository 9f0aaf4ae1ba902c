// The service origins the page's Content-Security-Policy must allow in connect-src: each
// service's build-time base (MOODPLANE_SPOTIFY_ACCOUNTS_BASE, MOODPLANE_SPOTIFY_API_BASE,
// MOODPLANE_RECCOBEATS_BASE) when set, the real service's otherwise, so setting only some
// of them keeps the others real.
export const SPOTIFY_ACCOUNTS = "https://accounts.spotify.com";
export const SPOTIFY_API = "https://api.spotify.com";
export const RECCOBEATS = "https://api.reccobeats.com";

/** The origins index.html lists, in its order. */
export const DEFAULT_ORIGINS = `${SPOTIFY_ACCOUNTS} ${SPOTIFY_API} ${RECCOBEATS}`;

/** The connect-src origins for the given environment, without repeats. */
export function serviceConnectOrigins(env) {
  const origin = (base, real) => (base ? new URL(base).origin : real);
  return [
    ...new Set([
      origin(env.MOODPLANE_SPOTIFY_ACCOUNTS_BASE, SPOTIFY_ACCOUNTS),
      origin(env.MOODPLANE_SPOTIFY_API_BASE, SPOTIFY_API),
      origin(env.MOODPLANE_RECCOBEATS_BASE, RECCOBEATS),
    ]),
  ].join(" ");
}
