// End to end: the plane, the drag and the ranking, driven like a person would in
// headless Chromium against the release build in dist/.
import { test } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";

import { bruteForceNearest, loadTutorialCsv } from "./support/reference-ranking.mjs";
import { ROOT, useSession } from "./support/session.mjs";

const CATALOG_CSV = join(ROOT, "data", "valence_arousal_11k.csv");
const tracks = loadTutorialCsv(CATALOG_CSV);
const { freshPage } = useSession();

function assertSameRanking(actualIds, actualDistances, expected) {
  assert.deepEqual(actualIds, expected.map((t) => t.id));
  actualDistances.forEach((d, i) => assert.ok(Math.abs(d - expected[i].distance) < 1e-12, `distance ${i}`));
}

test("loads with no console errors, draws the plane and lists 10 matches of the centre", async () => {
  const { context, problems, plane } = await freshPage();
  assert.ok((await plane.inkedPixels()) > 20000, "the base canvas shows axes and tracks");
  assert.equal(await plane.results.count(), 10);
  assert.match(await plane.queryText.textContent(), /Valence 0\.500 · Energy 0\.500/);
  const expected = bruteForceNearest(tracks, 0.5, 0.5, 10);
  assertSameRanking(await plane.resultIds(), await plane.resultDistances(), expected);
  assert.ok(await plane.plane.getAttribute("aria-label"));
  // No address of this page leaks to Spotify or anyone else as a Referer.
  assert.equal(await plane.page.evaluate(() => document.head.firstElementChild.outerHTML), '<meta name="referrer" content="no-referrer">');
  assert.deepEqual(problems, []);
  await context.close();
});

test("a shared link with v, e and n reproduces its list exactly", async () => {
  const { context, problems, plane } = await freshPage("?v=0.304&e=0.058&n=5");
  assert.equal(await plane.results.count(), 5);
  assertSameRanking(await plane.resultIds(), await plane.resultDistances(), bruteForceNearest(tracks, 0.304, 0.058, 5));
  assert.equal(await plane.countInput.inputValue(), "5");
  assert.deepEqual(problems, []);
  await context.close();
});

test("dragging the point changes the list while dragging and keeps the URL current", async () => {
  const { page, context, problems, plane } = await freshPage("?v=0.2&e=0.2&n=10");
  const before = await plane.resultIds();
  const start = await plane.pointOf(0.2, 0.2);
  const mid = await plane.pointOf(0.5, 0.5);
  const end = await plane.pointOf(0.85, 0.9);
  await page.mouse.move(start.x, start.y);
  await page.mouse.down();
  await page.mouse.move(mid.x, mid.y, { steps: 8 });
  // Still holding the button: the list already follows the point.
  const during = await plane.resultIds();
  assert.notDeepEqual(during, before);
  await page.mouse.move(end.x, end.y, { steps: 8 });
  await page.mouse.up();
  // URL writes are throttled, so intermediate points may show first: wait for the last.
  const near = (p, v, e) => Math.abs(Number(p.get("v")) - v) < 0.005 && Math.abs(Number(p.get("e")) - e) < 0.005;
  const params = await plane.waitForUrl((p) => near(p, 0.85, 0.9));
  const v = Number(params.get("v"));
  const e = Number(params.get("e"));
  assert.equal(params.get("n"), "10");
  assert.match(await plane.queryText.textContent(), new RegExp(`Valence ${v.toFixed(3)} · Energy ${e.toFixed(3)}`));
  assertSameRanking(await plane.resultIds(), await plane.resultDistances(), bruteForceNearest(tracks, v, e, 10));
  assert.deepEqual(problems, []);
  await context.close();
});

