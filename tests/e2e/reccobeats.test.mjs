// End to end: a pasted track outside the catalog finds its mood on ReccoBeats, with the
// person's consent and no login, against a fake ReccoBeats on 127.0.0.1; every failure
// ends in a specific message with the typed text kept. Runs against dist-spotify-fake/,
// the release build whose service addresses point at the fakes.
import { after, before, beforeEach, test } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";

import { audioFile, FakeReccoBeats, FILE_MOOD, RB_TRACKS, RB_UNKNOWN } from "./support/fake-reccobeats.mjs";
import { bruteForceNearest, loadTutorialCsv } from "./support/reference-ranking.mjs";
import { FAKE_SPOTIFY_DIST, ROOT, useSession } from "./support/session.mjs";

const fake = new FakeReccoBeats();
before(() => fake.start());
after(() => fake.stop());
beforeEach(() => fake.reset());

const tracks = loadTutorialCsv(join(ROOT, "data", "valence_arousal_11k.csv"));
const { freshPage } = useSession({}, FAKE_SPOTIFY_DIST);
const SHAPE = "7qiZfU4dY1lWllzX7mPBI3";
const KILLERS = "3n3Ppam7vgaVa1iaRUc9Lp";
const ONE_DANCE = "1zi7xx7UVEFkmKfv06H8x0";
const link = (id) => `https://open.spotify.com/track/${id}?si=abc`;

async function paste(plane, page, text) {
  await plane.linkInput.fill(text);
  await page.keyboard.press("Enter");
}

