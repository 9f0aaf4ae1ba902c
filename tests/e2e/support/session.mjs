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
  before(async () => {
    session.server = await serveStatic(dist, overrides);
    session.browser = await launchBrowser();
  });
  after(async () => {
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
