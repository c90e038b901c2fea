"""The site-wide outputs: homepage, lists, feeds, calendars, embeds, sitemap, robots.txt, 404.

They are made in one pass over every occurrence, merged in start order from the per-event
stage (build/per_event.py, lines.py), so a build never holds a large site's occurrences at once:
the feed is written as the stream goes by, and each list keeps only what it will show.
"""
from __future__ import annotations

from collections.abc import Iterable
from contextlib import ExitStack
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from ..schedule.dates import iso_utc
from ..schedule.zones import get_zone
from ..model import Event, Occurrence
from ..schedule.expand import cancellations
from .atom_feeds import CHANGES_PATH, SESSIONS_PATH, FeedHistory, changes_feed, sessions_feed
from .context import PageContext
from .discovery import robots_txt, sitemap_xml
from .feed import COUNTDOWN_DAYS, CountdownChain, event_entry, feed_bytes, feed_head
from .lines import Line, parse_instant, parse_lines
from .calendar import CalendarCollector, CalendarRenderer, calendar_pages
from .embed import EmbedCollector, write_embeds
from .ics import CALENDAR_END, calendar_head
from .lists import HOME_LIMIT, MAX_FILTERED_PAGES, MAX_PAGES, PAGE_SIZE, paginate
from .session_pages import render_sessions_pages, session_addresses
from .subscribe import subscribe_menu
from .views import (absolute_url, group_by_day, next_view, occurrence_view, project_folder,
                    url_path, webcal_url)

HOME_DAYS = 7
# Where the build writes, for content/public/ to stay out of (a test holds every built file to
# these): files at the top, and folders whose whole content is the build's.
SITE_FILES = ("index.html", "404.html", "events.json", "events.ics", "countdown.json",
              "sitemap.xml", "robots.txt", CHANGES_PATH, SESSIONS_PATH)
SITE_FOLDERS = ("events", "categories", "projects", "static", "subscribe", "my", "calendar",
                "sessions", "embed", "badges", "admin")


# --- what the pass collects ----------------------------------------------------------------------

@dataclass
class _Collected:
    """The first `limit` occurrences of one list, and how many there were in all."""

    limit: int
    items: list[Occurrence] = field(default_factory=list)
    total: int = 0

    def offer(self, line: Line) -> None:
        self.total += 1
        if len(self.items) < self.limit:
            self.items.append(line.occurrence())


# --- the pass --------------------------------------------------------------------------------------

