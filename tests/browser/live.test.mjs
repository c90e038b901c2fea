// Live lists, the countdown's pause button, reduced motion and "your time changes" notices in
// headless Chromium, against the sample site built at 2027-01-20T12:00:00Z, with Playwright's
// fake clock, seen from Tokyo (UTC+9), New York (behind UTC), Kolkata (UTC+5:30) and Sydney.
//
// Expected values are worked out by hand from the sample content (not from the scripts): the
// Atlantic Scrum meets at 15:15 London (15:15Z) for 25 minutes on Wednesday 20 January 2027;
// the EuroAsia Scrum at 07:00 London, Monday to Thursday, not on Easter Monday 29 March 2027.
// The US moves its clocks on Sunday 14 March 2027, the UK on Sunday 28 March, Sydney back on
// Sunday 4 April.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { withSampleSite } from './support.mjs';

let site;
let server;
let browser;

withSampleSite({}, (shared) => ({ site, server, browser } = shared));

// A visitor's browser with the fake clock paused at `time`; `open(path)` loads a page in it once
// its scripts have run. The clock is the browser's (all its pages'): it stops at `time` when
// the first page has loaded and moves on only with runFor. Closing fails the test if a script
// threw.
async function visitor(time, { timezoneId = 'Europe/London', javaScriptEnabled = true, reducedMotion,
  initScript } = {}) {
  const context = await browser.newContext({ timezoneId, javaScriptEnabled, reducedMotion });
  const errors = [];
  const requests = [];
  if (initScript) await context.addInitScript(initScript);
  await context.clock.install({ time: Date.parse(time) - 10_000 });
  let first = true;
  const open = async (path, { ready = '[data-countdown="header"][data-key]' } = {}) => {
    const page = await context.newPage();
    page.on('pageerror', (error) => errors.push(error.message));
    page.on('request', (request) => requests.push(new URL(request.url()).pathname));
    await page.goto(server.url + path);
    if (first) await context.clock.pauseAt(Date.parse(time));
    first = false;
    if (javaScriptEnabled && ready) await page.waitForSelector(ready, { state: 'attached' });
    return page;
  };
  return {
    open,
    requests,
    close: async () => {
      await context.close();
      assert.deepEqual(errors, [], 'no script error on the page');
    },
  };
}

const text = (page, selector) => page.locator(selector).first().evaluate((e) => e.innerText.replace(/\s+/g, ' ').trim());
const item = (start) => `li:has(> time[datetime="${start}"])`;
const ATLANTIC = item('2027-01-20T15:15:00Z');
const badge = async (page, selector) => {
  const found = page.locator(selector);
  if (!(await found.count())) return 'gone';
  const state = found.locator('.live-state');
  return (await state.count()) && (await state.isVisible()) ? text(page, `${selector} .live-state`) : '';
};

