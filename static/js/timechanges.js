// Nextup "your time changes" notices, on event pages: when a series will meet at another local
// time for the visitor within 30 days because the event's zone or the visitor's changes its
// clocks, the page's countdown block says so ("From Mon 29 Mar this meeting is at 08:00 for you
// (was 07:00): the UK moves its clocks."). Read from the feed's instants (the page's own dates,
// then events.json if they end too soon); recurrence is never worked out here.
(() => {
  'use strict';
  const DAY = 864e5;
  const WINDOW = 30 * DAY;

  // Zones whose whole country changes its clocks at once, by region (named by Intl.DisplayNames
  // in the site's language; Nextup's English keeps its own names); any other is named by its zone.
  const REGION = { 'Europe/London': 'GB', 'Europe/Dublin': 'IE', 'Europe/Berlin': 'DE', 'Europe/Paris': 'FR',
    'Europe/Madrid': 'ES', 'Europe/Rome': 'IT', 'Europe/Amsterdam': 'NL', 'Europe/Brussels': 'BE',
    'Europe/Zurich': 'CH', 'Europe/Vienna': 'AT', 'Europe/Stockholm': 'SE', 'Europe/Oslo': 'NO',
    'Europe/Copenhagen': 'DK', 'Europe/Helsinki': 'FI', 'Europe/Warsaw': 'PL', 'Europe/Prague': 'CZ',
    'Europe/Athens': 'GR', 'Europe/Kyiv': 'UA', 'Europe/Kiev': 'UA', 'America/New_York': 'US',
    'America/Chicago': 'US', 'America/Denver': 'US', 'America/Los_Angeles': 'US', 'America/Anchorage': 'US',
    'Pacific/Auckland': 'NZ', 'Asia/Jerusalem': 'IL' };
  const ENGLISH_NAMES = { GB: 'the UK', NL: 'the Netherlands', US: 'the US', CZ: 'Czechia' };
  const ENGLISH = {
    changeBoth: 'From %(day)s this meeting is at %(time)s for you (was %(was)s): %(place)s and you change clocks.',
    changeThere: 'From %(day)s this meeting is at %(time)s for you (was %(was)s): %(place)s moves its clocks.',
    changeHere: 'From %(day)s this meeting is at %(time)s for you (was %(was)s): your clocks change.' };
  // The page's language (render/browser_language.py): its words, and the tag Intl formats in
  // (the visitor's own with follow_visitor_language). Without the block: Nextup's English.
  const LANGUAGE = (() => {
    try { return JSON.parse(document.getElementById('nextup-language').text); } catch { return {}; }
  })();
  const tagOf = (L) => (L.follow && globalThis.navigator?.language) || L.format || 'en-GB';
  const say = (key, values = {}, L = LANGUAGE) => (L.messages?.[key] ?? ENGLISH[key])
    .replace(/%\((\w+)\)s/g, (_, name) => values[name]);

  const wallClock = (zone) => new Intl.DateTimeFormat('en-GB', { timeZone: zone, year: 'numeric',
    month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', hourCycle: 'h23' });
  const fields = (format, instant) => {
    const parts = {};
    for (const { type, value } of format.formatToParts(instant)) parts[type] = Number(value);
    return parts;
  };
  // Minutes the zone's clock is ahead of UTC at `instant` (on the minute).
  const offsetAt = (format, instant) => {
    const p = fields(format, instant);
    return Math.round((Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute) - instant) / 6e4);
  };
  const pad = (n) => String(n).padStart(2, '0');
  const clockAt = (format, instant) => {
    const p = fields(format, instant);
    return `${pad(p.hour)}:${pad(p.minute)}`;
  };
  // What a visitor reads: the clock in the language's digits and hours.
  const shownClock = (zone, instant, L) => {
    const clock = L.clock ?? (L.messages ? undefined : 'h23'); // Nextup's English: 24-hour, "07:00"
    const twelve = new Intl.DateTimeFormat(tagOf(L), { hour: 'numeric', hourCycle: clock }).resolvedOptions().hour12;
    return new Intl.DateTimeFormat(tagOf(L), { timeZone: zone, hour: twelve ? 'numeric' : '2-digit',
      minute: '2-digit', hourCycle: clock }).format(instant);
  };

  // True when the two zones' difference stays the same over the window (checked day by day:
  // no zone changes its clocks twice in a day), so nothing can change and nothing is fetched.
  const steady = (eventZone, visitorZone, now) => {
    const there = wallClock(eventZone);
    const here = wallClock(visitorZone);
    const gap = (t) => offsetAt(there, t) - offsetAt(here, t);
    const first = gap(now);
    for (let t = now + DAY; t <= now + WINDOW + DAY; t += DAY) if (gap(t) !== first) return false;
    return true;
  };

  // Each start (in order) that begins in the window at another local time for the visitor than
  // the one before it at the same wall-clock time in the event's zone: {start, was, is, there,
  // here}, `there`/`here` saying whose clocks changed between the two.
  const timeChanges = (starts, eventZone, visitorZone, now) => {
    const there = wallClock(eventZone);
    const here = wallClock(visitorZone);
    const previous = new Map(); // the event's own time of day -> the last start at it
    const changes = [];
    for (const start of starts) {
      const slot = clockAt(there, start);
      const before = previous.get(slot);
      previous.set(slot, start);
      if (before === undefined || start <= now || start > now + WINDOW) continue;
      const was = clockAt(here, before);
      const is = clockAt(here, start);
      if (was === is) continue;
      changes.push({ start, before, was, is, there: offsetAt(there, start) !== offsetAt(there, before),
        here: offsetAt(here, start) !== offsetAt(here, before) });
    }
    return changes;
  };

  const place = (zone, L) => {
    const region = REGION[zone];
    if (!region) return zone;
    const lang = L.lang || 'en-GB';
    return (lang === 'en-GB' && ENGLISH_NAMES[region]) || new Intl.DisplayNames([lang], { type: 'region' }).of(region);
  };
  const sentence = (change, eventZone, visitorZone, L = LANGUAGE) => {
    const day = new Intl.DateTimeFormat(tagOf(L), { timeZone: visitorZone, weekday: 'short', day: 'numeric',
      month: 'short' }).format(change.start);
    const values = { day, place: place(eventZone, L), time: shownClock(visitorZone, change.start, L),
      was: change.before === undefined ? change.was : shownClock(visitorZone, change.before, L) };
    return say(change.there && change.here ? 'changeBoth' : change.there ? 'changeThere' : 'changeHere', values, L);
  };

  globalThis.NextupTimeChanges = { steady, timeChanges, sentence, offsetAt, wallClock };
  if (typeof document === 'undefined') return; // unit tests

  const notice = document.querySelector('[data-time-change]');
  const data = document.getElementById('event-schedule');
  if (!notice || !data) return;
  const show = (changes, eventZone, visitorZone) => {
    notice.textContent = changes.map((c) => sentence(c, eventZone, visitorZone)).join(' ');
    notice.hidden = !changes.length;
    notice.dataset.timeChange = String(changes.length); // done (tests wait for it)
  };
  const starts = (feed, slug) => feed.occurrences.filter((o) => o.event === slug && !o.all_day)
    .map((o) => Date.parse(o.start));

  (async () => {
    const own = JSON.parse(data.text);
    const [slug] = Object.keys(own.events);
    const eventZone = own.events[slug].timezone;
    const visitorZone = Intl.DateTimeFormat().resolvedOptions().timeZone;
    const now = Date.now();
    let found = starts(own, slug);
    // All-day events keep their days everywhere; a visitor whose clock keeps pace sees no change.
    if (!found.length || steady(eventZone, visitorZone, now)) return show([], eventZone, visitorZone);
    if (!(Date.parse(own.horizon_end) > now + WINDOW)) {
      const full = notice.closest('[data-feed-full]')?.dataset.feedFull;
      try {
        const feed = await (await fetch(full)).json();
        found = [...new Set([...found, ...starts(feed, slug)])].sort((a, b) => a - b);
      } catch { /* the page's own dates, as far as they go */ }
    }
    show(timeChanges(found, eventZone, visitorZone, now), eventZone, visitorZone);
  })();
})();
