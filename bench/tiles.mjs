// The browser benchmark of a tiled catalog (issue 14). Serves the release page with a
// tiled catalog in place of its own (at the manifest name the page declares in
// <meta name="moodplane-tiles">, precompressed; the archive read by byte ranges) on
// 127.0.0.1, throttles headless Chromium through the DevTools protocol to 20 Mbit/s and a
// 40 ms round trip, and measures, each a median over --runs fresh pages:
//   first results: bytes on the wire (wasm and manifest included) and time from navigation
//   start to the first result row (the page's clock);
//   a paste of a catalog id drawn at random from the CSV: time from submit to its list;
//   a jump to the far corner: time from the click to the new list;
//   drag updates within fetched tiles (pointer event → list changed), p50 and p95, by the
//   clock and by the main thread's CPU time (a trace);
// then, unthrottled, page memory (wasm + JS heap) after --wander seconds of jumping about.
// Usage: node bench/tiles.mjs --dist dist --tiles TILES_DIR --csv CATALOG_CSV [--runs 3]
//        [--load-only | --drag-only | --net-only] [--track-link] [--h2] [--cache]
//        [--pastes 5] [--wander 120]
// --h2 serves over HTTP/2 with a throwaway self-signed certificate (as real hosts serve:
// side-by-side requests share one connection instead of opening more HTTP/1.1 ones).
//        node bench/tiles.mjs --dist dist --tiles TILES_DIR --serve   (serve only, to look)
import { existsSync, fstatSync, mkdtempSync, openSync, readFileSync, readSync, writeFileSync } from "node:fs";
import { execFileSync } from "node:child_process";
import { createServer } from "node:http";
import { createSecureServer } from "node:http2";
import { tmpdir } from "node:os";
import { extname, join } from "node:path";
import { gzipSync } from "node:zlib";

import { randomIds } from "./csv-ids.mjs";
import { listChangeScript } from "./list-change.mjs";
import { launchBrowser } from "../tests/e2e/support/browser.mjs";
import { byteRange } from "../tests/e2e/support/static-server.mjs";

const args = process.argv.slice(2);
const option = (name, fallback) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : fallback;
};
const DIST = option("dist", "dist");
const TILES = option("tiles", null);
const CSV = option("csv", null);
const RUNS = Number(option("runs", 3));
const PASTES = Number(option("pastes", 5));
const WANDER_S = Number(option("wander", 120));
const SERVE_ONLY = args.includes("--serve");
// --load-only: first results alone (no pastes, jumps, drags or wandering), to compare builds.
const LOAD_ONLY = args.includes("--load-only");
// --drag-only: drag updates alone (no pastes, jumps or wandering), to compare builds.
const DRAG_ONLY = args.includes("--drag-only");
// --net-only: pastes and far-corner jumps alone (no drags or wandering), with what each
// fetched and when.
const NET_ONLY = args.includes("--net-only");
// --track-link: each page opens a shared link to a catalog track (drawn at random) rather
// than the bare page, for its first results.
const TRACK_LINK = args.includes("--track-link");
const CACHE = args.includes("--cache");
if (!TILES || (!CSV && !SERVE_ONLY)) {
  console.error("usage: node bench/tiles.mjs --dist dist --tiles TILES_DIR --csv CATALOG_CSV [--runs 3] [--pastes 5] [--wander 120]");
  process.exit(2);
}
const RTT = 40;
const manifestText = readFileSync(join(TILES, "tiles.json"));
const manifest = JSON.parse(manifestText);
const manifestGz = gzipSync(manifestText, { level: 9 });
const archive = openSync(join(TILES, manifest.archive), "r");
const archiveSize = fstatSync(archive).size;
const html = readFileSync(join(DIST, "index.html"), "utf8");
// The catalog is served at the manifest name the built page declares.
const declared = /<meta name="moodplane-tiles" content="([^"]+)"/.exec(html)?.[1];
if (!declared) throw new Error(`${DIST}/index.html names no tiled catalog`);
const TYPES = { ".html": "text/html; charset=utf-8", ".js": "text/javascript", ".wasm": "application/wasm", ".css": "text/css", ".svg": "image/svg+xml", ".json": "application/json" };