describe('live lists', () => {
  test('a list item says starting soon, then live now with its join link, then leaves, while the page stays open (Tokyo)', async () => {
    const browser = await visitor('2027-01-20T15:04:00Z', { timezoneId: 'Asia/Tokyo' });
    const page = await browser.open('/');
    assert.equal(await badge(page, ATLANTIC), '');
    await page.clock.runFor('01:01'); // 15:05:01
    assert.equal(await badge(page, ATLANTIC), 'Starting soon Join Atlantic Scrum');
    assert.equal(await page.locator(`${ATLANTIC} .live-state a`).getAttribute('href'),
      'https://meet.jit.si/HarbourCode_AtlanticScrum');
    await page.clock.runFor('10:00'); // 15:15:01
    assert.equal(await badge(page, ATLANTIC), 'Live now Join Atlantic Scrum');
    await page.clock.runFor('25:00'); // 15:40:01
    assert.equal(await badge(page, ATLANTIC), 'Ended');
    assert.equal(await page.locator(ATLANTIC).getAttribute('data-live'), 'ended');
    await page.clock.runFor('01:00'); // 15:41:01
    assert.equal(await badge(page, ATLANTIC), 'gone');
    await browser.close();
  });

  test('an event page\'s dates say live now and leave (New York)', async () => {
    const browser = await visitor('2027-01-21T07:10:00Z', { timezoneId: 'America/New_York' });
    const page = await browser.open('/events/euroasia-scrum/', { ready: '[data-countdown="event"][data-key]' });
    const first = item('2027-01-21T07:00:00Z');
    assert.equal(await badge(page, first), 'Live now Join');
    assert.equal(await page.locator(`${first} .live-state a`).getAttribute('href'),
      'https://meet.jit.si/HarbourCode_EuroAsiaScrum');
    await page.clock.runFor('16:01'); // 07:26:01: ended at 07:25, gone a minute later
    assert.equal(await badge(page, first), 'gone');
    assert.equal(await badge(page, item('2027-01-25T07:00:00Z')), '');
    await browser.close();
  });

  test('a day whose occurrences have all left leaves with them (Kolkata)', async () => {
    // In Kolkata the last occurrence of Wednesday 20 January in the week list is the Americas
    // Scrum at 22:30 (17:00Z).
    const browser = await visitor('2027-01-20T17:15:00Z', { timezoneId: 'Asia/Kolkata' });
    const page = await browser.open('/');
    const day = page.locator('section.day[data-day="2027-01-20"]');
    assert.equal(await day.count(), 1);
    assert.equal(await badge(page, item('2027-01-20T17:00:00Z')), 'Live now Join Americas Scrum');
    await page.clock.runFor('06:01'); // 17:21:01: ended at 17:20, left at 17:21
    assert.equal(await day.count(), 0);
    await browser.close();
  });

  test('an hour open adds no elements: one badge per live item, gone when it leaves (New York)', async () => {
    const browser = await visitor('2027-01-20T15:00:00Z', { timezoneId: 'America/New_York' });
    const page = await browser.open('/events/');
    const census = () => page.evaluate(() => ({
      elements: document.getElementsByTagName('*').length,
      badges: document.querySelectorAll('.live-state').length,
      badged: document.querySelectorAll('li[data-live]:is([data-live="soon"], [data-live="live"], [data-live="ended"])').length,
    }));
    const start = await census();
    let most = start.elements;
    for (let minute = 0; minute < 60; minute += 1) {
      await page.clock.runFor('01:00');
      const now = await census();
      // Each badge is four elements (span, strong, the link and its hidden words) and belongs
      // to one item in a live state.
      assert.ok(now.badges <= now.badged, `${now.badges} badges for ${now.badged} items`);
      assert.ok(now.elements <= start.elements + 4 * now.badged, `minute ${minute}: ${now.elements} elements`);
      most = Math.max(most, now.elements);
    }
    const end = await census();
    assert.ok(end.elements < start.elements, 'the Atlantic Scrum has left');
    assert.ok(most <= start.elements + 4, `at most one badge at a time in this hour (${most})`);
    await browser.close();
  });

  test('one timer for the lists, set for the next change, not a poll', async () => {
    // Count the timers live.js sets: between 12:00 and 15:04 nothing in the lists changes state.
    const browser = await visitor('2027-01-20T12:00:00Z', {
      timezoneId: 'Asia/Tokyo',
          initScript: () => {
        // Wrapped once the page is parsed (deferred scripts run next), over the fake clock's;
        // records when each of live.js's timers is due.
        window.liveTimers = [];
        document.addEventListener('readystatechange', () => {
          if (document.readyState !== 'interactive') return;
          const set = window.setTimeout;
          window.setTimeout = function (callback, delay, ...rest) {
            if (new Error().stack.includes('/live.')) window.liveTimers.push(Date.now() + delay);
            return set.call(this, callback, delay, ...rest);
          };
        });
      },
    });
    const page = await browser.open('/');
    const dueAt = await page.evaluate(() => window.liveTimers);
    assert.equal(dueAt.length, 1);
    // Due at the first change: the Atlantic Scrum starts soon at 15:05:00Z.
    const due = dueAt[0] - Date.parse('2027-01-20T15:05:00Z');
    assert.ok(due >= 0 && due < 100, `due ${due} ms after the change`);
    await page.clock.runFor('03:00:00');
    assert.equal((await page.evaluate(() => window.liveTimers)).length, 1, 'no tick in three hours');
    await page.clock.runFor('05:10');
    assert.equal((await page.evaluate(() => window.liveTimers)).length, 2, 'set again at the change');
    await browser.close();
  });

  test('with JavaScript off lists have no badges and the pause button is hidden', async () => {
    const browser = await visitor('2027-01-20T15:20:00Z', { javaScriptEnabled: false });
    const page = await browser.open('/');
    assert.equal(await page.locator('.live-state').count(), 0);
    assert.equal(await page.locator('[data-countdown-pause]').isVisible(), false);
    assert.equal(await text(page, ATLANTIC).then((t) => t.startsWith('15:15–15:40 GMT')), true);
    const event = await browser.open('/events/euroasia-scrum/');
    assert.equal(await event.locator('[data-time-change]').isVisible(), false);
    await browser.close();
  });
});

