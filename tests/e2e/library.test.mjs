// End to end: a person's own library. Exportify exports (with audio features, and without,
// joined with the catalog by id) are opened through the file picker or dropped on the
// page, read in the page (the counts checked against this file's own reading of the CSV),
// drawn as their own layer, searched alone ("Only my library", against a brute-force
// reference over the file's tracks) or left out ("Near my library"), kept across a
// reload, and removed. No request leaves the page during an import.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";

import { firstOfEachId } from "./support/reference-journey.mjs";
import { nearest, readExport } from "./support/reference-library.mjs";
import { loadTutorialCsv, parseCsv } from "./support/reference-ranking.mjs";
import { ROOT, useSession } from "./support/session.mjs";

const FIXTURES = join(ROOT, "tests", "fixtures", "library");
const WITH_FEATURES = join(FIXTURES, "exportify_with_features.csv");
const WITHOUT_FEATURES = join(FIXTURES, "exportify_without_features.csv");
// The catalog as the page holds it: a repeated id keeps its first row.
const catalog = firstOfEachId(loadTutorialCsv(join(ROOT, "data", "valence_arousal_11k.csv")));
const catalogById = new Map(catalog.map((t) => [t.id, t]));
const { freshPage } = useSession();

/** Every request the page makes until `action` resolves. */
async function requestsDuring(page, action) {
  const seen = [];
  const record = (request) => seen.push({ url: request.url(), method: request.method(), body: request.postData() });
  page.on("request", record);
  await action();
  page.off("request", record);
  return seen;
}

async function openLibrary(page, path) {
  await page.locator("#library-file").setInputFiles(path);
  const name = path.split("/").pop();
  const entry = page.locator(`#library-list > li[data-library="${name}"]`);
  await entry.waitFor({ timeout: 20000 });
  return entry;
}

function orangePixels(page) {
  return page.evaluate(() => {
    const canvas = document.querySelector("#plane-library");
    const data = canvas.getContext("2d").getImageData(0, 0, canvas.width, canvas.height).data;
    let count = 0;
    for (let i = 0; i < data.length; i += 4) if (data[i] > 200 && data[i + 1] > 50 && data[i + 1] < 120 && data[i + 2] < 40 && data[i + 3] > 100) count++;
    return count;
  });
}

test("an export with audio features: read in the page, counted, drawn, and searched alone", async () => {
  const { page, problems, plane } = await freshPage("?v=0.500&e=0.500&n=10");
  const file = readExport(WITH_FEATURES, catalogById);
  const requests = await requestsDuring(page, () => openLibrary(page, WITH_FEATURES));
  // Nothing is uploaded: the only requests are the page fetching its own reader.
  for (const r of requests) {
    assert.equal(new URL(r.url).origin, plane.origin, `left the page: ${r.url}`);
    assert.equal(r.method, "GET", `${r.method} ${r.url}`);
    assert.equal(r.body, null, `a request carried a body: ${r.url}`);
    assert.match(new URL(r.url).pathname, /^\/(import-worker\.js|import_worker\.js|import_worker_bg\.wasm)$/);
  }
  const entry = page.locator('#library-list > li[data-library="exportify_with_features.csv"]');
  const placedTotal = file.placed.length + file.joined.length;
  assert.equal(
    await entry.locator(".library-summary").textContent(),
    `placed ${placedTotal} of ${file.placed.length + file.named.length} (${file.placed.length} by the file's own valence and energy, ${file.joined.length} from the catalog); ${file.unknown.length} have no mood here`,
  );
  await entry.locator("summary").click();
  assert.equal(await entry.locator(".rows-read").textContent(), `Rows read: ${file.rows}`);
  assert.equal(await entry.locator(".rows-skipped").textContent(), `Rows skipped: ${file.skipped}`);
  assert.match(await entry.locator(".library-report").textContent(), /1 × track id is not 22 letters and digits \(lines 59\)/);

  // Its own layer, which can be switched off.
  assert.ok((await orangePixels(page)) > 100, "the library layer is drawn");
  await page.locator("#library-layer").uncheck();
  await page.waitForFunction(() => {
    const c = document.querySelector("#plane-library");
    return !c.getContext("2d").getImageData(0, 0, c.width, c.height).data.some((x) => x !== 0);
  });
  await page.locator("#library-layer").check();

  // Without "Only my library": the catalog's list, the file's tracks in it marked.
  const mine = new Set(file.tracks.map((t) => t.id));
  for (const li of await plane.results.all()) {
    const id = await li.getAttribute("data-track-id");
    assert.equal((await li.getAttribute("data-mine")) === "true", mine.has(id), id);
  }
  // "Only my library": exactly the brute-force nearest among the file's tracks.
  await page.locator("#only-mine").check();
  await page.waitForFunction((first) => document.querySelector("#results li")?.dataset.trackId === first, nearest(file.tracks, 0.5, 0.5, 1)[0]);
  assert.deepEqual(await plane.resultIds(), nearest(file.tracks, 0.5, 0.5, 10));
  // A drag keeps to the library.
  await plane.drag({ valence: 0.5, energy: 0.5 }, { valence: 0.8, energy: 0.2 });
  const [, v, e] = (await plane.queryText.textContent()).match(/Valence ([\d.]+) · Energy ([\d.]+)/).map(Number);
  assert.ok(v > 0.7 && e < 0.3, `moved to ${v}, ${e}`);
  await page.waitForFunction((first) => document.querySelector("#results li")?.dataset.trackId === first, nearest(file.tracks, v, e, 1)[0]);
  assert.deepEqual(await plane.resultIds(), nearest(file.tracks, v, e, 10));
  for (const id of await plane.resultIds()) assert.ok(mine.has(id), `${id} is not in the file`);
  // Every track within a radius: only the file's, all of them.
  await page.locator("#mode-radius").check();
  await page.locator("#radius").fill("0.4");
  await page.locator("#radius").press("Enter");
  const within = file.tracks
    .map((t, i) => ({ id: t.id, i, d: Math.hypot(t.valence - v, t.energy - e) }))
    .filter((t) => t.d <= 0.4)
    .sort((a, b) => a.d - b.d || a.i - b.i)
    .map((t) => t.id);
  assert.ok(within.length > 5 && within.length <= 50, `${within.length} within`);
  await page.waitForFunction((n) => document.querySelectorAll("#results li").length === n, within.length);
  assert.deepEqual(await plane.resultIds(), within);
  assert.deepEqual(problems, []);
});

