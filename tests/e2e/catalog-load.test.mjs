// End to end: a catalog that fails to load gets a clear message and a working retry.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { gzipSync } from "node:zlib";

import { launchBrowser, openPage } from "./support/browser.mjs";
import { DIST } from "./support/session.mjs";
import { byteRange, sendBytes, serveStatic } from "./support/static-server.mjs";
import { declaredManifest, leadingBytes, pageCatalog } from "./support/tiled-build.mjs";
let browser;
before(async () => {
  browser = await launchBrowser();
});
after(async () => browser?.close());

test("a server error on the catalog shows a message, and Try again recovers", async () => {
  let failing = true;
  const { manifest, archive } = pageCatalog();
  const server = await serveStatic(DIST, {
    [`/${manifest.archive}`]: (req, res) => {
      if (failing) return res.writeHead(500).end("boom");
      sendBytes(req, res, archive, { "content-type": "application/octet-stream" });
    },
  });
  const { page, context } = await openPage(browser);
  await page.goto(server.url);
  const error = page.locator("#load-error");
  await error.waitFor();
  assert.match(await error.textContent(), new RegExp(`answered 500 when asked for the track catalog \\(${manifest.archive}\\)`));
  failing = false;
  await page.getByRole("button", { name: "Try again" }).click();
  await page.locator("#results li").first().waitFor();
  assert.equal(await page.locator("#results li").count(), 10);
  await context.close();
  await server.close();
});

test("a corrupt or truncated catalog is reported in words, not a blank page", async () => {
  const { manifest, manifestText, archive } = pageCatalog();
  const manifestPath = `/${declaredManifest()}`;
  const archivePath = `/${manifest.archive}`;
  const leading = leadingBytes(manifest);
  const serve = (body) => (req, res) => sendBytes(req, res, body, { "content-type": "application/octet-stream" });
  // An order that gives catalog position 0 to every track, appended to the archive.
  const badOrder = gzipSync(Buffer.alloc(manifest.tracks * 4));
  const withBadOrder = Buffer.concat([archive, badOrder]);
  const badManifest = { ...JSON.parse(manifestText), order: [archive.length, badOrder.length], archive_bytes: withBadOrder.length };
  const cases = [
    [{ [manifestPath]: serve(Buffer.from("<html>not a catalog</html>")) }, /manifest arrived but cannot be used: the tiled catalog's manifest is not valid JSON/],
    [{ [archivePath]: serve(archive.subarray(0, Math.floor(leading / 2))) }, /arrived cut short \(\d+ of \d+ bytes\)/],
    [{ [archivePath]: serve(Buffer.alloc(archive.length, 7)) }, /track catalog arrived but could not be unpacked/],
    [
      { [manifestPath]: serve(Buffer.from(JSON.stringify(badManifest))), [archivePath]: serve(withBadOrder) },
      /track catalog arrived but cannot be used: the tiled catalog's track order is damaged \(position 0 is given twice\)/,
    ],
  ];
  for (const [routes, message] of cases) {
    const server = await serveStatic(DIST, routes);
    const { page, context } = await openPage(browser);
    await page.goto(server.url);
    const error = page.locator("#load-error");
    await error.waitFor();
    assert.match(await error.textContent(), message);
    await context.close();
    await server.close();
  }
});

test("a slow download shows a progress bar that fills, then the page, having read only what it needs", async () => {
  const { manifest, archive } = pageCatalog();
  const ranges = [];
  const server = await serveStatic(DIST, {
    [`/${manifest.archive}`]: async (req, res) => {
      ranges.push(req.headers.range);
      const [start, end] = byteRange(req.headers.range, archive.length);
      const body = archive.subarray(start, end + 1);
      res.writeHead(206, {
        "content-type": "application/octet-stream",
        "content-length": body.length,
        "content-range": `bytes ${start}-${end}/${archive.length}`,
      });
      const step = Math.ceil(body.length / 8);
      for (let at = 0; at < body.length; at += step) {
        res.write(body.subarray(at, at + step));
        await new Promise((r) => setTimeout(r, 150));
      }
      res.end();
    },
  });
  const { page, context, problems } = await openPage(browser);
  await page.goto(server.url);
  const status = page.locator("#catalog-status", { hasText: "Downloading the catalog" });
  await status.waitFor();
  const fraction = await page.locator("#catalog-progress").evaluate((p) => p.value);
  assert.ok(fraction > 0 && fraction < 1, `partly filled: ${fraction}`);
  assert.match(await status.textContent(), /of 0\.\d MB/);
  await page.locator("#results li").first().waitFor();
  // One download of the tiles, details and order; the id shards after them are not read.
  assert.deepEqual(ranges, [`bytes=0-${leadingBytes(manifest) - 1}`]);
  assert.ok(leadingBytes(manifest) < archive.length);
  assert.deepEqual(problems, []);
  await context.close();
  await server.close();
});

test("the manifest downloads once, beside the wasm, not after it (preloaded)", async () => {
  const { manifestText } = pageCatalog();
  const wasmName = readdirSync(DIST).find((n) => n.startsWith("moodplane-") && n.endsWith("_bg.wasm"));
  const events = [];
  const server = await serveStatic(DIST, {
    [`/${declaredManifest()}`]: (req, res) => {
      events.push("manifest asked");
      sendBytes(req, res, Buffer.from(manifestText), { "content-type": "application/json" });
    },
    // The wasm is held back a while: the page's code cannot ask for anything meanwhile.
    [`/${wasmName}`]: async (req, res) => {
      await new Promise((r) => setTimeout(r, 600));
      events.push("wasm sent");
      sendBytes(req, res, readFileSync(join(DIST, wasmName)), { "content-type": "application/wasm" });
    },
  });
  const { page, context, problems } = await openPage(browser);
  await page.goto(server.url);
  await page.locator("#results li").first().waitFor();
  assert.deepEqual(events, ["manifest asked", "wasm sent"]);
  assert.deepEqual(problems, []);
  await context.close();
  await server.close();
});

test("a host that ignores Range and sends the whole archive still gives the page", async () => {
  const { manifest, archive } = pageCatalog();
  const server = await serveStatic(DIST, {
    [`/${manifest.archive}`]: (req, res) => res.writeHead(200, { "content-type": "application/octet-stream" }).end(archive),
  });
  const { page, context, problems } = await openPage(browser);
  await page.goto(`${server.url}?v=0.3&e=0.7&n=5`);
  await page.locator("#results li").first().waitFor();
  assert.equal(await page.locator("#results li").count(), 5);
  assert.deepEqual(problems, []);
  await context.close();
  await server.close();
});

test("a browser that cannot start the wasm sees which browsers can, not a blank page", async () => {
  const server = await serveStatic(DIST);
  const wasm = readdirSync(DIST).find((f) => f.startsWith("moodplane-") && f.endsWith("_bg.wasm"));
  const blocked = await serveStatic(DIST, { [`/${wasm}`]: (req, res) => res.writeHead(404).end() });
  const { page, context } = await openPage(browser);
  await page.goto(blocked.url);
  const message = page.locator("#boot-message");
  await message.waitFor();
  await page.waitForTimeout(500);
  assert.match(await message.textContent(), /needs Chrome or Edge 97, Firefox 102 or Safari 16/);
  assert.ok(await message.isVisible());
  // Where the wasm starts, the line is gone.
  await page.goto(server.url);
  await page.locator("#results li").first().waitFor();
  assert.equal(await page.locator("#boot-message").count(), 0);
  await context.close();
  await blocked.close();
  await server.close();
});
