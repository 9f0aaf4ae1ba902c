// An independent reference for the page's ranking: reads the catalog CSV itself and ranks
// by brute force (Euclidean distance on valence/energy, ties by file order, the query
// track excluded), so end-to-end tests can compare what the page lists against it.
import { readFileSync } from "node:fs";

/** Parses RFC 4180 CSV (quotes, doubled quotes, commas and newlines inside quotes). */
export function parseCsv(text) {
  const rows = [];
  let row = [];
  let field = "";
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ",") {
      row.push(field);
      field = "";
    } else if (c === "\n" || c === "\r") {
      if (c === "\r" && text[i + 1] === "\n") i++;
      row.push(field);
      rows.push(row);
      row = [];
      field = "";
    } else field += c;
  }
  if (field !== "" || row.length) {
    row.push(field);
    rows.push(row);
  }
  return rows;
}

/** Tracks of a tutorial-format CSV: {id, name, valence, energy}. */
export function loadTutorialCsv(path) {
  const [header, ...rows] = parseCsv(readFileSync(path, "utf8").replace(/^\uFEFF/, ""));
  const col = (name) => header.indexOf(name);
  const [id, name, v, e] = [col("id"), col("track_name"), col("valence"), col("energy")];
  return rows
    .filter((r) => r.length === header.length)
    .map((r) => ({ id: r[id], name: r[name], valence: Number(r[v]), energy: Number(r[e]) }));
}

/** The n nearest tracks to (valence, energy), nearest first, excluding `excludeId`. */
export function bruteForceNearest(tracks, valence, energy, n, excludeId = null) {
  return tracks
    .map((t, index) => {
      const dv = valence - t.valence;
      const de = energy - t.energy;
      return { id: t.id, index, d2: dv * dv + de * de };
    })
    .filter((t) => t.id !== excludeId)
    .sort((a, b) => a.d2 - b.d2 || a.index - b.index)
    .slice(0, n)
    .map((t) => ({ id: t.id, distance: Math.sqrt(t.d2) }));
}
