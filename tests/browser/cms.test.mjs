// The CMS at /admin/ in Chromium, as shipped: the built admin page and config.yml, Decap CMS
// 3.16.3 from node_modules in place of jsDelivr (the page's integrity attributes still checked by
// the browser), and the real decap-server (MODE=fs) writing into a temporary git repository
// holding a copy of content/. Nothing else may leave the machine: any other non-loopback request
// is blocked and fails the test. What is checked: a weekly event made through the form passes
// `build.py check` and meets exactly when the same event written by hand does; changing an
// event's length changes that one line of its file; a session record cancelling one meeting
// made through the sessions collection passes check and cancels it; an existing session record
// edited changes only the edited line. Screenshots (desktop width) go to /tmp/cms-shots/.
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { netlifyHeaders, responseHeaders } from '../js/netlify_headers.mjs';
import { buildSite, launch, python, removeSite, ROOT, SAMPLE_NOW, serve } from './support.mjs';

const DECAP = 'https://cdn.jsdelivr.net/npm/decap-cms@3.16.3/dist/';
const IDENTITY = 'https://cdn.jsdelivr.net/npm/netlify-identity-widget@2.0.3/build/';
const PROXY = 'http://localhost:8081/api/v1'; // Decap's default local_backend address
const SHOTS = '/tmp/cms-shots';

let work; // the temporary repository: work/content is what the CMS edits
let site;
let server;
let decap;
let browser;
const offsite = []; // non-loopback requests the page attempted (all blocked)

async function freePort() {
  const probe = createServer();
  await new Promise((done) => probe.listen(0, '127.0.0.1', done));
  const { port } = probe.address();
  await new Promise((done) => probe.close(done));
  return port;
}

async function startDecapServer(directory) {
  const port = await freePort();
  const child = spawn(process.execPath, [join(ROOT, 'node_modules', 'decap-server', 'dist', 'index.js')], {
    env: { ...process.env, GIT_REPO_DIRECTORY: directory, PORT: String(port), BIND_HOST: '127.0.0.1', MODE: 'fs' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.output = '';
  child.stderr.on('data', (chunk) => { child.output += chunk; });
  await new Promise((resolve, reject) => {
    child.stdout.on('data', (chunk) => {
      child.output += chunk;
      if (/listening on/.test(child.output)) resolve();
    });
    child.on('exit', (code) => reject(new Error(`decap-server exited with ${code}: ${child.output}`)));
  });
  return { child, url: `http://127.0.0.1:${port}/api/v1` };
}

function git(...args) {
  return execFileSync('git', ['-c', 'user.name=CMS test', '-c', 'user.email=cms@test.invalid', ...args],
    { cwd: work, encoding: 'utf8' });
}

function check(content) {
  try {
    return execFileSync(python(), [join(ROOT, 'build.py'), 'check', '--content', content, '--now', SAMPLE_NOW],
      { cwd: ROOT, encoding: 'utf8', stdio: 'pipe' });
  } catch (error) {
    assert.fail(`build.py check failed:\n${error.stdout}${error.stderr}`);
  }
}

before(async () => {
  work = mkdtempSync(join(tmpdir(), 'nextup-cms-test-'));
  cpSync(join(ROOT, 'content'), join(work, 'content'), { recursive: true });
  git('init', '-q');
  git('add', '-A');
  git('commit', '-q', '-m', 'sample content');
  mkdirSync(SHOTS, { recursive: true });
  site = buildSite();
  const headersFor = await netlifyHeaders(ROOT); // /admin/*'s CSP included: Decap must work under it
  server = await serve(site, { headers: (path) => responseHeaders(headersFor(path)) });
  decap = await startDecapServer(work);
  browser = await launch();
});

after(async () => {
  await browser?.close();
  server?.close();
  decap?.child.kill();
  if (site) removeSite(site);
  if (work) rmSync(work, { recursive: true, force: true });
});

// Decap's files from node_modules for jsDelivr's addresses (the same bytes: the page's SRI hash
// is checked by the browser against them), the proxy address to the real decap-server, loopback
// as it is; anything else is refused and remembered.
async function route(context) {
  await context.route('**/*', (request) => answer(request).catch((error) => {
    // A request still on its way when the test closes its context (Decap polls the proxy).
    if (!/disposed|closed/i.test(error.message)) throw error;
  }));
}

async function answer(request) {
  const url = new URL(request.request().url());
  const href = url.href;
  for (const [prefix, folder] of [[DECAP, 'decap-cms/dist'], [IDENTITY, 'netlify-identity-widget/build']]) {
    if (href.startsWith(prefix)) {
      const file = join(ROOT, 'node_modules', folder, url.pathname.slice(new URL(prefix).pathname.length));
      if (!existsSync(file)) return request.fulfill({ status: 404, body: 'not found' });
      return request.fulfill({ status: 200, contentType: 'text/javascript; charset=utf-8',
        headers: { 'access-control-allow-origin': '*' }, body: readFileSync(file) });
    }
  }
  if (href.startsWith(PROXY)) {
    const response = await request.fetch({ url: decap.url + href.slice(PROXY.length) });
    return request.fulfill({ response });
  }
  if (url.hostname === '127.0.0.1' || url.protocol === 'data:' || url.protocol === 'blob:') return request.continue();
  offsite.push(href);
  return request.abort('blockedbyclient');
}

// The CMS logged in to the local backend, at `hash` (like "#/collections/events/new"). The
// editor's computer is in India, so that a time moved to the editor's zone would show.
async function openCms(hash) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, timezoneId: 'Asia/Kolkata' });
  await route(context);
  const page = await context.newPage();
  page.setDefaultTimeout(10_000);
  page.errors = [];
  page.on('pageerror', (error) => page.errors.push(`${error.name}: ${error.message} ${error.stack || ''}`.slice(0, 2000)));
  page.on('console', (message) => { if (message.type() === 'error') page.errors.push(`console: ${message.text()}`.slice(0, 2000)); });
  await page.goto(`${server.url}/admin/index.html`);
  await page.getByRole('button', { name: 'Login' }).click();
  await page.getByRole('link', { name: 'Sessions' }).first().waitFor();
  await page.goto(`${server.url}/admin/index.html${hash}`);
  return { context, page };
}

