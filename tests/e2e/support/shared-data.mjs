// The shared datasets beside the repository (../shared/data): tests that need them are
// skipped, with the reason in the summary, when they are absent; under CI=true that is
// a failure, since CI always has them.
import { existsSync } from "node:fs";
import { join } from "node:path";

import { ROOT } from "./session.mjs";

export const SHARED = join(ROOT, "..", "shared", "data");

/** `false` when the shared data is here, else the reason to skip; throws under CI=true. */
export function skipWithoutSharedData(suite) {
  if (existsSync(join(SHARED, "spotify_songs_32k.csv"))) return false;
  if (process.env.CI === "true") {
    throw new Error(`${suite} tests need ${SHARED}, and CI=true: real data must not be skipped in CI`);
  }
  return `${SHARED} is absent`;
}
