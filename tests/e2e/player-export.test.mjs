// End to end: hear a result (Spotify's embed player for the selected row, by click or by
// keyboard) and take the list away (copied links, CSV and JSPF downloads checked against
// the list the page shows). The network to Spotify is blocked: the embed is served a
// stand-in page, so nothing leaves the machine.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";

import { bruteForceNearest, loadTutorialCsv, parseCsv } from "./support/reference-ranking.mjs";
import { ROOT, useSession } from "./support/session.mjs";

const tracks = loadTutorialCsv(join(ROOT, "data", "valence_arousal_11k.csv"));
const { freshPage } = useSession();

async function blockSpotify(context) {
  const asked = [];
  await context.route("https://open.spotify.com/**", (route) => {
    asked.push(route.request().url());
    // The page may replace or close the player before its frame's request is answered;
    // fulfilling a request whose frame is gone rejects, and that is no test failure.
    return route
      .fulfill({ status: 200, contentType: "text/html", body: "<!DOCTYPE html><title>stand-in player</title>" })
      .catch(() => {});
  });
  return asked;
}

test("selecting a result shows Spotify's player for it, by click and by keyboard", async () => {
  const { page, context, problems, plane } = await freshPage("?v=0.300&e=0.700&n=5");
  const asked = await blockSpotify(context);
  const ids = await plane.resultIds();
  await plane.results.nth(1).click();
  const frame = page.locator("#player-frame");
  await frame.waitFor();
  assert.equal(await frame.getAttribute("src"), `https://open.spotify.com/embed/track/${ids[1]}`);
  assert.match(await frame.getAttribute("title"), /^Spotify player: /);
  assert.equal(await page.locator("#player a[href^='spotify:track:']").getAttribute("href"), `spotify:track:${ids[1]}`);
  assert.equal(await page.locator("#results li.selected").getAttribute("data-track-id"), ids[1]);
  // Keyboard: the first row is the list's Tab stop; Down moves, Enter selects.
  await plane.results.first().focus();
  await page.keyboard.press("ArrowDown");
  await page.keyboard.press("ArrowDown");
  await page.keyboard.press("ArrowUp");
  await page.keyboard.press("ArrowDown");
  await page.keyboard.press("ArrowDown");
  await page.keyboard.press("Enter");
  await page.waitForFunction((id) => document.querySelector("#player-frame")?.src.endsWith(id), ids[3]);
  assert.equal(await page.locator("#player-frame").count(), 1, "one player at a time");
  await page.keyboard.press("ArrowUp");
  await page.keyboard.press(" ");
  await page.waitForFunction((id) => document.querySelector("#player-frame")?.src.endsWith(id), ids[2]);
  assert.ok(asked.every((url) => url.startsWith("https://open.spotify.com/embed/track/")), asked.join("\n"));
  await page.locator("#player-close").click();
  assert.equal(await page.locator("#player-frame").count(), 0);
  assert.deepEqual(problems, []);
  await context.unrouteAll({ behavior: "ignoreErrors" });
  await context.close();
});

test("the list taken away: copied links, CSV and JSPF match what the page shows", async () => {
  const { page, context, problems, plane } = await freshPage("?v=0.304&e=0.058&n=7", { permissions: ["clipboard-read", "clipboard-write"], acceptDownloads: true });
  const ids = await plane.resultIds();
  const distances = await plane.resultDistances();
  assert.deepEqual(ids, bruteForceNearest(tracks, 0.304, 0.058, 7).map((t) => t.id));

  await page.locator("#results-copy").click();
  await page.locator("#results-export-status", { hasText: "Copied 7 Spotify links" }).waitFor();
  const copied = await page.evaluate(() => navigator.clipboard.readText());
  assert.deepEqual(copied.split("\n"), ids.map((id) => `https://open.spotify.com/track/${id}`));

  const [csvDownload] = await Promise.all([page.waitForEvent("download"), page.locator("#results-csv").click()]);
  assert.equal(csvDownload.suggestedFilename(), "moodplane-v0.30-e0.06.csv");
  const [header, ...rows] = parseCsv(readFileSync(await csvDownload.path(), "utf8")).filter((r) => r.length > 1);
  assert.deepEqual(header, ["rank", "id", "name", "artists", "genre", "valence", "energy", "distance", "mood_source", "query_valence", "query_energy"]);
  assert.deepEqual(rows.map((r) => r[1]), ids);
  rows.forEach((r, i) => {
    const track = tracks.find((t) => t.id === r[1]);
    assert.equal(r[0], String(i + 1));
    assert.equal(r[2], track.name);
    assert.equal(Number(r[5]), track.valence);
    assert.equal(Number(r[6]), track.energy);
    assert.ok(Math.abs(Number(r[7]) - distances[i]) < 1e-12, `distance ${i}`);
    assert.deepEqual(r.slice(8), ["catalog", "0.304", "0.058"]);
  });

  const [jspfDownload] = await Promise.all([page.waitForEvent("download"), page.locator("#results-jspf").click()]);
  assert.equal(jspfDownload.suggestedFilename(), "moodplane-v0.30-e0.06.jspf");
  const jspf = JSON.parse(readFileSync(await jspfDownload.path(), "utf8"));
  assert.equal(jspf.playlist.title, "Moodplane: valence 0.30, energy 0.06");
  assert.deepEqual(jspf.playlist.track.map((t) => t.identifier[0]), ids.map((id) => `https://open.spotify.com/track/${id}`));
  assert.deepEqual(jspf.playlist.track.map((t) => t.title), ids.map((id) => tracks.find((t) => t.id === id).name));
  assert.deepEqual(problems, []);
  await context.close();
});

