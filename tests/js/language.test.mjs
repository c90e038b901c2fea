// The scripts' words and formats in the page's language (render/browser_language.py): each
// script loaded as the browser gets it, in a sandbox without a DOM, given the language block's
// data directly. Without the block a script speaks Nextup's English (en-GB formats).
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import vm from 'node:vm';

const load = (name, sandbox = {}) => {
  vm.runInNewContext(readFileSync(new URL(`../../static/js/${name}.js`, import.meta.url), 'utf8'), sandbox);
  return sandbox;
};
const { NextupCountdown: countdown } = load('countdown');
const { NextupLive: live } = load('live');
const { NextupTimeChanges: changes } = load('timechanges');

const MINUTE = 60e3;
const HOUR = 60 * MINUTE;
const PT = { lang: 'pt-BR', format: 'pt-BR', dir: 'ltr', follow: false, messages: {
  in: 'em %(duration)s', ends: 'ao vivo, termina em %(duration)s', lessMinute: 'menos de um minuto',
  join: 'Participar', changeThere: 'A partir de %(day)s esta reunião será às %(time)s para você (antes era às %(was)s): %(place)s muda o horário.' } };
const AR = { lang: 'ar-EG', format: 'ar-EG', dir: 'rtl', follow: false, messages: { in: 'بعد %(duration)s' } };
const EN = { lang: 'en-GB', format: 'en-GB', dir: 'ltr', follow: false, clock: 'h23', messages: {} };

test('durations: Intl units and lists in the language; English unchanged', () => {
  const ms = 24 * HOUR + 2 * HOUR + 5 * MINUTE;
  assert.equal(countdown.formatDuration(ms, false), '1 day 2 hours 5 minutes');
  assert.equal(countdown.formatDuration(ms, false, EN), '1 day 2 hours 5 minutes');
  assert.equal(countdown.formatDuration(ms, false, PT), '1 dia 2 horas 5 minutos');
  const arabic = countdown.formatDuration(3 * HOUR + 15 * MINUTE, false, AR);
  assert.match(arabic, /٣/);
  assert.match(arabic, /١٥/);
  assert.doesNotMatch(arabic, /[0-9]/);
});

test('the last hour ticks in the language\'s digits', () => {
  assert.equal(countdown.formatDuration(42 * MINUTE + 17e3, false), '00:42:17');
  assert.equal(countdown.formatDuration(42 * MINUTE + 17e3, false, PT), '00:42:17');
  assert.equal(countdown.formatDuration(42 * MINUTE + 17e3, false, AR), '٠٠:٤٢:١٧');
  assert.equal(countdown.formatDuration(10e3, true, PT), 'menos de um minuto');
});

test('messages fill their placeholders; a missing one falls back to English', () => {
  const o = { start: Date.parse('2027-01-20T15:15:00Z'), end: Date.parse('2027-01-20T15:40:00Z') };
  const now = Date.parse('2027-01-20T12:00:00Z');
  assert.equal(countdown.describe(o, now, false).text, 'in 3 hours 15 minutes');
  assert.equal(countdown.describe(o, now, false, PT).text, 'em 3 horas 15 minutos');
  assert.equal(countdown.describe(o, o.start + 5 * MINUTE, false, PT).text, 'ao vivo, termina em 00:20:00');
  assert.equal(live.say('join', {}, PT), 'Participar');
  assert.equal(live.say('ended', {}, PT), 'Ended');
  assert.equal(countdown.say('lessMinute', {}, AR), 'less than a minute');
});

test('follow_visitor_language: formats in the visitor\'s language, words still the site\'s', () => {
  const { NextupCountdown: followed } = load('countdown', { navigator: { language: 'de-DE' } });
  const site = { ...PT, follow: true };
  assert.equal(followed.describe({ start: 2 * HOUR, end: 3 * HOUR }, 0, false, site).text, 'em 2 Stunden');
  assert.equal(followed.describe({ start: 2 * HOUR, end: 3 * HOUR }, 0, false, PT).text, 'em 2 horas');
});

test('time changes: the country named by Intl in the language; English keeps its own names', () => {
  const change = { start: Date.parse('2027-03-29T06:00:00Z'), before: Date.parse('2027-03-22T07:00:00Z'),
    was: '07:00', is: '07:00', there: true, here: false };
  assert.equal(changes.sentence(change, 'Europe/London', 'America/New_York'),
    'From Mon 29 Mar this meeting is at 02:00 for you (was 03:00): the UK moves its clocks.');
  assert.equal(changes.sentence(change, 'Europe/London', 'America/New_York', PT),
    'A partir de seg., 29 de mar. esta reunião será às 02:00 para você (antes era às 03:00): Reino Unido muda o horário.');
});
