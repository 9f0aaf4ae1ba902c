#!/usr/bin/env bash
# Trunk pre-build hook: cuts the catalog CSV into a tiled catalog with the repo's catalog
# builder (generated/tiles/: tiles.json and the archive catalog-<hash>.tiles it names),
# which finish-html.mjs copies beside the page and names in <meta name="moodplane-tiles">.
# One layout for every size: a catalog of at most MOODPLANE_LOAD_WHOLE_UP_TO tracks
# (150000 by default; 0 = never) is made to be read whole in one download, a bigger one
# is read tile by tile. MOODPLANE_CATALOG_CSV picks other CSVs, several separated by ':'
# (default: the embedded tutorial catalog, data/valence_arousal_11k.csv).
# MOODPLANE_TILES=N puts at most N tracks in a tile (0 or unset: the builder's 4096).
set -euo pipefail
cd "${TRUNK_SOURCE_DIR:-$(dirname "$0")/..}"
IFS=':' read -r -a csvs <<< "${MOODPLANE_CATALOG_CSV:-data/valence_arousal_11k.csv}"
for csv in "${csvs[@]}"; do
  if [ ! -f "$csv" ]; then
    echo "error: catalog CSV not found: $csv (set MOODPLANE_CATALOG_CSV to existing files, separated by ':')" >&2
    exit 1
  fi
done
number() {
  case "$2" in
    '' | *[!0-9]*) echo "error: $1 must be a whole number of tracks, got $2" >&2; exit 1 ;;
  esac
}
options=()
if [ -n "${MOODPLANE_TILES:-}" ]; then
  number MOODPLANE_TILES "$MOODPLANE_TILES"
  [ "$MOODPLANE_TILES" -gt 0 ] && options+=(--tracks-per-tile "$MOODPLANE_TILES")
fi
if [ -n "${MOODPLANE_LOAD_WHOLE_UP_TO:-}" ]; then
  number MOODPLANE_LOAD_WHOLE_UP_TO "$MOODPLANE_LOAD_WHOLE_UP_TO"
  options+=(--load-whole-up-to "$MOODPLANE_LOAD_WHOLE_UP_TO")
fi
mkdir -p generated
rm -rf generated/tiles.tmp generated/catalog.json generated/catalog.bin
cargo run --quiet --release -p moodplane-catalog-builder --bin catalog-builder -- \
  "${csvs[@]}" --tiles generated/tiles.tmp "${options[@]}"
rm -rf generated/tiles
mv generated/tiles.tmp generated/tiles