const H2 = args.includes("--h2");
/** A self-signed certificate for 127.0.0.1, made for this run. */
function throwawayCertificate() {
  const dir = mkdtempSync(join(tmpdir(), "moodplane-bench-tls-"));
  execFileSync("openssl", ["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", join(dir, "key.pem"), "-out", join(dir, "cert.pem"), "-days", "1", "-subj", "/CN=127.0.0.1"], { stdio: "ignore" });
  return { key: readFileSync(join(dir, "key.pem")), cert: readFileSync(join(dir, "cert.pem")) };
}
const serve = (req, res) => {
  const path = new URL(req.url, "http://x").pathname;
  const gzip = /\bgzip\b/.test(req.headers["accept-encoding"] ?? "");
  if (path === "/" || path === "/index.html") return res.writeHead(200, { "content-type": TYPES[".html"], "cache-control": "no-store" }).end(html);
  if (path === `/${declared}`) {
    const body = gzip ? manifestGz : manifestText;
    return res.writeHead(200, { "content-type": TYPES[".json"], ...(gzip ? { "content-encoding": "gzip" } : {}), "content-length": body.length }).end(body);
  }
  if (path === `/${manifest.archive}`) {
    const range = byteRange(req.headers.range, archiveSize);
    if (!Array.isArray(range)) return res.writeHead(416).end();
    const body = Buffer.alloc(range[1] - range[0] + 1);
    readSync(archive, body, 0, body.length, range[0]);
    // Hashed and immutable, as a deploy's _headers serves it (the benchmarks turn the
    // browser's cache off; bench/library-tiles.mjs --reload keeps it on).
    return res
      .writeHead(206, { "content-type": "application/octet-stream", "content-range": `bytes ${range[0]}-${range[1]}/${archiveSize}`, "content-length": body.length, "cache-control": "public, max-age=31536000, immutable" })
      .end(body);
  }
  const file = join(DIST, path.slice(1));
  if (path.slice(1).includes("/") || !existsSync(file)) return res.writeHead(404).end();
  const headers = { "content-type": TYPES[extname(file)] ?? "application/octet-stream", "cache-control": "no-store" };
  let body;
  if (gzip && existsSync(`${file}.gz`)) {
    body = readFileSync(`${file}.gz`);
    headers["content-encoding"] = "gzip";
  } else body = readFileSync(file);
  headers["content-length"] = body.length;
  res.writeHead(200, headers).end(body);
};
const server = H2 ? createSecureServer({ ...throwawayCertificate(), allowHTTP1: true }, serve) : createServer(serve);
await new Promise((ok) => server.listen(0, "127.0.0.1", ok));
const url = `${H2 ? "https" : "http"}://127.0.0.1:${server.address().port}/`;
if (SERVE_ONLY) {
  console.log(`serving ${TILES} at ${url} (Ctrl-C to stop)`);
  await new Promise(() => {});
}
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const percentile = (xs, p) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((xs.length * p) / 100))];

/** In the page: waits until `done()` holds, polling each frame; the time since `t0`. */
const settleScript = `
  window.__settled = (done, t0, limit = 60000) => new Promise((resolve) => {
    const check = () => {
      if (done()) return resolve(performance.now() - t0);
      if (performance.now() - t0 > limit) return resolve(null);
      requestAnimationFrame(check);
    };
    check();
  });
  window.__at = (v, e) => {
    const plane = document.querySelector("#plane");
    const box = plane.getBoundingClientRect();
    const scale = box.width / plane.width;
    return { clientX: box.left + (64 + v * 560) * scale, clientY: box.top + (16 + (1 - e) * 560) * scale };
  };
  window.__fire = (type, p) => document.querySelector("#plane").dispatchEvent(
    new PointerEvent(type, { ...p, pointerId: 1, button: 0, buttons: type === "pointerup" ? 0 : 1, bubbles: true, isPrimary: true }));
`;

