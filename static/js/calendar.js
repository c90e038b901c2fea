// Nextup calendar: fills the month and week grids (/calendar/) in the visitor's own zone from
// the page's occurrences.json, so each occurrence sits on the visitor's local day; marks today;
// filters by category and project in the page, kept in the address (?category=&project=) so a
// filtered view can be shared; the same filters on the events list. Arrow keys move between
// days (one cell in the tab order), Tab reaches each day's events. Without JavaScript the
// build-time grid (in the site's zone) stays. Never re-implements recurrence: the build's
// instants only.
(() => {
  'use strict';
  const ENGLISH = { calAllDay: 'All day', movedFrom: 'from %(when)s', moreAny: 'More…',
    moved: 'moved', cancelled: 'cancelled',
    more: { one: '+%(count)s more', other: '+%(count)s more' } };
  const LANGUAGE = (() => {
    try { return JSON.parse(document.getElementById('nextup-language').text); } catch { return {}; }
  })();
  const tag = (LANGUAGE.follow && navigator.language) || LANGUAGE.format || 'en-GB';
  // A plural message carries a form per CLDR category (render/browser_language.py).
  const say = (key, values = {}) => {
    let words = LANGUAGE.messages?.[key] ?? ENGLISH[key];
    if (typeof words === 'object') words = words[new Intl.PluralRules(LANGUAGE.lang || 'en-GB').select(values.n)] ?? words.other;
    return words.replace(/%\((\w+)\)s/g, (_, name) => values[name]);
  };
  const query = new URLSearchParams(location.search);
  const filters = { category: query.get('category') || '', project: query.get('project') || '' };
  const matches = (category, project) => (!filters.category || category === filters.category)
    && (!filters.project || project === filters.project);
  const format = (options) => new Intl.DateTimeFormat(tag, options);
  const dayParts = new Intl.DateTimeFormat('en-GB', { year: 'numeric', month: '2-digit', day: '2-digit' }); // a key: ASCII digits
  const clock = format({ hour: new Intl.DateTimeFormat(tag, { hour: 'numeric', hourCycle: LANGUAGE.clock }).resolvedOptions().hour12 ? 'numeric' : '2-digit', minute: '2-digit', hourCycle: LANGUAGE.clock });
  const shortDay = format({ weekday: 'short', day: 'numeric', month: 'short' });
  const shortDayUTC = format({ weekday: 'short', day: 'numeric', month: 'short', timeZone: 'UTC' });
  // "2027-01-20": the visitor's local day of an instant.
  const dayKey = (date) => {
    const parts = {};
    for (const { type, value } of dayParts.formatToParts(date)) parts[type] = value;
    return `${parts.year}-${parts.month}-${parts.day}`;
  };
  const make = (tag, className, text) => {
    const element = document.createElement(tag);
    if (className) element.className = className;
    if (text) element.textContent = text;
    return element;
  };
  const nextDay = (iso) => {
    const date = new Date(`${iso}T00:00Z`);
    date.setUTCDate(date.getUTCDate() + 1);
    return date.toISOString().slice(0, 10);
  };

  const table = document.querySelector('table[data-calendar]');
  let data = null;
  let base = 0;

  // One occurrence as the build writes it (templates/calendar.html), in the visitor's zone.
  const itemElement = ({ row, event, allDay, continues, start }) => {
    const [, , , state, original, title] = row;
    const item = make('li', `cal-item hue-${event[4]}${allDay ? ' cal-bar' : ''}${continues ? ' continues' : ''}${state ? ` is-${state}` : ''}`);
    Object.assign(item.dataset, { category: event[1], project: event[2] });
    const link = make('a');
    link.href = event[3];
    const time = make('time', '', allDay ? say('calAllDay') : clock.format(start));
    time.dateTime = allDay ? row[1] : start.toISOString().replace('.000', '');
    if (allDay) time.dataset.allDay = `${row[1]}/${row[2]}`;
    link.append(time, ' ');
    if (state) {
      const words = make('span', 'state', say(state));
      if (original) {
        const when = original.length === 10 ? shortDayUTC.format(new Date(`${original}T00:00Z`))
          : `${shortDay.format(new Date(original))} ${clock.format(new Date(original))}`;
        words.append(make('span', 'detail', ` ${say('movedFrom', { when })}`));
      }
      link.append(words, ' ');
    }
    link.append(make('span', 'cal-title', title || event[0]));
    item.append(link);
    return item;
  };

  // "+N more" leads to the day in the list: the page of it that holds the day.
  const listAddress = (day) => {
    let address = '';
    for (const pair of table.dataset.listPages.split(' ').filter(Boolean)) {
      const [first, page] = pair.split('=');
      if (!address || first <= day) address = page;
    }
    return `${address}${location.search}#day-${day}`;
  };

  const render = () => {
    const days = new Map();
    const day = (key) => days.get(key) || days.set(key, { items: [], hidden: 0 }).get(key);
    // Timed occurrences start `row[1]` minutes after data.base; all-day ones name their days.
    const instant = (minutes) => new Date(base + minutes * 60000);
    for (const row of data.occurrences) {
      const event = data.events[row[0]];
      if (!matches(event[1], event[2])) continue;
      if (typeof row[1] === 'string') { // all day: the same days in every zone, a bar on each
        for (let key = row[1]; key <= row[2]; key = nextDay(key)) {
          day(key).items.push({ row, event, allDay: true, continues: key !== row[1] });
        }
      } else {
        const start = instant(row[1]);
        day(dayKey(start)).items.push({ row, event, start });
      }
    }
    for (const [at, count] of data.hidden) {
      day(typeof at === 'string' ? at : dayKey(instant(at))).hidden += count;
    }
    const filtered = filters.category || filters.project;
    for (const cell of table.querySelectorAll('td[data-date]')) {
      const { items, hidden } = days.get(cell.dataset.date) || { items: [], hidden: 0 };
      items.sort((a, b) => (!a.allDay - !b.allDay) || (a.start - b.start) || 0);
      const shown = items.slice(0, data.limit);
      cell.querySelector('ul').replaceChildren(...shown.map(itemElement));
      cell.classList.toggle('empty-day', !shown.length);
      cell.querySelector('.more')?.remove();
      const more = items.length - shown.length + hidden;
      if (more) {
        // Filtered, a slot's left-out occurrences may or may not match: say "more", not a count.
        const link = make('a', 'more', filtered && hidden ? say('moreAny') : say('more', { n: more, count: new Intl.NumberFormat(tag).format(more) }));
        link.href = listAddress(cell.dataset.date);
        cell.append(link);
      }
    }
  };

  const markToday = () => {
    const today = dayKey(new Date());
    for (const cell of table.querySelectorAll('td[data-date]')) {
      if (cell.dataset.date === today) cell.setAttribute('aria-current', 'date');
      else cell.removeAttribute('aria-current');
      cell.classList.toggle('past', cell.dataset.date < today);
    }
  };

  // Keyboard: the grid is one stop in the tab order (roving tabindex); arrows move by day and
  // week, Home and End to the week's ends; Tab goes on into the day's events.
  const keyboard = () => {
    const cells = [...table.querySelectorAll('td[data-date]')];
    const focusable = (cell) => {
      for (const other of cells) other.tabIndex = other === cell ? 0 : -1;
    };
    focusable(cells.find((c) => c.hasAttribute('aria-current'))
      || cells.find((c) => !c.classList.contains('other-month')) || cells[0]);
    table.addEventListener('focusin', ({ target }) => {
      const cell = target.closest('td[data-date]');
      if (cell) focusable(cell);
    });
    table.addEventListener('keydown', (event) => {
      const cell = event.target;
      const index = cells.indexOf(cell);
      if (index < 0 || event.altKey || event.ctrlKey || event.metaKey) return;
      const steps = { ArrowLeft: -1, ArrowRight: 1, ArrowUp: -7, ArrowDown: 7,
        Home: -(index % 7), End: 6 - (index % 7) };
      if (!(event.key in steps)) return;
      // On a phone the grid is a list without empty days: skip what is not shown.
      let to = cells[index + steps[event.key]];
      const away = Math.sign(steps[event.key]);
      while (to && !to.getClientRects().length) to = cells[cells.indexOf(to) + away];
      if (!to) return;
      event.preventDefault();
      focusable(to);
      to.focus();
    });
  };

  // Filters: the form (hidden without JavaScript) mirrors the address.
  const form = document.querySelector('[data-filters]');
  const applyToList = () => {
    for (const item of document.querySelectorAll('.days li[data-event]')) {
      item.hidden = !matches(item.dataset.category, item.dataset.project);
    }
  };
  const keepQuery = () => {
    for (const link of document.querySelectorAll('a[data-keep-query]')) {
      const address = new URL(link.href);
      address.search = location.search;
      link.href = address;
    }
  };
  if (form) {
    form.hidden = false;
    document.querySelector('nav.filters')?.setAttribute('hidden', '');
    for (const select of form.querySelectorAll('select')) {
      if ([...select.options].some((o) => o.value === filters[select.name])) select.value = filters[select.name];
      else filters[select.name] = '';
    }
    form.addEventListener('change', () => {
      for (const select of form.querySelectorAll('select')) filters[select.name] = select.value;
      const address = new URL(location.href);
      for (const name of ['category', 'project']) {
        if (filters[name]) address.searchParams.set(name, filters[name]);
        else address.searchParams.delete(name);
      }
      history.replaceState(null, '', address);
      keepQuery();
      if (table && data) render();
      else applyToList();
    });
    form.addEventListener('submit', (event) => event.preventDefault());
  }
  keepQuery();
  if (!table) {
    applyToList();
    return;
  }
  markToday();
  keyboard();
  fetch(table.dataset.calendar).then((response) => (response.ok ? response.json() : null)).then((feed) => {
    if (!feed || feed.version !== 1) return;
    data = feed;
    base = Date.parse(feed.base);
    render();
    table.dataset.zone = Intl.DateTimeFormat().resolvedOptions().timeZone; // for tests
  }).catch(() => {}); // the build's grid stays
})();
