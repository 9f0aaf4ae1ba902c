// Browser benchmark: serves dist/ on 127.0.0.1, opens it in headless Chromium and reports
// bundle sizes (raw and gzip), navigation → first results, and the latency of one drag
// update (pointer event dispatched → results list changed in the DOM) over many drags.
// Usage: node bench/browser.mjs [--drags 300] [--dist dist]
import { gzipSync } from "node:zlib";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";

import { listChangeScript } from "./list-change.mjs";
import { launchBrowser, openPage } from "../tests/e2e/support/browser.mjs";
import { serveStatic } from "../tests/e2e/support/static-server.mjs";

const args = process.argv.slice(2);
const option = (name, fallback) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : fallback;
};
const DRAGS = Number(option("drags", 300));
const DIST = option("dist", join(import.meta.dirname, "..", "dist"));

function bundleSizes() {
  const sizes = {};
  for (const file of readdirSync(DIST)) {
    const kind = file.endsWith(".wasm") ? "wasm" : file.endsWith(".js") ? "js" : null;
    if (!kind) continue;
    const bytes = readFileSync(join(DIST, file));
    sizes[kind] ??= { raw: 0, gzip: 0 };
    sizes[kind].raw += bytes.length;
    sizes[kind].gzip += gzipSync(bytes, { level: 9 }).length;
  }
  return sizes;
}

const percentile = (sorted, p) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];

const server = await serveStatic(DIST);
const browser = await launchBrowser();
try {
  const loads = [];
  for (let i = 0; i < 5; i++) {
    const { page, context } = await openPage(browser);
    const t0 = Date.now();
    await page.goto(server.url);
    await page.locator("#results li").first().waitFor({ timeout: 60000 });
    loads.push(Date.now() - t0);
    await context.close();
  }
  const { page, context, problems } = await openPage(browser);
  // Trunk's loader announces the wasm instance; keep it to read its memory size.
  await page.addInitScript(listChangeScript);
  await page.addInitScript(() =>
    addEventListener("TrunkApplicationStarted", (e) => (window.__moodplaneWasm = e.detail.wasm)),
  );
  await page.goto(server.url);
  await page.locator("#results li").first().waitFor({ timeout: 60000 });
  const tracks = await page.locator("#catalog-summary").textContent();
  const timings = await page.evaluate(async (drags) => {
    const plane = document.querySelector("#plane");
    const box = plane.getBoundingClientRect();
    const scale = box.width / plane.width;
    const at = (v, e) => ({
      clientX: box.left + (64 + v * 560) * scale,
      clientY: box.top + (16 + (1 - e) * 560) * scale,
    });
    const fire = (type, p) =>
      plane.dispatchEvent(new PointerEvent(type, { ...p, pointerId: 1, button: 0, buttons: 1, bubbles: true, isPrimary: true }));
    fire("pointerdown", at(0.5, 0.5));
    await new Promise((r) => setTimeout(r, 50));
    // A seeded walk of jumps large enough that every step changes the top matches.
    let seed = 12345;
    const rand = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    const samples = [];
    for (let i = 0; i < drags; i++) {
      const p = at(0.05 + 0.9 * rand(), 0.05 + 0.9 * rand());
      const changed = window.__listChange();
      const t0 = performance.now();
      fire("pointermove", p);
      const t1 = await changed;
      if (t1 !== null) samples.push(t1 - t0);
      await new Promise((r) => requestAnimationFrame(() => r()));
    }
    fire("pointerup", at(0.5, 0.5));
    return samples;
  }, DRAGS);
  // JS heap plus ArrayBuffer backing stores (the wasm memory lives there), via CDP.
  const cdp = await context.newCDPSession(page);
  await cdp.send("HeapProfiler.collectGarbage").catch(() => {});
  const usage = await cdp.send("Runtime.getHeapUsage");
  const heap = {
    js_heap_used_bytes: usage.usedSize,
    array_buffers_bytes: usage.backingStorageSize ?? null,
    wasm_memory_bytes: await page.evaluate(() => window.__moodplaneWasm?.memory?.buffer?.byteLength ?? null),
  };
  await context.close();
  timings.sort((a, b) => a - b);
  loads.sort((a, b) => a - b);
  const result = {
    catalog: tracks.trim(),
    bundle: bundleSizes(),
    load_to_first_results_ms: { median: percentile(loads, 50), runs: loads },
    drag_update_ms: {
      samples: timings.length,
      median: Number(percentile(timings, 50).toFixed(3)),
      p95: Number(percentile(timings, 95).toFixed(3)),
      max: Number(timings[timings.length - 1].toFixed(3)),
    },
    memory: heap,
    console_problems: problems,
  };
  console.log(JSON.stringify(result, null, 2));
} finally {
  await browser.close();
  await server.close();
}
