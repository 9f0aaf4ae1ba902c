// End to end: a library's tracks without a mood here are looked up on ReccoBeats only
// after the person's consent, in batches of at most 40 with progress, against a fake
// ReccoBeats on 127.0.0.1 that checks what it receives; what it places joins the library
// (and its stored copy), what it does not know stays listed. Runs against
// dist-spotify-fake/, the build whose service addresses point at the fakes.
import { after, before, beforeEach, test } from "node:test";
import assert from "node:assert/strict";

import { FakeReccoBeats } from "./support/fake-reccobeats.mjs";
import { FAKE_SPOTIFY_DIST, useSession } from "./support/session.mjs";

const fake = new FakeReccoBeats();
before(() => fake.start());
after(() => fake.stop());
beforeEach(() => fake.reset());
const { freshPage } = useSession({}, FAKE_SPOTIFY_DIST);

/** 50 made-up ids (none in the catalog); ReccoBeats knows the first 45. */
const ids = Array.from({ length: 50 }, (_, i) => `LibLookup${String(i).padStart(13, "0")}`);
const moods = ids.slice(0, 45).map((id, i) => ({ id, valence: ((i * 37) % 100) / 100, energy: ((i * 53) % 97) / 100 }));

function nearest(tracks, valence, energy, n) {
  return tracks
    .map((t, i) => ({ id: t.id, i, d: Math.hypot(t.valence - valence, t.energy - energy) }))
    .sort((a, b) => a.d - b.d || a.i - b.i)
    .slice(0, n)
    .map((t) => t.id);
}

test("the tracks without a mood are looked up after consent, in batches of 40, and join the library for good", async () => {
  for (const m of moods) fake.known.set(m.id, { title: `Found ${m.id}`, artists: ["Fake"], popularity: 50, valence: m.valence, energy: m.energy, danceability: 0.5, tempo: 120 });
  const { page, problems, plane } = await freshPage("?v=0.400&e=0.600&n=10");
  const csv = `id,name\n${ids.map((id, i) => `${id},Song ${i}`).join("\n")}\n`;
  await page.locator("#library-file").setInputFiles({ name: "ids.csv", mimeType: "text/csv", buffer: Buffer.from(csv) });
  const entry = page.locator('#library-list > li[data-library="ids.csv"]');
  await entry.waitFor();
  assert.equal(await entry.locator(".library-summary").textContent(), "placed 0 of 50 (0 from the catalog); 50 have no mood here");
  await entry.locator(".library-look-up").click();
  assert.match(await page.locator("#library-consent-question").textContent(), /will receive these 50 track ids/);
  assert.deepEqual(fake.log, [], "nothing is sent before the person agrees");
  await page.locator("#library-consent-once").click();
  await entry.locator(".library-summary", { hasText: "placed 45 of 50 (0 from the catalog, 45 by ReccoBeats); 5 have no mood here" }).waitFor();
  const features = fake.log.filter((l) => l.startsWith("features:")).map((l) => l.slice("features:".length).split(","));
  assert.deepEqual(features.map((batch) => batch.length), [40, 10]);
  assert.deepEqual(features.flat(), ids, "each id once, nothing else");
  assert.deepEqual(fake.refused, []);
  // Only my library: ReccoBeats' moods, ranked exactly.
  await page.locator("#only-mine").check();
  const expected = nearest(moods, 0.4, 0.6, 10);
  await page.waitForFunction((first) => document.querySelector("#results li")?.dataset.trackId === first, expected[0]);
  assert.deepEqual(await plane.resultIds(), expected);
  // Stored with what was found: a reload asks nobody again.
  const asked = fake.log.length;
  await page.reload();
  await entry.locator(".library-summary", { hasText: "45 by ReccoBeats" }).waitFor({ timeout: 20000 });
  assert.equal(fake.log.length, asked);
  assert.deepEqual(problems, []);
});
