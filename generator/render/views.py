"""View models: every decision a page needs, computed here so templates only lay things out."""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING, NamedTuple
from datetime import date, datetime
from urllib.parse import quote, urlencode, urlsplit, urlunsplit

from ..schedule.expand import cancellations, last_start, session_cancellations
from ..model import Event, Image, Occurrence, Site
from ..content.rules import format_rrule
from ..text import slugify
from .occurrence_sessions import join_url
from .place import PlaceView, list_mark
from ..schedule.zones import get_zone, latest_instant, to_utc
from ..schedule.dates import iso_utc, zone_abbreviation
from .language import Language, language_for

if TYPE_CHECKING:
    from .sessions import PastSessions  # which imports this module
    from .subscribe import SubscribeMenu  # which imports this module


# What may stay as it is in a URL path (RFC 3986: unreserved, sub-delims, ":", "@", "/"), and
# "%" so that a path already encoded is left alone. Everything else, letters of other scripts
# included, is percent-encoded as UTF-8: "/projects/日本語/" -> "/projects/%E6%97%A5%E6%9C%AC%E8%AA%9E/".
_PATH_SAFE = "/:@!$&'()*+,;=-._~%"


@lru_cache(maxsize=65536)
def url_path(path: str) -> str:
    """A site path as it goes into an href, a canonical address, a sitemap or a calendar:
    percent-encoded (RFC 3986). File names on disk stay as they are (UTF-8); servers decode.
    Remembered: a large build asks for the same few thousand paths half a million times."""
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

    def session(self, slug: str, key: str) -> str:
        """A session record's page: /events/<slug>/2027-01-05/."""
        return url_path(f"{self.prefix}events/{slug}/{key}/")

    def event_sessions(self, slug: str) -> str:
        """All past sessions of one event, when its page cannot show them all."""
        return url_path(f"{self.prefix}events/{slug}/sessions/")

    def sessions(self) -> str:
        """Recent sessions with recordings, from every event."""
        return url_path(f"{self.prefix}sessions/")

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

    def subscribe(self) -> str:
        return url_path(f"{self.prefix}subscribe/")

    def my_events(self) -> str:
        return url_path(f"{self.prefix}my/")

    def calendar_page(self) -> str:
        """The calendar view (this month); calendar() is the .ics."""
        return url_path(f"{self.prefix}calendar/")


def project_folder(name: str) -> str:
    """Where a project's list and calendar are written, under projects/: "web-site/"."""
    return f"{slugify(name)}/"


def absolute_url(site: Site, path: str) -> str:
    """A site path ("/events/x/", encoded or not) as a full, percent-encoded address on the
    site's host."""
    path = url_path(path)
    # As urlunsplit has it: a path after a host starts with "/".
    return _origin(site.base_url) + (path if not path or path[0] == "/" else "/" + path)


@lru_cache(maxsize=16)
def _origin(base_url: str) -> str:
    """"https://example.org" of the site's base_url, to put a path after."""
    base = urlsplit(base_url)
    return urlunsplit((base.scheme, base.netloc, "", "", ""))


def image_src(links: Links, image: Image) -> str:
    """Where a page loads a picture from: its published file on this site, or its address."""
    return url_path(links.prefix + image.output_path) if image.path else image.source


def image_url(site: Site, links: Links, image: Image | None) -> str | None:
    """A picture's full address, as link previews (og:image) and search engines need it."""
    if image is None:
        return None
    return absolute_url(site, links.prefix + image.output_path) if image.path else image.source


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
    place_mark: str | None = None  # "In person · Leeds", "Hybrid · Bristol"; None when online
    session_page: str | None = None  # its session record's page, when it has one
    session_label: str | None = None  # the link's text: the session's title, or "About this session"


@dataclass(frozen=True, slots=True)
class DayView:
    day: date
    heading: str
    iso: str
    occurrences: list[OccurrenceView]


def _in(language: Language | None) -> Language:
    """The language given, or Nextup's English for callers that pass none."""
    return language if language is not None else language_for()


def short_day_year(language: Language, day: date) -> str:
    """"Mon 15 Feb 2027"."""
    if language.house_english:
        return f"{language.short_day(day)} {day.year}"
    return language.formatted("yMMMEd", day)


