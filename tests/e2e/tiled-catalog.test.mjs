// End to end over a tiled catalog read tile by tile (issue 14): the embedded catalog cut
// by the repo's builder into tiles of at most 64 tracks (so every query crosses tiles),
// told never to be read whole, and served in place of the release page's own. The page must rank exactly as brute force over the whole catalog (the
// test's own reference), find a pasted id through one id shard, read the archive only in
// byte ranges, never download the whole catalog, and survive a failed tile fetch.
import { before, test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

import { assertSameRanking, expectedWithTies, listed, loadTutorialCsv, parseCsv, referenceLine, waitForRanking } from "./support/reference-ranking.mjs";
import { referenceJourney, referenceLasso, referenceRadius, verticesOf } from "./support/reference-journey.mjs";
import { nearest, readExport } from "./support/reference-library.mjs";
import { openPage } from "./support/browser.mjs";
import { PlanePage } from "./support/plane-page.mjs";
import { ROOT, useSession } from "./support/session.mjs";
import { buildTiles, serveInstead } from "./support/tiled-build.mjs";

const CSV = join(ROOT, "data", "valence_arousal_11k.csv");
const work = mkdtempSync(join(tmpdir(), "moodplane-tiles-"));
let manifest;
let archive;
// The builder keeps the first of repeated ids.
const seen = new Set();
const tracks = loadTutorialCsv(CSV).filter((t) => !seen.has(t.id) && seen.add(t.id));

const routes = {};
before(() => {
  // Read tile by tile (never whole), as a catalog too big to load at once is.
  const built = buildTiles([CSV], work, ["--tracks-per-tile", "64", "--load-whole-up-to", "0"]);
  ({ manifest, archive } = built);
  serveInstead(routes, built);
});
const session = useSession(routes);
const { freshPage } = session;

/** Waits until the list answers the point in the URL, then checks it against the reference. */
async function checkAgainstReference(plane, n, opts = {}) {
  return plane.eventually(async () => {
    const params = await plane.urlParams();
    const [v, e] = [Number(params.get("v")), Number(params.get("e"))];
    const { top, atLast } = expectedWithTies(tracks, v, e, n, opts);
    const actual = await listed(plane);
    const settled = !(await plane.page.locator("#tiles-status").isVisible());
    assert.ok(settled, "the page still fetches");
    assertSameRanking(actual, top, atLast);
    return { v, e };
  });
}

/** Records every request the page makes for the archive. */
function recordRequests(page) {
  const seen = [];
  page.on("request", (r) => {
    const path = new URL(r.url()).pathname;
    if (path.endsWith(".tiles")) seen.push({ path, range: r.headers().range });
  });
  return seen;
}

test("drags over 64-track tiles rank exactly like brute force over the whole catalog, reading only byte ranges", async () => {
  const { page, context, problems, plane } = await freshPage("?v=0.2&e=0.8&n=20");
  const requests = recordRequests(page);
  assert.match(await page.locator("#catalog-summary").textContent(), /tiled \([\d,]+ tiles\)/);
  assert.ok(manifest.tiles.count.length > 100, "the catalog is cut small");
  assert.ok((await plane.inkedPixels()) > 20000, "the density background is drawn");
  await checkAgainstReference(plane, 20);
  for (const [from, to] of [[[0.2, 0.8], [0.75, 0.3]], [[0.75, 0.3], [0.45, 0.52]], [[0.45, 0.52], [0.05, 0.05]]]) {
    await plane.drag({ valence: from[0], energy: from[1] }, { valence: to[0], energy: to[1] });
    await plane.waitForUrl((p) => Math.abs(Number(p.get("v")) - to[0]) < 0.005 && Math.abs(Number(p.get("e")) - to[1]) < 0.005);
    await checkAgainstReference(plane, 20);
  }
  // Every byte of the catalog came from ranged reads of the archive: never the whole file.
  assert.ok(requests.length > 0);
  assert.ok(requests.every((r) => r.path.endsWith(".tiles") && /^bytes=\d+-\d+$/.test(r.range ?? "")), JSON.stringify(requests.slice(0, 3)));
  const bytesRead = [...new Set(requests.map((r) => r.range))]
    .map((range) => /bytes=(\d+)-(\d+)/.exec(range).slice(1).map(Number))
    .reduce((sum, [start, end]) => sum + end - start + 1, 0);
  assert.ok(bytesRead < archive.length / 2, `${bytesRead} of the archive's ${archive.length} bytes read for four drags`);
  assert.deepEqual(problems, []);
  await context.close();
});

test("z-scores and a genre filter over tiles rank exactly like brute force", async () => {
  const { page, context, problems, plane } = await freshPage("?v=0.62&e=0.41&n=10");
  await checkAgainstReference(plane, 10);
  await page.locator("#opt-zscore").check();
  await checkAgainstReference(plane, 10, { zScore: true });
  await page.locator("#opt-zscore").uncheck();
  const genre = await plane.results.first().getAttribute("data-genre");
  await page.locator(`.chip[data-genre="${genre}"]`).click();
  await plane.waitForUrl((p) => p.get("gi") === genre);
  await checkAgainstReference(plane, 10, { includeGenres: [genre] });
  assert.deepEqual(problems, []);
  await context.close();
});

test("a pasted catalog id is found through one id shard, and its matches leave it out", async () => {
  const { page, context, problems, plane } = await freshPage();
  const requests = recordRequests(page);
  const track = tracks[4321];
  await plane.linkInput.fill(`https://open.spotify.com/track/${track.id}?si=x`);
  await page.keyboard.press("Enter");
  await page.locator("#query-track").waitFor();
  assert.match(await page.locator("#query-track").textContent(), new RegExp(track.name.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")));
  const params = await plane.waitForUrl((p) => p.get("track") === track.id);
  assert.equal(params.get("n"), "10");
  const { top, atLast } = expectedWithTies(tracks, track.valence, track.energy, 10, { excludeId: track.id });
  await plane.eventually(async () => {
    const actual = await listed(plane);
    assert.ok(!actual.some((t) => t.id === track.id), "the query track is not its own match");
    assertSameRanking(actual, top, atLast);
  });
  // One shard: the request whose range starts within the shards.
  const shardReads = requests.filter((r) => Number(/bytes=(\d+)/.exec(r.range)[1]) >= manifest.shards_start);
  assert.equal(shardReads.length, 1, "one id shard");
  // A few hundred ids: a bug once cut the shards for ids that fill every place, which
  // Spotify's (0 to 7 first) fill an eighth of, and this catalog's came in 54 KB slots.
  const [, from, to] = /bytes=(\d+)-(\d+)/.exec(shardReads[0].range).map(Number);
  assert.ok(to - from + 1 <= 16384, `the shard's slot is ${to - from + 1} bytes`);
  assert.ok(manifest.shard_count >= 40, `${manifest.shard_count} shards for ${tracks.length} tracks`);
  assert.equal(await plane.linkMessage.textContent(), "");
  // Nothing was read twice: a chunk inside the details read with the track's tile is
  // not asked for on its own while they are on their way.
  const ranges = requests.map((r) => r.range);
  assert.deepEqual(ranges.filter((r, i) => ranges.indexOf(r) !== i), [], "ranges read twice");

  // A valid id the catalog lacks goes to the lookup, which asks before sending it anywhere.
  const outside = "https://open.spotify.com/track/1111111111111111111111";
  await plane.linkInput.fill(outside);
  await page.keyboard.press("Enter");
  await page.locator("#lookup", { hasText: "is not in this catalog" }).waitFor();
  assert.equal(await plane.linkInput.inputValue(), outside);
  // A malformed link gets the parser's message, and the text stays.
  await plane.linkInput.fill("https://open.spotify.com/track/abc");
  await page.keyboard.press("Enter");
  await page.locator("#link-message").filter({ hasText: /\S/ }).waitFor();
  assert.equal(await plane.linkInput.inputValue(), "https://open.spotify.com/track/abc");
  assert.deepEqual(problems, []);
  await context.close();
});

test("a pasted block over tiles: its catalog tracks are found through the id shards, each shard read once; only the rest is offered to ReccoBeats", async () => {
  // A bug once sent every line of a block pasted over a tiled catalog to ReccoBeats: the
  // block was read against a catalog with no tracks in it.
  const { page, context, problems, plane } = await freshPage("?v=0.2&e=0.8&n=10");
  await checkAgainstReference(plane, 10);
  const requests = recordRequests(page);
  // Neighbours by id share an id shard; a third track lies elsewhere.
  const byId = [...tracks].sort((x, y) => (x.id < y.id ? -1 : 1));
  const [a, b] = [byId[5000], byId[5001]];
  const c = tracks[9000];
  const link = (id) => `https://open.spotify.com/track/${id}`;
  const unknown = "1111111111111111111111";
  await plane.pasteFromClipboard([link(a.id), `spotify:track:${b.id}`, "not a link", link(unknown), link(c.id), link(a.id)].join("\n"));
  await page.locator("#pasted-summary", { hasText: "3 of 6 placed (3 from the catalog, 0 from ReccoBeats); 1 waiting; 1 lines not a track link." }).waitFor();
  assert.match(await page.locator("#block-consent-question").textContent(), /will receive these 1 track ids/);
  const rows = page.locator("#pasted-tracks li");
  for (const [k, t] of [[0, a], [1, b], [4, c]]) {
    assert.match(await rows.nth(k).textContent(), new RegExp(`${t.id}[\\s\\S]*valence ${t.valence.toFixed(3)}, energy ${t.energy.toFixed(3)} \\(from the catalog\\)`));
  }
  // Each shard read once, however many lines fall in it: four ids, a and b in one shard.
  const shardReads = requests.filter((r) => Number(/bytes=(\d+)/.exec(r.range)[1]) >= manifest.shards_start);
  assert.ok(shardReads.length >= 1 && shardReads.length <= 3, `${shardReads.length} shard reads`);
  assert.equal(new Set(shardReads.map((r) => r.range)).size, shardReads.length, "no shard read twice");
  await page.locator("#block-consent-decline").click();
  await page.locator("#pasted-summary", { hasText: "3 of 6 placed (3 from the catalog, 0 from ReccoBeats); 1 without a mood" }).waitFor();
  // A line found in the catalog becomes the query as a pasted link does: named, and left
  // out of its own list.
  await rows.nth(4).locator(".use-as-query").click();
  await page.locator("#query-track", { hasText: c.artist }).waitFor();
  const { top, atLast } = expectedWithTies(tracks, c.valence, c.energy, 10, { excludeId: c.id });
  await waitForRanking(plane, top, atLast);
  await plane.waitForUrl((p) => p.get("track") === c.id);
  assert.deepEqual(problems, []);
  await context.close();
});

test("a pasted block whose id shards cannot be read: its lines say so, and the retry finds them in the catalog", async () => {
  const { page, context, plane } = await freshPage("?v=0.2&e=0.8&n=10");
  await checkAgainstReference(plane, 10);
  const [a, b] = [tracks[100], tracks[6000]];
  await page.route("**/*.tiles", (route) => {
    const start = Number(/bytes=(\d+)/.exec(route.request().headers().range ?? "")?.[1] ?? -1);
    return start >= manifest.shards_start ? route.abort("connectionfailed") : route.continue();
  });
  await plane.pasteFromClipboard([a.id, b.id].map((id) => `https://open.spotify.com/track/${id}`).join("\n"));
  await page.locator("#pasted-summary", { hasText: "0 of 2 placed (0 from the catalog, 0 from ReccoBeats); 2 without a mood" }).waitFor();
  assert.match(await page.locator("#pasted-tracks li").first().textContent(), /id index could not be downloaded/);
  assert.equal(await page.locator("#block-consent").count(), 0, "lines the catalog may hold are not offered to ReccoBeats");
  await page.unroute("**/*.tiles");
  await page.locator("#pasted-retry").click();
  await page.locator("#pasted-summary", { hasText: "2 of 2 placed (2 from the catalog, 0 from ReccoBeats)." }).waitFor();
  await context.close();
});

test("a shared link to a catalog track opens on it, listing nothing else first", async () => {
  const track = tracks[77];
  // The id shard answers late, so a list of the point the page starts at would show.
  const { page, context, problems, plane } = await freshPageRecordingLists(`?track=${track.id}&n=5`, (page) =>
    page.route("**/*.tiles", async (route) => {
      const start = Number(/bytes=(\d+)/.exec(route.request().headers().range ?? "")?.[1] ?? -1);
      if (start >= manifest.shards_start) await new Promise((ok) => setTimeout(ok, 400));
      await route.continue();
    }),
  );
  await page.locator("#query-track", { hasText: track.artist }).waitFor();
  const { top, atLast } = expectedWithTies(tracks, track.valence, track.energy, 5, { excludeId: track.id });
  await page.waitForFunction((n) => document.querySelectorAll("#results li").length === n, 5);
  await waitForRanking(plane, top, atLast);
  // Every list the page showed was the track's (never the centre's, where it starts).
  const shown = await page.evaluate(() => window.__lists);
  assert.ok(shown.length > 0);
  for (const ids of shown) assert.deepEqual(ids, await plane.resultIds(), "a list other than the track's was shown");
  assert.deepEqual(problems, []);
  await context.close();
});

test("a shared link to a track the catalog lacks says so, and lists the centre it starts at", async () => {
  // A well-formed id that is no track of the catalog.
  const known = new Set(tracks.map((t) => t.id));
  const id = ["A", "B"].map((last) => tracks[77].id.slice(0, 21) + last).find((candidate) => !known.has(candidate));
  const { page, context, problems, plane } = await freshPage(`?track=${id}&n=5`);
  await page.locator("#notices li", { hasText: `The link's track ${id} is not in this catalog, so the point starts at the centre.` }).waitFor();
  const { top, atLast } = expectedWithTies(tracks, 0.5, 0.5, 5);
  await waitForRanking(plane, top, atLast);
  assert.equal(await page.locator("#query-track").count(), 0);
  assert.deepEqual(problems, []);
  await context.close();
});

/** A fresh page (as freshPage, `routeMore` routing first) that records every result list
 * it shows (ids, in order). */
async function freshPageRecordingLists(search, routeMore) {
  const { page, context, problems } = await openPage(session.browser);
  await routeMore(page);
  await page.addInitScript(() => {
    window.__lists = [];
    const seen = new MutationObserver(() => {
      const ids = [...document.querySelectorAll("#results li")].map((li) => li.dataset.trackId);
      if (ids.length && ids.every(Boolean) && JSON.stringify(ids) !== JSON.stringify(window.__lists.at(-1))) window.__lists.push(ids);
    });
    seen.observe(document, { childList: true, subtree: true, attributes: true, attributeFilter: ["data-track-id"] });
  });
  const plane = new PlanePage(page);
  await plane.open(session.server.url, search);
  return { page, context, problems, plane };
}

test("a failed tile fetch keeps the point and the last list, and Try again recovers", async () => {
  const { page, context, plane } = await freshPage("?v=0.2&e=0.8&n=10");
  await checkAgainstReference(plane, 10);
  const before = await plane.resultIds();
  await page.route("**/*.tiles", (route) => route.abort("connectionfailed"));
  await plane.drag({ valence: 0.2, energy: 0.8 }, { valence: 0.9, energy: 0.1 });
  await page.locator("#tiles-error").waitFor();
  assert.match(await page.locator("#tiles-error").textContent(), /could not be downloaded.*The point and the last list are kept/);
  assert.deepEqual(await plane.resultIds(), before, "the last list stays");
  assert.match(await plane.queryText.textContent(), /Valence 0\.9\d\d · Energy 0\.1\d\d|Valence 0\.8\d\d · Energy 0\.\d\d\d/);
  await page.unroute("**/*.tiles");
  await page.locator("#tiles-retry").click();
  await page.locator("#tiles-error").waitFor({ state: "detached" });
  await checkAgainstReference(plane, 10);
  assert.notDeepEqual(await plane.resultIds(), before);
  await context.close();
});

test("a paste whose tile cannot be fetched shows the failure, keeps the last list, and Try again brings its list", async () => {
  // The pasted track's tile comes with the details around it, in a fetch of its own; a
  // list that asks for that tile meanwhile waits on it (a bug once left such a list on
  // "Fetching…" for good when that fetch failed).
  const { page, context, plane } = await freshPage("?v=0.2&e=0.8&n=10");
  await checkAgainstReference(plane, 10);
  const before = await plane.resultIds();
  const track = tracks.find((t) => t.valence > 0.85 && t.energy < 0.15);
  assert.ok(track, "the catalog has a track far from the point");
  // Only the id shards answer: every tile and detail range fails.
  await page.route("**/*.tiles", (route) => {
    const start = Number(/bytes=(\d+)/.exec(route.request().headers().range ?? "")?.[1] ?? -1);
    return start >= manifest.shards_start ? route.continue() : route.abort("connectionfailed");
  });
  await plane.linkInput.fill(`https://open.spotify.com/track/${track.id}`);
  await page.keyboard.press("Enter");
  await page.locator("#tiles-error").waitFor({ timeout: 10000 });
  assert.match(await page.locator("#tiles-error").textContent(), /could not be downloaded.*The point and the last list are kept/);
  assert.deepEqual(await plane.resultIds(), before, "the last list stays");
  await page.unroute("**/*.tiles");
  await page.locator("#tiles-retry").click();
  await page.locator("#tiles-error").waitFor({ state: "detached" });
  await page.locator("#query-track", { hasText: track.artist }).waitFor();
  const { top, atLast } = expectedWithTies(tracks, track.valence, track.energy, 10, { excludeId: track.id });
  await waitForRanking(plane, top, atLast);
  await context.close();
});

test("a new list whose rows tie with the last one's (same rank, same distance) shows its own tracks", async () => {
  // Tracks sharing a mood exactly: pasting one lists its twin first, at distance 0. Two
  // such pastes give two lists whose first rows differ only in the track (a bug once
  // kept the first list's row: rows were keyed by rank, position and distance).
  const byMood = new Map();
  for (const t of tracks) byMood.set(`${t.valence},${t.energy}`, [...(byMood.get(`${t.valence},${t.energy}`) ?? []), t]);
  const [first, second] = [...byMood.values()].filter((twins) => twins.length === 2);
  assert.ok(second, "the catalog has tracks that share a mood");
  const { page, context, problems, plane } = await freshPage();
  for (const [pasted, twin] of [first, second]) {
    await plane.linkInput.fill(`https://open.spotify.com/track/${pasted.id}`);
    await page.keyboard.press("Enter");
    await page.locator("#query-track", { hasText: pasted.artist }).waitFor();
    await page.waitForFunction((id) => document.querySelector("#results li")?.dataset.trackId === id, twin.id, { timeout: 10000 });
    assert.equal(Number(await plane.results.first().getAttribute("data-distance")), 0);
    assert.match(await plane.results.first().locator(".name").textContent(), new RegExp(twin.name.replace(/[.*+?^${}()|[\]\\]/g, "\\$&").slice(0, 20)));
  }
  assert.deepEqual(problems, []);
  await context.close();
});

test("the analysis over tiles shows the whole catalog's figures from the manifest, and a genre's centroid is a place to go", async () => {
  const { page, context, problems, plane } = await freshPage("?v=0.5&e=0.5&n=10");
  const { slope, r, energyMean } = referenceLine(tracks);
  const text = await page.locator("#regression-text").textContent();
  assert.ok(text.includes(`over all ${tracks.length.toLocaleString("en-US")} tracks`), text);
  assert.ok(text.includes(`${slope.toFixed(3)} × valence (r = ${r.toFixed(3)})`), text);
  assert.match(await page.locator("#analysis").textContent(), new RegExp(`Energy: mean ${energyMean.toFixed(3)}`));
  const inked = await plane.barPixelsOnceDrawn("#hist-valence", 3000);
  assert.ok(inked > 3000, `histogram bars drawn (${inked} px)`);
  // Every genre's centroid, in the catalog's genre order, with its count.
  const groups = new Map();
  for (const t of tracks) {
    const g = groups.get(t.genre) ?? { v: 0, e: 0, n: 0 };
    g.v += t.valence;
    g.e += t.energy;
    g.n += 1;
    groups.set(t.genre, g);
  }
  const expected = manifest.genres.filter((g) => groups.has(g)).map((genre) => ({ genre, ...groups.get(genre) }));
  const options = (await page.locator("#centroid-select option").allTextContents()).slice(1);
  assert.deepEqual(options, expected.map((c) => `${c.genre} (${c.n} tracks): ${(c.v / c.n).toFixed(3)}, ${(c.e / c.n).toFixed(3)}`));
  const last = expected.at(-1);
  await page.locator("#centroid-select").selectOption({ index: expected.length });
  await plane.waitForUrl((p) => p.get("v") === (last.v / last.n).toFixed(3) && p.get("e") === (last.e / last.n).toFixed(3));
  await checkAgainstReference(plane, 10);
  assert.deepEqual(problems, []);
  await context.close();
});

/**
 * The page's journey against the reference: the same distance at every stop, and the
 * same track, or one of the same mood (a tiled catalog breaks exact ties by tile order).
 */
async function assertTiledJourney(plane, vertices, stops) {
  const expected = referenceJourney(tracks, vertices, stops);
  const byId = new Map(tracks.map((t) => [t.id, t]));
  // The list may still be the last journey's while this one's tiles arrive.
  return plane.eventually(async () => {
    const ids = await plane.resultIds();
    const distances = await plane.resultDistances();
    assert.equal(ids.length, expected.length);
    expected.forEach((want, i) => {
      assert.ok(Math.abs(distances[i] - want.distance) < 1e-12, `stop ${i}: distance ${distances[i]} vs ${want.distance}`);
      const [got, ref] = [byId.get(ids[i]), byId.get(want.id)];
      assert.ok(got.id === ref.id || (got.valence === ref.valence && got.energy === ref.energy), `stop ${i}: ${got.id} for ${ref.id}`);
    });
    return expected;
  });
}

test("a journey over tiles: a shared link walks its path exactly, and a named journey fetches the tiles along it", async () => {
  const { page, context, problems, plane } = await freshPage("?path=0.9,0.95;0.5,0.5;0.1,0.05&n=30");
  const requests = recordRequests(page);
  assert.ok(await page.locator("#mode-journey").isChecked());
  const expected = await assertTiledJourney(plane, [[0.9, 0.95], [0.5, 0.5], [0.1, 0.05]], 30);
  assert.equal(expected.length, 30);
  assert.match(await page.locator("#results-heading").textContent(), /Journey: 30 tracks in path order/);
  assert.ok((await plane.overlayPixels([21, 101, 192])) > 200, "the path is drawn");
  // A named journey: the tiles along it are fetched, and its list is exact too.
  const before = requests.length;
  const preset = page.locator(".journey-presets .preset").last();
  await preset.click();
  const params = await plane.waitForUrl((p) => p.get("path") !== "0.900,0.950;0.500,0.500;0.100,0.050");
  const vertices = params.get("path").split(";").map((pair) => pair.split(",").map(Number));
  await assertTiledJourney(plane, vertices, Number(params.get("n")));
  assert.ok(requests.length > before, "the journey's tiles and details were fetched");
  // Back to the nearest tracks of the point.
  await page.locator("#mode-nearest").check();
  await checkAgainstReference(plane, 10);
  assert.deepEqual(problems, []);
  await context.close();
});

test("a journey between two pasted tracks over tiles: both found through the id shards; a missing track or an unreadable shard says so and the links stay", async () => {
  const { page, context, problems, plane } = await freshPage("?n=20");
  await checkAgainstReference(plane, 20);
  await page.locator("#mode-journey").check();
  await page.locator(".journey-ends summary").click();
  const wild = tracks.find((t) => t.valence > 0.85 && t.energy > 0.9);
  const calm = tracks.find((t) => t.valence < 0.2 && t.energy < 0.15);
  const [start, finish, message] = [page.locator("#journey-start"), page.locator("#journey-finish"), page.locator("#journey-ends-message")];
  await start.fill(`https://open.spotify.com/track/${wild.id}?si=abc`);
  await finish.fill("spotify:track:2222222222222222222222");
  await page.locator("#journey-between").click();
  await message.filter({ hasText: "End: track 2222222222222222222222 is not in this catalog" }).waitFor();
  assert.equal(await finish.inputValue(), "spotify:track:2222222222222222222222", "the typed text stays");
  // A link that names no track is told before any shard is read.
  await finish.fill("not a link");
  await page.locator("#journey-between").click();
  await message.filter({ hasText: /^End: / }).waitFor();
  assert.doesNotMatch(await message.textContent(), /not in this catalog/);

  const requests = recordRequests(page);
  await finish.fill(`spotify:track:${calm.id}`);
  await page.locator("#journey-between").click();
  const params = await plane.waitForUrl((p) => p.has("path"));
  const vertices = params.get("path").split(";").map((pair) => pair.split(",").map(Number));
  assert.deepEqual(vertices, [[wild.valence, wild.energy], [calm.valence, calm.energy]]);
  assert.equal(await message.textContent(), "");
  const expected = await assertTiledJourney(plane, vertices, 20);
  assert.equal(expected[0].distance, 0, "the journey starts on the first track");
  const shardReads = requests.filter((r) => Number(/bytes=(\d+)/.exec(r.range)[1]) >= manifest.shards_start);
  assert.ok(shardReads.length >= 1 && shardReads.length <= 2, `${shardReads.length} shard reads for two tracks`);
  assert.deepEqual(problems, []);

  // Shards that cannot be read: said for the first end, the path and the links kept; walking
  // again once they can be read walks from the new start.
  // (A shard already read is kept: this id's shard is none of the three read above.)
  const other = tracks.find((t) => t.id.startsWith("0"));
  await page.route("**/*.tiles", (route) => {
    const from = Number(/bytes=(\d+)/.exec(route.request().headers().range ?? "")?.[1] ?? -1);
    return from >= manifest.shards_start ? route.abort("connectionfailed") : route.continue();
  });
  await start.fill(`spotify:track:${other.id}`);
  await page.locator("#journey-between").click();
  await message.filter({ hasText: /^Start: The catalog's id index could not be downloaded.* Walk again to retry\.$/ }).waitFor();
  assert.equal(await start.inputValue(), `spotify:track:${other.id}`);
  assert.equal((await plane.urlParams()).get("path"), params.get("path"), "the last path stays");
  await page.unroute("**/*.tiles");
  await page.locator("#journey-between").click();
  await plane.waitForUrl((p) => p.get("path")?.startsWith(`${other.valence.toFixed(3)},${other.energy.toFixed(3)};`));
  await context.close();
});

test("blends over tiles: the centre of a pasted block's catalog tracks, a journey through them, and one through the crate", async () => {
  const { page, context, problems, plane } = await freshPage();
  const seeds = [tracks[10], tracks[2000], tracks[7000]];
  await plane.pasteFromClipboard(seeds.map((t) => `https://open.spotify.com/track/${t.id}`).join("\n"));
  await page.locator("#pasted-summary", { hasText: "3 of 3 placed (3 from the catalog, 0 from ReccoBeats)." }).waitFor();
  await page.locator("#pasted-blend-centre").click();
  const round = (x) => Math.round(x * 1000) / 1000;
  const centre = [round(seeds.reduce((a, t) => a + t.valence, 0) / 3), round(seeds.reduce((a, t) => a + t.energy, 0) / 3)];
  await plane.waitForUrl((p) => p.get("v") === centre[0].toFixed(3) && p.get("e") === centre[1].toFixed(3));
  await checkAgainstReference(plane, 10);
  await page.locator("#pasted-blend-journey").click();
  const params = await plane.waitForUrl((p) => p.has("path"));
  const path = params.get("path").split(";").map((pair) => pair.split(",").map(Number));
  assert.deepEqual(path, seeds.map((t) => [t.valence, t.energy]));
  const expected = await assertTiledJourney(plane, path, 20);
  // Picked results blend too: two rows into the crate, then a journey through the crate.
  await page.locator("#results li").nth(3).locator(".add-to-crate").click();
  await page.locator("#results li").nth(12).locator(".add-to-crate").click();
  const picked = [expected[3], expected[12]].map((t) => tracks.find((c) => c.id === t.id));
  await page.locator("#crate-blend-journey").click();
  const through = picked.map((t) => [t.valence, t.energy]);
  await plane.waitForUrl((p) => p.get("path") === through.map(([v, e]) => `${v.toFixed(3)},${e.toFixed(3)}`).join(";"));
  await assertTiledJourney(plane, through, 20);
  assert.deepEqual(problems, []);
  await context.close();
});

/**
 * Waits (up to 10 s) until the list shows the page of `all` (a whole region's reference
 * list) that starts at `start`: the same distances, and at each distance the same tracks
 * (a tiled catalog numbers its tracks by tile, so ties may come in another order; a tie
 * cut by the page's edge may show any of its tracks).
 */
async function waitForPage(plane, all, start) {
  const want = all.slice(start, start + 50);
  const atDistance = (list, d) => list.filter((t) => Math.abs(t.distance - d) < 1e-12).map((t) => t.id).sort();
  await plane.eventually(async () => {
    const got = await listed(plane);
    assert.equal(got.length, want.length, "as many rows");
    got.forEach((g, i) => assert.ok(Math.abs(g.distance - want[i].distance) < 1e-12, `distance ${start + i}`));
    for (const { distance } of want) {
      const [shown, onPage, inAll] = [atDistance(got, distance), atDistance(want, distance), atDistance(all, distance)];
      if (onPage.length === inAll.length) assert.deepEqual(shown, onPage, `the tracks at ${distance}`);
      else shown.forEach((id) => assert.ok(inAll.includes(id), `${id} is at ${distance}`));
    }
  });
}

test("a radius and a region over tiles list exactly what brute force finds, one page of details at a time, and a shared link reopens them", async () => {
  const { page, context, problems, plane } = await freshPage("?v=0.500&e=0.500&r=0.080");
  const requests = recordRequests(page);
  const expected = referenceRadius(tracks, 0.5, 0.5, 0.08);
  assert.ok(expected.length > 120, `enough for three pages: ${expected.length}`);
  assert.ok(await page.locator("#mode-radius").isChecked());
  await page.locator("#results-heading", { hasText: `Within 0.080: ${expected.length.toLocaleString("en")} tracks` }).waitFor();
  await waitForPage(plane, expected, 0);
  assert.match(await page.locator("#page-status").textContent(), new RegExp(`Showing 1–50 of ${expected.length.toLocaleString("en")}`));
  assert.ok((await plane.overlayPixels([21, 101, 192])) > 100, "the circle is drawn");
  // The next page: its own tracks' details, exact distances.
  await page.locator("#page-next").click();
  await page.locator("#page-status", { hasText: "Showing 51–100" }).waitFor();
  await waitForPage(plane, expected, 50);
  // Read in byte ranges of tiles and details, never the whole archive.
  assert.ok(requests.every((r) => /^bytes=\d+-\d+$/.test(r.range ?? "")));
  // A smaller radius, typed: back to page one, exact.
  await page.locator("#radius").fill("0.02");
  const smaller = referenceRadius(tracks, 0.5, 0.5, 0.02);
  await page.locator("#results-heading", { hasText: `Within 0.020: ${smaller.length} tracks` }).waitFor();
  await waitForPage(plane, smaller, 0);

  // A region: corners clicked one by one.
  await page.locator("#mode-lasso").check();
  await page.locator("#lasso-panel").waitFor();
  for (const [v, e] of [[0.55, 0.2], [0.95, 0.2], [0.95, 0.75], [0.7, 0.5]]) {
    const p = await plane.pointOf(v, e);
    await page.mouse.click(p.x, p.y);
  }
  const vertices = verticesOf(await plane.waitForUrl((p) => p.get("lasso")?.split(";").length === 4), "lasso");
  const inside = referenceLasso(tracks, vertices);
  assert.ok(inside.length > 50, `${inside.length} inside`);
  await page.locator("#results-heading", { hasText: `In the region: ${inside.length.toLocaleString("en")} tracks` }).waitFor();
  await waitForPage(plane, inside, 0);
  // Its link opens the same region on a fresh page.
  const shared = (await plane.urlParams()).toString();
  const again = await freshPage(`?${shared}`);
  assert.ok(await again.page.locator("#mode-lasso").isChecked());
  await again.page.locator("#results-heading", { hasText: `In the region: ${inside.length.toLocaleString("en")} tracks` }).waitFor();
  await waitForPage(again.plane, inside, 0);
  assert.deepEqual(problems, []);
  assert.deepEqual(again.problems, []);
  await again.context.close();
  await context.close();
});

test("a radius over tiles exports every track it holds, not only the shown page: the rest's names are read when asked, and a failure says so", async () => {
  const { page, context, problems, plane } = await freshPage("?v=0.500&e=0.500&r=0.080", { acceptDownloads: true });
  const expected = referenceRadius(tracks, 0.5, 0.5, 0.08);
  await page.locator("#results-heading", { hasText: `Within 0.080: ${expected.length.toLocaleString("en")} tracks` }).waitFor();
  await waitForPage(plane, expected, 0);
  // The archive fails first: the export says why and saves nothing.
  await page.route("**/*.tiles", (route) => route.abort("connectionfailed"));
  await page.locator("#results-csv").click();
  await page.locator("#results-export-status", { hasText: "Could not read every track's name for" }).waitFor();
  await page.unroute("**/*.tiles");
  const [download] = await Promise.all([page.waitForEvent("download"), page.locator("#results-csv").click()]);
  const [, ...rows] = parseCsv(readFileSync(await download.path(), "utf8")).filter((r) => r.length > 1);
  assert.equal(rows.length, expected.length, "every track within the radius");
  assert.deepEqual(rows.map((r) => r[1]).sort(), expected.map((t) => t.id).sort());
  // Nearest first, each with its own name, artist and distance.
  const byId = new Map(tracks.map((t) => [t.id, t]));
  const reference = new Map(expected.map((t) => [t.id, t.distance]));
  rows.forEach((r, i) => {
    assert.ok(Math.abs(Number(r[7]) - expected[i].distance) < 1e-9, `row ${i + 1}'s distance`);
    assert.ok(Math.abs(Number(r[7]) - reference.get(r[1])) < 1e-9, `${r[1]}'s own distance`);
    assert.deepEqual([r[2], r[3]], [byId.get(r[1]).name, byId.get(r[1]).artist], `row ${i + 1}'s name`);
  });
  await page.locator("#results-export-status", { hasText: `Saved ${expected.length} tracks` }).waitFor();
  // The page shown is still the first, as it was.
  await waitForPage(plane, expected, 0);
  assert.deepEqual(problems.filter((p) => !/ERR_FAILED|Failed to load resource/.test(p)), []);
  await context.close();
});

test("your library over tiles: its catalog tracks found through the id shards, marked in the list, listed alone, or left out", async () => {
  const byId = new Map(tracks.map((t) => [t.id, t]));
  const path = join(ROOT, "tests", "fixtures", "library", "exportify_without_features.csv");
  const file = readExport(path, byId);
  assert.ok(file.placed.length === 0 && file.joined.length > 10, "named tracks, most of them the catalog's");
  // The point on one of the library's tracks, so the catalog's list holds it.
  const [v, e] = [byId.get(file.joined[0].id).valence, byId.get(file.joined[0].id).energy];
  const { page, context, problems, plane } = await freshPage(`?v=${v}&e=${e}&n=10`);
  const requests = recordRequests(page);
  await checkAgainstReference(plane, 10);
  await page.locator("#library-file").setInputFiles(path);
  const entry = page.locator('#library-list > li[data-library="exportify_without_features.csv"]');
  await entry.waitFor({ timeout: 20000 });
  // Once the id shards have answered, it reads as over a loaded catalog.
  await plane.eventually(async () =>
    assert.equal(
      await entry.locator(".library-summary").textContent(),
      `placed ${file.joined.length} of ${file.named.length} (${file.joined.length} from the catalog); ${file.unknown.length} have no mood here`,
    ),
  );
  assert.equal(await page.locator("#library-finding").count(), 0, "the progress line is gone");
  const shardReads = requests.filter((r) => Number(/bytes=(\d+)/.exec(r.range)[1]) >= manifest.shards_start);
  assert.ok(shardReads.length > 0 && shardReads.length <= file.named.length, `${shardReads.length} shard reads`);
  assert.ok(requests.every((r) => /^bytes=\d+-\d+$/.test(r.range ?? "")), "byte ranges only");

  // The catalog's list, the library's tracks in it marked.
  const mine = new Set(file.tracks.map((t) => t.id));
  await plane.eventually(async () => {
    const marked = await plane.results.evaluateAll((items) => items.filter((li) => li.dataset.mine === "true").map((li) => li.dataset.trackId));
    const ids = await plane.resultIds();
    assert.deepEqual(marked, ids.filter((id) => mine.has(id)));
    assert.ok(marked.includes(file.joined[0].id), "the track under the point is marked");
  });
  // "Only my library": the brute-force nearest among the library's tracks.
  await page.locator("#only-mine").check();
  await plane.eventually(async () => assert.deepEqual(await plane.resultIds(), nearest(file.tracks, v, e, 10)));
  assert.ok(await plane.results.evaluateAll((items) => items.every((li) => li.dataset.mine === "true")));
  // A genre kept in, then left out: the library's catalog tracks carry their genres (from
  // the id shards), so each filter lists them as over a loaded catalog.
  const genre = byId.get(file.joined[0].id).genre;
  const chip = page.locator(`.chip[data-genre="${genre}"]`);
  const ofGenre = file.tracks.filter((t) => byId.get(t.id)?.genre === genre);
  assert.ok(ofGenre.length > 0 && ofGenre.length < file.tracks.length, `${ofGenre.length} of the library's tracks are ${genre}`);
  await chip.click();
  await plane.waitForUrl((p) => p.get("gi") === genre);
  await plane.eventually(async () => assert.deepEqual(await plane.resultIds(), nearest(ofGenre, v, e, 10)));
  await chip.click();
  await plane.waitForUrl((p) => p.get("gx") === genre);
  const others = file.tracks.filter((t) => byId.get(t.id)?.genre !== genre);
  await plane.eventually(async () => assert.deepEqual(await plane.resultIds(), nearest(others, v, e, 10)));
  await chip.click();
  await plane.waitForUrl((p) => !p.get("gi") && !p.get("gx"));
  // "Leave my library out": the catalog's nearest without them.
  await page.locator("#without-mine").check();
  const rest = tracks.filter((t) => !mine.has(t.id));
  const { top, atLast } = expectedWithTies(rest, v, e, 10);
  await waitForRanking(plane, top, atLast);
  for (const id of await plane.resultIds()) assert.ok(!mine.has(id), `${id} is the library's`);
  assert.deepEqual(problems, []);
  await context.close();
});

/** What this browser keeps of a tiled catalog's id-shard answers: { key: bytes } of IndexedDB "moodplane" / "places". */
function keptPlaces(page) {
  return page.evaluate(
    () =>
      new Promise((resolve, reject) => {
        const open = indexedDB.open("moodplane");
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const db = open.result;
          if (!db.objectStoreNames.contains("places")) return resolve({});
          const store = db.transaction("places").objectStore("places");
          const [keys, values] = [store.getAllKeys(), store.getAll()];
          values.onsuccess = () => {
            db.close();
            resolve(Object.fromEntries(keys.result.map((k, i) => [k, values.result[i].length])));
          };
        };
      }),
  );
}

test("your library over tiles on a return visit: what the id shards said is kept for this catalog, so a reload reads no shard; removing the library forgets it", async () => {
  const byId = new Map(tracks.map((t) => [t.id, t]));
  const path = join(ROOT, "tests", "fixtures", "library", "exportify_without_features.csv");
  const file = readExport(path, byId);
  const [v, e] = [byId.get(file.joined[0].id).valence, byId.get(file.joined[0].id).energy];
  const { page, context, problems, plane } = await freshPage(`?v=${v}&e=${e}&n=10`);
  await page.locator("#library-file").setInputFiles(path);
  const entry = page.locator('#library-list > li[data-library="exportify_without_features.csv"]');
  const summary = `placed ${file.joined.length} of ${file.named.length} (${file.joined.length} from the catalog); ${file.unknown.length} have no mood here`;
  await entry.locator(".library-summary", { hasText: summary }).waitFor({ timeout: 20000 });
  // Kept under this catalog's archive name: an id, a place, a mood, a genre and four
  // extra features per found track (78 bytes), an id per absent one (22), after a
  // 13-byte head.
  await plane.eventually(async () =>
    assert.deepEqual(await keptPlaces(page), { [manifest.archive]: 13 + 78 * file.joined.length + 22 * file.unknown.length }),
  );

  // The next visit: the library is back, its tracks found, marked and left out, no shard read.
  const requests = recordRequests(page);
  await page.reload();
  await plane.results.first().waitFor({ timeout: 20000 });
  await entry.locator(".library-summary", { hasText: summary }).waitFor({ timeout: 20000 });
  const mine = new Set(file.tracks.map((t) => t.id));
  await plane.eventually(async () => {
    const marked = await plane.results.evaluateAll((items) => items.filter((li) => li.dataset.mine === "true").map((li) => li.dataset.trackId));
    assert.ok(marked.includes(file.joined[0].id), "the track under the point is marked");
  });
  await page.locator("#without-mine").check();
  const { top, atLast } = expectedWithTies(tracks.filter((t) => !mine.has(t.id)), v, e, 10);
  await waitForRanking(plane, top, atLast);
  assert.equal(await page.locator("#library-finding").count(), 0);
  const shardReads = requests.filter((r) => Number(/bytes=(\d+)/.exec(r.range)[1]) >= manifest.shards_start);
  assert.deepEqual(shardReads, [], "no id shard read on the return visit");
  assert.equal(await entry.locator(".library-look-up").textContent(), `Ask ReccoBeats for the ${file.unknown.length} without a mood`);
  // Their genres came back too: "Only my library" with a genre kept in lists its tracks.
  await page.locator("#only-mine").check();
  const genre = byId.get(file.joined[0].id).genre;
  await page.locator(`.chip[data-genre="${genre}"]`).click();
  const ofGenre = file.tracks.filter((t) => byId.get(t.id)?.genre === genre);
  await plane.eventually(async () => assert.deepEqual(await plane.resultIds(), nearest(ofGenre, v, e, 10)));

  // Removed: nothing of it stays in this browser.
  await entry.locator(".library-remove").click();
  await entry.waitFor({ state: "detached" });
  await plane.eventually(async () => assert.deepEqual(await keptPlaces(page), {}));
  assert.deepEqual(problems, []);
  await context.close();
});

test("your library over tiles whose id shards cannot be read: it says so, offers none of its tracks to ReccoBeats, and Try again finds them", async () => {
  const byId = new Map(tracks.map((t) => [t.id, t]));
  const path = join(ROOT, "tests", "fixtures", "library", "exportify_without_features.csv");
  const file = readExport(path, byId);
  const { page, context, plane } = await freshPage("?v=0.5&e=0.5&n=10");
  await checkAgainstReference(plane, 10);
  await page.route("**/*.tiles", (route) => {
    const start = Number(/bytes=(\d+)/.exec(route.request().headers().range ?? "")?.[1] ?? -1);
    return start >= manifest.shards_start ? route.abort("connectionfailed") : route.continue();
  });
  await page.locator("#library-file").setInputFiles(path);
  const failure = page.locator("#library-finding-error");
  await failure.waitFor({ timeout: 20000 });
  assert.match(await failure.textContent(), new RegExp(`${file.named.length} of your library's tracks could not be looked up in the catalog: .*id index`));
  const entry = page.locator('#library-list > li[data-library="exportify_without_features.csv"]');
  assert.equal(await entry.locator(".library-look-up").count(), 0, "nothing offered to ReccoBeats while the catalog may hold it");
  // The list is the catalog's still.
  await checkAgainstReference(plane, 10);
  await page.unroute("**/*.tiles");
  await page.locator("#library-finding-retry").click();
  await plane.eventually(async () =>
    assert.equal(
      await entry.locator(".library-summary").textContent(),
      `placed ${file.joined.length} of ${file.named.length} (${file.joined.length} from the catalog); ${file.unknown.length} have no mood here`,
    ),
  );
  assert.equal(await failure.count(), 0);
  // Now the ones the catalog lacks are offered.
  assert.equal(await entry.locator(".library-look-up").textContent(), `Ask ReccoBeats for the ${file.unknown.length} without a mood`);
  await context.close();
});

test("the archive's byte ranges are read side by side, with the browser's cache on (Chrome's cache would hold each request for the one archive until the last is done): a library's id shards, a far jump's tiles", async () => {
  const { page, context, plane } = await freshPage("?v=0.2&e=0.8&n=10");
  await checkAgainstReference(plane, 10);
  // Each range answered 300 ms late, counting how many are asked at once.
  const path = `/${manifest.archive}`;
  const original = routes[path];
  let [inFlight, most, asked] = [0, 0, 0];
  routes[path] = (req, res) => {
    asked += 1;
    inFlight += 1;
    most = Math.max(most, inFlight);
    res.on("close", () => (inFlight -= 1));
    setTimeout(() => original(req, res), 300);
  };
  try {
    // A library's ids: their id shards are read several at once.
    const library = join(ROOT, "tests", "fixtures", "library", "exportify_without_features.csv");
    const file = readExport(library, new Map(tracks.map((t) => [t.id, t])));
    await page.locator("#library-file").setInputFiles(library);
    await page.locator("#library-list .library-summary", { hasText: `placed ${file.joined.length} of ${file.named.length}` }).waitFor({ timeout: 30000 });
    // A far jump: its first wave asks for the tiles around the point at once.
    const far = await plane.pointOf(0.95, 0.05);
    await page.mouse.click(far.x, far.y);
    await plane.waitForUrl((p) => p.get("v") === "0.950" && p.get("e") === "0.050");
    await checkAgainstReference(plane, 10);
  } finally {
    routes[path] = original;
  }
  assert.ok(asked >= 2, `${asked} ranges asked`);
  assert.ok(most >= 2, `at most ${most} of ${asked} ranges were asked at once`);
  await context.close();
});

test("a jump across the plane asks for its tile and the details around where it lands side by side, so its list needs no round trip of its own for the names (2,048-track tiles, as a big catalog has)", async () => {
  const big = buildTiles([CSV], mkdtempSync(join(tmpdir(), "moodplane-big-tiles-")), ["--tracks-per-tile", "2048", "--load-whole-up-to", "0"]);
  const saved = { ...routes };
  serveInstead(routes, big);
  // Each range answered 300 ms late, so that what a list asks after an answer is plain.
  const path = `/${big.manifest.archive}`;
  const original = routes[path];
  routes[path] = (req, res) => setTimeout(() => original(req, res), 300);
  try {
    const later = [];
    for (const [v, e] of [[0.05, 0.95], [0.95, 0.05], [0.05, 0.05], [0.95, 0.95]]) {
      // From the opposite corner, whose tiles are not the jump's.
      const { page, context, plane } = await freshPage(`?v=${1 - v}&e=${1 - e}&n=10`);
      await checkAgainstReference(plane, 10);
      await page.waitForTimeout(400);
      const asked = [];
      page.on("request", (r) => {
        if (new URL(r.url()).pathname === path) asked.push({ at: Date.now(), range: r.headers().range });
      });
      const clickedAt = Date.now();
      const at = await plane.pointOf(v, e);
      await page.mouse.click(at.x, at.y);
      await plane.waitForUrl((p) => p.get("v") === v.toFixed(3) && p.get("e") === e.toFixed(3));
      await checkAgainstReference(plane, 10);
      const listedAt = Date.now();
      // The jump's ranges (not those fetched ahead once its list was drawn): its tile and
      // the details around the point, side by side; mostly nothing asked once they answered.
      const jump = asked.filter((r) => r.at < listedAt - 250);
      const seen = JSON.stringify(jump.map((r) => [r.at - clickedAt, r.range]));
      assert.ok(jump.length >= 2, `(${v}, ${e}): ${seen}`);
      if (Math.max(...jump.map((r) => r.at)) - clickedAt >= 250) later.push(`(${v}, ${e}): ${seen}`);
      await context.close();
    }
    // Mostly (85 % of points at 1.2M and 10M tracks; one of these corners here, where the
    // window's estimate of where the point falls misses by a chunk): before the windows,
    // every jump asked for its names a round trip after its tiles.
    assert.ok(later.length <= 1, `asked a round trip later: ${later.join("; ")}`);
  } finally {
    for (const key of Object.keys(routes)) delete routes[key];
    Object.assign(routes, saved);
  }
});