test("an export without audio features is joined by id; the rest can be downloaded; it stays across a reload until removed", async () => {
  const { page, problems, plane } = await freshPage("?v=0.300&e=0.600&n=10");
  const file = readExport(WITHOUT_FEATURES, catalogById);
  assert.equal(file.placed.length, 0);
  const requests = await requestsDuring(page, () => openLibrary(page, WITHOUT_FEATURES));
  for (const r of requests) assert.equal(new URL(r.url).origin, plane.origin, `left the page: ${r.url}`);
  assert.ok(requests.every((r) => r.method === "GET" && r.body === null));
  const entry = page.locator('#library-list > li[data-library="exportify_without_features.csv"]');
  assert.equal(
    await entry.locator(".library-summary").textContent(),
    `placed ${file.joined.length} of ${file.named.length} (${file.joined.length} from the catalog); ${file.unknown.length} have no mood here`,
  );
  // The tracks without a mood here, as a CSV.
  const [download] = await Promise.all([page.waitForEvent("download"), entry.locator(".library-unknown").click()]);
  assert.equal(download.suggestedFilename(), "exportify_without_features-without-mood.csv");
  const [header, ...rows] = parseCsv(readFileSync(await download.path(), "utf8")).filter((r) => r.length > 1);
  assert.deepEqual(header, ["line", "id", "name", "artists", "link"]);
  assert.deepEqual(rows.map((r) => [Number(r[0]), r[1]]), file.unknown.map((t) => [t.line, t.id]));

  // Kept in this browser: a reload finds it, and "Only my library" lists only its tracks.
  await page.reload();
  await entry.waitFor({ timeout: 20000 });
  await page.locator("#only-mine").check();
  const joined = file.tracks;
  await page.waitForFunction((first) => document.querySelector("#results li")?.dataset.trackId === first, nearest(joined, 0.3, 0.6, 1)[0]);
  assert.deepEqual(await plane.resultIds(), nearest(joined, 0.3, 0.6, 10));

  // Removed: gone now, and after a reload; the list is the catalog's again.
  await entry.locator(".library-remove").click();
  await page.waitForFunction(() => document.querySelectorAll("#library-list > li").length === 0);
  assert.equal(await page.locator("#only-mine").count(), 0);
  await page.reload();
  await plane.results.first().waitFor();
  await page.waitForTimeout(300);
  assert.equal(await page.locator("#library-list > li").count(), 0);
  assert.deepEqual(problems, []);
});

