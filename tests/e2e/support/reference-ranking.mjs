// An independent reference for the page's ranking: reads the catalog CSV itself and ranks
// by brute force (Euclidean distance on valence/energy, ties by file order, the query
// track excluded), so end-to-end tests can compare what the page lists against it.
import assert from "node:assert/strict";
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

/** Tracks of a tutorial-format CSV: {id, name, artist, genre, valence, energy}. */
export function loadTutorialCsv(path) {
  const [header, ...rows] = parseCsv(readFileSync(path, "utf8").replace(/^\uFEFF/, ""));
  const col = (name) => header.indexOf(name);
  return rows
    .filter((r) => r.length === header.length)
    .map((r) => ({
      id: r[col("id")],
      name: r[col("track_name")],
      artist: r[col("artist_name")],
      genre: r[col("genre")],
      valence: Number(r[col("valence")]),
      energy: Number(r[col("energy")]),
    }));
}

/** Mean and population standard deviation (numpy's default) of `values`. */
export function meanAndSpread(values) {
  const mean = values.reduce((a, b) => a + b, 0) / values.length;
  const variance = values.reduce((a, x) => a + (x - mean) ** 2, 0) / values.length;
  return { mean, sd: Math.sqrt(variance) };
}

/** The least-squares line of energy on valence, Pearson's r, and each axis's mean. */
export function referenceLine(tracks) {
  const mv = meanAndSpread(tracks.map((t) => t.valence));
  const me = meanAndSpread(tracks.map((t) => t.energy));
  let sve = 0;
  for (const t of tracks) sve += (t.valence - mv.mean) * (t.energy - me.mean);
  return { slope: sve / (mv.sd * mv.sd * tracks.length), r: sve / (tracks.length * mv.sd * me.sd), valenceMean: mv.mean, energyMean: me.mean };
}

/**
 * Reference ranking with options: z-scores, a genre filter, at most `maxPerArtist` per
 * artist. Distances in z units when `zScore`.
 */
export function referenceRanking(tracks, valence, energy, n, opts = {}) {
  const sv = opts.zScore ? meanAndSpread(tracks.map((t) => t.valence)).sd : 1;
  const se = opts.zScore ? meanAndSpread(tracks.map((t) => t.energy)).sd : 1;
  const perArtist = new Map();
  const out = [];
  const ordered = tracks
    .map((t, index) => {
      const dv = valence - t.valence;
      const de = energy - t.energy;
      return { t, index, d2: (dv * dv) / (sv * sv) + (de * de) / (se * se) };
    })
    .filter(({ t }) => t.id !== opts.excludeId)
    .filter(({ t }) => !(opts.excludeGenres ?? []).includes(t.genre))
    .filter(({ t }) => !opts.includeGenres?.length || opts.includeGenres.includes(t.genre))
    .sort((a, b) => a.d2 - b.d2 || a.index - b.index);
  for (const { t, d2 } of ordered) {
    if (out.length === n) break;
    const seen = perArtist.get(t.artist) ?? 0;
    if (opts.maxPerArtist && seen >= opts.maxPerArtist) continue;
    perArtist.set(t.artist, seen + 1);
    out.push({ id: t.id, genre: t.genre, distance: Math.sqrt(d2) });
  }
  return out;
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

/**
 * Equal distances may come in another order than the reference's (a tiled catalog numbers
 * its tracks by tile), so ties are compared as sets; at the last distance the page's
 * tracks must be among the reference's tracks at that distance.
 */
export function assertSameRanking(actual, expected, everyAtLast) {
  assert.equal(actual.length, expected.length, "as many matches");
  actual.forEach((a, i) => assert.ok(Math.abs(a.distance - expected[i].distance) < 1e-12, `distance ${i}: ${a.distance} vs ${expected[i].distance}`));
  const groups = (list) => {
    const by = new Map();
    for (const t of list) {
      const key = t.distance.toFixed(12);
      by.set(key, [...(by.get(key) ?? []), t.id].sort());
    }
    return by;
  };
  const last = expected.at(-1)?.distance.toFixed(12);
  const [got, want] = [groups(actual), groups(expected)];
  for (const [key, ids] of want) {
    if (key === last) {
      const allowed = new Set(everyAtLast);
      for (const id of got.get(key) ?? []) assert.ok(allowed.has(id), `${id} is at the last distance`);
    } else {
      assert.deepEqual(got.get(key), ids, `the tracks at distance ${key}`);
    }
  }
}

/** The page's list as [{ id, distance }]. */
export async function listed(plane) {
  const ids = await plane.resultIds();
  const distances = await plane.resultDistances();
  return ids.map((id, i) => ({ id, distance: distances[i] }));
}

/** The reference's n nearest, and every track at the n-th distance (a tie may pick any). */
export function expectedWithTies(tracks, v, e, n, opts = {}) {
  const all = referenceRanking(tracks, v, e, tracks.length, opts);
  const top = all.slice(0, n);
  const lastDistance = top.at(-1)?.distance;
  const atLast = all.filter((t) => Math.abs(t.distance - lastDistance) < 1e-12).map((t) => t.id);
  return { top, atLast };
}

/** Waits (up to 10 s) until the listed tracks are the reference's `top` (ties at `atLast`). */
export async function waitForRanking(plane, top, atLast) {
  await plane.eventually(async () => assertSameRanking(await listed(plane), top, atLast));
}
