// A tiled deployable folder (MOODPLANE_TILES=64 scripts/deploy.sh, issue 14) served from
// a sub-path the way a static host serves it: /moodplane/ on 127.0.0.1, the _headers
// rules applied, .gz siblings to a browser that accepts gzip, and byte ranges of the
// archive. Built by scripts/test.sh into dist-deploy-tiled/.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { createServer } from "node:http";
import { extname, join } from "node:path";

import { launchBrowser, openPage } from "./support/browser.mjs";
import { headersFor, readHeaderRules } from "./support/host-headers.mjs";
import { assertSameRanking, expectedWithTies, loadTutorialCsv } from "./support/reference-ranking.mjs";
import { ROOT } from "./support/session.mjs";
import { sendBytes } from "./support/static-server.mjs";

const DEPLOY = join(ROOT, "dist-deploy-tiled");
const BASE = "/moodplane/";
const seen = new Set();
const tracks = loadTutorialCsv(join(ROOT, "data", "valence_arousal_11k.csv")).filter((t) => !seen.has(t.id) && seen.add(t.id));
const TYPES = { ".html": "text/html; charset=utf-8", ".js": "text/javascript", ".wasm": "application/wasm", ".css": "text/css", ".svg": "image/svg+xml", ".json": "application/json" };

let server;
let browser;
let url;
const requested = [];
before(async () => {
  assert.ok(existsSync(DEPLOY), "dist-deploy-tiled/ is built by scripts/test.sh (MOODPLANE_TILES=64 scripts/deploy.sh dist-deploy-tiled /moodplane/)");
  const rules = readHeaderRules(readFileSync(join(DEPLOY, "_headers"), "utf8"));
  server = createServer((req, res) => {
    const path = new URL(req.url, "http://x").pathname;
    requested.push({ path, range: req.headers.range });
    if (!path.startsWith(BASE)) return res.writeHead(404).end("outside the site");
    const name = path.slice(BASE.length) || "index.html";
    const file = join(DEPLOY, name);
    if (name.includes("/") || !existsSync(file)) return res.writeHead(404).end("not found");
    const headers = { "content-type": TYPES[extname(name)] ?? "application/octet-stream" };
    Object.assign(headers, headersFor(rules, path));
    if (!req.headers.range && /\bgzip\b/.test(req.headers["accept-encoding"] ?? "") && existsSync(`${file}.gz`)) {
      return res.writeHead(200, { ...headers, "content-encoding": "gzip" }).end(readFileSync(`${file}.gz`));
    }
    sendBytes(req, res, readFileSync(file), headers);
  });
  await new Promise((ok) => server.listen(0, "127.0.0.1", ok));
  url = `http://127.0.0.1:${server.address().port}${BASE}`;
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
  await new Promise((ok) => server?.close(ok));
});

test("the tiled folder: a hashed manifest named in the page, the archive without compressed siblings, immutable caching", () => {
  const files = readdirSync(DEPLOY);
  const html = readFileSync(join(DEPLOY, "index.html"), "utf8");
  const manifestName = /<meta name="moodplane-tiles" content="(tiles-[0-9a-f]{16}\.json)"/.exec(html)?.[1];
  assert.ok(manifestName, "the page names its manifest");
  assert.ok(files.includes(`${manifestName}.gz`) && files.includes(`${manifestName}.br`));
  const manifest = JSON.parse(readFileSync(join(DEPLOY, manifestName), "utf8"));
  assert.match(manifest.archive, /^catalog-[0-9a-f]{16}\.tiles$/);
  assert.ok(files.includes(manifest.archive));
  assert.ok(!files.some((f) => f.startsWith(`${manifest.archive}.`)), "a ranged archive is never precompressed");
  assert.ok(manifest.tiles.count.length > 100, "cut into 64-track tiles");
  const headers = readFileSync(join(DEPLOY, "_headers"), "utf8");
  for (const name of [manifestName, manifest.archive]) {
    assert.match(headers, new RegExp(`${BASE}${name.replace(".", "\\.")}\\n  Cache-Control: public, max-age=31536000, immutable`));
  }
});

test("from the sub-path the page ranks over tiles exactly, in byte ranges, asking for nothing outside it", async () => {
  const { page, context, problems } = await openPage(browser);
  requested.length = 0;
  // The app's wasm is held until the first list is read (on loopback the app can come
  // first, and then no first list is shown).
  let release;
  const held = new Promise((ok) => (release = ok));
  await page.route(/\/moodplane-[0-9a-f]+_bg\.wasm$/, async (route) => {
    await held;
    await route.continue();
  });
  await page.goto(`${url}?v=0.304&e=0.058&n=5`);
  const { top, atLast } = expectedWithTies(tracks, 0.304, 0.058, 5);
  // The first list (its script, glue and wasm under hashed names in the sub-path) first.
  const firstRows = page.locator("#first-list li");
  await firstRows.nth(4).waitFor({ timeout: 20000 });
  assertSameRanking(await firstRows.evaluateAll((rows) => rows.map((li) => ({ id: li.dataset.trackId, distance: Number(li.dataset.distance) }))), top, atLast);
  release();
  await page.locator("#results li").first().waitFor({ timeout: 20000 });
  // Its wasm and glue preloaded with the page (its catalog is read tile by tile), each
  // asked for once: the preload is the download the first list takes.
  const html = await (await fetch(url)).text();
  const wasmPath = /<link rel="preload" href="\.\/(first_list-[0-9a-f]{16}_bg\.wasm)" as="fetch" crossorigin="anonymous" \/>/.exec(html)?.[1];
  assert.ok(wasmPath, "the first list's wasm is preloaded");
  assert.match(html, /<link rel="preload" href="\.\/first_list-[0-9a-f]{16}\.js" as="script" \/>/);
  assert.equal(requested.filter((r) => r.path === `${BASE}${wasmPath}`).length, 1, JSON.stringify(requested.map((r) => r.path)));
  const deadline = Date.now() + 10000;
  for (;;) {
    const ids = await page.locator("#results li").evaluateAll((items) => items.map((li) => ({ id: li.dataset.trackId, distance: Number(li.dataset.distance) })));
    try {
      assertSameRanking(ids, top, atLast);
      break;
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await page.waitForTimeout(100);
    }
  }
  assert.match(await page.locator("#catalog-summary").textContent(), /tiled/);
  assert.ok(requested.every((r) => r.path.startsWith(BASE)), JSON.stringify(requested));
  assert.ok(!requested.some((r) => /catalog.*\.bin$/.test(r.path)), "the packed catalog is not fetched");
  const ranged = requested.filter((r) => r.path.endsWith(".tiles"));
  assert.ok(ranged.length > 0 && ranged.every((r) => /^bytes=\d+-\d+$/.test(r.range ?? "")));
  assert.deepEqual(problems, []);
  await context.close();
});
