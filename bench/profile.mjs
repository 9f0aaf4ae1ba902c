// A CPU profile of the page's own work, summed by function (self time), for finding what
// to make faster. Serves like bench/tiles.mjs (--serve, in a child process). Profile a
// dist whose wasm keeps its names (bash bench/names-build.sh dist /tmp/dist-names), or the
// wasm shows as numbers. CALLERS=regex also prints the call stacks into those functions.
//   node bench/profile.mjs --dist DIST --tiles TILES_DIR load   # navigation to the first row
//   node bench/profile.mjs --dist DIST --tiles TILES_DIR drag   # 200 moves of a drag
import { launchBrowser } from "../tests/e2e/support/browser.mjs";
import { serveTiles, throttle } from "./serve-tiles.mjs";

const args = process.argv.slice(2);
const what = args.pop();
const { url, server } = await serveTiles(args);

/** Self time by function name, the `top` largest, from a CDP profile. */
function summary(profile, top = 35) {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const self = new Map();
  const dt = profile.timeDeltas;
  profile.samples.forEach((id, i) => {
    const f = byId.get(id).callFrame;
    const name = `${f.functionName || "(anonymous)"} ${f.url.split("/").pop()}`.slice(0, 150);
    self.set(name, (self.get(name) ?? 0) + (dt[i] ?? 0) / 1000);
  });
  // CALLERS=regex: the call stacks (innermost 8 frames) that spent most in the functions named.
  if (process.env.CALLERS) {
    const parent = new Map();
    for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
    const pattern = new RegExp(process.env.CALLERS);
    const stacks = new Map();
    profile.samples.forEach((id, i) => {
      const names = [];
      for (let at = id; at !== undefined && names.length < 40; at = parent.get(at)) names.push(byId.get(at).callFrame.functionName.replace(/::h[0-9a-f]{16}$/, "").slice(0, 110));
      const hit = names.findIndex((n) => pattern.test(n));
      if (hit < 0) return;
      const key = names.slice(hit, hit + 8).join("\n    <- ");
      stacks.set(key, (stacks.get(key) ?? 0) + (dt[i] ?? 0) / 1000);
    });
    for (const [key, ms] of [...stacks].sort((a, b) => b[1] - a[1]).slice(0, 6)) console.log(`${ms.toFixed(1)} ms\n    ${key}`);
  }
  const total = [...self.values()].reduce((a, b) => a + b, 0);
  console.log(`total sampled ${total.toFixed(0)} ms`);
  for (const [name, ms] of [...self].sort((a, b) => b[1] - a[1]).slice(0, top)) console.log(`${ms.toFixed(1).padStart(8)} ms  ${name}`);
}

/** Per 10 ms of the profile: the busiest two functions (self time), idle left out. */
function timeline(profile) {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const bins = new Map();
  let t = 0;
  profile.samples.forEach((id, i) => {
    t += profile.timeDeltas[i] ?? 0;
    const name = (byId.get(id).callFrame.functionName || "(anonymous)").replace(/::h[0-9a-f]{16}$/, "").slice(0, 70);
    if (name === "(idle)") return;
    const bin = Math.floor(t / 10000) * 10;
    const m = bins.get(bin) ?? new Map();
    m.set(name, (m.get(name) ?? 0) + (profile.timeDeltas[i] ?? 0) / 1000);
    bins.set(bin, m);
  });
  for (const [bin, m] of [...bins].sort((a, b) => a[0] - b[0])) {
    const busy = [...m.values()].reduce((a, b) => a + b, 0);
    const top = [...m].sort((a, b) => b[1] - a[1]).slice(0, 2).map(([n, ms]) => `${n} ${ms.toFixed(1)}`).join(" | ");
    console.log(`${String(bin).padStart(5)} ms  busy ${busy.toFixed(1).padStart(4)}  ${top}`);
  }
}

const browser = await launchBrowser();
try {
  const context = await browser.newContext();
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  await cdp.send("Profiler.enable");
  await cdp.send("Profiler.setSamplingInterval", { interval: 100 });
  if (what === "load") {
    // THROTTLE=1: on the benchmarks' 20 Mbit/s, 40 ms link, with a timeline of the
    // samples after the wasm starts (10 ms bins: the busiest functions in each).
    if (process.env.THROTTLE) await throttle(cdp, { cache: true });
    await cdp.send("Profiler.start");
    await page.goto(url);
    await page.locator("#results li").first().waitFor({ timeout: 120000 });
  } else {
    // QUERY=?…: the page opened with that query string (a radius, say: ?v=0.4&e=0.6&r=0.02).
    await page.goto(url + (process.env.QUERY ?? ""));
    await page.locator("#results li").first().waitFor({ timeout: 120000 });
    await page.waitForTimeout(1000);
    const box = await page.locator("#plane").boundingBox();
    const at = (v, e) => [box.x + ((64 + v * 560) * box.width) / 640, box.y + ((16 + (1 - e) * 560) * box.width) / 640];
    await page.mouse.move(...at(0.4, 0.6));
    await page.mouse.down();
    // The same 200 moves walked first, so the profiled ones find their tiles and details held.
    for (let i = 0; i < 200; i++) await page.mouse.move(...at(0.4 + 0.02 * Math.cos(i / 10), 0.6 + 0.02 * Math.sin(i / 10)));
    await page.waitForTimeout(2000);
    await cdp.send("Profiler.start");
    for (let i = 0; i < 200; i++) await page.mouse.move(...at(0.4 + 0.02 * Math.cos(i / 10), 0.6 + 0.02 * Math.sin(i / 10)));
    await page.mouse.up();
  }
  const { profile } = await cdp.send("Profiler.stop");
  // SAVE=path: the raw profile too (a .cpuprofile DevTools opens).
  if (process.env.SAVE) (await import("node:fs")).writeFileSync(process.env.SAVE, JSON.stringify(profile));
  summary(profile);
  if (process.env.THROTTLE) timeline(profile);
} finally {
  await browser.close();
  server.kill();
}
