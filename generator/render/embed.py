"""What other sites embed: the widget's data and iframe pages, and README badges.

For every category, project and event (a "target"):

- embed/<kind>/<name>/next.json: the occurrences a countdown to it shows, in turn (the same
  chain as countdown.json's, feed.CountdownChain), read by /embed/widget.js on any site (the
  script is static/embed/widget.js, published under its own name: render/assets.py);
- embed/<kind>/<name>/index.html: the widget in a page of its own, the one kind of page another
  site may frame (netlify.toml);
- badges/<kind>/<name>.json: a shields.io "endpoint" badge, "next scrum | Mon 25 Jan 07:00 UTC".

`kind` is "categories", "projects" or "events", as in the site's own addresses. None of these
files holds the build's time, so a refresh rewrites one only when its next occurrence passes
(or, for a target with fewer than WIDGET_LIMIT occurrences in the horizon, once a week).
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

from ..model import Event, Occurrence, Site
from ..schedule.dates import iso_utc
from .context import PageContext
from .language import Language, language_for
from .feed import FEED_VERSION, FOREVER, CountdownChain, event_entry, script_safe_json
from .lines import Line
from .views import absolute_url, next_view, project_folder, url_path

WIDGET_LIMIT = 30  # occurrences in a next.json: days of a busy category, weeks of a series
BADGE_CACHE_SECONDS = 300  # shields.io's own minimum, and netlify.toml's max-age for JSON
KINDS = {"categories": "category", "projects": "project", "events": "event"}  # -> the attribute


@dataclass(frozen=True, slots=True)
class EmbedTarget:
    kind: str  # "categories", "projects", "events"
    name: str  # the folder name: a category's slug, a project's folder, an event's slug
    label: str  # "Scrum", "websiteone", "EuroAsia Scrum"
    page: str  # the site's own page for it, a full address

    @property
    def attribute(self) -> str:
        """The widget's attribute that names it: <nextup-next category="scrum">."""
        return KINDS[self.kind]

    @property
    def folder(self) -> str:
        return f"embed/{self.kind}/{self.name}/"

    @property
    def badge_path(self) -> str:
        return f"badges/{self.kind}/{self.name}.json"


class EmbedCollector:
    """One countdown chain per target, offered every occurrence line in start order."""

    def __init__(self, site: Site, events: dict[str, Event], links):
        def address(path: str) -> str:
            return absolute_url(site, path)

        self.targets = [EmbedTarget("categories", c.slug, c.label, address(links.category(c.slug)))
                        for c in site.categories]
        projects = sorted({e.project for e in events.values() if e.project}, key=str.lower)
        self.targets += [EmbedTarget("projects", project_folder(p).rstrip("/"), p,
                                     address(links.project(p))) for p in projects]
        self.targets += [EmbedTarget("events", slug, e.title, address(links.event(slug)))
                         for slug, e in sorted(events.items())]
        self.chains = {t: CountdownChain(FOREVER, WIDGET_LIMIT) for t in self.targets}
        by_name = {(t.kind, t.name): self.chains[t] for t in self.targets}
        self.chains_of = {
            slug: [by_name["categories", e.category], by_name["events", slug]]
            + ([by_name["projects", project_folder(e.project).rstrip("/")]] if e.project else [])
            for slug, e in events.items()}

    def offer(self, line: Line) -> None:
        for chain in self.chains_of[line.event]:
            if not chain.done:
                chain.offer(line)


def complete_until(chain: CountdownChain, horizon_end: datetime) -> str:
    """Until when a target's next.json is exact: the end of its last occurrence when the chain
    stopped at its limit; else the build's horizon, rounded down to a Monday (UTC), a true
    bound that moves once a week rather than with every refresh."""
    if chain.exact_until is not None:
        return chain.exact_until
    midnight = horizon_end.astimezone(timezone.utc).replace(hour=0, minute=0, second=0, microsecond=0)
    return iso_utc(midnight - timedelta(days=midnight.weekday()))


