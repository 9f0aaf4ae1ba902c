// The core flows in every engine (issue 15): Chromium, Firefox ESR and WebKitGTK drive
// the same release build through one driver API (support/drivers.mjs). Each list is
// compared with the independent reference ranking the Chromium suite uses; the server
// sends the page's own CSP again as a header with report-uri, so any violation in any
// engine is reported to it, and the page's errors are collected too.
// ENGINES=firefox,webkit picks engines (default: all three).
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { execSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";

import { bruteForceNearest, loadTutorialCsv, referenceRanking } from "../e2e/support/reference-ranking.mjs";
import { firstOfEachId, referenceJourney } from "../e2e/support/reference-journey.mjs";
import { nearest, readExport } from "../e2e/support/reference-library.mjs";
import { ROOT, DIST } from "../e2e/support/session.mjs";
import { sendBytes, serveStatic } from "../e2e/support/static-server.mjs";
import { pageCatalog } from "../e2e/support/tiled-build.mjs";
import { ENGINES, launchEngine } from "./support/drivers.mjs";

const tracks = loadTutorialCsv(join(ROOT, "data", "valence_arousal_11k.csv"));
const catalog = firstOfEachId(tracks);
const catalogById = new Map(catalog.map((t) => [t.id, t]));
const LIBRARY_FIXTURE = join(ROOT, "tests", "fixtures", "library", "exportify_with_features.csv");
const AREA = { left: 64, top: 16, size: 560, canvas: 640 };
const chosen = (process.env.ENGINES ?? ENGINES.join(",")).split(",").map((e) => e.trim()).filter(Boolean);

/** The page's CSP (from its meta tag) sent again as a header that reports violations. */
function reportingPolicy() {
  const html = readFileSync(join(DIST, "index.html"), "utf8");
  const policy = html.match(/http-equiv="Content-Security-Policy"\s+content="([^"]+)"/)[1];
  return `${policy}; report-uri /__csp-report`;
}