def occurrence_view(occurrence: Occurrence, event: Event, site: Site, links: Links,
                    zone_name: str, language: Language | None = None) -> OccurrenceView:
    language = _in(language)
    if occurrence.dates:
        return _all_day_view(occurrence, event, site, links, language)
    zone = get_zone(zone_name)
    start = occurrence.start.astimezone(zone)
    end = occurrence.end.astimezone(zone)
    time_range = f"{language.clock(start)}–{language.clock(end)}"
    if end.date() != start.date():
        time_range += f" ({language.short_day(end.date())})"
    note = None
    if occurrence.original is not None:
        original_utc = to_utc(occurrence.original, event.timezone).astimezone(zone)
        # TRANSLATORS: beside an occurrence an override moved: "moved from Mon 15 Feb 07:00".
        note = language.gettext("moved from %(day)s %(time)s",
                                day=language.short_day(original_utc.date()),
                                time=language.clock(original_utc))
    return OccurrenceView(
        event_slug=event.slug, title=occurrence.title or event.title, page=links.event(event.slug),
        start_iso=iso_utc(occurrence.start), end_iso=iso_utc(occurrence.end), day=start.date(),
        day_label=short_day_year(language, start.date()), time_range=time_range,
        zone_label=zone_abbreviation(start), zone_name=zone_name, category=event.category,
        category_label=site.category(event.category).label, project=event.project,
        project_page=links.project(event.project) if event.project else None,
        join_url=join_url(event, occurrence), note=note, place_mark=list_mark(event, language))


def _all_day_view(occurrence: Occurrence, event: Event, site: Site, links: Links,
                  language: Language) -> OccurrenceView:
    """Whole days are the same days in every zone: listed on the event's own first day, with no
    times and no zone (a 10 July conference is not on 9 July for a visitor in New York)."""
    first, last = occurrence.dates
    note = None
    if occurrence.original is not None:
        # TRANSLATORS: beside a whole-day occurrence an override moved: "moved from Mon 15 Feb".
        note = language.gettext("moved from %(day)s",
                                day=language.short_day(occurrence.original.date()))
    return OccurrenceView(
        event_slug=event.slug, title=occurrence.title or event.title, page=links.event(event.slug),
        start_iso=iso_utc(occurrence.start), end_iso=iso_utc(occurrence.end), day=first,
        day_label=short_day_year(language, first),
        time_range=(language.gettext("all day") if first == last else
                    language.gettext("all day, to %(day)s", day=language.short_day(last))),
        zone_label="", zone_name=event.timezone, category=event.category,
        category_label=site.category(event.category).label, project=event.project,
        project_page=links.project(event.project) if event.project else None,
        join_url=join_url(event, occurrence), note=note, all_day=f"{first.isoformat()}/{last.isoformat()}",
        place_mark=list_mark(event, language))


def group_by_day(views: list[OccurrenceView], language: Language | None = None) -> list[DayView]:
    """Views (in start order) under their days, all-day ones first in each: an all-day
    occurrence sits on its own day, which can begin hours before or after the list's midnight
    (a Tokyo conference day starts at 15:00 the day before in London)."""
    language = _in(language)
    days: dict[date, list[OccurrenceView]] = {}
    for view in views:
        days.setdefault(view.day, []).append(view)
    return [DayView(day, language.day_heading(day), day.isoformat(),
                    sorted(days[day], key=lambda v: v.all_day is None)) for day in sorted(days)]


@dataclass(frozen=True, slots=True)
class NextView:
    """The next occurrence, as the homepage banner and header countdown state it at build time."""

    occurrence: OccurrenceView
    when: str  # "Monday 15 February 2027, 07:00–07:25 GMT (Europe/London)"


def next_view(occurrence: Occurrence | None, event: Event | None, site: Site,
              links: Links, language: Language | None = None) -> NextView | None:
    if occurrence is None:
        return None
    language = _in(language)
    view = occurrence_view(occurrence, event, site, links, event.timezone, language)
    if occurrence.dates:
        return NextView(view, all_day_words(language, *occurrence.dates))
    # TRANSLATORS: "Monday 15 February 2027, 07:00–07:25 GMT (Europe/London)".
    when = language.gettext("%(day)s, %(times)s %(zone)s (%(zone_name)s)",
                            day=language.long_day(view.day), times=view.time_range,
                            zone=view.zone_label, zone_name=event.timezone)
    return NextView(view, when)


