// Mood journeys (issue 12): a path drawn with the mouse, clicked point by point, built
// from a shared link, from two pasted links and from a named journey; each list is
// checked against an independent reading of the rule (support/reference-journey.mjs).
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";

import { loadTutorialCsv, parseCsv } from "./support/reference-ranking.mjs";
import { audit, BLOCKING, describe } from "./support/axe.mjs";
import { firstOfEachId, pathOf, referenceJourney } from "./support/reference-journey.mjs";
import { ROOT, useSession } from "./support/session.mjs";

const catalog = firstOfEachId(loadTutorialCsv(join(ROOT, "data", "valence_arousal_11k.csv")));
const { freshPage } = useSession();

/** The page's list, checked row by row against the reference journey. */
async function assertJourney(plane, vertices, stops, gap = null) {
  const expected = referenceJourney(catalog, vertices, stops, gap);
  await plane.page.waitForFunction((n) => document.querySelectorAll("#results li").length === n, expected.length);
  const ids = await plane.resultIds();
  assert.deepEqual(ids, expected.map((t) => t.id));
  const distances = await plane.resultDistances();
  distances.forEach((d, i) => assert.ok(Math.abs(d - expected[i].distance) < 1e-12, `distance ${i}: ${d} vs ${expected[i].distance}`));
  return expected;
}

async function journeyMode(page) {
  await page.locator("#mode-journey").check();
  await page.locator("#journey-panel").waitFor();
}

test("a shared journey link reproduces the rule's playlist in path order", async () => {
  const { page, context, problems, plane } = await freshPage("?path=0.9,0.95;0.5,0.5;0.1,0.05&n=30");
  assert.ok(await page.locator("#mode-journey").isChecked());
  const expected = await assertJourney(plane, [[0.9, 0.95], [0.5, 0.5], [0.1, 0.05]], 30);
  assert.equal(expected.length, 30);
  assert.match(await page.locator("#results-heading").textContent(), /Journey: 30 tracks in path order/);
  // The path, its waypoints and the arrows are drawn in the path's own colour.
  assert.ok((await plane.overlayPixels([21, 101, 192])) > 200, "the path is drawn");
  const params = await plane.urlParams();
  assert.equal(params.get("path"), "0.900,0.950;0.500,0.500;0.100,0.050");
  assert.equal(params.get("n"), "30");
  assert.deepEqual(problems, []);
  await context.close();
});

test("a freehand line drawn with the mouse becomes the smoothed path the list walks", async () => {
  const { page, context, problems, plane } = await freshPage();
  await journeyMode(page);
  // A wavy stroke of 120 small moves, like a hand.
  const points = Array.from({ length: 121 }, (_, i) => {
    const t = i / 120;
    return { valence: 0.15 + 0.7 * t, energy: 0.5 + 0.3 * Math.sin(t * Math.PI * 2) };
  });
  const first = await plane.pointOf(points[0].valence, points[0].energy);
  await page.mouse.move(first.x, first.y);
  await page.mouse.down();
  for (const p of points.slice(1)) {
    const at = await plane.pointOf(p.valence, p.energy);
    await page.mouse.move(at.x, at.y);
  }
  await page.mouse.up();
  const params = await plane.waitForUrl((p) => p.has("path"));
  const vertices = pathOf(params);
  assert.ok(vertices.length >= 3 && vertices.length <= 32, `a smoothed wave keeps a few points: ${vertices.length}`);
  // Smoothing keeps the ends where the hand started and stopped (to the pixel).
  assert.ok(Math.abs(vertices[0][0] - 0.15) < 0.003 && Math.abs(vertices[0][1] - 0.5) < 0.003, String(vertices[0]));
  const last = vertices[vertices.length - 1];
  assert.ok(Math.abs(last[0] - 0.85) < 0.003 && Math.abs(last[1] - 0.5) < 0.003, String(last));
  await assertJourney(plane, vertices, 20);
  assert.match(await page.locator("#journey-status").textContent(), new RegExp(`Path of ${vertices.length} points`));
  assert.deepEqual(problems, []);
  await context.close();
});

