// The calendar (/calendar/) in headless Chromium with Playwright's fake clock, in visitors' zones
// ahead of UTC by nine hours (Tokyo), behind it (New York) and at a half-hour offset (Kolkata),
// against the sample site built at 2027-01-20T12:00:00Z. Where each occurrence belongs is worked
// out here from events.json with Node's own Intl, never by the page's script.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { withSampleSite } from './support.mjs';

const NOW = '2027-01-20T12:00:00Z';
// euroasia-scrum's exdate, 25 March 07:00 London (GMT), and Easter Monday, 29 March (BST), which
// its skip_holidays = "GB-ENG" cancels.
const CANCELLED = ['2027-03-25T07:00:00Z', '2027-03-29T06:00:00Z'];
const LIMIT = 4; // a month cell's occurrences before "+N more" (render/calendar.py)

let site;
let server;
let browser;
let feed;

withSampleSite({ now: NOW }, (shared) => {
  ({ site, server, browser } = shared);
  feed = JSON.parse(readFileSync(join(site, 'events.json'), 'utf8'));
});

async function open(path, { timezoneId = 'Europe/London', time = NOW, javaScriptEnabled = true, viewport } = {}) {
  const context = await browser.newContext({ timezoneId, javaScriptEnabled, viewport });
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (error) => errors.push(error.message));
  await page.clock.install({ time: Date.parse(time) });
  await page.goto(server.url + path);
  if (javaScriptEnabled && path.startsWith('/calendar/')) {
    await page.waitForFunction(() => document.querySelector('table[data-calendar]').dataset.zone);
  }
  return {
    page,
    close: async () => {
      await context.close();
      assert.deepEqual(errors, [], 'no script error on the page');
    },
  };
}

// Every day cell as the visitor sees it: date, today, its items and "+N more".
const readGrid = (page) => page.$$eval('td[data-date]', (cells) => cells.map((cell) => ({
  date: cell.dataset.date,
  today: cell.getAttribute('aria-current') === 'date',
  items: [...cell.querySelectorAll('li')].filter((li) => !li.hidden).map((li) => ({
    slug: li.querySelector('a').getAttribute('href').split('/')[2],
    start: li.querySelector('time').getAttribute('datetime'),
    allDay: li.querySelector('time').dataset.allDay || '',
    text: li.innerText.replace(/\s+/g, ' ').trim(),
    category: li.dataset.category,
    project: li.dataset.project,
    cancelled: li.classList.contains('is-cancelled'),
  })),
  more: Number((cell.querySelector('.more')?.textContent.match(/\d+/) || ['0'])[0]),
})));

