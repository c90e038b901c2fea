// My events in headless Chromium, against the sample site built at 2027-01-20T12:00:00Z, with
// Playwright's fake clock: starring an event (on its page or in a list) makes the header count
// down to it on every page, the stars persist across pages, /my/ lists the starred events' next
// dates as events.json has them, and without localStorage or JavaScript nothing breaks.
//
// By hand from the sample: after 12:00Z on 20 January the next scrum is the Atlantic Scrum at
// 15:15Z; the Monthly Project Review meets at 23:00Z on 9 February (20 days 11 hours ahead);
// Fortnightly Pair Programming at 17:00Z on 21 January (1 day 5 hours ahead).
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { SAMPLE_NOW, withSampleSite } from './support.mjs';

let site;
let server;
let browser;

withSampleSite({}, (shared) => ({ site, server, browser } = shared));

const HEADER = '[data-countdown="header"]';
const KEY = 'nextup-starred';

// Half a minute before the sample's clock: the header's words then stay the same for the few
// seconds a test runs the clock on ("in 3 hours 15 minutes" from 11:59:30 to 12:00:00).
const TIME = new Date(Date.parse(SAMPLE_NOW) - 30_000).toISOString();

// One browser profile (its localStorage shared by its pages), the fake clock at `time`.
async function visitor({ timezoneId = 'Europe/London', javaScriptEnabled = true, init, time = TIME } = {}) {
  const context = await browser.newContext({ timezoneId, javaScriptEnabled });
  const errors = [];
  if (init) await context.addInitScript(init);
  return {
    context,
    async open(path) {
      const page = await context.newPage();
      page.on('pageerror', (error) => errors.push(error.message));
      await page.clock.install({ time: Date.parse(time) - 10_000 });
      await page.goto(server.url + path);
      await page.clock.pauseAt(Date.parse(time));
      if (javaScriptEnabled) await page.waitForFunction((h) => document.querySelector(h)?.dataset.key, HEADER);
      return page;
    },
    close: async () => {
      await context.close();
      assert.deepEqual(errors, [], 'no script error on any page');
    },
  };
}

const text = (page, selector) => page.locator(selector).first().evaluate((e) => e.innerText.replace(/\s+/g, ' ').trim());
// The header's countdown line, without the Pause button live.js adds (tested in live.test.mjs).
const headerText = async (page) => (await text(page, HEADER)).replace(/ Pause countdown$/, '');
// The header once it has caught up with a change (it re-reads its settings every second).
async function headerSays(page, expected) {
  await page.clock.runFor(1_100);
  assert.equal(await headerText(page), expected);
}

