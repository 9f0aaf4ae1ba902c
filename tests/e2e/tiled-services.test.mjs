// End to end over a tiled catalog read tile by tile, with the services: the release build
// pointed at the fakes on 127.0.0.1 (dist-spotify-fake/), serving the embedded catalog cut
// into tiles of at most 64 tracks. What a service places (here an audio file's mood from
// ReccoBeats) becomes the query, and its list is exact against the test's own reference.
import { after, before, beforeEach, test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

import { audioFile, FakeReccoBeats, FILE_MOOD } from "./support/fake-reccobeats.mjs";
import { expectedWithTies, loadTutorialCsv, waitForRanking } from "./support/reference-ranking.mjs";
import { FAKE_SPOTIFY_DIST, ROOT, useSession } from "./support/session.mjs";
import { buildTiles, serveInstead } from "./support/tiled-build.mjs";

const CSV = join(ROOT, "data", "valence_arousal_11k.csv");
const work = mkdtempSync(join(tmpdir(), "moodplane-tiles-services-"));
// The builder keeps the first of repeated ids.
const seen = new Set();
const tracks = loadTutorialCsv(CSV).filter((t) => !seen.has(t.id) && seen.add(t.id));
const fake = new FakeReccoBeats();
const routes = {};
before(() => {
  const built = buildTiles([CSV], work, ["--tracks-per-tile", "64", "--load-whole-up-to", "0"]);
  serveInstead(routes, built, FAKE_SPOTIFY_DIST);
  return fake.start();
});
after(() => fake.stop());
beforeEach(() => fake.reset());
const { freshPage } = useSession(routes, FAKE_SPOTIFY_DIST);

test("over tiles, an audio file's mood (sent only after confirming) becomes the query, and its list is exact", async () => {
  const { page, context, problems, plane } = await freshPage();
  assert.match(await page.locator("#catalog-summary").textContent(), /tiled/);
  await plane.pickAudioFile(audioFile(20000));
  assert.deepEqual(fake.log, [], "nothing is sent before the confirmation");
  await plane.sendPickedAudioFile();
  assert.equal(fake.log.length, 1);
  assert.match(fake.log[0], /^upload:\d+$/);
  await plane.waitForUrl((p) => p.get("v") === FILE_MOOD.valence.toFixed(3) && p.get("e") === FILE_MOOD.energy.toFixed(3));
  const { top, atLast } = expectedWithTies(tracks, FILE_MOOD.valence, FILE_MOOD.energy, 10);
  // The page is done fetching, and its list is the reference's.
  await page.locator("#tiles-status").waitFor({ state: "hidden" });
  await waitForRanking(plane, top, atLast);
  assert.deepEqual(problems, []);
  await context.close();
});