const localDay = (instant, timeZone) => new Intl.DateTimeFormat('en-CA', {
  timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date(instant));
const localClock = (instant, timeZone) => new Intl.DateTimeFormat('en-GB', {
  timeZone, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(new Date(instant));

// What each day of the visitor's calendar must hold, from the feed: timed occurrences on the
// local day of their start, all-day ones on each of their own days.
function expectedDays(timeZone) {
  const days = new Map();
  const add = (day, key) => (days.get(day) || days.set(day, new Set()).get(day)).add(key);
  for (const o of feed.occurrences) {
    if (o.all_day) {
      for (let d = new Date(`${o.date}T00:00Z`); d.toISOString().slice(0, 10) <= o.end_date; d.setUTCDate(d.getUTCDate() + 1)) {
        add(d.toISOString().slice(0, 10), `${o.event} ${o.date}`);
      }
    } else {
      add(localDay(o.start, timeZone), `${o.event} ${o.start}`);
    }
  }
  return days;
}

const ZONES = ['Asia/Tokyo', 'America/New_York', 'Asia/Kolkata'];

describe('the month grid in the visitor\'s zone', () => {
  for (const timezoneId of ZONES) {
    test(`each occurrence of March 2027 sits on its local day in ${timezoneId} (two clock changes that month)`, async () => {
      const { page, close } = await open('/calendar/2027-03/', { timezoneId });
      const grid = await readGrid(page);
      const expected = expectedDays(timezoneId);
      const cancelledDays = CANCELLED.map((c) => localDay(c, timezoneId));
      let checked = 0;
      for (const cell of grid) {
        const want = expected.get(cell.date) || new Set();
        for (const item of cell.items.filter((i) => !i.cancelled)) {
          const key = `${item.slug} ${item.allDay ? item.allDay.slice(0, 10) : item.start}`;
          assert.ok(want.has(key), `${key} is not on ${cell.date} in ${timezoneId}`);
          checked += 1;
        }
        const cancelledHere = cancelledDays.filter((d) => d === cell.date).length;
        assert.equal(cell.items.length + cell.more, want.size + cancelledHere, `count on ${cell.date}`);
        assert.ok(cell.items.length <= LIMIT);
        // All-day bars first, then timed ones in start order.
        const starts = cell.items.filter((i) => !i.allDay).map((i) => i.start);
        assert.deepEqual(starts, [...starts].sort());
        assert.ok(cell.items.findIndex((i) => !i.allDay) <= cell.items.filter((i) => i.allDay).length
          || cell.items.every((i) => i.allDay));
      }
      assert.ok(checked >= 70, `checked ${checked} occurrences`);
      // Each time shown is the local time of its instant.
      for (const item of grid.flatMap((c) => c.items).filter((i) => !i.allDay)) {
        assert.ok(item.text.startsWith(localClock(item.start, timezoneId)), item.text);
      }
      await close();
    });
  }

  test('a New York noon scrum is at 17:00, then 16:00 after the US changes its clocks, then 17:00 after the UK does, for a London visitor', async () => {
    const { page, close } = await open('/calendar/2027-03/', { timezoneId: 'Europe/London' });
    const grid = await readGrid(page);
    const at = (date) => grid.find((c) => c.date === date).items.find((i) => i.slug === 'americas-scrum').text.slice(0, 5);
    // Worked by hand: 12:00 EST = 17:00 GMT (1 March); 12:00 EDT = 16:00 GMT (15 March, after
    // 14 March); 12:00 EDT = 17:00 BST (29 March, after 28 March).
    assert.deepEqual([at('2027-03-01'), at('2027-03-15'), at('2027-03-29')], ['17:00', '16:00', '17:00']);
    await close();
  });

  test('across the month boundary: a late London evening is on the next day, in the next month, in Tokyo', async () => {
    const crossing = feed.occurrences.filter((o) => !o.all_day && localDay(o.start, 'Europe/London') === '2027-03-31'
      && localDay(o.start, 'Asia/Tokyo') === '2027-04-01');
    assert.ok(crossing.length > 0, 'the sample has such an occurrence');
    const { page, close } = await open('/calendar/2027-03/', { timezoneId: 'Asia/Tokyo' });
    const grid = await readGrid(page);
    const april = grid.find((c) => c.date === '2027-04-01').items.map((i) => i.start);
    const march = grid.find((c) => c.date === '2027-03-31').items.map((i) => i.start);
    for (const o of crossing) {
      assert.ok(april.includes(o.start) && !march.includes(o.start), o.start);
    }
    await close();
  });

  test('today is marked in the visitor\'s own day, not the build\'s', async () => {
    // 16:00Z on 20 January: still the 20th in London and New York, already the 21st in Tokyo.
    for (const [timezoneId, today] of [['Asia/Tokyo', '2027-01-21'], ['America/New_York', '2027-01-20']]) {
      const { page, close } = await open('/calendar/', { timezoneId, time: '2027-01-20T16:00:00Z' });
      const marked = (await readGrid(page)).filter((c) => c.today).map((c) => c.date);
      assert.deepEqual(marked, [today], timezoneId);
      await close();
    }
  });

  test('moved and cancelled occurrences say so', async () => {
    const { page, close } = await open('/calendar/2027-03/', { timezoneId: 'Asia/Kolkata' });
    const items = (await readGrid(page)).flatMap((c) => c.items);
    const cancelled = items.filter((i) => i.cancelled).map((i) => i.start);
    assert.deepEqual(cancelled, CANCELLED);
    const moved = items.find((i) => i.slug === 'atlantic-scrum' && i.text.includes('late start'));
    // 30 March 16:30 BST is 21:00 in Kolkata; it was at 15:15 BST, 19:45 in Kolkata.
    assert.match(moved.text, /^21:00 moved/i);
    const detail = await page.$eval('td[data-date="2027-03-30"] .is-moved .detail', (e) => e.textContent);
    assert.equal(detail, ' from Tue 30 Mar 19:45');
    await close();
  });
});

describe('the week view', () => {
  test('seven columns, each day in time order, in Tokyo', async () => {
    const { page, close } = await open('/calendar/2027-W12/', { timezoneId: 'Asia/Tokyo' });
    const grid = await readGrid(page);
    assert.deepEqual(grid.map((c) => c.date), ['22', '23', '24', '25', '26', '27', '28'].map((d) => `2027-03-${d}`));
    const expected = expectedDays('Asia/Tokyo');
    for (const cell of grid) {
      const starts = cell.items.filter((i) => !i.allDay).map((i) => i.start);
      assert.deepEqual(starts, [...starts].sort());
      const want = expected.get(cell.date) || new Set();
      assert.equal(cell.items.filter((i) => !i.cancelled).length + cell.more, want.size, cell.date);
    }
    assert.deepEqual(grid.filter((c) => c.items.some((i) => i.allDay)).map((c) => c.date),
      ['2027-03-26', '2027-03-27', '2027-03-28']);
    await close();
  });

  test('on a phone it reads as an agenda, top to bottom', async () => {
    const { page, close } = await open('/calendar/2027-W12/', { timezoneId: 'Asia/Tokyo', viewport: { width: 320, height: 640 } });
    const boxes = await page.$$eval('td[data-date]', (cells) => cells.map((c) => c.getBoundingClientRect())
      .map((r) => ({ top: r.top, left: r.left, width: r.width })));
    for (let i = 1; i < boxes.length; i += 1) assert.ok(boxes[i].top > boxes[i - 1].top, 'each day below the one before');
    assert.ok(boxes.every((b) => b.width > 280), 'each day the width of the screen');
    assert.ok(await page.evaluate(() => document.documentElement.scrollWidth <= 320));
    await close();
  });
});

describe('zoom', () => {
  test('at 200 % zoom of a 1280-pixel window (640 CSS pixels) the month is an agenda without sideways scrolling', async () => {
    const { page, close } = await open('/calendar/2027-03/', { timezoneId: 'America/New_York', viewport: { width: 640, height: 450 } });
    const shown = await page.$$eval('td[data-date]', (cells) => cells.filter((c) => c.checkVisibility())
      .map((c) => ({ date: c.dataset.date, items: c.querySelectorAll('li').length, width: c.getBoundingClientRect().width })));
    assert.ok(shown.length > 20 && shown.every((c) => c.items > 0 && c.width > 560), 'days with something, each the width of the page');
    assert.ok(await page.evaluate(() => document.documentElement.scrollWidth <= 640));
    // The arrow keys skip the days the agenda leaves out.
    await page.focus('td[data-date="2027-03-05"]');
    await page.keyboard.press('ArrowRight');
    const next = shown[shown.findIndex((c) => c.date === '2027-03-05') + 1].date;
    assert.equal(await page.evaluate(() => document.activeElement.dataset.date), next);
    await close();
  });
});

describe('filters, kept in the address', () => {
  test('choosing a category filters the grid without a reload, and the address can be shared', async () => {
    const { page, close } = await open('/calendar/2027-03/', { timezoneId: 'Asia/Tokyo' });
    await page.evaluate(() => { window.notReloaded = true; });
    await page.selectOption('select[name="category"]', 'pair-programming');
    const grid = await readGrid(page);
    const items = grid.flatMap((c) => c.items);
    assert.ok(items.length > 0 && items.every((i) => i.category === 'pair-programming'));
    assert.ok(await page.evaluate(() => window.notReloaded));
    const address = new URL(page.url());
    assert.equal(address.search, '?category=pair-programming');
    assert.match(await page.getAttribute('a[rel="next"]', 'href'), /\/calendar\/2027-04\/\?category=pair-programming$/);
    // The same counts as the feed's pair-programming occurrences in Tokyo's days.
    const pairing = new Set(Object.entries(feed.events).filter(([, e]) => e.category === 'pair-programming').map(([slug]) => slug));
    const want = feed.occurrences.filter((o) => pairing.has(o.event) && !o.all_day && localDay(o.start, 'Asia/Tokyo').startsWith('2027-03'));
    assert.equal(items.filter((i) => i.start.startsWith('2027-0') && grid.find((c) => c.items.includes(i)).date.startsWith('2027-03')).length, want.length);
    await close();
    // Opened from the shared address: the same view.
    const shared = await open(`/calendar/2027-03/?category=pair-programming&project=websiteone`, { timezoneId: 'Asia/Tokyo' });
    assert.equal(await shared.page.inputValue('select[name="category"]'), 'pair-programming');
    assert.equal(await shared.page.inputValue('select[name="project"]'), 'websiteone');
    const sharedItems = (await readGrid(shared.page)).flatMap((c) => c.items);
    assert.ok(sharedItems.length > 0 && sharedItems.every((i) => i.category === 'pair-programming' && i.project === 'websiteone'));
    await shared.close();
  });

  test('the events list takes the same filters, in the page', async () => {
    const { page, close } = await open('/events/?project=websiteone', { timezoneId: 'America/New_York' });
    assert.equal(await page.inputValue('select[name="project"]'), 'websiteone');
    const visible = await page.$$eval('.days li[data-event]', (items) => items.filter((i) => i.checkVisibility()).map((i) => i.dataset.project));
    const websiteone = new Set(Object.entries(feed.events).filter(([, e]) => e.project === 'websiteone').map(([slug]) => slug));
    const ahead = feed.occurrences.filter((o) => websiteone.has(o.event) && Date.parse(o.end) > Date.parse(NOW));
    assert.equal(visible.length, ahead.length);
    assert.ok(visible.every((p) => p === 'websiteone'));
    // A day with nothing left after the filter is not shown at all.
    const emptyDays = await page.$$eval('.days .day', (days) => days.filter((d) => d.checkVisibility()
      && ![...d.querySelectorAll('li')].some((li) => li.checkVisibility())).length);
    assert.equal(emptyDays, 0);
    await page.selectOption('select[name="project"]', '');
    assert.equal(new URL(page.url()).search, '');
    await close();
  });
});

describe('keyboard', () => {
  test('arrow keys move between days, one cell in the tab order, Tab reaches the day\'s events', async () => {
    const { page, close } = await open('/calendar/', { timezoneId: 'Asia/Kolkata' });
    const focused = () => page.evaluate(() => document.activeElement.dataset.date || document.activeElement.tagName);
    assert.equal(await page.$$eval('td[tabindex="0"]', (c) => c.map((e) => e.dataset.date).join()), '2027-01-20');
    await page.focus('td[aria-current="date"]');
    await page.keyboard.press('ArrowRight');
    assert.equal(await focused(), '2027-01-21');
    await page.keyboard.press('ArrowDown');
    assert.equal(await focused(), '2027-01-28');
    await page.keyboard.press('ArrowLeft');
    await page.keyboard.press('ArrowUp');
    assert.equal(await focused(), '2027-01-20');
    await page.keyboard.press('Home');
    assert.equal(await focused(), '2027-01-18');
    await page.keyboard.press('End');
    assert.equal(await focused(), '2027-01-24');
    assert.equal(await page.$$eval('td[tabindex="0"]', (c) => c.map((e) => e.dataset.date).join()), '2027-01-24');
    // Tab from a day goes into its events.
    await page.focus('td[data-date="2027-01-21"]');
    await page.keyboard.press('Tab');
    const link = await page.evaluate(() => [document.activeElement.tagName, document.activeElement.closest('td')?.dataset.date]);
    assert.deepEqual(link, ['A', '2027-01-21']);
    await close();
  });
});

describe('JavaScript off', () => {
  test('the static grid is in the site\'s zone, today marked, filters hidden', async () => {
    const { page, close } = await open('/calendar/2027-03/', { timezoneId: 'Asia/Tokyo', javaScriptEnabled: false });
    const grid = await readGrid(page);
    const expected = expectedDays('Europe/London');
    for (const cell of grid) {
      for (const item of cell.items.filter((i) => !i.cancelled && !i.allDay)) {
        assert.ok(expected.get(cell.date)?.has(`${item.slug} ${item.start}`), `${item.start} on ${cell.date}`);
        assert.ok(item.text.startsWith(localClock(item.start, 'Europe/London')));
      }
    }
    assert.equal(await page.isVisible('[data-filters]'), false);
    assert.equal(await page.textContent('[data-zone-note]'), 'Times in Europe/London.');
    await close();
    const january = await open('/calendar/', { javaScriptEnabled: false });
    assert.deepEqual((await readGrid(january.page)).filter((c) => c.today).map((c) => c.date), ['2027-01-20']);
    await january.close();
  });
});