describe('my events', () => {
  test('starring an event on its page makes the header count down to it on other pages', async () => {
    const me = await visitor();
    const page = await me.open('/events/monthly-review/');
    const star = page.locator('.event > button.star');
    assert.equal(await star.isVisible(), true);
    assert.equal(await star.getAttribute('aria-pressed'), 'false');
    assert.equal(await page.getByRole('button', { name: 'Star Monthly Project Review' }).count(), 1);
    await star.click();
    assert.equal(await star.getAttribute('aria-pressed'), 'true');
    await headerSays(page, 'My next event: Monthly Project Review in 20 days 11 hours');

    const home = await me.open('/');
    assert.equal(await headerText(home), 'My next event: Monthly Project Review in 20 days 11 hours');
    assert.equal(await home.locator(`${HEADER} [data-countdown-title]`).getAttribute('href'), '/events/monthly-review/');
    // The homepage banner stays the site's: the next scrum.
    assert.equal(await text(home, '[data-countdown="banner"] [data-countdown-title]'), 'Atlantic Scrum');
    const other = await me.open('/events/euroasia-scrum/');
    assert.equal(await headerText(other), 'My next event: Monthly Project Review in 20 days 11 hours');
    assert.deepEqual(JSON.parse(await other.evaluate((k) => localStorage.getItem(k), KEY)), ['monthly-review']);

    // Unstarred: back to the site's countdown category.
    await other.goto(`${server.url}/events/monthly-review/`);
    await other.waitForFunction((h) => document.querySelector(h)?.dataset.key, HEADER);
    await other.locator('.event > button.star').click();
    assert.equal(await other.locator('.event > button.star').getAttribute('aria-pressed'), 'false');
    await headerSays(other, 'Next scrum: Atlantic Scrum in 3 hours 15 minutes');
    await me.close();
  });

  test('a star in a list follows the event, and two stars count down to the sooner', async () => {
    const me = await visitor();
    const page = await me.open('/events/');
    const stars = page.locator('li.occurrence[data-event="pair-programming-thursdays"] button.star');
    assert.ok(await stars.count() > 1, 'a star on each of its rows');
    await stars.first().click();
    for (const pressed of await stars.evaluateAll((all) => all.map((s) => s.ariaPressed))) assert.equal(pressed, 'true');
    await headerSays(page, 'My next event: Fortnightly Pair Programming in 1 day 5 hours');
    await page.locator('li.occurrence[data-event="monthly-review"] button.star').first().click();
    await headerSays(page, 'My next event: Fortnightly Pair Programming in 1 day 5 hours');
    await page.locator('li.occurrence[data-event="pair-programming-thursdays"] button.star').first().click();
    await headerSays(page, 'My next event: Monthly Project Review in 20 days 11 hours');
    await me.close();
  });

  for (const timezoneId of ['Asia/Tokyo', 'America/Los_Angeles', 'Asia/Kolkata']) {
    test(`/my/ lists the starred events' next dates from events.json, on ${timezoneId} days`, async () => {
      const starred = ['monthly-review', 'pair-programming-thursdays', 'spring-hackathon'];
      const me = await visitor({ timezoneId, init: `localStorage.setItem('${KEY}', '${JSON.stringify(starred)}')` });
      const page = await me.open('/my/');
      await page.waitForSelector('[data-my-coming] time');
      const feed = JSON.parse(readFileSync(join(site, 'events.json'), 'utf8'));
      const expected = feed.occurrences.filter((o) => starred.includes(o.event) && Date.parse(o.end) > Date.parse(SAMPLE_NOW)).slice(0, 12);
      const shown = await page.locator('[data-my-coming] li').evaluateAll((items) => items.map((li) => ({
        start: li.querySelector('time').dateTime,
        title: li.querySelector('a').textContent,
        href: li.querySelector('a').getAttribute('href'),
        day: li.closest('section').querySelector('h3').textContent,
      })));
      // Days as Node's own Intl puts those instants in the zone (an all-day one on its own date).
      const dayIn = (o) => new Intl.DateTimeFormat('en-GB', { weekday: 'long', day: 'numeric', month: 'long',
        timeZone: o.all_day ? 'UTC' : timezoneId }).format(new Date(o.all_day ? `${o.date}T00:00Z` : o.start));
      assert.deepEqual(shown, expected.map((o) => ({ start: o.start, title: o.title || feed.events[o.event].title,
        href: new URL(feed.events[o.event].page).pathname, day: dayIn(o) })));
      // Each starred event, with its own calendar.
      const events = await page.locator('[data-my-list] li').evaluateAll((items) => items.map((li) => [
        li.querySelector('a.title').textContent, [...li.querySelectorAll('.my-links a')].map((a) => a.getAttribute('href')),
        li.querySelector('button.star').ariaPressed]));
      assert.deepEqual(events, starred.map((slug) => [feed.events[slug].title,
        [`webcal://events.harbourcode.example/events/${slug}/event.ics`, `https://events.harbourcode.example/events/${slug}/event.ics`], 'true']));
      assert.match(await text(page, '[data-my-list] li:last-child .my-next'), /^Next: Fri 26 Mar, all day, to Sun 28 Mar$/);
      // Unstarring here takes the event off the page and off the header.
      await page.locator('[data-my-list] li:first-child button.star').click();
      await page.waitForFunction(() => document.querySelectorAll('[data-my-list] li').length === 2);
      assert.equal(await page.locator('[data-my-coming] a', { hasText: 'Monthly Project Review' }).count(), 0);
      await me.close();
    });
  }

  test('/my/ without stars says how to star', async () => {
    const me = await visitor();
    const page = await me.open('/my/');
    assert.match(await text(page, '[data-my-message]'), /^You have not starred any events yet/);
    assert.equal(await page.locator('[data-my-starred]').isHidden(), true);
    assert.equal(await page.locator('[data-my-upcoming]').isHidden(), true);
    await me.close();
  });

  test('without localStorage the site works as before, with no stars', async () => {
    const refuse = () => Object.defineProperty(window, 'localStorage', {
      get() { throw new DOMException('The operation is insecure.', 'SecurityError'); } });
    const me = await visitor({ init: refuse });
    const page = await me.open('/events/monthly-review/');
    assert.equal(await headerText(page), 'Next scrum: Atlantic Scrum in 3 hours 15 minutes');
    assert.equal(await page.locator('button.star').first().isHidden(), true);
    const list = await me.open('/events/');
    assert.equal(await list.locator('button.star').count(), 0);
    assert.equal(await headerText(list), 'Next scrum: Atlantic Scrum in 3 hours 15 minutes');
    const my = await me.open('/my/');
    assert.match(await text(my, '[data-my-message]'), /does not let this site keep anything/);
    await me.close();
  });

  test('stored stars that are not a list of slugs are ignored', async () => {
    const me = await visitor({ init: `localStorage.setItem('${KEY}', '{"not": "a list"')` });
    const page = await me.open('/');
    assert.equal(await headerText(page), 'Next scrum: Atlantic Scrum in 3 hours 15 minutes');
    await me.close();
  });

  test('without JavaScript /my/ says what it is and that it needs JavaScript', async () => {
    const me = await visitor({ javaScriptEnabled: false });
    const page = await me.open('/my/');
    const body = await text(page, 'main');
    assert.match(body, /^My events Star events on their pages or in the lists/);
    assert.match(body, /nothing is sent to a server/);
    assert.match(body, /This page needs JavaScript/);
    assert.equal(await page.locator('[data-my-events]').isHidden(), true);
    assert.equal(await page.locator('button.star').first().isHidden(), true); // no dead buttons
    await me.close();
  });
});
