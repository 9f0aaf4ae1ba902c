// The shared datasets beside the repository (../shared/data): tests that need them are
// skipped, with the reason in the summary, when they are absent; under CI=true that is
// a failure, since CI always has them. Synthetic catalogs (the generator reads them) are
// built and served from here too.
import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

import { parseCsv } from "./reference-ranking.mjs";
import { ROOT } from "./session.mjs";
import { buildTiles, serveInstead } from "./tiled-build.mjs";

export const SHARED = join(ROOT, "..", "shared", "data");

/** `false` when the shared data is here, else the reason to skip; throws under CI=true. */
export function skipWithoutSharedData(suite) {
  if (existsSync(join(SHARED, "spotify_songs_32k.csv"))) return false;
  if (process.env.CI === "true") {
    throw new Error(`${suite} tests need ${SHARED}, and CI=true: real data must not be skipped in CI`);
  }
  return `${SHARED} is absent`;
}

/**
 * A synthetic catalog of `rows` tracks made by the repo's seeded generator, cut into a
 * tiled catalog by the builder (`builderArgs` such as --load-whole-up-to), served in
 * place of the page's own through `routes`; returns its tracks as [{ id, valence,
 * energy }] in CSV order, for the tests' references.
 */
export function serveSyntheticCatalog(routes, { rows, seed, builderArgs = [] }) {
  const work = mkdtempSync(join(tmpdir(), "moodplane-synthetic-"));
  const csv = join(work, `synthetic_${rows}.csv`);
  execFileSync("python3", [join(ROOT, "bench", "make_synthetic_catalog.py"), "--rows", String(rows), "--seed", String(seed), "--out", csv], { stdio: "pipe" });
  serveInstead(routes, buildTiles([csv], join(work, "tiles"), builderArgs));
  const [header, ...lines] = parseCsv(readFileSync(csv, "utf8"));
  const col = (n) => header.indexOf(n);
  return lines
    .filter((r) => r.length === header.length)
    .map((r) => ({ id: r[col("track_id")], valence: Number(r[col("valence")]), energy: Number(r[col("energy")]) }));
}
