// A person's library opened over a tiled catalog: an Exportify-style CSV of --tracks ids
// drawn at random from the catalog's CSV (named, without moods), opened through the file
// picker on a page throttled to 20 Mbit/s and 40 ms; the time from choosing the file to
// its summary saying every track was placed from the catalog, and the id-shard requests
// and bytes that took. Serves like bench/tiles.mjs (--serve, in a child process).
//   node bench/library-tiles.mjs --dist DIST --tiles TILES_DIR --csv CATALOG_CSV [--tracks 2000]
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

import { randomIds } from "./csv-ids.mjs";
import { launchBrowser } from "../tests/e2e/support/browser.mjs";
import { serveTiles, throttledPage } from "./serve-tiles.mjs";

const args = process.argv.slice(2);
const take = (name, fallback) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args.splice(i, 2)[1] : fallback;
};
const csv = take("csv", null);
// --reload: the page reloaded once the library is placed (the browser's cache on, as a
// person's is): the time until it is placed again.
const reload = args.includes("--reload") && args.splice(args.indexOf("--reload"), 1);
const count = Number(take("tracks", "2000"));
if (!csv) {
  console.error("usage: node bench/library-tiles.mjs --dist DIST --tiles TILES_DIR --csv CATALOG_CSV [--tracks 2000]");
  process.exit(2);
}
const ids = [...new Set(randomIds(csv, count, 11))];
const library = join(mkdtempSync(join(tmpdir(), "moodplane-library-")), "library.csv");
writeFileSync(
  library,
  ['"Track URI","Track Name","Artist Name(s)"', ...ids.map((id, i) => `"spotify:track:${id}","Track ${i}","Artist ${i % 50}"`)].join("\n") + "\n",
);

const { url, server } = await serveTiles(args);
const browser = await launchBrowser();
try {
  const { page, cdp } = await throttledPage(browser, { cache: Boolean(reload) });
  await page.goto(url);
  await page.locator("#results li").first().waitFor({ timeout: 120000 });
  await page.waitForTimeout(1000);
  const wire = { requests: 0, bytes: 0 };
  const ranges = new Map();
  cdp.on("Network.requestWillBeSent", (e) => {
    if (e.request.url.endsWith(".tiles")) ranges.set(e.requestId, true);
  });
  cdp.on("Network.loadingFinished", (e) => {
    if (!ranges.has(e.requestId)) return;
    wire.requests += 1;
    wire.bytes += e.encodedDataLength;
  });
  const t0 = Date.now();
  await page.locator("#library-file").setInputFiles(library);
  const summary = page.locator("#library-list .library-summary");
  await page.waitForFunction((n) => document.querySelector("#library-list .library-summary")?.textContent.startsWith(`placed ${n.toLocaleString("en")} of`), ids.length, { timeout: 600000 });
  const ms = Date.now() - t0;
  const result = { tracks: ids.length, ms, archive_requests: wire.requests, archive_mb: +(wire.bytes / 1e6).toFixed(2), summary: await summary.textContent() };
  if (reload) {
    const before = { ...wire };
    const t1 = Date.now();
    await page.reload();
    await page.waitForFunction((n) => document.querySelector("#library-list .library-summary")?.textContent.startsWith(`placed ${n.toLocaleString("en")} of`), ids.length, { timeout: 600000 });
    result.reload = { ms: Date.now() - t1, archive_requests: wire.requests - before.requests, archive_mb_on_wire: +((wire.bytes - before.bytes) / 1e6).toFixed(2) };
  }
  console.log(JSON.stringify(result));
} finally {
  await browser.close();
  server.kill();
}