test("a drag keeps one row per rank: rows rewrite their texts, none is added or removed", async () => {
  const { page, context, problems, plane } = await freshPage("?v=0.2&e=0.2&n=10");
  const before = await plane.resultIds();
  // Every row element as the drag starts, and every row added to or removed from the list.
  await page.evaluate(() => {
    window.__rowsAtStart = [...document.querySelectorAll("#results > li")];
    window.__rowChanges = 0;
    new MutationObserver((records) => {
      for (const r of records) window.__rowChanges += r.addedNodes.length + r.removedNodes.length;
    }).observe(document.querySelector("#results"), { childList: true });
  });
  await plane.drag({ valence: 0.2, energy: 0.2 }, { valence: 0.8, energy: 0.85 }, 10);
  const params = await plane.waitForUrl((p) => Math.abs(Number(p.get("v")) - 0.8) < 0.005);
  const [v, e] = [Number(params.get("v")), Number(params.get("e"))];
  const expected = bruteForceNearest(tracks, v, e, 10);
  assertSameRanking(await plane.resultIds(), await plane.resultDistances(), expected);
  assert.ok(expected.every((t) => !before.includes(t.id)), "the drag changed every track listed");
  assert.equal(await page.evaluate(() => window.__rowChanges), 0, "rows added or removed during the drag");
  assert.ok(await page.evaluate(() => [...document.querySelectorAll("#results > li")].every((li, i) => li === window.__rowsAtStart[i])));
  // Each kept row says all of its new track: name, link, spoken name, add button.
  const first = plane.results.first();
  const track = tracks.find((t) => t.id === expected[0].id);
  assert.equal(await first.locator(".name").textContent(), track.name || "(untitled)");
  assert.equal(await first.locator("a.open").getAttribute("href"), `https://open.spotify.com/track/${track.id}`);
  const shownName = track.name || "(untitled)";
  assert.equal(await plane.accessibleName("#results > li:first-child .add-to-crate"), `Add ${shownName} to the crate`);
  assert.equal(await plane.accessibleName("#results > li:first-child a.open"), `Open ${shownName} by ${track.artist} in Spotify`);
  // A shorter list drops rows from the end only; a longer one adds them there.
  await plane.countInput.fill("4");
  await page.waitForFunction(() => document.querySelectorAll("#results > li").length === 4);
  assert.ok(await page.evaluate(() => [...document.querySelectorAll("#results > li")].every((li, i) => li === window.__rowsAtStart[i])));
  assert.deepEqual(await plane.resultIds(), expected.slice(0, 4).map((t) => t.id));
  assert.deepEqual(problems, []);
  await context.close();
});

test("a click places the point where it lands", async () => {
  const { page, context, plane } = await freshPage();
  const target = await plane.pointOf(0.1, 0.75);
  await page.mouse.click(target.x, target.y);
  const params = await plane.waitForUrl((p) => p.get("v") !== "0.500");
  assert.ok(Math.abs(Number(params.get("v")) - 0.1) < 0.005);
  assert.ok(Math.abs(Number(params.get("e")) - 0.75) < 0.005);
  await context.close();
});

test("a drag that scrolls the page on its way still puts the point under the pointer (the plane's place is measured once a press, and again after a scroll)", async () => {
  const { page, context, plane } = await freshPage("?v=0.5&e=0.5");
  const start = await plane.pointOf(0.3, 0.3);
  await page.mouse.move(start.x, start.y);
  await page.mouse.down();
  // The wheel scrolls the page mid-drag: the plane moves up the screen by as much.
  const before = await page.evaluate(() => scrollY);
  await page.mouse.wheel(0, 150);
  await page.waitForFunction((y) => scrollY > y, before);
  const target = await plane.plane.evaluate((canvas, [v, e]) => {
    const box = canvas.getBoundingClientRect();
    const scale = box.width / 640;
    return { x: box.x + (64 + v * 560) * scale, y: box.y + (16 + (1 - e) * 560) * scale };
  }, [0.7, 0.6]);
  await page.mouse.move(target.x, target.y, { steps: 4 });
  await page.mouse.up();
  const params = await plane.waitForUrl((p) => Math.abs(Number(p.get("v")) - 0.7) < 0.005);
  assert.ok(Math.abs(Number(params.get("e")) - 0.6) < 0.005, `energy ${params.get("e")}`);
  await context.close();
});

