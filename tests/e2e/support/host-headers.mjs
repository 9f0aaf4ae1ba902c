// Reads a deploy folder's _headers file (the Netlify / Cloudflare Pages format) so the
// deploy tests' servers send what such a host would.

/** The rules: [{ pattern, headers }]; a pattern ending in * matches a prefix. */
export function readHeaderRules(text) {
  const rules = [];
  for (const line of text.split("\n")) {
    if (!line.trim()) continue;
    if (!line.startsWith(" ")) rules.push({ pattern: line.trim(), headers: {} });
    else {
      const [name, ...value] = line.trim().split(":");
      rules.at(-1).headers[name.toLowerCase()] = value.join(":").trim();
    }
  }
  return rules;
}

/** The headers `rules` give `path`. */
export function headersFor(rules, path) {
  const headers = {};
  for (const rule of rules) {
    const match = rule.pattern.endsWith("*") ? path.startsWith(rule.pattern.slice(0, -1)) : path === rule.pattern;
    if (match) Object.assign(headers, rule.headers);
  }
  return headers;
}
