// Unit tests for the pure logic of live.js (list states) and timechanges.js ("your time changes"
// notices), loaded as the browser gets them, in a sandbox without a DOM.
//
// The instants below are worked out by hand from the published clock changes of 2027, not by
// any code under test: the US moves its clocks at 07:00Z on Sunday 14 March, the UK (and the
// EU) at 01:00Z on Sunday 28 March, Sydney and Lord Howe back at 16:00Z and 15:00Z on Saturday
// 3 April (2:00 local on Sunday 4 April). A London 07:00 meeting is at 07:00Z until 28 March,
// 06:00Z after.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import vm from 'node:vm';
import { gzipSync } from 'node:zlib';

const load = (name) => {
  const sandbox = { Intl, Date };
  vm.runInNewContext(readFileSync(new URL(`../../static/js/${name}.js`, import.meta.url), 'utf8'), sandbox);
  return sandbox;
};
const { stateAt, nextChange } = load('live').NextupLive;
const { steady, timeChanges, sentence } = load('timechanges').NextupTimeChanges;

const MINUTE = 60e3;
const at = (iso) => Date.parse(iso);

test('a list item is upcoming, starting soon from ten minutes before, live, ended for a minute, then gone', () => {
  const start = at('2027-01-20T15:15:00Z');
  const end = at('2027-01-20T15:40:00Z');
  assert.equal(stateAt(start, end, start - 10 * MINUTE - 1), 'upcoming');
  assert.equal(stateAt(start, end, start - 10 * MINUTE), 'soon');
  assert.equal(stateAt(start, end, start), 'live');
  assert.equal(stateAt(start, end, end - 1), 'live');
  assert.equal(stateAt(start, end, end), 'ended');
  assert.equal(stateAt(start, end, end + MINUTE - 1), 'ended');
  assert.equal(stateAt(start, end, end + MINUTE), 'gone');
});

test('the lists\' one timer is set for the next change of state, whatever the time now', () => {
  const start = at('2027-01-20T15:15:00Z');
  const end = at('2027-01-20T15:40:00Z');
  assert.equal(nextChange(start, end, at('2027-01-20T12:00:00Z')), start - 10 * MINUTE);
  assert.equal(nextChange(start, end, start - 10 * MINUTE), start);
  assert.equal(nextChange(start, end, start + 1), end);
  assert.equal(nextChange(start, end, end), end + MINUTE);
  assert.equal(nextChange(start, end, end + MINUTE), Infinity);
});

// A London meeting at 07:00 on Mondays and Tuesdays, 1 March to 6 April 2027.
const LONDON_SEVEN = ['01', '02', '08', '09', '15', '16', '22', '23'].map((d) => at(`2027-03-${d}T07:00:00Z`))
  .concat(['03-29', '03-30', '04-05', '04-06'].map((d) => at(`2027-${d}T06:00:00Z`)));
const notices = (starts, eventZone, visitorZone, now) =>
  // Array.from: an array made in the sandbox is not deepEqual to one made here.
  Array.from(timeChanges(starts, eventZone, visitorZone, at(now)), (c) => sentence(c, eventZone, visitorZone));

test('seen from New York a London meeting moves twice: when the US changes, and when the UK does', () => {
  assert.deepEqual(notices(LONDON_SEVEN, 'Europe/London', 'America/New_York', '2027-03-01T12:00:00Z'), [
    'From Mon 15 Mar this meeting is at 03:00 for you (was 02:00): your clocks change.',
    'From Mon 29 Mar this meeting is at 02:00 for you (was 03:00): the UK moves its clocks.',
  ]);
});

test('seen from Sydney it moves when the UK changes, and again a week later when Sydney does', () => {
  assert.deepEqual(notices(LONDON_SEVEN, 'Europe/London', 'Australia/Sydney', '2027-03-10T12:00:00Z'), [
    'From Mon 29 Mar this meeting is at 17:00 for you (was 18:00): the UK moves its clocks.',
    'From Mon 5 Apr this meeting is at 16:00 for you (was 17:00): your clocks change.',
  ]);
});

test('half-hour offsets: Kolkata sees the UK change; Lord Howe moves its own clocks by half an hour', () => {
  assert.deepEqual(notices(LONDON_SEVEN, 'Europe/London', 'Asia/Kolkata', '2027-03-10T12:00:00Z'), [
    'From Mon 29 Mar this meeting is at 11:30 for you (was 12:30): the UK moves its clocks.',
  ]);
  assert.deepEqual(notices(LONDON_SEVEN, 'Europe/London', 'Australia/Lord_Howe', '2027-03-31T12:00:00Z'), [
    'From Mon 5 Apr this meeting is at 16:30 for you (was 17:00): your clocks change.',
  ]);
});

