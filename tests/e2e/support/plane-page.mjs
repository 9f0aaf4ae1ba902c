// Page object for the mood plane page: where things are, and how a person acts on them.
export const CANVAS = 640;
export const AREA = { left: 64, top: 16, size: 560 };

export class PlanePage {
  constructor(page) {
    this.page = page;
    this.plane = page.locator("#plane");
    this.results = page.locator("#results li");
    this.queryText = page.locator("#query-text");
    this.linkInput = page.locator("#track-link");
    this.linkMessage = page.locator("#link-message");
    this.countInput = page.locator("#match-count");
  }

  async open(baseUrl, search = "") {
    /** The page's own origin: any request elsewhere left the page. */
    this.origin = new URL(baseUrl).origin;
    await this.page.goto(baseUrl + search);
    await this.results.first().waitFor({ timeout: 20000 });
  }

  /** Screen coordinates of a mood on the plane. */
  async pointOf(valence, energy) {
    await this.plane.scrollIntoViewIfNeeded();
    const box = await this.plane.boundingBox();
    const scale = box.width / CANVAS;
    return {
      x: box.x + (AREA.left + valence * AREA.size) * scale,
      y: box.y + (AREA.top + (1 - energy) * AREA.size) * scale,
    };
  }

  /** Pastes `text` into the link box as a clipboard paste (keeping its line breaks). */
  async pasteFromClipboard(text) {
    await this.linkInput.evaluate((input, data) => {
      const transfer = new DataTransfer();
      transfer.setData("text/plain", data);
      input.focus();
      input.dispatchEvent(new ClipboardEvent("paste", { clipboardData: transfer, bubbles: true, cancelable: true }));
    }, text);
  }

  /** The accessible name of the element `selector` matches, as Playwright's ARIA
   *  snapshot computes it (aria-labelledby, aria-label and contents counted), read in the
   *  page with no DevTools session of its own. */
  async accessibleName(selector) {
    const snapshot = await this.page.locator(selector).ariaSnapshot();
    const quoted = /^- [\w-]+ ("(?:[^"\\]|\\.)*")/.exec(snapshot);
    if (!quoted) throw new Error(`no accessible name in the snapshot of ${selector}: ${snapshot}`);
    return JSON.parse(quoted[1]);
  }

  /** Picks `file` in “Find the mood of an audio file” and waits for the question asked
   *  before anything is sent. */
  async pickAudioFile(file) {
    await this.page.locator("#audio-file summary").click();
    await this.page.locator("#audio-file-input").setInputFiles(file);
    await this.page.locator("#audio-confirm-question", { hasText: `Send “${file.name}”` }).waitFor();
  }

  /** Confirms the picked audio file and waits until its mood is placed. */
  async sendPickedAudioFile() {
    await this.page.locator("#audio-send").click();
    await this.page.locator("#audio-status", { hasText: "placed at its mood (from ReccoBeats)" }).waitFor();
  }

  async resultIds() {
    return this.results.evaluateAll((items) => items.map((li) => li.dataset.trackId));
  }

  async resultDistances() {
    return this.results.evaluateAll((items) => items.map((li) => Number(li.dataset.distance)));
  }

  /** Waits until the page has written a query string that passes `check(params)`. */
  async waitForUrl(check, timeoutMs = 5000) {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const params = await this.urlParams();
      if (check(params)) return params;
      if (Date.now() > deadline) throw new Error(`URL never matched ${check}: ${this.page.url()}`);
      await this.page.waitForTimeout(50);
    }
  }

  /** Runs `check` until it passes, every 100 ms for up to `timeoutMs`; then its last failure. */
  async eventually(check, timeoutMs = 10000) {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      try {
        return await check();
      } catch (error) {
        if (Date.now() > deadline) throw error;
        await this.page.waitForTimeout(100);
      }
    }
  }

  async urlParams() {
    return new URL(this.page.url()).searchParams;
  }

  /** Drags the point from one mood to another in small steps, like a hand would. */
  async drag(from, to, steps = 12) {
    const a = await this.pointOf(from.valence, from.energy);
    const b = await this.pointOf(to.valence, to.energy);
    await this.page.mouse.move(a.x, a.y);
    await this.page.mouse.down();
    await this.page.mouse.move(b.x, b.y, { steps });
    await this.page.mouse.up();
  }

  /** Pixels of exactly colour [r, g, b] on the overlay canvas (a layer's markers). */
  async overlayPixels([r, g, b]) {
    return this.page.evaluate(([r, g, b]) => {
      const c = document.querySelector("#plane");
      const data = c.getContext("2d").getImageData(0, 0, c.width, c.height).data;
      let n = 0;
      for (let i = 0; i < data.length; i += 4) if (data[i] === r && data[i + 1] === g && data[i + 2] === b) n++;
      return n;
    }, [r, g, b]);
  }

  /** Pixels of a histogram's bars (bluish) on the canvas `selector` of the analysis. */
  async barPixels(selector) {
    return this.page.evaluate((selector) => {
      const c = document.querySelector(selector);
      const d = c.getContext("2d").getImageData(0, 0, c.width, c.height).data;
      let n = 0;
      for (let i = 0; i < d.length; i += 4) if (d[i] < 200 && d[i + 2] > 100) n++;
      return n;
    }, selector);
  }

  /** As `barPixels`, once more than `min` are inked or 5 s have passed: the analysis
   * panel's histograms are drawn when the page is first idle. */
  async barPixelsOnceDrawn(selector, min) {
    let inked = await this.barPixels(selector);
    for (const deadline = Date.now() + 5000; inked <= min && Date.now() < deadline; ) {
      await this.page.waitForTimeout(50);
      inked = await this.barPixels(selector);
    }
    return inked;
  }

  /** Non-white pixels on the base canvas: the plot is drawn when this is large. */
  async inkedPixels() {
    return this.page.evaluate(() => {
      const c = document.querySelector(".plane-base");
      const data = c.getContext("2d").getImageData(0, 0, c.width, c.height).data;
      let inked = 0;
      for (let i = 0; i < data.length; i += 4) {
        if (data[i] < 200 || data[i + 1] < 200 || data[i + 2] < 200) inked++;
      }
      return inked;
    });
  }
}