// Widgets, found by the field's name: Decap gives each control the id "<name>-field-<n>".
const control = (scope, name) => scope.locator(`[id^="${name}-field-"]`).first();
// The innermost block holding a field's label and its "Add <label>" button (a list widget).
const listBox = (scope, name, label) => scope.locator('div')
  .filter({ has: scope.locator(`label[for^="${name}-field-"]`) })
  .filter({ has: scope.getByRole('button', { name: `Add ${label}`, exact: true }) }).last();

async function fillText(scope, name, value) {
  await control(scope, name).fill(String(value));
}

// Decap's select (react-select): type the option, then pick the option whose text is exactly it.
async function choose(page, scope, name, option) {
  const input = control(scope, name);
  await input.click();
  await input.fill(option);
  const exactly = new RegExp(`^${option.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`);
  await page.locator('[class*="-option"]', { hasText: exactly }).first().click();
}

// A list of single values: "Add <label>", then fill the new item's input.
async function addListValue(scope, name, label, value, type) {
  const box = listBox(scope, name, label);
  const before = await box.locator(`input[type="${type}"]`).count();
  await box.getByRole('button', { name: `Add ${label}` }).click();
  const input = box.locator(`input[type="${type}"]`).nth(before);
  await input.fill(value);
}

// Simple publish mode (decap-server MODE=fs has no editorial workflow): "Publish" > "Publish now";
// done when the toolbar says the changes are saved (an edited entry says "Unsaved changes" until then).
async function publish(page) {
  await page.getByText(/^unsaved changes$/i).waitFor();
  await page.getByRole('button', { name: 'Publish' }).first().click();
  await page.getByText('Publish now', { exact: true }).click();
  try {
    await page.getByText(/^changes saved$/i).waitFor();
  } catch (error) {
    await page.screenshot({ path: join(SHOTS, 'cms-not-saved.png'), fullPage: true });
    const toasts = await page.locator('.Toastify').allTextContents();
    throw new Error(`not saved (${SHOTS}/cms-not-saved.png): ${toasts.join(' ')} ${page.errors.join(' ')}`, { cause: error });
  }
}

