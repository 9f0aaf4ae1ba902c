#!/usr/bin/env bash
# Trunk pre-build hook: builds generated/catalog.json (interchange) and
# generated/catalog.bin (packed, what the page loads) from the catalog CSV with the
# repo's catalog builder. MOODPLANE_CATALOG_CSV picks other CSVs, several separated by
# ':' (default: the embedded tutorial catalog, data/valence_arousal_11k.csv).
# MOODPLANE_TILES=N also cuts it into a tiled catalog of at most N tracks per tile
# (generated/tiles/: tiles.json and catalog-<hash>.tiles), which the page then reads
# instead of the packed file (finish-html.mjs names it in the page); 0 = the default size.
set -euo pipefail
cd "${TRUNK_SOURCE_DIR:-$(dirname "$0")/..}"
IFS=':' read -r -a csvs <<< "${MOODPLANE_CATALOG_CSV:-data/valence_arousal_11k.csv}"
for csv in "${csvs[@]}"; do
  if [ ! -f "$csv" ]; then
    echo "error: catalog CSV not found: $csv (set MOODPLANE_CATALOG_CSV to existing files, separated by ':')" >&2
    exit 1
  fi
done
mkdir -p generated
cargo run --quiet --release -p moodplane-catalog-builder --bin catalog-builder -- \
  "${csvs[@]}" --out generated/catalog.json.tmp --packed generated/catalog.bin.tmp
mv generated/catalog.json.tmp generated/catalog.json
mv generated/catalog.bin.tmp generated/catalog.bin
rm -rf generated/tiles
if [ -n "${MOODPLANE_TILES:-}" ]; then
  case "$MOODPLANE_TILES" in
    '' | *[!0-9]*) echo "error: MOODPLANE_TILES must be a number of tracks per tile (0 = default), got $MOODPLANE_TILES" >&2; exit 1 ;;
  esac
  per_tile=()
  [ "$MOODPLANE_TILES" -gt 0 ] && per_tile=(--tracks-per-tile "$MOODPLANE_TILES")
  cargo run --quiet --release -p moodplane-catalog-builder --bin catalog-builder -- \
    "${csvs[@]}" --tiles generated/tiles.tmp "${per_tile[@]}"
  mv generated/tiles.tmp generated/tiles
fi
