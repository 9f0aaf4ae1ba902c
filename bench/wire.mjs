// The network benchmark of issue 14: serves a deployable folder (scripts/deploy.sh) on
// 127.0.0.1 with its precompressed .gz files and byte ranges (as static hosts do),
// throttles headless Chromium through the DevTools protocol to 20 Mbit/s and a 40 ms
// round trip, and reports the bytes on the wire and the time from navigation to the first
// results, and the page's memory (wasm + JS heap) after loading. Median of --runs loads.
// Usage: node bench/wire.mjs --dist DEPLOY_DIR [--base /] [--runs 3]
import { existsSync, readFileSync } from "node:fs";
import { createServer } from "node:http";
import { extname, join } from "node:path";

import { launchBrowser } from "../tests/e2e/support/browser.mjs";
import { sendBytes } from "../tests/e2e/support/static-server.mjs";

const args = process.argv.slice(2);
const option = (name, fallback) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : fallback;
};
const DIST = option("dist", null);
const BASE = option("base", "/");
const RUNS = Number(option("runs", 3));
if (!DIST) {
  console.error("usage: node bench/wire.mjs --dist DEPLOY_DIR [--base /] [--runs 3]");
  process.exit(2);
}
const TYPES = { ".html": "text/html; charset=utf-8", ".js": "text/javascript", ".wasm": "application/wasm", ".css": "text/css", ".svg": "image/svg+xml", ".json": "application/json" };

const server = createServer((req, res) => {
  const path = new URL(req.url, "http://x").pathname;
  const name = path.slice(BASE.length) || "index.html";
  const file = join(DIST, name);
  if (!path.startsWith(BASE) || name.includes("/") || !existsSync(file)) return res.writeHead(404).end();
  const headers = { "content-type": TYPES[extname(name)] ?? "application/octet-stream", "cache-control": "no-store" };
  if (req.headers.range) return sendBytes(req, res, readFileSync(file), headers);
  let body;
  if (/\bgzip\b/.test(req.headers["accept-encoding"] ?? "") && existsSync(`${file}.gz`)) {
    body = readFileSync(`${file}.gz`);
    headers["content-encoding"] = "gzip";
  } else body = readFileSync(file);
  headers["content-length"] = body.length;
  res.writeHead(200, headers).end(body);
});
await new Promise((ok) => server.listen(0, "127.0.0.1", ok));
const url = `http://127.0.0.1:${server.address().port}${BASE}`;
const browser = await launchBrowser();
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
try {
  const times = [];
  const bytes = [];
  let memory = null;
  let tracks = "";
  for (let run = 0; run < RUNS; run++) {
    const context = await browser.newContext();
    const page = await context.newPage();
    const cdp = await context.newCDPSession(page);
    await cdp.send("Network.enable");
    await cdp.send("Network.setCacheDisabled", { cacheDisabled: true });
    await cdp.send("Network.emulateNetworkConditions", {
      offline: false,
      latency: 40,
      downloadThroughput: (20e6 / 8),
      uploadThroughput: (20e6 / 8),
    });
    let onWire = 0;
    cdp.on("Network.loadingFinished", (e) => (onWire += e.encodedDataLength));
    await page.addInitScript(() => addEventListener("TrunkApplicationStarted", (e) => (window.__wasm = e.detail.wasm)));
    const t0 = Date.now();
    await page.goto(url);
    await page.locator("#results li").first().waitFor({ timeout: 600000 });
    times.push(Date.now() - t0);
    bytes.push(onWire);
    if (run === RUNS - 1) {
      tracks = (await page.locator("#catalog-summary").textContent()).trim();
      await cdp.send("HeapProfiler.collectGarbage");
      const heap = await cdp.send("Runtime.getHeapUsage");
      const wasm = await page.evaluate(() => window.__wasm?.memory?.buffer.byteLength ?? 0);
      memory = { js_heap_mb: +(heap.usedSize / 1e6).toFixed(1), wasm_mb: +(wasm / 1e6).toFixed(1) };
    }
    await context.close();
  }
  console.log(JSON.stringify({ catalog: tracks, link: "20 Mbit/s, 40 ms", runs: RUNS, first_results_ms: median(times), on_wire_kb: Math.round(median(bytes) / 1000), memory }, null, 1));
} finally {
  await browser.close();
  server.close();
}