async function throttledPage(browser) {
  const context = await browser.newContext({ ignoreHTTPSErrors: H2 });
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  await cdp.send("Network.enable");
  // --cache: the browser's cache on, as a person's is (each page is a fresh context, so
  // it starts empty); off by default, as in every earlier run of this script.
  await cdp.send("Network.setCacheDisabled", { cacheDisabled: !CACHE });
  await cdp.send("Network.emulateNetworkConditions", { offline: false, latency: RTT, downloadThroughput: 20e6 / 8, uploadThroughput: 20e6 / 8 });
  const t0 = Date.now();
  const wire = { bytes: 0, requests: 0, files: [], t0 };
  const urls = new Map();
  cdp.on("Network.requestWillBeSent", (e) => urls.set(e.requestId, [new URL(e.request.url).pathname, Date.now() - t0]));
  cdp.on("Network.loadingFinished", (e) => {
    wire.bytes += e.encodedDataLength;
    wire.requests += 1;
    const [path, asked] = urls.get(e.requestId) ?? ["?", 0];
    wire.files.push([path, Math.round(e.encodedDataLength / 100) / 10, asked, Date.now() - t0]);
  });
  await page.addInitScript(settleScript);
  await page.addInitScript(listChangeScript);
  await page.addInitScript(() => addEventListener("TrunkApplicationStarted", (e) => (window.__wasm = e.detail.wasm)));
  // The first result row's moment on the page's own clock (from navigation start): the
  // page's first list's (static/first-list.js) or the app's, whichever comes first; and
  // the app's own first row.
  await page.addInitScript(() => {
    const seen = new MutationObserver(() => {
      if (window.__firstRow === undefined && document.querySelector("#first-list li, #results li")) {
        window.__firstRow = performance.now();
      }
      if (document.querySelector("#results li")) {
        window.__appRow = performance.now();
        seen.disconnect();
      }
    });
    seen.observe(document, { childList: true, subtree: true });
  });
  return { context, page, cdp, wire };
}

/** Each traced move's CPU time: the thread time of the animation-frame task it ran in. */
function moveCpuTimes(events) {
  const begun = new Map();
  const moves = [];
  for (const e of events) {
    if (e.name !== "moodplane-move") continue;
    const key = e.id ?? e.id2?.local;
    if (e.ph === "b") begun.set(key, e);
    else if (e.ph === "e" && begun.has(key)) moves.push({ tid: e.tid, from: begun.get(key).ts, to: e.ts });
  }
  const frames = events.filter((e) => e.name === "FireAnimationFrame" && e.ph === "X" && e.tdur !== undefined);
  return moves.flatMap(({ tid, from, to }) => {
    const frame = frames.find((f) => f.tid === tid && f.ts <= from && f.ts + f.dur >= to);
    return frame ? [frame.tdur / 1000] : [];
  });
}

