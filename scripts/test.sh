#!/usr/bin/env bash
# Runs every test Moodplane has, from a fresh machine: installs the tools (idempotent),
# checks formatting and lints, runs the native tests of the core and the catalog builder
# (property tests included; real-data tests skip with a message when ../shared is
# absent), builds the release page, and drives it end to end in headless Chromium.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PWD/node_modules/.bin:$PATH"
export TRUNK_SKIP_VERSION_CHECK=true
export CARGO_TERM_COLOR=never
# The end-to-end tests check the page against the embedded catalog.
unset MOODPLANE_CATALOG_CSV

section() { printf '\n=== %s ===\n' "$*"; }

section "tools"
bash scripts/install-tools.sh

section "format and lints"
cargo fmt --all -- --check
cargo clippy --locked -p moodplane-core -p moodplane-catalog-builder -p moodplane-fuzz --all-targets -- -D warnings
cargo clippy --locked -p moodplane -p moodplane-first-list -p moodplane-import-worker --target wasm32-unknown-unknown -- -D warnings

section "native tests (core, catalog builder, short fuzz run)"
# Real-data tests read ../shared/data: in CI it must be there; elsewhere say what is skipped.
if [ ! -d ../shared/data ]; then
  if [ "${CI:-}" = "true" ]; then
    echo "error: ../shared/data is absent, and CI=true: real-data tests must not be skipped in CI" >&2
    exit 1
  fi
  echo "SKIPPED: real-data tests (catalog builder, 60k-track e2e) need ../shared/data, which is absent"
fi
cargo test --locked -p moodplane-core -p moodplane-catalog-builder -p moodplane-fuzz

section "build scripts (node)"
node --test tests/scripts/

section "release build pointed at the fake Spotify and the fake ReccoBeats"
MOODPLANE_SPOTIFY_ACCOUNTS_BASE=http://127.0.0.1:28811 \
MOODPLANE_SPOTIFY_API_BASE=http://127.0.0.1:28811 \
MOODPLANE_RECCOBEATS_BASE=http://127.0.0.1:28812 \
MOODPLANE_SPOTIFY_CLIENT_ID=0e2e0e2e0e2e4a1b9c8d7f6e5d4c3b2a \
  trunk build --release --dist dist-spotify-fake

section "release build of the page"
trunk build --release

section "deployable folder for a static host, from the sub-path /moodplane/"
bash scripts/deploy.sh dist-deploy /moodplane/

section "the same, cut into 64-track tiles read one by one (as a big catalog is)"
MOODPLANE_TILES=64 MOODPLANE_LOAD_WHOLE_UP_TO=0 bash scripts/deploy.sh dist-deploy-tiled /moodplane/

section "end-to-end tests (headless Chromium)"
# --test-force-exit and timeout: a file whose hooks leave a browser open must fail the run,
# not hang it until CI gives up.
timeout --kill-after=30s 40m node --test --test-force-exit --test-concurrency=1 tests/e2e/

section "cross-engine suite (Chromium, Firefox ESR, WebKitGTK under Xvfb)"
timeout --kill-after=30s 25m xvfb-run -a node --test --test-force-exit --test-concurrency=1 tests/engines/