test("arrow keys move the point when the plane has focus", async () => {
  const { page, context, plane } = await freshPage("?v=0.5&e=0.5");
  await plane.plane.focus();
  for (let i = 0; i < 3; i++) await page.keyboard.press("ArrowRight");
  await page.keyboard.press("ArrowDown");
  await page.keyboard.press("Shift+ArrowUp");
  await plane.waitForUrl((p) => p.get("v") === "0.530" && p.get("e") === "0.590");
  assert.match(await plane.queryText.textContent(), /Valence 0\.530 · Energy 0\.590/);
  assertSameRanking(await plane.resultIds(), await plane.resultDistances(), bruteForceNearest(tracks, 0.53, 0.59, 10));
  await context.close();
});

test("touch drag moves the point on a phone", async () => {
  const { page, context, plane } = await freshPage("?v=0.5&e=0.5", {
    viewport: { width: 390, height: 844 },
    hasTouch: true,
    isMobile: true,
  });
  await plane.plane.scrollIntoViewIfNeeded();
  const a = await plane.pointOf(0.5, 0.5);
  const b = await plane.pointOf(0.2, 0.8);
  const cdp = await context.newCDPSession(page);
  const touch = (type, p) =>
    cdp.send("Input.dispatchTouchEvent", { type, touchPoints: p ? [{ x: p.x, y: p.y }] : [] });
  await touch("touchStart", a);
  for (let i = 1; i <= 10; i++) {
    await touch("touchMove", { x: a.x + ((b.x - a.x) * i) / 10, y: a.y + ((b.y - a.y) * i) / 10 });
  }
  await touch("touchEnd");
  // Throttled URL writes may show intermediate points first: wait for the last one.
  await plane.waitForUrl((p) => Math.abs(Number(p.get("v")) - 0.2) < 0.01 && Math.abs(Number(p.get("e")) - 0.8) < 0.01);
  await context.close();
});

test("pasting a catalog track's link moves there and leaves the track out of its results", async () => {
  const { page, context, problems, plane } = await freshPage();
  const track = tracks.find((t) => t.id === "6Zewjs7at1sPyc03lUoAHB");
  await plane.linkInput.fill(`https://open.spotify.com/intl-de/track/${track.id}?si=abc123`);
  await page.keyboard.press("Enter");
  await page.locator("#query-track").waitFor();
  assert.match(await page.locator("#query-track").textContent(), new RegExp(track.name));
  const ids = await plane.resultIds();
  assert.ok(!ids.includes(track.id), "the query track is not its own match");
  assertSameRanking(ids, await plane.resultDistances(), bruteForceNearest(tracks, track.valence, track.energy, 10, track.id));
  const params = await plane.waitForUrl((p) => p.has("track"));
  assert.equal(params.get("track"), track.id);
  assert.equal(await plane.linkMessage.textContent(), "");
  assert.deepEqual(problems, []);
  await context.close();
});

test("a track link inside pasted text, quotes or embed code is found", async () => {
  const { page, context, problems, plane } = await freshPage();
  const id = "0KpfYajJVVGgQ32Dby7e9i";
  const forms = [
    `Listen: https://open.spotify.com/track/${id}?si=x so good`,
    `<iframe src="https://open.spotify.com/embed/track/${id}?utm_source=generator" width="100%"></iframe>`,
    `\u200b"https://open.spotify.com/TRACK/${id}"`,
    `spotify: track:${id}`,
    `https://open.spotify.com/album/4aawyAB9vmqN3uQ7FjRGTy?highlight=spotify:track:${id}`,
  ];
  for (const text of forms) {
    await plane.linkInput.fill(text);
    await page.keyboard.press("Enter");
    await page.locator("#query-track", { hasText: "Hey, Soul Sister" }).waitFor();
    assert.equal(await plane.linkMessage.textContent(), "", text);
    await plane.drag({ valence: 0.5, energy: 0.5 }, { valence: 0.2, energy: 0.2 });
    await page.locator("#query-track").waitFor({ state: "detached" });
  }
  assert.deepEqual(problems, []);
  await context.close();
});

