// The live countdown and local times in headless Chromium, against the sample site built at
// 2027-01-20T12:00:00Z and served on localhost, with Playwright's fake clock.
//
// Expected values are worked out by hand from the sample content: the next scrums after 12:00Z
// on Wednesday 20 January 2027 are the Atlantic Scrum at 15:15 London (15:15Z, 25 minutes) and
// the Americas Scrum at 12:00 New York (17:00Z, 20 minutes).
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { buildSite, removeSite, ROOT, serve, withSampleSite } from './support.mjs';

let site;
let server;
let browser;

withSampleSite({}, (shared) => ({ site, server, browser } = shared));

// Open `path` with the fake clock paused at `time`, once the countdown has read the feed. Every
// request is logged in `requests`; closing fails the test if a script threw.
async function open(path, time, { timezoneId = 'Europe/London', javaScriptEnabled = true, viewport,
  block = 'banner', route, base = server.url } = {}) {
  const context = await browser.newContext({ timezoneId, javaScriptEnabled, viewport });
  const page = await context.newPage();
  const errors = [];
  const requests = [];
  page.on('pageerror', (error) => errors.push(error.message));
  page.on('request', (request) => requests.push(new URL(request.url()).pathname));
  if (route) await page.route(...route);
  await page.clock.install({ time: Date.parse(time) - 10_000 });
  await page.goto(base + path);
  await page.clock.pauseAt(Date.parse(time));
  if (javaScriptEnabled) {
    await page.waitForFunction((name) => document.querySelector(`[data-countdown="${name}"]`)?.dataset.key,
      block);
  }
  return {
    page,
    requests,
    close: async () => {
      await context.close();
      assert.deepEqual(errors, [], 'no script error on the page');
    },
  };
}

// What a visitor sees: innerText leaves hidden elements out and applies CSS capitalisation.
const text = (page, selector) => page.locator(selector).first().evaluate((e) => e.innerText.replace(/\s+/g, ' ').trim());
const BANNER = '[data-countdown="banner"]';
const HEADER = '[data-countdown="header"]';

