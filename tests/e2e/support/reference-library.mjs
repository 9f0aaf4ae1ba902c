// An independent reading of a person's library file for the tests: what the page should
// make of an Exportify export (placed by its own moods, joined with the catalog by id, or
// unknown; skipped rows; repeats), and the brute-force nearest among its tracks.
import { readFileSync } from "node:fs";

import { parseCsv } from "./reference-ranking.mjs";

/** The test's own reading of an Exportify export: what the page should make of it. */
export function readExport(path, catalogById) {
  const [header, ...rows] = parseCsv(readFileSync(path, "utf8"));
  const col = (name) => header.indexOf(name);
  const unit = (text) => (text === undefined || text.trim() === "" ? null : Number(text));
  const seen = new Set();
  const placed = []; // {id, valence, energy}, file order
  const named = []; // {id, line}
  let skipped = 0;
  rows.forEach((r, i) => {
    const id = r[col("Track URI")].replace(/^spotify:track:/, "");
    if (!/^[0-9A-Za-z]{22}$/.test(id)) return skipped++;
    const [valence, energy] = [unit(r[col("Valence")]), unit(r[col("Energy")])];
    if (valence === null || energy === null) {
      if (!seen.has(id)) named.push({ id, line: i + 2 });
      seen.add(id);
      return;
    }
    if (!(valence >= 0 && valence <= 1 && energy >= 0 && energy <= 1)) return skipped++;
    if (!seen.has(id)) placed.push({ id, valence, energy });
    seen.add(id);
  });
  const joined = named.filter((t) => catalogById.has(t.id));
  const unknown = named.filter((t) => !catalogById.has(t.id));
  // The library's tracks in the page's order: the file's own, then the catalog's.
  const tracks = [...placed, ...joined.map((t) => ({ id: t.id, valence: catalogById.get(t.id).valence, energy: catalogById.get(t.id).energy }))];
  return { rows: rows.length, placed, named, joined, unknown, skipped, tracks };
}

/** The `n` nearest of `tracks` to a point, ties by order. */
export function nearest(tracks, valence, energy, n) {
  return tracks
    .map((t, i) => ({ id: t.id, i, d: Math.hypot(t.valence - valence, t.energy - energy) }))
    .sort((a, b) => a.d - b.d || a.i - b.i)
    .slice(0, n)
    .map((t) => t.id);
}
