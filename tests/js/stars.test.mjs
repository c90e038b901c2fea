// Size budgets of the My events scripts, gzipped as served (README, "In the browser"): stars.js
// loads on every page, my.js on /my/ only.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { gzipSync } from 'node:zlib';

const JS = join(import.meta.dirname, '..', '..', 'static', 'js');

for (const [name, budget] of [['stars.js', 1792], ['my.js', 2560]]) {
  test(`${name} stays within ${budget} bytes gzipped`, () => {
    const source = readFileSync(join(JS, name));
    const size = gzipSync(source).length;
    console.log(`${name}: ${source.length} bytes, ${size} bytes gzipped`);
    assert.ok(size <= budget, `${size} bytes gzipped`);
  });
}