test("near my library: the catalog's nearest to the library's centre, the library left out", async () => {
  const { page, problems, plane } = await freshPage("?v=0.100&e=0.900&n=10");
  const file = readExport(WITHOUT_FEATURES, catalogById);
  await openLibrary(page, WITHOUT_FEATURES);
  await page.locator("#near-mine").click();
  const joined = file.joined.map((t) => catalogById.get(t.id));
  // The page's centre is the mean mood, rounded to 1/1000 like every point it places.
  const mean = (key) => Math.round((joined.reduce((s, t) => s + t[key], 0) / joined.length) * 1000) / 1000;
  const centre = { valence: mean("valence"), energy: mean("energy") };
  const theirs = new Set(joined.map((t) => t.id));
  const rest = catalog.filter((t) => !theirs.has(t.id));
  const expected = nearest(rest, centre.valence, centre.energy, 10);
  await page.waitForFunction((first) => document.querySelector("#results li")?.dataset.trackId === first, expected[0]);
  assert.deepEqual(await plane.resultIds(), expected);
  assert.ok(await page.locator("#without-mine").isChecked());
  assert.match(await plane.queryText.textContent(), new RegExp(`Valence ${centre.valence.toFixed(3)} · Energy ${centre.energy.toFixed(3)}`));
  assert.deepEqual(problems, []);
});

test("a file dropped on the page opens too; files that are not libraries say why and lose nothing", async () => {
  const { page, problems, plane } = await freshPage("?v=0.700&e=0.300&n=10");
  await openLibrary(page, WITH_FEATURES);
  const before = await plane.resultIds();
  const drop = (name, type, text) =>
    page.evaluate(
      ([name, type, text]) => {
        const transfer = new DataTransfer();
        transfer.items.add(new File([text], name, { type }));
        const target = document.querySelector("#plane");
        target.dispatchEvent(new DragEvent("dragover", { dataTransfer: transfer, bubbles: true, cancelable: true }));
        target.dispatchEvent(new DragEvent("drop", { dataTransfer: transfer, bubbles: true, cancelable: true }));
      },
      [name, type, text],
    );
  const error = page.locator("#library-error");
  await drop("photo.png", "image/png", "\u0089PNG");
  await error.waitFor();
  assert.equal(await error.textContent(), "photo.png could not be opened: “photo.png” is not a CSV file: open a .csv file, such as an Exportify export of a playlist or a dataset the catalog builder reads.");
  await drop("empty.csv", "text/csv", "");
  await page.waitForFunction(() => document.querySelector("#library-error")?.textContent.startsWith("empty.csv"));
  assert.match(await error.textContent(), /^empty\.csv could not be opened: the file is empty: expected a CSV header and rows of tracks\.$/);
  await drop("sales.csv", "text/csv", "region,total\nnorth,3\n");
  await page.waitForFunction(() => document.querySelector("#library-error")?.textContent.startsWith("sales.csv"));
  assert.match(await error.textContent(), /unrecognised CSV header \(region, total\)\. Looked for a track id column/);
  await drop("junk.csv", "text/csv", "id,name,valence,energy\nnot-an-id,x,0.5,0.5\n4uLU6hMCjMI75M1A2tKUQC,y,high,0.5\n");
  await page.waitForFunction(() => document.querySelector("#library-error")?.textContent.startsWith("junk.csv"));
  assert.match(await error.textContent(), /nothing usable remains: every row was skipped/);
  // What was open stays open; the list is unchanged.
  assert.equal(await page.locator("#library-list > li").count(), 1);
  assert.deepEqual(await plane.resultIds(), before);

  // A real CSV dropped on the page opens as a second library, named after its file.
  await drop("dropped.csv", "text/csv", "id,name,valence,energy\n4uLU6hMCjMI75M1A2tKUQC,Dropped,0.69,0.31\n");
  await page.locator('#library-list > li[data-library="dropped.csv"]').waitFor();
  assert.equal(await page.locator("#library-list > li").count(), 2);
  assert.equal(await page.locator("#library-error").count(), 0);
  await page.locator("#only-mine").check();
  await page.waitForFunction(() => document.querySelector("#results li")?.dataset.trackId === "4uLU6hMCjMI75M1A2tKUQC");
  assert.deepEqual(problems, []);
});
