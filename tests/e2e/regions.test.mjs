// Beyond one point (issue 12): every track within a radius, every track inside a region
// drawn on the plane, and blends of several seeds; each list checked against an
// independent reference (support/reference-journey.mjs).
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";

import { bruteForceNearest, loadTutorialCsv, parseCsv } from "./support/reference-ranking.mjs";
import { firstOfEachId, referenceJourney, referenceLasso, referenceRadius, verticesOf } from "./support/reference-journey.mjs";
import { ROOT, useSession } from "./support/session.mjs";

const catalog = firstOfEachId(loadTutorialCsv(join(ROOT, "data", "valence_arousal_11k.csv")));
const { freshPage } = useSession();

async function csvIds(page) {
  const [download] = await Promise.all([page.waitForEvent("download"), page.locator("#results-csv").click()]);
  const [, ...rows] = parseCsv(readFileSync(await download.path(), "utf8")).filter((r) => r.length > 1);
  return rows.map((r) => r[1]);
}

test("every track within a radius: the count, the pages, the whole list exported", async () => {
  const { page, context, problems, plane } = await freshPage("?v=0.500&e=0.500&r=0.080", { acceptDownloads: true });
  const expected = referenceRadius(catalog, 0.5, 0.5, 0.08);
  assert.ok(expected.length > 120, `enough for three pages: ${expected.length}`);
  assert.ok(await page.locator("#mode-radius").isChecked());
  await page.locator("#results-heading", { hasText: `Within 0.080: ${expected.length.toLocaleString("en")} tracks` }).waitFor();
  assert.deepEqual(await plane.resultIds(), expected.slice(0, 50).map((t) => t.id));
  assert.match(await page.locator("#page-status").textContent(), new RegExp(`Showing 1–50 of ${expected.length.toLocaleString("en")}`));
  await page.locator("#page-next").click();
  await page.locator("#page-status", { hasText: "Showing 51–100" }).waitFor();
  assert.deepEqual(await plane.resultIds(), expected.slice(50, 100).map((t) => t.id));
  const distances = await plane.resultDistances();
  distances.forEach((d, i) => assert.ok(Math.abs(d - expected[50 + i].distance) < 1e-12, `distance ${i}`));
  assert.deepEqual(await csvIds(page), expected.map((t) => t.id), "export holds every track, in order");
  assert.ok((await plane.overlayPixels([21, 101, 192])) > 100, "the circle is drawn");
  // A smaller radius, typed: back to page one.
  await page.locator("#radius").fill("0.02");
  const smaller = referenceRadius(catalog, 0.5, 0.5, 0.02);
  await page.locator("#results-heading", { hasText: `Within 0.020: ${smaller.length} tracks` }).waitFor();
  assert.deepEqual(await plane.resultIds(), smaller.slice(0, 50).map((t) => t.id));
  await page.locator("#radius").fill("9");
  await page.locator("#radius-message", { hasText: "“9” is not a radius from 0.001 to 5." }).waitFor();
  assert.equal((await plane.urlParams()).get("r"), "0.020", "a bad radius changes nothing");
  assert.deepEqual(problems, []);
  await context.close();
});

