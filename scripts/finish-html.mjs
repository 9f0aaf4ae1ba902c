// Trunk post-build hook that finishes dist/index.html:
// 1. Trunk writes its wasm loader as an inline <script type="module">. Every inline script
//    moves into a file beside the page, referenced by <script src>, so the
//    Content-Security-Policy can forbid inline script. Build-time nonce attributes go too
//    (a fixed nonce is no defence).
// 2. The policy's connect-src names the build's service origins (csp-origins.mjs): the
//    build-time MOODPLANE_SPOTIFY_ACCOUNTS_BASE / MOODPLANE_SPOTIFY_API_BASE /
//    MOODPLANE_RECCOBEATS_BASE (e.g. the test suite's fakes) where set, the real ones
//    otherwise.
// 3. The tiled catalog (generated/tiles, made by build-catalog.sh) is copied in: its
//    archive as is (already content-hashed; its blobs are gzip and must reach the page
//    untouched), its manifest as tiles-<hash>.json, named in <meta name="moodplane-tiles">,
//    where the page looks for its catalog, and preloaded, so that it downloads beside the
//    wasm.
// 4. The page's first list comes before the app (static/first-list.js): Trunk's loader
//    (moved to boot-<hash>.js in step 1) is named in <meta name="moodplane-app"> instead of
//    run, and the preloads of the app's wasm and glue go, so that nothing of the app
//    competes with the first list's few requests; first-list.js starts the app. The first
//    list's wasm and glue (built by Trunk as a worker-type asset) and its script get
//    content-hashed names, named in the page, and are preloaded when the build's catalog
//    is read tile by tile (a catalog read whole needs no first list).
// 5. The big assets (wasm, JS, the manifest) get precompressed .gz and .br siblings, for
//    servers that serve those when the browser accepts them.
import { createHash } from "node:crypto";
import { copyFileSync, existsSync, readdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { brotliCompressSync, constants, gzipSync } from "node:zlib";
import { join } from "node:path";

import { DEFAULT_ORIGINS, serviceConnectOrigins } from "./csp-origins.mjs";

const dir = process.env.TRUNK_STAGING_DIR;
if (!dir) {
  console.error("finish-html: TRUNK_STAGING_DIR is not set (run me as a Trunk hook)");
  process.exit(1);
}
const htmlPath = join(dir, "index.html");
let html = readFileSync(htmlPath, "utf8");
let moved = 0;
html = html.replace(/<script([^>]*)>([\s\S]*?)<\/script>/g, (whole, attrs, body) => {
  if (/\bsrc=/.test(attrs) || body.trim() === "") return whole;
  const name = `boot-${createHash("sha256").update(body).digest("hex").slice(0, 16)}.js`;
  writeFileSync(join(dir, name), body);
  moved += 1;
  const kept = attrs.replace(/\s*nonce="[^"]*"/g, "");
  return `<script${kept} src="./${name}"></script>`;
});
html = html.replace(/\s*nonce="[^"]*"/g, "");

if (!html.includes(DEFAULT_ORIGINS)) {
  console.error(`finish-html: the CSP in index.html no longer lists "${DEFAULT_ORIGINS}" as expected`);
  process.exit(1);
}
html = html.replace(DEFAULT_ORIGINS, serviceConnectOrigins(process.env));

const tiles = join(process.env.TRUNK_SOURCE_DIR ?? ".", "generated", "tiles");
// Whether the build's catalog is read whole by the app (its manifest has an order).
let readWhole = true;
if (!existsSync(join(tiles, "tiles.json"))) {
  console.error(`finish-html: no tiled catalog at ${tiles} (scripts/build-catalog.sh makes it before the build)`);
  process.exit(1);
}
{
  const manifestText = readFileSync(join(tiles, "tiles.json"));
  const { archive, order } = JSON.parse(manifestText);
  readWhole = Array.isArray(order);
  copyFileSync(join(tiles, archive), join(dir, archive));
  const manifestName = `tiles-${createHash("sha256").update(manifestText).digest("hex").slice(0, 16)}.json`;
  writeFileSync(join(dir, manifestName), manifestText);
  // The preload starts the manifest's download beside the wasm's, a round trip and more
  // before the page could ask for it (it matches the page's own fetch: same URL, same mode).
  html = html.replace(
    "</head>",
    `  <meta name="moodplane-tiles" content="${manifestName}" />\n` +
      `  <link rel="preload" href="${manifestName}" as="fetch" crossorigin="anonymous" />\n  </head>`,
  );
  console.log(`finish-html: tiled catalog ${manifestName} + ${archive}`);
}
{
  const hashed = (from, stem, ext) => {
    const body = readFileSync(join(dir, from));
    const name = `${stem}-${createHash("sha256").update(body).digest("hex").slice(0, 16)}${ext}`;
    renameSync(join(dir, from), join(dir, name));
    return name;
  };
  const boot = html.match(/<script type="module" src="(\.\/boot-[0-9a-f]{16}\.js)"><\/script>/);
  if (!boot || !existsSync(join(dir, "first-list.js")) || !existsSync(join(dir, "first_list_bg.wasm"))) {
    console.error("finish-html: expected Trunk's loader script, first-list.js and the first list's wasm");
    process.exit(1);
  }
  const wasm = hashed("first_list_bg.wasm", "first_list", "_bg.wasm");
  const glue = hashed("first_list.js", "first_list", ".js");
  const script = hashed("first-list.js", "first-list", ".js");
  html = html.replace(
    boot[0],
    `<meta name="moodplane-app" content="${boot[1]}" />\n` +
      `    <meta name="moodplane-first-list-glue" content="./${glue}" />\n` +
      `    <meta name="moodplane-first-list-wasm" content="./${wasm}" />\n` +
      `    <script type="module" src="./${script}"></script>`,
  );
  // Over a catalog read tile by tile the first list's glue and wasm are always wanted:
  // preloaded, they download beside the manifest instead of after the script has run
  // (a catalog read whole needs neither, and first-list.js calls its wasm off).
  if (!readWhole) {
    html = html.replace(
      "</head>",
      `  <link rel="preload" href="./${glue}" as="script" />\n` +
        `  <link rel="preload" href="./${wasm}" as="fetch" crossorigin="anonymous" />\n  </head>`,
    );
  }
  const preloads = /<link rel="(modulepreload|preload)" href="[^"]*moodplane-[0-9a-f]+(_bg\.wasm|\.js)"[^>]*>/g;
  if ((html.match(preloads) ?? []).length !== 2) {
    console.error("finish-html: expected Trunk's two preloads of the app's glue and wasm");
    process.exit(1);
  }
  html = html.replace(preloads, "");
}
writeFileSync(htmlPath, html);
console.log(`finish-html: moved ${moved} inline script(s) out of index.html`);

let compressed = 0;
for (const name of readdirSync(dir)) {
  if (!/\.(wasm|js|json)$/.test(name)) continue;
  const body = readFileSync(join(dir, name));
  writeFileSync(join(dir, `${name}.gz`), gzipSync(body, { level: 9 }));
  writeFileSync(
    join(dir, `${name}.br`),
    brotliCompressSync(body, { params: { [constants.BROTLI_PARAM_QUALITY]: body.length > 5e6 ? 5 : 11, [constants.BROTLI_PARAM_SIZE_HINT]: body.length } }),
  );
  compressed += 1;
}
console.log(`finish-html: precompressed ${compressed} asset(s) (.gz, .br)`);
