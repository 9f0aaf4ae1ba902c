// A fake Spotify (accounts service and Web API on one 127.0.0.1 port) for end-to-end
// tests: a test double for the network, not for the page's code. It really checks PKCE
// (SHA-256 of code_verifier against the stored S256 challenge), issues single-use codes
// and single-use refresh tokens, checks client_id and redirect_uri, and answers the API
// with switchable failures, with CORS headers as Spotify sends them.
import { createHash, randomBytes } from "node:crypto";
import { createServer } from "node:http";

// Fixed (the fake build bakes it in), and below Linux's ephemeral range 32768–60999: a
// port inside it can be held by any client socket of the run (it happened in CI).
export const FAKE_SPOTIFY_PORT = 28811;
export const FAKE_SPOTIFY_BASE = `http://127.0.0.1:${FAKE_SPOTIFY_PORT}`;
/** A client ID of the shape Spotify's dashboard shows (32 lowercase hex). */
export const FAKE_CLIENT_ID = "0e2e0e2e0e2e4a1b9c8d7f6e5d4c3b2a";
/** Another well-formed client ID, of an app this fake does not know. */
export const OTHER_CLIENT_ID = "ffffeeeeddddccccbbbbaaaa99998888";

const token = () => randomBytes(18).toString("base64url");
const base64url = (buf) => buf.toString("base64url");
const PIXEL = "data:image/svg+xml;base64," + Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" width="64" height="64"><rect width="64" height="64" fill="#1db954"/></svg>').toString("base64");

/** Tracks this fake knows, none of them in the embedded catalog. */
export const FAKE_TRACKS = {
  "4uLU6hMCjMI75M1A2tKUQC": { name: "Never Gonna Give You Up", artists: ["Rick Astley"], popularity: 80, valence: 0.918, energy: 0.939, danceability: 0.727 },
  "3n3Ppam7vgaVa1iaRUc9Lp": { name: "Mr. Brightside", artists: ["The Killers"], popularity: null, valence: 0.232, energy: 0.918, danceability: 0.352 },
  "7qiZfU4dY1lWllzX7mPBI3": { name: "Shape of You", artists: ["Ed Sheeran"], popularity: 88, valence: 0.931, energy: 0.652, danceability: 0.825 },
};

export class FakeSpotify {
  constructor() {
    this.reset();
  }

  /** Back to a well-behaved Spotify with no sessions. */
  reset() {
    // consent | consent-page | deny | tamper-state | replay-code | wrong-challenge
    this.authorizeMode = "consent";
    this.tokenDelayMs = 0;
    this.tokenMode = "ok"; // ok | drop
    this.expiresIn = 3600;
    this.omitRefreshToken = false; // answer a login with no refresh token
    this.grantScope = null; // null: grant the scope asked for; a string: grant only that
    this.tokenScopes = new Map(); // access token → granted scope
    this.playlists = new Map(); // id → { name, public, description, uris }
    this.addRequests = []; // sizes of the add-items requests, in order
    this.failAdd = null; // { request: N, status } fails the N-th add-items request (1-based)
    this.lastAuthorizeScope = null;
    this.answers = { me: "ok", track: "ok", features: "ok" }; // ok | 401 | 403 | 404 | 429 | quota | 500 | drop | no-cors-429
    this.retryAfter = 2;
    this.exposeRetryAfter = false;
    this.codes = new Map();
    this.accessTokens = new Set();
    this.refreshTokens = new Map(); // refresh token → client ID it was issued to
    this.usedCodes = [];
    this.log = [];
  }

  count(pathPrefix) {
    return this.log.filter((l) => l.startsWith(pathPrefix)).length;
  }

  expireAccessTokens() {
    this.accessTokens.clear();
  }

  revokeRefreshTokens() {
    this.refreshTokens.clear();
  }

  async start() {
    this.server = createServer((req, res) => this.handle(req, res).catch((e) => {
      res.writeHead(500).end(String(e));
    }));
    await new Promise((ok, fail) => {
      this.server.once("error", fail);
      this.server.listen(FAKE_SPOTIFY_PORT, "127.0.0.1", ok);
    });
  }

  stop() {
    return new Promise((ok) => this.server.close(ok));
  }

  cors(res, extra = {}) {
    const headers = {
      "access-control-allow-origin": "*",
      "access-control-allow-headers": "Accept, Authorization, Content-Type, Origin, Retry-After",
      "access-control-allow-methods": "GET, POST, OPTIONS",
      "access-control-max-age": "604800",
      ...extra,
    };
    if (this.exposeRetryAfter) headers["access-control-expose-headers"] = "Retry-After";
    return headers;
  }

  json(res, status, body, extra = {}) {
    res.writeHead(status, { "content-type": "application/json", ...this.cors(res, extra) });
    res.end(JSON.stringify(body));
  }

  async body(req) {
    let text = "";
    for await (const chunk of req) text += chunk;
    return new URLSearchParams(text);
  }

