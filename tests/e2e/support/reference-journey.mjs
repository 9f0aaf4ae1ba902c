// An independent reading of the journey rule (issue 12), for checking the page:
// n waypoints at equal arc-length spacing along the path (first at its start, last at its
// end); for each in order, the nearest track not yet chosen, ties by catalog order; with
// a gap k, no artist twice within k consecutive tracks. Plain options (valence, energy).

/** The catalog as the builder keeps it: the first row of each id. */
export function firstOfEachId(tracks) {
  const seen = new Set();
  return tracks.filter((t) => (seen.has(t.id) ? false : (seen.add(t.id), true)));
}

/** Waypoints along `vertices` ([[v, e], …]); the same arithmetic as the page. */
export function waypoints(vertices, count) {
  const segments = [];
  for (let k = 0; k + 1 < vertices.length; k++) {
    const dv = vertices[k + 1][0] - vertices[k][0];
    const de = vertices[k + 1][1] - vertices[k][1];
    segments.push(Math.sqrt(dv * dv + de * de));
  }
  const total = segments.reduce((a, b) => a + b, 0);
  const clamp = (x) => Math.min(1, Math.max(0, x));
  const pointAt = (target) => {
    let before = 0;
    for (let k = 0; k < segments.length; k++) {
      const after = before + segments[k];
      if (after >= target && segments[k] > 0) {
        const [a, b] = [vertices[k], vertices[k + 1]];
        const t = (target - before) / segments[k];
        return [clamp(a[0] + (b[0] - a[0]) * t), clamp(a[1] + (b[1] - a[1]) * t)];
      }
      before = after;
    }
    return vertices[vertices.length - 1];
  };
  const out = [vertices[0]];
  for (let j = 1; j < count - 1; j++) out.push(pointAt((total * j) / (count - 1)));
  out.push(vertices[vertices.length - 1]);
  return out;
}

/** The journey's tracks: [{ id, artist, distance, waypoint }] in path order. */
export function referenceJourney(catalog, vertices, count, gap = null) {
  const chosen = new Set();
  const recent = [];
  const out = [];
  for (const [wv, we] of waypoints(vertices, count)) {
    let best = null;
    catalog.forEach((t, index) => {
      if (chosen.has(index)) return;
      if (gap && recent.includes(t.artist)) return;
      const dv = wv - t.valence;
      const de = we - t.energy;
      const d2 = dv * dv + de * de;
      if (best === null || d2 < best.d2) best = { index, d2 };
    });
    if (best === null) break;
    const t = catalog[best.index];
    chosen.add(best.index);
    if (gap) {
      recent.push(t.artist);
      if (recent.length > gap - 1) recent.shift();
    }
    out.push({ id: t.id, artist: t.artist, distance: Math.sqrt(best.d2), waypoint: [wv, we] });
  }
  return out;
}

/** The path a page URL carries: `path=V,E;V,E…` → [[v, e], …]. */
export function pathOf(params) {
  return params
    .get("path")
    .split(";")
    .map((pair) => pair.split(",").map(Number));
}

/** Every track within `r` of (valence, energy), nearest first, ties by catalog order. */
export function referenceRadius(catalog, valence, energy, r) {
  return catalog
    .map((t, index) => {
      const dv = valence - t.valence;
      const de = energy - t.energy;
      return { id: t.id, index, d2: dv * dv + de * de };
    })
    .filter((t) => t.d2 <= r * r)
    .sort((a, b) => a.d2 - b.d2 || a.index - b.index)
    .map((t) => ({ id: t.id, distance: Math.sqrt(t.d2) }));
}

/** Even–odd test with the half-open crossing rule. */
export function insidePolygon(vertices, [pv, pe]) {
  let inside = false;
  for (let i = 0, j = vertices.length - 1; i < vertices.length; j = i++) {
    const [av, ae] = vertices[i];
    const [bv, be] = vertices[j];
    if (ae > pe !== be > pe) {
      const cross = ((bv - av) * (pe - ae)) / (be - ae) + av;
      if (pv < cross) inside = !inside;
    }
  }
  return inside;
}

/** Every track inside the region, nearest its centre (the vertices' mean, to 1/1000) first. */
export function referenceLasso(catalog, vertices) {
  const round = (x) => Math.round(x * 1000) / 1000;
  const cv = round(vertices.reduce((a, v) => a + v[0], 0) / vertices.length);
  const ce = round(vertices.reduce((a, v) => a + v[1], 0) / vertices.length);
  return catalog
    .map((t, index) => ({ t, index }))
    .filter(({ t }) => insidePolygon(vertices, [t.valence, t.energy]))
    .map(({ t, index }) => {
      const dv = cv - t.valence;
      const de = ce - t.energy;
      return { id: t.id, index, d2: dv * dv + de * de };
    })
    .sort((a, b) => a.d2 - b.d2 || a.index - b.index)
    .map((t) => ({ id: t.id, distance: Math.sqrt(t.d2) }));
}

/** The vertices a page URL carries under `name` (`path` or `lasso`). */
export function verticesOf(params, name) {
  return params
    .get(name)
    .split(";")
    .map((pair) => pair.split(",").map(Number));
}
