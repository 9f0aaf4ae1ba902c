// The build's CSP origins follow the build-time Spotify addresses, one by one.
import { test } from "node:test";
import assert from "node:assert/strict";

import { spotifyConnectOrigins } from "../../scripts/csp-origins.mjs";

test("no build-time addresses: Spotify's own origins", () => {
  assert.equal(spotifyConnectOrigins({}), "https://accounts.spotify.com https://api.spotify.com");
});

test("both set to one fake: its origin once", () => {
  const env = { MOODPLANE_SPOTIFY_ACCOUNTS_BASE: "http://127.0.0.1:47811", MOODPLANE_SPOTIFY_API_BASE: "http://127.0.0.1:47811/" };
  assert.equal(spotifyConnectOrigins(env), "http://127.0.0.1:47811");
});

test("only one set: the other real Spotify origin is still allowed (reported)", () => {
  assert.equal(
    spotifyConnectOrigins({ MOODPLANE_SPOTIFY_API_BASE: "http://127.0.0.1:9000" }),
    "https://accounts.spotify.com http://127.0.0.1:9000",
  );
  assert.equal(
    spotifyConnectOrigins({ MOODPLANE_SPOTIFY_ACCOUNTS_BASE: "https://accounts.example.org/x" }),
    "https://accounts.example.org https://api.spotify.com",
  );
});
