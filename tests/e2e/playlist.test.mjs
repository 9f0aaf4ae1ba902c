// End to end: saving a list as a Spotify playlist against the fake Spotify, which checks
// the scope, the bodies and the batch sizes of the 2026 endpoints (POST /v1/me/playlists,
// POST /v1/playlists/{id}/items). The playlist permission is asked for only when saving,
// and a pending save survives the login round trip.
import { after, before, beforeEach, test } from "node:test";
import assert from "node:assert/strict";

import { FakeSpotify } from "./support/fake-spotify.mjs";
import { FAKE_SPOTIFY_DIST, useSession } from "./support/session.mjs";

const fake = new FakeSpotify();
before(() => fake.start());
after(() => fake.stop());
beforeEach(() => fake.reset());

const session = useSession({}, FAKE_SPOTIFY_DIST);
const freshPage = (search) => session.freshPage(search);
const crateIds = (page) => page.locator("#crate-tracks li").evaluateAll((rows) => rows.map((r) => r.dataset.trackId));

async function fillCrate(page, plane) {
  await page.locator("#crate-add-all").click();
  for (const [v, e] of [[0.9, 0.9], [0.9, 0.1]]) {
    await plane.drag({ valence: 0.1, energy: 0.1 }, { valence: v, energy: e });
    await plane.waitForUrl((p) => p.get("v") === v.toFixed(3) && p.get("e") === e.toFixed(3));
    await page.locator("#crate-add-all").click();
  }
  return crateIds(page);
}

test("saving the crate: the scope is asked only now, the save survives the login, batches of at most 100, a partial failure retried without duplicates", async () => {
  const { page, context, problems, plane } = await freshPage("?v=0.100&e=0.100&n=50");
  const ids = await fillCrate(page, plane);
  assert.ok(ids.length > 100, `a crate of ${ids.length} tracks needs two batches`);
  fake.failAdd = { request: 2, status: 500 };
  await page.locator("#crate-save summary").click();
  await page.locator("#crate-save-playlist").click();
  // Off to Spotify's consent page for the playlist permission, then back: the save goes on.
  await page.locator("#crate-save-status", { hasText: `Added 100 of ${ids.length} tracks` }).waitFor({ timeout: 15000 });
  assert.equal(fake.lastAuthorizeScope, "playlist-modify-private");
  assert.match(await page.locator("#crate-save-status").textContent(), /HTTP 500/);
  assert.match(await page.locator("#crate-save-status").textContent(), new RegExp(`Retry adds the other ${ids.length - 100}`));
  fake.failAdd = null;
  await page.locator("#crate-save-retry").click();
  await page.locator("#crate-save-status", { hasText: `with all ${ids.length} tracks` }).waitFor();
  const [playlist] = [...fake.playlists.values()];
  assert.equal(fake.playlists.size, 1, "one playlist");
  assert.equal(playlist.name, "Moodplane crate");
  assert.equal(playlist.public, false, "private by default");
  assert.match(playlist.description, /^Made with Moodplane: http:\/\/127\.0\.0\.1:\d+\//);
  assert.deepEqual(playlist.uris, ids.map((id) => `spotify:track:${id}`), "every track once, in crate order");
  assert.deepEqual(fake.addRequests, [100, ids.length - 100, ids.length - 100]);
  assert.ok(await page.locator("#crate-save-status a[href^='https://open.spotify.com/playlist/']").isVisible());
  // Already allowed: saving the results needs no second login.
  const logins = fake.count("grant:authorization_code");
  await page.locator("#results-save summary").click();
  await page.locator("#results-playlist-name").fill("Evening calm");
  await page.locator("#results-save-playlist").click();
  await page.locator("#results-save-status", { hasText: "Saved “Evening calm” with all 50 tracks" }).waitFor();
  assert.equal(fake.count("grant:authorization_code"), logins);
  assert.deepEqual(problems.filter((p) => !p.includes("500")), []);
  await context.close();
});

test("a public playlist asks for the public scope", async () => {
  const { page, context } = await freshPage("?n=3");
  await page.locator("#results-save summary").click();
  await page.locator("#results-playlist-public").check();
  await page.locator("#results-save-playlist").click();
  await page.locator("#results-save-status", { hasText: "with all 3 tracks" }).waitFor({ timeout: 15000 });
  assert.equal(fake.lastAuthorizeScope, "playlist-modify-public");
  assert.equal([...fake.playlists.values()][0].public, true);
  await context.close();
});

test("a login without the playlist permission: a clear message, nothing saved, Retry offered", async () => {
  fake.grantScope = "";
  const { page, context } = await freshPage("?n=3");
  await page.locator("#results-save summary").click();
  await page.locator("#results-save-playlist").click();
  await page.locator("#results-save-status", { hasText: "Spotify did not grant permission to change playlists" }).waitFor({ timeout: 15000 });
  assert.equal(fake.playlists.size, 0);
  assert.ok(await page.locator("#results-save-retry").isVisible());
  await context.close();
});

test("an account not on the app's allow-list is told so when saving", async () => {
  fake.answers.playlists = 403;
  const { page, context } = await freshPage("?n=3");
  await page.locator("#results-save summary").click();
  await page.locator("#results-save-playlist").click();
  await page.locator("#results-save-status", { hasText: "serves only the (at most five) accounts" }).waitFor({ timeout: 15000 });
  assert.equal(fake.playlists.size, 0);
  await context.close();
});

test("a 429 while adding is waited out and the save completes", async () => {
  const { page, context, plane } = await freshPage("?n=50");
  await page.locator("#results-save summary").click();
  fake.failAdd = { request: 1, status: 429 };
  await page.locator("#results-save-playlist").click();
  await page.locator("#results-save-status", { hasText: "with all 50 tracks" }).waitFor({ timeout: 15000 });
  assert.deepEqual([...fake.playlists.values()][0].uris, (await plane.resultIds()).map((id) => `spotify:track:${id}`));
  assert.deepEqual(fake.addRequests, [50, 50]);
  await context.close();
});
