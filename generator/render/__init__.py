"""Phase 4: site + events + occurrences -> every output file as bytes, keyed by output path.

Nothing here reads the clock or decides what is upcoming: `expand` did that. Output is produced
in a fixed order, and holds no build time, so the same input always gives the same bytes and a
refresh changes only files whose content really moved.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import Iterator

from ..describe import describe_schedule
from ..markup import describe_markdown
from ..model import Event, Occurrence, Revision, Schedule, Site
from ..validate import slugify
from .assets import collect_assets
from ..dates import duration_words
from .discovery import event_json_ld, robots_txt, sitemap_xml
from .feed import (COUNTDOWN_DAYS, countdown_chain, event_schedule_json, feed_bytes,
                   partial_feed_bytes)
from .ics import calendar_bytes, event_lines, vevent_text
from .lists import HOME_LIMIT, MAX_FILTERED_PAGES, MAX_PAGES, paginate
from .pages import make_environment, render_page
from .views import (EventView, Links, absolute_url, cancelled_words, google_calendar_link,
                    group_by_day, next_view, occurrence_view, webcal_url)

HOME_DAYS = 7
UPCOMING_SHOWN = 10  # dates listed on an event's page


@dataclass(frozen=True, slots=True)
class RenderOptions:
    templates_dir: Path
    static_dir: Path
    extra_context: dict = field(default_factory=dict)


def render_site(site: Site, events: tuple[Event, ...], schedule: Schedule, options: RenderOptions,
                revisions: dict[str, Revision] | None = None) -> Iterator[tuple[str, bytes]]:
    revisions = revisions or {}
    links = Links(site.path_prefix)
    by_slug = {e.slug: e for e in sorted(events, key=lambda e: e.slug)}
    environment = make_environment(options.templates_dir)
    asset_paths, asset_files = collect_assets(options.static_dir)
    yield from asset_files

    home_next = _next_of_category(site, by_slug, schedule, links)
    common = {
        "site": site, "links": links,
        "countdown_label": site.category(site.countdown_category).label,
        "assets": {name: links.prefix + path for name, path in asset_paths.items()},
        "header_countdown": any(e.category == site.countdown_category for e in events),
        "countdown_block": False,
        "calendar_webcal": webcal_url(absolute_url(site, links.calendar())),
        **options.extra_context,
    }
    pages: list[str] = []  # every page's address, for the sitemap

    def page(path: str, template: str, **context) -> tuple[str, bytes]:
        address = links.prefix + path.removesuffix("index.html")
        pages.append(address)
        return path, render_page(environment, template,
                                 **{**common, "canonical": absolute_url(site, address), **context})

    def list_views(occurrences) -> list:
        return group_by_day([occurrence_view(o, by_slug[o.event], site, links, site.timezone)
                             for o in occurrences])

    week = [o for o in schedule.occurrences if o.start < schedule.now + timedelta(days=HOME_DAYS)]
    yield page("index.html", "index.html", countdown_block=True, home_next=home_next,
               list_zone=site.timezone, week_days=list_views(week[:HOME_LIMIT]),
               week_more=max(0, len(week) - HOME_LIMIT))

    projects = sorted({e.project for e in events if e.project}, key=str.lower)
    horizon_words = f"the next {site.horizon_days} days"

    def filters(category=None, project=None) -> dict:
        return {
            "category_filters": [{"label": "All", "url": links.events(),
                                  "current": not category and not project}]
            + [{"label": c.label, "url": links.category(c.slug), "current": c.slug == category}
               for c in site.categories],
            "project_filters": [{"label": p, "url": links.project(p), "current": p == project}
                                for p in projects],
        }

    page_urls = {slug: absolute_url(site, links.event(slug)) for slug in by_slug}
    descriptions = {slug: describe_markdown(e.description) for slug, e in by_slug.items()}
    vevents = {slug: vevent_text(event_lines(event, site, page_urls[slug],
                                             site.category(event.category).label,
                                             descriptions[slug].text,
                                             revisions.get(slug, Revision()),
                                             window=(schedule.now, schedule.horizon_end)))
               for slug, event in by_slug.items()}

    def calendar(path: str, name: str, description: str, chosen) -> tuple[str, bytes]:
        return path, calendar_bytes(name, description, site, chosen, vevents,
                                    source=absolute_url(site, links.prefix + path))

    # The full list, then one list and one subscribable calendar per category and project.
    all_events = ("events/", "Upcoming events", f"Everything scheduled in {horizon_words}.",
                  filters(), list(by_slug.values()), links.calendar())
    groups = [(f"categories/{c.slug}/", c.label, f"{c.label} events in {horizon_words}.",
               filters(category=c.slug), [e for e in by_slug.values() if e.category == c.slug],
               None) for c in site.categories]
    groups += [(f"projects/{slugify(p)}/", f"Project: {p}", f"Events of {p} in {horizon_words}.",
                filters(project=p), [e for e in by_slug.values() if e.project == p], None)
               for p in projects]
    for folder, heading, lede, filter_links, members, calendar_path in [all_events] + groups:
        slugs = {e.slug for e in members}
        chosen = [o for o in schedule.occurrences if o.event in slugs]
        calendar_path = calendar_path or links.prefix + folder + "events.ics"
        feed_address = absolute_url(site, calendar_path)
        pages_at_most = MAX_PAGES if folder == "events/" else MAX_FILTERED_PAGES
        for list_page in paginate(chosen, site.timezone, pages_at_most):
            yield page(folder + list_page.path + "index.html", "events.html", **filter_links,
                       list_zone=site.timezone, heading=heading, lede=lede,
                       days=list_views(list_page.occurrences), pagination=list_page,
                       list_home=links.prefix + folder,
                       calendar={"webcal": webcal_url(feed_address), "https": feed_address})
        if folder != "events/":
            yield calendar(folder + "events.ics", f"{site.title}: {heading}", lede, members)

    for slug, event in by_slug.items():
        coming = schedule.upcoming.get(slug, [])
        upcoming = coming[:UPCOMING_SHOWN]
        view = _event_view(event, site, links, upcoming, schedule, page_urls[slug],
                           descriptions[slug])
        yield page(f"events/{slug}/index.html", "event.html", countdown_block=True, event=view,
                   event_schedule=event_schedule_json(event, page_urls[slug], coming,
                                                      UPCOMING_SHOWN),
                   event_next=next_view(upcoming[0] if upcoming else None, event, site, links),
                   json_ld=event_json_ld(event, site, view, upcoming, page_urls[slug]))
        yield calendar(f"events/{slug}/event.ics", event.title, view.schedule, [event])

    yield page("404.html", "404.html")
    yield "events.json", feed_bytes(schedule.now, schedule.horizon_end, by_slug.values(),
                                    page_urls, schedule.occurrences)
    countdown = [o for o in schedule.occurrences
                 if by_slug[o.event].category == site.countdown_category]
    chain, exact_until = countdown_chain(countdown, schedule.now + timedelta(days=COUNTDOWN_DAYS))
    yield "countdown.json", partial_feed_bytes(schedule.now, exact_until or schedule.horizon_end,
                                               by_slug, page_urls, chain)
    yield calendar("events.ics", site.title, site.description, by_slug.values())
    yield "sitemap.xml", sitemap_xml(site, [p for p in pages if not p.endswith("404.html")])
    yield "robots.txt", robots_txt(site, links)


def _next_of_category(site: Site, by_slug: dict[str, Event], schedule: Schedule, links: Links):
    candidates = [(upcoming[0].start, slug) for slug, upcoming in schedule.upcoming.items()
                  if upcoming and by_slug[slug].category == site.countdown_category]
    if not candidates:
        return None
    _, slug = min(candidates)
    return next_view(schedule.upcoming[slug][0], by_slug[slug], site, links)


def _event_view(event: Event, site: Site, links: Links, upcoming: list[Occurrence],
                schedule: Schedule, page_url: str, description) -> EventView:
    category = site.category(event.category)
    last_shown = upcoming[-1].start if upcoming else schedule.horizon_end
    ics_address = absolute_url(site, links.event_ics(event.slug))
    return EventView(
        slug=event.slug, title=event.title, schedule=describe_schedule(event),
        duration=duration_words(event.duration), timezone=event.timezone,
        category=category.slug, category_label=category.label,
        category_page=links.category(category.slug), project=event.project,
        project_page=links.project(event.project) if event.project else None,
        audience=event.audience, join_url=event.url,
        join_label=event.url.split("://", 1)[-1].rstrip("/") if event.url else None,
        description_html=description.html, summary=event.summary or description.summary,
        page=links.event(event.slug), ics=links.event_ics(event.slug),
        webcal=webcal_url(ics_address),
        google_calendar=google_calendar_link(event, upcoming[0] if upcoming else None, page_url),
        upcoming=[occurrence_view(o, event, site, links, event.timezone) for o in upcoming],
        cancelled=cancelled_words(event, schedule.now, last_shown))
