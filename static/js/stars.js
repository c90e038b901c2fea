// Nextup stars ("My events"): a visitor stars events on their pages and in lists; the slugs are
// kept in this browser (localStorage, nothing is sent anywhere). With stars, the header countdown
// follows the starred events (countdown.js reads its data-event); my.js lists them on /my/.
// Without localStorage nothing changes and no star is shown.
(() => {
  'use strict';
  const KEY = 'nextup-starred';
  const ENGLISH = { star: 'Star', myNext: 'My next event:' };
  // The page's language (render/browser_language.py): its words, and the tag Intl formats in
  // (the visitor's own with follow_visitor_language). Without the block: Nextup's English.
  const LANGUAGE = (() => {
    try { return JSON.parse(document.getElementById('nextup-language').text); } catch { return {}; }
  })();
  const tagOf = (L) => (L.follow && globalThis.navigator?.language) || L.format || 'en-GB';
  const say = (key, values = {}, L = LANGUAGE) => (L.messages?.[key] ?? ENGLISH[key])
    .replace(/%\((\w+)\)s/g, (_, name) => values[name]);
  let store = null;
  try {
    store = globalThis.localStorage;
    store.getItem(KEY); // may throw where storage is off
  } catch {
    store = null;
  }
  const read = () => {
    try {
      const slugs = JSON.parse(store.getItem(KEY) || '[]');
      return Array.isArray(slugs) ? slugs.filter((s) => typeof s === 'string') : [];
    } catch {
      return [];
    }
  };
  let starred = store ? read() : [];
  const save = () => {
    try {
      store.setItem(KEY, JSON.stringify(starred));
    } catch { /* full or refused: the stars last for this page */ }
  };

  const header = document.querySelector('[data-countdown="header"]');
  const site = header && { ...header.dataset };
  const label = header?.querySelector('.label');
  const siteLabel = label?.textContent;

  const button = (slug, title) => {
    const star = document.createElement('button');
    star.type = 'button';
    star.className = 'star';
    star.dataset.star = slug;
    const hidden = document.createElement('span');
    hidden.className = 'visually-hidden';
    hidden.textContent = ` ${title}`;
    const icon = document.createElement('span');
    icon.className = 'star-icon';
    icon.setAttribute('aria-hidden', 'true'); // attributes: Firefox ESR reflects no ARIA properties
    star.append(icon, ` ${say('star')}`, hidden);
    return star;
  };

  // The header counts down to the starred events (the full feed has them all), or the site's own.
  const follow = () => {
    if (!header) return;
    const mine = starred.length > 0;
    Object.assign(header.dataset, mine ? { event: starred.join(' '), feed: site.feedFull } : { feed: site.feed });
    if (!mine) delete header.dataset.event;
    if (label) label.textContent = mine ? say('myNext') : siteLabel;
  };

  const show = () => {
    for (const star of document.querySelectorAll('[data-star]')) {
      star.hidden = false;
      star.setAttribute('aria-pressed', starred.includes(star.dataset.star));
    }
    follow();
    document.dispatchEvent(new CustomEvent('nextup:stars'));
  };

  document.addEventListener('click', ({ target }) => {
    const star = target.closest?.('[data-star]');
    if (!star) return;
    const slug = star.dataset.star;
    starred = starred.includes(slug) ? starred.filter((s) => s !== slug) : [...starred, slug];
    save();
    show();
  });
  addEventListener('storage', ({ key }) => {
    if (key !== KEY) return;
    starred = read();
    show();
  });

  // For my.js (loaded after this on /my/ only): the stars, and a star button to add.
  globalThis.NextupStars = { stored: Boolean(store), starred: () => [...starred], button };
  if (!store) return;
  // List rows get their stars here: they are of no use without this script.
  for (const row of document.querySelectorAll('li.occurrence[data-event]')) {
    row.querySelector('.meta')?.append(' ', button(row.dataset.event, row.querySelector('.title')?.textContent || ''));
  }
  show();
})();