test("clicks make a polyline; Enter adds the cursor's point and Backspace takes the last away", async () => {
  const { page, context, problems, plane } = await freshPage();
  await journeyMode(page);
  for (const [v, e] of [[0.2, 0.2], [0.6, 0.3]]) {
    const at = await plane.pointOf(v, e);
    await page.mouse.click(at.x, at.y);
  }
  let params = await plane.waitForUrl((p) => p.has("path"));
  const clicked = pathOf(params);
  assert.equal(clicked.length, 2);
  clicked.forEach(([v, e], i) => {
    const [wv, we] = [[0.2, 0.2], [0.6, 0.3]][i];
    assert.ok(Math.abs(v - wv) < 0.003 && Math.abs(e - we) < 0.003, `click ${i}: ${v},${e}`);
  });
  // The cursor sits on the last click; five steps up, then Enter.
  for (let i = 0; i < 5; i++) await page.keyboard.press("ArrowUp");
  await page.keyboard.press("Enter");
  params = await plane.waitForUrl((p) => p.get("path")?.split(";").length === 3);
  const withKey = pathOf(params);
  assert.ok(Math.abs(withKey[2][0] - clicked[1][0]) < 1e-9 && Math.abs(withKey[2][1] - (clicked[1][1] + 0.05)) < 1e-9, String(withKey[2]));
  await assertJourney(plane, withKey, 20);
  await page.keyboard.press("Backspace");
  params = await plane.waitForUrl((p) => p.get("path")?.split(";").length === 2);
  await assertJourney(plane, pathOf(params), 20);
  await page.locator("#journey-clear").click();
  // Without a path the list shows the cursor's nearest tracks, and says so.
  await page.locator("#results-heading", { hasText: "Nearest to the cursor (draw a path for a journey)" }).waitFor();
  assert.equal(await plane.results.count(), 10);
  assert.deepEqual(problems, []);
  await context.close();
});

test("a journey between two pasted tracks starts at the first and ends near the second", async () => {
  const { page, context, problems, plane } = await freshPage();
  await journeyMode(page);
  const calm = catalog.find((t) => t.valence < 0.2 && t.energy < 0.15);
  const wild = catalog.find((t) => t.valence > 0.85 && t.energy > 0.9);
  await page.locator(".journey-ends summary").click();
  await page.locator("#journey-start").fill(`https://open.spotify.com/track/${wild.id}?si=abc`);
  await page.locator("#journey-finish").fill("spotify:track:2222222222222222222222");
  await page.locator("#journey-between").click();
  const message = page.locator("#journey-ends-message");
  await message.filter({ hasText: "End: track 2222222222222222222222 is not in this catalog" }).waitFor();
  assert.equal(await page.locator("#journey-finish").inputValue(), "spotify:track:2222222222222222222222", "the typed text stays");
  await page.locator("#journey-finish").fill(`spotify:track:${calm.id}`);
  await page.locator("#journey-between").click();
  const params = await plane.waitForUrl((p) => p.has("path"));
  assert.deepEqual(pathOf(params), [[wild.valence, wild.energy], [calm.valence, calm.energy]]);
  assert.equal(await message.textContent(), "");
  const expected = await assertJourney(plane, pathOf(params), 20);
  assert.equal(expected[0].distance, 0);
  assert.deepEqual(problems, []);
  await context.close();
});

