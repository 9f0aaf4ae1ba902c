#!/usr/bin/env bash
# A copy of a release dist/ whose wasm keeps its function names, for bench/profile.mjs:
# the last release build's wasm (before wasm-bindgen) run through wasm-bindgen
# --keep-debug and wasm-opt -Oz -g, in place of the hashed files; their .gz/.br siblings
# and the page's integrity attributes go (the bytes differ). Not for deploying.
# Usage: bash bench/names-build.sh [DIST] [OUT]   (after `trunk build --release`)
set -euo pipefail
dist="${1:-dist}"
out="${2:-/tmp/dist-names}"
target="${CARGO_TARGET_DIR:-target}/wasm32-unknown-unknown/app-release/moodplane.wasm"
glue=$(ls "$dist"/moodplane-*.js | grep -v '\.js\.' | head -1)
wasm="${glue%.js}_bg.wasm"
[ -f "$target" ] && [ -f "$wasm" ] || { echo "names-build: build first (no $target or $wasm)" >&2; exit 1; }
work=$(mktemp -d)
wasm-bindgen --target web --keep-debug --out-dir "$work" --out-name moodplane "$target"
wasm-opt -Oz -g --enable-bulk-memory --enable-nontrapping-float-to-int --enable-sign-ext \
  --enable-mutable-globals --enable-reference-types "$work/moodplane_bg.wasm" -o "$work/named.wasm"
rm -rf "$out" && cp -r "$dist" "$out"
cp "$work/moodplane.js" "$out/$(basename "$glue")"
cp "$work/named.wasm" "$out/$(basename "$wasm")"
rm -f "$out/$(basename "$glue")".{gz,br} "$out/$(basename "$wasm")".{gz,br}
sed -i 's/ integrity="[^"]*"//g' "$out/index.html"
rm -rf "$work"
echo "names-build: $out"
