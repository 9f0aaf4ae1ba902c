// End to end: axe-core audits each main view of the page (start, ranking options in use,
// the analysis, the Spotify panel, a paste error) and finds no serious or critical
// violation; lesser findings are printed as notes. And with reduced motion asked for,
// nothing on the page moves.
import { test } from "node:test";
import assert from "node:assert/strict";

import { audit, BLOCKING, describe } from "./support/axe.mjs";
import { useSession } from "./support/session.mjs";

const { freshPage } = useSession();

/** Audits the whole page: fails on serious or critical findings, notes the rest. */
async function assertNoSeriousViolations(t, page, problems) {
  const violations = await audit(page);
  const blocking = violations.filter((v) => BLOCKING.has(v.impact));
  const others = violations.filter((v) => !BLOCKING.has(v.impact));
  if (others.length) t.diagnostic(`moderate or minor findings:\n${describe(others)}`);
  assert.equal(blocking.length, 0, `serious or critical accessibility violations:\n${describe(blocking)}`);
  // Running axe did not need the page's Content-Security-Policy loosened.
  assert.deepEqual(problems, []);
}

test("axe: the start view", async (t) => {
  const { page, context, problems, plane } = await freshPage();
  assert.equal(await plane.results.count(), 10);
  assert.ok(await page.locator("#plane").isVisible());
  await assertNoSeriousViolations(t, page, problems);
  await context.close();
});

test("axe: the ranking options open and in use (z-scores, kept and left-out genres, a bad artist limit)", async (t) => {
  const { page, context, problems, plane } = await freshPage("?v=0.6&e=0.6");
  assert.equal(await page.locator("#ranking-options").getAttribute("open"), "");
  await page.locator("#opt-zscore").check();
  const chips = page.locator(".chip");
  await chips.nth(0).click();
  await chips.nth(1).click();
  await chips.nth(1).click();
  assert.equal(await chips.nth(0).getAttribute("data-state"), "include");
  assert.equal(await chips.nth(1).getAttribute("data-state"), "exclude");
  await page.locator("#opt-max-artist").fill("0");
  await page.locator("#ranking-options .field-message", { hasText: "not a whole number" }).waitFor();
  await plane.waitForUrl((p) => p.get("z") === "1" && p.has("gi") && p.has("gx"));
  await assertNoSeriousViolations(t, page, problems);
  await context.close();
});

test("axe: the analysis with the guides shown and a genre's centroid chosen", async (t) => {
  const { page, context, problems, plane } = await freshPage();
  await page.locator("#analysis").scrollIntoViewIfNeeded();
  await page.locator("#show-guides").check();
  await page.locator("#centroid-select").selectOption({ index: 1 });
  await plane.waitForUrl((p) => p.get("v") !== "0.500");
  assert.match(await page.locator("#regression-text").textContent(), /energy = .* × valence/);
  assert.ok(await page.locator("#hist-valence").isVisible());
  await assertNoSeriousViolations(t, page, problems);
  await context.close();
});

test("axe: the Spotify panel with its settings open and a lookup that offers the login", async (t) => {
  const { page, context, problems, plane } = await freshPage();
  await page.locator("#spotify-settings summary").click();
  assert.ok(await page.locator("#client-id").isVisible());
  assert.match(await page.locator("#redirect-uri").textContent(), /^http:\/\/127\.0\.0\.1:\d+\/$/);
  await plane.linkInput.fill("https://open.spotify.com/track/1111111111111111111111");
  await page.keyboard.press("Enter");
  await page.locator("#lookup", { hasText: "Log in with Spotify" }).waitFor();
  await assertNoSeriousViolations(t, page, problems);
  await context.close();
});

test("axe: a paste error", async (t) => {
  const { page, context, problems, plane } = await freshPage();
  await plane.linkInput.fill("hello world!");
  await page.keyboard.press("Enter");
  await page.locator("#link-message", { hasText: "not a Spotify track link" }).waitFor();
  assert.equal(await plane.linkInput.inputValue(), "hello world!");
  await assertNoSeriousViolations(t, page, problems);
  await context.close();
});

/** Elements (and ::before/::after) whose styles would move them: animations, transitions,
 *  smooth scrolling; alike ones counted together. */
function movingElements(page) {
  return page.evaluate(() => {
    const seconds = (list) => Math.max(...list.split(",").map((s) => parseFloat(s) * (s.trim().endsWith("ms") ? 0.001 : 1)));
    const found = [];
    for (const el of [document.documentElement, ...document.querySelectorAll("*")]) {
      for (const pseudo of [null, "::before", "::after"]) {
        const cs = getComputedStyle(el, pseudo);
        const animation = cs.animationName !== "none" ? seconds(cs.animationDuration) : 0;
        const transition = seconds(cs.transitionDuration);
        const smooth = cs.scrollBehavior === "smooth";
        if (animation > 0 || transition > 0 || smooth) {
          const name = `${el.tagName.toLowerCase()}${el.id ? `#${el.id}` : ""}${el.className && typeof el.className === "string" ? `.${el.className.trim().replace(/\s+/g, ".")}` : ""}${pseudo ?? ""}`;
          found.push(`${name}: animation ${cs.animationName} ${cs.animationDuration}, transition ${cs.transitionProperty} ${cs.transitionDuration}, scroll-behavior ${cs.scrollBehavior}`);
        }
      }
    }
    const counts = new Map();
    for (const line of found) counts.set(line, (counts.get(line) ?? 0) + 1);
    return [...counts].map(([line, n]) => (n > 1 ? `${line} (${n} elements)` : line));
  });
}

test("with reduced motion asked for, nothing animates, transitions or scrolls smoothly", async (t) => {
  const { page, context, problems } = await freshPage();
  await page.locator("#spotify-settings summary").click();
  await page.locator(".chip").first().click();
  const usual = await movingElements(page);
  t.diagnostic(usual.length ? `moving without the preference:\n${usual.join("\n")}` : "nothing moves even without the preference");
  await page.emulateMedia({ reducedMotion: "reduce" });
  assert.ok(await page.evaluate(() => matchMedia("(prefers-reduced-motion: reduce)").matches));
  assert.deepEqual(await movingElements(page), []);
  assert.deepEqual(problems, []);
  await context.close();
});
