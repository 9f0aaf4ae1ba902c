// End to end, keyboard only (no mouse, no clicks): Tab from the top of the page to the
// plane, move the point with the arrow keys, Tab on to the results and open one with
// Enter, then close and open the ranking options and change them. Every Tab stop on the
// way must show a focus ring that stands out (3:1) from what is around it.
import { test } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";

import { loadTutorialCsv, referenceRanking } from "./support/reference-ranking.mjs";
import { ROOT, useSession } from "./support/session.mjs";

const tracks = loadTutorialCsv(join(ROOT, "data", "valence_arousal_11k.csv"));
const { freshPage } = useSession();

/** What has focus, and how its focus ring looks against the colour behind it. */
function focused(page) {
  return page.evaluate(() => {
    const el = document.activeElement;
    const cs = getComputedStyle(el);
    let behind = "rgb(255, 255, 255)";
    for (let p = el.parentElement; p; p = p.parentElement) {
      const bg = getComputedStyle(p).backgroundColor;
      if (bg !== "transparent" && !/^rgba\(.*,\s*0\)$/.test(bg)) {
        behind = bg;
        break;
      }
    }
    const row = el.closest("#results li");
    return {
      what: `${el.tagName.toLowerCase()}${el.id ? `#${el.id}` : ""}${el.className ? `.${String(el.className).replace(/\s+/g, ".")}` : ""}`,
      id: el.id,
      tag: el.tagName,
      text: el.textContent.trim(),
      href: el.getAttribute("href"),
      rowTrackId: row?.dataset.trackId ?? null,
      inOptions: Boolean(el.closest("#ranking-options")),
      genre: el.dataset?.genre ?? null,
      outline: { style: cs.outlineStyle, width: parseFloat(cs.outlineWidth), color: cs.outlineColor },
      boxShadow: cs.boxShadow,
      behind,
    };
  });
}

function rgb(css) {
  const [r, g, b, a = 1] = css.match(/[\d.]+/g).map(Number);
  return { r, g, b, a };
}

function contrast(a, b) {
  const lum = ({ r, g, b }) =>
    [r, g, b]
      .map((c) => c / 255)
      .map((c) => (c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4))
      .reduce((sum, c, i) => sum + c * [0.2126, 0.7152, 0.0722][i], 0);
  const [hi, lo] = [lum(a), lum(b)].sort((x, y) => y - x);
  return (hi + 0.05) / (lo + 0.05);
}

/** The focused element shows a ring: an outline of 2 px or more at 3:1 against its
 *  surroundings, or a box shadow. */
function assertFocusRing(stop) {
  const { style, width, color } = stop.outline;
  if (style !== "none" && width >= 2 && rgb(color).a > 0) {
    const ratio = contrast(rgb(color), rgb(stop.behind));
    assert.ok(ratio >= 3, `${stop.what}: focus ring ${color} on ${stop.behind} has contrast ${ratio.toFixed(2)}, under 3:1`);
  } else {
    assert.notEqual(stop.boxShadow, "none", `${stop.what} shows no focus indicator (outline ${style} ${width}px, no box shadow)`);
  }
}

/** Presses Tab until `reached(stop)` holds (at most `limit` times), checking every stop's
 *  focus ring on the way. Returns the stop reached. */
async function tabUntil(page, reached, limit, visited) {
  for (let i = 0; i < limit; i++) {
    await page.keyboard.press("Tab");
    const stop = await focused(page);
    visited.push(stop.what);
    assertFocusRing(stop);
    if (reached(stop)) return stop;
  }
  assert.fail(`not reached within ${limit} Tab presses; stops: ${visited.join(" → ")}`);
}