describe('countdown', () => {
  test('counts down to the next scrum in days, hours and minutes', async () => {
    const { page, close } = await open('/', '2027-01-20T12:00:00Z');
    assert.equal(await text(page, `${HEADER}`), 'Next scrum: Atlantic Scrum in 3 hours 15 minutes Pause countdown');
    assert.equal(await text(page, `${BANNER} [data-countdown-text]`), 'In 3 hours 15 minutes');
    assert.equal(await text(page, `${BANNER} [data-countdown-title]`), 'Atlantic Scrum');
    assert.equal(await page.locator(`${BANNER} [data-countdown-join]`).isHidden(), true);
    await close();
  });

  test('ticks hh:mm:ss in the last hour, from the clock at every tick', async () => {
    const { page, close } = await open('/', '2027-01-20T14:30:00Z');
    assert.equal(await text(page, `${BANNER} [data-countdown-text]`), 'In 00:45:00');
    await page.clock.runFor(5_000);
    assert.equal(await text(page, `${BANNER} [data-countdown-text]`), 'In 00:44:55');
    await close();
  });

  test('says starting soon with the join link from ten minutes before', async () => {
    const { page, close } = await open('/', '2027-01-20T15:04:58Z');
    assert.equal(await page.locator(BANNER).getAttribute('data-state'), 'upcoming');
    await page.clock.runFor(3_000);
    assert.equal(await page.locator(BANNER).getAttribute('data-state'), 'soon');
    assert.equal(await text(page, `${BANNER} [data-countdown-status]`), 'Starting soon');
    const join = page.locator(`${BANNER} [data-countdown-join]`);
    assert.equal(await join.isVisible(), true);
    assert.equal(await join.getAttribute('href'), 'https://meet.jit.si/HarbourCode_AtlanticScrum');
    assert.match(await text(page, HEADER), /^Next scrum: Atlantic Scrum in 00:09:5\d Starting soon Join now Pause countdown$/);
    await close();
  });

  test("joins by the occurrence's own link (its session record's) when the feed has one", async () => {
    // countdown.json as the build writes it for an occurrence whose session has its own url.
    const route = ['**/countdown.json', async (request) => {
      const feed = await (await request.fetch()).json();
      feed.occurrences[0].url = 'https://meet.jit.si/OtherRoom';
      await request.fulfill({ json: feed });
    }];
    const { page, close } = await open('/', '2027-01-20T15:06:00Z', { route });
    const join = page.locator(`${BANNER} [data-countdown-join]`);
    assert.equal(await join.isVisible(), true);
    assert.equal(await join.getAttribute('href'), 'https://meet.jit.si/OtherRoom');
    await close();
  });

  test('says live now while the scrum runs', async () => {
    const { page, close } = await open('/', '2027-01-20T15:20:00Z');
    assert.equal(await text(page, `${BANNER} [data-countdown-text]`), 'Is live, ends in 00:20:00');
    assert.equal(await text(page, `${BANNER} [data-countdown-status]`), 'Live now');
    assert.equal(await page.locator(`${BANNER} [data-countdown-join]`).isVisible(), true);
    await close();
  });

  test('rolls on to the next scrum when one ends, without a reload', async () => {
    const { page, close } = await open('/', '2027-01-20T15:39:58Z');
    assert.equal(await text(page, `${BANNER} [data-countdown-title]`), 'Atlantic Scrum');
    await page.clock.runFor(3_000);
    assert.equal(await text(page, `${BANNER} [data-countdown-title]`), 'Americas Scrum');
    assert.equal(await page.locator(`${BANNER} [data-countdown-title]`).getAttribute('href'),
      '/events/americas-scrum/');
    assert.equal(await text(page, `${BANNER} [data-countdown-text]`), 'In 1 hour 19 minutes');
    assert.equal(await page.locator(`${BANNER} time`).getAttribute('datetime'), '2027-01-20T17:00:00.000Z');
    assert.equal(await text(page, `${BANNER} time`), 'Wed 20 Jan, 17:00–17:20 GMT (12:00 America/New_York)');
    assert.equal(await text(page, HEADER), 'Next scrum: Americas Scrum in 1 hour 19 minutes Pause countdown');
    await close();
  });

  test('is right straight after a two-hour sleep', async () => {
    const { page, close } = await open('/', '2027-01-20T12:00:00Z');
    await page.clock.fastForward('02:00:00');
    assert.equal(await text(page, `${BANNER} [data-countdown-text]`), 'In 1 hour 15 minutes');
    await close();
  });

  test('counts down to the event itself on its page', async () => {
    const { page, close } = await open('/events/euroasia-scrum/', '2027-01-20T12:00:00Z', { block: 'event' });
    assert.equal(await text(page, '[data-countdown="event"] [data-countdown-text]'), 'In 19 hours');
    // The header still counts down to the next scrum of any kind.
    assert.equal(await text(page, HEADER), 'Next scrum: Atlantic Scrum in 3 hours 15 minutes Pause countdown');
    await close();
  });

  test('keeps the build-time text and says so when the feed is stale', async () => {
    const { page, close } = await open('/', '2027-04-21T00:00:00Z');
    assert.equal(await text(page, `${BANNER} [data-countdown-status]`), 'This schedule may be out of date.');
    assert.equal(await text(page, `${BANNER} [data-countdown-title]`), 'Atlantic Scrum');
    assert.equal(await text(page, `${BANNER} [data-countdown-text]`), '');
    // The header's build-time line names no time (so refreshes do not rewrite every page).
    assert.equal(await text(page, HEADER), 'Next scrum: see the schedule This schedule may be out of date.');
    await close();
  });

  test('keeps the build-time text and says so when the feed cannot be fetched', async () => {
    const { page, close } = await open('/', '2027-01-20T12:00:00Z',
      { route: ['**/*.json', (route) => route.abort()] });
    assert.equal(await text(page, `${BANNER} [data-countdown-status]`), 'This schedule may be out of date.');
    assert.equal(await text(page, `${BANNER} [data-countdown-text]`), '');
    const body = await page.locator('body').textContent();
    assert.doesNotMatch(body, /NaN|undefined|-\d+ (day|hour|minute)/);
    await close();
  });

  test('with JavaScript off the build-time text says what is next, in the event zone', async () => {
    const { page, close } = await open('/', '2027-01-20T12:00:00Z', { javaScriptEnabled: false });
    assert.equal(await text(page, HEADER), 'Next scrum: see the schedule');
    assert.equal(await page.locator(`${HEADER} a`).first().getAttribute('href'), '/categories/scrum/');
    assert.equal(await text(page, `${BANNER} time`), 'Wednesday 20 January 2027, 15:15–15:40 GMT (Europe/London)');
    assert.equal(await text(page, `${BANNER} [data-countdown-text]`), '');
    assert.equal(await page.locator(`${BANNER} [data-countdown-join]`).isVisible(), true);
    assert.equal(await text(page, '.zone-note'), 'Times in Europe/London.');
    await close();
  });

  test('never announces the ticking text, and announces a state change once', async () => {
    const { page, close } = await open('/', '2027-01-20T14:55:00Z');
    const live = await page.evaluate(() => {
      const ticking = [...document.querySelectorAll('[data-countdown-text]')];
      return ticking.some((element) => element.closest('[aria-live], [role="status"], [role="alert"]'));
    });
    assert.equal(live, false);
    assert.equal(await page.locator('[role="status"]').count(), 1);
    await page.evaluate(() => {
      window.announcements = [];
      new MutationObserver(() => window.announcements.push(document.querySelector('[role="status"]').textContent))
        .observe(document.querySelector('[role="status"]'), { childList: true, characterData: true, subtree: true });
    });
    await page.clock.runFor('09:00'); // to 15:04: still upcoming, ticking every second
    assert.deepEqual(await page.evaluate(() => window.announcements), []);
    await page.clock.runFor('02:00'); // past 15:05: starting soon
    assert.deepEqual(await page.evaluate(() => window.announcements), ['Starting soon']);
    await close();
  });

  test('an hour of ticking adds no nodes to the page', async () => {
    const { page, close } = await open('/', '2027-01-20T12:00:00Z');
    const count = () => page.evaluate(() => document.getElementsByTagName('*').length);
    const before = await count();
    await page.clock.runFor('01:00:00');
    assert.equal(await count(), before);
    await close();
  });
});

