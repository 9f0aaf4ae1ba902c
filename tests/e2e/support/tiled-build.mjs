// A catalog of the test's own, built by the repo's catalog builder as a tiled catalog and
// served in place of the page's: its manifest at the path the built page declares, its
// archive (read by byte ranges) under its hashed name.
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";

import { CATALOG_BUILDER, DIST } from "./session.mjs";
import { sendBytes } from "./static-server.mjs";

/** The manifest file the built page names in <meta name="moodplane-tiles">. */
export function declaredManifest(dist = DIST) {
  const html = readFileSync(join(dist, "index.html"), "utf8");
  const match = /<meta name="moodplane-tiles" content="([^"]+)"/.exec(html);
  if (!match) throw new Error(`${dist}/index.html names no tiled catalog`);
  return match[1];
}

/** The built page's own catalog: { manifest, manifestText, archive }. */
export function pageCatalog(dist = DIST) {
  const manifestText = readFileSync(join(dist, declaredManifest(dist)));
  const manifest = JSON.parse(manifestText);
  return { manifest, manifestText, archive: readFileSync(join(dist, manifest.archive)) };
}

/** Cuts `csvs` into a tiled catalog in `dir` (builder `args` such as --tracks-per-tile). */
export function buildTiles(csvs, dir, args = []) {
  execFileSync(CATALOG_BUILDER, [...csvs, "--tiles", dir, ...args], { stdio: "pipe" });
  const manifestText = readFileSync(join(dir, "tiles.json"));
  const manifest = JSON.parse(manifestText);
  return { manifest, manifestText, archive: readFileSync(join(dir, manifest.archive)) };
}

/** Adds to `routes` what serves `built` in place of the page's catalog. */
export function serveInstead(routes, built, dist = DIST) {
  routes[`/${declaredManifest(dist)}`] = (req, res) =>
    res.writeHead(200, { "content-type": "application/json", "cache-control": "no-store" }).end(built.manifestText);
  routes[`/${built.manifest.archive}`] = (req, res) => sendBytes(req, res, built.archive, { "content-type": "application/octet-stream" });
}

/** The bytes a page reads to load `manifest`'s catalog whole: tiles, details and order.
 * The manifest lists its tiles in columns, each piece's place as the gap after the one
 * before (details, then tile). */
export function leadingBytes(manifest) {
  const t = manifest.tiles;
  let end = 0;
  t.count.forEach((_, n) => {
    end += t.details_gap[n] + t.details_length[n];
    end += t.blob_gap[n] + t.blob_length[n];
  });
  const [orderAt, orderLength] = manifest.order;
  return Math.max(end, orderAt + orderLength);
}
