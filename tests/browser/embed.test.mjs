// The widget on another site, in headless Chromium: the sample site (built at
// 2027-01-20T12:00:00Z) is served on one loopback port with the headers netlify.toml gives each
// path (read by Netlify's own parser), and a page of another origin, on a second port, embeds
// /embed/widget.js and frames /embed/.../ pages. Playwright's fake clock drives the countdown.
//
// Worked out by hand from the sample content: after 12:00Z on Wednesday 20 January 2027 the
// next scrum is the Atlantic Scrum at 15:15 London (15:15Z, 25 minutes), then the Americas
// Scrum at 12:00 New York (17:00Z). The Monthly Project Review meets on the second Tuesday,
// at 18:00 New York: 9 February 2027, 23:00Z.
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { createServer } from 'node:http';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { netlifyHeaders, responseHeaders } from '../js/netlify_headers.mjs';
import { buildSite, launch, removeSite, ROOT, serve } from './support.mjs';

let site;
let server;
let other;
let browser;
const hostPages = {};

before(async () => {
  site = buildSite();
  const headersFor = await netlifyHeaders(ROOT);
  server = await serve(site, { headers: (path) => responseHeaders(headersFor(path)) });
  // The other site: whatever page a test puts in hostPages, nothing else.
  const otherServer = createServer((request, response) => {
    const html = hostPages[new URL(request.url, 'http://x').pathname];
    response.writeHead(html ? 200 : 404, { 'content-type': 'text/html; charset=utf-8' }).end(html || '');
  });
  await new Promise((done) => otherServer.listen(0, '127.0.0.1', done));
  other = { url: `http://127.0.0.1:${otherServer.address().port}`, close: () => otherServer.close() };
  browser = await launch();
});

after(async () => {
  await browser?.close();
  server?.close();
  other?.close();
  if (site) removeSite(site);
});

const page = (body) => `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>A project site</title></head><body>${body}</body></html>`;

// Open a page of the other site with the fake clock at `time`; fails the test on a script error.
async function open(path, body, time, { timezoneId = 'Europe/London', locale = 'en-GB', reducedMotion, colorScheme } = {}) {
  hostPages[path] = page(body);
  const context = await browser.newContext({ timezoneId, locale, reducedMotion, colorScheme, viewport: { width: 480, height: 420 } });
  const tab = await context.newPage();
  const errors = [];
  const responses = [];
  tab.on('pageerror', (error) => errors.push(error.message));
  tab.on('requestfinished', (request) => responses.push(request.url()));
  await tab.clock.install({ time: Date.parse(time) - 10_000 });
  await tab.clock.pauseAt(Date.parse(time));
  await tab.goto(other.url + path);
  return { tab, responses, close: async () => { await context.close(); assert.deepEqual(errors, []); } };
}

// What the widget shows, read through its shadow root (as a visitor sees it: innerText).
const shown = (tab, selector = 'nextup-next') => tab.waitForFunction((s) => {
  const root = document.querySelector(s)?.shadowRoot;
  const text = (c) => root?.querySelector(c)?.innerText.trim();
  if (!root || !text('.t')) return null;
  const join = root.querySelector('.j');
  return { label: text('.k'), title: text('.t'), href: root.querySelector('.t').href, when: text('.d'),
    datetime: root.querySelector('.d').dateTime, countdown: text('.c'), status: text('.s'),
    join: join.hidden ? null : join.href, joinName: join.getAttribute('aria-label') };
}, selector).then((handle) => handle.jsonValue());

const script = () => `<script src="${server.url}/embed/widget.js" defer></script>`;