describe('local times', () => {
  const ZONES = [
    // zone, banner time, first day heading of the week list
    ['Asia/Kolkata', 'Wed 20 Jan, 20:45–21:10 GMT+5:30 (15:15 Europe/London)', 'Wednesday 20 January'],
    ['Australia/Sydney', 'Thu 21 Jan, 02:15–02:40 GMT+11 (15:15 Europe/London)', 'Thursday 21 January'],
    ['America/New_York', 'Wed 20 Jan, 10:15–10:40 GMT-5 (15:15 Europe/London)', 'Wednesday 20 January'],
  ];
  for (const [timezoneId, banner, firstDay] of ZONES) {
    test(`homepage times are the visitor's own in ${timezoneId}`, async () => {
      const { page, close } = await open('/', '2027-01-20T12:00:00Z', { timezoneId });
      assert.equal(await text(page, `${BANNER} time`), banner);
      assert.equal(await text(page, '.zone-note'), `Times in your time zone (${timezoneId}).`);
      assert.equal(await text(page, '.day-heading'), firstDay);
      // The countdown does not depend on the zone.
      assert.equal(await text(page, `${BANNER} [data-countdown-text]`), 'In 3 hours 15 minutes');
      await close();
    });
  }

  test('events list regroups occurrences under the visitor\'s days', async () => {
    const { page, close } = await open('/events/', '2027-01-20T12:00:00Z', { timezoneId: 'Australia/Sydney', block: 'header' });
    // 15:15Z Wednesday is 02:15 Thursday in Sydney: under Thursday, with the Americas Scrum
    // (17:00Z = 04:00) after it.
    const firstDay = page.locator('section.day').first();
    assert.equal(await firstDay.getAttribute('data-day'), '2027-01-21');
    const titles = await firstDay.locator('a.title').allTextContents();
    assert.deepEqual(titles.slice(0, 2), ['Atlantic Scrum', 'Americas Scrum']);
    assert.equal(await text(page, 'section.day li .when'), '02:15–02:40 GMT+11');
    await close();
  });

  // The Spring Hackathon is all day, 26 to 28 March in London: the same days for everyone, though
  // London's midnight is the afternoon before in Honolulu and the morning of in Tokyo.
  for (const timezoneId of ['Pacific/Honolulu', 'Asia/Tokyo']) {
    test(`an all-day event stays on its own days, without times, in ${timezoneId}`, async () => {
      const { page, close } = await open('/events/', '2027-01-20T12:00:00Z', { timezoneId, block: 'header' });
      const day = page.locator('section.day', { has: page.locator('li[data-event="spring-hackathon"]') });
      assert.equal(await day.getAttribute('data-day'), '2027-03-26');
      assert.equal(await text(page, 'section.day:has(li[data-event="spring-hackathon"]) .day-heading'), 'Friday 26 March');
      assert.equal(await day.locator('li').first().getAttribute('data-event'), 'spring-hackathon');
      assert.equal(await text(page, 'li[data-event="spring-hackathon"] .when'), 'all day, to Sun 28 Mar');
      await close();
      const event = await open('/events/spring-hackathon/', '2027-01-20T12:00:00Z', { timezoneId, block: 'event' });
      assert.equal(await text(event.page, `[data-countdown="event"] time`), 'Friday 26 to Sunday 28 March 2027, all day');
      assert.equal(await text(event.page, 'ol.dates li time'), 'Fri 26 Mar 2027, all day, to Sun 28 Mar');
      await event.close();
    });
  }

  test('event page dates are local, with the event zone\'s wall clock beside them', async () => {
    const { page, close } = await open('/events/euroasia-scrum/', '2027-01-20T12:00:00Z',
      { timezoneId: 'Asia/Kolkata', block: 'event' });
    assert.equal(await text(page, 'ol.dates li time'), 'Thu 21 Jan, 12:30–12:55 GMT+5:30 (07:00)');
    assert.equal(await text(page, '.upcoming .zone-note'),
      'Times in your time zone (Asia/Kolkata), with Europe/London times in brackets.');
    await close();
  });

  test('a southern-hemisphere visitor sees both clock changes in the dates list', async () => {
    const march = buildSite({ now: '2027-03-25T12:00:00Z' });
    const marchServer = await serve(march);
    // The 07:00 London scrum (Monday to Thursday; 29 March cancelled) after Thursday 25 March:
    // London is on summer time from 28 March (06:00Z), Sydney still on summer time (+11) until
    // 4 April, so 17:00 in Sydney; from 5 April Sydney is on +10: 16:00.
    const { page, close } = await open('/events/euroasia-scrum/', '2027-03-25T12:00:00Z',
      { timezoneId: 'Australia/Sydney', block: 'event', base: marchServer.url });
    const dates = (await page.locator('ol.dates li time').allTextContents()).map((d) => d.replace(/\s+/g, ' '));
    assert.equal(dates[0], 'Tue 30 Mar, 17:00–17:25 GMT+11 (07:00)');
    assert.ok(dates.includes('Mon 5 Apr, 16:00–16:25 GMT+10 (07:00)'), dates.join('\n'));
    await close();
    marchServer.close();
    removeSite(march);
  });
});