test("keyboard only: Tab to the plane, arrows, Enter on a result, then the options", async () => {
  const { page, context, problems, plane } = await freshPage("?v=0.31&e=0.79&n=5");
  const visited = [];

  // From the top of the page, the plane is reached by Tab and shows that it has focus.
  const planeStop = await tabUntil(page, (s) => s.id === "plane", 5, visited);
  assert.equal(planeStop.tag, "CANVAS");
  assert.equal(await page.evaluate(() => document.activeElement === document.querySelector("#plane")), true);

  // Arrows move the point: Shift for steps of 0.1, plain for 0.01.
  const before = await plane.resultIds();
  await page.keyboard.press("Shift+ArrowLeft");
  await page.keyboard.press("ArrowLeft");
  await page.keyboard.press("Shift+ArrowUp");
  await page.keyboard.press("ArrowUp");
  await plane.waitForUrl((p) => p.get("v") === "0.200" && p.get("e") === "0.900");
  assert.match(await plane.queryText.textContent(), /Valence 0\.200 · Energy 0\.900/);
  const moved = referenceRanking(tracks, 0.2, 0.9, 5);
  assert.deepEqual(await plane.resultIds(), moved.map((t) => t.id));
  assert.notDeepEqual(moved.map((t) => t.id), before, "the move changes the list");

  // On to the results: the first row is the list's one Tab stop, and Enter plays it
  // (Spotify's embed; a stand-in page here, nothing leaves the machine).
  await context.route("https://open.spotify.com/**", (route) =>
    // A frame replaced before its answer makes fulfil reject: not a failure of the page.
    route.fulfill({ contentType: "text/html", body: "<!doctype html><title>Spotify stand-in</title>" }).catch(() => {}),
  );
  const first = tracks.find((t) => t.id === moved[0].id);
  const row = await tabUntil(page, (s) => s.rowTrackId !== null, 20, visited);
  assert.equal(row.tag, "LI");
  assert.equal(row.rowTrackId, first.id);
  await page.keyboard.press("Enter");
  await page.waitForFunction((id) => document.querySelector("#player-frame")?.src.endsWith(id), first.id);

  // Then the row's link, named after its track.
  const link = await tabUntil(page, (s) => s.tag === "A" && s.rowTrackId !== null, 3, visited);
  assert.equal(link.rowTrackId, first.id);
  assert.equal(link.href, `https://open.spotify.com/track/${first.id}`);
  assert.equal(link.text, "Open");

  // Enter on it opens the track on Spotify in a new tab (a stand-in page here), with no
  // handle back to this page, which stays as it was.
  const opened = context.waitForEvent("page");
  await page.keyboard.press("Enter");
  const tab = await opened;
  await tab.waitForLoadState("domcontentloaded");
  assert.equal(tab.url(), `https://open.spotify.com/track/${first.id}`);
  assert.equal(await tab.evaluate(() => window.opener), null);
  await tab.close();
  await page.bringToFront();
  assert.deepEqual(await plane.resultIds(), moved.map((t) => t.id));

  // The link's spoken name says which track it opens (read once focus has moved on: the
  // accessibility tree is asked through a DevTools session of its own).
  assert.equal(await plane.accessibleName("#results > li:first-child a.open"), `Open ${first.name} by ${first.artist} in Spotify`);

  // The options: Enter on their summary closes them and opens them again.
  const summary = await tabUntil(page, (s) => s.tag === "SUMMARY" && s.inOptions, 30, visited);
  assert.match(summary.text, /How matches are chosen/);
  const options = page.locator("#ranking-options");
  const zscore = page.locator("#opt-zscore");
  await page.keyboard.press("Enter");
  assert.equal(await options.evaluate((d) => d.open), false);
  assert.equal(await zscore.isVisible(), false);
  await page.keyboard.press("Enter");
  assert.equal(await options.evaluate((d) => d.open), true);

  // Space on the z-score checkbox re-ranks in standard deviations.
  const box = await tabUntil(page, (s) => s.inOptions && s.tag === "INPUT", 1, visited);
  assert.equal(box.id, "opt-zscore");
  await page.keyboard.press("Space");
  assert.equal(await zscore.isChecked(), true);
  await plane.waitForUrl((p) => p.get("z") === "1");
  const zScored = referenceRanking(tracks, 0.2, 0.9, 5, { zScore: true });
  assert.notDeepEqual(zScored.map((t) => t.id), moved.map((t) => t.id), "z-scores change this list");
  assert.deepEqual(await plane.resultIds(), zScored.map((t) => t.id));

  // Enter on a genre chip keeps only that genre.
  const chip = await tabUntil(page, (s) => s.genre !== null && s.inOptions, 5, visited);
  await page.keyboard.press("Enter");
  await plane.waitForUrl((p) => p.get("gi") === chip.genre);
  assert.equal(await page.locator(`.chip[data-genre="${chip.genre}"]`).getAttribute("data-state"), "include");
  const kept = referenceRanking(tracks, 0.2, 0.9, 5, { zScore: true, includeGenres: [chip.genre] });
  assert.deepEqual(await plane.resultIds(), kept.map((t) => t.id));
  const genres = await plane.results.evaluateAll((rows) => rows.map((r) => r.dataset.genre));
  assert.deepEqual(genres, kept.map(() => chip.genre));

  assert.deepEqual(problems, []);
  await context.close();
});

test("keyboard only: every Tab stop on the page shows a focus ring", async () => {
  const { page, context, problems } = await freshPage("?n=3");
  // Open the Spotify settings too, so their fields are in the Tab order.
  await page.locator("#spotify-settings").evaluate((d) => {
    d.open = true;
  });
  const expected = await page.evaluate(
    () =>
      [...document.querySelectorAll("a[href], button, input, select, summary, [tabindex]")].filter((el) => {
        // The content of a closed <details> is not shown (only its summary is a Tab stop).
        const closed = el.closest("details:not([open])");
        const hidden = closed && !(el.tagName === "SUMMARY" && el.parentElement === closed);
        // A radio group is one Tab stop: its checked button (arrows move within it).
        const otherRadio = el.type === "radio" && !el.checked;
        return !el.disabled && el.tabIndex >= 0 && el.getClientRects().length > 0 && !hidden && !otherRadio;
      }).length,
  );
  const visited = [];
  const last = await tabUntil(page, (s) => s.id === "centroid-select", expected + 1, visited);
  assert.equal(last.id, "centroid-select");
  assert.equal(visited.length, expected, `every focusable element is a Tab stop: ${visited.join(" → ")}`);
  assert.deepEqual(problems, []);
  await context.close();
});