def render_site_outputs(page: PageContext, events: dict[str, Event], lines: Iterable[str],
                        now: datetime, horizon_end: datetime, vevents: Iterable[tuple[str, bytes]],
                        put, put_stream, observe=None,
                        feed_history: FeedHistory = FeedHistory(), reuse=None) -> list[str]:
    """Write every site-wide file with `put(path, bytes)` and `put_stream(path)` (a writable
    binary file). `lines`: every occurrence (see occurrence_line), in order; `vevents`: every
    event's VEVENT (ending in CRLF), in slug order. `observe(slug, start_text, line)` sees every
    occurrence in order, for checks that need all events at once. `feed_history`: what git
    says for the Atom feeds. `reuse`: see write_embeds. Returns every page's address, for the
    sitemap."""
    site, links, language = page.site, page.links, page.language
    by_slug = dict(sorted(events.items()))
    projects = sorted({e.project for e in by_slug.values() if e.project}, key=str.lower)
    folders = {"events/": _Collected(MAX_PAGES * PAGE_SIZE)}
    folders.update({f"categories/{c.slug}/": _Collected(MAX_FILTERED_PAGES * PAGE_SIZE)
                    for c in site.categories})
    folders.update({f"projects/{project_folder(p)}": _Collected(MAX_FILTERED_PAGES * PAGE_SIZE)
                    for p in projects})
    lists_of = {slug: [folders["events/"], folders[f"categories/{e.category}/"]]
                + ([folders[f"projects/{project_folder(e.project)}"]] if e.project else [])
                for slug, e in by_slug.items()}
    home = _Collected(HOME_LIMIT)
    week_end = iso_utc(now + timedelta(days=HOME_DAYS))
    chain = CountdownChain(iso_utc(now + timedelta(days=COUNTDOWN_DAYS)))
    countdown = site.countdown_category

    in_countdown = {slug for slug, e in by_slug.items() if e.category == countdown}
    calendar = CalendarCollector()
    embeds = EmbedCollector(site, by_slug, links)
    with put_stream("events.json") as feed:
        feed.write(feed_head(now, horizon_end, event_entries(by_slug, page, (now, horizon_end)))
                   .encode("utf-8"))
        fragments: list[str] = []
        separator = b""  # before each batch but the first
        # The hot loop of a large site (one turn per occurrence): kept flat on purpose.
        for line in parse_lines(lines):
            fragments.append(line.fragment)
            if len(fragments) == 2000:
                feed.write(separator + ",".join(fragments).encode("utf-8"))
                fragments, separator = [], b","
            for collected in lists_of[line.event]:
                collected.total += 1
                if len(collected.items) < collected.limit:
                    collected.items.append(line.occurrence())
            if line.start < week_end:
                home.offer(line)
            if line.event in in_countdown and not chain.done:
                chain.offer(line)
            calendar.offer(line)
            embeds.offer(line)
            if observe:
                observe(line.event, line.start, line)
        if fragments:
            feed.write(separator + ",".join(fragments).encode("utf-8"))
        feed.write(b"]}\n")

    views: dict[tuple, object] = {}  # one occurrence shows in up to three lists

    def view_of(occurrence: Occurrence):
        key = (occurrence.event, occurrence.start)
        if key not in views:
            views[key] = occurrence_view(occurrence, by_slug[occurrence.event], site, links,
                                         site.timezone, language)
        return views[key]

    def list_views(occurrences) -> list:
        return group_by_day([view_of(o) for o in occurrences], language)

    chain_occurrences = [line.occurrence() for line in chain.items]
    home_next = (next_view(chain_occurrences[0], by_slug[chain_occurrences[0].event], site, links,
                           language) if chain_occurrences else None)
    pages = [page.address(f"events/{slug}/index.html") for slug in by_slug]
    pages += session_addresses(by_slug, page, now)  # written per event, with its page
    pages += render_sessions_pages(page, by_slug, now, put, atom_feeds=_atom_links(page)[1:])
    put("index.html", page.render("index.html", "index.html", countdown_block=True,
                                  home_next=home_next, list_zone=site.timezone,
                                  week_days=list_views(home.items),
                                  week_more=max(0, home.total - len(home.items)),
                                  atom_feeds=_atom_links(page)))
    pages.append(page.address("index.html"))

    days = site.horizon_days

    def filters(category=None, project=None) -> dict:
        return {
            # TRANSLATORS: the filter that shows every category.
            "category_filters": [{"label": language.pgettext("every category", "All"),
                                  "url": links.events(),
                                  "current": not category and not project}]
            + [{"label": c.label, "url": links.category(c.slug), "current": c.slug == category}
               for c in site.categories],
            "project_filters": [{"label": p, "url": links.project(p), "current": p == project}
                                for p in projects],
        }

    # The full list, then one list and one subscribable calendar per category and project.
    groups = [("events/", language.gettext("Upcoming events"),
               language.ngettext("Everything scheduled in the next %(count)s days.",
                                 "Everything scheduled in the next %(count)s days.", days),
               filters(), list(by_slug.values()), links.calendar(), MAX_PAGES)]
    # TRANSLATORS: category is a category's name as the site names it ("Meetup").
    groups += [(f"categories/{c.slug}/", c.label,
                language.ngettext("%(category)s events in the next %(count)s days.",
                                  "%(category)s events in the next %(count)s days.", days,
                                  category=c.label),
                filters(category=c.slug), [e for e in by_slug.values() if e.category == c.slug],
                None, MAX_FILTERED_PAGES) for c in site.categories]
    groups += [(f"projects/{project_folder(p)}",
                language.gettext("Project: %(project)s", project=p),
                language.ngettext("Events of %(project)s in the next %(count)s days.",
                                  "Events of %(project)s in the next %(count)s days.", days,
                                  project=p),
                filters(project=p), [e for e in by_slug.values() if e.project == p], None,
                MAX_FILTERED_PAGES) for p in projects]
    list_pages: list[tuple[str, str]] = []  # (first day, address) of each page of the full list
    for folder, heading, lede, filter_links, members, calendar_path, pages_at_most in groups:
        collected = folders[folder]
        calendar_path = calendar_path or links.prefix + folder + "events.ics"
        feed_address = absolute_url(site, calendar_path)
        for list_page in paginate(collected.items, site.timezone, pages_at_most, collected.total):
            path = folder + list_page.path + "index.html"
            if folder == "events/" and list_page.occurrences:
                first_day = list_page.occurrences[0].start.astimezone(get_zone(site.timezone))
                list_pages.append((first_day.date().isoformat(), url_path(page.address(path))))
            put(path, page.render(path, "events.html", **filter_links, list_zone=site.timezone,
                                  in_page_filters=folder == "events/", filter_projects=projects,
                                  heading=heading, lede=lede,
                                  days=list_views(list_page.occurrences), pagination=list_page,
                                  list_home=url_path(links.prefix + folder),
                                  calendar={"webcal": webcal_url(feed_address),
                                            "https": feed_address},
                                  subscribe=subscribe_menu(site, calendar_path,
                                                           _calendar_name(page, folder, heading),
                                                           language)))
            pages.append(page.address(path))
    calendar.add_cancelled(by_slug, now, horizon_end)
    pages += _write_calendar_pages(page, calendar, by_slug, projects, now, horizon_end, list_pages,
                                   put)
    write_embeds(embeds, by_slug, page, horizon_end, put, reuse)
    put("404.html", page.render("404.html", "404.html"))
    put("subscribe/index.html", page.render(
        "subscribe/index.html", "subscribe.html",
        all_events=subscribe_menu(site, links.calendar(), site.title, language),
        calendars=[{"label": heading, "page": url_path(links.prefix + folder),
                    "menu": subscribe_menu(site, links.prefix + folder + "events.ics",
                                           _calendar_name(page, folder, heading), language)}
                   for folder, heading, *_ in groups[1:]]))
    pages.append(page.address("subscribe/index.html"))
    # The visitor's starred events, read by static/js/stars.js from this browser's storage.
    put("my/index.html", page.render("my/index.html", "my.html"))
    pages.append(page.address("my/index.html"))
    calendars = [("events.ics", site.title, site.description, list(by_slug.values()))]
    calendars += [(folder + "events.ics", _calendar_name(page, folder, heading), lede, members)
                  for folder, heading, lede, _, members, _, _ in groups[1:]]
    _write_calendars(calendars, vevents, by_slug, page, put_stream)
    exact_until = chain.exact_until or iso_utc(horizon_end)
    shown = {o.event: by_slug[o.event] for o in chain_occurrences}
    # The lines' own JSON: an occurrence's join link and note (its session's) come along.
    put("countdown.json", feed_bytes(now, parse_instant(exact_until), event_entries(shown, page),
                                     [line.fragment for line in chain.items]))
    put(CHANGES_PATH, changes_feed(page, by_slug, feed_history))
    put(SESSIONS_PATH, sessions_feed(page, by_slug, feed_history))
    put("sitemap.xml", sitemap_xml(site, pages))
    put("robots.txt", robots_txt(site, links))
    return pages


