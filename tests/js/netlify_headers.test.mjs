// Every path of a real build gets exactly the framing policy intended, read from netlify.toml
// by Netlify's own parser: only the widget's pages under /embed/ may be framed, by anyone;
// every other page refuses to be framed. And no header is set by two rules (a CDN may send
// both, and two Content-Security-Policies both apply).
import assert from 'node:assert/strict';
import { readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { after, before, test } from 'node:test';
import { ROOT, buildSite, removeSite } from '../browser/support.mjs';
import { netlifyHeaders, netlifyRedirects } from './netlify_headers.mjs';

let site;
let headersFor;
let redirectOf;
before(async () => {
  site = buildSite();
  headersFor = await netlifyHeaders(ROOT);
  redirectOf = await netlifyRedirects(ROOT);
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

// What Netlify serves as a file: not the addresses a forced redirect sends elsewhere (/admin/).
function servedPaths(directory) {
  return requestPaths(directory).filter((path) => !redirectOf(path)?.force);
}

// The CMS's files, which have their own policy (render/admin.py, netlify.toml).
const cms = (path) => path.startsWith('/admin/');

// Everything under /embed/ (the pages, their data, the widget script), and nothing else.
const frameable = (path) => /^\/embed\/[^/]+/.test(path);

test('only the embed pages may be framed, by any site; every other path refuses', () => {
  const paths = servedPaths(site).concat(['/nothing-here', '/events/nothing-here/', '/embed/', '/embed'])
    .filter((path) => !cms(path));
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
  for (const path of servedPaths(site)) {
    for (const [name, rules] of Object.entries(headersFor(path))) {
      assert.equal(rules.length, 1, `${path}: ${name} from ${rules.map((r) => r.rule).join(' and ')}`);
    }
  }
});

test('the CMS gets its own policy and no other, is not indexed, and /admin/ is sent to its page', () => {
  for (const path of ['/admin/', '/admin']) {
    const redirect = redirectOf(path);
    assert.ok(redirect, path);
    assert.equal(redirect.to, '/admin/index.html', path);
    assert.equal(redirect.status, 301, path);
    assert.equal(redirect.force, true, `${path}: forced, or the index.html there is served with both policies`);
  }
  const files = servedPaths(site).filter(cms);
  for (const name of ['/admin/index.html', '/admin/config.yml', '/admin/nextup-cms.js', '/admin/manual-init.js']) {
    assert.ok(files.includes(name), name);
  }
  for (const path of files) {
    const headers = headersFor(path);
    const policies = headers['content-security-policy'];
    assert.deepEqual(policies.map((p) => p.rule), ['/admin/*'], path);
    const policy = policies[0].value;
    // Decap: scripts from the pinned CDN, its Ajv's eval, emotion's inline styles.
    assert.match(policy, /script-src 'self' 'unsafe-eval' https:\/\/cdn\.jsdelivr\.net;/, path);
    assert.match(policy, /style-src 'self' 'unsafe-inline';/, path);
    assert.match(policy, /frame-ancestors 'none'/, path);
    assert.equal(headers['x-robots-tag'][0].value, 'noindex, nofollow', path);
  }
  // And nothing else gets the looser policy.
  for (const path of servedPaths(site).filter((p) => !cms(p))) {
    for (const rule of headersFor(path)['content-security-policy']) {
      assert.doesNotMatch(rule.value, /unsafe/, path);
    }
  }
});

test('the JSON other sites read is open to them (CORS) with a short cache: widget data and badges', () => {
  const json = servedPaths(site).filter((p) => p.endsWith('.json'));
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
