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

  // next.json's address, from the element's attributes (`get`).
  const feedUrl = (get, site = home) => {
    for (const kind in KINDS) {
      if (get(kind)) return new URL(`embed/${KINDS[kind]}/${encodeURIComponent(get(kind))}/next.json`, site).href;
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

  // "in 3 days", "in 21 hours", "in 42 minutes"; in the last hour, unless calm, "00:42:17".
  const countdown = (ms, lang, calm) => {
    if (ms < HOUR && !calm) {
      const s = Math.max(0, Math.floor(ms / 1000));
      return `00:${[Math.floor(s / 60), s % 60].map((n) => String(n).padStart(2, '0')).join(':')}`;
    }
    const rtf = new Intl.RelativeTimeFormat(lang);
    if (ms >= 2 * DAY) return rtf.format(Math.floor(ms / DAY), 'day');
    if (ms >= 2 * HOUR) return rtf.format(Math.floor(ms / HOUR), 'hour');
    return rtf.format(Math.max(1, Math.floor(ms / MINUTE)), 'minute');
  };

  // "Mon 25 Jan, 07:00–07:25 GMT" for this visitor; all day: its own days.
  const when = (o, lang) => {
    const day = { weekday: 'short', day: 'numeric', month: 'short' };
    return o.all_day
      ? new Intl.DateTimeFormat(lang, { ...day, timeZone: 'UTC' }).formatRange(...[o.date, o.end_date].map((d) => Date.parse(`${d}T00:00Z`)))
      : new Intl.DateTimeFormat(lang, { ...day, hour: '2-digit', minute: '2-digit', timeZoneName: 'short' }).formatRange(o.start, o.end);
  };

  // What it shows at `now` (pure, tested in node).
  const view = (feed, now, lang, calm) => {
    const o = pick(feed, now);
    if (typeof o === 'string') return { state: o, status: STATUS[o], title: feed.title, href: feed.page };
    const event = feed.events[o.event] || {};
    const state = stateAt(o, now);
    return {
      state, status: STATUS[state] || '', title: o.title || event.title, href: event.page, label: feed.title,
      when: when(o, lang), start: new Date(o.start).toISOString(), join: o.url || event.url || null,
      countdown: state === 'live' ? '' : countdown(o.start - now, lang, calm),
    };
  };

  const nextTick = (feed, now, calm) => {
    const o = pick(feed, now);
    const step = typeof o !== 'string' && !calm && o.start - now < HOUR && o.start > now ? 1000 : MINUTE;
    return ((step - (now % step)) % step) + 5; // just past the next whole second or minute
  };

  globalThis.NextupWidget = { feedUrl, parse, pick, stateAt, countdown, when, view, nextTick };
  if (!globalThis.customElements || customElements.get('nextup-next')) return;

  const STYLE = `:host{display:block;max-width:24em}
.w{border:1px solid #8886;border-radius:.6em;padding:.7em .9em;background:#fff;color:#1b1b1f}
a{color:#0b57d0}.k,.d{display:block;font-size:.875em;opacity:.8}.t{font-weight:700;font-size:1.1em}
.c{font-size:1.25em;font-variant-numeric:tabular-nums}.s{font-weight:700;margin-right:.4em}[hidden],.s:empty{display:none}
.live .s,.soon .s{display:inline-block;padding:0 .45em;border-radius:.3em;background:#b3261e;color:#fff}
.soon .s{background:#8a4b00}
.j{display:inline-block;margin-top:.5em;padding:.2em .9em;border-radius:.35em;background:#0b57d0;color:#fff;font-weight:700;text-decoration:none}
@media (prefers-color-scheme:dark){.w{background:#1d2026;color:#ececf1}a{color:#9ec5ff}.j{background:#9ec5ff;color:#1d2026}}`;
  const HTML = '<div class="w" part="widget"><span class="k"></span><a class="t"></a><time class="d"></time>'
    + '<div><span class="s" role="status"></span><span class="c" part="countdown"></span></div><a class="j" part="join">Join</a></div>';

  class NextupNext extends HTMLElement {
    connectedCallback() {
      const get = (name) => this.getAttribute(name);
      this.url = feedUrl(get, get('site') || home);
      // The visitor's language, or the element's lang= (a tag Intl does not know: its default).
      try { this.lang_ = Intl.getCanonicalLocales(get('lang') || navigator.language); } catch { this.lang_ = []; }
      this.load();
    }

    disconnectedCallback() { clearTimeout(this.timer); }

    async load() {
      this.fetched = Date.now();
      try {
        const response = await fetch(this.url);
        if (response.ok) this.feed = parse(await response.json());
      } catch {}
      if (!this.feed) return; // what the element holds stays
      if (!this.root) this.build();
      this.tick();
    }

    build() {
      this.root = this.attachShadow({ mode: 'open' });
      this.root.innerHTML = HTML;
      // Not <style>: a Content-Security-Policy without 'unsafe-inline' blocks it.
      const sheet = new CSSStyleSheet();
      sheet.replaceSync(STYLE);
      this.root.adoptedStyleSheets = [sheet];
      this.parts = {};
      for (const name of 'wktdcsj') this.parts[name] = this.root.querySelector(`.${name}`);
      // In a frame, links open a tab (_blank implies noopener).
      if (window.top !== window) for (const a of this.root.querySelectorAll('a')) a.target = '_blank';
    }

    tick() {
      clearTimeout(this.timer);
      const now = Date.now();
      const calm = matchMedia('(prefers-reduced-motion: reduce)').matches;
      const v = view(this.feed, now, this.lang_, calm);
      const p = this.parts;
      p.w.className = `w ${v.state}`;
      p.k.textContent = v.label && v.label !== v.title ? v.label : '';
      p.t.textContent = v.title;
      p.t.href = v.href || '';
      p.d.textContent = v.when;
      p.d.dateTime = v.start || '';
      p.c.textContent = v.countdown;
      if (p.s.textContent !== v.status) p.s.textContent = v.status; // announced once per change
      p.j.hidden = !v.join;
      if (v.join) { p.j.href = v.join; p.j.setAttribute('aria-label', `Join ${v.title}`); }
      if (typeof pick(this.feed, now) === 'string' && now - this.fetched > HOUR) { this.load(); return; }
      this.timer = setTimeout(() => this.tick(), nextTick(this.feed, now, calm));
    }
  }
  customElements.define('nextup-next', NextupNext);
})();
