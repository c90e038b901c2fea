// `build.py serve`: an edit rebuilds the site and the open page reloads by itself; a broken
// edit shows its error over the page while the last good build keeps being served.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { launch, python, ROOT } from './support.mjs';

let work;
let server;
let address;
let browser;

before(async () => {
  work = mkdtempSync(join(tmpdir(), 'nextup-serve-test-'));
  cpSync(join(ROOT, 'content'), join(work, 'content'), { recursive: true });
  server = spawn(python(), [join(ROOT, 'build.py'), 'serve', '--port', '0', '--content', join(work, 'content'),
    '--now', '2027-01-20T12:00:00Z'], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  server.output = '';
  server.stderr.on('data', (chunk) => { server.output += chunk; });
  address = await new Promise((resolve, reject) => {
    let seen = '';
    server.stdout.on('data', (chunk) => {
      seen += chunk;
      const match = seen.match(/Serving (http:\/\/\S+)/);
      if (match) resolve(match[1]);
    });
    server.on('exit', (code) => reject(new Error(`serve exited with ${code}: ${server.output}`)));
  });
  browser = await launch();
});

after(async () => {
  await browser?.close();
  server?.kill('SIGINT');
  if (work) rmSync(work, { recursive: true, force: true });
});

const eventFile = () => join(work, 'content', 'events', 'euroasia-scrum.md');
const heading = (page) => page.locator('h1').textContent();

test('an edit rebuilds and the open page reloads on its own; a broken edit is shown, then fixed', async () => {
  const page = await browser.newPage();
  await page.goto(`${address}events/euroasia-scrum/`);
  assert.equal(await heading(page), 'EuroAsia Scrum');
  const original = readFileSync(eventFile(), 'utf8');

  let loads = 0;
  page.on('load', () => { loads += 1; });
  writeFileSync(eventFile(), original.replace('title = "EuroAsia Scrum"', 'title = "EuroAsia Stand-up"'));
  await page.waitForFunction(() => document.querySelector('h1')?.textContent === 'EuroAsia Stand-up',
    null, { timeout: 15_000 });
  assert.ok(loads >= 1, 'the page reloaded itself');

  // Broken: an unknown zone. The error shows over the page; the last good build stays.
  writeFileSync(eventFile(), original.replace('Europe/London', 'Europe/Londn'));
  const panel = page.locator('#nextup-build-problems');
  await panel.waitFor({ timeout: 15_000 });
  assert.match(await panel.textContent(), /euroasia-scrum\.md:4:12: timezone: unknown zone "Europe\/Londn"; did you mean "Europe\/London"\?/);
  assert.equal(await heading(page), 'EuroAsia Stand-up');
  const served = await (await fetch(`${address}events/euroasia-scrum/`)).text();
  assert.match(served, /<h1>EuroAsia Stand-up<\/h1>/);
  assert.match(server.output, /unknown zone "Europe\/Londn"/, 'and the terminal says it too');

  // Fixed: reload, and the panel is gone.
  writeFileSync(eventFile(), original);
  await page.waitForFunction(() => document.querySelector('h1')?.textContent === 'EuroAsia Scrum',
    null, { timeout: 15_000 });
  assert.equal(await page.locator('#nextup-build-problems').count(), 0);
  await page.close();
});

test('a missing page gets the site\'s own 404 page, status 404, which reloads on an edit too', async () => {
  const page = await browser.newPage();
  const response = await page.goto(`${address}events/no-such-event/`);
  assert.equal(response.status(), 404);
  assert.equal(await heading(page), 'Page not found');
  const folder = await page.goto(`${address}static/`);
  assert.equal(folder.status(), 404, 'a folder without index.html is not listed');
  assert.equal(await heading(page), 'Page not found');

  let loads = 0;
  page.on('load', () => { loads += 1; });
  const original = readFileSync(eventFile(), 'utf8');
  writeFileSync(eventFile(), original.replace('duration = 25', 'duration = 26'));
  await page.waitForFunction(() => performance.getEntriesByType('navigation')[0]?.type === 'reload',
    null, { timeout: 15_000 });
  assert.ok(loads >= 1, 'the 404 page reloaded itself');
  writeFileSync(eventFile(), original);
  await page.close();
});
