// Shared set-up for browser tests: build the sample site at a pinned clock, serve it on
// localhost, and launch Debian's Chromium through playwright-core (no browser download).
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { extname, join, normalize, resolve } from 'node:path';
import { after, before } from 'node:test';
import { chromium } from 'playwright-core';

export const ROOT = resolve(import.meta.dirname, '..', '..');
export const SAMPLE_NOW = '2027-01-20T12:00:00Z'; // same as tests/conftest.py

const TYPES = {
  '.html': 'text/html; charset=utf-8', '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8', '.json': 'application/json',
  '.ics': 'text/calendar; charset=utf-8', '.svg': 'image/svg+xml', '.xml': 'application/xml',
  '.txt': 'text/plain; charset=utf-8', '.yml': 'text/yaml; charset=utf-8',
};

export function python() {
  if (process.env.NEXTUP_PYTHON) return process.env.NEXTUP_PYTHON;
  const venv = join(ROOT, '.venv', 'bin', 'python');
  return existsSync(venv) ? venv : 'python3';
}

// Build `content` (default: the sample) with --now into a fresh directory; returns its path.
export function buildSite({ content = join(ROOT, 'content'), now = SAMPLE_NOW, args = [] } = {}) {
  const output = join(mkdtempSync(join(tmpdir(), 'nextup-browser-')), 'public');
  execFileSync(python(), [join(ROOT, 'build.py'), 'build', '--content', content, '--output', output,
    '--now', now, ...args], { cwd: ROOT, stdio: 'pipe' });
  return output;
}

// A static file server like a CDN's: index.html for directories, 404 otherwise. `headers(path)`,
// if given, adds response headers for a request path (the embed tests apply netlify.toml's).
export async function serve(directory, { headers = () => ({}) } = {}) {
  const server = createServer((request, response) => {
    const path = decodeURIComponent(new URL(request.url, 'http://x').pathname);
    let file = normalize(join(directory, path));
    if (!file.startsWith(directory)) { response.writeHead(403).end(); return; }
    if (existsSync(file) && statSync(file).isDirectory()) file = join(file, 'index.html');
    if (!existsSync(file)) { response.writeHead(404, headers(path)).end('not found'); return; }
    response.writeHead(200, { 'content-type': TYPES[extname(file)] || 'application/octet-stream', ...headers(path) });
    response.end(readFileSync(file));
  });
  await new Promise((done) => server.listen(0, '127.0.0.1', done));
  return { url: `http://127.0.0.1:${server.address().port}`, close: () => server.close() };
}

export async function launch() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
}

export function removeSite(output) {
  rmSync(resolve(output, '..'), { recursive: true, force: true });
}

// What most browser test files share: before their tests, the sample site built (`options` as
// for buildSite, or a function giving them, called then: content a test makes for itself),
// served, and Chromium launched, handed to `ready({ site, server, browser })`; after them, all
// three closed and removed.
export function withSampleSite(options, ready) {
  let shared = {};
  before(async () => {
    const site = buildSite(typeof options === 'function' ? options() : options);
    shared = { site, server: await serve(site), browser: await launch() };
    ready(shared);
  });
  after(async () => {
    await shared.browser?.close();
    shared.server?.close();
    if (shared.site) removeSite(shared.site);
  });
}
