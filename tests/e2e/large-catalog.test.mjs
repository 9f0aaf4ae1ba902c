// End to end at scale: a 60,000-track synthetic catalog (above the dot-drawing limit, so
// the plane is a density image) built by the repo's generator and builder, served in
// place of the embedded one. The page's ranking must still equal brute force. When
// ../shared/data (the generator's source) is absent it is skipped with the reason in the
// summary, and under CI=true that is a failure: CI always has ../shared.
import { before, test } from "node:test";
import assert from "node:assert/strict";

import { useSession } from "./support/session.mjs";
import { serveSyntheticCatalog, skipWithoutSharedData } from "./support/shared-data.mjs";

const skip = skipWithoutSharedData("large-catalog");
let tracks = [];
const routes = {};

before(() => {
  if (skip) return;
  tracks = serveSyntheticCatalog(routes, { rows: 60000, seed: 7 });
});

const { freshPage } = useSession(routes);

test("60k tracks: a density image, and drags still rank exactly like brute force", { skip }, async () => {
  const { context, problems, plane } = await freshPage("?v=0.2&e=0.8&n=20");
  assert.match(await plane.page.locator("#catalog-summary").textContent(), /60,000 tracks/);
  assert.ok((await plane.inkedPixels()) > 50000, "the density image covers the plane");
  for (const [from, to] of [[[0.2, 0.8], [0.7, 0.3]], [[0.7, 0.3], [0.45, 0.55]]]) {
    await plane.drag({ valence: from[0], energy: from[1] }, { valence: to[0], energy: to[1] });
    const params = await plane.waitForUrl(
      (p) => Math.abs(Number(p.get("v")) - to[0]) < 0.005 && Math.abs(Number(p.get("e")) - to[1]) < 0.005,
    );
    const [v, e] = [Number(params.get("v")), Number(params.get("e"))];
    const expected = tracks
      .map((t, i) => {
        const dv = v - t.valence;
        const de = e - t.energy;
        return { id: t.id, i, d2: dv * dv + de * de };
      })
      .sort((a, b) => a.d2 - b.d2 || a.i - b.i)
      .slice(0, 20)
      .map((t) => t.id);
    assert.deepEqual(await plane.resultIds(), expected);
  }
  assert.deepEqual(problems, []);
  await context.close();
});
