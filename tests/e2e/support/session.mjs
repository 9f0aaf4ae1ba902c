// One browser and one static server per test file, and a fresh page per test.
import { after, before } from "node:test";
import { join, resolve } from "node:path";

import { launchBrowser, openPage } from "./browser.mjs";
import { PlanePage } from "./plane-page.mjs";
import { serveStatic } from "./static-server.mjs";

export const ROOT = join(import.meta.dirname, "..", "..", "..");
export const DIST = join(ROOT, "dist");

/** The release catalog builder the page's build made (honours CARGO_TARGET_DIR). */
export const CATALOG_BUILDER = join(resolve(ROOT, process.env.CARGO_TARGET_DIR ?? "target"), "release", "catalog-builder");

/** The build pointed at the fake Spotify (see scripts/test.sh). */
export const FAKE_SPOTIFY_DIST = join(ROOT, "dist-spotify-fake");

/**
 * Registers before/after hooks; `overrides` are extra routes for the static server,
 * `dist` the build to serve.
 */
export function useSession(overrides = {}, dist = DIST) {
  const session = { server: null, browser: null };
  // When an earlier `before` hook of the file fails, node:test runs the `after` hooks
  // without waiting for this one, so `after` waits for it: a browser launched after the
  // close would keep the file's process (and the whole run) alive.
  let starting = Promise.resolve();
  before(() => {
    starting = (async () => {
      session.server = await serveStatic(dist, overrides);
      session.browser = await launchBrowser();
    })();
    return starting;
  });
  after(async () => {
    await starting.catch(() => {});
    await session.browser?.close();
    await session.server?.close();
  });
  /** Opens the page at `search` and waits for the first results. */
  session.freshPage = async (search = "", options = {}) => {
    const { page, context, problems } = await openPage(session.browser, options);
    const plane = new PlanePage(page);
    await plane.open(session.server.url, search);
    return { page, context, problems, plane };
  };
  return session;
}