const browser = await launchBrowser();
const result = { catalog: null, tracks: manifest.tracks, tiles: manifest.tiles.count.length, link: "20 Mbit/s, 40 ms", protocol: H2 ? "HTTP/2 (TLS)" : "HTTP/1.1", runs: RUNS };
try {
  const loads = [];
  const pastes = [];
  const jumps = [];
  const jumpFetches = [];
  // What was fetched since the `from`-th file: [file, KB, asked, done] in ms since `at`
  // (the outside clock, a few ms before the page's).
  const fetchedSince = (wire, from, at) =>
    wire.files.slice(from).map(([path, kb, asked, done]) => [path.split("/").pop().slice(0, 40), kb, asked - (at - wire.t0), done - (at - wire.t0)]);
  let drags = [];
  let dragCpu = [];
  const dragSkips = { unchanged: 0, fetching: 0 };
  const ids = randomIds(CSV, PASTES * RUNS);
  for (let run = 0; run < RUNS; run++) {
    const { context, page, wire } = await throttledPage(browser);
    const t0 = Date.now();
    await page.goto(TRACK_LINK ? `${url}?track=${ids[run * PASTES]}` : url);
    await page.locator("#results li").first().waitFor({ timeout: 120000 });
    const pageMs = await page.evaluate(() => window.__firstRow);
    const appMs = await page.evaluate(() => window.__appRow);
    // Bytes that arrived before a row, on the page's clock (the script sees the row a few
    // hundred ms late, by when tiles fetched ahead for the next move are in).
    const bytesBefore = (moment) =>
      page.evaluate((moment) => {
        const entries = [...performance.getEntriesByType("navigation"), ...performance.getEntriesByType("resource")].filter((e) => e.responseEnd <= moment);
        return { kb: entries.reduce((sum, e) => sum + e.transferSize, 0) / 1000, requests: entries.length };
      }, moment);
    const before = await bytesBefore(pageMs);
    const beforeApp = await bytesBefore(appMs);
    loads.push({ ms: pageMs, outside_ms: Date.now() - t0, kb: before.kb, requests: before.requests, seen_kb: wire.bytes / 1000, files: [...wire.files], app_ms: appMs, app_kb: beforeApp.kb });
    result.catalog ??= (await page.locator("#catalog-summary").textContent()).trim();
    if (LOAD_ONLY) {
      await context.close();
      continue;
    }
    await page.waitForTimeout(500);

    // Pastes of ids from anywhere in the catalog.
    for (const id of DRAG_ONLY ? [] : ids.slice(run * PASTES, (run + 1) * PASTES)) {
      const before = { ...wire, files: wire.files.length };
      const pastedAt = Date.now();
      const ms = await page.evaluate(async (id) => {
        const input = document.querySelector("#track-link");
        input.value = `https://open.spotify.com/track/${id}`;
        input.dispatchEvent(new Event("input", { bubbles: true }));
        const t0 = performance.now();
        input.form.requestSubmit();
        return window.__settled(
          () => document.querySelector(`#query-track a[href*="${id}"]`) && !document.querySelector("#tiles-status") && document.querySelectorAll("#results li").length > 0,
          t0,
          20000,
        );
      }, id);
      // On the page's own clock: bench/paste-timeline.mjs.
      const fetched = fetchedSince(wire, before.files, pastedAt);
      pastes.push({ ms, requests: wire.requests - before.requests, kb: (wire.bytes - before.bytes) / 1000, fetched });
      await page.waitForTimeout(300);
    }

    // Jumps to far corners, each a click on the plane.
    for (const [v, e] of DRAG_ONLY ? [] : [[0.03, 0.97], [0.97, 0.03], [0.03, 0.03], [0.97, 0.97]]) {
      const before = wire.files.length;
      const clickedAt = Date.now();
      const ms = await page.evaluate(async ([v, e]) => {
        const first = document.querySelector("#results li")?.dataset.trackId;
        const text = document.querySelector("#query-text").textContent;
        const t0 = performance.now();
        window.__fire("pointerdown", window.__at(v, e));
        window.__fire("pointerup", window.__at(v, e));
        return window.__settled(
          () => document.querySelector("#query-text").textContent !== text && !document.querySelector("#tiles-status") && document.querySelector("#results li")?.dataset.trackId !== first,
          t0,
          20000,
        );
      }, [v, e]);
      jumps.push(ms);
      jumpFetches.push({ ms: ms && Math.round(ms), fetched: fetchedSince(wire, before, clickedAt) });
      await page.waitForTimeout(300);
    }
    if (NET_ONLY) {
      await context.close();
      continue;
    }

    // Drags within fetched tiles: a small loop walked once to fetch, then timed. A trace
    // of the timed moves gives each one's main-thread CPU time as well as its wall time:
    // on a small shared VM the thread is sometimes descheduled for milliseconds mid-move.
    const tracer = await context.newCDPSession(page);
    const traced = [];
    tracer.on("Tracing.dataCollected", (e) => traced.push(...e.value));
    const traceDone = new Promise((resolve) => tracer.once("Tracing.tracingComplete", resolve));
    await tracer.send("Tracing.start", { categories: "devtools.timeline,blink.user_timing", transferMode: "ReportEvents" });
    const samples = await page.evaluate(async () => {
      const loop = Array.from({ length: 60 }, (_, i) => [0.4 + 0.03 * Math.cos(i / 3), 0.6 + 0.03 * Math.sin(i / 3)]);
      window.__fire("pointerdown", window.__at(...loop[0]));
      // The page answers a move in a microtask, so its "Fetching…" line is looked for a
      // frame later (looked for at once, it is never there yet and nothing is waited for).
      const frame = () => new Promise((r) => requestAnimationFrame(() => r()));
      for (const p of loop) {
        window.__fire("pointermove", window.__at(...p));
        await frame();
        await window.__settled(() => !document.querySelector("#tiles-status"), performance.now());
      }
      performance.clearResourceTimings();
      performance.setResourceTimingBufferSize(100000);
      // Something the move itself asked for arrived before its list changed.
      const waitedFor = (t0, t1) => performance.getEntriesByType("resource").some((e) => e.startTime >= t0 && e.responseEnd <= t1);
      const out = [];
      // Moves not counted: the list did not change within 1 s, or it waited for a fetch.
      const skipped = { unchanged: 0, fetching: 0 };
      for (let round = 0; round < 3; round++) {
        for (const p of loop) {
          const changed = window.__listChange();
          const t0 = performance.now();
          window.__fire("pointermove", window.__at(...p));
          const t1 = await changed;
          // A move that fetched (its tile or its tracks' details) waited for the network:
          // the line it showed is gone again by the time its list changes, so the fetch
          // itself is what tells. (A tile fetched ahead that lands during a move counts.)
          if (t1 === null) skipped.unchanged += 1;
          else if (document.querySelector("#tiles-status") || waitedFor(t0, t1)) skipped.fetching += 1;
          else {
            out.push(t1 - t0);
            performance.measure("moodplane-move", { start: t0, end: t1 });
          }
          await new Promise((r) => requestAnimationFrame(() => r()));
        }
      }
      window.__fire("pointerup", window.__at(...loop[0]));
      return { out, skipped };
    });
    await tracer.send("Tracing.end");
    await traceDone;
    // SAVE_TRACE=file: the drag's trace events, to look into a move's frame.
    if (process.env.SAVE_TRACE) writeFileSync(process.env.SAVE_TRACE, JSON.stringify(traced));
    dragCpu = dragCpu.concat(moveCpuTimes(traced));
    drags = drags.concat(samples.out);
    dragSkips.unchanged += samples.skipped.unchanged;
    dragSkips.fetching += samples.skipped.fetching;
    await context.close();
  }
  result.first_results = {
    // Navigation start → the first result row, on the page's clock; and as the script
    // saw it (from before page.goto, so with the browser's own start-up of a navigation).
    ms: Math.round(median(loads.map((l) => l.ms))),
    each_ms: loads.map((l) => Math.round(l.ms)),
    outside_ms: median(loads.map((l) => l.outside_ms)),
    on_wire_kb: Math.round(median(loads.map((l) => l.kb))),
    // All bytes by the time the script saw the row (what this line reported before).
    seen_kb: Math.round(median(loads.map((l) => l.seen_kb))),
    requests: median(loads.map((l) => l.requests)),
    // The app's own first row (after the first list, when there is one), and its bytes.
    app_ms: Math.round(median(loads.map((l) => l.app_ms))),
    app_each_ms: loads.map((l) => Math.round(l.app_ms)),
    app_on_wire_kb: Math.round(median(loads.map((l) => l.app_kb))),
    // What the first page load fetched, from the first run: [path, KB on the wire, ms asked,
    // ms done] (times from the page's creation, a little before navigation).
    files_kb: loads[0].files,
  };
  if (LOAD_ONLY) {
    console.log(JSON.stringify(result, null, 1));
    process.exit(0);
  }
  const pasteMs = pastes.map((p) => p.ms).filter((x) => x !== null);
  result.paste = {
    count: pastes.length,
    unfinished: pastes.length - pasteMs.length,
    ms_p50: Math.round(median(pasteMs)),
    ms_p95: Math.round(percentile(pasteMs, 95)),
    round_trips_p50: +(median(pasteMs) / RTT).toFixed(1),
    requests_p50: median(pastes.map((p) => p.requests)),
    kb_p50: Math.round(median(pastes.map((p) => p.kb))),
    // The first three pastes' fetches: [KB, asked, done] in ms since the paste (outside
    // clock), to see which fetches wait on which.
    examples: pastes.slice(0, NET_ONLY ? pastes.length : 3).map((p) => ({ ms: Math.round(p.ms), fetched: p.fetched })),
  };
  const jumpMs = jumps.filter((x) => x !== null);
  result.far_corner = { each_ms: jumps.map((x) => (x === null ? null : Math.round(x))), count: jumps.length, unfinished: jumps.length - jumpMs.length, ms_p50: Math.round(median(jumpMs)), ms_p95: Math.round(percentile(jumpMs, 95)) };
  if (NET_ONLY) {
    console.log(JSON.stringify({ first_results_ms: result.first_results.ms, paste: result.paste, far_corner: { ...result.far_corner, examples: jumpFetches } }));
    process.exit(0);
  }
  result.drag_update_ms = {
    samples: drags.length,
    not_counted: dragSkips,
    p50: +percentile(drags, 50).toFixed(2),
    p95: +percentile(drags, 95).toFixed(2),
    // Main-thread CPU time of the frame task that holds each move (the move and the
    // script's own few steps around it, so a little over the move), from the trace.
    cpu_samples: dragCpu.length,
    cpu_p50: +percentile(dragCpu, 50).toFixed(2),
    cpu_p95: +percentile(dragCpu, 95).toFixed(2),
  };
  if (DRAG_ONLY) {
    console.log(JSON.stringify({ first_results_ms: result.first_results.ms, drag_update_ms: result.drag_update_ms }));
    process.exit(0);
  }

  // Memory after wandering, unthrottled: a jump every 250 ms for WANDER_S seconds.
  const context = await browser.newContext({ ignoreHTTPSErrors: H2 });
  const page = await context.newPage();
  await page.addInitScript(settleScript);
  await page.addInitScript(() => addEventListener("TrunkApplicationStarted", (e) => (window.__wasm = e.detail.wasm)));
  await page.goto(url);
  await page.locator("#results li").first().waitFor({ timeout: 120000 });
  const wandered = await page.evaluate(async (seconds) => {
    let s = 99;
    const rand = () => ((s = (s * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    const end = performance.now() + seconds * 1000;
    let jumps = 0;
    while (performance.now() < end) {
      const p = window.__at(rand(), rand());
      window.__fire("pointerdown", p);
      window.__fire("pointerup", p);
      jumps += 1;
      await new Promise((r) => setTimeout(r, 250));
    }
    return jumps;
  }, WANDER_S);
  const cdp = await context.newCDPSession(page);
  await cdp.send("HeapProfiler.collectGarbage");
  const heap = await cdp.send("Runtime.getHeapUsage");
  const wasm = await page.evaluate(() => window.__wasm?.memory?.buffer.byteLength ?? 0);
  result.memory_after_wandering = {
    seconds: WANDER_S,
    jumps: wandered,
    js_heap_mb: +(heap.usedSize / 1e6).toFixed(1),
    wasm_mb: +(wasm / 1e6).toFixed(1),
    total_mb: +((heap.usedSize + wasm) / 1e6).toFixed(1),
  };
  await context.close();
  console.log(JSON.stringify(result, null, 1));
} finally {
  await browser.close();
  server.close();
}
