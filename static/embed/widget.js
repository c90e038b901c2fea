// Nextup widget for any site: <nextup-next category="scrum"> (or project=, event=), the next
// occurrence with a countdown; reads <site>/embed/<kind>/<name>/next.json (render/embed.py).
(() => {
  'use strict';
  const MINUTE = 60e3;
  const HOUR = 60 * MINUTE;
  const DAY = 24 * HOUR;
  const KINDS = { category: 'categories', project: 'projects', event: 'events' };
  const STATUS = { soon: 'Starting soon', live: 'Live now', none: 'No upcoming dates', stale: 'See the schedule' };
  // The site is where this script is from: <site>/embed/widget.js.
  const script = globalThis.document && document.currentScript;
  const home = script ? new URL('..', script.src).href : '';

  const feedUrl = (attributes, site = home) => {
    for (const kind in KINDS) {
      const name = attributes[kind];
      if (name) return new URL(`embed/${KINDS[kind]}/${encodeURIComponent(name)}/next.json`, site).href;
    }
    return null;
  };

  const parse = (json) => ({
    title: json.title, page: json.page, horizonEnd: Date.parse(json.horizon_end), events: json.events || {},
    occurrences: (json.occurrences || []).map((o) => ({ ...o, start: Date.parse(o.start), end: Date.parse(o.end) })),
  });

  // The first not ended; else 'none' while the feed is exact, 'stale' after its horizon.
  const pick = (feed, now) =>
    feed.occurrences.find((o) => o.end > now) || (now < feed.horizonEnd ? 'none' : 'stale');

  const stateAt = (o, now) => (now >= o.start ? 'live' : o.start - now <= 10 * MINUTE ? 'soon' : 'upcoming');

  const format = (lang, options) => {
    try { return new Intl.DateTimeFormat(lang, options); } catch { return new Intl.DateTimeFormat(undefined, options); }
  };

  // "in 3 days", "in 21 hours", "in 42 minutes"; in the last hour, unless calm, "00:42:17".
  const countdown = (ms, lang, calm) => {
    if (ms < HOUR && !calm) {
      const s = Math.max(0, Math.floor(ms / 1000));
      return [Math.floor(s / 3600), Math.floor(s / 60) % 60, s % 60].map((n) => String(n).padStart(2, '0')).join(':');
    }
    let rtf;
    try { rtf = new Intl.RelativeTimeFormat(lang, { numeric: 'always' }); } catch { rtf = new Intl.RelativeTimeFormat(); }
    if (ms >= 2 * DAY) return rtf.format(Math.floor(ms / DAY), 'day');
    if (ms >= 2 * HOUR) return rtf.format(Math.floor(ms / HOUR), 'hour');
    return rtf.format(Math.max(1, Math.floor(ms / MINUTE)), 'minute');
  };

  // "Mon, 25 Jan, 07:00 GMT" for this visitor; all day: its own days.
  const when = (o, lang) => {
    if (o.all_day) {
      const days = format(lang, { weekday: 'short', day: 'numeric', month: 'short', timeZone: 'UTC' });
      const [first, last] = [o.date, o.end_date].map((d) => Date.parse(`${d}T00:00:00Z`));
      return first === last ? days.format(first) : days.formatRange(first, last);
    }
    return format(lang, { weekday: 'short', day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit',
      timeZoneName: 'short' }).format(o.start);
  };

  // What the widget shows at `now` (pure: tested without a browser).
  const view = (feed, now, lang, calm) => {
    const o = pick(feed, now);
    if (typeof o === 'string') return { state: o, status: STATUS[o], title: feed.title, href: feed.page };
    const event = feed.events[o.event] || {};
    const state = stateAt(o, now);
    const until = format(lang, { hour: '2-digit', minute: '2-digit' }).format(o.end);
    return {
      state, status: STATUS[state] || '', title: o.title || event.title, href: event.page, label: feed.title,
      when: when(o, lang), start: new Date(o.start).toISOString(), join: o.url || event.url || null,
      countdown: state === 'live' ? (o.all_day ? '' : `– ${until}`) : countdown(o.start - now, lang, calm),
    };
  };

  const nextTick = (feed, now, calm) => {
    const o = pick(feed, now);
    const step = typeof o !== 'string' && !calm && o.start - now < HOUR && o.start > now ? 1000 : MINUTE;
    return step - (now % step) + 5;
  };

  globalThis.NextupWidget = { feedUrl, parse, pick, stateAt, countdown, when, view, nextTick };
  if (!globalThis.customElements || customElements.get('nextup-next')) return;

  const STYLE = `:host{display:block;max-width:26em;font:inherit}
.w{border:1px solid #8887;border-radius:.5em;padding:.6em .8em;background:var(--nextup-bg,#fff);color:var(--nextup-fg,#1b1b1f)}
a{color:var(--nextup-link,#0b57d0)}.k{font-size:.85em;opacity:.8}.t{font-weight:600}
.c{font-variant-numeric:tabular-nums}.s{font-weight:600}.s:empty,[hidden]{display:none}
.j{display:inline-block;margin-top:.4em;padding:.15em .7em;border-radius:.3em;background:var(--nextup-link,#0b57d0);color:var(--nextup-bg,#fff);text-decoration:none}
a:focus-visible{outline:2px solid currentColor;outline-offset:2px}
@media (prefers-color-scheme:dark){.w{background:var(--nextup-bg,#1d2026);color:var(--nextup-fg,#ececf1)}a{color:var(--nextup-link,#9ec5ff)}.j{background:var(--nextup-link,#9ec5ff);color:var(--nextup-bg,#1d2026)}}`;
  const HTML = '<div class="w" part="widget"><div class="k"></div><a class="t"></a> <time class="d"></time>'
    + '<div class="c" part="countdown"></div><div class="s" role="status"></div><a class="j" part="join">Join</a></div>';

  class NextupNext extends HTMLElement {
    connectedCallback() {
      const attributes = {};
      for (const kind in KINDS) attributes[kind] = this.getAttribute(kind);
      this.url = feedUrl(attributes, this.getAttribute('site') || home);
      this.lang_ = this.getAttribute('lang') || navigator.language;
      this.load();
    }

    disconnectedCallback() { clearTimeout(this.timer); }

    async load() {
      this.fetched = Date.now();
      try {
        const response = await fetch(this.url, { credentials: 'omit' });
        if (!response.ok) throw new Error(response.status);
        this.feed = parse(await response.json());
      } catch {
        return; // what the element holds stays
      }
      if (!this.root) this.build();
      this.tick();
    }

    build() {
      this.root = this.attachShadow({ mode: 'open' });
      this.root.innerHTML = `<style>${STYLE}</style>${HTML}`;
      const framed = window.top !== window;
      this.parts = {};
      for (const name of 'ktdcsj') this.parts[name] = this.root.querySelector(`.${name}`);
      for (const link of this.root.querySelectorAll('a')) if (framed) { link.target = '_blank'; link.rel = 'noopener'; }
    }

    tick() {
      clearTimeout(this.timer);
      const now = Date.now();
      const calm = matchMedia('(prefers-reduced-motion: reduce)').matches;
      const v = view(this.feed, now, this.lang_, calm);
      const p = this.parts;
      p.k.textContent = v.label && v.label !== v.title ? v.label : '';
      p.t.textContent = v.title || '';
      p.t.href = v.href || '';
      p.d.textContent = v.when || '';
      p.d.dateTime = v.start || '';
      p.c.textContent = v.countdown || '';
      if (p.s.textContent !== v.status) p.s.textContent = v.status; // announced once per change
      p.j.hidden = !v.join;
      if (v.join) { p.j.href = v.join; p.j.setAttribute('aria-label', `Join ${v.title}`); }
      if (typeof pick(this.feed, now) === 'string' && now - this.fetched > HOUR) { this.load(); return; }
      this.timer = setTimeout(() => this.tick(), nextTick(this.feed, now, calm));
    }
  }
  customElements.define('nextup-next', NextupNext);
})();
