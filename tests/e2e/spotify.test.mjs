// End to end: the Spotify login (PKCE) and lookups of pasted tracks outside the catalog,
// against a fake Spotify on 127.0.0.1 that checks PKCE for real, with every failure mode.
// Runs against dist-spotify-fake/, a release build whose service addresses point at it.
import { after, before, beforeEach, test } from "node:test";
import assert from "node:assert/strict";

import { FAKE_SPOTIFY_BASE, FAKE_TRACKS, FakeSpotify, OTHER_CLIENT_ID } from "./support/fake-spotify.mjs";
import { FAKE_SPOTIFY_DIST, useSession } from "./support/session.mjs";

const fake = new FakeSpotify();
before(() => fake.start());
after(() => fake.stop());
beforeEach(() => fake.reset());

const session = useSession({}, FAKE_SPOTIFY_DIST);
/** A fresh page whose person chose never to ask ReccoBeats: these tests are about Spotify. */
async function freshPage(search = "", options = {}) {
  const opened = await session.freshPage(search, options);
  await opened.page.evaluate(() => localStorage.setItem("moodplane.reccobeats.consent", "never"));
  return opened;
}
const RICK = "4uLU6hMCjMI75M1A2tKUQC";
const KILLERS = "3n3Ppam7vgaVa1iaRUc9Lp";
const link = (id) => `https://open.spotify.com/track/${id}`;

const cspViolations = (problems) => problems.filter((p) => p.includes("CSP violation") || p.includes("Content Security Policy"));

async function logIn(page) {
  await page.locator("#spotify-login").click();
  await page.locator("#spotify-status", { hasText: "Logged in to Spotify as Test Listener" }).waitFor();
}

async function paste(plane, page, text) {
  await plane.linkInput.fill(text);
  await page.keyboard.press("Enter");
}

/** The page's own origin (the tests' static server). */
async function appOrigin(page) {
  return page.evaluate(() => location.origin);
}

async function storageDump(page) {
  return page.evaluate(() => ({
    local: Object.fromEntries(Object.entries(localStorage)),
    session: Object.fromEntries(Object.entries(sessionStorage)),
  }));
}

test("full login: tokens only in sessionStorage, callback cleaned, view kept", async () => {
  const { page, context, problems, plane } = await freshPage("?v=0.300&e=0.400&n=5");
  await logIn(page);
  assert.equal(fake.count("grant:authorization_code"), 1);
  const url = new URL(page.url());
  assert.ok(!url.searchParams.has("code") && !url.searchParams.has("state"), page.url());
  assert.equal(url.searchParams.get("v"), "0.300");
  assert.equal(url.searchParams.get("n"), "5");
  const stored = await storageDump(page);
  const tokens = [...fake.accessTokens, ...fake.refreshTokens.keys()];
  assert.ok(tokens.length >= 2);
  for (const t of tokens) {
    assert.ok(!JSON.stringify(stored.local).includes(t), "no token in localStorage");
    assert.ok(!page.url().includes(t), "no token in the URL");
  }
  assert.ok(Object.values(stored.session).some((v) => fake.accessTokens.has(v)), "access token in sessionStorage");
  assert.ok(!Object.keys(stored.session).some((k) => k.includes("verifier") || k.includes("state")), "PKCE secrets removed after use");
  assert.equal(await plane.results.count(), 5);
  assert.deepEqual(cspViolations(problems), []);
  await context.close();
});

test("a tampered state is rejected and the page stays usable", async () => {
  fake.authorizeMode = "tamper-state";
  const { page, context, plane } = await freshPage();
  await page.locator("#spotify-login").click();
  await page.locator("#spotify-message", { hasText: "did not match the login this page started" }).waitFor();
  assert.match(await page.locator("#spotify-status").textContent(), /Not logged in/);
  assert.equal(fake.count("POST /api/token"), 0, "no exchange is even attempted");
  assert.equal(await plane.results.count(), 10);
  await context.close();
});

test("a replayed authorization code is refused by the token endpoint and explained", async () => {
  const { page, context } = await freshPage();
  await logIn(page);
  await page.locator("#spotify-logout").click();
  fake.authorizeMode = "replay-code";
  await page.locator("#spotify-login").click();
  await page.locator("#spotify-message", { hasText: "refused to finish the login" }).waitFor();
  assert.match(await page.locator("#spotify-message").textContent(), /invalid_grant/);
  assert.match(await page.locator("#spotify-status").textContent(), /Not logged in/);
  await context.close();
});