describe('pausing the countdown', () => {
  const PAUSE = '[data-countdown-pause]';
  const HEADER = '[data-countdown="header"]';

  test('the pause button stops the ticking on every page, and the choice persists across pages', async () => {
    const browser = await visitor('2027-01-20T14:30:00Z', { timezoneId: 'Asia/Kolkata' });
    const page = await browser.open('/');
    const button = page.getByRole('button', { name: 'Pause countdown' });
    assert.equal(await button.getAttribute('aria-pressed'), 'false');
    assert.equal(await text(page, HEADER), 'Next scrum: Atlantic Scrum in 00:45:00 Pause countdown');
    await button.click();
    assert.equal(await button.getAttribute('aria-pressed'), 'true');
    // Paused, the header shows when instead of how long; the banner keeps its own time.
    assert.equal(await text(page, HEADER), 'Next scrum: Atlantic Scrum Wed 20 Jan, 20:45–21:10 GMT+5:30 Pause countdown');
    assert.equal(await page.locator('[data-countdown="banner"] [data-countdown-text]').isVisible(), false);
    await page.clock.runFor(5_000);
    assert.equal(await text(page, HEADER), 'Next scrum: Atlantic Scrum Wed 20 Jan, 20:45–21:10 GMT+5:30 Pause countdown');

    const other = await browser.open('/events/');
    assert.equal(await other.locator(PAUSE).getAttribute('aria-pressed'), 'true');
    assert.equal(await other.locator(`${HEADER} [data-countdown-text]`).isVisible(), false);
    const event = await browser.open('/events/euroasia-scrum/', { ready: '[data-countdown="event"][data-key]' });
    assert.equal(await event.locator('[data-countdown="event"] [data-countdown-text]').isVisible(), false);

    // State changes are still announced, once, while paused.
    await page.clock.runFor('34:55'); // 15:05:00
    await page.clock.runFor(1_000);
    assert.equal(await text(page, '[role="status"]'), 'Starting soon');

    await event.locator(PAUSE).click();
    assert.equal(await event.locator(PAUSE).getAttribute('aria-pressed'), 'false');
    const again = await browser.open('/');
    assert.equal(await again.locator(PAUSE).getAttribute('aria-pressed'), 'false');
    assert.equal(await again.locator('[data-countdown="banner"] [data-countdown-text]').isVisible(), true);
    await browser.close();
  });

  test('the button still works, for the page, when storage is refused', async () => {
    const browser = await visitor('2027-01-20T14:30:00Z', {
      initScript: () => Object.defineProperty(window, 'localStorage', {
        get() { throw new DOMException('The operation is insecure.', 'SecurityError'); },
      }),
    });
    const page = await browser.open('/');
    await page.locator(PAUSE).click();
    assert.equal(await page.locator(PAUSE).getAttribute('aria-pressed'), 'true');
    assert.equal(await page.locator(`${HEADER} [data-countdown-text]`).isVisible(), false);
    await browser.close();
  });

  test('with reduced motion the countdown moves once a minute and never shows seconds', async () => {
    const browser = await visitor('2027-01-20T14:30:00Z', { timezoneId: 'America/New_York', reducedMotion: 'reduce' });
    const page = await browser.open('/');
    const banner = '[data-countdown="banner"] [data-countdown-text]';
    // Whole minutes, rounded down as the longer countdowns are: on the minute, 44:59.99 to go.
    await page.clock.runFor(1_000);
    assert.equal(await text(page, banner), 'In 44 minutes');
    assert.equal(await text(page, HEADER), 'Next scrum: Atlantic Scrum in 44 minutes Pause countdown');
    await page.evaluate(() => {
      window.changes = 0;
      new MutationObserver(() => { window.changes += 1; })
        .observe(document.querySelector('[data-countdown="banner"] [data-countdown-text]'),
          { childList: true, characterData: true, subtree: true });
    });
    await page.clock.runFor(59_000); // to 14:31:00
    assert.equal(await text(page, banner), 'In 44 minutes');
    assert.equal(await page.evaluate(() => window.changes), 0, 'no change within the minute');
    await page.clock.runFor(1_000); // 14:31:01
    assert.equal(await text(page, banner), 'In 43 minutes');
    await page.clock.runFor('44:00'); // 15:15:01: live, announced once
    assert.equal(await text(page, banner), 'Is live, ends in 24 minutes');
    assert.equal(await text(page, '[role="status"]'), 'Live now');
    const body = await page.locator('body').innerText();
    assert.doesNotMatch(body, /\d\d:\d\d:\d\d/);
    await browser.close();
  });
});