test('no notice in the event\'s own zone, nor where clocks change together, nor outside the 30 days', () => {
  assert.deepEqual(notices(LONDON_SEVEN, 'Europe/London', 'Europe/London', '2027-03-01T12:00:00Z'), []);
  // Berlin changes at the same instant as London.
  assert.deepEqual(notices(LONDON_SEVEN, 'Europe/London', 'Europe/Berlin', '2027-03-01T12:00:00Z'), []);
  // 14 March is 31 days and more away; a change already past is not news.
  assert.deepEqual(notices(LONDON_SEVEN, 'Europe/London', 'America/New_York', '2027-02-10T12:00:00Z'), []);
  assert.deepEqual(notices(LONDON_SEVEN, 'Europe/London', 'America/New_York', '2027-03-29T12:00:00Z'), []);
  // The day of the change itself: the first meeting at the new time has begun.
  assert.deepEqual(notices(LONDON_SEVEN, 'Europe/London', 'America/New_York', '2027-03-29T06:00:00Z'), []);
});

test('several times a day: each time is compared with itself, not with the other', () => {
  // London 09:00 and 15:00 daily across the US change.
  const starts = ['13', '14', '15'].flatMap((d) => [at(`2027-03-${d}T09:00:00Z`), at(`2027-03-${d}T15:00:00Z`)]);
  assert.deepEqual(notices(starts, 'Europe/London', 'America/New_York', '2027-03-01T12:00:00Z'), [
    'From Sun 14 Mar this meeting is at 05:00 for you (was 04:00): your clocks change.',
    'From Sun 14 Mar this meeting is at 11:00 for you (was 10:00): your clocks change.',
  ]);
});

test('a moved occurrence is not a clock change', () => {
  // The 9 March meeting moved to 16:30 London; the others at 07:00.
  const starts = [at('2027-03-02T07:00:00Z'), at('2027-03-09T16:30:00Z'), at('2027-03-16T07:00:00Z')];
  assert.deepEqual(notices(starts, 'Europe/London', 'Asia/Tokyo', '2027-03-01T12:00:00Z'), []);
});

test('a zone without a country of its own is named by its zone; both at once say both', () => {
  // Sydney 19:00 on Mondays (08:00Z, 09:00Z from 5 April), seen from Tokyo.
  const starts = [at('2027-03-29T08:00:00Z'), at('2027-04-05T09:00:00Z')];
  assert.deepEqual(notices(starts, 'Australia/Sydney', 'Asia/Tokyo', '2027-03-20T12:00:00Z'), [
    'From Mon 5 Apr this meeting is at 18:00 for you (was 17:00): Australia/Sydney moves its clocks.',
  ]);
  // Both zones changed between two meetings (a monthly one, say): both are named.
  assert.deepEqual(sentence({ start: at('2027-04-05T16:00:00Z'), was: '03:00', is: '02:00', there: true, here: true },
    'America/New_York', 'Australia/Sydney'), 'From Tue 6 Apr this meeting is at 02:00 for you (was 03:00): the US and you change clocks.');
});

test('steady: nothing to look up when neither zone changes its clocks in the next 30 days', () => {
  assert.equal(steady('Europe/London', 'America/New_York', at('2027-01-20T12:00:00Z')), true);
  assert.equal(steady('Europe/London', 'America/New_York', at('2027-03-01T12:00:00Z')), false);
  assert.equal(steady('Europe/London', 'Europe/Berlin', at('2027-03-01T12:00:00Z')), true);
  assert.equal(steady('Europe/London', 'Asia/Kolkata', at('2027-03-10T12:00:00Z')), false);
});

// Budgets (README, "Script budgets"; tests/test_budgets.py holds the same numbers).
for (const [name, budget] of [['live', 2688], ['timechanges', 3072]]) {
  test(`${name}.js stays within ${budget} bytes gzipped as served`, () => {
    const source = readFileSync(new URL(`../../static/js/${name}.js`, import.meta.url));
    const size = gzipSync(source).length;
    console.log(`${name}.js: ${source.length} bytes, ${size} bytes gzipped`);
    assert.ok(size <= budget, `${size} bytes gzipped`);
  });
}