for (const engine of chosen) {
  describe(engine, () => {
    let driver;
    let server;
    let failCatalog = false;
    const reports = [];
    before(async () => {
      server = await serveStatic(
        DIST,
        {
          "/__csp-report": (req, res) => {
            let body = "";
            req.on("data", (c) => (body += c));
            req.on("end", () => {
              reports.push(body);
              res.writeHead(204).end();
            });
          },
          [`/${pageCatalog().manifest.archive}`]: (req, res) => {
            if (failCatalog) return res.writeHead(500).end("boom");
            sendBytes(req, res, pageCatalog().archive, { "content-type": "application/octet-stream" });
          },
        },
        { "content-security-policy": reportingPolicy() },
      );
      driver = await launchEngine(engine);
      console.log(`# ${engine}: ${await driver.version()}`);
    });
    after(async () => {
      await driver?.quit();
      await server?.close();
    });

    /**
     * Opens the page at `search` and waits for `ready` (default: a results list). A lost
     * browser session (WebKitGTK under Xvfb now and then ends one with “page crash or
     * hang” while a page loads, seen in 2 of some 8 CI runs) is said in the log, and a
     * new session opens the page once more, so one crash never fails the tests after it.
     * A page's own errors are not driver errors: they still fail the test.
     */
    async function open(search = "", ready = () => document.querySelectorAll("#results li").length > 0) {
      try {
        await load(search, ready);
      } catch (error) {
        // Right after the crash the driver may answer a bare WebDriverError before it
        // knows the session is gone.
        if (!["NoSuchSessionError", "WebDriverError"].includes(error?.name)) throw error;
        console.log(`# ${engine}: the browser session was lost (${error.message || "no message"}); a new one opens the page again`);
        await driver.quit();
        driver = await launchEngine(engine);
        await load(search, ready);
      }
    }

    async function load(search, ready) {
      await driver.newPage();
      await driver.goto(server.url + search);
      // A cold engine's first wasm compile can be slow under Xvfb's software rendering.
      await waitForWithin(60000, ready);
    }

    const waitFor = (condition, ...args) => waitForWithin(20000, condition, ...args);

    async function waitForWithin(ms, condition, ...args) {
      const deadline = Date.now() + ms;
      for (;;) {
        if (await driver.eval(condition, ...args)) return;
        if (Date.now() > deadline) throw new Error(`${engine}: timed out waiting for ${condition}`);
        await new Promise((ok) => setTimeout(ok, 50));
      }
    }

    const ids = () => driver.eval(() => [...document.querySelectorAll("#results li")].map((li) => li.dataset.trackId));
    const params = () => driver.eval(() => Object.fromEntries(new URLSearchParams(location.search)));

    /** Viewport pixel of a mood on the plane. */
    const pixelOf = (valence, energy) =>
      driver.eval(
        (v, e, a) => {
          const box = document.querySelector("#plane").getBoundingClientRect();
          const scale = box.width / a.canvas;
          return { x: box.left + (a.left + v * a.size) * scale, y: box.top + (a.top + (1 - e) * a.size) * scale };
        },
        valence,
        energy,
        AREA,
      );

    /** No errors in the page, no CSP report at the server. */
    async function assertClean() {
      const errors = await driver.eval(() => window.__moodplaneErrors ?? []);
      assert.deepEqual(errors, [], `${engine}: page errors`);
      // Reports are sent asynchronously: give them a moment to arrive.
      await new Promise((ok) => setTimeout(ok, 200));
      assert.deepEqual(reports, [], `${engine}: CSP violations`);
      await driver.closePage();
    }

    test("loads, draws the plane and lists the centre's 10 nearest", async () => {
      await open();
      assert.deepEqual(await ids(), bruteForceNearest(tracks, 0.5, 0.5, 10).map((t) => t.id));
      const inked = await driver.eval(() => {
        const c = document.querySelector(".plane-base");
        const data = c.getContext("2d").getImageData(0, 0, c.width, c.height).data;
        let n = 0;
        for (let i = 0; i < data.length; i += 4) if (data[i] < 200 || data[i + 1] < 200 || data[i + 2] < 200) n++;
        return n;
      });
      assert.ok(inked > 20000, `${engine}: the catalog is drawn (${inked} inked pixels)`);
      await assertClean();
    });

    test("a click and a drag move the point; the list follows", async () => {
      await open();
      const at = await pixelOf(0.3, 0.7);
      await driver.pointer([at]);
      await waitFor(() => new URLSearchParams(location.search).get("v") !== "0.500");
      let p = await params();
      assert.ok(Math.abs(Number(p.v) - 0.3) < 0.01 && Math.abs(Number(p.e) - 0.7) < 0.01, JSON.stringify(p));
      await waitFor((want) => document.querySelector("#results li")?.dataset.trackId === want, bruteForceNearest(tracks, Number(p.v), Number(p.e), 1)[0].id);
      assert.deepEqual(await ids(), bruteForceNearest(tracks, Number(p.v), Number(p.e), 10).map((t) => t.id));
      const from = await pixelOf(0.3, 0.7);
      const to = await pixelOf(0.8, 0.2);
      const steps = Array.from({ length: 11 }, (_, i) => ({ x: from.x + ((to.x - from.x) * i) / 10, y: from.y + ((to.y - from.y) * i) / 10 }));
      await driver.pointer(steps);
      await waitFor(() => {
        const q = new URLSearchParams(location.search);
        return Math.abs(Number(q.get("v")) - 0.8) < 0.01 && Math.abs(Number(q.get("e")) - 0.2) < 0.01;
      });
      p = await params();
      await waitFor((want) => document.querySelector("#results li")?.dataset.trackId === want, bruteForceNearest(tracks, Number(p.v), Number(p.e), 1)[0].id);
      assert.deepEqual(await ids(), bruteForceNearest(tracks, Number(p.v), Number(p.e), 10).map((t) => t.id));
      await assertClean();
    });

    test("arrow keys move the point when the plane has focus", async () => {
      await open("?v=0.500&e=0.500");
      await driver.eval(() => document.querySelector("#plane").focus());
      for (let i = 0; i < 3; i++) await driver.press("ArrowUp");
      await driver.press("ArrowLeft");
      await waitFor(() => new URLSearchParams(location.search).get("e") === "0.530" && new URLSearchParams(location.search).get("v") === "0.490");
      await waitFor((want) => document.querySelector("#results li")?.dataset.trackId === want, bruteForceNearest(tracks, 0.49, 0.53, 1)[0].id);
      assert.deepEqual(await ids(), bruteForceNearest(tracks, 0.49, 0.53, 10).map((t) => t.id));
      await assertClean();
    });

    test("a pasted catalog link becomes the query and is left out of its matches", async () => {
      await open();
      const track = tracks.find((t) => t.id === "6Zewjs7at1sPyc03lUoAHB");
      await driver.type("#track-link", `https://open.spotify.com/track/${track.id}?si=abc`);
      await driver.press("Enter");
      await waitFor(() => document.querySelector("#query-track") !== null);
      const expected = bruteForceNearest(tracks, track.valence, track.energy, 10, track.id).map((t) => t.id);
      await waitFor((want) => document.querySelector("#results li")?.dataset.trackId === want, expected[0]);
      assert.deepEqual(await ids(), expected);
      assert.equal((await params()).track, track.id);
      // A paste: the browser inserts the text and says so (inputType insertFromPaste);
      // the page looks the link up at once, without Enter.
      const other = tracks.find((t) => t.id === "0KpfYajJVVGgQ32Dby7e9i");
      await driver.eval((text) => {
        const input = document.querySelector("#track-link");
        input.focus();
        input.value = text;
        input.dispatchEvent(new InputEvent("input", { inputType: "insertFromPaste", data: text, bubbles: true }));
      }, `Listen to this: https://open.spotify.com/track/${other.id}?si=x !`);
      await waitFor((id) => new URLSearchParams(location.search).get("track") === id, other.id);
      const pasted = bruteForceNearest(tracks, other.valence, other.energy, 10, other.id).map((t) => t.id);
      await waitFor((want) => document.querySelector("#results li")?.dataset.trackId === want, pasted[0]);
      assert.deepEqual(await ids(), pasted);
      // A block of links, copied and pasted with the keyboard through the real clipboard
      // (a script-made paste event carries no data in Firefox).
      await driver.eval((text) => {
        const source = document.createElement("textarea");
        source.id = "copy-source";
        source.value = text;
        document.body.append(source);
        source.focus();
        source.select();
      }, [track.id, other.id].map((id) => `https://open.spotify.com/track/${id}`).join("\n"));
      await driver.withControl("c");
      await driver.eval(() => {
        document.querySelector("#copy-source").remove();
        document.querySelector("#track-link").focus();
      });
      await driver.withControl("v");
      await waitFor(() => /2 of 2 placed/.test(document.querySelector("#pasted-summary")?.textContent ?? ""));
      await assertClean();
    });

    test("a shared link reproduces its list, options included", async () => {
      await open("?v=0.304&e=0.058&n=5");
      assert.deepEqual(await ids(), bruteForceNearest(tracks, 0.304, 0.058, 5).map((t) => t.id));
      await driver.closePage();
      await open("?v=0.300&e=0.700&n=8&z=1");
      const zScored = referenceRanking(tracks, 0.3, 0.7, 8, { zScore: true }).map((t) => t.id);
      assert.deepEqual(await ids(), zScored);
      // The options panel (open by default): untick z-scores and the plain list returns.
      await driver.click("#opt-zscore");
      await waitFor(() => new URLSearchParams(location.search).get("z") === null);
      const plain = bruteForceNearest(tracks, 0.3, 0.7, 8).map((t) => t.id);
      await waitFor((want) => document.querySelector("#results li")?.dataset.trackId === want, plain[0]);
      assert.deepEqual(await ids(), plain);
      await assertClean();
    });

    test("a failed catalog load says so, and Try again recovers", async () => {
      failCatalog = true;
      try {
        await open("", () => document.querySelector("#load-error") !== null);
        assert.match(await driver.eval(() => document.querySelector("#load-error").textContent), /answered 500/);
      } finally {
        failCatalog = false;
      }
      await driver.eval(() => [...document.querySelectorAll("button")].find((b) => b.textContent.includes("Try again")).click());
      await waitFor(() => document.querySelectorAll("#results li").length === 10);
      await driver.closePage();
    });

    test(
      "a lost session (the page's web process killed, as WebKitGTK's crash ends it) is replaced, and the page opens again",
      { skip: engine !== "webkit" && "WebKit only: the crash seen in CI is WebKitGTK's" },
      async () => {
        await open();
        // Exits non-zero, failing the test, when there is no such process to kill.
        execSync("pkill WebKitWebProc");
        await open();
        assert.equal(await driver.eval(() => document.querySelectorAll("#results li").length), 10);
        await driver.closePage();
      },
    );

    test("the checks themselves: a CSP violation and a page error are caught", async () => {
      await open();
      await driver.eval(() => {
        const img = document.createElement("img");
        img.src = "https://example.invalid/canary.png";
        document.body.append(img);
        setTimeout(() => {
          throw new Error("canary");
        }, 0);
      });
      await waitFor(() => (window.__moodplaneErrors ?? []).some((e) => e.includes("canary")));
      const deadline = Date.now() + 5000;
      while (reports.length === 0 && Date.now() < deadline) await new Promise((ok) => setTimeout(ok, 50));
      assert.ok(reports.some((r) => r.includes("canary.png")), `${engine}: the violation was reported: ${reports}`);
      reports.length = 0;
      await driver.closePage();
    });

    test("the player, the CSV export and a journey", async () => {
      await open("?v=0.300&e=0.700&n=5");
      const shown = await ids();
      await driver.click("#results li:nth-child(2)");
      await waitFor(() => document.querySelector("#player-frame") !== null);
      assert.equal(await driver.eval(() => document.querySelector("#player-frame").getAttribute("src")), `https://open.spotify.com/embed/track/${shown[1]}`);
      // The download's text, read where the page hands it to the browser.
      await driver.eval(() => {
        const original = URL.createObjectURL;
        URL.createObjectURL = (blob) => {
          blob.text().then((t) => (window.__download = t));
          return original(blob);
        };
      });
      await driver.click("#results-csv");
      await waitFor(() => typeof window.__download === "string");
      const rows = (await driver.eval(() => window.__download)).trim().split("\n").slice(1);
      assert.deepEqual(rows.map((r) => r.split(",")[1]), shown);
      await driver.closePage();
      await open("?path=0.900,0.950;0.500,0.500;0.100,0.050&n=20");
      const expected = referenceJourney(catalog, [[0.9, 0.95], [0.5, 0.5], [0.1, 0.05]], 20).map((t) => t.id);
      await waitFor((n) => document.querySelectorAll("#results li").length === n, expected.length);
      assert.deepEqual(await ids(), expected);
      await assertClean();
    });

    test("a CSV dropped on the page becomes a library: read in a worker, kept across a reload, searched alone", async () => {
      await open("?v=0.500&e=0.500&n=10");
      const file = readExport(LIBRARY_FIXTURE, catalogById);
      await driver.eval((text) => {
        const transfer = new DataTransfer();
        transfer.items.add(new File([text], "mine.csv", { type: "text/csv" }));
        const target = document.querySelector("#plane");
        for (const type of ["dragover", "drop"]) target.dispatchEvent(new DragEvent(type, { dataTransfer: transfer, bubbles: true, cancelable: true }));
      }, readFileSync(LIBRARY_FIXTURE, "utf8"));
      const summary = () => document.querySelector("#library-list > li .library-summary")?.textContent ?? "";
      await waitForWithin(60000, () => document.querySelector("#library-list > li .library-summary") !== null);
      assert.equal(await driver.eval(summary), `placed ${file.tracks.length} of ${file.placed.length + file.named.length} (${file.placed.length} by the file's own valence and energy, ${file.joined.length} from the catalog); ${file.unknown.length} have no mood here`);
      await driver.click("#only-mine");
      const expected = nearest(file.tracks, 0.5, 0.5, 10);
      await waitFor((want) => document.querySelector("#results li")?.dataset.trackId === want, expected[0]);
      assert.deepEqual(await ids(), expected);
      // Kept in this engine's storage, then removed for good.
      await driver.goto(server.url + "?v=0.500&e=0.500&n=10");
      await waitForWithin(60000, () => document.querySelector("#library-list > li") !== null);
      await driver.click("#library-list > li .library-remove");
      await waitFor(() => document.querySelectorAll("#library-list > li").length === 0);
      await driver.goto(server.url + "?v=0.500&e=0.500&n=10");
      await waitForWithin(60000, () => document.querySelectorAll("#results li").length > 0);
      await new Promise((ok) => setTimeout(ok, 500));
      assert.equal(await driver.eval(() => document.querySelectorAll("#library-list > li").length), 0);
      await assertClean();
    });
  });
}
