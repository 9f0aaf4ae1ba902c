// End to end: the tutorial's improvements — z-scores, genre chips, artist diversity,
// presets, the analysis panel and genre centroids — and their round trip through a link.
import { test } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";

import { loadTutorialCsv, referenceLine, referenceRanking } from "./support/reference-ranking.mjs";
import { ROOT, useSession } from "./support/session.mjs";

const tracks = loadTutorialCsv(join(ROOT, "data", "valence_arousal_11k.csv"));
const { freshPage } = useSession();

async function listed(plane) {
  const ids = await plane.resultIds();
  const distances = await plane.resultDistances();
  return { ids, distances };
}

function assertMatches(actual, expected) {
  assert.deepEqual(actual.ids, expected.map((t) => t.id));
  actual.distances.forEach((d, i) => assert.ok(Math.abs(d - expected[i].distance) < 1e-9, `distance ${i}: ${d} vs ${expected[i].distance}`));
}

test("toggling z-score changes the list as the z-scored reference predicts", async () => {
  const [v, e] = [0.2, 0.9];
  const plain = referenceRanking(tracks, v, e, 10);
  const z = referenceRanking(tracks, v, e, 10, { zScore: true });
  assert.notDeepEqual(plain.map((t) => t.id), z.map((t) => t.id), "the chosen point must tell the two apart");
  const { context, problems, plane, page } = await freshPage(`?v=${v}&e=${e}`);
  assertMatches(await listed(plane), plain);
  await page.locator("#opt-zscore").check();
  await plane.waitForUrl((p) => p.get("z") === "1");
  assertMatches(await listed(plane), z);
  await page.locator("#opt-zscore").uncheck();
  await plane.waitForUrl((p) => !p.has("z"));
  assertMatches(await listed(plane), plain);
  assert.deepEqual(problems, []);
  await context.close();
});

test("genre chips include and exclude genres", async () => {
  const [v, e] = [0.6, 0.6];
  const { context, plane, page } = await freshPage(`?v=${v}&e=${e}`);
  const genre = await plane.results.first().getAttribute("data-genre");
  const chip = page.locator(`.chip[data-genre="${genre}"]`);
  await chip.click();
  assert.equal(await chip.getAttribute("data-state"), "include");
  await plane.waitForUrl((p) => p.get("gi") === genre);
  const included = await plane.results.evaluateAll((li) => li.map((x) => x.dataset.genre));
  assert.ok(included.every((g) => g === genre), included.join());
  assertMatches(await listed(plane), referenceRanking(tracks, v, e, 10, { includeGenres: [genre] }));
  await chip.click();
  assert.equal(await chip.getAttribute("data-state"), "exclude");
  await plane.waitForUrl((p) => p.get("gx") === genre && !p.has("gi"));
  const remaining = await plane.results.evaluateAll((li) => li.map((x) => x.dataset.genre));
  assert.ok(!remaining.includes(genre));
  assertMatches(await listed(plane), referenceRanking(tracks, v, e, 10, { excludeGenres: [genre] }));
  await chip.click();
  await plane.waitForUrl((p) => !p.has("gx"));
  assertMatches(await listed(plane), referenceRanking(tracks, v, e, 10));
  await context.close();
});

test("artist diversity keeps at most m tracks per artist", async () => {
  // Near (0.05, 0.05) some artists have many tracks (classical, ambient).
  const [v, e] = [0.04, 0.05];
  const capped = referenceRanking(tracks, v, e, 20, { maxPerArtist: 1 });
  assert.notDeepEqual(referenceRanking(tracks, v, e, 20).map((t) => t.id), capped.map((t) => t.id));
  const { context, plane, page } = await freshPage(`?v=${v}&e=${e}&n=20`);
  await page.locator("#opt-max-artist").fill("1");
  await plane.waitForUrl((p) => p.get("ma") === "1");
  assertMatches(await listed(plane), capped);
  await page.locator("#opt-max-artist").fill("0");
  assert.match(await page.locator("#ranking-options").textContent(), /“0” is not a whole number from 1 to 50/);
  assertMatches(await listed(plane), capped);
  await context.close();
});