test("denied consent is explained and nothing else changes", async () => {
  fake.authorizeMode = "deny";
  const { page, context, problems, plane } = await freshPage("?v=0.7&e=0.2");
  await page.locator("#spotify-login").click();
  await page.locator("#spotify-message", { hasText: "You declined the Spotify login" }).waitFor();
  assert.equal(new URL(page.url()).searchParams.get("v"), "0.700");
  assert.ok(!page.url().includes("error="));
  assert.equal(await plane.results.count(), 10);
  assert.deepEqual(cspViolations(problems), []);
  await context.close();
});

test("a paste while logged out offers the login, keeps the text, and carries on after it", async () => {
  const { page, context, problems, plane } = await freshPage();
  await paste(plane, page, link(RICK));
  await page.locator("#lookup", { hasText: "Log in with Spotify to fetch its mood" }).waitFor();
  assert.equal(await plane.linkInput.inputValue(), link(RICK));
  await page.locator("#lookup-login").click();
  await page.locator("#external-track", { hasText: "Never Gonna Give You Up" }).waitFor();
  assert.equal(await plane.linkInput.inputValue(), link(RICK), "the pasted text is back in the box");
  const params = await plane.waitForUrl((p) => p.get("v") === "0.918");
  assert.equal(params.get("e"), "0.939");
  assert.match(await page.locator("#lookup").textContent(), /Popularity 80/);
  assert.deepEqual(cspViolations(problems), []);
  await context.close();
});

test("a paste survives a declined login: the text is back and the login is offered again", async () => {
  fake.authorizeMode = "deny";
  const { page, context, plane } = await freshPage();
  await paste(plane, page, link(RICK));
  await page.locator("#lookup-login").click();
  await page.locator("#spotify-message", { hasText: "You declined the Spotify login" }).waitFor();
  await page.locator("#lookup", { hasText: "Log in with Spotify to fetch its mood" }).waitFor();
  assert.equal(await plane.linkInput.inputValue(), link(RICK));
  await context.close();
});

test("each id is fetched once per session", async () => {
  const { page, context, plane } = await freshPage();
  await logIn(page);
  for (let i = 0; i < 2; i++) {
    await paste(plane, page, link(RICK));
    await page.locator("#external-track", { hasText: "Never Gonna Give You Up" }).waitFor();
    await paste(plane, page, "https://open.spotify.com/track/0KpfYajJVVGgQ32Dby7e9i");
    await page.locator("#query-track").waitFor();
  }
  assert.equal(fake.count(`GET /v1/tracks/${RICK}`), 1);
  assert.equal(fake.count(`GET /v1/audio-features/${RICK}`), 1);
  await context.close();
});

test("403 on audio features: the track is shown and the person places it by hand", async () => {
  const { page, context, plane } = await freshPage();
  await logIn(page);
  fake.answers.features = 403;
  await paste(plane, page, link(KILLERS));
  await page.locator("#external-track", { hasText: "Mr. Brightside" }).waitFor();
  const message = await page.locator("#lookup-message").textContent();
  assert.match(message, /since November 2024/);
  assert.match(message, /drag the point/);
  // No popularity in the answer is normal, not an error.
  assert.match(await page.locator("#lookup").textContent(), /Popularity not given/);
  await plane.drag({ valence: 0.5, energy: 0.5 }, { valence: 0.25, energy: 0.9 });
  await plane.waitForUrl((p) => Number(p.get("v")) < 0.3);
  await context.close();
});

test("403 on every call: the account is not on the app's allow-list", async () => {
  const { page, context, plane } = await freshPage();
  await logIn(page);
  fake.answers.track = 403;
  await paste(plane, page, link(RICK));
  await page.locator("#lookup-message", { hasText: "serves only the (at most five) accounts" }).waitFor();
  await context.close();
});

test("an account not on the app's allow-list is told so right after logging in", async () => {
  fake.answers.me = 403;
  const { page, context, plane } = await freshPage();
  await page.locator("#spotify-login").click();
  await page.locator("#spotify-message", { hasText: "serves only the (at most five) accounts" }).waitFor();
  assert.equal(await plane.results.count(), 10);
  await context.close();
});

test("404: Spotify has no such track", async () => {
  const { page, context, plane } = await freshPage();
  await logIn(page);
  await paste(plane, page, link("1111111111111111111111"));
  await page.locator("#lookup-message", { hasText: "Spotify has no track with that id" }).waitFor();
  assert.equal(await plane.linkInput.inputValue(), link("1111111111111111111111"));
  await context.close();
});

