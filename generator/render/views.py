"""View models: every decision a page needs, computed here so templates only lay things out."""
from __future__ import annotations

from dataclasses import dataclass
from typing import NamedTuple
from datetime import date, datetime
from urllib.parse import quote, urlencode, urlsplit, urlunsplit

from ..schedule.expand import last_start
from ..model import Event, Occurrence, Site
from ..content.rules import format_rrule
from ..text import slugify
from ..schedule.zones import get_zone, latest_instant, to_utc
from ..schedule.dates import (clock, day_heading, day_range, iso_utc, long_day, short_day,
                              zone_abbreviation)


# What may stay as it is in a URL path (RFC 3986: unreserved, sub-delims, ":", "@", "/"), and
# "%" so that a path already encoded is left alone. Everything else, letters of other scripts
# included, is percent-encoded as UTF-8: "/projects/日本語/" -> "/projects/%E6%97%A5%E6%9C%AC%E8%AA%9E/".
_PATH_SAFE = "/:@!$&'()*+,;=-._~%"


def url_path(path: str) -> str:
    """A site path as it goes into an href, a canonical address, a sitemap or a calendar:
    percent-encoded (RFC 3986). File names on disk stay as they are (UTF-8); servers decode."""
    return quote(path, safe=_PATH_SAFE)


@dataclass(frozen=True, slots=True)
class Links:
    """Where things live in the output, relative to the site's base path, as URL paths
    (percent-encoded: slugs may hold letters of any script)."""

    prefix: str  # "/" or "/community/"

    def home(self) -> str:
        return url_path(self.prefix)

    def events(self) -> str:
        return url_path(f"{self.prefix}events/")

    def event(self, slug: str) -> str:
        return url_path(f"{self.prefix}events/{slug}/")

    def event_ics(self, slug: str) -> str:
        return url_path(f"{self.prefix}events/{slug}/event.ics")

    def category(self, slug: str) -> str:
        return url_path(f"{self.prefix}categories/{slug}/")

    def project(self, name: str) -> str:
        return url_path(f"{self.prefix}projects/{project_folder(name)}")

    def feed(self) -> str:
        return url_path(f"{self.prefix}events.json")

    def countdown(self) -> str:
        return url_path(f"{self.prefix}countdown.json")

    def calendar(self) -> str:
        return url_path(f"{self.prefix}events.ics")

    def calendar_page(self) -> str:
        """The calendar view (this month); calendar() is the .ics."""
        return url_path(f"{self.prefix}calendar/")


def project_folder(name: str) -> str:
    """Where a project's list and calendar are written, under projects/: "web-site/"."""
    return f"{slugify(name)}/"


def absolute_url(site: Site, path: str) -> str:
    """A site path ("/events/x/", encoded or not) as a full, percent-encoded address on the
    site's host."""
    base = urlsplit(site.base_url)
    return urlunsplit((base.scheme, base.netloc, url_path(path), "", ""))


def webcal_url(address: str) -> str:
    """The subscribe form of a calendar address: calendar apps open webcal:// links and keep
    polling them, where an https:// link would only download a copy."""
    return "webcal://" + address.split("://", 1)[1]


class OccurrenceView(NamedTuple):
    """One row of a list or line of an event's dates (a named tuple: there are many)."""

    event_slug: str
    title: str
    page: str
    start_iso: str
    end_iso: str
    day: date  # in the zone the list is shown in
    day_label: str  # "Mon 15 Feb 2027"
    time_range: str  # "07:00–07:25"
    zone_label: str  # "GMT"
    zone_name: str  # "Europe/London"
    category: str
    category_label: str
    project: str | None
    project_page: str | None
    join_url: str | None
    note: str | None  # "moved from 07:00" and the like
    all_day: str | None = None  # "2027-07-10/2027-07-12": its local days, when it is all day


@dataclass(frozen=True, slots=True)
class DayView:
    day: date
    heading: str
    iso: str
    occurrences: list[OccurrenceView]


def occurrence_view(occurrence: Occurrence, event: Event, site: Site, links: Links,
                    zone_name: str) -> OccurrenceView:
    if occurrence.dates:
        return _all_day_view(occurrence, event, site, links)
    zone = get_zone(zone_name)
    start = occurrence.start.astimezone(zone)
    end = occurrence.end.astimezone(zone)
    time_range = f"{clock(start)}–{clock(end)}"
    if end.date() != start.date():
        time_range += f" ({short_day(end.date())})"
    note = None
    if occurrence.original is not None:
        original_utc = to_utc(occurrence.original, event.timezone).astimezone(zone)
        note = f"moved from {short_day(original_utc.date())} {clock(original_utc)}"
    return OccurrenceView(
        event_slug=event.slug, title=occurrence.title or event.title, page=links.event(event.slug),
        start_iso=iso_utc(occurrence.start), end_iso=iso_utc(occurrence.end), day=start.date(),
        day_label=short_day(start.date()) + f" {start.year}", time_range=time_range,
        zone_label=zone_abbreviation(start), zone_name=zone_name, category=event.category,
        category_label=site.category(event.category).label, project=event.project,
        project_page=links.project(event.project) if event.project else None,
        join_url=event.url, note=note)