test("a preset moves the point to its mood", async () => {
  const { context, plane, page } = await freshPage();
  await page.locator('.preset[data-preset="sad"]').click();
  // sad sits at 200° on a circle of radius 0.4 around the centre.
  const params = await plane.waitForUrl((p) => p.get("v") === "0.124");
  assert.equal(params.get("e"), "0.363");
  assert.match(await plane.queryText.textContent(), /Valence 0\.124 · Energy 0\.363 \(sad \/ depressed\)/);
  await context.close();
});

test("the analysis panel shows histograms and the least-squares line", async () => {
  const { context, page, plane } = await freshPage();
  const inked = await plane.barPixelsOnceDrawn("#hist-energy", 3000);
  assert.ok(inked > 3000, `histogram bars drawn (${inked} px)`);
  const { slope, r, energyMean } = referenceLine(tracks);
  const text = await page.locator("#regression-text").textContent();
  assert.ok(text.includes(`${slope.toFixed(3)} × valence (r = ${r.toFixed(3)})`), text);
  assert.match(await page.locator("#analysis").textContent(), new RegExp(`Energy: mean ${energyMean.toFixed(3)}`));
  await context.close();
});

test("clicking a genre centroid moves the point onto it", async () => {
  const groups = new Map();
  for (const t of tracks) {
    const g = groups.get(t.genre) ?? { v: 0, e: 0, n: 0 };
    g.v += t.valence;
    g.e += t.energy;
    g.n += 1;
    groups.set(t.genre, g);
  }
  const centroids = [...groups].map(([genre, g]) => ({ genre, v: g.v / g.n, e: g.e / g.n }));
  // The most isolated centroid, so the click cannot land on a neighbour.
  const isolation = (c) => Math.min(...centroids.filter((o) => o !== c).map((o) => Math.hypot(o.v - c.v, o.e - c.e)));
  const target = centroids.reduce((best, c) => (isolation(c) > isolation(best) ? c : best));
  const { context, plane, page } = await freshPage();
  await page.locator("#show-guides").check();
  const at = await plane.pointOf(target.v, target.e);
  // A few pixels off the centre of the marker still hits it.
  await page.mouse.click(at.x + 2, at.y - 2);
  const params = await plane.waitForUrl((p) => p.get("v") !== "0.500");
  assert.equal(params.get("v"), target.v.toFixed(3), target.genre);
  assert.equal(params.get("e"), target.e.toFixed(3), target.genre);
  await context.close();
});

test("all options round-trip through a shared link", async () => {
  const search = "?v=0.3&e=0.7&n=7&z=1&gx=pop,rock&ma=1";
  const { context, problems, plane, page } = await freshPage(search);
  assert.ok(await page.locator("#opt-zscore").isChecked());
  assert.equal(await page.locator('.chip[data-genre="pop"]').getAttribute("data-state"), "exclude");
  assert.equal(await page.locator("#opt-max-artist").inputValue(), "1");
  const expected = referenceRanking(tracks, 0.3, 0.7, 7, { zScore: true, excludeGenres: ["pop", "rock"], maxPerArtist: 1 });
  assertMatches(await listed(plane), expected);
  const params = await plane.waitForUrl((p) => p.has("z"));
  assert.equal(params.toString(), "v=0.300&e=0.700&n=7&z=1&gx=pop%2Crock&ma=1");
  assert.deepEqual(problems, []);
  await context.close();
});

test("options the catalog cannot support say so instead of failing", async () => {
  const { context, page } = await freshPage("?w=danceability:1&rr=10&gx=no-such-genre");
  assert.ok(await page.locator("#no-extra-features").isVisible());
  const notices = await page.locator("#notices").textContent();
  assert.match(notices, /no danceability values/);
  assert.match(notices, /no popularity values/);
  assert.match(notices, /no genre “no-such-genre”/);
  assert.equal(await page.locator("#results li").count(), 10);
  await context.close();
});