test("401: the page refreshes once with the single-use refresh token and carries on", async () => {
  const { page, context, plane } = await freshPage();
  await logIn(page);
  const firstRefresh = [...fake.refreshTokens.keys()][0];
  fake.expireAccessTokens();
  await paste(plane, page, link(RICK));
  await page.locator("#external-track", { hasText: "Never Gonna Give You Up" }).waitFor();
  assert.equal(fake.count("grant:refresh_token"), 1);
  const stored = await storageDump(page);
  assert.ok(!Object.values(stored.session).includes(firstRefresh), "the spent refresh token was replaced");
  assert.ok(Object.values(stored.session).some((v) => fake.refreshTokens.has(v)), "the new refresh token is stored");
  await context.close();
});

test("401 with a refused refresh: the session ends and the page asks to log in again", async () => {
  const { page, context, plane } = await freshPage();
  await logIn(page);
  fake.expireAccessTokens();
  fake.revokeRefreshTokens();
  await paste(plane, page, link(RICK));
  await page.locator("#lookup-message", { hasText: "Log in again" }).waitFor();
  assert.ok(await page.locator("#lookup-login").isVisible());
  await page.locator("#spotify-status", { hasText: "Not logged in" }).waitFor();
  const stored = await storageDump(page);
  assert.ok(!Object.keys(stored.session).some((k) => k.includes("token")), "tokens cleared");
  await context.close();
});

test("429: a visible countdown honours Retry-After, then the lookup carries on", async () => {
  const { page, context, plane } = await freshPage();
  await logIn(page);
  fake.answers.features = "429";
  fake.retryAfter = 2;
  fake.exposeRetryAfter = true;
  await paste(plane, page, link(RICK));
  const countdown = page.locator("#retry-countdown");
  await countdown.waitFor();
  // Retry-After: 2, read at once (a slow machine may already show 1).
  const shown = Number(await countdown.textContent());
  assert.ok(shown >= 1 && shown <= 2, `countdown ${shown}`);
  fake.answers.features = "ok";
  await page.locator("#external-track", { hasText: "Never Gonna Give You Up" }).waitFor({ timeout: 6000 });
  await plane.waitForUrl((p) => p.get("v") === "0.918");
  await context.close();
});

test("429 without a readable Retry-After waits the default, and the wait can be cancelled", async () => {
  const { page, context, plane } = await freshPage();
  await logIn(page);
  fake.answers.track = "429";
  fake.retryAfter = 30;
  await paste(plane, page, link(RICK));
  const countdown = page.locator("#retry-countdown");
  await countdown.waitFor();
  // Retry-After (30) is not exposed to the page, so it waits the default 5 s.
  const shown = Number(await countdown.textContent());
  assert.ok(shown >= 4 && shown <= 5, `countdown ${shown}`);
  await page.locator("#cancel-wait").click();
  await page.locator("#lookup-message", { hasText: "cancelled" }).waitFor();
  fake.answers.track = "ok";
  await page.locator("#lookup-retry").click();
  await page.locator("#external-track", { hasText: "Never Gonna Give You Up" }).waitFor();
  await context.close();
});

test("429 QUOTA_EXCEEDED gets its own message and no countdown", async () => {
  const { page, context, plane } = await freshPage();
  await logIn(page);
  fake.answers.track = "quota";
  fake.exposeRetryAfter = true;
  await paste(plane, page, link(RICK));
  await page.locator("#lookup-message", { hasText: "daily request quota" }).waitFor();
  assert.equal(await page.locator("#retry-countdown").count(), 0);
  await context.close();
});

test("network failure: a message and a retry button that works", async () => {
  const { page, context, plane } = await freshPage();
  await logIn(page);
  fake.answers.track = "drop";
  await paste(plane, page, link(RICK));
  await page.locator("#lookup-message", { hasText: "Could not reach Spotify" }).waitFor();
  fake.answers.track = "ok";
  await page.locator("#lookup-retry").click();
  await page.locator("#external-track", { hasText: "Never Gonna Give You Up" }).waitFor();
  await context.close();
});

test("a 429 that arrives without CORS headers reads as a network failure with a retry", async () => {
  const { page, context, plane } = await freshPage();
  await logIn(page);
  fake.answers.features = "no-cors-429";
  await paste(plane, page, link(RICK));
  await page.locator("#lookup-message", { hasText: "Could not reach Spotify" }).waitFor();
  fake.answers.features = "ok";
  await page.locator("#lookup-retry").click();
  await page.locator("#external-track", { hasText: "Never Gonna Give You Up" }).waitFor();
  await context.close();
});

