// A fake ReccoBeats on 127.0.0.1 for end-to-end tests: a test double for the network, not
// for the page's code. It serves the real answer shapes of /v1/audio-features and
// /v1/track (`{"content":[…]}`, items matched by their Spotify `href`, unknown tracks left
// out), refuses requests of more than 40 ids or malformed ids the way a strict server
// would, logs every id it receives, and has switchable failures: 429 with Retry-After,
// 500, a dropped connection, an answer without CORS headers, values outside 0..1.
import { createServer } from "node:http";

// Fixed and below the ephemeral port range, as FAKE_SPOTIFY_PORT is.
export const FAKE_RECCOBEATS_PORT = 28812;
export const FAKE_RECCOBEATS_BASE = `http://127.0.0.1:${FAKE_RECCOBEATS_PORT}`;

/** Tracks this fake knows, none of them in the embedded catalog. */
export const RB_TRACKS = {
  "7qiZfU4dY1lWllzX7mPBI3": { title: "Shape of You", artists: ["Ed Sheeran"], popularity: 88, valence: 0.931, energy: 0.652, danceability: 0.825, tempo: 95.977 },
  "3n3Ppam7vgaVa1iaRUc9Lp": { title: "Mr. Brightside", artists: ["The Killers"], popularity: 79, valence: 0.232, energy: 0.918, danceability: 0.352, tempo: 148.033 },
  "1zi7xx7UVEFkmKfv06H8x0": { title: "One Dance", artists: ["Drake", "Wizkid", "Kyla"], popularity: 83, valence: 0.37, energy: 0.625, danceability: 0.792, tempo: 103.967 },
};
/** The mood this fake finds in any uploaded audio file. */
export const FILE_MOOD = { valence: 0.275, energy: 0.69 };
/** An audio file of `bytes` bytes to pick (the fake answers FILE_MOOD for any upload). */
export const audioFile = (bytes) => ({ name: "demo.mp3", mimeType: "audio/mpeg", buffer: Buffer.alloc(bytes, 7) });
/** A well-formed id ReccoBeats does not know (left out of its answers). */
export const RB_UNKNOWN = "2222222222222222222222";

const uuid = (id) => `rb-${id.toLowerCase().slice(0, 8)}-0000-4000-8000-000000000000`;

export class FakeReccoBeats {
  constructor() {
    this.reset();
  }

  reset() {
    this.mode = "ok"; // ok | 429 | 500 | drop | no-cors | bad-values | junk
    this.failuresLeft = undefined;
    this.retryAfter = 1;
    this.log = []; // "features:ID,ID" / "track:ID" / "upload:BYTES"
    this.uploadLimit = 5 * 1024 * 1024;
    /** More tracks this fake knows (id → {title, artists, popularity, valence, energy, …}). */
    this.known = new Map();
    this.refused = [];
  }

  /** Answers the next `count` requests with `mode`, then behaves again. */
  failNext(mode, count) {
    this.mode = mode;
    this.failuresLeft = count;
  }

  /** How many requests asked for `id`'s features. */
  featureRequests(id) {
    return this.log.filter((l) => l.startsWith("features:") && l.slice(9).split(",").includes(id)).length;
  }

  async start() {
    this.server = createServer((req, res) => this.handle(req, res));
    await new Promise((ok, fail) => {
      this.server.once("error", fail);
      this.server.listen(FAKE_RECCOBEATS_PORT, "127.0.0.1", ok);
    });
  }

  stop() {
    return new Promise((ok) => this.server.close(ok));
  }

  send(res, status, body, extra = {}) {
    const cors = this.mode === "no-cors" ? {} : { "access-control-allow-origin": "*", "access-control-expose-headers": "Retry-After" };
    res.writeHead(status, { "content-type": "application/json", ...cors, ...extra });
    res.end(JSON.stringify(body));
  }

