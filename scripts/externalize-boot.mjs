// Trunk post-build hook: Trunk writes its wasm loader as an inline <script type="module">
// in index.html. This moves every inline script into a file beside it and points a
// <script src> at it, so the page's Content-Security-Policy can forbid inline script.
// It also drops the build-time nonce attributes Trunk adds (a fixed nonce is no defence).
import { createHash } from "node:crypto";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";

const dir = process.env.TRUNK_STAGING_DIR;
if (!dir) {
  console.error("externalize-boot: TRUNK_STAGING_DIR is not set (run me as a Trunk hook)");
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
writeFileSync(htmlPath, html);
console.log(`externalize-boot: moved ${moved} inline script(s) out of index.html`);