test("logout clears every token and secret", async () => {
  const { page, context } = await freshPage();
  await logIn(page);
  await page.locator("#spotify-logout").click();
  await page.locator("#spotify-status", { hasText: "Not logged in" }).waitFor();
  const stored = await storageDump(page);
  assert.deepEqual(Object.keys(stored.session).filter((k) => k.startsWith("moodplane.")), []);
  await context.close();
});

test("the settings show the redirect URI to register and keep a valid client ID locally", async () => {
  const { page, context } = await freshPage();
  await page.locator("#spotify-settings summary").click();
  const uri = await page.locator("#redirect-uri").textContent();
  assert.match(uri, /^http:\/\/127\.0\.0\.1:\d+\/$/);
  // A malformed client ID is refused with a reason, and stays in the box to be fixed.
  await page.locator("#client-id").fill("my-own-client");
  await page.locator("#save-client-id").click();
  await page.locator("#client-id-note", { hasText: "32 characters" }).waitFor();
  assert.equal(await page.locator("#client-id").inputValue(), "my-own-client");
  assert.equal((await storageDump(page)).local["moodplane.spotify.client_id"], undefined);
  await page.locator("#client-id").fill(` ${OTHER_CLIENT_ID} `);
  await page.locator("#save-client-id").click();
  await page.locator("#client-id-note", { hasText: "Saved" }).waitFor();
  assert.equal((await storageDump(page)).local["moodplane.spotify.client_id"], OTHER_CLIENT_ID);
  // The login now asks for that client ID (which this fake does not know, so it refuses).
  await page.locator("#spotify-login").click();
  await page.waitForURL(/\/authorize\?/);
  assert.equal(new URL(page.url()).searchParams.get("client_id"), OTHER_CLIENT_ID);
  assert.match(await page.locator("body").textContent(), /INVALID_REQUEST: client_id/);
  await context.close();
});

test("two requests that both get 401 share one refresh, and the session survives", async () => {
  const { page, context, plane } = await freshPage();
  await logIn(page);
  fake.expireAccessTokens();
  fake.tokenDelayMs = 500;
  // Two pastes in quick succession: both lookups meet the 401 while one refresh is out.
  await paste(plane, page, link(RICK));
  await paste(plane, page, link(KILLERS));
  await page.locator("#external-track", { hasText: "Mr. Brightside" }).waitFor();
  assert.ok(fake.count("401") >= 2, `401s seen: ${fake.count("401")}`);
  assert.equal(fake.count("POST /api/token") - 1, 1, "exactly one refresh request after the login");
  assert.equal(fake.count("refused:"), 0, fake.log.join("\n"));
  await page.locator("#spotify-status", { hasText: "Logged in to Spotify" }).waitFor();
  const stored = await storageDump(page);
  assert.ok(Object.values(stored.session).some((v) => fake.refreshTokens.has(v)), "the new refresh token is stored");
  await context.close();
});

test("a token about to expire is refreshed before the request, not after a 401", async () => {
  fake.expiresIn = 30; // under the page's one-minute margin
  const { page, context, plane } = await freshPage();
  await logIn(page);
  const before401 = fake.count("401");
  await paste(plane, page, link(RICK));
  await page.locator("#external-track", { hasText: "Never Gonna Give You Up" }).waitFor();
  assert.ok(fake.count("grant:refresh_token") >= 1, "refreshed early");
  assert.equal(fake.count("401"), before401, "no request went out with a lapsing token");
  await context.close();
});

test("a wrong code_verifier is refused by the token endpoint and explained", async () => {
  fake.authorizeMode = "wrong-challenge";
  const { page, context } = await freshPage();
  await page.locator("#spotify-login").click();
  await page.locator("#spotify-message", { hasText: "refused to finish the login" }).waitFor();
  assert.equal(fake.count("refused:code_verifier was incorrect"), 1);
  assert.match(await page.locator("#spotify-status").textContent(), /Not logged in/);
  await context.close();
});

test("a login keeps its client ID when another tab saves a different one mid-flow", async () => {
  fake.authorizeMode = "consent-page";
  const { page, context } = await freshPage();
  const origin = await appOrigin(page);
  await page.locator("#spotify-login").click();
  await page.locator("#agree").waitFor();
  // Meanwhile, in another tab of this site, someone saves another client ID.
  const other = await context.newPage();
  await other.goto(`${origin}/`);
  await other.evaluate((id) => localStorage.setItem("moodplane.spotify.client_id", id), OTHER_CLIENT_ID);
  await page.locator("#agree").click();
  await page.locator("#spotify-status", { hasText: "Logged in to Spotify as Test Listener" }).waitFor();
  assert.equal(fake.count("refused:"), 0, fake.log.join("\n"));
  await context.close();
});

