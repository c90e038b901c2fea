// Nextup countdown: each [data-countdown] block counts down to its next occurrence (README).
(() => {
  'use strict';
  const MINUTE = 60e3;
  const HOUR = 60 * MINUTE;
  const UNITS = [['day', 24 * HOUR], ['hour', HOUR], ['minute', MINUTE]];
  const ENGLISH = { soon: 'Starting soon', live: 'Live now', stale: 'This schedule may be out of date.',
    in: 'in %(duration)s', ends: 'is live, ends in %(duration)s', lessMinute: 'less than a minute' };
  // The page's language (render/browser_language.py): its words, and the tag Intl formats in
  // (the visitor's own with follow_visitor_language). Without the block: Nextup's English.
  const LANGUAGE = (() => {
    try { return JSON.parse(document.getElementById('nextup-language').text); } catch { return {}; }
  })();
  const tagOf = (L) => (L.follow && globalThis.navigator?.language) || L.format || 'en-GB';
  const say = (key, values = {}, L = LANGUAGE) => (L.messages?.[key] ?? ENGLISH[key])
    .replace(/%\((\w+)\)s/g, (_, name) => values[name]);

  const parseFeed = (json) => ({
    horizonEnd: Date.parse(json.horizon_end),
    events: json.events || {},
    occurrences: (json.occurrences || []).map((o) => ({ ...o, start: Date.parse(o.start), end: Date.parse(o.end) })),
  });

  // Past its horizon a feed misses occurrences (and a feed without one is no feed).
  const isStale = (feed, now) => !(now < feed.horizonEnd);

  // The feed is sorted by start.
  const chooseNext = (feed, now, wanted) =>
    feed.occurrences.find((o) => o.end > now && wanted(o)) || null;

  // The next occurrence, or 'none' if a current feed has no more, or 'stale'.
  const nextOrState = (feed, now, wanted) =>
    !feed || isStale(feed, now) ? 'stale' : chooseNext(feed, now, wanted) || 'none';

  const stateAt = (o, now) => (now >= o.start ? 'live' : o.start - now <= 10 * MINUTE ? 'soon' : 'upcoming');

  // "1 day 2 hours 5 minutes" (Intl's units and lists, in the language), zero units dropped;
  // "00:42:17" in the last hour, unless calm (reduced motion). Digits: the language's own.
  const formatDuration = (ms, calm, L = LANGUAGE) => {
    const tag = tagOf(L);
    let rest = Math.max(0, Number.isFinite(ms) ? ms : 0);
    if (rest < HOUR && !calm) {
      const s = Math.floor(rest / 1000);
      const pad = new Intl.NumberFormat(tag, { minimumIntegerDigits: 2, useGrouping: false }).format;
      return `${pad(0)}:${pad(Math.floor(s / 60))}:${pad(s % 60)}`;
    }
    const parts = [];
    for (const [unit, size] of UNITS) {
      const count = Math.floor(rest / size);
      rest -= count * size;
      if (count) parts.push(new Intl.NumberFormat(tag, { style: 'unit', unit, unitDisplay: 'long' }).format(count));
    }
    return parts.length ? new Intl.ListFormat(tag, { type: 'unit', style: 'narrow' }).format(parts)
      : say('lessMinute', {}, L);
  };

  const describe = (o, now, calm, L = LANGUAGE) => {
    const state = stateAt(o, now);
    const text = state === 'live' ? say('ends', { duration: formatDuration(o.end - now, calm, L) }, L)
      : say('in', { duration: formatDuration(o.start - now, calm, L) }, L);
    return { state, text };
  };

  globalThis.NextupCountdown = { parseFeed, isStale, chooseNext, nextOrState, stateAt, formatDuration, describe, say };
  if (typeof document === 'undefined') return; // unit tests

  const blocks = [...document.querySelectorAll('[data-countdown]')];
  const part = (block, name) => block.querySelector(`[data-countdown-${name}]`);
  const feeds = new Map(); // address -> feed, a promise while loading, or false if unreadable
  let timer = 0;

  // Each feed once, when first needed: a file, or "#id" of data in the page.
  const load = async (url) => parseFeed(url[0] === '#' ? JSON.parse(document.querySelector(url).text)
    : await (await fetch(url)).json());
  const feed = (url) => feeds.get(url) ?? feeds.set(url, load(url).catch(() => false).then((parsed) => {
    feeds.set(url, parsed);
    tick();
  })).get(url);

  const render = (block, now, calm) => {
    const { dataset } = block;
    // A block's own feed is exact until its horizon, the full one (events.json) until the build's.
    let source = feed(dataset.feed);
    if (dataset.feedFull && !source?.then && (!source || isStale(source, now))) source = feed(dataset.feedFull);
    if (source?.then) return;
    const o = nextOrState(source, now, dataset.event ? (x) => dataset.event.split(' ').includes(x.event)
      : (x) => source.events[x.event]?.category === dataset.category);
    const { state, text } = o.event ? describe(o, now, calm) : { state: o, text: '' };
    const ticking = part(block, 'text');
    if (ticking) ticking.textContent = text;
    const key = `${o.event} ${o.start} ${state}`;
    if (dataset.key === key) return;
    // Another occurrence or state: say what (localtimes.js says when), once, by the role="status"
    // element; the ticking text is not live.
    Object.assign(dataset, { key, state });
    const event = o.event && source.events[o.event];
    const status = part(block, 'status');
    const join = part(block, 'join');
    if (status) status.textContent = dataset[state] || (state in ENGLISH ? say(state) : '');
    const url = o.url || event?.url; // its session's own, or the event's
    if (join) Object.assign(join, { hidden: !url || state === 'upcoming', href: url || '#' });
    if (!event) return;
    const title = part(block, 'title');
    if (title) Object.assign(title, { href: new URL(event.page).pathname, textContent: o.title || event.title });
    block.dispatchEvent(new CustomEvent('nextup:next', { bubbles: true, detail: { ...o, zone: event.timezone } }));
  };

  // One timer, reading the clock at every tick: no drift, right after a sleep. Calm: on the minute.
  const tick = () => {
    clearTimeout(timer);
    const calm = matchMedia('(prefers-reduced-motion: reduce)').matches;
    for (const block of blocks) render(block, Date.now(), calm);
    const step = calm ? MINUTE : 1000;
    timer = setTimeout(tick, step + 10 - (Date.now() % step));
  };

  if (!blocks.length) return;
  tick();
  document.addEventListener('visibilitychange', () => document.hidden || tick());
  addEventListener('pageshow', tick);
})();
