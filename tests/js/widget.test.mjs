// Unit tests for the embeddable widget's logic (static/embed/widget.js), with a fake clock: every
// function takes `now`. The file is loaded as served, in a sandbox without a DOM, where it only
// publishes its functions. Its size budget (README "Script budgets"; tests/test_budgets.py).
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import vm from 'node:vm';
import { gzipSync } from 'node:zlib';

process.env.TZ = 'Asia/Tokyo'; // the visitor's zone, for Intl's default
const SOURCE = new URL('../../static/embed/widget.js', import.meta.url);
const sandbox = { URL, Intl, Date };
vm.runInNewContext(readFileSync(SOURCE, 'utf8'), sandbox);
const { feedUrl, parse, pick, stateAt, countdown, when, view, nextTick } = sandbox.NextupWidget;
const plain = (value) => JSON.parse(JSON.stringify(value)); // objects from the sandbox's realm

const MINUTE = 60e3;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const at = Date.parse;

// A category's next.json as render/embed.py writes it.
const feed = parse({
  version: 1, title: 'Scrum', page: 'https://events.example.org/categories/scrum/', horizon_end: '2027-02-01T00:00:00Z',
  events: {
    atlantic: { title: 'Atlantic Scrum', page: 'https://events.example.org/events/atlantic/', url: 'https://meet.example/a' },
    americas: { title: 'Americas Scrum', page: 'https://events.example.org/events/americas/', url: null },
  },
  occurrences: [
    { event: 'atlantic', start: '2027-01-20T15:15:00Z', end: '2027-01-20T15:40:00Z' },
    { event: 'americas', start: '2027-01-20T17:00:00Z', end: '2027-01-20T17:20:00Z', title: 'Americas Scrum (late)',
      url: 'https://meet.example/just-this-once' },
    { event: 'atlantic', start: '2027-01-21T15:15:00Z', end: '2027-01-21T15:40:00Z' },
  ],
});

test('the data address comes from the attribute and the site the script was loaded from', () => {
  const attributes = (values) => (name) => values[name] || null;
  assert.equal(feedUrl(attributes({ category: 'scrum' }), 'https://events.example.org/'),
    'https://events.example.org/embed/categories/scrum/next.json');
  assert.equal(feedUrl(attributes({ project: 'websiteone' }), 'https://example.org/community/'),
    'https://example.org/community/embed/projects/websiteone/next.json');
  assert.equal(feedUrl(attributes({ event: '日本語' }), 'https://events.example.org/'),
    'https://events.example.org/embed/events/%E6%97%A5%E6%9C%AC%E8%AA%9E/next.json');
  assert.equal(feedUrl(attributes({}), 'https://events.example.org/'), null);
});

test('the next occurrence is the first not ended; then none while the data is exact; stale after it', () => {
  assert.equal(pick(feed, at('2027-01-20T12:00:00Z')).event, 'atlantic');
  assert.equal(pick(feed, at('2027-01-20T15:39:59Z')).event, 'atlantic'); // still running
  assert.equal(pick(feed, at('2027-01-20T15:40:00Z')).event, 'americas');
  assert.equal(pick(feed, at('2027-01-21T16:00:00Z')), 'none');
  assert.equal(pick(feed, at('2027-02-01T00:00:00Z')), 'stale');
});

test('states: upcoming, soon from ten minutes before, live from the start', () => {
  const o = feed.occurrences[0];
  assert.equal(stateAt(o, o.start - 10 * MINUTE - 1), 'upcoming');
  assert.equal(stateAt(o, o.start - 10 * MINUTE), 'soon');
  assert.equal(stateAt(o, o.start), 'live');
});

