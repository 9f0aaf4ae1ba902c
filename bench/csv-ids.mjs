// Track ids drawn from random places in a catalog CSV (its column `id` or `track_id`):
// pastes of ids from anywhere in the catalog, for the tiled benchmarks. Seeded, so the
// same CSV and seed give the same ids.
import { closeSync, fstatSync, openSync, readSync } from "node:fs";

export function randomIds(csv, count, seed = 7) {
  const fd = openSync(csv, "r");
  const size = fstatSync(fd).size;
  const head = Buffer.alloc(4096);
  readSync(fd, head, 0, 4096, 0);
  const header = head.toString("utf8").split("\n")[0].split(",");
  const idColumn = header.findIndex((h) => ["id", "track_id"].includes(h.trim()));
  const out = [];
  let s = seed;
  const rand = () => ((s = (s * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
  const buffer = Buffer.alloc(8192);
  while (out.length < count) {
    const at = Math.floor(rand() * (size - 8192));
    readSync(fd, buffer, 0, 8192, at);
    const lines = buffer.toString("utf8").split("\n");
    const id = lines[1]?.split(",")[idColumn];
    if (id && /^[0-9A-Za-z]{22}$/.test(id)) out.push(id);
  }
  closeSync(fd);
  return out;
}
