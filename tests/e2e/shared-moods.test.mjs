// End to end over tiles, where many tracks share one mood (as in a 10M catalog, where
// each thousandth of the plane holds about ten tracks): a jump from one crowd of tracks
// at a single mood to another must list the new crowd. Both lists are ten tracks at
// distance 0, numbered 0 to 9 in the small catalog a tiled list is shown from, so the
// matches alone (positions and distances) are equal: found at 10M, where the list kept
// the first crowd while the point moved on, because the rows followed only the matches.
import { before, test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

import { useSession } from "./support/session.mjs";
import { buildTiles, serveInstead } from "./support/tiled-build.mjs";

const work = mkdtempSync(join(tmpdir(), "moodplane-crowds-"));
const csv = join(work, "crowds.csv");
const id = (letter, i) => `${letter}${String(i).padStart(21, "0")}`;

const routes = {};
before(() => {
  const rows = ["id,genre,track_name,artist_name,valence,energy"];
  for (let i = 0; i < 12; i++) rows.push(`${id("A", i)},pop,Crowd A ${i},Artist A${i},0.200,0.800`);
  for (let i = 0; i < 12; i++) rows.push(`${id("B", i)},pop,Crowd B ${i},Artist B${i},0.800,0.200`);
  // Others spread over the plane, so the crowds lie in different tiles.
  for (let i = 0; i < 300; i++) {
    const v = ((i * 37) % 100) / 100 + 0.004;
    const e = ((i * 61) % 100) / 100 + 0.004;
    rows.push(`${id("C", i)},rock,Other ${i},Artist C${i},${v.toFixed(3)},${e.toFixed(3)}`);
  }
  writeFileSync(csv, rows.join("\n") + "\n");
  serveInstead(routes, buildTiles([csv], join(work, "tiles"), ["--tracks-per-tile", "16", "--load-whole-up-to", "0"]));
});
const { freshPage } = useSession(routes);

/** The listed names, once every row names a track of `crowd` (or after 5 s, as they are). */
async function namesOnceAll(page, crowd) {
  const names = () => page.locator("#results li .name").allTextContents();
  const deadline = Date.now() + 5000;
  while (Date.now() < deadline) {
    const now = await names();
    if (now.length === 10 && now.every((n) => n.startsWith(crowd))) return now;
    await page.waitForTimeout(100);
  }
  return names();
}

/** Clicks the plane at (v, e) and waits until the URL holds that point. */
async function clickAt(plane, v, e) {
  const at = await plane.pointOf(v, e);
  await plane.page.mouse.click(at.x, at.y);
  await plane.waitForUrl((p) => Number(p.get("v")) === v && Number(p.get("e")) === e);
}

test("a jump from one crowd of tracks at one mood to another lists the new crowd", async () => {
  const { page, context, problems, plane } = await freshPage("?v=0.2&e=0.8&n=10");
  assert.match(await page.locator("#catalog-summary").textContent(), /tiled/);
  const first = await namesOnceAll(page, "Crowd A");
  assert.deepEqual(first.map((n) => n.slice(0, 7)), Array(10).fill("Crowd A"));
  assert.deepEqual(await plane.resultDistances(), Array(10).fill(0));
  // One click on the other crowd: no list in between. And back.
  await clickAt(plane, 0.8, 0.2);
  const second = await namesOnceAll(page, "Crowd B");
  assert.deepEqual(second.map((n) => n.slice(0, 7)), Array(10).fill("Crowd B"));
  assert.deepEqual(await plane.resultDistances(), Array(10).fill(0));
  await clickAt(plane, 0.2, 0.8);
  assert.deepEqual((await namesOnceAll(page, "Crowd A")).map((n) => n.slice(0, 7)), Array(10).fill("Crowd A"));
  assert.deepEqual(problems, []);
  await context.close();
});
