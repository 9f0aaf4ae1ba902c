// Where the first results' time goes: serves like bench/tiles.mjs (its --serve mode, in a
// child process), loads the page once throttled to 20 Mbit/s / 40 ms, and prints each
// resource's request and response times and the moment the first result row appeared,
// all on the page's own clock (ms from navigation start).
// Usage: node bench/first-load-timeline.mjs --dist dist --tiles TILES_DIR
import { launchBrowser } from "../tests/e2e/support/browser.mjs";
import { serveTiles, throttledPage } from "./serve-tiles.mjs";

const args = process.argv.slice(2);
const { url, server } = await serveTiles(args);
const browser = await launchBrowser();
try {
  const { page, cdp } = await throttledPage(browser);
  await page.addInitScript(() => {
    window.__marks = { long_tasks: [] };
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) window.__marks.long_tasks.push([Math.round(e.startTime), Math.round(e.duration)]);
    }).observe({ type: "longtask", buffered: true });
    addEventListener("TrunkApplicationStarted", () => (window.__marks.wasm_started = performance.now()));
    new MutationObserver(() => {
      if (!window.__marks.first_row && document.querySelector("#results li")) window.__marks.first_row = performance.now();
      if (!window.__marks.plane && document.querySelector("#plane")) window.__marks.plane = performance.now();
    }).observe(document, { childList: true, subtree: true });
  });
  await page.goto(url);
  await page.locator("#results li").first().waitFor({ timeout: 120000 });
  const out = await page.evaluate(() => ({
    marks: window.__marks,
    resources: performance.getEntriesByType("resource").map((r) => [new URL(r.name).pathname, Math.round(r.startTime), Math.round(r.responseEnd), r.transferSize]),
  }));
  for (const r of out.resources) console.log(r.join("\t"));
  console.log(JSON.stringify(out.marks));
} finally {
  await browser.close();
  server.kill();
}
