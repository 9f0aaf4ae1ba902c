// The page's first list (static/first-list.js, crates/first-list): before the app's wasm
// has arrived, the link's nearest tracks are listed by a small wasm of their own over
// the tiled catalog, then the app's list replaces them. Over the embedded catalog cut
// into 64-track tiles and read tile by tile (as tiled-catalog.test.mjs), with the app's
// wasm held back by the test until the first list is checked.
import { before, test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

import { openPage } from "./support/browser.mjs";
import { PlanePage } from "./support/plane-page.mjs";
import { assertSameRanking, expectedWithTies, listed, loadTutorialCsv } from "./support/reference-ranking.mjs";
import { DIST, ROOT, useSession } from "./support/session.mjs";
import { buildTiles, declaredManifest, serveInstead } from "./support/tiled-build.mjs";

const CSV = join(ROOT, "data", "valence_arousal_11k.csv");
const work = mkdtempSync(join(tmpdir(), "moodplane-first-list-"));
let manifest;
const seen = new Set();
const tracks = loadTutorialCsv(CSV).filter((t) => !seen.has(t.id) && seen.add(t.id));

const routes = {};
before(() => {
  const built = buildTiles([CSV], work, ["--tracks-per-tile", "64", "--load-whole-up-to", "0"]);
  manifest = built.manifest;
  serveInstead(routes, built);
});
const session = useSession(routes);

const APP_WASM = /\/moodplane-[0-9a-f]+_bg\.wasm$/;

/**
 * Opens the page at `search` with the app's wasm held back until `release()`. Records the
 * page's requests (path and range) and whether the app's wasm was asked for.
 */
async function openHeld(search, routeMore = async () => {}) {
  const { page, context, problems } = await openPage(session.browser);
  const requests = [];
  page.on("request", (r) => requests.push({ path: new URL(r.url()).pathname, range: r.headers().range ?? null }));
  let release;
  const held = new Promise((ok) => (release = ok));
  await page.route(APP_WASM, async (route) => {
    await held;
    await route.continue();
  });
  await routeMore(page);
  // Whether the page, once it had a list, ever had none (the first list gone before the
  // app's came), and whether it ever said the list was empty.
  await page.addInitScript(() => {
    const seen = new MutationObserver(() => {
      if (document.querySelector("#first-list li, #results li")) window.__listed = true;
      else if (window.__listed) window.__gap = true;
      if (document.querySelector("#results-empty")) window.__saidEmpty = true;
    });
    seen.observe(document, { childList: true, subtree: true });
  });
  await page.goto(session.server.url + search);
  return { page, context, problems, requests, release, plane: new PlanePage(page) };
}

/** Waits (up to 5 s) until the page has asked for the app's wasm. */
async function appAskedFor(requests) {
  for (const deadline = Date.now() + 5000; !requests.some((r) => APP_WASM.test(r.path)); ) {
    assert.ok(Date.now() < deadline, "the app's wasm was never asked for");
    await new Promise((ok) => setTimeout(ok, 20));
  }
}

/** The first list's rows as [{ id, distance }] (as the app's rows give them). */
function firstListed(page) {
  return page.locator("#first-list li").evaluateAll((rows) => rows.map((li) => ({ id: li.dataset.trackId, distance: Number(li.dataset.distance) })));
}

test("before the app's wasm arrives, the link's nearest tracks are listed exactly (z-scores, a genre left out), and the app's list then takes their place, reusing what was read", async () => {
  const search = "?v=0.3&e=0.7&n=12&z=1&gx=pop";
  const { page, context, problems, requests, release, plane } = await openHeld(search);
  const rows = page.locator("#first-list li");
  await rows.nth(11).waitFor({ timeout: 20000 });
  assert.equal(await rows.count(), 12);
  // The app has not started: its wasm is held, its list absent, its start line still shown.
  assert.equal(await page.locator("#results li").count(), 0);
  assert.ok(await page.locator("#boot-message").isVisible());
  // The app's download has begun (held by the test), started beside the first list's reads.
  await appAskedFor(requests);

  const { top, atLast } = expectedWithTies(tracks, 0.3, 0.7, 12, { zScore: true, excludeGenres: ["pop"] });
  const first = await firstListed(page);
  assertSameRanking(first, top, atLast);
  assert.equal(await page.locator("#first-list h2").textContent(), "The 12 tracks nearest valence 0.300, energy 0.700");
  // A row reads as the app's: name, artist, genre, distance to three places, a link out.
  const byId = new Map(tracks.map((t) => [t.id, t]));
  const firstRow = rows.first();
  const track = byId.get(first[0].id);
  assert.equal(await firstRow.locator(".name").textContent(), track.name);
  assert.equal(await firstRow.locator(".artist").textContent(), track.artist);
  assert.equal(await firstRow.locator(".genre").textContent(), track.genre);
  assert.equal(await firstRow.locator(".distance").textContent(), top[0].distance.toFixed(3));
  assert.equal(await firstRow.locator("a.open").getAttribute("href"), `https://open.spotify.com/track/${first[0].id}`);
  const readFirst = requests.filter((r) => r.path.endsWith(".tiles")).map((r) => r.range);
  assert.ok(readFirst.length >= 2 && readFirst.every((r) => /^bytes=\d+-\d+$/.test(r)), JSON.stringify(readFirst));

  release();
  await plane.results.first().waitFor({ timeout: 20000 });
  await page.locator("#first-list").waitFor({ state: "detached", timeout: 5000 });
  // The same list, now the app's: the first list ranked as the app ranks. It stayed until
  // the app's came, and the page never called the list empty meanwhile.
  assert.deepEqual(await listed(plane), first);
  assert.deepEqual(await page.evaluate(() => [window.__gap ?? false, window.__saidEmpty ?? false]), [false, false]);
  // The manifest came once, and no piece the first list read was read again.
  const manifestReads = requests.filter((r) => r.path.endsWith(".json"));
  assert.equal(manifestReads.length, 1, JSON.stringify(manifestReads));
  const ranges = requests.filter((r) => r.path.endsWith(".tiles")).map((r) => r.range);
  for (const range of readFirst) assert.equal(ranges.filter((r) => r === range).length, 1, `${range} read again`);
  assert.ok(manifest.tiles.count.length > 100, "the catalog is cut small");
  assert.deepEqual(problems, []);
  await context.close();
});

test("a shared link to a catalog track is listed before the app: its id shard read first, the track left out, its name in the heading; the app then lists the same from what was read", async () => {
  const track = tracks[321];
  const { page, context, problems, requests, release, plane } = await openHeld(`?track=${track.id}&n=8&z=1`);
  const rows = page.locator("#first-list li");
  await rows.nth(7).waitFor({ timeout: 20000 });
  assert.equal(await rows.count(), 8);
  assert.equal(await page.locator("#results li").count(), 0, "the app has not started");
  await appAskedFor(requests);
  const { top, atLast } = expectedWithTies(tracks, track.valence, track.energy, 8, { zScore: true, excludeId: track.id });
  const first = await firstListed(page);
  assertSameRanking(first, top, atLast);
  assert.ok(first.every((row) => row.id !== track.id), "the track is not its own match");
  assert.equal(await page.locator("#first-list h2").textContent(), `The 8 tracks nearest ${track.name} by ${track.artist}`);
  // The id shard came first, alone; then the tiles and the details around the track.
  const readFirst = requests.filter((r) => r.path.endsWith(".tiles")).map((r) => r.range);
  const starts = readFirst.map((range) => Number(/bytes=(\d+)/.exec(range)[1]));
  assert.ok(starts[0] >= manifest.shards_start, `the first read is the id shard: ${readFirst[0]}`);
  assert.ok(starts.slice(1).every((start) => start < manifest.shards_start), JSON.stringify(readFirst));
  assert.ok(readFirst.length >= 3, JSON.stringify(readFirst));

  release();
  await plane.results.first().waitFor({ timeout: 20000 });
  await page.locator("#first-list").waitFor({ state: "detached", timeout: 5000 });
  assert.deepEqual(await listed(plane), first);
  await page.locator("#query-track", { hasText: track.artist }).waitFor();
  assert.deepEqual(await page.evaluate(() => [window.__gap ?? false, window.__saidEmpty ?? false]), [false, false]);
  // Nothing the first list read (the shard included) was read again by the app.
  const ranges = requests.filter((r) => r.path.endsWith(".tiles")).map((r) => r.range);
  for (const range of readFirst) assert.equal(ranges.filter((r) => r === range).length, 1, `${range} read again`);
  assert.deepEqual(problems, []);
  await context.close();
});

test("a shared link to a track the catalog lacks gets no first list: the app, reading no shard again, says so", async () => {
  const known = new Set(tracks.map((t) => t.id));
  const id = ["A", "B"].map((last) => tracks[55].id.slice(0, 21) + last).find((candidate) => !known.has(candidate));
  const { page, context, problems, requests, release, plane } = await openHeld(`?track=${id}&n=4`);
  await appAskedFor(requests);
  // The first list has read the shard (and handed it over) before the app runs.
  await page.waitForFunction(() => window.moodplanePieces?.size > 0);
  release();
  await page.locator("#notices li", { hasText: `The link's track ${id} is not in this catalog` }).waitFor({ timeout: 20000 });
  await plane.results.first().waitFor({ timeout: 20000 });
  assert.equal(await page.locator("#first-list").count(), 0);
  const shardReads = requests.filter((r) => r.path.endsWith(".tiles") && Number(/bytes=(\d+)/.exec(r.range)[1]) >= manifest.shards_start);
  assert.equal(shardReads.length, 1, JSON.stringify(shardReads));
  assert.deepEqual(problems, []);
  await context.close();
});

test("a link to a journey or a region waits for the app, which starts at once", async () => {
  for (const search of ["?path=0.1,0.1;0.9,0.9&n=8", "?v=0.5&e=0.5&r=0.03"]) {
    const { page, context, problems, requests, release, plane } = await openHeld(search);
    await appAskedFor(requests);
    // No archive piece is read before the app runs, and no first list is shown.
    assert.deepEqual(requests.filter((r) => r.path.endsWith(".tiles")), [], search);
    assert.equal(await page.locator("#first-list").count(), 0, search);
    release();
    await plane.results.first().waitFor({ timeout: 20000 });
    assert.deepEqual(problems, [], search);
    await context.close();
  }
});

test("when the first list's own wasm cannot be had, the app starts at once and lists the point", async () => {
  const { page, context, requests, release, plane } = await openHeld("?v=0.8&e=0.2&n=5", (page) =>
    page.route(/\/first_list-[0-9a-f]+_bg\.wasm$/, (route) => route.fulfill({ status: 404, body: "gone" })),
  );
  await appAskedFor(requests);
  release();
  await plane.results.first().waitFor({ timeout: 20000 });
  assert.equal(await page.locator("#first-list").count(), 0);
  const { top, atLast } = expectedWithTies(tracks, 0.8, 0.2, 5);
  assertSameRanking(await listed(plane), top, atLast);
  await context.close();
});

test("a catalog read whole gets no first list: the app, which reads it all in one download, starts as soon as the manifest says so", async () => {
  // The build's own catalog (the embedded default, read whole), in place of the tiled one.
  const own = readFileSync(join(DIST, declaredManifest()));
  assert.match(own.toString(), /"order":\[/);
  // Built for it, the page preloads the manifest but not the first list's glue or wasm.
  const html = readFileSync(join(DIST, "index.html"), "utf8");
  assert.deepEqual(html.match(/<link rel="preload" href="[^"]*"/g), [`<link rel="preload" href="${declaredManifest()}"`]);
  const { page, context, problems, requests, release, plane } = await openHeld("?v=0.4&e=0.6&n=7", (page) =>
    page.route(/\/tiles-[0-9a-f]+\.json$/, (route) => route.fulfill({ status: 200, contentType: "application/json", body: own })),
  );
  await appAskedFor(requests);
  assert.deepEqual(requests.filter((r) => r.path.endsWith(".tiles")), [], "nothing of the catalog before the app");
  release();
  await plane.results.first().waitFor({ timeout: 20000 });
  assert.equal(await page.locator("#first-list").count(), 0);
  // The app's one download, and not the first list's wasm (its download was called off).
  assert.equal(requests.filter((r) => r.path.endsWith(".tiles")).length, 1);
  const { top, atLast } = expectedWithTies(tracks, 0.4, 0.6, 7);
  assertSameRanking(await listed(plane), top, atLast);
  assert.deepEqual(problems, []);
  await context.close();
});
