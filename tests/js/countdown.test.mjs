// Unit tests for the countdown's pure logic. The file the browser gets is loaded as it is, in a
// sandbox without a DOM, where it only publishes its functions.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import vm from 'node:vm';
import { gzipSync } from 'node:zlib';

const SOURCE = new URL('../../static/js/countdown.js', import.meta.url);
const sandbox = {};
vm.runInNewContext(readFileSync(SOURCE, 'utf8'), sandbox);
const { parseFeed, isStale, chooseNext, nextOrState, stateAt, formatDuration, describe } = sandbox.NextupCountdown;

const MINUTE = 60e3;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const at = (iso) => Date.parse(iso);

const feed = parseFeed({
  version: 1,
  generated_at: '2027-02-15T00:00:00Z',
  horizon_end: '2027-05-16T00:00:00Z',
  events: {
    'euro-scrum': { title: 'EuroAsia Scrum', category: 'scrum' },
    pairing: { title: 'Pairing', category: 'pair-programming' },
  },
  occurrences: [
    { event: 'pairing', start: '2027-02-15T06:00:00Z', end: '2027-02-15T08:00:00Z' },
    { event: 'euro-scrum', start: '2027-02-15T07:00:00Z', end: '2027-02-15T07:25:00Z' },
    { event: 'euro-scrum', start: '2027-02-16T07:00:00Z', end: '2027-02-16T07:25:00Z', title: 'Late scrum' },
  ],
});
const scrum = (o) => feed.events[o.event].category === 'scrum';

test('durations name days, hours and minutes, singular and plural, dropping zero units', () => {
  assert.equal(formatDuration(DAY + 21 * HOUR + 45 * MINUTE), '1 day 21 hours 45 minutes');
  assert.equal(formatDuration(2 * DAY + HOUR + MINUTE), '2 days 1 hour 1 minute');
  assert.equal(formatDuration(3 * DAY), '3 days');
  assert.equal(formatDuration(DAY + 5 * MINUTE + 59e3), '1 day 5 minutes');
  assert.equal(formatDuration(HOUR), '1 hour');
});

test('the last hour ticks as hh:mm:ss', () => {
  assert.equal(formatDuration(HOUR - 1000), '00:59:59');
  assert.equal(formatDuration(42 * MINUTE + 17e3 + 999), '00:42:17');
  assert.equal(formatDuration(0), '00:00:00');
});

test('with reduced motion (calm) only whole minutes, never seconds', () => {
  assert.equal(formatDuration(42 * MINUTE + 17e3, true), '42 minutes');
  assert.equal(formatDuration(HOUR - 1000, true), '59 minutes');
  assert.equal(formatDuration(MINUTE, true), '1 minute');
  assert.equal(formatDuration(59e3, true), 'less than a minute');
  assert.equal(formatDuration(DAY + 5 * MINUTE + 59e3, true), '1 day 5 minutes');
  const o = feed.occurrences[1];
  assert.deepEqual({ ...describe(o, o.start - 5 * MINUTE, true) }, { state: 'soon', text: 'in 5 minutes' });
  assert.deepEqual({ ...describe(o, o.start + 5 * MINUTE, true) },
    { state: 'live', text: 'is live, ends in 20 minutes' });
});

test('never a negative, NaN or undefined duration', () => {
  for (const bad of [-5000, NaN, undefined, -Infinity, Infinity]) {
    const text = formatDuration(bad);
    assert.match(text, /^(00:00:00|[0-9a-z ]+)$/, String(bad));
    assert.doesNotMatch(text, /NaN|undefined|-/);
  }
});