describe('your time changes', () => {
  const NOTICE = '[data-countdown="event"] [data-time-change]';
  const notice = async (page) => {
    await page.waitForSelector('[data-time-change][data-time-change]:not([data-time-change=""])', { state: 'attached' });
    const element = page.locator(NOTICE);
    return (await element.isVisible()) ? text(page, NOTICE) : '';
  };
  const CASES = [
    // zone, clock, event page, notice, events.json requests: from March the header countdown
    // reads it once (countdown.json has passed its horizon); a second is the notice's own
    ['America/New_York', '2027-03-01T12:00:00Z', 'euroasia-scrum',
      'From Mon 15 Mar this meeting is at 03:00 for you (was 02:00): your clocks change. '
      + 'From Tue 30 Mar this meeting is at 02:00 for you (was 03:00): the UK moves its clocks.', 2],
    ['Australia/Sydney', '2027-03-10T12:00:00Z', 'euroasia-scrum',
      'From Tue 30 Mar this meeting is at 17:00 for you (was 18:00): the UK moves its clocks. '
      + 'From Mon 5 Apr this meeting is at 16:00 for you (was 17:00): your clocks change.', 2],
    ['Asia/Kolkata', '2027-03-10T12:00:00Z', 'euroasia-scrum',
      'From Tue 30 Mar this meeting is at 11:30 for you (was 12:30): the UK moves its clocks.', 2],
    // Sydney 19:00 on Mondays: 08:00 London until the UK changes (from its own ten dates).
    ['Europe/London', '2027-03-01T12:00:00Z', 'oceania-pairing',
      'From Mon 29 Mar this meeting is at 09:00 for you (was 08:00): your clocks change.', 1],
    ['Asia/Tokyo', '2027-03-10T12:00:00Z', 'oceania-pairing',
      'From Mon 5 Apr this meeting is at 18:00 for you (was 17:00): Australia/Sydney moves its clocks.', 2],
    // Nothing changes: the visitor in the event's zone, no change within 30 days, all day.
    ['Europe/London', '2027-03-10T12:00:00Z', 'euroasia-scrum', '', 1],
    ['America/New_York', '2027-02-01T12:00:00Z', 'euroasia-scrum', '', 0],
    ['Asia/Tokyo', '2027-01-25T12:00:00Z', 'oceania-pairing', '', 0],
    ['Asia/Tokyo', '2027-03-10T12:00:00Z', 'spring-hackathon', '', 1],
  ];
  for (const [timezoneId, time, slug, expected, feedReads] of CASES) {
    test(`${slug} from ${timezoneId} at ${time}: ${expected ? 'says so' : 'no notice'}`, async () => {
      const browser = await visitor(time, { timezoneId });
      const page = await browser.open(`/events/${slug}/`, { ready: '[data-time-change]:not([data-time-change=""])' });
      assert.equal(await notice(page), expected);
      assert.equal(browser.requests.filter((path) => path === '/events.json').length, feedReads);
      await browser.close();
    });
  }
});
