// The local-times script's size budget (its behaviour is tested in Chromium: tests/browser/).
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { gzipSync } from 'node:zlib';

const SOURCE = new URL('../../static/js/localtimes.js', import.meta.url);
const BUDGET = 3072; // README, "In the browser"

test('the local-times script stays within 3 KB gzipped as served', () => {
  const size = gzipSync(readFileSync(SOURCE)).length;
  console.log(`localtimes.js: ${readFileSync(SOURCE).length} bytes, ${size} bytes gzipped`);
  assert.ok(size <= BUDGET, `${size} bytes gzipped`);
});
