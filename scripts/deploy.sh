#!/usr/bin/env bash
# Builds a folder any static host can serve (GitHub Pages, Netlify, Cloudflare Pages, S3
# behind a CDN, nginx): content-hashed immutable file names (the catalog too), .gz and .br
# siblings of every file, and a _headers file (for hosts that read one) with the CSP
# (plus frame-ancestors 'none'), Referrer-Policy, X-Content-Type-Options and long cache
# lifetimes for hashed files.
# Usage: scripts/deploy.sh OUT_DIR [BASE_PATH]   (BASE_PATH like /moodplane/; default /)
# The catalog is MOODPLANE_CATALOG_CSV's, as for every build; service addresses are the
# build-time MOODPLANE_* settings (README "Spotify").
set -euo pipefail
cd "$(dirname "$0")/.."
out=${1:?usage: scripts/deploy.sh OUT_DIR [BASE_PATH]}
base=${2:-/}
case "$base" in
  /*/ | /) ;;
  *) echo "error: BASE_PATH must start and end with / (got $base)" >&2; exit 2 ;;
esac
export PATH="$HOME/.cargo/bin:$PWD/node_modules/.bin:$PATH" TRUNK_SKIP_VERSION_CHECK=true
trunk build --release --public-url "$base" --dist "$out"
node scripts/finish-deploy.mjs "$out" "$base"