test("a shared link with a huge list of bad items loads with a short summary", async () => {
  const { page, context, plane } = await freshPage(`?v=0.3&w=${"x:1,".repeat(3000)}`);
  const items = page.locator("#notices li");
  assert.equal(await items.count(), 8);
  assert.match(await items.last().textContent(), /and \d+ more problems/);
  assert.match(await page.locator("#notices").textContent(), /3,000 items/);
  assert.equal(await plane.results.count(), 10);
  await context.close();
});

test("a shared ?track= link restores the query track", async () => {
  const { page, context, plane } = await freshPage("?track=0KpfYajJVVGgQ32Dby7e9i&n=3");
  assert.match(await page.locator("#query-track").textContent(), /Hey, Soul Sister/);
  const ids = await plane.resultIds();
  assert.equal(ids.length, 3);
  assert.ok(!ids.includes("0KpfYajJVVGgQ32Dby7e9i"));
  await context.close();
});

test("bad input gets a specific message and the typed text stays", async () => {
  const { page, context, problems, plane } = await freshPage();
  const before = await plane.resultIds();
  const cases = [
    ["not a link at all!", /not a Spotify track link/],
    ["https://open.spotify.com/album/4aawyAB9vmqN3uQ7FjRGTy", /Spotify album, not a track/],
    ["https://spotify.link/abc123", /Short links/],
    ["https://open.spotify.com/track/0KpfYajJVVGgQ32Dby7", /22 letters and digits; this one has 19/],
    ["https://www.youtube.com/watch?v=dQw4w9WgXcQ", /“www\.youtube\.com” is not a Spotify address/],
  ];
  for (const [text, message] of cases) {
    await plane.linkInput.fill(text);
    await page.getByRole("button", { name: "Find matches" }).click();
    await page.locator("#link-message", { hasText: message }).waitFor();
    assert.equal(await plane.linkInput.inputValue(), text, "the typed text is kept");
    assert.deepEqual(await plane.resultIds(), before, "the list is unchanged");
  }
  // A valid track outside the catalog is no error: the page asks before sending its id
  // anywhere, and offers the login.
  const sent = [];
  page.on("request", (r) => {
    if (!r.url().startsWith(plane.origin)) sent.push(r.url());
  });
  const outside = "https://open.spotify.com/track/1111111111111111111111";
  await plane.linkInput.fill(outside);
  await page.keyboard.press("Enter");
  await page.locator("#lookup", { hasText: "is not in this catalog. ReccoBeats, a free third-party service" }).waitFor();
  assert.ok(await page.locator("#lookup-login").isVisible());
  assert.deepEqual(sent, [], "nothing leaves the page without consent");
  assert.equal(await plane.linkMessage.textContent(), "");
  assert.equal(await plane.linkInput.inputValue(), outside);
  assert.deepEqual(await plane.resultIds(), before);
  assert.deepEqual(problems, []);
  await context.close();
});

test("the match count follows the field, and a bad count explains itself", async () => {
  const { context, plane } = await freshPage();
  await plane.countInput.fill("3");
  await plane.waitForUrl((p) => p.get("n") === "3");
  assert.equal(await plane.results.count(), 3);
  await plane.countInput.fill("99");
  assert.match(await plane.page.locator("#count-message").textContent(), /not a whole number from 1 to 50/);
  assert.equal(await plane.results.count(), 3);
  assert.equal(await plane.countInput.inputValue(), "99");
  await context.close();
});

test("invalid link parameters show a notice and fall back to defaults", async () => {
  const { page, context, plane } = await freshPage("?v=banana&e=2&n=500");
  const notices = await page.locator("#notices").textContent();
  assert.match(notices, /v=“banana”/);
  assert.match(notices, /e=“2”/);
  assert.match(notices, /n=“500”/);
  assert.equal(await plane.results.count(), 10);
  assert.match(await plane.queryText.textContent(), /Valence 0\.500 · Energy 0\.500/);
  await context.close();
});
