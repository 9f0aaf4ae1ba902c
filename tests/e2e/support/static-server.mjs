// A tiny static file server for the built page on 127.0.0.1 (random free port), used by
// the end-to-end tests and the browser benchmark. Serves dist/ with the right MIME types,
// and single byte ranges (`Range: bytes=a-b`, answered 206) as static hosts do, which a
// tiled catalog's archive is read by.
import { createServer } from "node:http";
import { readFile } from "node:fs/promises";
import { extname, join, normalize, resolve } from "node:path";

const TYPES = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".mjs": "text/javascript; charset=utf-8",
  ".wasm": "application/wasm",
  ".css": "text/css; charset=utf-8",
  ".json": "application/json",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".bin": "application/octet-stream",
};

/**
 * Starts serving `root`; `overrides` maps a path to a handler(req, res) for failure tests;
 * `headers` are added to every file served (the cross-engine suite adds a reporting CSP).
 */
export async function serveStatic(root, overrides = {}, headers = {}) {
  const base = resolve(root);
  const server = createServer(async (req, res) => {
    const path = decodeURIComponent(new URL(req.url, "http://x").pathname);
    if (overrides[path]) return overrides[path](req, res);
    const file = normalize(join(base, path === "/" ? "index.html" : path));
    if (!file.startsWith(base)) {
      res.writeHead(403).end();
      return;
    }
    try {
      sendBytes(req, res, await readFile(file), {
        "content-type": TYPES[extname(file)] ?? "application/octet-stream",
        ...headers,
      });
    } catch {
      res.writeHead(404, { "content-type": "text/plain" }).end("not found");
    }
  });
  await new Promise((ok) => server.listen(0, "127.0.0.1", ok));
  const { port } = server.address();
  return { url: `http://127.0.0.1:${port}/`, close: () => new Promise((ok) => server.close(ok)) };
}

/** Answers `req` with `body`, or the one byte range it asks for (206, or 416). */
export function sendBytes(req, res, body, headers = {}) {
  const common = { "cache-control": "no-store", "accept-ranges": "bytes", ...headers };
  const range = byteRange(req.headers.range, body.length);
  if (range === "unsatisfiable") {
    res.writeHead(416, { ...common, "content-range": `bytes */${body.length}` }).end();
  } else if (range) {
    const [start, end] = range;
    res.writeHead(206, { ...common, "content-range": `bytes ${start}-${end}/${body.length}` });
    res.end(body.subarray(start, end + 1));
  } else {
    res.writeHead(200, common).end(body);
  }
}

/**
 * The one range `header` asks of a file of `size` bytes, as [first, last] inclusive; null
 * when there is no usable Range header (the whole file is sent), "unsatisfiable" when it
 * starts past the end.
 */
export function byteRange(header, size) {
  const match = /^bytes=(\d*)-(\d*)$/.exec(header ?? "");
  if (!match || (match[1] === "" && match[2] === "")) return null;
  let start;
  let end;
  if (match[1] === "") {
    start = Math.max(0, size - Number(match[2]));
    end = size - 1;
  } else {
    start = Number(match[1]);
    end = match[2] === "" ? size - 1 : Math.min(Number(match[2]), size - 1);
  }
  if (start >= size || end < start) return "unsatisfiable";
  return [start, end];
}
