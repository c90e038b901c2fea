"""Phase 4: site + events + occurrences -> every output file as bytes, keyed by output path.

Nothing here reads the clock or decides what is upcoming: `expand` did that. Output is produced
in a fixed order so that the same input always gives the same bytes.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import Iterator
from urllib.parse import urlsplit, urlunsplit

from ..describe import describe_schedule
from ..markup import markdown_to_html, plain_summary
from ..model import Event, Occurrence, Schedule, Site
from ..validate import slugify
from .assets import collect_assets
from .dates import duration_words
from .feed import feed_bytes
from .ics import calendar_bytes, event_lines
from .pages import make_environment, render_page
from .views import (EventView, Links, cancelled_words, google_calendar_link, group_by_day,
                    next_view, occurrence_view)

HOME_DAYS = 7


@dataclass(frozen=True, slots=True)
class RenderOptions:
    templates_dir: Path
    static_dir: Path
    extra_context: dict = field(default_factory=dict)


def absolute_url(site: Site, path: str) -> str:
    base = urlsplit(site.base_url)
    return urlunsplit((base.scheme, base.netloc, path, "", ""))


def render_site(site: Site, events: tuple[Event, ...], schedule: Schedule,
                options: RenderOptions) -> Iterator[tuple[str, bytes]]:
    links = Links(site.path_prefix)
    by_slug = {e.slug: e for e in events}
    environment = make_environment(options.templates_dir)
    asset_paths, asset_files = collect_assets(options.static_dir)
    yield from asset_files

    countdown_label = site.category(site.countdown_category).label
    home_next = _next_of_category(site, by_slug, schedule, links)
    common = {
        "site": site, "links": links, "countdown_label": countdown_label,
        "assets": {name: links.prefix + path for name, path in asset_paths.items()},
        "header_next": home_next, "countdown_block": False, **options.extra_context,
    }

    def list_views(occurrences) -> list:
        return group_by_day([occurrence_view(o, by_slug[o.event], site, links, site.timezone)
                             for o in occurrences])

    week_end = schedule.now + timedelta(days=HOME_DAYS)
    yield "index.html", render_page(
        environment, "index.html", **{**common, "countdown_block": True}, home_next=home_next,
        list_zone=site.timezone,
        week_days=list_views([o for o in schedule.occurrences if o.start < week_end]))

    categories = [c for c in site.categories]
    projects = sorted({e.project for e in events if e.project}, key=str.lower)

    def filters(current_category=None, current_project=None):
        category_filters = [{"label": "All", "url": links.events(),
                             "current": not current_category and not current_project}]
        category_filters += [{"label": c.label, "url": links.category(c.slug),
                              "current": c.slug == current_category} for c in categories]
        project_filters = [{"label": p, "url": links.project(p), "current": p == current_project}
                           for p in projects]
        return {"category_filters": category_filters, "project_filters": project_filters}

    horizon_words = f"the next {site.horizon_days} days"
    yield "events/index.html", render_page(
        environment, "events.html", **common, **filters(), list_zone=site.timezone,
        heading="Upcoming events", lede=f"Everything scheduled in {horizon_words}.",
        days=list_views(schedule.occurrences))
    for category in categories:
        chosen = [o for o in schedule.occurrences if by_slug[o.event].category == category.slug]
        yield f"categories/{category.slug}/index.html", render_page(
            environment, "events.html", **common, **filters(current_category=category.slug),
            list_zone=site.timezone, heading=category.label,
            lede=f"{category.label} events in {horizon_words}.", days=list_views(chosen))
    for project in projects:
        chosen = [o for o in schedule.occurrences if by_slug[o.event].project == project]
        yield f"projects/{slugify(project)}/index.html", render_page(
            environment, "events.html", **common, **filters(current_project=project),
            list_zone=site.timezone, heading=f"Project: {project}",
            lede=f"Events of {project} in {horizon_words}.", days=list_views(chosen))

    page_urls = {e.slug: absolute_url(site, links.event(e.slug)) for e in events}
    vevents = {}
    for event in sorted(events, key=lambda e: e.slug):
        upcoming = schedule.upcoming.get(event.slug, [])
        view = _event_view(event, site, links, upcoming, schedule, page_urls[event.slug])
        event_next = next_view(upcoming[0] if upcoming else None, event, site, links)
        yield f"events/{event.slug}/index.html", render_page(
            environment, "event.html", **{**common, "countdown_block": True}, event=view,
            event_next=event_next)
        vevents[event.slug] = event_lines(event, site, page_urls[event.slug],
                                          site.category(event.category).label,
                                          stamp=_stamp(event),
                                          window=(schedule.now, schedule.horizon_end))
        yield f"events/{event.slug}/event.ics", calendar_bytes(
            event.title, f"{event.title}: {view.schedule}", site, [event], vevents)

    yield "events.json", feed_bytes(schedule.now, schedule.horizon_end, events, page_urls,
                                    schedule.occurrences)
    yield "events.ics", calendar_bytes(site.title, site.description, site, events, vevents)


def _next_of_category(site: Site, by_slug: dict[str, Event], schedule: Schedule, links: Links):
    candidates = [(upcoming[0].start, slug) for slug, upcoming in schedule.upcoming.items()
                  if upcoming and by_slug[slug].category == site.countdown_category]
    if not candidates:
        return None
    _, slug = min(candidates)
    return next_view(schedule.upcoming[slug][0], by_slug[slug], site, links)


def _event_view(event: Event, site: Site, links: Links, upcoming: list[Occurrence],
                schedule: Schedule, page_url: str) -> EventView:
    category = site.category(event.category)
    last_shown = upcoming[-1].start if upcoming else schedule.horizon_end
    return EventView(
        slug=event.slug, title=event.title, schedule=describe_schedule(event),
        duration=duration_words(event.duration), timezone=event.timezone,
        category=category.slug, category_label=category.label,
        category_page=links.category(category.slug), project=event.project,
        project_page=links.project(event.project) if event.project else None,
        audience=event.audience, join_url=event.url,
        join_label=event.url.split("://", 1)[-1].rstrip("/") if event.url else None,
        description_html=markdown_to_html(event.description) if event.description else "",
        summary=event.summary or plain_summary(event.description),
        page=links.event(event.slug), ics=links.event_ics(event.slug),
        google_calendar=google_calendar_link(event, upcoming[0] if upcoming else None, page_url),
        upcoming=[occurrence_view(o, event, site, links, event.timezone) for o in upcoming],
        cancelled=cancelled_words(event, schedule.now, last_shown))


def _stamp(event: Event) -> datetime:
    """DTSTAMP: fixed per event so that feeds do not change on every build."""
    from ..zones import to_utc

    return to_utc(event.start, event.timezone)
