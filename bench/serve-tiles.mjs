// Serves a release page with a tiled catalog as bench/tiles.mjs --serve does, in a child
// process, for the scripts that drive the page themselves; and throttles their pages.
import { spawn } from "node:child_process";

/** Starts `bench/tiles.mjs ARGS --serve`; resolves to its URL and the process (to kill). */
export async function serveTiles(args) {
  const server = spawn(process.execPath, ["bench/tiles.mjs", ...args, "--serve"], { stdio: ["ignore", "pipe", "inherit"] });
  const url = await new Promise((ok) =>
    server.stdout.on("data", (d) => {
      const m = /at (http:\S+)/.exec(String(d));
      if (m) ok(m[1]);
    }),
  );
  return { url, server };
}

/**
 * Throttles a page through its DevTools session to the benchmarks' link (20 Mbit/s, a
 * 40 ms round trip), with the browser's cache off unless `cache` (a person's is on).
 */
export async function throttle(cdp, { cache = false } = {}) {
  await cdp.send("Network.enable");
  await cdp.send("Network.setCacheDisabled", { cacheDisabled: !cache });
  await cdp.send("Network.emulateNetworkConditions", { offline: false, latency: 40, downloadThroughput: 20e6 / 8, uploadThroughput: 20e6 / 8 });
}

/**
 * A fresh context (made with `contextOptions`, such as `acceptDownloads`) and page on the
 * benchmarks' link (`throttle`, the cache on when `cache`), with its DevTools session.
 */
export async function throttledPage(browser, { cache = false, ...contextOptions } = {}) {
  const context = await browser.newContext(contextOptions);
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  await throttle(cdp, { cache });
  return { context, page, cdp };
}
