// The fakes' fixed ports must never be taken by the run's own client sockets: a port in the
// kernel's ephemeral range can be (a CI run lost 47812 that way, and its e2e run hung).
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";

import { FAKE_RECCOBEATS_PORT } from "../e2e/support/fake-reccobeats.mjs";
import { FAKE_SPOTIFY_PORT } from "../e2e/support/fake-spotify.mjs";

/** Linux's ephemeral range, as this machine sets it (its default when unreadable). */
function ephemeralRange() {
  try {
    const [low, high] = readFileSync("/proc/sys/net/ipv4/ip_local_port_range", "utf8").trim().split(/\s+/).map(Number);
    return [low, high];
  } catch {
    return [32768, 60999];
  }
}

test("the fake Spotify's and the fake ReccoBeats' ports lie outside the ephemeral range", () => {
  const [low, high] = ephemeralRange();
  for (const [name, port] of [["fake Spotify", FAKE_SPOTIFY_PORT], ["fake ReccoBeats", FAKE_RECCOBEATS_PORT]]) {
    assert.ok(port < low || port > high, `${name} port ${port} lies in the ephemeral range ${low}–${high}`);
    assert.ok(port >= 1024, `${name} port ${port} needs no privilege`);
  }
});

test("the fake build's service addresses name the same ports the fakes listen on", () => {
  const script = readFileSync(new URL("../../scripts/test.sh", import.meta.url), "utf8");
  assert.ok(script.includes(`MOODPLANE_SPOTIFY_ACCOUNTS_BASE=http://127.0.0.1:${FAKE_SPOTIFY_PORT} `));
  assert.ok(script.includes(`MOODPLANE_SPOTIFY_API_BASE=http://127.0.0.1:${FAKE_SPOTIFY_PORT} `));
  assert.ok(script.includes(`MOODPLANE_RECCOBEATS_BASE=http://127.0.0.1:${FAKE_RECCOBEATS_PORT} `));
});