// An event file's front matter as Python's tomllib reads it (what build.py reads), as JSON.
function frontMatter(file) {
  return JSON.parse(execFileSync(python(), ['-c', `import json, sys, tomllib
text = open(sys.argv[1], encoding="utf-8").read()
print(json.dumps(tomllib.loads(text.split("+++\\n")[1]), default=str))`, file], { encoding: 'utf8' }));
}

function occurrences(content, slug) {
  const output = buildSite({ content });
  try {
    const data = JSON.parse(readFileSync(join(output, 'events.json'), 'utf8'));
    return data.occurrences.filter((o) => o.event === slug).map((o) => `${o.start}/${o.end}`);
  } finally {
    removeSite(output);
  }
}

describe('the CMS at /admin/', () => {
  test('a weekly event made in the form: passes check, meets as the same event written by hand', async () => {
    const { context, page } = await openCms('#/collections/events/new');
    await control(page, 'title').waitFor();
    await fillText(page, 'title', 'Lunchtime Code Review');
    await choose(page, page, 'category', 'meeting');
    await choose(page, page, 'timezone', 'Europe/London');
    await fillText(page, 'start', '2027-01-26T12:30');
    await fillText(page, 'duration', 45);
    await fillText(page, 'url', 'https://meet.jit.si/HarbourCode_Review');
    await choose(page, page, 'every', 'week');
    await choose(page, page, 'on', 'tue');
    await choose(page, page, 'on', 'thu');
    await fillText(page, 'until', '2027-03-11');
    await addListValue(page, 'exdates', 'cancelled meeting', '2027-02-11T12:30', 'datetime-local');
    await page.screenshot({ path: join(SHOTS, 'cms-new-event.png') });
    await page.getByRole('button', { name: 'Add cancelled meeting', exact: true }).scrollIntoViewIfNeeded();
    await page.screenshot({ path: join(SHOTS, 'cms-new-event-repeat.png') });
    await publish(page);

    const file = join(work, 'content', 'events', 'lunchtime-code-review.md');
    assert.ok(existsSync(file), 'the CMS wrote content/events/lunchtime-code-review.md');
    const written = readFileSync(file, 'utf8');
    check(join(work, 'content'));

    const byHand = mkdtempSync(join(tmpdir(), 'nextup-cms-hand-'));
    try {
      cpSync(join(ROOT, 'content'), join(byHand, 'content'), { recursive: true });
      writeFileSync(join(byHand, 'content', 'events', 'lunchtime-code-review.md'), `+++
title = "Lunchtime Code Review"
category = "meeting"
timezone = "Europe/London"
start = 2027-01-26T12:30:00
duration = 45
url = "https://meet.jit.si/HarbourCode_Review"
exdates = [2027-02-11T12:30:00]

[repeat]
every = "week"
on = ["tue", "thu"]
until = 2027-03-11
+++
`);
      assert.deepEqual(frontMatter(file), frontMatter(join(byHand, 'content', 'events', 'lunchtime-code-review.md')),
        `the file the CMS wrote:\n${written}`);
      const expected = occurrences(join(byHand, 'content'), 'lunchtime-code-review');
      const actual = occurrences(join(work, 'content'), 'lunchtime-code-review');
      // Counted without Nextup: Tuesdays and Thursdays from 26 Jan to 11 Mar 2027 but 11 Feb,
      // 12:30-13:15 in London, which is on GMT (UTC+0) until 28 March 2027.
      const counted = [];
      for (let day = Date.UTC(2027, 0, 26); day <= Date.UTC(2027, 2, 11); day += 86_400_000) {
        const date = new Date(day).toISOString().slice(0, 10);
        if ([2, 4].includes(new Date(day).getUTCDay()) && date !== '2027-02-11') {
          counted.push(`${date}T12:30:00Z/${date}T13:15:00Z`);
        }
      }
      assert.equal(counted.length, 13);
      assert.deepEqual(expected, counted, 'the hand-written event');
      assert.deepEqual(actual, expected, `the file the CMS wrote:\n${written}`);
    } finally {
      rmSync(byHand, { recursive: true, force: true });
    }
    assert.deepEqual(page.errors, []);
    await context.close();
  });

  test('an event\'s length changed in the form: its file\'s diff is that one line', async () => {
    const relative = 'content/events/pair-programming-thursdays.md';
    const original = readFileSync(join(work, relative), 'utf8');
    assert.match(original, /^duration = 90$/m);
    const { context, page } = await openCms('#/collections/events/entries/pair-programming-thursdays');
    await control(page, 'duration').waitFor();
    assert.equal(await control(page, 'duration').inputValue(), '90');
    await fillText(page, 'duration', 75);
    await page.screenshot({ path: join(SHOTS, 'cms-edit-event.png') });
    await publish(page);

    const diff = git('diff', '--unified=0', '--no-color', '--', relative).split('\n')
      .filter((line) => /^[-+](?![-+]{2} )/.test(line));
    assert.deepEqual(diff, ['-duration = 90', '+duration = 75']);
    assert.equal(readFileSync(join(work, relative), 'utf8'), original.replace('duration = 90', 'duration = 75'));
    check(join(work, 'content'));
    assert.deepEqual(page.errors, []);
    await context.close();
  });

  test('a session record made in the sessions collection cancels that meeting; it passes check', async () => {
    const meeting = '2027-01-26T07:00:00Z/2027-01-26T07:25:00Z'; // EuroAsia Scrum, Tue 26 Jan 07:00 London
    assert.ok(occurrences(join(work, 'content'), 'euroasia-scrum').includes(meeting));
    const { context, page } = await openCms('#/collections/sessions/new');
    await control(page, 'event').waitFor();
    await choose(page, page, 'event', 'euroasia-scrum');
    await fillText(page, 'date', '2027-01-26');
    await fillText(page, 'reason', 'The room is booked for the all-hands.');
    await choose(page, page, 'status', 'cancelled');
    await page.screenshot({ path: join(SHOTS, 'cms-new-session.png'), fullPage: true });
    await publish(page);

    const file = join(work, 'content', 'sessions', 'euroasia-scrum', '2027-01-26.md');
    assert.ok(existsSync(file), `the CMS wrote content/sessions/euroasia-scrum/2027-01-26.md; git status: ${git('status', '--porcelain', '-uall')}`);
    const written = readFileSync(file, 'utf8');
    assert.doesNotMatch(written, /^(event|date|__source) =/m, 'path-only fields stay out of the file');
    check(join(work, 'content'));
    assert.ok(!occurrences(join(work, 'content'), 'euroasia-scrum').includes(meeting),
      `the meeting is cancelled by:\n${written}`);
    assert.deepEqual(page.errors, []);
    await context.close();
  });

  test('an existing session record, found in its event\'s folder, edited: only its note line changes', async () => {
    const relative = 'content/sessions/euroasia-scrum/2027-02-01.md';
    const original = readFileSync(join(work, relative), 'utf8');
    const { context, page } = await openCms('#/collections/sessions/entries/euroasia-scrum/2027-02-01');
    await control(page, 'reason').waitFor();
    assert.match(await control(page, 'reason').inputValue(), /^Most of us are travelling back from FOSDEM/);
    await fillText(page, 'reason', 'Most of us are travelling back from FOSDEM.');
    await publish(page);
    const diff = git('diff', '--unified=0', '--no-color', '--', relative).split('\n')
      .filter((line) => /^[-+](?![-+]{2} )/.test(line));
    assert.equal(diff.length, 2, diff.join('\n'));
    assert.equal(diff[1], '+reason = "Most of us are travelling back from FOSDEM."');
    assert.equal(readFileSync(join(work, relative), 'utf8').split('\n').length, original.split('\n').length);
    check(join(work, 'content'));
    assert.deepEqual(page.errors, []);
    await context.close();
  });
});

after(() => {
  assert.deepEqual(offsite, [], 'requests that would have left the machine');
});
