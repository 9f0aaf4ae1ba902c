#!/usr/bin/env bash
# Builds the page with the embedded catalog and serves it at http://127.0.0.1:8080/
# (installs the build tools first, skipping what is already there). Set
# MOODPLANE_CATALOG_CSV=path/to.csv to serve another catalog instead.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PWD/node_modules/.bin:$PATH"
export TRUNK_SKIP_VERSION_CHECK=true
for step in target node_packages wasm_bindgen trunk; do
  bash scripts/install-tools.sh "$step"
done
# Trunk's watcher refuses to start when a folder it is told to ignore (Trunk.toml) is
# missing, as these are in a fresh clone.
mkdir -p generated dist target
exec trunk serve --release --address 127.0.0.1 --port "${PORT:-8080}"