test("a crate collected across two queries: no repeats, reordered by keyboard, kept across a reload, taken away", async () => {
  const { page, context, problems, plane } = await freshPage("?v=0.200&e=0.300&n=5", { acceptDownloads: true });
  const firstIds = await plane.resultIds();
  await plane.results.nth(0).locator(".add-to-crate").click();
  await plane.results.nth(2).locator(".add-to-crate").click();
  assert.equal(await page.locator("#player-frame").count(), 0, "adding does not select");
  assert.ok(await plane.results.nth(0).locator(".add-to-crate").isDisabled(), "a track in the crate cannot be added twice");
  // Somewhere else on the plane, add all five.
  await plane.drag({ valence: 0.2, energy: 0.3 }, { valence: 0.8, energy: 0.8 });
  await plane.waitForUrl((p) => p.get("v") === "0.800" && p.get("e") === "0.800");
  const secondIds = await plane.resultIds();
  await page.locator("#crate-add-all").click();
  await page.locator("#crate-added", { hasText: "Added 5 of 5 results" }).waitFor();
  await page.locator("#crate-add-all").click();
  await page.locator("#crate-added", { hasText: "Added 0 of 5 results" }).waitFor();
  const crateIds = () => page.locator("#crate-tracks li").evaluateAll((rows) => rows.map((r) => r.dataset.trackId));
  const expected = [firstIds[0], firstIds[2], ...secondIds];
  assert.deepEqual(await crateIds(), expected);
  assert.match(await page.locator("#crate-tracks li").first().textContent(), /found at 0\.200, 0\.300/);
  // Reorder with the keyboard: the second entry moves down.
  await page.locator("#crate-tracks li").nth(1).locator(".crate-down").focus();
  await page.keyboard.press("Enter");
  const reordered = [expected[0], expected[2], expected[1], ...expected.slice(3)];
  assert.deepEqual(await crateIds(), reordered);
  await page.locator("#crate-tracks li").nth(6).locator(".crate-remove").click();
  const kept = reordered.slice(0, 6);
  assert.deepEqual(await crateIds(), kept);
  // It survives a reload.
  await page.reload();
  await plane.results.first().waitFor();
  assert.deepEqual(await crateIds(), kept);
  // Taken away in crate order, each row with the point it was found at.
  const [download] = await Promise.all([page.waitForEvent("download"), page.locator("#crate-csv").click()]);
  assert.equal(download.suggestedFilename(), "moodplane-crate.csv");
  const [, ...rows] = parseCsv(readFileSync(await download.path(), "utf8")).filter((r) => r.length > 1);
  assert.deepEqual(rows.map((r) => r[1]), kept);
  assert.deepEqual(rows[0].slice(9), ["0.200", "0.300"]);
  assert.deepEqual(rows[5].slice(9), ["0.800", "0.800"]);
  // The crate layer is drawn on the plane.
  const purple = await plane.overlayPixels([123, 31, 162]);
  assert.ok(purple > 20, `crate layer drawn (${purple} purple pixels)`);
  await page.locator("#crate-clear").click();
  assert.deepEqual(await crateIds(), []);
  assert.deepEqual(problems, []);
  await context.close();
});

test("a damaged saved crate is reported and set aside, not lost", async () => {
  const { page, context, plane } = await freshPage();
  await page.evaluate(() => localStorage.setItem("moodplane.crate.v1", "{not json"));
  await page.reload();
  await plane.results.first().waitFor();
  await page.locator("#crate", { hasText: "Your crate starts empty: the saved crate is not readable" }).waitFor();
  assert.equal(await page.evaluate(() => localStorage.getItem("moodplane.crate.v1.unreadable")), "{not json");
  await context.close();
});