  async handle(req, res) {
    const url = new URL(req.url, FAKE_SPOTIFY_BASE);
    this.log.push(`${req.method} ${url.pathname}`);
    if (req.method === "OPTIONS") {
      res.writeHead(204, this.cors(res)).end();
      return;
    }
    if (url.pathname === "/authorize") return this.authorize(url, res);
    if (url.pathname === "/authorize/accept") return this.authorize(url, res, true);
    if (url.pathname === "/api/token" && req.method === "POST") return this.token(await this.body(req), res, req);
    if (url.pathname.startsWith("/v1/") && req.method === "POST") return this.playlistApi(req, url, res);
    if (url.pathname.startsWith("/v1/")) return this.api(req, url, res);
    res.writeHead(404).end();
  }

  authorize(url, res, accepted = false) {
    const p = url.searchParams;
    const redirect = p.get("redirect_uri") ?? "";
    const problems = [];
    if (p.get("client_id") !== FAKE_CLIENT_ID) problems.push("client_id");
    if (p.get("response_type") !== "code") problems.push("response_type");
    if (p.get("code_challenge_method") !== "S256") problems.push("code_challenge_method");
    if (!/^[A-Za-z0-9_-]{43}$/.test(p.get("code_challenge") ?? "")) problems.push("code_challenge");
    if (!p.get("state")) problems.push("state");
    if (!/^http:\/\/127\.0\.0\.1:\d+\//.test(redirect)) problems.push("redirect_uri");
    if (problems.length) {
      res.writeHead(400, { "content-type": "text/plain" }).end(`INVALID_REQUEST: ${problems.join(", ")}`);
      return;
    }
    const back = new URL(redirect);
    if (this.authorizeMode === "consent-page" && !accepted) {
      // A real consent page stays in the history, so Back can return to it.
      const accept = new URL(url);
      accept.pathname = "/authorize/accept";
      this.consentUrl = accept.toString();
      res.writeHead(200, { "content-type": "text/html" });
      res.end(`<!DOCTYPE html><title>Fake consent</title><a id="agree" href="${accept.pathname}${accept.search.replace(/&/g, "&amp;")}">Agree</a>`);
      return;
    }
    if (this.authorizeMode === "deny") {
      back.searchParams.set("error", "access_denied");
      back.searchParams.set("state", p.get("state"));
    } else {
      let code = token();
      if (this.authorizeMode === "replay-code" && this.usedCodes.length) code = this.usedCodes.at(-1);
      else {
        // wrong-challenge: the code is bound to another challenge than the page sent, so
        // the page's (correct) verifier must be refused.
        const challenge = this.authorizeMode === "wrong-challenge" ? base64url(createHash("sha256").update("another-verifier").digest()) : p.get("code_challenge");
        this.lastAuthorizeScope = p.get("scope") ?? "";
        this.codes.set(code, { challenge, clientId: p.get("client_id"), redirect, used: false, scope: this.grantScope ?? p.get("scope") ?? "" });
      }
      back.searchParams.set("code", code);
      back.searchParams.set("state", this.authorizeMode === "tamper-state" ? `${p.get("state")}x` : p.get("state"));
      this.lastRedirect = back.toString();
    }
    res.writeHead(302, { location: back.toString() }).end();
  }

  issue(res, clientId, scope = "") {
    const access = token();
    this.accessTokens.add(access);
    this.tokenScopes.set(access, scope);
    const body = { access_token: access, token_type: "Bearer", expires_in: this.expiresIn, scope };
    if (!this.omitRefreshToken) {
      body.refresh_token = token();
      this.refreshTokens.set(body.refresh_token, { clientId, scope });
    }
    this.json(res, 200, body);
  }

  async token(form, res, req) {
    const fail = (description) => {
      this.log.push(`refused:${description}`);
      return this.json(res, 400, { error: "invalid_grant", error_description: description });
    };
    if (this.tokenMode === "drop") return req.socket.destroy();
    const clientId = form.get("client_id");
    if (clientId !== FAKE_CLIENT_ID) {
      this.log.push("refused:invalid_client");
      return this.json(res, 400, { error: "invalid_client" });
    }
    if (form.get("grant_type") === "authorization_code") {
      const grant = this.codes.get(form.get("code"));
      if (!grant) return fail("Invalid authorization code");
      if (grant.used) return fail("Authorization code already used");
      grant.used = true;
      this.usedCodes.push(form.get("code"));
      if (grant.clientId !== clientId) return fail("client_id differs from the authorize request's");
      if (grant.redirect !== form.get("redirect_uri")) return fail("Invalid redirect URI");
      const verifier = form.get("code_verifier") ?? "";
      const challenge = base64url(createHash("sha256").update(verifier).digest());
      if (challenge !== grant.challenge) return fail("code_verifier was incorrect");
      this.log.push("grant:authorization_code");
      return this.issue(res, clientId, grant.scope);
    }
    if (form.get("grant_type") === "refresh_token") {
      const refresh = form.get("refresh_token");
      const issuedTo = this.refreshTokens.get(refresh);
      // Single-use: spent as soon as it arrives, whatever happens next.
      this.refreshTokens.delete(refresh);
      if (issuedTo === undefined) return fail("Refresh token revoked");
      if (issuedTo.clientId !== clientId) return fail("client_id differs from the token's");
      this.log.push("grant:refresh_token");
      if (this.tokenDelayMs) await new Promise((ok) => setTimeout(ok, this.tokenDelayMs));
      return this.issue(res, clientId, issuedTo.scope);
    }
    return this.json(res, 400, { error: "unsupported_grant_type" });
  }

  /** POST /v1/me/playlists and POST /v1/playlists/{id}/items, as the 2026 Web API has them. */
  async playlistApi(req, url, res) {
    const bearer = (req.headers.authorization ?? "").replace(/^Bearer /, "");
    if (!this.accessTokens.has(bearer)) {
      this.log.push("401");
      return this.json(res, 401, { error: { status: 401, message: "The access token expired" } });
    }
    let text = "";
    for await (const chunk of req) text += chunk;
    let body;
    try {
      body = JSON.parse(text);
    } catch {
      return this.json(res, 400, { error: { status: 400, message: "Error parsing JSON." } });
    }
    if (typeof this.answers.playlists === "number") {
      return this.json(res, this.answers.playlists, { error: { status: this.answers.playlists, message: "Forbidden" } });
    }
    const granted = (this.tokenScopes.get(bearer) ?? "").split(" ");
    if (url.pathname === "/v1/me/playlists") {
      if (typeof body.name !== "string" || !body.name) return this.json(res, 400, { error: { status: 400, message: "Missing required field: name" } });
      const needed = body.public === true ? "playlist-modify-public" : "playlist-modify-private";
      if (!granted.includes(needed)) return this.json(res, 403, { error: { status: 403, message: "Insufficient client scope" } });
      const id = `pl${this.playlists.size + 1}${token().slice(0, 8)}`;
      this.playlists.set(id, { name: body.name, public: body.public === true, description: body.description ?? "", uris: [] });
      this.log.push("create-playlist");
      return this.json(res, 201, { id, name: body.name, public: body.public === true, external_urls: { spotify: `https://open.spotify.com/playlist/${id}` } });
    }
    const match = url.pathname.match(/^\/v1\/playlists\/([^/]+)\/items$/);
    const playlist = match && this.playlists.get(match[1]);
    if (!playlist) return this.json(res, 404, { error: { status: 404, message: "Not found." } });
    const uris = body.uris;
    if (!Array.isArray(uris) || uris.length === 0 || uris.length > 100 || !uris.every((u) => /^spotify:track:[A-Za-z0-9]{22}$/.test(u))) {
      this.log.push(`refused:add-items ${Array.isArray(uris) ? uris.length : typeof uris}`);
      return this.json(res, 400, { error: { status: 400, message: "Invalid uris: 1 to 100 spotify:track URIs" } });
    }
    const needed = playlist.public ? "playlist-modify-public" : "playlist-modify-private";
    if (!granted.includes(needed)) return this.json(res, 403, { error: { status: 403, message: "Insufficient client scope" } });
    this.addRequests.push(uris.length);
    if (this.failAdd && this.addRequests.length === this.failAdd.request) {
      return this.json(res, this.failAdd.status, { error: { status: this.failAdd.status, message: "Fake failure" } }, { "retry-after": "1" });
    }
    playlist.uris.push(...uris);
    return this.json(res, 201, { snapshot_id: token() });
  }

  api(req, url, res) {
    const bearer = (req.headers.authorization ?? "").replace(/^Bearer /, "");
    if (!this.accessTokens.has(bearer)) {
      this.log.push("401");
      return this.json(res, 401, { error: { status: 401, message: "The access token expired" } });
    }
    const [, , kind, id] = url.pathname.split("/");
    const which = kind === "me" ? "me" : kind === "tracks" ? "track" : kind === "audio-features" ? "features" : null;
    const mode = this.answers[which];
    if (mode === "drop") return req.socket.destroy();
    if (mode === "no-cors-429") {
      res.writeHead(429, { "retry-after": String(this.retryAfter) }).end();
      return;
    }
    if (mode === "429") {
      return this.json(res, 429, { error: { status: 429, message: "API rate limit exceeded" } }, { "retry-after": String(this.retryAfter) });
    }
    if (mode === "quota") {
      return this.json(res, 429, { error: { status: 429, message: "Quota exceeded", reason: "QUOTA_EXCEEDED" } }, { "retry-after": "86400" });
    }
    if (typeof mode === "number") return this.json(res, mode, { error: { status: mode, message: "Fake failure" } });
    if (which === "me") return this.json(res, 200, { id: "listener-1", display_name: "Test Listener" });
    const track = FAKE_TRACKS[id];
    if (!track) return this.json(res, 404, { error: { status: 404, message: "Resource not found" } });
    if (which === "track") {
      const body = { id, name: track.name, artists: track.artists.map((name) => ({ name })), album: { images: [{ url: PIXEL, width: 64, height: 64 }] } };
      if (track.popularity !== null) body.popularity = track.popularity;
      return this.json(res, 200, body);
    }
    return this.json(res, 200, { id, valence: track.valence, energy: track.energy, danceability: track.danceability, tempo: 120 });
  }
}
