// Nextup local times: restate every <time datetime data-end> on the page in the visitor's own
// time zone ("Mon 15 Feb, 12:30–12:55 GMT+5:30"), regroup day lists by the visitor's days, and
// hide what has already ended. Without JavaScript the build-time text (in the event's or the
// site's zone, named) stays.
(() => {
  'use strict';
  const ENGLISH = { empty: 'Nothing more is scheduled here until the next update.',
    zoneNote: 'Times in your time zone (%(zone)s).', dayTime: '%(day)s, %(time)s',
    zoneNoteBoth: 'Times in your time zone (%(zone)s), with %(event_zone)s times in brackets.',
    dayRange: '%(first)s to %(last)s, all day', oneDay: '%(day)s, all day' };
  // The page's language (render/browser_language.py): its words, and the tag Intl formats in
  // (the visitor's own with follow_visitor_language). Without the block: Nextup's English.
  const LANGUAGE = (() => {
    try { return JSON.parse(document.getElementById('nextup-language').text); } catch { return {}; }
  })();
  const tagOf = (L) => (L.follow && globalThis.navigator?.language) || L.format || 'en-GB';
  const say = (key, values = {}, L = LANGUAGE) => (L.messages?.[key] ?? ENGLISH[key])
    .replace(/%\((\w+)\)s/g, (_, name) => values[name]);
  const zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
  const format = (options, timeZone) =>
    new Intl.DateTimeFormat(tagOf(LANGUAGE), { timeZone, ...options });
  const CLOCK = { hour: new Intl.DateTimeFormat(tagOf(LANGUAGE), { hour: 'numeric', hourCycle: LANGUAGE.clock }).resolvedOptions().hour12 ? 'numeric' : '2-digit', minute: '2-digit', hourCycle: LANGUAGE.clock };
  const clock = format(CLOCK);
  const shortDay = format({ weekday: 'short', day: 'numeric', month: 'short' });
  const longDay = format({ weekday: 'long', day: 'numeric', month: 'long' });
  const longDate = format({ weekday: 'long', day: 'numeric', month: 'long', year: 'numeric' });
  // Keys ("15/02/2027", read back as dates): en-GB's digits and order in any language.
  const key = (timeZone) => new Intl.DateTimeFormat('en-GB', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' });
  const dayKey = key();
  const offset = format({ timeZoneName: 'shortOffset' });
  const dayKeyUTC = key('UTC');
  const longDayUTC = format({ weekday: 'long', day: 'numeric', month: 'long' }, 'UTC');
  const dateUTC = format({ weekday: 'long', day: 'numeric', month: 'long', year: 'numeric' }, 'UTC');

  const zoneLabel = (date) =>
    offset.formatToParts(date).find((p) => p.type === 'timeZoneName').value.replace(/^GMT\+0$/, 'GMT');

  // Browsers report some zones by their old names; show the names people know today.
  const CURRENT_NAMES = { 'Asia/Calcutta': 'Asia/Kolkata', 'Asia/Katmandu': 'Asia/Kathmandu',
    'Asia/Saigon': 'Asia/Ho_Chi_Minh', 'Asia/Rangoon': 'Asia/Yangon', 'Europe/Kiev': 'Europe/Kyiv' };
  const zoneName = CURRENT_NAMES[zone] || zone;

  const span = (className, text) => {
    const element = document.createElement('span');
    element.className = className;
    element.textContent = text;
    return element;
  };

  // "12:30–12:55" and "GMT+5:30"; "Mon 15 Feb, " before it outside day lists; the end's day when
  // it is another day; on event pages the event's own wall clock, "(07:00 Europe/London)".
  const renderTime = (time) => {
    if (time.dataset.allDay) return; // whole days are the same days everywhere: keep the text
    const start = new Date(time.dateTime);
    const end = new Date(time.dataset.end);
    if (Number.isNaN(start.getTime()) || Number.isNaN(end.getTime())) return;
    const otherDay = dayKey.format(end) !== dayKey.format(start);
    let text = `${clock.format(start)}–${otherDay ? `${shortDay.format(end)} ` : ''}${clock.format(end)}`;
    // data-long-day (a session's page, which may be years old): the whole date, with its year.
    if (!time.closest('[data-day]')) text = say('dayTime', { day: ('longDay' in time.dataset ? longDate : shortDay).format(start), time: text });
    const parts = [text, ' ', span('zone', zoneLabel(start))];
    const eventZone = time.dataset.keepZone;
    if (eventZone && eventZone !== zone && eventZone !== zoneName) {
      // In a list of dates the zone note names the event's zone once; elsewhere say it here.
      const there = format(CLOCK, eventZone);
      const name = time.closest('ol[data-local-times]') ? '' : ` ${eventZone}`;
      parts.push(' ', span('event-zone', `(${there.format(start)}${name})`));
    }
    time.replaceChildren(...parts);
  };

  // Rebuild a list of days so that each occurrence sits under the visitor's own date.
  const regroup = (list, now) => {
    const items = [...list.querySelectorAll('li[data-event]')];
    const days = new Map();
    for (const item of items) {
      const time = item.querySelector('time[datetime]');
      if (Date.parse(time.dataset.end) <= now) continue; // ended since the build
      // An all-day occurrence stays on its own first day, first in it.
      const allDay = time.dataset.allDay;
      const start = allDay ? new Date(`${allDay.slice(0, 10)}T00:00Z`) : new Date(time.dateTime);
      const key = (allDay ? dayKeyUTC : dayKey).format(start);
      if (!days.has(key)) {
        days.set(key, { heading: (allDay ? longDayUTC : longDay).format(start), items: [] });
      }
      days.get(key).items[allDay ? 'unshift' : 'push'](item);
    }
    const template = list.querySelector('section.day');
    if (!template) return;
    const iso = (key) => key.split('/').reverse().join('-');
    const ordered = [...days.entries()].sort(([a], [b]) => (iso(a) < iso(b) ? -1 : 1));
    const sections = ordered.map(([key, day]) => {
      const section = template.cloneNode(false);
      section.dataset.day = iso(key);
      section.id = `day-${iso(key)}`; // the calendar's "+N more" links here
      const heading = template.querySelector('.day-heading').cloneNode(false);
      heading.textContent = day.heading;
      const ul = template.querySelector('ul').cloneNode(false);
      ul.append(...day.items);
      section.append(heading, ul);
      return section;
    });
    if (sections.length) {
      list.replaceChildren(...sections);
    } else {
      const empty = document.createElement('p');
      empty.className = 'empty';
      empty.textContent = say('empty');
      list.replaceChildren(empty);
    }
  };

  const now = Date.now();
  for (const list of document.querySelectorAll('.days[data-local-times]')) regroup(list, now);
  for (const item of document.querySelectorAll('ol[data-local-times] > li')) {
    const time = item.querySelector('time[data-end]');
    if (time && Date.parse(time.dataset.end) <= now) item.hidden = true;
  }
  document.querySelectorAll('time[datetime][data-end]').forEach(renderTime);
  for (const note of document.querySelectorAll('[data-zone-note]')) {
    const eventZone = note.dataset.eventZone;
    note.textContent = eventZone && eventZone !== zone && eventZone !== zoneName
      ? say('zoneNoteBoth', { zone: zoneName, event_zone: eventZone })
      : say('zoneNote', { zone: zoneName });
  }
  // The countdown moved on to another occurrence: restate when it is.
  document.addEventListener('nextup:next', ({ target, detail }) => {
    const when = target.querySelector('[data-countdown-when]');
    if (!when) return;
    if (detail.all_day) {
      const days = `${detail.date}/${detail.end_date}`;
      if (when.dataset.allDay === days) return; // the build's own words for these days
      const [first, last] = [detail.date, detail.end_date].map((d) => dateUTC.format(new Date(`${d}T00:00Z`)));
      when.dataset.allDay = days;
      when.textContent = first === last ? say('oneDay', { day: first }) : say('dayRange', { first, last });
      return;
    }
    delete when.dataset.allDay;
    when.dateTime = new Date(detail.start).toISOString();
    Object.assign(when.dataset, { end: new Date(detail.end).toISOString(), keepZone: detail.zone });
    renderTime(when);
  });
})();
