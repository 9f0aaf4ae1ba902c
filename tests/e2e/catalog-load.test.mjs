// End to end: a catalog that fails to load gets a clear message and a working retry.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";

import { launchBrowser, openPage } from "./support/browser.mjs";
import { DIST } from "./support/session.mjs";
import { serveStatic } from "./support/static-server.mjs";
let browser;
before(async () => {
  browser = await launchBrowser();
});
after(async () => browser?.close());

test("a server error on the catalog shows a message, and Try again recovers", async () => {
  let failing = true;
  const server = await serveStatic(DIST, {
    "/catalog.bin": (req, res) => {
      if (failing) return res.writeHead(500).end("boom");
      res.writeHead(200, { "content-type": "application/octet-stream" }).end(readFileSync(join(DIST, "catalog.bin")));
    },
  });
  const { page, context } = await openPage(browser);
  await page.goto(server.url);
  const error = page.locator("#load-error");
  await error.waitFor();
  assert.match(await error.textContent(), /answered 500/);
  failing = false;
  await page.getByRole("button", { name: "Try again" }).click();
  await page.locator("#results li").first().waitFor();
  assert.equal(await page.locator("#results li").count(), 10);
  await context.close();
  await server.close();
});

test("a corrupt or truncated catalog is reported in words, not a blank page", async () => {
  const whole = readFileSync(join(DIST, "catalog.bin"));
  const cases = [
    [Buffer.from("<html>not a catalog</html>"), /cannot be used: the file is not a Moodplane catalog/],
    [whole.subarray(0, Math.floor(whole.length / 2)), /cannot be used: the packed catalog is damaged \(it ends inside the/],
  ];
  for (const [body, message] of cases) {
    const server = await serveStatic(DIST, {
      "/catalog.bin": (req, res) => res.writeHead(200, { "content-type": "application/octet-stream" }).end(body),
    });
    const { page, context } = await openPage(browser);
    await page.goto(server.url);
    const error = page.locator("#load-error");
    await error.waitFor();
    assert.match(await error.textContent(), message);
    await context.close();
    await server.close();
  }
});

test("a slow download shows a progress bar that fills, then the page", async () => {
  const whole = readFileSync(join(DIST, "catalog.bin"));
  const server = await serveStatic(DIST, {
    "/catalog.bin": async (req, res) => {
      res.writeHead(200, { "content-type": "application/octet-stream", "content-length": whole.length });
      const step = Math.ceil(whole.length / 8);
      for (let at = 0; at < whole.length; at += step) {
        res.write(whole.subarray(at, at + step));
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