test('the countdown in words of the visitor\'s language, ticking in the last hour unless calm', () => {
  assert.equal(countdown(3 * DAY + 5 * HOUR, 'en'), 'in 3 days');
  assert.equal(countdown(DAY + 21 * HOUR + 45 * MINUTE, 'en'), 'in 45 hours');
  assert.equal(countdown(HOUR + 59 * MINUTE, 'en'), 'in 119 minutes');
  assert.equal(countdown(42 * MINUTE + 17e3 + 999, 'en'), '00:42:17');
  assert.equal(countdown(42 * MINUTE + 17e3, 'en', true), 'in 42 minutes');
  assert.equal(countdown(20e3, 'en', true), 'in 1 minute'); // never "in 0 minutes"
  assert.equal(countdown(3 * DAY, 'de'), 'in 3 Tagen');
  assert.equal(countdown(5 * HOUR, 'fr'), 'dans 5 heures');
});

test('when, in the visitor\'s zone (Intl), and all-day occurrences on their own days in every zone', () => {
  const moment = { start: at('2027-01-20T15:15:00Z'), end: at('2027-01-20T15:40:00Z') };
  const expected = new Intl.DateTimeFormat('en-GB', { weekday: 'short', day: 'numeric', month: 'short',
    hour: '2-digit', minute: '2-digit', timeZoneName: 'short' }).formatRange(moment.start, moment.end);
  assert.equal(when(moment, 'en-GB'), expected);
  assert.match(when(moment, 'en-GB'), /^Thu 21 Jan, 00:15–00:40 GMT\+9$/); // 15:15Z in Tokyo
  const allDay = { all_day: true, date: '2027-03-26', end_date: '2027-03-28', start: at('2027-03-25T23:00:00Z') };
  assert.match(when(allDay, 'en-GB'), /^Fri 26 Mar\s–\sSun 28 Mar$/); // its own days, whatever the zone
  assert.equal(when({ ...allDay, end_date: '2027-03-26' }, 'en-GB'), 'Fri 26 Mar');
});

test('the view at each moment: countdown, Starting soon, Live now, the next one, nothing more', () => {
  const lang = 'en-GB';
  assert.deepEqual(plain(view(feed, at('2027-01-20T12:00:00Z'), lang)), {
    state: 'upcoming', status: '', title: 'Atlantic Scrum', href: 'https://events.example.org/events/atlantic/',
    label: 'Scrum', when: when(feed.occurrences[0], lang), start: '2027-01-20T15:15:00.000Z',
    join: 'https://meet.example/a', countdown: 'in 3 hours',
  });
  const soon = view(feed, at('2027-01-20T15:10:00Z'), lang);
  assert.deepEqual([soon.state, soon.status, soon.countdown], ['soon', 'Starting soon', '00:05:00']);
  const live = view(feed, at('2027-01-20T15:20:00Z'), lang);
  assert.deepEqual([live.state, live.status, live.countdown], ['live', 'Live now', '']);
  // A renamed occurrence keeps its own title; its own join link replaces the event's.
  const next = view(feed, at('2027-01-20T15:40:00Z'), lang);
  assert.deepEqual([next.title, next.join, next.countdown], ['Americas Scrum (late)', 'https://meet.example/just-this-once', 'in 80 minutes']);
  assert.deepEqual(plain(view(feed, at('2027-01-22T00:00:00Z'), lang)),
    { state: 'none', status: 'No upcoming dates', title: 'Scrum', href: 'https://events.example.org/categories/scrum/' });
  assert.equal(view(feed, at('2027-02-02T00:00:00Z'), lang).status, 'See the schedule');
});

test('the text moves once a second in the last hour, else once a minute, just past the boundary', () => {
  assert.equal(nextTick(feed, at('2027-01-20T12:00:00Z')), 5);
  assert.equal(nextTick(feed, at('2027-01-20T12:00:20Z')), 40e3 + 5);
  assert.equal(nextTick(feed, at('2027-01-20T14:30:00.250Z')), 750 + 5);
  assert.equal(nextTick(feed, at('2027-01-20T14:30:00.250Z'), true), 59750 + 5); // calm: each minute
  assert.equal(nextTick(feed, at('2027-01-20T15:20:00.250Z')), 59750 + 5); // live: nothing ticks
});

test('widget.js stays within 3 KB gzipped as served', () => {
  const size = gzipSync(readFileSync(SOURCE), { level: 6 }).length;
  assert.ok(size <= 3072, `${size} bytes gzipped`);
});
