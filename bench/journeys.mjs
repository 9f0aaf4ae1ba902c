// Browser benchmark of the queries beyond one point (issue 12) on the catalog dist/ was
// built with: the time from an input to the changed results list (MutationObserver),
// for a 100-stop journey (the stops field alternating 99 ↔ 100, each change recomputing
// the whole journey) and for a region covering a quarter of the plane (Backspace takes the
// square's fourth corner away, leaving a triangle; the timed click puts it back: the
// region is recomputed, counted and its first page listed). Times include one DevTools round trip.
// Usage: node bench/journeys.mjs [--runs 30] [--dist dist]
import { join } from "node:path";

import { launchBrowser, openPage } from "../tests/e2e/support/browser.mjs";
import { serveStatic } from "../tests/e2e/support/static-server.mjs";

const args = process.argv.slice(2);
const option = (name, fallback) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : fallback;
};
const RUNS = Number(option("runs", 30));
const DIST = option("dist", join(import.meta.dirname, "..", "dist"));
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const p95 = (xs) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(0.95 * xs.length))];

/** Runs `act` in the page and resolves with the ms until #results next changes. */
async function timeToListChange(page, act) {
  const armed = page.evaluate(
    () =>
      new Promise((resolve) => {
        const list = document.querySelector("#results");
        const t0 = performance.now();
        window.__t0 = t0;
        new MutationObserver((_, observer) => {
          observer.disconnect();
          resolve(performance.now() - window.__t0);
        }).observe(list, { childList: true, subtree: true, characterData: true });
      }),
  );
  await page.evaluate(() => (window.__t0 = performance.now()));
  await act();
  return armed;
}

const server = await serveStatic(DIST);
const browser = await launchBrowser();
try {
  const { page, context } = await openPage(browser);
  await page.goto(`${server.url}?path=0.900,0.950;0.200,0.800;0.500,0.500;0.800,0.200;0.100,0.050&n=100`);
  await page.locator("#results li").first().waitFor({ timeout: 120000 });
  const tracks = await page.locator("#catalog-summary").textContent();
  const journey = [];
  const stops = page.locator("#journey-stops");
  for (let i = 0; i < RUNS; i++) {
    const n = i % 2 === 0 ? "99" : "100";
    journey.push(await timeToListChange(page, () => page.evaluate((value) => {
      const input = document.querySelector("#journey-stops");
      input.value = value;
      window.__t0 = performance.now();
      input.dispatchEvent(new Event("input", { bubbles: true }));
    }, n)));
  }
  await stops.count();
  await page.goto(`${server.url}?lasso=0.000,0.000;0.500,0.000;0.500,0.500;0.000,0.500`);
  await page.locator("#results li").first().waitFor({ timeout: 120000 });
  const count = await page.locator("#results-heading").textContent();
  const plane = page.locator("#plane");
  await plane.focus();
  const box = await plane.boundingBox();
  const scale = box.width / 640;
  // The corner (valence 0, energy 0.5): plot area left 64, top 16, 560 square.
  const corner = { x: box.x + 64 * scale, y: box.y + (16 + 0.5 * 560) * scale };
  const lasso = [];
  for (let i = 0; i < RUNS; i++) {
    // Backspace leaves a triangle (half the square); the click restores the square.
    await page.keyboard.press("Backspace");
    await page.waitForFunction((text) => document.querySelector("#results-heading").textContent !== text, count);
    lasso.push(await timeToListChange(page, () => page.mouse.click(corner.x, corner.y)));
    await page.waitForFunction((text) => document.querySelector("#results-heading").textContent === text, count);
  }
  console.log(JSON.stringify({
    catalog: tracks.trim(),
    journey_100_stops_ms: { median: median(journey), p95: p95(journey) },
    lasso_quarter: count.trim(),
    lasso_quarter_ms: { median: median(lasso), p95: p95(lasso) },
  }, null, 1));
  await context.close();
} finally {
  await browser.close();
  await server.close();
}
