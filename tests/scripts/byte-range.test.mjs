// The test server's Range handling, which the tiled catalog's e2e tests rely on: one
// range, answered as static hosts answer it.
import { test } from "node:test";
import assert from "node:assert/strict";

import { byteRange } from "../e2e/support/static-server.mjs";

test("a closed range, a range to the end, a suffix, clamped to the file", () => {
  assert.deepEqual(byteRange("bytes=10-19", 100), [10, 19]);
  assert.deepEqual(byteRange("bytes=90-", 100), [90, 99]);
  assert.deepEqual(byteRange("bytes=-5", 100), [95, 99]);
  assert.deepEqual(byteRange("bytes=95-500", 100), [95, 99]);
});

test("no header or another unit: the whole file; past the end: unsatisfiable", () => {
  assert.equal(byteRange(undefined, 100), null);
  assert.equal(byteRange("items=1-2", 100), null);
  assert.equal(byteRange("bytes=-", 100), null);
  assert.equal(byteRange("bytes=100-120", 100), "unsatisfiable");
  assert.equal(byteRange("bytes=20-10", 100), "unsatisfiable");
});
