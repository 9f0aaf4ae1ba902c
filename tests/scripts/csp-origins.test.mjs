// The build's CSP origins follow the build-time service addresses, one by one.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";

import { DEFAULT_ORIGINS, serviceConnectOrigins } from "../../scripts/csp-origins.mjs";

test("no build-time addresses: the real services, as index.html lists them", () => {
  assert.equal(serviceConnectOrigins({}), "https://accounts.spotify.com https://api.spotify.com https://api.reccobeats.com");
  const html = readFileSync(new URL("../../index.html", import.meta.url), "utf8");
  assert.ok(html.includes(`connect-src 'self' ${DEFAULT_ORIGINS};`), "index.html's connect-src");
});

test("all set to fakes on one port: that origin once", () => {
  const fake = "http://127.0.0.1:28811";
  const env = { MOODPLANE_SPOTIFY_ACCOUNTS_BASE: fake, MOODPLANE_SPOTIFY_API_BASE: `${fake}/`, MOODPLANE_RECCOBEATS_BASE: fake };
  assert.equal(serviceConnectOrigins(env), fake);
});

test("only some set: the others stay real (reported for Spotify's two bases)", () => {
  assert.equal(
    serviceConnectOrigins({ MOODPLANE_SPOTIFY_API_BASE: "http://127.0.0.1:9000" }),
    "https://accounts.spotify.com http://127.0.0.1:9000 https://api.reccobeats.com",
  );
  assert.equal(
    serviceConnectOrigins({ MOODPLANE_SPOTIFY_ACCOUNTS_BASE: "https://accounts.example.org/x", MOODPLANE_RECCOBEATS_BASE: "http://127.0.0.1:28812" }),
    "https://accounts.example.org https://api.spotify.com http://127.0.0.1:28812",
  );
});
