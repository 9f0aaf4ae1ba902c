// Runs axe-core (npm) inside a page. The page's CSP forbids inline script, so the axe
// source is not added as a <script>: Playwright's evaluate runs it through the DevTools
// protocol, which the CSP does not govern, and the page's own policy stays in force.
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);
const AXE_SOURCE = readFileSync(require.resolve("axe-core/axe.min.js"), "utf8");

/** Impacts that fail a test; moderate and minor ones are only reported. */
export const BLOCKING = new Set(["serious", "critical"]);

/**
 * Audits the page (or the part under `selector`) against WCAG 2.x A and AA and best
 * practices. Returns axe's violations, each with its impact, rule id and offending nodes.
 */
export async function audit(page, selector = "body") {
  const loaded = await page.evaluate(() => typeof window.axe === "object");
  if (!loaded) await page.evaluate(AXE_SOURCE);
  return page.evaluate(async (context) => {
    const result = await window.axe.run(context, {
      runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"] },
      resultTypes: ["violations"],
    });
    return result.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      nodes: v.nodes.map((n) => ({ target: n.target.join(" "), summary: n.failureSummary })),
    }));
  }, selector);
}

/** One line per violation and node, for assertion messages and notes. */
export function describe(violations) {
  return violations
    .flatMap((v) => v.nodes.map((n) => `[${v.impact}] ${v.id}: ${v.help} — ${n.target}\n    ${n.summary?.replace(/\n/g, "\n    ")}`))
    .join("\n");
}