def _all_day_view(occurrence: Occurrence, event: Event, site: Site, links: Links) -> OccurrenceView:
    """Whole days are the same days in every zone: listed on the event's own first day, with no
    times and no zone (a 10 July conference is not on 9 July for a visitor in New York)."""
    first, last = occurrence.dates
    note = None
    if occurrence.original is not None:
        note = f"moved from {short_day(occurrence.original.date())}"
    return OccurrenceView(
        event_slug=event.slug, title=occurrence.title or event.title, page=links.event(event.slug),
        start_iso=iso_utc(occurrence.start), end_iso=iso_utc(occurrence.end), day=first,
        day_label=f"{short_day(first)} {first.year}",
        time_range="all day" if first == last else f"all day, to {short_day(last)}",
        zone_label="", zone_name=event.timezone, category=event.category,
        category_label=site.category(event.category).label, project=event.project,
        project_page=links.project(event.project) if event.project else None,
        join_url=event.url, note=note, all_day=f"{first.isoformat()}/{last.isoformat()}")


def group_by_day(views: list[OccurrenceView]) -> list[DayView]:
    """Views (in start order) under their days, all-day ones first in each: an all-day
    occurrence sits on its own day, which can begin hours before or after the list's midnight
    (a Tokyo conference day starts at 15:00 the day before in London)."""
    days: dict[date, list[OccurrenceView]] = {}
    for view in views:
        days.setdefault(view.day, []).append(view)
    return [DayView(day, day_heading(day), day.isoformat(),
                    sorted(days[day], key=lambda v: v.all_day is None)) for day in sorted(days)]


@dataclass(frozen=True, slots=True)
class NextView:
    """The next occurrence, as the homepage banner and header countdown state it at build time."""

    occurrence: OccurrenceView
    when: str  # "Monday 15 February 2027, 07:00–07:25 GMT (Europe/London)"


def next_view(occurrence: Occurrence | None, event: Event | None, site: Site,
              links: Links) -> NextView | None:
    if occurrence is None:
        return None
    view = occurrence_view(occurrence, event, site, links, event.timezone)
    if occurrence.dates:
        return NextView(view, f"{day_range(*occurrence.dates)}, all day")
    when = (f"{long_day(view.day)}, {view.time_range} {view.zone_label} ({event.timezone})")
    return NextView(view, when)


@dataclass(frozen=True, slots=True)
class EventView:
    slug: str
    title: str
    schedule: str
    duration: str
    timezone: str
    zone_note: str | None  # "Times in Europe/London."; None when it has no times (all day)
    category: str
    category_label: str
    category_page: str
    project: str | None
    project_page: str | None
    audience: str | None
    join_url: str | None
    join_label: str | None  # the join link without its scheme: "meet.jit.si/OurScrum"
    description_html: str
    summary: str
    page: str
    ics: str
    webcal: str
    google_calendar: str | None
    upcoming: list[OccurrenceView]
    cancelled: list[str]  # upcoming cancelled dates, in words


def google_calendar_link(event: Event, occurrence: Occurrence | None, page_url: str) -> str | None:
    """An "Add to Google Calendar" address, every value percent-encoded.

    The series is offered from its next occurrence on, so COUNT becomes the UNTIL it implies
    (a count from a later start would be wrong).
    """
    if occurrence is None:
        return None
    zone = get_zone(event.timezone)
    start = occurrence.start.astimezone(zone)
    end = occurrence.end.astimezone(zone)
    # All day: dates, the end exclusive, as Google's own all-day links write them.
    dates = (f"{start:%Y%m%d}/{end:%Y%m%d}" if occurrence.dates
             else f"{start:%Y%m%dT%H%M%S}/{end:%Y%m%dT%H%M%S}")
    params = {
        "action": "TEMPLATE",
        "text": occurrence.title or event.title,
        "dates": dates,
        "ctz": event.timezone,
        "details": f"{page_url}" + (f"\nJoin: {event.url}" if event.url else ""),
    }
    if event.url:
        params["location"] = event.url
    # Google's link takes one RRULE and nothing else: a series with extra dates (rdates), or
    # with times of day one rule cannot state, is added as this one occurrence rather than as a
    # pattern that would be wrong.
    one_rule = event.rule is not None and (not event.rule.times
                                           or event.rule.hours_and_minutes is not None)
    if one_rule and not event.rdates and occurrence.original is None:
        rule = event.rule
        until = rule.until
        if rule.count is not None:
            until = last_start(event)
            rule = type(rule)(**{**_fields(rule), "count": None, "until": until})
        # As in the ICS (render/ics.py until_instant): the last start's latest reading, so the
        # last occurrence stays when a clock change repeats or skips its time.
        last = last_start(event) if until else None
        until_utc = latest_instant(last, event.timezone) if last else (
            to_utc(until, event.timezone) if until else None)
        if event.all_day and until_utc is not None:  # a date series ends on a date (RFC 5545)
            until_utc = (last or until).date()
        params["recur"] = "RRULE:" + format_rrule(rule, until_utc)
    return "https://calendar.google.com/calendar/render?" + urlencode(params, quote_via=quote)


def _fields(rule) -> dict:
    return {name: getattr(rule, name) for name in rule.__slots__}


def cancelled_words(event: Event, after: datetime, until: datetime) -> list[str]:
    """Cancelled dates between two instants, in words: "Thursday 25 March 2027 at 07:00"."""
    words = []
    for exdate in event.exdates:
        value = exdate.value
        if isinstance(value, datetime):
            moment, text = value, f"{long_day(value.date())} at {clock(value)}"
        else:
            moment, text = datetime.combine(value, datetime.min.time()).replace(hour=12), long_day(value)
        if after <= to_utc(moment, event.timezone) <= until:
            words.append((moment, text))
    return [text for _, text in sorted(words)]
