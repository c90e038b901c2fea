// Session pages in Chromium (README "Session pages"): the date is restated in the visitor's
// zone with its year and the event's wall clock; the build's text stays without JavaScript;
// session pages and /sessions/ do not scroll sideways at 320 CSS pixels (WCAG 1.4.10).
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { SAMPLE_NOW, withSampleSite } from './support.mjs';

let site;
let server;
let browser;

withSampleSite({}, (shared) => ({ site, server, browser } = shared));

async function open(path, { timezoneId = 'Asia/Kolkata', javaScriptEnabled = true, width = 390 } = {}) {
  const context = await browser.newContext({ viewport: { width, height: 800 }, timezoneId, javaScriptEnabled });
  const page = await context.newPage();
  await page.clock.install({ time: Date.parse(SAMPLE_NOW) });
  await page.goto(server.url + path);
  return { context, page };
}

describe('a session page', () => {
  test('states its date in the visitor\'s zone, with the year and the event\'s own time', async () => {
    const { context, page } = await open('/events/euroasia-scrum/2027-01-14/');
    const when = (await page.locator('.session-when time').textContent()).replace(/\s+/g, ' ').trim();
    assert.equal(when, 'Thursday, 14 January 2027, 12:30–12:55 GMT+5:30 (07:00 Europe/London)');
    await context.close();
  });

  test('keeps the event\'s zone, named, without JavaScript', async () => {
    const { context, page } = await open('/events/euroasia-scrum/2027-01-14/', { javaScriptEnabled: false });
    assert.equal((await page.locator('.session-when time').textContent()).trim(),
      'Thursday 14 January 2027, 07:00–07:25 GMT');
    await context.close();
  });

  for (const path of ['/events/euroasia-scrum/2027-01-18/', '/events/pair-programming-thursdays/2027-02-04/',
    '/sessions/', '/events/euroasia-scrum/']) {
    test(`${path} does not scroll sideways at 320 CSS pixels`, async () => {
      const { context, page } = await open(path, { width: 320 });
      const width = await page.evaluate(() => document.documentElement.scrollWidth);
      assert.ok(width <= 320, `scrollWidth ${width}`);
      await context.close();
    });
  }
});