test("a login reply opened in a fresh tab is refused there without an exchange", async () => {
  fake.authorizeMode = "consent-page";
  const { page, context } = await freshPage();
  await page.locator("#spotify-login").click();
  await page.locator("#agree").waitFor();
  const fresh = await context.newPage();
  await fresh.goto(fake.consentUrl);
  await fresh.locator("#spotify-message", { hasText: "this tab did not start a login" }).waitFor();
  assert.match(await fresh.locator("#spotify-status").textContent(), /Not logged in/);
  assert.equal(fake.count("POST /api/token"), 0);
  assert.ok(!fresh.url().includes("code="), "the reply is cleaned from the URL");
  await context.close();
});

test("a reply with a code and no state is refused without an exchange", async () => {
  const { page, context, plane } = await freshPage("?code=abc123&v=0.2");
  await page.locator("#spotify-message", { hasText: "did not start a login" }).waitFor();
  assert.equal(fake.count("POST /api/token"), 0);
  assert.equal(new URL(page.url()).searchParams.get("code"), null);
  assert.equal(await plane.results.count(), 10);
  await context.close();
});

test("a crafted error reply shows no text of its own", async () => {
  const { page, context } = await freshPage("?error=Your+account+is+locked,+call+0800+123&state=forged");
  await page.locator("#spotify-message", { hasText: "did not start a login" }).waitFor();
  assert.doesNotMatch(await page.locator("body").textContent(), /locked|0800/);
  await context.close();
});

test("Back to the consent page after logging in replays nothing and keeps the session", async () => {
  fake.authorizeMode = "consent-page";
  const { page, context } = await freshPage();
  await page.locator("#spotify-login").click();
  await page.locator("#agree").click();
  await page.locator("#spotify-status", { hasText: "Logged in to Spotify as Test Listener" }).waitFor();
  await page.goBack();
  await page.locator("#agree").click(); // Spotify would send a new code with the old state
  await page.locator("#spotify-status", { hasText: "Logged in to Spotify as Test Listener" }).waitFor();
  assert.equal(fake.count("POST /api/token"), 1, "the replayed reply is not exchanged");
  assert.ok(await page.locator("#spotify-logout").isVisible());
  assert.equal(await page.locator("#spotify-message").textContent(), "");
  await context.close();
});

test("the status stays true to the stored session after a crafted reply and a failed refresh", async () => {
  const { page, context, plane } = await freshPage();
  await logIn(page);
  const origin = await appOrigin(page);
  await page.goto(`${origin}/?code=x&state=y`);
  await page.locator("#spotify-status", { hasText: "Logged in to Spotify" }).waitFor();
  assert.ok(await page.locator("#spotify-logout").isVisible(), "Log out stays");
  // A network failure during the refresh does not end the session either.
  fake.expireAccessTokens();
  fake.tokenMode = "drop";
  await paste(plane, page, link(RICK));
  await page.locator("#lookup-message", { hasText: "Could not reach Spotify" }).waitFor();
  assert.match(await page.locator("#spotify-status").textContent(), /Logged in to Spotify/);
  assert.ok(await page.locator("#spotify-logout").isVisible());
  fake.tokenMode = "ok";
  await page.locator("#lookup-retry").click();
  await page.locator("#external-track", { hasText: "Never Gonna Give You Up" }).waitFor();
  await context.close();
});

test("a new login replaces every token key: nothing of an older session survives", async () => {
  fake.omitRefreshToken = true;
  const { page, context } = await freshPage();
  await page.evaluate(() => sessionStorage.setItem("moodplane.spotify.refresh_token", "stale-from-an-old-session"));
  await logIn(page);
  const stored = await storageDump(page);
  assert.equal(stored.session["moodplane.spotify.refresh_token"], undefined);
  assert.ok(fake.accessTokens.has(stored.session["moodplane.spotify.access_token"]));
  await context.close();
});

test("the fake's tracks are not in the catalog (precondition of these tests)", async () => {
  const { page, context, plane } = await freshPage();
  for (const id of Object.keys(FAKE_TRACKS)) {
    await paste(plane, page, link(id));
    await page.locator("#lookup", { hasText: `Track ${id} is not in this catalog` }).waitFor();
  }
  await context.close();
});
