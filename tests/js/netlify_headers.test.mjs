// Every path of a real build gets exactly the framing policy intended, read from netlify.toml
// by Netlify's own parser: only the widget's pages under /embed/ may be framed, by anyone;
// every other page refuses to be framed. And no header is set by two rules (a CDN may send
// both, and two Content-Security-Policies both apply).
import assert from 'node:assert/strict';
import { readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { after, before, test } from 'node:test';
import { ROOT, buildSite, removeSite } from '../browser/support.mjs';
import { netlifyHeaders } from './netlify_headers.mjs';

let site;
let headersFor;
before(async () => {
  site = buildSite();
  headersFor = await netlifyHeaders(ROOT);
});
after(() => removeSite(site));

// Every address of the build Netlify serves (no dot files but .well-known), and a folder's
// index.html at the folder's address too.
function requestPaths(directory) {
  const paths = [];
  for (const name of readdirSync(directory)) {
    const file = join(directory, name);
    if (statSync(file).isDirectory()) {
      if (!name.startsWith('.') || name === '.well-known') paths.push(...requestPaths(file));
      continue;
    }
    if (name.startsWith('.')) continue;
    const path = `/${relative(site, file)}`;
    paths.push(path);
    if (name === 'index.html') paths.push(path.slice(0, -'index.html'.length));
  }
  return paths;
}

// Everything under /embed/ (the pages, their data, the widget script), and nothing else.
const frameable = (path) => /^\/embed\/[^/]+/.test(path);

test('only the embed pages may be framed, by any site; every other path refuses', () => {
  const paths = requestPaths(site).concat(['/nothing-here', '/events/nothing-here/', '/embed/', '/embed']);
  let embedPages = 0;
  for (const path of paths) {
    const headers = headersFor(path);
    const policies = headers['content-security-policy'] || [];
    assert.equal(policies.length, 1, `${path}: ${policies.length} Content-Security-Policy rules`);
    const policy = policies[0].value;
    assert.match(policy, /script-src 'self'/, path);
    if (frameable(path)) {
      assert.match(policy, /frame-ancestors \*(;|$)/, path);
      assert.equal(headers['x-frame-options'], undefined, `${path}: X-Frame-Options`);
      if (path.endsWith('/')) embedPages += 1;
    } else {
      assert.match(policy, /frame-ancestors 'none'/, path);
      assert.deepEqual((headers['x-frame-options'] || []).map((h) => h.value), ['DENY'], path);
    }
  }
  assert.ok(embedPages >= 4 + 3 + 12, `${embedPages} embed pages`);
});

test('no header is set by two rules for any path', () => {
  for (const path of requestPaths(site)) {
    for (const [name, rules] of Object.entries(headersFor(path))) {
      assert.equal(rules.length, 1, `${path}: ${name} from ${rules.map((r) => r.rule).join(' and ')}`);
    }
  }
});

test('the JSON other sites read is open to them (CORS) with a short cache: widget data and badges', () => {
  const json = requestPaths(site).filter((p) => p.endsWith('.json'));
  for (const path of ['/countdown.json', '/embed/categories/scrum/next.json', '/badges/categories/scrum.json',
    '/badges/projects/websiteone.json', '/embed/events/euroasia-scrum/next.json']) {
    assert.ok(json.includes(path), path);
  }
  for (const path of json) {
    const headers = headersFor(path);
    assert.equal(headers['access-control-allow-origin'][0].value, '*', path);
    assert.equal(headers['cache-control'][0].value, 'public, max-age=300', path);
  }
  assert.equal(headersFor('/embed/widget.js')['cache-control'][0].value, 'public, max-age=300');
});
