// Nextup countdown: each [data-countdown] block counts down to its next occurrence (README).
(() => {
  'use strict';
  const MINUTE = 60e3;
  const HOUR = 60 * MINUTE;
  const UNITS = [['day', 24 * HOUR], ['hour', HOUR], ['minute', MINUTE]];

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

  const stateAt = (o, now) => (now >= o.start ? 'live' : o.start - now <= 10 * MINUTE ? 'soon' : 'upcoming');

  const pad = (n) => String(n).padStart(2, '0');

  // "1 day 2 hours 5 minutes", zero units dropped; "00:42:17" in the last hour.
  const formatDuration = (ms) => {
    let rest = Math.max(0, Number.isFinite(ms) ? ms : 0);
    if (rest < HOUR) {
      const s = Math.floor(rest / 1000);
      return `00:${pad(Math.floor(s / 60))}:${pad(s % 60)}`;
    }
    const parts = [];
    for (const [name, size] of UNITS) {
      const count = Math.floor(rest / size);
      rest -= count * size;
      if (count) parts.push(`${count} ${name}${count === 1 ? '' : 's'}`);
    }
    return parts.join(' ');
  };

  const describe = (o, now) => {
    const state = stateAt(o, now);
    const text = state === 'live' ? `is live, ends in ${formatDuration(o.end - now)}`
      : `in ${formatDuration(o.start - now)}`;
    return { state, text };
  };

  globalThis.NextupCountdown = { parseFeed, isStale, chooseNext, stateAt, formatDuration, describe };
  if (typeof document === 'undefined') return; // unit tests

  const blocks = [...document.querySelectorAll('[data-countdown]')];
  const STATUS = { soon: 'Starting soon', live: 'Live now', stale: 'This schedule may be out of date.' };
  const part = (block, name) => block.querySelector(`[data-countdown-${name}]`);
  const feeds = new Map(); // data-feed -> parsed feed
  let timer = 0;

  // Said once per change by the role="status" element; the ticking text is not live.
  const setState = (block, state, url) => {
    block.dataset.state = state;
    const status = part(block, 'status');
    const join = part(block, 'join');
    if (status) status.textContent = STATUS[state] || '';
    if (join) Object.assign(join, { hidden: !url || state === 'upcoming', href: url || '#' });
  };

  const render = (block, now) => {
    const feed = feeds.get(block.dataset.feed);
    const wanted = block.dataset.event ? (o) => o.event === block.dataset.event
      : (o) => feed.events[o.event]?.category === block.dataset.category;
    const o = feed && !isStale(feed, now) && chooseNext(feed, now, wanted);
    const text = part(block, 'text');
    if (!o) {
      if (block.dataset.key !== 'stale') {
        block.dataset.key = 'stale';
        text.replaceChildren(...block.original.map((node) => node.cloneNode(true)));
        setState(block, 'stale');
      }
      return;
    }
    const event = feed.events[o.event];
    const said = describe(o, now);
    text.textContent = (block.dataset.countdown === 'header' ? ' ' : '') + said.text;
    const key = `${o.event} ${o.start} ${said.state}`;
    if (block.dataset.key === key) return;
    // Another occurrence or state: say what (and localtimes.js says when).
    block.dataset.key = key;
    setState(block, said.state, event.url);
    const title = part(block, 'title');
    if (title) Object.assign(title, { href: new URL(event.page).pathname, textContent: o.title || event.title });
    block.dispatchEvent(new CustomEvent('nextup:next', { bubbles: true, detail: { ...o, zone: event.timezone } }));
  };

  // One timer, reading the clock at every tick: no drift, right after a sleep.
  const tick = () => {
    clearTimeout(timer);
    for (const block of blocks) render(block, Date.now());
    timer = setTimeout(tick, 1010 - (Date.now() % 1000));
  };

  for (const block of blocks) block.original = [...part(block, 'text').childNodes];
  if (!blocks.length) return;
  // Each feed once: a file, or "#id" of data in the page. An error page is not JSON: the feed
  // stays absent.
  const read = async (url) => (url[0] === '#' ? JSON.parse(document.querySelector(url).text)
    : (await fetch(url)).json());
  Promise.all([...new Set(blocks.map((b) => b.dataset.feed))].map((url) => read(url)
    .then((json) => feeds.set(url, parseFeed(json)), () => {})))
    .then(() => {
      tick();
      document.addEventListener('visibilitychange', () => document.hidden || tick());
      addEventListener('pageshow', tick);
    });
})();
