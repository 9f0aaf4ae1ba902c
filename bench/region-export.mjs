// What exporting a whole radius over a tiled catalog costs: the page opens a radius link
// (throttled to 20 Mbit/s and 40 ms, as bench/tiles.mjs), waits for its first page, then
// downloads its CSV; prints the tracks, the time from the click to the download and the
// archive bytes read for it (Resource Timing). Serves like bench/tiles.mjs.
//   node bench/region-export.mjs --dist DIST --tiles TILES_DIR [--radius 0.02] [--at 0.5,0.5]
import { readFileSync } from "node:fs";

import { launchBrowser } from "../tests/e2e/support/browser.mjs";
import { serveTiles, throttledPage } from "./serve-tiles.mjs";

const args = process.argv.slice(2);
const option = (name, fallback) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : fallback;
};
const RADIUS = option("radius", "0.02");
const [V, E] = option("at", "0.5,0.5").split(",");
const { url, server } = await serveTiles(["--dist", option("dist", "dist"), "--tiles", option("tiles", null)]);

const browser = await launchBrowser();
try {
  const { page } = await throttledPage(browser, { acceptDownloads: true });
  await page.goto(`${url}?v=${V}&e=${E}&r=${RADIUS}`);
  await page.locator("#results li").first().waitFor({ timeout: 120000 });
  await page.waitForFunction(() => !document.querySelector("#tiles-status"), null, { timeout: 120000 });
  const heading = await page.locator("#results-heading").textContent();
  await page.waitForTimeout(1000);
  await page.evaluate(() => {
    performance.setResourceTimingBufferSize(100000);
    performance.clearResourceTimings();
  });
  const t0 = Date.now();
  const [download] = await Promise.all([page.waitForEvent("download", { timeout: 600000 }), page.locator("#results-csv").click()]);
  const ms = Date.now() - t0;
  const rows = readFileSync(await download.path(), "utf8").trim().split("\r\n").length - 1;
  const read = await page.evaluate(() => {
    const entries = performance.getEntriesByType("resource").filter((e) => e.name.includes(".tiles"));
    return { requests: entries.length, kb: Math.round(entries.reduce((sum, e) => sum + e.transferSize, 0) / 1000) };
  });
  console.log(JSON.stringify({ radius: RADIUS, at: [V, E], heading: heading.trim(), rows, click_to_download_ms: ms, ...read }));
} finally {
  await browser.close();
  server.kill();
}