test('the next occurrence is the first of the category that has not ended', () => {
  assert.equal(chooseNext(feed, at('2027-02-15T00:00:00Z'), scrum).start, at('2027-02-15T07:00:00Z'));
  // In progress: still the next one until it ends.
  assert.equal(chooseNext(feed, at('2027-02-15T07:24:59Z'), scrum).start, at('2027-02-15T07:00:00Z'));
  assert.equal(chooseNext(feed, at('2027-02-15T07:25:00Z'), scrum).start, at('2027-02-16T07:00:00Z'));
  assert.equal(chooseNext(feed, at('2027-02-16T07:25:00Z'), scrum), null);
  // Another category is not the scrum countdown's business.
  assert.equal(chooseNext(feed, at('2027-02-15T00:00:00Z'), (o) => o.event === 'pairing').event, 'pairing');
});

test('states: upcoming, starting soon from ten minutes before, live until the end', () => {
  const o = feed.occurrences[1];
  assert.equal(stateAt(o, o.start - 10 * MINUTE - 1), 'upcoming');
  assert.equal(stateAt(o, o.start - 10 * MINUTE), 'soon');
  assert.equal(stateAt(o, o.start - 1), 'soon');
  assert.equal(stateAt(o, o.start), 'live');
  assert.equal(stateAt(o, o.end - 1), 'live');
});

test('what a block says in each state', () => {
  const o = feed.occurrences[1];
  assert.deepEqual({ ...describe(o, o.start - (DAY + 21 * HOUR + 45 * MINUTE)) },
    { state: 'upcoming', text: 'in 1 day 21 hours 45 minutes' });
  assert.deepEqual({ ...describe(o, o.start - 5 * MINUTE) }, { state: 'soon', text: 'in 00:05:00' });
  assert.deepEqual({ ...describe(o, o.start + 5 * MINUTE) },
    { state: 'live', text: 'is live, ends in 00:20:00' });
});

test('a feed is stale once its horizon has passed, or if it has none', () => {
  assert.equal(isStale(feed, at('2027-03-01T00:00:00Z')), false);
  assert.equal(isStale(feed, at('2027-05-15T23:59:59Z')), false);
  assert.equal(isStale(feed, at('2027-05-16T00:00:00Z')), true);
  assert.equal(isStale(parseFeed({ horizon_end: 'soon' }), at('2027-03-01T00:00:00Z')), true);
  assert.equal(isStale(parseFeed({}), at('2027-03-01T00:00:00Z')), true);
});

test('nothing scheduled is not out of date: "none" while the feed is current, "stale" after', () => {
  const pairing = (o) => feed.events[o.event].category === 'pair-programming';
  assert.equal(nextOrState(feed, at('2027-02-15T00:00:00Z'), scrum).start, at('2027-02-15T07:00:00Z'));
  // The last scrum has ended, the feed is current: nothing is scheduled.
  assert.equal(nextOrState(feed, at('2027-02-16T07:25:00Z'), scrum), 'none');
  assert.equal(nextOrState(feed, at('2027-02-15T08:00:00Z'), pairing), 'none');
  assert.equal(nextOrState(feed, at('2027-02-15T00:00:00Z'), (o) => o.event === 'no-such-event'), 'none');
  // Past the horizon, or without a readable feed, nobody knows.
  assert.equal(nextOrState(feed, at('2027-05-16T00:00:00Z'), scrum), 'stale');
  assert.equal(nextOrState(null, at('2027-02-15T00:00:00Z'), scrum), 'stale');
  assert.equal(nextOrState(false, at('2027-02-15T00:00:00Z'), scrum), 'stale');
  assert.equal(nextOrState(parseFeed({ occurrences: [] }), at('2027-02-15T00:00:00Z'), scrum), 'stale');
});

// 2 KB, 128 bytes for reduced motion, 32 for the header to follow starred events and 480 for the
// site's language (README, "Script budgets"; tests/test_budgets.py).
test('the countdown script stays within 2,688 bytes gzipped as served', () => {
  const size = gzipSync(readFileSync(SOURCE)).length;
  console.log(`countdown.js: ${readFileSync(SOURCE).length} bytes, ${size} bytes gzipped`);
  assert.ok(size <= 2688, `${size} bytes gzipped`);
});
