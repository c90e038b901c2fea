// Nextup countdown: each [data-countdown] block counts down to the next occurrence, in the feed,
// of its data-category or data-event. Without a trustworthy feed the build-time text stays.
(() => {
  'use strict';
  const MINUTE = 60e3;
  const HOUR = 60 * MINUTE;
  const UNITS = [['day', 24 * HOUR], ['hour', HOUR], ['minute', MINUTE]];

  const parseFeed = (json) => ({
    generatedAt: Date.parse(json.generated_at),
    horizonEnd: Date.parse(json.horizon_end),
    events: json.events || {},
    occurrences: (json.occurrences || []).map((o) => ({ ...o, start: Date.parse(o.start), end: Date.parse(o.end) })),
  });

  // Past its horizon a feed misses occurrences.
  const isStale = (feed, now) => !(feed.generatedAt <= feed.horizonEnd && now < feed.horizonEnd);

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
  let feed = null;
  let timer = 0;

  // Said once per change by the role="status" element; the ticking text is not live.
  const setState = (block, state, url) => {
    block.dataset.state = state;
    const status = part(block, 'status');
    const join = part(block, 'join');
    if (status) status.textContent = STATUS[state] || '';
    if (join) Object.assign(join, { hidden: !url || state === 'upcoming', href: url || join.href });
  };

  const render = (block, now) => {
    const wanted = block.dataset.event ? (o) => o.event === block.dataset.event
      : (o) => (feed.events[o.event] || {}).category === block.dataset.category;
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
    // Another occurrence or state: say what and when (localtimes.js formats the time).
    block.dataset.key = key;
    setState(block, said.state, event.url);
    const title = part(block, 'title');
    if (title) Object.assign(title, { href: new URL(event.page).pathname, textContent: o.title || event.title });
    const when = part(block, 'when');
    if (when) {
      when.dateTime = new Date(o.start).toISOString();
      Object.assign(when.dataset, { end: new Date(o.end).toISOString(), keepZone: event.timezone });
      when.dispatchEvent(new CustomEvent('nextup:time-changed', { bubbles: true }));
    }
  };

  // One timer, reading the clock at every tick: no drift, right after a sleep.
  const tick = () => {
    clearTimeout(timer);
    for (const block of blocks) render(block, Date.now());
    if (feed) timer = setTimeout(tick, 1010 - (Date.now() % 1000));
  };

  for (const block of blocks) block.original = [...part(block, 'text').childNodes];
  if (!blocks.length) return;
  fetch(blocks[0].dataset.feed)
    .then((response) => (response.ok ? response.json() : Promise.reject(response.status)))
    .then((json) => { feed = parseFeed(json); }, () => {})
    .then(() => {
      tick();
      document.addEventListener('visibilitychange', () => document.hidden || tick());
      addEventListener('pageshow', tick);
    });
})();
