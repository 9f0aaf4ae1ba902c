// The main thread's time per drag move, from the DevTools protocol's Performance metrics
// (ScriptDuration, RecalcStyleDuration, LayoutDuration) over 200 moves round a small
// circle, each followed by a frame: what a move costs the page in all, whichever DOM
// change comes first (bench/browser.mjs and bench/tiles.mjs time the first change).
// Serve a page first (bench/tiles.mjs --serve, or any static server of dist/).
// Usage: node bench/drag-cost.mjs URL [RADIUS]   (RADIUS of the circle, default 0.02)
import { launchBrowser } from "../tests/e2e/support/browser.mjs";

const url = process.argv[2];
const radius = Number(process.argv[3] ?? 0.02);
if (!url) {
  console.error("usage: node bench/drag-cost.mjs URL [RADIUS]");
  process.exit(2);
}
const browser = await launchBrowser();
const page = await browser.newPage();
await page.goto(url + "?v=0.5&e=0.5&n=10");
await page.locator("#results li").first().waitFor({ timeout: 60000 });
const box = await page.locator("#plane").boundingBox();
const at = (v, e) => [box.x + 64 + 560 * v * box.width / 640, box.y + (16 + 560 * (1 - e)) * box.height / 640];
await page.mouse.move(...at(0.5, 0.5));
await page.mouse.down();
for (let i = 0; i < 60; i++) await page.mouse.move(...at(0.5 + radius * Math.sin(i / 5), 0.5 + radius * Math.cos(i / 5)));
await page.waitForTimeout(2000);
const cdp = await page.context().newCDPSession(page);
await cdp.send("Performance.enable");
const metrics = async () => Object.fromEntries((await cdp.send("Performance.getMetrics")).metrics.map((m) => [m.name, m.value]));
const before = await metrics();
const N = 200;
for (let i = 0; i < N; i++) { await page.mouse.move(...at(0.5 + radius * Math.sin(i / 5), 0.5 + radius * Math.cos(i / 5))); await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => r()))); }
const after = await metrics();
const per = (k) => (((after[k] - before[k]) * 1000) / N).toFixed(2);
console.log(JSON.stringify({ url, radius, moves: N, script_ms: per("ScriptDuration"), style_ms: per("RecalcStyleDuration"), layout_ms: per("LayoutDuration"), task_ms: per("TaskDuration") }));
await page.mouse.up();
await browser.close();
