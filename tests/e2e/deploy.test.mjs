// The deployable folder (scripts/deploy.sh, issue 14) served from a sub-path, the way a
// static host serves it: /moodplane/ on 127.0.0.1, the _headers rules applied, .gz
// siblings sent to a browser that accepts gzip. Built by scripts/test.sh into
// dist-deploy/ with BASE_PATH /moodplane/.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { createServer } from "node:http";
import { extname, join } from "node:path";

import { launchBrowser, openPage } from "./support/browser.mjs";
import { headersFor, readHeaderRules } from "./support/host-headers.mjs";
import { bruteForceNearest, loadTutorialCsv } from "./support/reference-ranking.mjs";
import { ROOT } from "./support/session.mjs";
import { sendBytes } from "./support/static-server.mjs";

const DEPLOY = join(ROOT, "dist-deploy");
const BASE = "/moodplane/";
const tracks = loadTutorialCsv(join(ROOT, "data", "valence_arousal_11k.csv"));
const TYPES = { ".html": "text/html; charset=utf-8", ".js": "text/javascript", ".wasm": "application/wasm", ".css": "text/css", ".svg": "image/svg+xml", ".json": "application/json" };

let server;
let browser;
let url;
const requested = [];
before(async () => {
  assert.ok(existsSync(DEPLOY), "dist-deploy/ is built by scripts/test.sh (scripts/deploy.sh dist-deploy /moodplane/)");
  const rules = readHeaderRules(readFileSync(join(DEPLOY, "_headers"), "utf8"));
  server = createServer((req, res) => {
    const path = new URL(req.url, "http://x").pathname;
    requested.push(path);
    if (!path.startsWith(BASE)) return res.writeHead(404).end("outside the site");
    const name = path.slice(BASE.length) || "index.html";
    const file = join(DEPLOY, name);
    if (name.includes("/") || !existsSync(file)) return res.writeHead(404).end("not found");
    const headers = { "content-type": TYPES[extname(name)] ?? "application/octet-stream" };
    Object.assign(headers, headersFor(rules, path));
    if (req.headers.range) return sendBytes(req, res, readFileSync(file), headers);
    let body = readFileSync(file);
    if (/\bgzip\b/.test(req.headers["accept-encoding"] ?? "") && existsSync(`${file}.gz`)) {
      body = readFileSync(`${file}.gz`);
      headers["content-encoding"] = "gzip";
    }
    res.writeHead(200, headers).end(body);
  });
  await new Promise((ok) => server.listen(0, "127.0.0.1", ok));
  url = `http://127.0.0.1:${server.address().port}${BASE}`;
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
  await new Promise((ok) => server?.close(ok));
});

test("the folder works from a sub-path, with its own headers, and asks for nothing outside it", async () => {
  const { page, context, problems } = await openPage(browser);
  await page.goto(`${url}?v=0.304&e=0.058&n=5`);
  await page.locator("#results li").first().waitFor({ timeout: 20000 });
  const ids = await page.locator("#results li").evaluateAll((items) => items.map((li) => li.dataset.trackId));
  assert.deepEqual(ids, bruteForceNearest(tracks, 0.304, 0.058, 5).map((t) => t.id));
  assert.deepEqual(problems, []);
  assert.ok(requested.every((p) => p.startsWith(BASE)), requested.join("\n"));
  assert.ok(requested.some((p) => /tiles-[0-9a-f]{16}\.json$/.test(p)), `the manifest is fetched under its hashed name: ${requested.join(", ")}`);
  assert.ok(requested.some((p) => /catalog-[0-9a-f]{16}\.tiles$/.test(p)), `the catalog is fetched under its hashed name: ${requested.join(", ")}`);
  // A drag writes the URL under the sub-path, and a reload of it gives the same list.
  const box = await page.locator("#plane").boundingBox();
  await page.mouse.click(box.x + box.width * 0.7, box.y + box.height * 0.3);
  await page.waitForFunction(() => new URLSearchParams(location.search).get("v") !== "0.304");
  assert.ok(new URL(page.url()).pathname === BASE, page.url());
  const shared = page.url();
  const before = await page.locator("#results li").evaluateAll((items) => items.map((li) => li.dataset.trackId));
  await page.goto(shared);
  await page.locator("#results li").first().waitFor();
  assert.deepEqual(await page.locator("#results li").evaluateAll((items) => items.map((li) => li.dataset.trackId)), before);
  await context.close();
});

test("the folder has hashed names, .gz and .br siblings and the host headers", async () => {
  const files = readdirSync(DEPLOY);
  const headers = readFileSync(join(DEPLOY, "_headers"), "utf8");
  const assets = files.filter((f) => !/\.(gz|br)$/.test(f) && f !== "_headers");
  for (const f of assets) {
    // The catalog's archive is read by byte ranges of blobs that are gzip already.
    if (f.endsWith(".tiles")) assert.ok(!files.includes(`${f}.gz`) && !files.includes(`${f}.br`), `${f} is served as it is`);
    else assert.ok(files.includes(`${f}.gz`) && files.includes(`${f}.br`), `${f} has .gz and .br`);
    // Trunk writes its 64-bit hashes without leading zeros: sometimes fewer than 16 digits.
    if (f !== "index.html") assert.match(f, /-[0-9a-f]{8,16}(_bg)?\.\w+$/, `${f} is content-hashed`);
    if (f !== "index.html") assert.match(headers, new RegExp(`/moodplane/${f.replace(".", "\\.")}\\n {2}Cache-Control: public, max-age=31536000, immutable`), `${f} is cached for good`);
  }
  assert.match(headers, /^\/moodplane\/\*\n {2}Content-Security-Policy: default-src 'self'; script-src 'self' 'wasm-unsafe-eval';.*frame-ancestors 'none'\n {2}Referrer-Policy: no-referrer\n {2}X-Content-Type-Options: nosniff/m);
  const wasm = assets.find((f) => f.startsWith("moodplane-") && f.endsWith("_bg.wasm"));
  assert.match(headers, new RegExp(`/moodplane/${wasm}\\n {2}Cache-Control: public, max-age=31536000, immutable`));
  assert.match(headers, /\/moodplane\/index\.html\n {2}Cache-Control: no-cache/);
  const res = await fetch(`${url}index.html`);
  assert.equal(res.headers.get("x-content-type-options"), "nosniff");
  assert.match(res.headers.get("content-security-policy"), /frame-ancestors 'none'/);
});

test("a library opens from the sub-path, through the content-hashed import worker", async () => {
  const { page, context, problems } = await openPage(browser);
  await page.goto(url);
  await page.locator("#results li").first().waitFor({ timeout: 20000 });
  await page.locator("#library-file").setInputFiles(join(ROOT, "tests", "fixtures", "library", "exportify_without_features.csv"));
  await page.locator("#library-list > li").waitFor({ timeout: 20000 });
  assert.match(await page.locator("#library-list > li .library-summary").textContent(), /^placed 30 of 38/);
  for (const pattern of [/^\/moodplane\/import-worker-[0-9a-f]{16}\.js$/, /^\/moodplane\/import_worker-[0-9a-f]{16}\.js$/, /^\/moodplane\/import_worker-[0-9a-f]{16}_bg\.wasm$/]) {
    assert.ok(requested.some((p) => pattern.test(p)), `${pattern} among ${requested.join(", ")}`);
  }
  assert.deepEqual(problems, []);
  await context.close();
});

