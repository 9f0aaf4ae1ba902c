// Serves a release page with a tiled catalog as bench/tiles.mjs --serve does, in a child
// process, for the scripts that drive the page themselves.
import { spawn } from "node:child_process";

/** Starts `bench/tiles.mjs ARGS --serve`; resolves to its URL and the process (to kill). */
export async function serveTiles(args) {
  const server = spawn(process.execPath, ["bench/tiles.mjs", ...args, "--serve"], { stdio: ["ignore", "pipe", "inherit"] });
  const url = await new Promise((ok) =>
    server.stdout.on("data", (d) => {
      const m = /at (http:\S+)/.exec(String(d));
      if (m) ok(m[1]);
    }),
  );
  return { url, server };
}