// Another build of (a copy of) the sample, served, for the tests that need one.
async function otherSite({ now, without = () => false }) {
  const content = mkdtempSync(join(tmpdir(), 'nextup-content-'));
  cpSync(join(ROOT, 'content'), content, { recursive: true });
  for (const name of readdirSync(join(content, 'events'))) {
    const file = join(content, 'events', name);
    if (!without(readFileSync(file, 'utf8'))) continue;
    rmSync(file);
    // Its session records would name an event that is not there (an error).
    rmSync(join(content, 'sessions', name.replace(/\.md$/, '')), { recursive: true, force: true });
  }
  const output = buildSite({ content, now });
  const served = await serve(output);
  return {
    url: served.url,
    close: () => {
      served.close();
      removeSite(output);
      rmSync(content, { recursive: true, force: true });
    },
  };
}

describe('countdown with nothing scheduled', () => {
  let february;
  let noScrums;
  before(async () => {
    // Built on Wednesday 10 February 2027: the Winter Retrospective (5 February) has ended.
    february = await otherSite({ now: '2027-02-10T12:00:00Z' });
    noScrums = await otherSite({ now: '2027-01-20T12:00:00Z', without: (file) => /category = "scrum"/.test(file) });
  });
  after(() => {
    february?.close();
    noScrums?.close();
  });

  test('an ended one-off event page says when it took place, and the header still counts down', async () => {
    const { page, close } = await open('/events/winter-retrospective/', '2027-02-10T12:00:00Z',
      { block: 'header', base: february.url });
    assert.equal(await text(page, HEADER), 'Next scrum: Atlantic Scrum in 3 hours 15 minutes Pause countdown');
    // Built after it ended: its date, and nothing to count down to on the page.
    assert.equal(await page.locator('[data-countdown="event"]').count(), 0);
    assert.equal(await text(page, 'section.ended'), 'ENDED This event took place on Friday 5 February 2027, 17:00–18:00 GMT.');
    assert.doesNotMatch(await text(page, 'body'), /out of date|No upcoming dates/);
    await close();
  });

  test('an event whose last date ends while its page is open says no more dates, not out of date', async () => {
    // The Winter Retrospective, 17:00-18:00 London (GMT) on Friday 5 February, its only date.
    const { page, close } = await open('/events/winter-retrospective/', '2027-02-05T17:59:58Z', { block: 'event' });
    const block = '[data-countdown="event"]';
    assert.equal(await page.locator(block).getAttribute('data-state'), 'live');
    await page.clock.runFor(3_000);
    assert.equal(await page.locator(block).getAttribute('data-state'), 'none');
    assert.equal(await text(page, block), 'NEXT DATE No upcoming dates.');
    assert.equal(await page.locator(`${block} [data-countdown-join]`).isHidden(), true);
    // Past countdown.json's horizon (3 February): the header reads events.json. After Friday's
    // Americas Scrum (17:00Z), the next scrum is Monday's Asia-Pacific Scrum, 09:30 Kolkata
    // (04:00Z).
    assert.equal(await text(page, HEADER), 'Next scrum: Asia-Pacific Scrum in 2 days 9 hours 59 minutes Pause countdown');
    await close();
  });

  test('a homepage whose feed has no scrum says none is scheduled, not out of date', async () => {
    const { page, close } = await open('/', '2027-01-20T12:00:00Z', { base: noScrums.url });
    await page.waitForFunction(() => document.querySelector('[data-countdown="header"]').dataset.key);
    assert.equal(await page.locator(BANNER).getAttribute('data-state'), 'none');
    assert.equal(await text(page, BANNER), 'NEXT SCRUM No scrum is scheduled yet.');
    assert.equal(await text(page, HEADER), 'Next scrum: none scheduled');
    assert.doesNotMatch(await text(page, 'body'), /out of date/);
    // The week's list still shows the other events.
    assert.ok(await page.locator('.week li[data-event]').count() > 0);
    await close();
  });
});

