// A radius or a region too big to read over a catalog read tile by tile (issue 14): a
// 130,000-track synthetic catalog (more than a region may reach, 120,000) built by the
// repo's generator and builder, never read whole, served in place of the embedded one.
// The page must say how many tracks the region reaches, offer the largest radius that
// fits, and list that one exactly. Skipped with the reason when ../shared/data (the
// generator's source) is absent; under CI=true that is a failure.
import { before, test } from "node:test";
import assert from "node:assert/strict";

import { listed } from "./support/reference-ranking.mjs";
import { referenceRadius } from "./support/reference-journey.mjs";
import { useSession } from "./support/session.mjs";
import { serveSyntheticCatalog, skipWithoutSharedData } from "./support/shared-data.mjs";

const skip = skipWithoutSharedData("large-region");
const REGION_TRACKS_MOST = 120000;
let tracks = [];
const routes = {};

before(() => {
  if (skip) return;
  tracks = serveSyntheticCatalog(routes, { rows: 130000, seed: 11, builderArgs: ["--load-whole-up-to", "0"] });
});

const { freshPage } = useSession(routes);

const number = (text) => Number(text.replace(/,/g, ""));

test("a radius or a region reaching more than 120,000 tracks says how many; the radius offered instead fits and is listed exactly", { skip }, async () => {
  const { page, context, problems, plane } = await freshPage("?v=0.500&e=0.500");
  assert.match(await page.locator("#catalog-summary").textContent(), /130,000 tracks.*tiled/);
  await page.locator("#mode-radius").check();
  await page.locator("#radius").fill("0.6");
  const tooBig = page.locator("#region-too-big");
  await tooBig.waitFor();
  const said = /This radius reaches ([\d,]+) tracks; over a catalog this big a region may reach at most 120,000\. Make it smaller\./.exec(await tooBig.textContent());
  assert.ok(said, await tooBig.textContent());
  // The tiles it reaches hold more than the limit, and at least the tracks within it.
  assert.ok(number(said[1]) > REGION_TRACKS_MOST && number(said[1]) >= referenceRadius(tracks, 0.5, 0.5, 0.6).length);
  assert.equal(await page.locator("#results-heading").textContent(), "Nothing listed: the region reaches too many tracks");
  assert.equal(await plane.results.count(), 0, "no rows");
  // The radius offered: a number to 1/1000 below the one asked for.
  const offer = /^Use radius (\d\.\d{3})$/.exec(await page.locator("#region-fit").textContent());
  assert.ok(offer, await page.locator("#region-fit").textContent());
  const fitting = Number(offer[1]);
  assert.ok(fitting > 0 && fitting < 0.6, `${fitting}`);
  await page.locator("#region-fit").click();
  const within = referenceRadius(tracks, 0.5, 0.5, fitting);
  assert.ok(within.length > 1000 && within.length <= REGION_TRACKS_MOST, `${within.length} within ${fitting}`);
  await page.locator("#results-heading", { hasText: `Within ${offer[1]}: ${within.length.toLocaleString("en")} tracks` }).waitFor();
  assert.equal(await page.locator("#radius").inputValue(), String(fitting), "the field shows the radius used");
  assert.equal((await plane.waitForUrl((p) => p.get("r") === offer[1])).get("r"), offer[1]);
  assert.equal(await tooBig.count(), 0, "the message is gone");
  await plane.eventually(async () => {
    const got = await listed(plane);
    assert.equal(got.length, 50);
    got.forEach((g, i) => assert.ok(Math.abs(g.distance - within[i].distance) < 1e-12, `distance ${i}`));
  });
  // A region drawn round most of the plane is too big too, with no radius to offer.
  await page.locator("#mode-lasso").check();
  for (const [v, e] of [[0.02, 0.02], [0.98, 0.02], [0.98, 0.98], [0.02, 0.98]]) {
    const p = await plane.pointOf(v, e);
    await page.mouse.click(p.x, p.y);
  }
  await page.locator("#region-too-big", { hasText: "This region reaches" }).waitFor();
  assert.equal(await page.locator("#region-fit").count(), 0);
  assert.deepEqual(problems, []);
  await context.close();
});