def all_day_words(language: Language, first: date, last: date) -> str:
    """"Friday 26 to Sunday 28 March 2027, all day"."""
    return language.gettext("%(days)s, all day", days=language.day_range(first, last))


@dataclass(frozen=True, slots=True)
class EndedView:
    """What an ended event's page says instead of its next dates."""

    one_off: bool  # "This event took place on ...", else "This series has ended: ..."
    when: str  # "Friday 5 February 2027, 17:00–18:00 GMT"
    start_iso: str  # its last start, for <time datetime>


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
    google_calendar: str | None
    upcoming: list[OccurrenceView]
    cancelled: list[str]  # upcoming cancelled dates, in words
    place: PlaceView | None = None  # None: online only
    rsvp_url: str | None = None
    rsvp_label: str | None = None  # "RSVP on www.meetup.com"
    image_src: str | None = None  # the event's own picture (the site's default is not shown)
    image_alt: str | None = None
    holidays: list[str] = ()  # upcoming meetings skip_holidays cancels: "Easter Monday, Monday ..."
    status: str | None = None  # "Cancelled" or "Postponed": the whole event
    reason: str | None = None
    unconfirmed_since: str | None = None  # "30 June 2027": review_by has passed
    ended: EndedView | None = None  # a series with nothing ahead that has ended
    subscribe: SubscribeMenu | None = None  # None once it has ended
    past_sessions: PastSessions | None = None  # its session records that have happened
    edit_url: str | None = None  # "Edit this event", for editors (site.toml [editing] edit_link)


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
    if event.place is not None:
        params["location"] = event.place.one_line()
    elif event.url:
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


def cancelled_words(event: Event, after: datetime, until: datetime,
                    language: Language | None = None) -> list[str]:
    """Cancelled dates between two instants, in words: "Thursday 25 March 2027 at 07:00"; a
    meeting a session record cancels with its reason: "Monday 1 February 2027 at 07:00 (Most
    of us are at FOSDEM)"."""
    language = _in(language)
    words = {}
    for exdate in event.exdates:
        value = exdate.value
        if isinstance(value, datetime):
            moment, text = value, _day_at(language, value)
        else:
            moment = datetime.combine(value, datetime.min.time()).replace(hour=12)
            text = language.long_day(value)
        if after <= to_utc(moment, event.timezone) <= until:
            words[moment] = text
    for moment, reason in (session_cancellations(event) if event.sessions else {}).items():
        if after <= to_utc(moment, event.timezone) <= until:
            text = language.long_day(moment.date()) if event.all_day else _day_at(language, moment)
            # TRANSLATORS: a cancelled date and why: "Monday 1 February 2027 at 07:00 (Most of
            # us are at FOSDEM)".
            words[moment] = (language.gettext("%(date)s (%(reason)s)", date=text,
                                              reason=reason.rstrip('.')) if reason else text)
    return [words[moment] for moment in sorted(words)]


def _day_at(language: Language, moment: datetime) -> str:
    """"Thursday 25 March 2027 at 07:00"."""
    return language.gettext("%(day)s at %(time)s", day=language.long_day(moment.date()),
                            time=language.clock(moment))


def holiday_words(event: Event, after: datetime, until: datetime,
                  language: Language | None = None) -> list[str]:
    """Meetings that public holidays cancel between two instants, one entry a day, in words:
    "Easter Monday, Monday 29 March 2027 at 07:00" (without the time when several meetings
    that day are cancelled)."""
    if event.skip_holidays is None:
        return []
    language = _in(language)
    by_day: dict[date, list] = {}
    for cancelled in cancellations(event, after, until):
        if cancelled.cause == "holiday":
            by_day.setdefault(cancelled.local.date(), []).append(cancelled)
    words = []
    for day, items in sorted(by_day.items()):
        if len(items) == 1:
            # TRANSLATORS: "Easter Monday, Monday 29 March 2027 at 07:00".
            text = language.gettext("%(holiday)s, %(day)s", holiday=items[0].reason,
                                    day=_day_at(language, items[0].local))
        else:
            text = language.gettext("%(holiday)s, %(day)s", holiday=items[0].reason,
                                    day=language.long_day(day))
        words.append(text)
    return words
