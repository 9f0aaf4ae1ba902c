// A fake Spotify (accounts service and Web API on one 127.0.0.1 port) for end-to-end
// tests: a test double for the network, not for the page's code. It really checks PKCE
// (SHA-256 of code_verifier against the stored S256 challenge), issues single-use codes
// and single-use refresh tokens, checks client_id and redirect_uri, and answers the API
// with switchable failures, with CORS headers as Spotify sends them.
import { createHash, randomBytes } from "node:crypto";
import { createServer } from "node:http";

export const FAKE_SPOTIFY_PORT = 47811;
export const FAKE_SPOTIFY_BASE = `http://127.0.0.1:${FAKE_SPOTIFY_PORT}`;
export const FAKE_CLIENT_ID = "moodplane-e2e-client";

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
    this.authorizeMode = "consent"; // consent | deny | tamper-state | replay-code
    this.answers = { me: "ok", track: "ok", features: "ok" }; // ok | 401 | 403 | 404 | 429 | quota | 500 | drop | no-cors-429
    this.retryAfter = 2;
    this.exposeRetryAfter = false;
    this.codes = new Map();
    this.accessTokens = new Set();
    this.refreshTokens = new Set();
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
    if (url.pathname === "/api/token" && req.method === "POST") return this.token(await this.body(req), res);
    if (url.pathname.startsWith("/v1/")) return this.api(req, url, res);
    res.writeHead(404).end();
  }

  authorize(url, res) {
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
    if (this.authorizeMode === "deny") {
      back.searchParams.set("error", "access_denied");
      back.searchParams.set("state", p.get("state"));
    } else {
      let code = token();
      if (this.authorizeMode === "replay-code" && this.usedCodes.length) code = this.usedCodes.at(-1);
      else this.codes.set(code, { challenge: p.get("code_challenge"), clientId: p.get("client_id"), redirect, used: false });
      back.searchParams.set("code", code);
      back.searchParams.set("state", this.authorizeMode === "tamper-state" ? `${p.get("state")}x` : p.get("state"));
      this.lastRedirect = back.toString();
    }
    res.writeHead(302, { location: back.toString() }).end();
  }

  issue(res) {
    const access = token();
    const refresh = token();
    this.accessTokens.add(access);
    this.refreshTokens.add(refresh);
    this.json(res, 200, { access_token: access, token_type: "Bearer", expires_in: 3600, refresh_token: refresh, scope: "" });
  }

  token(form, res) {
    const fail = (description) => this.json(res, 400, { error: "invalid_grant", error_description: description });
    if (form.get("client_id") !== FAKE_CLIENT_ID) return this.json(res, 400, { error: "invalid_client" });
    if (form.get("grant_type") === "authorization_code") {
      const grant = this.codes.get(form.get("code"));
      if (!grant) return fail("Invalid authorization code");
      if (grant.used) return fail("Authorization code already used");
      grant.used = true;
      this.usedCodes.push(form.get("code"));
      if (grant.redirect !== form.get("redirect_uri")) return fail("Invalid redirect URI");
      const verifier = form.get("code_verifier") ?? "";
      const challenge = base64url(createHash("sha256").update(verifier).digest());
      if (challenge !== grant.challenge) return fail("code_verifier was incorrect");
      this.log.push("grant:authorization_code");
      return this.issue(res);
    }
    if (form.get("grant_type") === "refresh_token") {
      const refresh = form.get("refresh_token");
      if (!this.refreshTokens.delete(refresh)) return fail("Refresh token revoked");
      this.log.push("grant:refresh_token");
      return this.issue(res);
    }
    return this.json(res, 400, { error: "unsupported_grant_type" });
  }

  api(req, url, res) {
    const bearer = (req.headers.authorization ?? "").replace(/^Bearer /, "");
    if (!this.accessTokens.has(bearer)) {
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