def widget_data(target: EmbedTarget, lines: list[Line], until: str, entries) -> bytes:
    """next.json: countdown.json's shape, with the target's own `title` and `page`, and no
    generated_at. An event's own entry is always there (its title and page, even with no
    dates ahead). `entries(slug)`: an event's feed entry as JSON; the occurrences are the
    lines' own JSON, as in events.json."""
    shown = {line.event for line in lines} | ({target.name} if target.kind == "events" else set())
    head = script_safe_json({"version": FEED_VERSION, "title": target.label, "page": target.page,
                             "horizon_end": until})
    events = ",".join(f"{script_safe_json(slug)}:{entries(slug)}" for slug in sorted(shown))
    occurrences = ",".join(line.fragment for line in lines)
    return f'{head[:-1]},"events":{{{events}}},"occurrences":[{occurrences}]}}\n'.encode("utf-8")


def badge_message(occurrence: Occurrence | None, language: Language | None = None) -> str:
    """What stays true until the next build: the date and time in UTC, never "in 2 hours"."""
    language = language or language_for()
    if occurrence is None:
        # TRANSLATORS: a badge's right half when nothing is scheduled (its left: "next scrum")
        return language.gettext("none scheduled")
    if occurrence.dates:
        # TRANSLATORS: a badge's right half for an all-day event: "Fri 26 Mar, all day"
        return language.gettext("%(day)s, all day", day=language.short_day(occurrence.dates[0]))
    start = occurrence.start.astimezone(timezone.utc)
    # TRANSLATORS: a badge's right half: "Mon 25 Jan 07:00 UTC"
    return language.gettext("%(day)s %(time)s UTC", day=language.short_day(start.date()),
                            time=language.clock(start))


def badge_json(target: EmbedTarget, occurrence: Occurrence | None,
               language: Language | None = None) -> bytes:
    """A shields.io endpoint badge (schemaVersion 1)."""
    language = language or language_for()
    name = target.label
    if target.kind == "categories" and language.tag.split("-")[0] == "en":
        name = name.lower()  # "next scrum"; other languages keep the label as the editor wrote it
    # TRANSLATORS: a badge's left half: "next scrum", "next EuroAsia Scrum"
    label = language.gettext("next %(target)s", target=name)
    badge = {"schemaVersion": 1, "label": label, "message": badge_message(occurrence, language),
             "color": "blue" if occurrence else "lightgrey", "cacheSeconds": BADGE_CACHE_SECONDS}
    return (json.dumps(badge, ensure_ascii=False) + "\n").encode("utf-8")


def write_embeds(collector: EmbedCollector, events: dict[str, Event], page: PageContext,
                 horizon_end: datetime, put, reuse=None) -> None:
    """`reuse(path, key, events, make)`, where given, puts `make()` at `path` unless the last
    build made that page from the same `key` and the same files of `events` (build/pipeline.py
    keeps what the pages were made from): a refresh re-renders only the iframe pages whose next
    occurrence moved, not one per event."""
    site, links = page.site, page.links
    known: dict[str, str] = {}  # an event's entry, once for its category, project and own widget

    def entry(slug: str) -> str:
        if slug not in known:
            known[slug] = script_safe_json(event_entry(events[slug],
                                                       absolute_url(site, links.event(slug))))
        return known[slug]

    for target in collector.targets:
        chain = collector.chains[target]
        line = chain.items[0] if chain.items else None
        first = line.occurrence() if line else None
        put(target.folder + "next.json",
            widget_data(target, chain.items, complete_until(chain, horizon_end), entry))
        put(target.badge_path, badge_json(target, first, page.language))
        path = target.folder + "index.html"

        def make(target=target, first=first, path=path) -> bytes:
            return page.render(
                path, "embed.html", target=target,
                widget_script=url_path(links.prefix + "embed/widget.js"),
                next=next_view(first, events[first.event], site, links, page.language)
                if first else None,
                next_page=absolute_url(site, links.event(first.event)) if first else None,
                target_page=target.page)

        if reuse is None:
            put(path, make())
        else:
            # What the page shows: the target, and its next occurrence with that event's file.
            key = repr(target) + ("\n" + "\t".join((line.start, line.end, line.original,
                                                      line.fragment)) if line else "")
            reuse(path, key, (first.event,) if first else (), make)


__all__ = ["BADGE_CACHE_SECONDS", "KINDS", "WIDGET_LIMIT", "EmbedCollector", "EmbedTarget",
           "badge_json", "badge_message", "complete_until", "widget_data", "write_embeds"]