  /** POST /v1/analysis/audio-features: a multipart upload with an `audioFile` field. */
  async upload(req, res) {
    const chunks = [];
    for await (const chunk of req) chunks.push(chunk);
    const body = Buffer.concat(chunks);
    this.log.push(`upload:${body.length}`);
    const type = req.headers["content-type"] ?? "";
    if (!type.startsWith("multipart/form-data") || !body.includes('name="audioFile"')) {
      this.refused.push(`upload without an audioFile part (${type})`);
      return this.send(res, 400, { error: "audioFile is required" });
    }
    if (body.length > this.uploadLimit) return this.send(res, 413, { error: "Payload Too Large" });
    if (this.mode === "429") return this.send(res, 429, { error: "Too Many Requests" }, { "retry-after": String(this.retryAfter) });
    if (this.mode === "500") return this.send(res, 500, { error: "Internal Server Error" });
    const bad = this.mode === "bad-values";
    return this.send(res, 200, {
      acousticness: 0.174, danceability: 0.4004, energy: bad ? -1 : FILE_MOOD.energy, instrumentalness: 0.0309,
      liveness: 0.1188, loudness: -6.0411, speechiness: 0.0566, tempo: 147.7849, valence: FILE_MOOD.valence,
    });
  }

  handle(req, res) {
    const url = new URL(req.url, FAKE_RECCOBEATS_BASE);
    if (req.method === "OPTIONS") {
      res.writeHead(204, { "access-control-allow-origin": "*", "access-control-allow-headers": "Accept, Content-Type" }).end();
      return;
    }
    if (req.method === "POST" && url.pathname === "/v1/analysis/audio-features") return this.upload(req, res);
    const ids = (url.searchParams.get("ids") ?? "").split(",").filter(Boolean);
    const kind = url.pathname === "/v1/audio-features" ? "features" : url.pathname === "/v1/track" ? "track" : null;
    if (!kind) return this.send(res, 404, { error: "Not Found" });
    this.log.push(`${kind}:${ids.join(",")}`);
    if (this.failuresLeft !== undefined && this.failuresLeft-- <= 0) {
      this.mode = "ok";
      this.failuresLeft = undefined;
    }
    if (ids.length === 0 || ids.length > 40 || ids.some((id) => !/^[A-Za-z0-9]{22}$/.test(id))) {
      this.refused.push(url.search);
      return this.send(res, 400, { error: "ids must be 1 to 40 Spotify or ReccoBeats ids" });
    }
    if (this.mode === "drop") return req.socket.destroy();
    if (this.mode === "429") return this.send(res, 429, { error: "Too Many Requests" }, { "retry-after": String(this.retryAfter) });
    if (this.mode === "500") return this.send(res, 500, { error: "Internal Server Error" });
    if (this.mode === "junk") {
      res.writeHead(200, { "content-type": "text/html", "access-control-allow-origin": "*" });
      res.end("<html>Service temporarily moved</html>");
      return;
    }
    const track = (id) => RB_TRACKS[id] ?? this.known.get(id);
    const known = ids.filter((id) => track(id));
    if (kind === "features") {
      return this.send(res, 200, {
        content: known.map((id) => {
          const t = track(id);
          const bad = this.mode === "bad-values";
          return {
            id: uuid(id), href: `https://open.spotify.com/track/${id}`,
            acousticness: 0.1, danceability: t.danceability, energy: bad ? 1.7 : t.energy, instrumentalness: 0, key: 1,
            liveness: 0.09, loudness: -5.2, mode: 1, speechiness: 0.05, tempo: t.tempo, valence: t.valence,
          };
        }),
      });
    }
    return this.send(res, 200, {
      content: known.map((id) => {
        const t = track(id);
        return {
          id: uuid(id), trackTitle: t.title,
          artists: t.artists.map((name, i) => ({ id: `artist-${i}`, name, href: `https://open.spotify.com/artist/${i}` })),
          durationMs: 233712, isrc: "GBAHS1600463", href: `https://open.spotify.com/track/${id}`, popularity: t.popularity,
        };
      }),
    });
  }
}
