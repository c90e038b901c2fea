// The live countdown and local times in headless Chromium, against the sample site built at
// 2027-01-20T12:00:00Z and served on localhost, with Playwright's fake clock.
//
// Expected values are worked out by hand from the sample content: the next scrums after 12:00Z
// on Wednesday 20 January 2027 are the Atlantic Scrum at 15:15 London (15:15Z, 25 minutes) and
// the Americas Scrum at 12:00 New York (17:00Z, 20 minutes).
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { buildSite, launch, removeSite, serve } from './support.mjs';

let site;
let server;
let browser;

before(async () => {
  site = buildSite();
  server = await serve(site);
  browser = await launch();
});

after(async () => {
  await browser?.close();
  server?.close();
  if (site) removeSite(site);
});

// Open `path` with the fake clock paused at `time`, once the countdown has read the feed.
async function open(path, time, { timezoneId = 'Europe/London', javaScriptEnabled = true, viewport,
  block = 'banner', route, base = server.url } = {}) {
  const context = await browser.newContext({ timezoneId, javaScriptEnabled, viewport });
  const page = await context.newPage();
  if (route) await page.route(...route);
  await page.clock.install({ time: Date.parse(time) - 10_000 });
  await page.goto(base + path);
  await page.clock.pauseAt(Date.parse(time));
  if (javaScriptEnabled) {
    await page.waitForFunction((name) => document.querySelector(`[data-countdown="${name}"]`)?.dataset.key,
      block);
  }
  return { page, close: () => context.close() };
}

// What a visitor sees: innerText leaves hidden elements out and applies CSS capitalisation.
const text = (page, selector) => page.locator(selector).first().evaluate((e) => e.innerText.replace(/\s+/g, ' ').trim());
const BANNER = '[data-countdown="banner"]';
const HEADER = '[data-countdown="header"]';

describe('countdown', () => {
  test('counts down to the next scrum in days, hours and minutes', async () => {
    const { page, close } = await open('/', '2027-01-20T12:00:00Z');
    assert.equal(await text(page, `${HEADER}`), 'Next scrum: Atlantic Scrum in 3 hours 15 minutes');
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
    assert.match(await text(page, HEADER), /^Next scrum: Atlantic Scrum in 00:09:5\d Starting soon Join now$/);
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
    assert.equal(await text(page, HEADER), 'Next scrum: Americas Scrum in 1 hour 19 minutes');
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
    assert.equal(await text(page, HEADER), 'Next scrum: Atlantic Scrum in 3 hours 15 minutes');
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
