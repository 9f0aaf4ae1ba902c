// Benchmark for pasted links (issue 10): how many real playlist tracks each catalog places
// by itself, and the time from a paste to results through a fake ReccoBeats on 127.0.0.1
// that knows a given share of them, for 1 and for 200 pasted links, in headless Chromium
// against the release build pointed at the fakes (dist-spotify-fake/, see scripts/test.sh).
// Usage: node bench/paste.mjs [--known 0.9] [--runs 5]
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";

import { launchBrowser, openPage } from "../tests/e2e/support/browser.mjs";
import { FakeReccoBeats } from "../tests/e2e/support/fake-reccobeats.mjs";
import { parseCsv } from "../tests/e2e/support/reference-ranking.mjs";
import { FAKE_SPOTIFY_DIST, ROOT } from "../tests/e2e/support/session.mjs";
import { serveStatic } from "../tests/e2e/support/static-server.mjs";

const args = process.argv.slice(2);
const option = (name, fallback) => {
  const i = args.indexOf(name);
  return i >= 0 ? Number(args[i + 1]) : fallback;
};
const KNOWN_SHARE = option("--known", 0.9);
const RUNS = option("--runs", 5);
const SHARED = join(ROOT, "..", "shared", "data");
const PLAYLISTS = join(SHARED, "spotify_songs_32k.csv");
if (!existsSync(PLAYLISTS)) {
  console.error(`bench/paste.mjs needs ${PLAYLISTS}`);
  process.exit(1);
}

/** Track ids of a CSV, from its id column. */
function ids(path) {
  const [header, ...rows] = parseCsv(readFileSync(path, "utf8"));
  const column = ["id", "track_id", "Track URI"].map((c) => header.indexOf(c)).find((i) => i >= 0);
  return rows.filter((r) => r.length === header.length).map((r) => r[column].replace("spotify:track:", ""));
}

const playlistRows = parseCsv(readFileSync(PLAYLISTS, "utf8"));
const [header, ...rows] = playlistRows;
const col = (name) => header.indexOf(name);
const playlist = new Map();
for (const r of rows) {
  if (r.length !== header.length || playlist.has(r[col("track_id")])) continue;
  playlist.set(r[col("track_id")], { title: r[col("track_name")], artists: [r[col("track_artist")]], popularity: Number(r[col("track_popularity")]), valence: Number(r[col("valence")]), energy: Number(r[col("energy")]), danceability: Number(r[col("danceability")]), tempo: Number(r[col("tempo")]) });
}
const distinct = [...playlist.keys()];

console.log(`Real playlist tracks: ${distinct.length.toLocaleString("en")} distinct ids in spotify_songs_32k.csv\n`);
console.log("| catalog | tracks | playlist tracks it places by itself |");
console.log("|---|---:|---:|");
for (const [name, path] of [["embedded 11k (tutorial format)", join(ROOT, "data", "valence_arousal_11k.csv")], ["TidyTuesday 32k (the playlists themselves)", PLAYLISTS], ["Kaggle 114k format sample", join(SHARED, "kaggle_114k_format_sample.csv")]]) {
  const catalog = new Set(ids(path));
  const placed = distinct.filter((id) => catalog.has(id)).length;
  console.log(`| ${name} | ${catalog.size.toLocaleString("en")} | ${placed.toLocaleString("en")} (${((100 * placed) / distinct.length).toFixed(1)} %) |`);
}

// The fake knows a seeded share of the playlist tracks.
const embedded = new Set(ids(join(ROOT, "data", "valence_arousal_11k.csv")));
let seed = 42;
const random = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
const fake = new FakeReccoBeats();
const outside = distinct.filter((id) => !embedded.has(id));
for (const id of outside) if (random() < KNOWN_SHARE) fake.known.set(id, playlist.get(id));
await fake.start();
const server = await serveStatic(FAKE_SPOTIFY_DIST);
const browser = await launchBrowser();

async function timePaste(links) {
  const { page, context } = await openPage(browser);
  // The person chose "Always ask ReccoBeats" earlier (read when the page starts).
  await page.addInitScript(() => localStorage.setItem("moodplane.reccobeats.consent", "always"));
  await page.goto(server.url);
  await page.locator("#results li").first().waitFor();
  const first = await page.locator("#results li").first().getAttribute("data-track-id");
  const text = links.map((id) => `https://open.spotify.com/track/${id}`).join("\n");
  const elapsed = await page.evaluate(async ({ text, first, block }) => {
    const input = document.querySelector("#track-link");
    const started = performance.now();
    if (block) {
      const transfer = new DataTransfer();
      transfer.setData("text/plain", text);
      input.dispatchEvent(new ClipboardEvent("paste", { clipboardData: transfer, bubbles: true, cancelable: true }));
    } else {
      input.value = text;
      input.dispatchEvent(new InputEvent("input", { bubbles: true, inputType: "insertFromPaste", data: text }));
    }
    const done = () =>
      block
        ? /placed/.test(document.querySelector("#pasted-summary")?.textContent ?? "") && !/waiting/.test(document.querySelector("#pasted-summary").textContent)
        : document.querySelector("#results li")?.dataset.trackId !== first && document.querySelector("#lookup-placed");
    while (!done()) {
      if (performance.now() - started > 30000) throw new Error("no results within 30 s");
      await new Promise((r) => setTimeout(r, 2));
    }
    return performance.now() - started;
  }, { text, first, block: links.length > 1 });
  await context.close();
  return elapsed;
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const knownOutside = [...fake.known.keys()];
const single = [];
const block = [];
for (let run = 0; run < RUNS; run++) {
  single.push(await timePaste([knownOutside[run * 7]]));
  const sample = [];
  for (let i = 0; i < 200; i++) sample.push(distinct[(run * 997 + i * 131) % distinct.length]);
  block.push(await timePaste(sample));
}
console.log(`\nThrough a fake ReccoBeats on 127.0.0.1 that knows ${(KNOWN_SHARE * 100).toFixed(0)} % of the playlist tracks outside the catalog (consent given; median of ${RUNS} runs):\n`);
console.log("| pasted | paste → results |");
console.log("|---|---:|");
console.log(`| 1 link outside the catalog | ${median(single).toFixed(0)} ms |`);
console.log(`| 200 links (a block) | ${median(block).toFixed(0)} ms |`);
await browser.close();
await server.close();
await fake.stop();
