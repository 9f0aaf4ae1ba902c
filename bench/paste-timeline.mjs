// Where a paste's time goes over a tiled catalog, on the page's own clock: for each paste
// of a catalog id, every archive request it made (Resource Timing: asked, first byte,
// done, in ms after the submit) and when its list was complete. Serves like
// bench/tiles.mjs (--serve, in a child process), throttled the same way.
//   node bench/paste-timeline.mjs --dist DIST --tiles TILES_DIR --csv CSV [--pastes 8]
import { randomIds } from "./csv-ids.mjs";
import { launchBrowser } from "../tests/e2e/support/browser.mjs";
import { serveTiles, throttle } from "./serve-tiles.mjs";

const args = process.argv.slice(2);
const option = (name, fallback) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : fallback;
};
const CSV = option("csv", null);
const PASTES = Number(option("pastes", 8));
const { url, server } = await serveTiles(["--dist", option("dist", "dist"), "--tiles", option("tiles", null)]);

const browser = await launchBrowser();
try {
  const page = await browser.newPage();
  const cdp = await page.context().newCDPSession(page);
  await throttle(cdp);
  await page.goto(url);
  await page.locator("#results li").first().waitFor({ timeout: 120000 });
  await page.waitForTimeout(1500);
  for (const id of randomIds(CSV, PASTES, 11)) {
    const line = await page.evaluate(async (id) => {
      performance.clearResourceTimings();
      const input = document.querySelector("#track-link");
      input.value = `https://open.spotify.com/track/${id}`;
      input.dispatchEvent(new Event("input", { bubbles: true }));
      const t0 = performance.now();
      input.form.requestSubmit();
      const done = await new Promise((resolve) => {
        const check = () => {
          const ready = document.querySelector(`#query-track a[href*="${id}"]`) && !document.querySelector("#tiles-status") && document.querySelectorAll("#results li").length > 0;
          if (ready) resolve(performance.now() - t0);
          else requestAnimationFrame(check);
        };
        check();
      });
      const fetches = performance.getEntriesByType("resource")
        .filter((e) => e.name.includes(".tiles"))
        .map((e) => `${Math.round(e.startTime - t0)}→${Math.round(e.responseStart - t0)}→${Math.round(e.responseEnd - t0)} (${(e.transferSize / 1000).toFixed(1)} KB)`);
      return `list at ${Math.round(done)} ms; fetches asked→first byte→done: ${fetches.join(", ")}`;
    }, id);
    console.log(line);
    await page.waitForTimeout(500);
  }
} finally {
  await browser.close();
  server.kill();
}
