// One small driver API over the three engines, so the cross-engine suite is written once:
// Chromium (playwright-core), Firefox ESR (puppeteer-core over WebDriver BiDi) and
// WebKitGTK (WebKitWebDriver, classic WebDriver through selenium-webdriver, under Xvfb).
// Each driver opens pages, runs a function in the page, clicks, drags with pointer
// actions, presses keys and types; and each records the page's uncaught errors and
// console errors (WebKit: from the moment the page has loaded; see README "Browsers").
import { spawn } from "node:child_process";
import { createServer } from "node:net";

import { chromium } from "playwright-core";

export const ENGINES = ["chromium", "firefox", "webkit"];

/** Installed in every page (from load where the engine allows): keeps errors for checks. */
const WATCH = `(() => {
  if (window.__moodplaneErrors) return;
  window.__moodplaneErrors = [];
  addEventListener("error", (e) => window.__moodplaneErrors.push("error: " + e.message));
  addEventListener("unhandledrejection", (e) => window.__moodplaneErrors.push("rejection: " + e.reason));
  const original = console.error;
  console.error = (...args) => { window.__moodplaneErrors.push("console.error: " + args.join(" ")); original.apply(console, args); };
})();`;

/**
 * `fn(...args)` as an expression for the automation protocol to evaluate: nothing is
 * evaluated by the page itself, so the page's CSP (no 'unsafe-eval') is not involved.
 */
function call(fn, args) {
  return `(${fn.toString()})(...${JSON.stringify(args)})`;
}

async function freePort() {
  return new Promise((ok) => {
    const server = createServer().listen(0, "127.0.0.1", () => {
      const { port } = server.address();
      server.close(() => ok(port));
    });
  });
}

/** What Playwright's and Puppeteer's pages do alike: the pointer, keys and fields. */
class PageDriver {
  async goto(url) {
    await this.page.goto(url);
  }
  async eval(fn, ...args) {
    return this.page.evaluate(call(fn, args));
  }
  async click(selector) {
    await this.page.locator(selector).click();
  }
  async pointer(points) {
    const [first, ...rest] = points;
    await this.page.mouse.move(first.x, first.y);
    await this.page.mouse.down();
    for (const p of rest) await this.page.mouse.move(p.x, p.y);
    await this.page.mouse.up();
  }
  async press(key) {
    await this.page.keyboard.press(key);
  }
  async withControl(key) {
    await this.page.keyboard.down("Control");
    await this.page.keyboard.press(key);
    await this.page.keyboard.up("Control");
  }
  async type(selector, text) {
    await this.page.locator(selector).fill(text);
  }
  async closePage() {
    await this.context?.close();
  }
  async quit() {
    await this.browser.close();
  }
}

class ChromiumDriver extends PageDriver {
  static async launch() {
    const browser = await chromium.launch({
      executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
      args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
    });
    return new ChromiumDriver(browser);
  }
  constructor(browser) {
    super();
    this.browser = browser;
  }
  async version() {
    return `Chromium ${this.browser.version()}`;
  }
  async newPage() {
    this.context = await this.browser.newContext({ viewport: { width: 1280, height: 900 } });
    this.page = await this.context.newPage();
    await this.page.addInitScript(WATCH);
  }
}

