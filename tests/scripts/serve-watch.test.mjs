// scripts/serve.sh, the README's first command, must start `trunk serve` on a fresh
// clone: Trunk's watcher stops ("error taking the canonical path to the watch ignore
// path") when a folder Trunk.toml tells it to ignore is missing, so serve.sh makes every
// such folder that a fresh clone lacks before it starts Trunk.
import { test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";

const ROOT = join(import.meta.dirname, "..", "..");

test("serve.sh makes every ignored folder a fresh clone lacks before trunk serve starts", () => {
  const toml = readFileSync(join(ROOT, "Trunk.toml"), "utf8");
  const ignored = JSON.parse(/\[watch\]\s*ignore\s*=\s*(\[[^\]]*\])/.exec(toml)[1]);
  // Folders a fresh clone has: tracked by git.
  const tracked = new Set(
    execFileSync("git", ["ls-files"], { cwd: ROOT, encoding: "utf8" })
      .split("\n")
      .map((path) => path.split("/")[0]),
  );
  const script = readFileSync(join(ROOT, "scripts", "serve.sh"), "utf8");
  const made = /^mkdir -p (.+)$/m.exec(script)?.[1].split(/\s+/) ?? [];
  assert.ok(script.indexOf("mkdir -p") < script.indexOf("trunk serve"), "the folders are made before trunk serve");
  const missing = ignored.filter((folder) => !tracked.has(folder) && !made.includes(folder) && folder !== "node_modules");
  assert.deepEqual(missing, [], "ignored folders serve.sh leaves missing on a fresh clone");
});
