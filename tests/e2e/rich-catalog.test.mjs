// End to end with a catalog that has danceability, acousticness, tempo and popularity
// (a 597-row sample of the TidyTuesday file, built by the repo's catalog builder and
// served in place of the embedded catalog): feature weights and the popularity re-rank.
import { before, test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

import { parseCsv } from "./support/reference-ranking.mjs";
import { CATALOG_BUILDER, ROOT, useSession } from "./support/session.mjs";
import { buildTiles, serveInstead } from "./support/tiled-build.mjs";

const SAMPLE = join(ROOT, "tests", "fixtures", "tidytuesday_sample.csv");
const BUILDER = CATALOG_BUILDER;
const workDir = mkdtempSync(join(tmpdir(), "moodplane-rich-"));
const routes = {};

before(() => {
  assert.ok(existsSync(BUILDER), `${BUILDER} is built by the page's pre-build hook; run trunk build --release first`);
  serveInstead(routes, buildTiles([SAMPLE], workDir));
});

const { freshPage } = useSession(routes);

/** The sample's tracks, first occurrence of each id, with features in ranking units. */
function loadSample() {
  const [header, ...rows] = parseCsv(readFileSync(SAMPLE, "utf8"));
  const col = (n) => header.indexOf(n);
  const seen = new Set();
  const tracks = [];
  for (const r of rows) {
    if (r.length !== header.length || seen.has(r[col("track_id")])) continue;
    seen.add(r[col("track_id")]);
    tracks.push({
      id: r[col("track_id")],
      valence: Number(r[col("valence")]),
      energy: Number(r[col("energy")]),
      danceability: Number(r[col("danceability")]),
      popularity: Number(r[col("track_popularity")]),
    });
  }
  return tracks;
}
const tracks = loadSample();

function nearestBy(distance2, n) {
  return tracks
    .map((t, index) => ({ t, index, d2: distance2(t) }))
    .sort((a, b) => a.d2 - b.d2 || a.index - b.index)
    .slice(0, n);
}

async function setRange(page, selector, value) {
  await page.locator(selector).evaluate((el, v) => {
    el.value = v;
    el.dispatchEvent(new Event("input", { bubbles: true }));
  }, String(value));
}

test("popularity re-rank orders the k nearest by popularity", async () => {
  const { context, problems, plane, page } = await freshPage("?v=0.5&e=0.5&n=10");
  await page.locator("#opt-rerank").check();
  await plane.waitForUrl((p) => p.get("rr") === "10");
  const plainTen = nearestBy((t) => (0.5 - t.valence) ** 2 + (0.5 - t.energy) ** 2, 10);
  const expected = [...plainTen].sort((a, b) => b.t.popularity - a.t.popularity).map((x) => x.t.id);
  assert.deepEqual(await plane.resultIds(), expected);
  const shown = await plane.results.evaluateAll((li) => li.map((x) => Number(x.dataset.popularity)));
  assert.ok(shown.length === 10 && shown.every(Number.isFinite), `popularity shown: ${shown}`);
  assert.deepEqual(shown, [...shown].sort((a, b) => b - a), "most popular first");
  // A larger k reaches further out for popular tracks.
  await page.locator("#opt-rerank-k").fill("40");
  await plane.waitForUrl((p) => p.get("rr") === "40");
  const wider = nearestBy((t) => (0.5 - t.valence) ** 2 + (0.5 - t.energy) ** 2, 40)
    .sort((a, b) => b.t.popularity - a.t.popularity)
    .slice(0, 10)
    .map((x) => x.t.id);
  assert.deepEqual(await plane.resultIds(), wider);
  assert.deepEqual(problems, []);
  await context.close();
});

test("a danceability weight and wanted value change the ranking as predicted", async () => {
  const { context, plane, page } = await freshPage("?v=0.5&e=0.5&n=10");
  await setRange(page, "#weight-danceability", 1);
  await setRange(page, "#target-danceability", 0.9);
  const params = await plane.waitForUrl((p) => p.get("t") === "danceability:0.9");
  assert.equal(params.get("w"), "danceability:1");
  const expected = nearestBy(
    (t) => (0.5 - t.valence) ** 2 + (0.5 - t.energy) ** 2 + (0.9 - t.danceability) ** 2,
    10,
  );
  assert.deepEqual(await plane.resultIds(), expected.map((x) => x.t.id));
  const distances = await plane.resultDistances();
  distances.forEach((d, i) => assert.ok(Math.abs(d - Math.sqrt(expected[i].d2)) < 1e-9));
  await context.close();
});

test("weights and re-rank round-trip through a shared link", async () => {
  const { context, plane, page } = await freshPage("?v=0.7&e=0.4&n=5&w=danceability:1&t=danceability:0.2&rr=15");
  assert.ok(await page.locator("#opt-rerank").isChecked());
  assert.equal(await page.locator("#opt-rerank-k").inputValue(), "15");
  assert.equal(await page.locator("#weight-danceability").inputValue(), "1");
  const expected = nearestBy((t) => (0.7 - t.valence) ** 2 + (0.4 - t.energy) ** 2 + (0.2 - t.danceability) ** 2, 15)
    .sort((a, b) => b.t.popularity - a.t.popularity)
    .slice(0, 5)
    .map((x) => x.t.id);
  assert.deepEqual(await plane.resultIds(), expected);
  await context.close();
});