def _atom_links(page: PageContext) -> list[dict]:
    """The feeds a reader finds from the homepage (<link rel="alternate">): schedule changes,
    then session recordings (which /sessions/ links to as well)."""
    site, links = page.site, page.links
    language = page.language
    return [{"title": language.gettext("%(site)s: schedule changes", site=site.title),
             "href": absolute_url(site, links.prefix + CHANGES_PATH)},
            {"title": language.gettext("%(site)s: session recordings", site=site.title),
             "href": absolute_url(site, links.prefix + SESSIONS_PATH)}]


def _calendar_name(page: PageContext, folder: str, heading: str) -> str:
    """A calendar's name in calendar apps: the site's, and the list's for a part of it."""
    site = page.site
    # TRANSLATORS: a calendar's name: the site's title, then a list's ("Our Community: Meetup").
    return site.title if folder == "events/" else page.language.gettext(
        "%(site)s: %(list)s", site=site.title, list=heading)


def _write_calendar_pages(page: PageContext, collected: CalendarCollector, by_slug, projects,
                          now, horizon_end, list_pages, put) -> list[str]:
    """Every month and week of the horizon (render/calendar.py), and /calendar/: this month."""
    site, links = page.site, page.links
    renderer = CalendarRenderer(collected, site, by_slug, links, now, list_pages, page.language)
    legend = [{"label": c.label, "page": links.category(c.slug), "hue": renderer.hues[c.slug]}
              for c in site.categories]
    # The first page's first day is left out: that page holds every day before the second's,
    # and its first day moves with every refresh (which would rewrite every calendar page).
    list_pages_text = " ".join(f"{day if index else ''}={address}"
                               for index, (day, address) in enumerate(list_pages))
    addresses = []
    for index, empty in enumerate(calendar_pages(site, links.prefix, now, horizon_end, page.language)):
        calendar_page = renderer.fill(empty)
        data_url = url_path(links.prefix + calendar_page.data_path)
        month_shown = calendar_page.path.split("/")[1] if calendar_page.kind == "month" else ""
        paths = [calendar_page.path] + (["calendar/index.html"] if index == 0 else [])
        for path in paths:
            put(path, page.render(path, "calendar.html", calendar=calendar_page, legend=legend,
                                  filter_projects=projects, data_url=data_url,
                                  list_pages=list_pages_text, month_shown=month_shown))
            addresses.append(page.address(path))
        put(calendar_page.data_path, renderer.data(calendar_page))
    return addresses