class FirefoxDriver extends PageDriver {
  static async launch() {
    const puppeteer = (await import("puppeteer-core")).default;
    const browser = await puppeteer.launch({
      browser: "firefox",
      executablePath: process.env.FIREFOX_PATH ?? "/usr/bin/firefox-esr",
      headless: true,
      protocol: "webDriverBiDi",
      // No telemetry, updates or other background connections from a test browser.
      extraPrefsFirefox: { "network.dns.disableIPv6": true, "app.update.enabled": false, "datareporting.policy.dataSubmissionEnabled": false },
    });
    return new FirefoxDriver(browser);
  }
  constructor(browser) {
    super();
    this.browser = browser;
  }
  async version() {
    return (await this.browser.version()).replace(/^firefox\//i, "Firefox ");
  }
  async newPage() {
    this.context = await this.browser.createBrowserContext();
    this.page = await this.context.newPage();
    await this.page.setViewport({ width: 1280, height: 900 });
    await this.page.evaluateOnNewDocument(WATCH);
  }
}

/** WebKit keys by the names the suite uses (Playwright's). */
const WEBDRIVER_KEYS = { ArrowUp: "\uE013", ArrowDown: "\uE015", ArrowLeft: "\uE012", ArrowRight: "\uE014", Enter: "\uE007", Backspace: "\uE003" };

class WebKitDriver {
  static async launch() {
    const { Builder } = await import("selenium-webdriver");
    const port = await freePort();
    const server = spawn(process.env.WEBKIT_DRIVER_PATH ?? "WebKitWebDriver", [`--port=${port}`], { stdio: "ignore" });
    for (let i = 0; i < 100; i++) {
      try {
        const status = await fetch(`http://127.0.0.1:${port}/status`);
        if (status.ok) break;
      } catch {
        // not listening yet
      }
      await new Promise((ok) => setTimeout(ok, 100));
    }
    const driver = await new Builder()
      .usingServer(`http://127.0.0.1:${port}`)
      .withCapabilities({
        browserName: "MiniBrowser",
        "webkitgtk:browserOptions": {
          binary: process.env.WEBKIT_BROWSER_PATH ?? "/usr/lib/x86_64-linux-gnu/webkit2gtk-4.1/MiniBrowser",
          args: ["--automation", "--geometry=1280x900"],
        },
      })
      .build();
    return new WebKitDriver(driver, server);
  }
  constructor(driver, server) {
    this.driver = driver;
    this.server = server;
  }
  async version() {
    const caps = await this.driver.getCapabilities();
    return `WebKitGTK ${caps.get("browserVersion")}`;
  }
  async newPage() {
    // Classic WebDriver has one session per browser: a fresh page is a blank navigation
    // with storage cleared.
    await this.driver.get("about:blank");
  }
  async goto(url) {
    await this.driver.get(url);
    // No preload scripts in classic WebDriver: errors are watched from here on.
    await this.driver.executeScript(WATCH);
  }
  async eval(fn, ...args) {
    return transientRetried(() => this.driver.executeScript(`return (${fn.toString()})(...arguments)`, ...args));
  }
  async click(selector) {
    const { By } = await import("selenium-webdriver");
    await transientRetried(async () => {
      const element = await this.driver.findElement(By.css(selector));
      // WebKitWebDriver scrolls an element only to the viewport's edge, where its click can
      // land outside it (a checkbox below the fold stayed unchecked): centre it first.
      await this.driver.executeScript("arguments[0].scrollIntoView({ block: 'center' })", element);
      await element.click();
    });
  }
  async pointer(points) {
    const [first, ...rest] = points;
    let actions = this.driver.actions({ async: true }).move({ x: Math.round(first.x), y: Math.round(first.y), origin: "viewport" }).press();
    for (const p of rest) actions = actions.move({ x: Math.round(p.x), y: Math.round(p.y), origin: "viewport", duration: 10 });
    await actions.release().perform();
  }
  async press(key) {
    await this.driver.actions({ async: true }).sendKeys(WEBDRIVER_KEYS[key] ?? key).perform();
  }
  async withControl(key) {
    const control = "\uE009";
    await this.driver.actions({ async: true }).keyDown(control).sendKeys(key).keyUp(control).perform();
  }
  async type(selector, text) {
    const { By } = await import("selenium-webdriver");
    const input = await this.driver.findElement(By.css(selector));
    await input.clear();
    await input.sendKeys(text);
  }
  async closePage() {
    await this.driver.executeScript("try { localStorage.clear(); sessionStorage.clear(); } catch (e) {}");
  }
  async quit() {
    await this.driver.quit().catch(() => {});
    this.server.kill();
  }
}

export async function launchEngine(name) {
  switch (name) {
    case "chromium":
      return ChromiumDriver.launch();
    case "firefox":
      return FirefoxDriver.launch();
    case "webkit":
      return WebKitDriver.launch();
    default:
      throw new Error(`unknown engine ${name}`);
  }
}

/**
 * WebKitWebDriver under load now and then answers a script or a click with a bare
 * WebDriverError (an empty message, or “Could not parse script result”) that a second
 * try does not repeat. Such an error, and only it (not a page's JavaScript error, a
 * missing element or a lost session), is tried once more after a pause.
 */
async function transientRetried(action) {
  try {
    return await action();
  } catch (error) {
    if (error?.name !== "WebDriverError") throw error;
    await new Promise((resolve) => setTimeout(resolve, 250));
    return action();
  }
}