test("consent once: a track outside the catalog lands at ReccoBeats' mood, no login, nothing sent before", async () => {
  const { page, context, problems, plane } = await freshPage();
  await paste(plane, page, link(SHAPE));
  const card = page.locator("#lookup");
  await card.locator("#consent-question", { hasText: "ReccoBeats, a free third-party service" }).waitFor();
  assert.match(await card.textContent(), /will receive this track's id/);
  assert.deepEqual(fake.log, [], "nothing is sent before the person agrees");
  await page.locator("#consent-once").click();
  await page.locator("#lookup-placed", { hasText: "from ReccoBeats" }).waitFor();
  assert.match(await page.locator("#external-track").textContent(), /Shape of You[\s\S]*Ed Sheeran/);
  assert.equal(await card.getAttribute("data-mood-source"), "reccobeats");
  const { valence, energy } = RB_TRACKS[SHAPE];
  const params = await plane.waitForUrl((p) => p.get("v") === valence.toFixed(3));
  assert.equal(params.get("e"), energy.toFixed(3));
  const expected = bruteForceNearest(tracks, valence, energy, 10);
  await page.waitForFunction((first) => document.querySelector("#results li")?.dataset.trackId === first, expected[0].id);
  assert.deepEqual(await plane.resultIds(), expected.map((t) => t.id));
  assert.deepEqual(fake.log, [`features:${SHAPE}`, `track:${SHAPE}`], "only the pasted id was sent");
  assert.equal(await plane.linkInput.inputValue(), link(SHAPE));
  const stored = await page.evaluate(() => localStorage.getItem("moodplane.reccobeats.consent"));
  assert.equal(stored, null, "“once” is not remembered");
  assert.deepEqual(problems, []);
  await context.close();
});

test("always: remembered, answered from memory when pasted again, and revocable in the settings", async () => {
  const { page, context, plane } = await freshPage();
  await paste(plane, page, link(SHAPE));
  await page.locator("#consent-always").click();
  await page.locator("#lookup-placed", { hasText: "from ReccoBeats" }).waitFor();
  await paste(plane, page, link(KILLERS));
  await page.locator("#external-track", { hasText: "Mr. Brightside" }).waitFor();
  assert.equal(await page.locator("#consent-question").count(), 0, "no question once always is chosen");
  await paste(plane, page, link(SHAPE));
  await page.locator("#external-track", { hasText: "Shape of You" }).waitFor();
  await plane.waitForUrl((p) => p.get("v") === RB_TRACKS[SHAPE].valence.toFixed(3));
  assert.equal(fake.featureRequests(SHAPE), 1, "a second paste costs no request");
  // Revoke: the next paste asks again.
  await page.locator("#lookup-settings summary").click();
  assert.ok(await page.locator("#consent-setting-always").isChecked());
  await page.locator("#consent-setting-ask").check();
  assert.equal(await page.evaluate(() => localStorage.getItem("moodplane.reccobeats.consent")), null);
  await paste(plane, page, link(ONE_DANCE));
  await page.locator("#consent-question").waitFor();
  assert.equal(fake.featureRequests(ONE_DANCE), 0);
  await context.close();
});

test("never, or not now without a login: nothing is sent and the login is offered", async () => {
  const { page, context, plane } = await freshPage();
  await paste(plane, page, link(SHAPE));
  await page.locator("#consent-decline").click();
  await page.locator("#lookup", { hasText: "Log in with Spotify to fetch its mood" }).waitFor();
  assert.ok(await page.locator("#lookup-login").isVisible());
  await page.locator("#lookup-settings summary").click();
  await page.locator("#consent-setting-never").check();
  await paste(plane, page, link(KILLERS));
  await page.locator("#lookup", { hasText: `Track ${KILLERS} is not in this catalog` }).waitFor();
  assert.deepEqual(fake.log, []);
  assert.equal(await plane.linkInput.inputValue(), link(KILLERS));
  await context.close();
});

test("a track ReccoBeats does not know: a specific message, the text kept", async () => {
  const { page, context, plane } = await freshPage();
  await paste(plane, page, link(RB_UNKNOWN));
  await page.locator("#consent-once").click();
  await page.locator("#lookup-message", { hasText: "ReccoBeats has no features for this track: place it by hand or log in with Spotify" }).waitFor();
  assert.equal(await plane.linkInput.inputValue(), link(RB_UNKNOWN));
  await context.close();
});

test("values outside 0..1 are refused, not placed", async () => {
  fake.mode = "bad-values";
  const { page, context, plane } = await freshPage("?v=0.100&e=0.100");
  await paste(plane, page, link(SHAPE));
  await page.locator("#consent-once").click();
  await page.locator("#lookup-message", { hasText: "values a mood cannot have" }).waitFor();
  assert.equal((await plane.urlParams()).get("v"), "0.100");
  await context.close();
});

test("429: a countdown honours Retry-After, then the lookup carries on", async () => {
  fake.mode = "429";
  fake.retryAfter = 2;
  const { page, context, plane } = await freshPage();
  await paste(plane, page, link(SHAPE));
  await page.locator("#consent-once").click();
  await page.locator("#lookup", { hasText: "ReccoBeats asks this page to slow down" }).waitFor();
  const shown = Number(await page.locator("#retry-countdown").textContent());
  assert.ok(shown >= 1 && shown <= 2, `countdown ${shown}`);
  fake.mode = "ok";
  await page.locator("#lookup-placed", { hasText: "from ReccoBeats" }).waitFor({ timeout: 8000 });
  await context.close();
});

for (const [mode, message] of [
  ["500", "ReccoBeats had a problem answering (HTTP 500)"],
  ["junk", "ReccoBeats' answer could not be read"],
  ["no-cors", "Could not reach ReccoBeats"],
  ["drop", "Could not reach ReccoBeats"],
]) {
  test(`${mode}: a clear message and a retry that works`, async () => {
    fake.mode = mode;
    const { page, context, plane } = await freshPage();
    await paste(plane, page, link(SHAPE));
    await page.locator("#consent-once").click();
    await page.locator("#lookup-message", { hasText: message }).waitFor();
    assert.equal(await plane.linkInput.inputValue(), link(SHAPE));
    fake.mode = "ok";
    await page.locator("#lookup-retry").click();
    await page.locator("#lookup-placed", { hasText: "from ReccoBeats" }).waitFor();
    await context.close();
  });
}

test("an audio file: nothing is sent before confirming, then its mood becomes the query", async () => {
  const { page, context, problems, plane } = await freshPage();
  await plane.pickAudioFile(audioFile(20000));
  assert.match(await page.locator("#audio-confirm-question").textContent(), /Send “demo\.mp3” \(0\.0 MB\) to ReccoBeats/);
  assert.deepEqual(fake.log, [], "nothing is sent before the confirmation");
  await plane.sendPickedAudioFile();
  assert.equal(fake.log.length, 1);
  assert.match(fake.log[0], /^upload:\d+$/);
  assert.deepEqual(fake.refused, []);
  const params = await plane.waitForUrl((p) => p.get("v") === FILE_MOOD.valence.toFixed(3));
  assert.equal(params.get("e"), FILE_MOOD.energy.toFixed(3));
  const expected = bruteForceNearest(tracks, FILE_MOOD.valence, FILE_MOOD.energy, 10);
  await page.waitForFunction((first) => document.querySelector("#results li")?.dataset.trackId === first, expected[0].id);
  assert.deepEqual(await plane.resultIds(), expected.map((t) => t.id));
  assert.deepEqual(problems, []);
  await context.close();
});

test("an audio file over 5 MB is refused before any upload; a 413 is explained too", async () => {
  const { page, context } = await freshPage();
  await page.locator("#audio-file summary").click();
  await page.locator("#audio-file-input").setInputFiles(audioFile(5 * 1024 * 1024 + 1));
  await page.locator("#audio-message", { hasText: "at most 5 MB" }).waitFor();
  assert.equal(await page.locator("#audio-send").count(), 0);
  assert.deepEqual(fake.log, []);
  fake.uploadLimit = 1000;
  await page.locator("#audio-file-input").setInputFiles(audioFile(20000));
  await page.locator("#audio-send").click();
  await page.locator("#audio-message", { hasText: "at most 5 MB" }).waitFor();
  assert.equal(fake.log.length, 1);
  await context.close();
});

test("an audio file with impossible values or a server error gets a specific message", async () => {
  const { page, context, plane } = await freshPage("?v=0.100&e=0.100");
  await page.locator("#audio-file summary").click();
  fake.mode = "bad-values";
  await page.locator("#audio-file-input").setInputFiles(audioFile(2000));
  await page.locator("#audio-send").click();
  await page.locator("#audio-message", { hasText: "values a mood cannot have" }).waitFor();
  fake.mode = "500";
  await page.locator("#audio-file-input").setInputFiles({ ...audioFile(3000), name: "other.wav" });
  await page.locator("#audio-send").click();
  await page.locator("#audio-message", { hasText: "HTTP 500" }).waitFor();
  assert.equal((await plane.urlParams()).get("v"), "0.100", "the point did not move");
  await context.close();
});

test("the fake's tracks are not in the catalog (precondition of these tests)", () => {
  const ids = new Set(tracks.map((t) => t.id));
  for (const id of [...Object.keys(RB_TRACKS), RB_UNKNOWN]) assert.ok(!ids.has(id), id);
});

test("a pasted block: catalog tracks at once, the rest in one batch after one consent, each line's outcome, a pasted layer", async () => {
  const { page, context, problems, plane } = await freshPage();
  const inCatalog = tracks[42];
  const block = [
    `https://open.spotify.com/track/${inCatalog.id}`,
    `spotify:track:${SHAPE}`,
    "not a link at all",
    link(RB_UNKNOWN),
    `“${link(KILLERS)}”`,
    link(SHAPE),
  ].join("\n");
  await plane.pasteFromClipboard(block);
  await page.locator("#pasted-summary", { hasText: "1 of 6 placed (1 from the catalog, 0 from ReccoBeats); 3 waiting" }).waitFor();
  assert.match(await page.locator("#block-consent-question").textContent(), /will receive these 3 track ids/);
  assert.deepEqual(fake.log, [], "nothing is sent before the person agrees");
  await page.locator("#block-consent-once").click();
  await page.locator("#pasted-summary", { hasText: "3 of 6 placed (1 from the catalog, 2 from ReccoBeats); 1 without a mood; 1 lines not a track link" }).waitFor();
  assert.deepEqual(fake.log, [`features:${SHAPE},${RB_UNKNOWN},${KILLERS}`, `track:${SHAPE},${RB_UNKNOWN},${KILLERS}`], "one batch, each id once");
  const rows = page.locator("#pasted-tracks li");
  assert.equal(await rows.count(), 6);
  assert.match(await rows.nth(0).textContent(), new RegExp(`${inCatalog.name}[\\s\\S]*from the catalog`));
  assert.match(await rows.nth(1).textContent(), /Shape of You — Ed Sheeran[\s\S]*from ReccoBeats/);
  assert.match(await rows.nth(2).textContent(), /not a Spotify track link/);
  assert.match(await rows.nth(3).textContent(), /ReccoBeats has no features for this track/);
  assert.match(await rows.nth(5).textContent(), /same track as an earlier line/);
  // Any placed line becomes the query, from the list or from its marker on the plane.
  await rows.nth(4).locator(".use-as-query").click();
  await plane.waitForUrl((p) => p.get("v") === RB_TRACKS[KILLERS].valence.toFixed(3));
  await plane.drag({ valence: 0.5, energy: 0.5 }, { valence: 0.5, energy: 0.4 });
  const shape = RB_TRACKS[SHAPE];
  const at = await plane.pointOf(shape.valence, shape.energy);
  await page.mouse.click(at.x, at.y);
  await plane.waitForUrl((p) => p.get("v") === shape.valence.toFixed(3) && p.get("e") === shape.energy.toFixed(3));
  const teal = await plane.overlayPixels([0, 150, 136]);
  assert.ok(teal > 100, `pasted layer drawn (${teal} teal pixels)`);
  await page.locator("#pasted-clear").click();
  assert.equal(await page.locator("#pasted").count(), 0);
  assert.deepEqual(problems, []);
  await context.close();
});

test("a pasted block of 45 unknown-to-the-catalog ids goes out in batches of at most 40", async () => {
  const { page, context, plane } = await freshPage();
  await page.evaluate(() => localStorage.setItem("moodplane.reccobeats.consent", "always"));
  await page.reload();
  await page.locator("#results li").first().waitFor();
  const ids = Array.from({ length: 45 }, (_, i) => `${String(i).padStart(2, "0")}${"3".repeat(20)}`);
  await plane.pasteFromClipboard(ids.map(link).join("\n"));
  await page.locator("#pasted-summary", { hasText: "0 of 45 placed (0 from the catalog, 0 from ReccoBeats); 45 without a mood" }).waitFor();
  const batches = fake.log.filter((l) => l.startsWith("features:")).map((l) => l.slice(9).split(",").length);
  assert.deepEqual(batches, [40, 5]);
  assert.deepEqual(fake.refused, []);
  await context.close();
});

test("a pasted block through a rate limit and a server error: a countdown, then failed lines that retry", async () => {
  const { page, context, plane } = await freshPage();
  await page.evaluate(() => localStorage.setItem("moodplane.reccobeats.consent", "always"));
  await page.reload();
  await page.locator("#results li").first().waitFor();
  fake.retryAfter = 2;
  fake.failNext("429", 1);
  await plane.pasteFromClipboard([link(SHAPE), link(KILLERS)].join("\n"));
  await page.locator("#pasted-countdown").waitFor();
  await page.locator("#pasted-summary", { hasText: "2 of 2 placed (0 from the catalog, 2 from ReccoBeats)" }).waitFor({ timeout: 8000 });
  fake.mode = "500";
  await plane.pasteFromClipboard([link(ONE_DANCE), link(RB_UNKNOWN)].join("\n"));
  await page.locator("#pasted-tracks li", { hasText: "ReccoBeats had a problem answering (HTTP 500)" }).first().waitFor();
  assert.equal(await page.locator("#pasted-tracks li.unplaced").count(), 2);
  fake.mode = "ok";
  await page.locator("#pasted-retry").click();
  await page.locator("#pasted-summary", { hasText: "1 of 2 placed (0 from the catalog, 1 from ReccoBeats); 1 without a mood" }).waitFor();
  await context.close();
});