def _write_calendars(calendars, vevents, by_slug, page: PageContext, put_stream) -> None:
    """Every calendar at once, in one pass over the VEVENTs (a large site's would not fit in
    memory as strings): each VEVENT goes to the full calendar and its category's and project's."""
    site, links = page.site, page.links
    with ExitStack() as stack:
        streams = {}
        for path, name, description, members in calendars:
            stream = stack.enter_context(put_stream(path))
            stream.write(calendar_head(name, description, site, members,
                                       absolute_url(site, links.prefix + path)).encode("utf-8"))
            streams[path] = stream
        for slug, vevent in vevents:
            event = by_slug[slug]
            streams["events.ics"].write(vevent)
            streams[f"categories/{event.category}/events.ics"].write(vevent)
            if event.project:
                streams[f"projects/{project_folder(event.project)}events.ics"].write(vevent)
        for stream in streams.values():
            stream.write(CALENDAR_END.encode("utf-8"))


def event_entries(events: dict[str, Event], page: PageContext,
                  window: tuple[datetime, datetime] | None = None) -> dict[str, dict]:
    """Each event as the feeds describe it, in slug order; with a `window`, with the
    occurrences cancelled in it (events.json's own; a cancelled or postponed event lists
    none: its status says it all)."""
    site, links = page.site, page.links

    def cancelled(event: Event):
        if window is None or event.status is not None or not (event.exdates or event.skip_holidays
                                                              or event.sessions):
            return None
        return cancellations(event, *window)

    return {slug: event_entry(events[slug], absolute_url(site, links.event(slug)),
                              cancelled(events[slug]))
            for slug in sorted(events)}
