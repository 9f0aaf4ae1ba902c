#!/usr/bin/env bash
# Trunk pre-build hook: builds generated/catalog.json (interchange) and
# generated/catalog.bin (packed, what the page loads) from the catalog CSV with the
# repo's catalog builder. MOODPLANE_CATALOG_CSV picks other CSVs, several separated by
# ':' (default: the embedded tutorial catalog, data/valence_arousal_11k.csv).
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
