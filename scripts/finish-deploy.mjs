// Finishes a deployable folder (scripts/deploy.sh): gives the import worker's files
// content-hashed names, precompresses every file that lacks .gz/.br siblings (never the
// tiled catalog's archive, which is read by byte ranges), and writes _headers for hosts
// that read one. The catalog's manifest and archive are content-hashed already.
// Usage: node scripts/finish-deploy.mjs OUT_DIR BASE_PATH
import { createHash } from "node:crypto";
import { existsSync, readdirSync, readFileSync, renameSync, unlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { brotliCompressSync, constants, gzipSync } from "node:zlib";

const [dir, base = "/"] = process.argv.slice(2);
if (!dir) {
  console.error("usage: node scripts/finish-deploy.mjs OUT_DIR BASE_PATH");
  process.exit(2);
}

/**
 * Content-hashed names: Trunk's name-<hash>.ext, where the hash is a 64-bit number in hex
 * without leading zeros (so sometimes fewer than 16 digits), and our boot-<16 hex>.js
 * and the tiled catalog's tiles-<16 hex>.json and catalog-<16 hex>.tiles.
 */
const HASHED = /-[0-9a-f]{8,16}(_bg)?\.(wasm|js|css|svg|json|tiles)$/;

const htmlPath = join(dir, "index.html");
let html = readFileSync(htmlPath, "utf8");

// 1. The import worker's files under content hashes: its wasm and glue, then its entry
//     script rewritten to name them, itself named in the page. Stale .gz/.br siblings of
//     the old names go; step 2 makes new ones.
const hashOf = (bytes) => createHash("sha256").update(bytes).digest("hex").slice(0, 16);
const moveHashed = (from, to) => {
  renameSync(join(dir, from), join(dir, to));
  for (const suffix of [".gz", ".br"]) if (existsSync(join(dir, from + suffix))) unlinkSync(join(dir, from + suffix));
};
if (existsSync(join(dir, "import-worker.js"))) {
  const wasm = `import_worker-${hashOf(readFileSync(join(dir, "import_worker_bg.wasm")))}_bg.wasm`;
  const glue = `import_worker-${hashOf(readFileSync(join(dir, "import_worker.js")))}.js`;
  moveHashed("import_worker_bg.wasm", wasm);
  moveHashed("import_worker.js", glue);
  const entry = readFileSync(join(dir, "import-worker.js"), "utf8")
    .replace('"./import_worker.js"', `"./${glue}"`)
    .replace('"./import_worker_bg.wasm"', `"./${wasm}"`);
  if (!entry.includes(glue) || !entry.includes(wasm)) throw new Error("import-worker.js no longer names its glue and wasm as finish-deploy expects");
  const entryName = `import-worker-${hashOf(entry)}.js`;
  writeFileSync(join(dir, entryName), entry);
  moveHashed("import-worker.js", `${entryName}.old`);
  unlinkSync(join(dir, `${entryName}.old`));
  html = html.replace("</head>", `  <meta name="moodplane-import-worker" content="${entryName}" />\n  </head>`);
  writeFileSync(htmlPath, html);
}

// 2. .gz and .br beside every file that has none yet (the page, styles, icon); never a
//    tiled archive, which is read by byte ranges of blobs that are gzip already.
for (const name of readdirSync(dir)) {
  if (/\.(gz|br|tiles)$/.test(name) || name === "_headers" || existsSync(join(dir, `${name}.gz`))) continue;
  const body = readFileSync(join(dir, name));
  writeFileSync(join(dir, `${name}.gz`), gzipSync(body, { level: 9 }));
  writeFileSync(join(dir, `${name}.br`), brotliCompressSync(body, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }));
}

// 3. _headers: the page's policy as a header (which, unlike the meta tag, can forbid
//    framing), and cache lifetimes: hashed files forever, the page itself never.
const policy = html.match(/http-equiv="Content-Security-Policy"\s+content="([^"]+)"/)[1];
const lines = [
  `${base}*`,
  `  Content-Security-Policy: ${policy}; frame-ancestors 'none'`,
  "  Referrer-Policy: no-referrer",
  "  X-Content-Type-Options: nosniff",
  "",
  base,
  "  Cache-Control: no-cache",
  "",
  `${base}index.html`,
  "  Cache-Control: no-cache",
  "",
];
for (const name of readdirSync(dir).sort()) {
  if (!HASHED.test(name.replace(/\.(gz|br)$/, ""))) continue;
  lines.push(`${base}${name}`, "  Cache-Control: public, max-age=31536000, immutable", "");
}
writeFileSync(join(dir, "_headers"), lines.join("\n"));
console.log(`finish-deploy: _headers for base ${base}`);
