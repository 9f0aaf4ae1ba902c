// The page's first list, then the app. The app's wasm is most of the page's bytes; before
// it is asked for, a small wasm of its own (crates/first-list: the core's FirstList) ranks
// the link's point over the tiled catalog exactly as the app will, this script reads the
// archive pieces it asks for (HTTP ranges, inflated by the browser) and shows its rows as
// a plain list. Then the app starts; its list replaces this one once drawn. The manifest
// read here is handed to the app, which would otherwise download it again. Anything that
// goes wrong here only starts the app sooner: the app says what is wrong.
const meta = (name) => document.querySelector(`meta[name="${name}"]`)?.content;
const APP = meta("moodplane-app");
const MANIFEST = meta("moodplane-tiles");
const GLUE = meta("moodplane-first-list-glue");
const WASM = meta("moodplane-first-list-wasm");
// The app never waits longer than this for the first list.
const WAIT_MOST_MS = 3000;

let appStarted = false;
function startApp() {
  if (appStarted || !APP) return;
  appStarted = true;
  import(APP);
}
setTimeout(startApp, WAIT_MOST_MS);

/** Loads the first list's wasm-bindgen glue (a classic script: `wasm_bindgen`). */
function loadGlue() {
  return new Promise((resolve, reject) => {
    const script = document.createElement("script");
    script.src = GLUE;
    script.onload = resolve;
    script.onerror = () => reject(new Error("the first list's script did not load"));
    document.head.append(script);
  });
}

// The pieces read, as they came (gzip), by offset: the app takes each (once) instead of
// reading it again (src/tiled/archive.rs), for its first list or a later one (a tile it
// fetches ahead); a few tens of KB, kept until taken.
const pieces = new Map();
window.moodplanePieces = pieces;
// Pieces read ahead to be cut from (the details around a linked track), by offset.
const kept = new Map();
// How a piece is read (crates/first-list `wanted`): one gzip blob; an id shard's slot;
// blobs kept as they came, later pieces inside them cut from them.
const [GZIP, SLOT, KEPT] = [0, 1, 2];

/** The bytes of the archive's piece at `offset`, `length` long, as they lie there. */
async function fetchPiece(archive, offset, length) {
  for (const [start, bytes] of kept) {
    if (offset >= start && offset + length <= start + bytes.length) return bytes.subarray(offset - start, offset - start + length);
  }
  const response = await fetch(archive, {
    headers: { Range: `bytes=${offset}-${offset + Math.max(length, 1) - 1}` },
    // As the app's ranges: past the browser's cache, which lets one request per URL through.
    cache: "no-store",
  });
  let bytes = new Uint8Array(await response.arrayBuffer());
  if (response.status === 200) bytes = bytes.subarray(offset, offset + length);
  else if (response.status !== 206) throw new Error(`the archive answered ${response.status}`);
  if (bytes.length !== length) throw new Error("the archive is shorter than its manifest says");
  pieces.set(offset, bytes);
  return bytes;
}

/** The piece at `offset` read as `form` says: its inflated bytes, or null when kept. */
async function readPiece(archive, offset, length, form) {
  const bytes = await fetchPiece(archive, offset, length);
  if (form === KEPT) {
    kept.set(offset, bytes);
    return null;
  }
  const gzip = form === SLOT ? wasm_bindgen.FirstList.gzip_in_slot(bytes) : bytes;
  // An empty shard holds no id.
  if (gzip.length === 0) return gzip;
  const inflated = new Blob([gzip]).stream().pipeThrough(new DecompressionStream("gzip"));
  return new Uint8Array(await new Response(inflated).arrayBuffer());
}

function cell(className, text) {
  const span = document.createElement("span");
  span.className = className;
  span.textContent = text;
  return span;
}