describe('countdown beyond countdown.json', () => {
  // countdown.json reaches 14 days from the build (3 February 12:00Z) and on to the end of the
  // scrum then in progress or next: the Atlantic Scrum, 15:15-15:40 London (GMT) that day.
  // events.json reaches the build's horizon, 90 days: 20 April 12:00Z.
  const COUNTDOWN_HORIZON = '2027-02-03T15:40:00Z';
  const HORIZON = '2027-04-20T12:00:00Z';
  const feedOf = async (page, name) => page.evaluate(async (file) => (await fetch(file)).json(), name);

  test('the feeds reach as far as these tests assume', async () => {
    const { page, close } = await open('/', '2027-01-20T12:00:00Z');
    assert.equal((await feedOf(page, '/countdown.json')).horizon_end, COUNTDOWN_HORIZON);
    assert.equal((await feedOf(page, '/events.json')).horizon_end, HORIZON);
    await close();
  });

  test('counts down from events.json once countdown.json has passed its horizon', async () => {
    // Wednesday 17 March, 15:45Z: New York is on summer time since 14 March, so the Americas
    // Scrum (12:00 New York) is at 16:00Z; London is not yet (28 March).
    const { page, requests, close } = await open('/', '2027-03-17T15:45:00Z');
    assert.equal(await text(page, HEADER), 'Next scrum: Americas Scrum in 00:15:00 Pause countdown');
    assert.equal(await text(page, `${BANNER} [data-countdown-title]`), 'Americas Scrum');
    assert.equal(await text(page, `${BANNER} time`), 'Wed 17 Mar, 16:00–16:20 GMT (12:00 America/New_York)');
    assert.equal(await page.locator(BANNER).getAttribute('data-state'), 'upcoming');
    assert.equal(await text(page, `${BANNER} [data-countdown-status]`), '');
    assert.deepEqual(requests.filter((path) => path.endsWith('.json')), ['/countdown.json', '/events.json']);
    await close();
  });

  test('fetches events.json only when countdown.json runs out, and rolls on to it', async () => {
    const { page, requests, close } = await open('/', '2027-02-03T15:39:58Z');
    assert.equal(await text(page, `${BANNER} [data-countdown-text]`), 'Is live, ends in 00:00:02');
    assert.ok(!requests.includes('/events.json'), 'events.json is not fetched while countdown.json will do');
    await page.clock.runFor(3_000);
    await page.waitForFunction(() => document.querySelector('[data-countdown-title]').textContent === 'Americas Scrum');
    assert.equal(await text(page, `${BANNER} [data-countdown-title]`), 'Americas Scrum');
    assert.equal(await text(page, `${BANNER} [data-countdown-text]`), 'In 1 hour 19 minutes');
    assert.equal(await text(page, HEADER), 'Next scrum: Americas Scrum in 1 hour 19 minutes Pause countdown');
    assert.equal(requests.filter((path) => path === '/events.json').length, 1);
    await close();
  });

  test('an event page counts down from events.json after its own ten dates', async () => {
    // The EuroAsia Scrum's page holds its dates from 21 January to 3 February; the next after
    // 17 March 15:45Z is Thursday 18 March, 07:00 London (GMT).
    const { page, close } = await open('/events/euroasia-scrum/', '2027-03-17T15:45:00Z', { block: 'event' });
    assert.equal(await text(page, '[data-countdown="event"] [data-countdown-text]'), 'In 15 hours 15 minutes');
    assert.equal(await text(page, '[data-countdown="event"] time'), 'Thu 18 Mar, 07:00–07:25 GMT');
    assert.equal(await text(page, HEADER), 'Next scrum: Americas Scrum in 00:15:00 Pause countdown');
    await close();
  });

  test('never says out of date while the build is within its horizon, and does after it', async () => {
    const { page, requests, close } = await open('/', '2027-01-20T12:00:00Z');
    const titles = ['EuroAsia Scrum', 'Asia-Pacific Scrum', 'Atlantic Scrum', 'Americas Scrum',
      'Atlantic Scrum (late start)'];
    const seen = new Set();
    const header = () => page.evaluate(() => {
      const block = document.querySelector('[data-countdown="header"]');
      return { key: block.dataset.key, state: block.dataset.state,
        title: block.querySelector('[data-countdown-title]').textContent,
        text: block.querySelector('[data-countdown-text]').textContent };
    });
    let before = await header();
    for (let day = 1; day <= 90; day += 1) {
      await page.clock.fastForward('24:00:00');
      // A day later the header has moved on: another scrum, or less time to the same one.
      await page.waitForFunction(({ key, text: said }) => {
        const block = document.querySelector('[data-countdown="header"]');
        return block.dataset.key !== key || block.querySelector('[data-countdown-text]').textContent !== said;
      }, before, { timeout: 5_000 }).catch(async () => assert.fail(`day ${day}: ${JSON.stringify(await header())}`));
      const now = await header();
      if (day < 90) {
        assert.notEqual(now.state, 'stale', `day ${day}`);
        assert.ok(titles.includes(now.title), `day ${day}: ${now.title}`);
        assert.match(now.text.trim(), /^in \d/, `day ${day}`);
        seen.add(now.title);
      } else {
        assert.equal(now.state, 'stale', 'on the horizon (20 April 12:00Z) the feed is out of date');
      }
      before = now;
    }
    assert.ok(seen.size >= 4, [...seen].join(', '));
    assert.equal(requests.filter((path) => path === '/events.json').length, 1);
    await close();
  });

  test('says out of date when events.json cannot be fetched after countdown.json runs out', async () => {
    const { page, close } = await open('/', '2027-03-17T15:45:00Z', { route: ['**/events.json', (route) => route.abort()] });
    assert.equal(await text(page, `${BANNER} [data-countdown-status]`), 'This schedule may be out of date.');
    assert.equal(await page.locator(BANNER).getAttribute('data-state'), 'stale');
    await close();
  });
});