test("a region drawn round with the mouse lists exactly the tracks inside it", async () => {
  const { page, context, problems, plane } = await freshPage("", { acceptDownloads: true });
  await page.locator("#mode-lasso").check();
  await page.locator("#lasso-panel").waitFor();
  // A loop round (0.3, 0.6), radius 0.15, in 90 small moves.
  const at = (i) => ({ valence: 0.3 + 0.15 * Math.cos((i / 90) * 2 * Math.PI), energy: 0.6 + 0.15 * Math.sin((i / 90) * 2 * Math.PI) });
  const start = await plane.pointOf(at(0).valence, at(0).energy);
  await page.mouse.move(start.x, start.y);
  await page.mouse.down();
  for (let i = 1; i <= 90; i++) {
    const p = await plane.pointOf(at(i).valence, at(i).energy);
    await page.mouse.move(p.x, p.y);
  }
  await page.mouse.up();
  const params = await plane.waitForUrl((p) => p.has("lasso"));
  const vertices = verticesOf(params, "lasso");
  assert.ok(vertices.length >= 3 && vertices.length <= 32, `${vertices.length} vertices`);
  const expected = referenceLasso(catalog, vertices);
  assert.ok(expected.length > 50, `${expected.length} inside`);
  await page.locator("#results-heading", { hasText: `In the region: ${expected.length.toLocaleString("en")} tracks` }).waitFor();
  assert.deepEqual(await plane.resultIds(), expected.slice(0, 50).map((t) => t.id));
  assert.deepEqual(await csvIds(page), expected.map((t) => t.id));
  // Corners clicked one by one make a region too; a shared link reproduces it.
  await page.locator("#lasso-clear").click();
  for (const [v, e] of [[0.7, 0.1], [0.95, 0.1], [0.95, 0.35]]) {
    const p = await plane.pointOf(v, e);
    await page.mouse.click(p.x, p.y);
  }
  const triangle = verticesOf(await plane.waitForUrl((p) => p.get("lasso")?.split(";").length === 3), "lasso");
  const inTriangle = referenceLasso(catalog, triangle);
  await page.locator("#results-heading", { hasText: `In the region: ${inTriangle.length.toLocaleString("en")} tracks` }).waitFor();
  const shared = (await plane.urlParams()).toString();
  const again = await freshPage(`?${shared}`);
  await again.page.locator("#results-heading", { hasText: `In the region: ${inTriangle.length.toLocaleString("en")} tracks` }).waitFor();
  assert.deepEqual(await again.plane.resultIds(), inTriangle.slice(0, 50).map((t) => t.id));
  assert.deepEqual(problems, []);
  assert.deepEqual(again.problems, []);
  await again.context.close();
  await context.close();
});

test("blend: the centre of several pasted tracks, or a journey through them in order", async () => {
  const { page, context, problems, plane } = await freshPage();
  const seeds = [catalog[10], catalog[2000], catalog[7000]];
  await page.locator("#track-link").evaluate((input, data) => {
    const transfer = new DataTransfer();
    transfer.setData("text/plain", data);
    input.focus();
    input.dispatchEvent(new ClipboardEvent("paste", { clipboardData: transfer, bubbles: true, cancelable: true }));
  }, seeds.map((t) => `https://open.spotify.com/track/${t.id}`).join("\n"));
  await page.locator("#pasted-blend-centre").click();
  const round = (x) => Math.round(x * 1000) / 1000;
  const centre = [round(seeds.reduce((a, t) => a + t.valence, 0) / 3), round(seeds.reduce((a, t) => a + t.energy, 0) / 3)];
  await plane.waitForUrl((p) => p.get("v") === centre[0].toFixed(3) && p.get("e") === centre[1].toFixed(3));
  await page.waitForFunction((id) => document.querySelector("#results li")?.dataset.trackId === id, bruteForceNearest(catalog, centre[0], centre[1], 1)[0].id);
  assert.deepEqual(await plane.resultIds(), bruteForceNearest(catalog, centre[0], centre[1], 10).map((t) => t.id));
  await page.locator("#pasted-blend-journey").click();
  const params = await plane.waitForUrl((p) => p.has("path"));
  const path = verticesOf(params, "path");
  assert.deepEqual(path, seeds.map((t) => [t.valence, t.energy]));
  const expected = referenceJourney(catalog, path, 20);
  await page.waitForFunction((n) => document.querySelectorAll("#results li").length === n, expected.length);
  assert.deepEqual(await plane.resultIds(), expected.map((t) => t.id));
  // Picked results blend too: two rows into the crate, then a journey through the crate.
  await page.locator("#results li").nth(3).locator(".add-to-crate").click();
  await page.locator("#results li").nth(12).locator(".add-to-crate").click();
  const picked = [expected[3], expected[12]].map((t) => catalog.find((c) => c.id === t.id));
  await page.locator("#crate-blend-journey").click();
  await plane.waitForUrl((p) => p.get("path") === picked.map((t) => `${t.valence.toFixed(3)},${t.energy.toFixed(3)}`).join(";"));
  const throughPicked = referenceJourney(catalog, picked.map((t) => [t.valence, t.energy]), 20);
  await page.waitForFunction((id) => document.querySelector("#results li")?.dataset.trackId === id, throughPicked[0].id);
  assert.deepEqual(await plane.resultIds(), throughPicked.map((t) => t.id));
  assert.deepEqual(problems, []);
  await context.close();
});