/** Shows the rows under the heading, as the app's list shows them (without its controls). */
function show(heading, rows) {
  const section = document.createElement("section");
  section.id = "first-list";
  section.className = "first-list";
  section.setAttribute("aria-labelledby", "first-list-heading");
  const title = document.createElement("h2");
  title.id = "first-list-heading";
  title.textContent = heading;
  const list = document.createElement("ol");
  list.className = "results";
  rows.forEach((row, k) => {
    const item = document.createElement("li");
    item.dataset.trackId = row.id;
    item.dataset.distance = String(row.exact_distance);
    const track = cell("track", "");
    track.append(cell("name", row.name), cell("artist", row.artist));
    const open = document.createElement("a");
    open.className = "open";
    open.href = row.url;
    open.target = "_blank";
    open.rel = "noopener noreferrer";
    open.textContent = "Open";
    open.setAttribute("aria-label", `Open ${row.name} by ${row.artist} in Spotify`);
    item.append(cell("rank", String(k + 1)), track, cell("genre", row.genre), cell("distance", row.distance), open);
    list.append(item);
  });
  section.append(title, list);
  document.body.append(section);
  // Gone once the app shows its own list, or what went wrong.
  whenAppListed(() => section.remove());
}

/** Calls `then` once the app shows its list (or why it has none: a failed load). */
function whenAppListed(then) {
  const listed = () => document.querySelector("#results li, #load-error");
  if (listed()) return then();
  const watch = new MutationObserver(() => {
    if (listed()) {
      watch.disconnect();
      then();
    }
  });
  watch.observe(document.body, { childList: true, subtree: true });
}

// The link's parameters a point's or a track's nearest list may have (core view_state.rs
// and options_state.rs); any other (a journey, a region) waits for the app, which then
// starts at once. The first list's wasm decides for the links that pass.
const LIST_PARAMETERS = new Set(["v", "e", "track", "n", "z", "w", "t", "gi", "gx", "ma", "rr"]);
const listsNearest = () => [...new URLSearchParams(location.search).keys()].every((key) => LIST_PARAMETERS.has(key));

async function firstList() {
  if (!MANIFEST || !GLUE || !WASM || typeof DecompressionStream !== "function" || !listsNearest()) return;
  const text = fetch(MANIFEST).then((r) => (r.ok ? r.text() : Promise.reject(new Error(`${r.status}`))));
  // The app takes this instead of downloading the manifest again (src/tiled/archive.rs).
  window.moodplaneManifest = { path: MANIFEST, text };
  text.catch(() => {});
  // The wasm downloads beside the manifest; a catalog read whole (its manifest has an
  // order) needs no first list, and the app, which reads it all, starts at once.
  const unwanted = new AbortController();
  // Preloaded (a build whose own catalog is tiled): it is on its way already, so it is
  // taken at once instead of after the glue.
  const preloaded = [...document.querySelectorAll('link[rel="preload"]')].some((link) => link.getAttribute("href") === WASM);
  const early = preloaded ? fetch(WASM) : null;
  const ready = loadGlue().then(() => wasm_bindgen({ module_or_path: early ?? fetch(WASM, { signal: unwanted.signal }) }));
  ready.catch(() => {});
  if (/"order":\s*\[/.test(await text)) {
    unwanted.abort();
    return;
  }
  await ready;
  const list = new wasm_bindgen.FirstList(await text, location.search);
  const archive = list.archive();
  for (let wanted = list.wanted(); wanted.length > 0; wanted = list.wanted()) {
    const reads = [];
    for (let k = 0; k < wanted.length; k += 3) {
      const [offset, length, form] = [wanted[k], wanted[k + 1], wanted[k + 2]];
      reads.push(readPiece(archive, offset, length, form).then((bytes) => [offset, bytes]));
    }
    // The app's download starts once the first list's own (its wasm) is done and its
    // ranges asked: they are small, and the link would idle through their round trips.
    startApp();
    for (const [offset, bytes] of await Promise.all(reads)) if (bytes) list.put(offset, bytes);
  }
  // The app may have come first (a slow first list): its list is the one to show.
  const rows = JSON.parse(list.rows());
  if (rows.length > 0 && !document.querySelector("#results li")) show(list.heading(), rows);
  list.free();
}

firstList()
  .catch(() => {})
  .finally(startApp);
