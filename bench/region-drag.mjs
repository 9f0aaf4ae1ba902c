// Drag updates with a radius over a tiled catalog: the page opened at a point with a
// radius, a small loop walked once (its tiles fetched), then 30 moves timed from the
// pointer event to the list's change (unthrottled: the work of a move, not the network).
// Serves like bench/tiles.mjs (--serve, in a child process).
//   node bench/region-drag.mjs --dist DIST --tiles TILES_DIR [--radius 0.020]

import { launchBrowser } from "../tests/e2e/support/browser.mjs";
import { listChangeScript } from "./list-change.mjs";
import { serveTiles } from "./serve-tiles.mjs";

const args = process.argv.slice(2);
const at = args.indexOf("--radius");
const radius = at >= 0 ? args.splice(at, 2)[1] : "0.020";
const { url, server } = await serveTiles(args);

const browser = await launchBrowser();
try {
  const page = await browser.newPage();
  await page.addInitScript(listChangeScript);
  await page.goto(`${url}?v=0.500&e=0.500&r=${radius}`);
  await page.waitForFunction(() => document.querySelector("#region-too-big") || (/Within/.test(document.querySelector("#results-heading")?.textContent ?? "") && document.querySelector("#results li[data-track-id]")), null, { timeout: 120000 });
  const heading = await page.locator("#results-heading").textContent();
  const moves = await page.evaluate(async () => {
    const plane = document.querySelector("#plane");
    const at = (v, e) => {
      const box = plane.getBoundingClientRect();
      const scale = box.width / plane.width;
      return { clientX: box.left + (64 + v * 560) * scale, clientY: box.top + (16 + (1 - e) * 560) * scale };
    };
    const fire = (type, p) => plane.dispatchEvent(new PointerEvent(type, { ...p, pointerId: 1, button: 0, buttons: type === "pointerup" ? 0 : 1, bubbles: true, isPrimary: true }));
    const frame = () => new Promise((r) => requestAnimationFrame(() => r()));
    const loop = Array.from({ length: 30 }, (_, i) => [0.5 + 0.004 * Math.cos(i / 3), 0.5 + 0.004 * Math.sin(i / 3)]);
    fire("pointerdown", at(...loop[0]));
    for (const p of loop) {
      fire("pointermove", at(...p));
      await frame();
      await new Promise((r) => setTimeout(r, 50));
    }
    const times = [];
    for (const p of loop) {
      const changed = window.__listChange();
      const t0 = performance.now();
      fire("pointermove", at(...p));
      const t1 = await changed;
      if (t1 !== null) times.push(t1 - t0);
      await frame();
    }
    fire("pointerup", at(...loop[0]));
    return times.sort((a, b) => a - b);
  });
  const pick = (q) => +moves[Math.min(moves.length - 1, Math.floor(moves.length * q))]?.toFixed(2);
  console.log(JSON.stringify({ radius, heading, moves_timed: moves.length, p50_ms: pick(0.5), p95_ms: pick(0.95) }));
} finally {
  await browser.close();
  server.kill();
}
