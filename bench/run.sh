#!/usr/bin/env bash
# One command for every benchmark: builds the synthetic catalogs (seeded, labelled
# synthetic), times the tutorial's Python method, NumPy and scikit-learn's KDTree with
# ../shared/bench/seed_baseline.py, runs the Criterion benchmark (brute force vs grid
# index) and the browser benchmark (load, drag latency, memory, bundle) for each catalog,
# and prints one table with ratios. All measured in this run.
# Usage: bench/run.sh [--quick]   (--quick: 11k and 114k only)
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
export PATH="$HOME/.cargo/bin:$ROOT/node_modules/.bin:$PATH"
export TRUNK_SKIP_VERSION_CHECK=true
OUT=bench/out
DATA=$ROOT/bench/data
SHARED=$(cd .. && pwd)/shared
mkdir -p "$OUT" "$DATA"

bash scripts/install-tools.sh

# Python with pandas, numpy and scikit-learn for the baselines (idempotent).
if [ ! -x bench/.venv/bin/python ] || ! bench/.venv/bin/python -c "import pandas, numpy, sklearn" 2>/dev/null; then
  python3 -m venv bench/.venv
  bench/.venv/bin/pip install --quiet pandas numpy scikit-learn
fi

# Catalogs: name and CSV.
declare -a NAMES=(real_11k) CSVS=("$ROOT/data/valence_arousal_11k.csv")
if [ -f "$SHARED/data/spotify_songs_32k.csv" ]; then
  NAMES+=(real_32k); CSVS+=("$SHARED/data/spotify_songs_32k.csv")
fi
for rows in 114000 1200000; do
  [ "${1:-}" = "--quick" ] && [ "$rows" = 1200000 ] && continue
  csv="$DATA/synthetic_${rows}.csv"
  [ -f "$csv" ] || python3 bench/make_synthetic_catalog.py --rows "$rows" --seed 42 --out "$csv"
  NAMES+=("synthetic_$((rows / 1000))k"); CSVS+=("$csv")
done

: > "$OUT/python.jsonl"
: > "$OUT/browser.jsonl"
: > "$OUT/builder.jsonl"
for i in "${!NAMES[@]}"; do
  name=${NAMES[$i]}; csv=${CSVS[$i]}
  echo "== $name: Python baselines"
  bench/.venv/bin/python "$SHARED/bench/seed_baseline.py" "$csv" --queries 200 --n 10 \
    | sed "s/^{/{\"catalog\": \"$name\", /" >> "$OUT/python.jsonl"
  echo "== $name: catalog builder"
  cargo build --quiet --release -p moodplane-catalog-builder
  start=$(date +%s%N)
  ./target/release/catalog-builder "$csv" --out "$OUT/$name.json" --packed "$OUT/$name.bin" 2> "$OUT/$name.builder.log"
  end=$(date +%s%N)
  printf '{"catalog": "%s", "csv": "%s", "builder_ms": %d, "packed_bytes": %d, "json_bytes": %d}\n' "$name" "$csv" \
    $(( (end - start) / 1000000 )) "$(stat -c %s "$OUT/$name.bin")" "$(stat -c %s "$OUT/$name.json")" >> "$OUT/builder.jsonl"
  echo "== $name: browser"
  MOODPLANE_CATALOG_CSV="$csv" trunk build --release --dist "$OUT/dist-$name" > "$OUT/$name.trunk.log" 2>&1
  node bench/browser.mjs --dist "$OUT/dist-$name" --drags 300 | node -e '
    let s = ""; process.stdin.on("data", (d) => (s += d)).on("end", () => {
      const r = JSON.parse(s); r.catalog = process.argv[1]; console.log(JSON.stringify(r)); });' "$name" >> "$OUT/browser.jsonl"
done

echo "== Criterion (brute force vs grid index)"
MOODPLANE_BENCH_CSVS=$(IFS=,; echo "${CSVS[*]}") cargo bench --quiet -p moodplane-catalog-builder --bench ranking > "$OUT/criterion.log" 2>&1

node bench/report.mjs "$OUT"