test("a named journey walks between its named moods; stops and artist spacing apply; CSV in order", async () => {
  const { page, context, problems, plane } = await freshPage("", { acceptDownloads: true });
  await journeyMode(page);
  await page.locator("[data-journey='wind down']").click();
  // Excited (50°) to calm (300°) at radius 0.4 around the centre, on the 1/1000 grid.
  const at = (deg) => [0.5 + 0.4 * Math.cos((deg * Math.PI) / 180), 0.5 + 0.4 * Math.sin((deg * Math.PI) / 180)].map((x) => Math.round(x * 1000) / 1000);
  let params = await plane.waitForUrl((p) => p.has("path"));
  assert.deepEqual(pathOf(params), [at(50), at(300)]);
  await assertJourney(plane, [at(50), at(300)], 20);

  await page.locator("#journey-stops").fill("1");
  await page.locator("#journey-stops-message", { hasText: "“1” is not a whole number of stops from 2 to 100." }).waitFor();
  await page.locator("#journey-stops").fill("40");
  await page.locator("#journey-gap").selectOption("3");
  params = await plane.waitForUrl((p) => p.get("n") === "40" && p.get("gap") === "3");
  const expected = await assertJourney(plane, [at(50), at(300)], 40, 3);
  await page.locator(".journey-ends summary").click();
  const blocking = (await audit(page)).filter((v) => BLOCKING.has(v.impact));
  assert.deepEqual(blocking, [], describe(blocking));
  for (let i = 2; i < expected.length; i++) {
    assert.ok(new Set([expected[i - 2].artist, expected[i - 1].artist, expected[i].artist]).size === 3, `artists spaced at ${i}`);
  }

  const [download] = await Promise.all([page.waitForEvent("download"), page.locator("#results-csv").click()]);
  assert.equal(download.suggestedFilename(), "moodplane-journey-v0.76-e0.81-to-v0.70-e0.15.csv");
  const [, ...rows] = parseCsv(readFileSync(await download.path(), "utf8")).filter((r) => r.length > 1);
  assert.deepEqual(rows.map((r) => r[1]), expected.map((t) => t.id));
  rows.forEach((r, i) => {
    assert.equal(r[9], expected[i].waypoint[0].toFixed(3), `row ${i} found at its waypoint`);
    assert.equal(r[10], expected[i].waypoint[1].toFixed(3));
  });
  assert.deepEqual(problems, []);
  await context.close();
});

test("a journey link that cannot be walked explains itself and shows the point instead", async () => {
  const { page, context, plane } = await freshPage("?path=0.1,0.1;2,0.5&n=7");
  const notices = await page.locator("#notices").textContent();
  assert.match(notices, /path=“0\.1,0\.1;2,0\.5” cannot be walked: point 2 \(“2,0\.5”\) is not “valence,energy”/);
  assert.equal(await plane.results.count(), 7, "n counts matches again");
  assert.ok(!(await page.locator("#mode-journey").isChecked()));
  await context.close();
});

test("a journey drawn with a finger on a phone", async () => {
  const { page, context, problems, plane } = await freshPage("", { viewport: { width: 390, height: 844 }, hasTouch: true, isMobile: true });
  await page.locator("#mode-journey").check();
  await plane.plane.scrollIntoViewIfNeeded();
  const a = await plane.pointOf(0.1, 0.9);
  const b = await plane.pointOf(0.9, 0.1);
  const cdp = await context.newCDPSession(page);
  const touch = (type, p) => cdp.send("Input.dispatchTouchEvent", { type, touchPoints: p ? [{ x: p.x, y: p.y }] : [] });
  await touch("touchStart", a);
  for (let i = 1; i <= 20; i++) await touch("touchMove", { x: a.x + ((b.x - a.x) * i) / 20, y: a.y + ((b.y - a.y) * i) / 20 });
  await touch("touchEnd");
  const vertices = pathOf(await plane.waitForUrl((p) => p.has("path")));
  assert.equal(vertices.length, 2, "a straight stroke is one segment");
  assert.ok(Math.abs(vertices[0][0] - 0.1) < 0.01 && Math.abs(vertices[1][1] - 0.1) < 0.01, String(vertices));
  await assertJourney(plane, vertices, 20);
  assert.deepEqual(problems, []);
  await context.close();
});
