// Nextup "My events" (/my/ only): the starred events (stars.js keeps them) with their next dates
// from events.json in the visitor's zone, and each event's own calendar. Re-rendered whenever a
// star changes, on this page or in another tab.
(() => {
  'use strict';
  const my = document.querySelector('[data-my-events]');
  const stars = globalThis.NextupStars;
  if (!my || !stars) return;
  const ENGLISH = { allDay: 'all day', allDayTo: 'all day, to %(day)s', next: 'Next: %(when)s',
    dayTime: '%(day)s, %(time)s', subscribe: 'Subscribe', download: 'download .ics' };
  // The page's language (render/browser_language.py): its words, and the tag Intl formats in
  // (the visitor's own with follow_visitor_language). Without the block: Nextup's English.
  const LANGUAGE = (() => {
    try { return JSON.parse(document.getElementById('nextup-language').text); } catch { return {}; }
  })();
  const tagOf = (L) => (L.follow && globalThis.navigator?.language) || L.format || 'en-GB';
  const say = (key, values = {}, L = LANGUAGE) => (L.messages?.[key] ?? ENGLISH[key])
    .replace(/%\((\w+)\)s/g, (_, name) => values[name]);
  const format = (options, timeZone) => new Intl.DateTimeFormat(tagOf(LANGUAGE), { timeZone, ...options });
  const day = format({ weekday: 'short', day: 'numeric', month: 'short' });
  const heading = format({ weekday: 'long', day: 'numeric', month: 'long' });
  const headingUTC = format({ weekday: 'long', day: 'numeric', month: 'long' }, 'UTC');
  const dayUTC = format({ weekday: 'short', day: 'numeric', month: 'short' }, 'UTC');
  const clock = format({ hour: new Intl.DateTimeFormat(tagOf(LANGUAGE), { hour: 'numeric', hourCycle: LANGUAGE.clock }).resolvedOptions().hour12 ? 'numeric' : '2-digit', minute: '2-digit', hourCycle: LANGUAGE.clock });
  const offset = format({ timeZoneName: 'shortOffset' });
  const zoneLabel = (date) =>
    offset.formatToParts(date).find((p) => p.type === 'timeZoneName').value.replace(/^GMT\+0$/, 'GMT');
  // An all-day occurrence is on its own days in every zone (as localtimes.js keeps it).
  const firstDay = (o) => (o.all_day ? new Date(`${o.date}T00:00Z`) : new Date(o.start));
  const dayOf = (o) => (o.all_day ? headingUTC : heading).format(firstDay(o));
  const when = (o, withDay) => {
    if (o.all_day) {
      const last = dayUTC.format(new Date(`${o.end_date}T00:00Z`));
      return o.end_date === o.date ? say('allDay') : say('allDayTo', { day: last });
    }
    const [start, end] = [new Date(o.start), new Date(o.end)];
    const endDay = day.format(end) === day.format(start) ? '' : `${day.format(end)} `;
    const zone = withDay ? ` ${zoneLabel(start)}` : ''; // in lists, its own element
    const time = `${clock.format(start)}–${endDay}${clock.format(end)}${zone}`;
    return withDay ? say('dayTime', { day: day.format(start), time }) : time;
  };
  const element = (name, props = {}, ...children) => {
    const made = Object.assign(document.createElement(name), props);
    made.append(...children);
    return made;
  };
  const path = (url) => new URL(url, location).pathname;
  const SHOWN = 12;
  let loading; // the feed, once

  const tell = (where, text) => where.replaceChildren(element('p', { className: 'empty', textContent: text }));

  // The next SHOWN occurrences of the starred events, under the visitor's own days.
  const comingUp = (next, events) => {
    const days = new Map();
    for (const o of next.slice(0, SHOWN)) {
      const key = dayOf(o);
      if (!days.has(key)) days.set(key, []);
      days.get(key).push(o);
    }
    return [...days].map(([key, list]) => element('section', { className: 'day' },
      element('h3', { className: 'day-heading', textContent: key }),
      element('ul', { className: 'occurrences' }, ...list.map((o) => element('li', { className: 'occurrence' },
        element('time', { className: 'when', dateTime: o.start }, when(o, false),
          ...(o.all_day ? [] : [' ', element('span', { className: 'zone', textContent: zoneLabel(new Date(o.start)) })])),
        element('span', { className: 'what' }, element('a', { className: 'title', href: path(events[o.event].page),
          textContent: o.title || events[o.event].title })))))));
  };

  async function renderMy() {
    const { dataset } = my;
    const part = (name) => my.querySelector(`[data-my-${name}]`);
    const coming = part('coming');
    const list = part('list');
    // One message instead of the lists: no storage, no stars, no feed.
    const message = (text) => {
      Object.assign(part('message'), { hidden: !text, textContent: text || '' });
      part('starred').hidden = part('upcoming').hidden = Boolean(text);
    };
    my.hidden = false;
    if (!stars.stored) return message(dataset.noStorage);
    if (!stars.starred().length) return message(dataset.none);
    let feed;
    try {
      feed = await (loading ??= fetch(dataset.feed).then((response) => response.json()));
    } catch {
      return message(dataset.unreadable);
    }
    // Read after the wait: a star may have changed meanwhile.
    const starred = stars.starred();
    if (!starred.length) return message(dataset.none);
    message('');
    const now = Date.now();
    const events = feed.events || {};
    const next = (feed.occurrences || []).filter((o) => starred.includes(o.event) && events[o.event]
      && Date.parse(o.end) > now);
    if (next.length) coming.replaceChildren(...comingUp(next, events));
    else tell(coming, dataset.nothingAhead);
    list.replaceChildren(...starred.map((slug) => {
      const event = events[slug];
      const star = stars.button(slug, event?.title || slug);
      star.setAttribute('aria-pressed', 'true');
      if (!event) return element('li', {}, `${slug}: ${dataset.gone} `, star);
      const ics = new URL('event.ics', event.page).href;
      const first = next.find((o) => o.event === slug);
      return element('li', { className: 'my-event' }, element('div', {},
        element('a', { className: 'title', href: path(event.page), textContent: event.title }),
        element('span', { className: 'my-next', textContent: first ? say('next', { when: first.all_day ? say('dayTime', { day: dayUTC.format(firstDay(first)), time: when(first, true) }) : when(first, true) }) : dataset.noneAhead }),
        element('span', { className: 'my-links' },
          element('a', { href: ics.replace(/^https?:/, 'webcal:'), textContent: say('subscribe') }), ' · ',
          element('a', { href: ics, textContent: say('download'), download: '' }))), star);
    }));
  }

  renderMy();
  document.addEventListener('nextup:stars', renderMy);
})();
