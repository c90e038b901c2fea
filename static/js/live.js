// Nextup live lists and the countdown's pause button (README, "In the browser").
// Lists: an occurrence that runs now says "Live now" with its join link, one that starts within
// ten minutes "Starting soon"; an ended one fades for a minute, then leaves. One timer for the
// whole page, set for the next change of any item's state and reading the clock when it fires,
// so nothing drifts and an hour open adds no elements. Runs after localtimes.js (it regroups
// the lists first; the items stay the same elements).
(() => {
  'use strict';
  const MINUTE = 60e3;
  const SOON = 10 * MINUTE;
  const FADE = MINUTE; // how long an ended occurrence stays, faded, before it leaves
  const LONGEST_WAIT = 2 ** 31 - 1; // setTimeout's limit (about 24 days)

  const stateAt = (start, end, now) => (now >= end + FADE ? 'gone' : now >= end ? 'ended'
    : now >= start ? 'live' : now >= start - SOON ? 'soon' : 'upcoming');
  // The next instant at which stateAt gives another answer (Infinity once gone).
  const nextChange = (start, end, now) => [start - SOON, start, end, end + FADE].find((t) => t > now) ?? Infinity;

  const ENGLISH = { soon: 'Starting soon', live: 'Live now', ended: 'Ended', join: 'Join',
    empty: 'Nothing more is scheduled here until the next update.' };
  // The page's language (render/browser_language.py): its words, and the tag Intl formats in
  // (the visitor's own with follow_visitor_language). Without the block: Nextup's English.
  const LANGUAGE = (() => {
    try { return JSON.parse(document.getElementById('nextup-language').text); } catch { return {}; }
  })();
  const tagOf = (L) => (L.follow && globalThis.navigator?.language) || L.format || 'en-GB';
  const say = (key, values = {}, L = LANGUAGE) => (L.messages?.[key] ?? ENGLISH[key])
    .replace(/%\((\w+)\)s/g, (_, name) => values[name]);

  globalThis.NextupLive = { stateAt, nextChange, say };
  if (typeof document === 'undefined') return; // unit tests

  // Every occurrence of every list on the page, with its instants read once.
  const items = [...document.querySelectorAll('.days[data-local-times] li[data-event], ol[data-local-times] > li')]
    .map((element) => ({ element, time: element.querySelector('time[datetime][data-end]') }))
    .filter(({ element, time }) => time && !element.hidden)
    .map(({ element, time }) => ({
      element,
      start: Date.parse(time.dateTime),
      end: Date.parse(time.dataset.end),
      allDay: Boolean(time.dataset.allDay),
      join: element.closest('[data-join]')?.dataset.join,
      state: 'upcoming',
      badge: null,
    }))
    .filter((item) => Number.isFinite(item.start) && Number.isFinite(item.end));

  const badgeFor = (item) => {
    if (!item.badge) {
      const badge = document.createElement('span');
      badge.className = 'live-state';
      const words = document.createElement('strong');
      badge.append(words);
      if (item.join) {
        const join = document.createElement('a');
        Object.assign(join, { href: item.join, rel: 'noopener', textContent: say('join') });
        // Out of context (a screen reader's list of links), "Join" says what to join.
        const title = item.element.querySelector('.title');
        if (title) join.append(Object.assign(document.createElement('span'), { className: 'visually-hidden',
          textContent: ` ${title.textContent}` }));
        badge.append(' ', join);
      }
      (item.element.querySelector('.meta') || item.element).append(badge);
      item.badge = badge;
    }
    return item.badge;
  };

  // An item leaves; a day left empty leaves with it, and an empty list says so.
  const remove = ({ element }) => {
    const day = element.closest('section.day');
    const list = element.closest('[data-local-times]');
    element.remove();
    if (day && !day.querySelector('li:not([hidden])')) day.remove();
    if (list && !list.querySelector('li:not([hidden])')) {
      const empty = document.createElement('p');
      empty.className = 'empty';
      empty.textContent = say('empty');
      list.replaceWith(empty);
    }
  };

  const show = (item, state) => {
    item.state = state;
    item.element.dataset.live = state;
    if (state === 'gone') return remove(item);
    if (item.allDay) return; // whole days: no "starting soon" at midnight; they leave when over
    if (state === 'upcoming') {
      if (item.badge) item.badge.hidden = true;
      return;
    }
    const badge = badgeFor(item);
    badge.hidden = false;
    badge.firstChild.textContent = say(state);
    const join = badge.querySelector('a');
    if (join) join.hidden = state === 'ended';
  };

  let timer = 0;
  let current = items;
  const update = () => {
    clearTimeout(timer);
    const now = Date.now();
    let next = Infinity;
    for (const item of current) {
      const state = stateAt(item.start, item.end, now);
      if (state !== item.state) show(item, state);
      next = Math.min(next, nextChange(item.start, item.end, now));
    }
    current = current.filter((item) => item.state !== 'gone');
    if (next < Infinity) timer = setTimeout(update, Math.min(next - Date.now() + 10, LONGEST_WAIT));
  };

  if (current.length) {
    update();
    // Timers sleep with the laptop: look again when the page is seen again.
    document.addEventListener('visibilitychange', () => document.hidden || update());
    addEventListener('pageshow', (event) => event.persisted && update()); // back from the cache
  }

  // The countdown's pause button (WCAG 2.2.2): pressed, no countdown on the page ticks (the
  // header shows the start time instead); the choice is kept for every page of the site, where
  // storage is allowed.
  const KEY = 'nextup.countdown.paused';
  const buttons = [...document.querySelectorAll('[data-countdown-pause]')];
  const stored = () => {
    try { return localStorage.getItem(KEY) === '1'; } catch { return false; }
  };
  const apply = (paused) => {
    document.documentElement.toggleAttribute('data-countdown-paused', paused);
    for (const button of buttons) button.setAttribute('aria-pressed', String(paused));
  };
  for (const button of buttons) {
    button.hidden = false;
    button.addEventListener('click', () => {
      const paused = button.getAttribute('aria-pressed') !== 'true';
      apply(paused);
      try { paused ? localStorage.setItem(KEY, '1') : localStorage.removeItem(KEY); } catch { /* kept for this page */ }
    });
  }
  if (buttons.length) {
    apply(stored());
    addEventListener('storage', (event) => event.key === KEY && apply(stored()));
  }
})();