describe('the widget on another site', () => {
  test('shows the next scrum, counting down in the visitor\'s zone, with its join link', async () => {
    const { tab, close } = await open('/scrum.html', `<nextup-next category="scrum"></nextup-next>${script()}`,
      '2027-01-20T12:00:00Z');
    const widget = await shown(tab);
    assert.deepEqual(widget, {
      label: 'Scrum', title: 'Atlantic Scrum', href: 'https://events.harbourcode.example/events/atlantic-scrum/',
      when: 'Wed 20 Jan, 15:15–15:40 GMT', datetime: '2027-01-20T15:15:00.000Z', countdown: 'in 3 hours', status: '',
      join: 'https://meet.jit.si/HarbourCode_AtlanticScrum', joinName: 'Join Atlantic Scrum',
    });
    await close();
  });

  test('ticks in the last hour, says "Starting soon" then "Live now", then rolls on to the next scrum', async () => {
    const { tab, close } = await open('/ticks.html', `<nextup-next category="scrum"></nextup-next>${script()}`,
      '2027-01-20T14:59:30Z');
    assert.equal((await shown(tab)).countdown, '00:15:30');
    await tab.clock.runFor(1000);
    assert.equal((await shown(tab)).countdown, '00:15:29');
    await tab.clock.runFor(6 * 60e3);
    assert.deepEqual([(await shown(tab)).status, (await shown(tab)).countdown], ['Starting soon', '00:09:29']);
    await tab.clock.runFor(10 * 60e3);
    const live = await shown(tab);
    assert.deepEqual([live.title, live.status, live.countdown], ['Atlantic Scrum', 'Live now', '']);
    await tab.clock.runFor(25 * 60e3);
    const next = await shown(tab);
    assert.deepEqual([next.title, next.when, next.status, next.countdown],
      ['Americas Scrum', 'Wed 20 Jan, 17:00–17:20 GMT', '', 'in 79 minutes']);
    // The status is a polite live region: it changes with the state only, never with the ticks.
    const region = await tab.evaluate(() => document.querySelector('nextup-next').shadowRoot.querySelector('[role=status]').outerHTML);
    assert.match(region, /role="status"/);
    await close();
  });

  test('an event widget in another zone and language, and reduced motion counts in minutes', async () => {
    const { tab, close } = await open('/review.html', `<nextup-next event="monthly-review"></nextup-next>${script()}`,
      '2027-02-09T22:15:00Z', { timezoneId: 'Asia/Tokyo', locale: 'de-DE', reducedMotion: 'reduce' });
    const widget = await shown(tab);
    assert.equal(widget.title, 'Monthly Project Review');
    assert.equal(widget.label, '');
    assert.equal(widget.datetime, '2027-02-09T23:00:00.000Z');
    assert.match(widget.when, /^Mi\., 10\. Feb\., 08:00–09:00 Uhr GMT\+9$/); // 23:00Z is 08:00 the next day in Tokyo
    assert.equal(widget.countdown, 'in 45 Minuten');
    await tab.clock.runFor(30e3);
    assert.equal((await shown(tab)).countdown, 'in 44 Minuten');
    await close();
  });

  test('lang= picks the language, site= the site, ::part() restyles; an unknown name keeps the element\'s own link', async () => {
    const { tab, responses, close } = await open('/options.html',
      '<style>nextup-next::part(widget){border-color:rgb(255, 0, 0)}</style>'
      + `<nextup-next id="fr" category="scrum" lang="fr" site="${server.url}/"></nextup-next>`
      + '<nextup-next id="gone" event="no-such-event"><a href="https://events.harbourcode.example/">Our events</a></nextup-next>'
      + script(), '2027-01-20T12:00:00Z');
    const widget = await shown(tab, '#fr');
    assert.equal(widget.countdown, 'dans 3 heures');
    assert.match(widget.when, /^mer\. 20 janv\., 15:15/);
    assert.equal(await tab.evaluate(() => getComputedStyle(document.querySelector('#fr').shadowRoot.querySelector('.w')).borderTopColor),
      'rgb(255, 0, 0)');
    // Once its request has been answered (404), the element still holds its own link.
    while (!responses.some((url) => url.includes('/no-such-event/'))) await new Promise((done) => setTimeout(done, 50));
    await new Promise((done) => setTimeout(done, 200));
    assert.equal(await tab.evaluate(() => document.querySelector('#gone').shadowRoot), null);
    assert.equal(await tab.locator('#gone a').innerText(), 'Our events');
    await close();
  });

  test('the iframe page loads inside another site; an ordinary page refuses to be framed', async () => {
    const { tab, close } = await open('/frames.html',
      `<iframe id="embed" src="${server.url}/embed/categories/scrum/" title="Next scrum"></iframe>`
      + `<iframe id="page" src="${server.url}/events/" title="Events"></iframe>`, '2027-01-20T12:00:00Z');
    await tab.waitForLoadState('load');
    const framed = tab.frames().find((f) => f.url().endsWith('/embed/categories/scrum/'));
    assert.ok(framed, tab.frames().map((f) => f.url()).join(' '));
    const widget = await shown(framed);
    assert.equal(widget.title, 'Atlantic Scrum');
    assert.equal(widget.countdown, 'in 3 hours');
    // Styled there too: the page's Content-Security-Policy (style-src 'self') allows the
    // widget's constructed style sheet, where it blocks a <style> element.
    assert.notEqual(await framed.evaluate(() => getComputedStyle(document.querySelector('nextup-next').shadowRoot.querySelector('.j')).backgroundColor),
      'rgba(0, 0, 0, 0)');
    // Links open outside the frame.
    assert.equal(await framed.evaluate(() => document.querySelector('nextup-next').shadowRoot.querySelector('.j').target), '_blank');
    const refused = tab.frames().find((f) => f !== tab.mainFrame() && f !== framed);
    // Chromium shows its own error page in the frame instead (and the page's content is not there).
    assert.equal(refused.url(), 'chrome-error://chromewebdata/');
    assert.equal(await refused.evaluate(() => document.querySelector('#main, .site-title')), null);
    await close();
  });

  test('screenshots of the widget, light and dark', async () => {
    const folder = join(ROOT, 'tests', 'artifacts', 'screenshots');
    mkdirSync(folder, { recursive: true });
    for (const colorScheme of ['light', 'dark']) {
      const { tab, close } = await open(`/shot-${colorScheme}.html`,
        '<style>body{font-family:system-ui,sans-serif}</style><p>Next scrum (live):</p><nextup-next category="scrum"></nextup-next>'
        + `<p>One event:</p><nextup-next id="one" event="americas-scrum"></nextup-next>${script()}`,
        '2027-01-20T15:20:00Z', { colorScheme });
      await shown(tab);
      await shown(tab, '#one');
      await tab.screenshot({ path: join(folder, `widget-${colorScheme}.png`) });
      await close();
    }
    // The iframe page in another site's frame, and what it says without JavaScript.
    for (const javaScriptEnabled of [true, false]) {
      const context = await browser.newContext({ timezoneId: 'Europe/London', locale: 'en-GB', javaScriptEnabled, viewport: { width: 480, height: 260 } });
      const tab = await context.newPage();
      await tab.clock.install({ time: Date.parse('2027-01-20T12:00:00Z') });
      hostPages['/framed.html'] = page(`<p>Framed:</p><iframe src="${server.url}/embed/categories/scrum/" title="Next scrum" width="420" height="190"></iframe>`);
      await tab.goto(`${other.url}/framed.html`);
      const framed = tab.frames().find((f) => f.url().endsWith('/embed/categories/scrum/'));
      if (javaScriptEnabled) await shown(framed);
      await tab.screenshot({ path: join(folder, `widget-iframe${javaScriptEnabled ? '' : '-no-js'}.png`) });
      await context.close();
    }
  });
});
