"""Plain data handed from one build phase to the next.

Times of day are kept as editors wrote them: naive wall-clock datetimes plus an IANA zone name.
UTC instants exist only on occurrences, computed per occurrence by `expand`.
"""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, time
from pathlib import Path
from typing import NamedTuple

# A position in a source file: 1-based line and column (column None when unknown).
Position = tuple[int, int | None]


@dataclass(frozen=True, slots=True)
class Problem:
    """One thing wrong (or suspicious) in the content, located precisely enough to fix."""

    file: str
    line: int | None
    column: int | None
    field: str | None
    message: str
    hint: str | None = None
    severity: str = "error"  # "error" stops the build; "warning" is reported only

    @property
    def is_error(self) -> bool:
        return self.severity == "error"

    def location(self) -> str:
        parts = [self.file]
        if self.line is not None:
            parts.append(str(self.line))
            if self.column is not None:
                parts.append(str(self.column))
        return ":".join(parts)

    def __str__(self) -> str:
        text = self.location() + ": "
        if not self.is_error:
            text += "warning: "
        if self.field:
            text += f"{self.field}: "
        text += self.message
        if self.hint:
            text += f"; {self.hint}"
        return text


@dataclass(frozen=True, slots=True)
class RawFile:
    """A content file as read by `load`: parsed TOML, where each key sits, and the body."""

    path: Path
    display_path: str  # how messages name the file, e.g. "content/events/euro-scrum.md"
    data: dict
    positions: Mapping[tuple, Position]  # ("repeat", "on") -> (line, column) of the value
    body: str = ""
    body_line: int = 1


@dataclass(frozen=True, slots=True)
class Category:
    slug: str
    label: str


@dataclass(frozen=True, slots=True)
class Announce:
    """site.toml's [announce] table: what `build.py announce` posts to chat, and when."""

    lead_minutes: int = 10  # how long before a start it is announced
    categories: tuple[str, ...] = ()  # with `events`: announce these; both empty: every event
    events: tuple[str, ...] = ()  # event slugs
    message: str = "{title} {starts}: join {url}"


@dataclass(frozen=True, slots=True)
class Editing:
    """site.toml's [editing] table: the CMS at /admin/, where it saves, and the "Edit this event"
    link on event pages (README, "Editing in the browser")."""

    cms: bool = True  # build /admin/
    backend: str = "git-gateway"  # "git-gateway" (Netlify Identity) or "github" (GitHub log-in)
    repository: str | None = None  # "owner/name" on GitHub: needed by "github" and edit links there
    branch: str = "main"
    edit_link: str | None = None  # "cms" or "github": an "Edit this event" link; None: no link


@dataclass(frozen=True, slots=True)
class Site:
    title: str
    base_url: str  # always ends with "/"
    description: str
    timezone: str  # zone for build-time lists that mix events from several zones
    categories: tuple[Category, ...]
    countdown_category: str
    horizon_days: int
    source: str | None = None  # display path of site.toml, None when defaults were used
    default_image: Image | None = None  # for og:image and search engines, when an event has none
    skip_holidays: str | None = None  # region whose holidays every event skips, unless it opts out
    holiday_region: str | None = None  # region whose holidays `check` warns about
    announce: Announce = Announce()  # chat announcements ([announce]; defaults when absent)
    editing: Editing = Editing()  # the CMS and edit links ([editing]; defaults when absent)
    # BCP 47 tag of the language visitors read (render/language.py); "en" is Nextup's own English.
    language: str = "en"
    # The browser scripts format dates and times in the visitor's language (the text stays).
    follow_visitor_language: bool = False

    @property
    def host(self) -> str:
        from urllib.parse import urlsplit

        return urlsplit(self.base_url).hostname or "localhost"

    @property
    def path_prefix(self) -> str:
        """Where the site lives under its host: "/" or "/community/"."""
        from urllib.parse import urlsplit

        return urlsplit(self.base_url).path or "/"

    def category(self, slug: str) -> Category:
        return next(c for c in self.categories if c.slug == slug)


@dataclass(frozen=True, slots=True)
class Rule:
    """A recurrence rule in RFC 5545 terms, normalised: implicit BY* parts made explicit.

    `until` is a naive local wall-clock datetime in the event's zone, inclusive.
    Weekdays are 0 = Monday .. 6 = Sunday; `byday` pairs are (ordinal or None, weekday).
    """

    freq: str  # DAILY, WEEKLY, MONTHLY or YEARLY
    interval: int = 1
    count: int | None = None
    until: datetime | None = None
    byday: tuple[tuple[int | None, int], ...] = ()
    bymonthday: tuple[int, ...] = ()
    bymonth: tuple[int, ...] = ()
    bysetpos: tuple[int, ...] = ()
    byyearday: tuple[int, ...] = ()
    wkst: int = 0
    # The times of day of each occurring day, sorted (BYHOUR x BYMINUTE, or [repeat] at); empty:
    # the start's time only. Seconds are the start's.
    times: tuple[time, ...] = ()

    @property
    def hours_and_minutes(self) -> tuple[tuple[int, ...], tuple[int, ...]] | None:
        """(BYHOUR, BYMINUTE) if `times` is exactly every hour with every minute of them, as
        one RRULE says it; None if it is not (09:00 and 15:30), or there are no times."""
        if not self.times:
            return None
        hours = tuple(sorted({t.hour for t in self.times}))
        minutes = tuple(sorted({t.minute for t in self.times}))
        return (hours, minutes) if len(hours) * len(minutes) == len(self.times) else None


@dataclass(frozen=True, slots=True)
class ExDate:
    """A cancelled occurrence: a local date-time, or a whole local date."""

    value: datetime | date
    key: tuple  # where it is written, for messages: ("exdates", 2)


@dataclass(frozen=True, slots=True)
class RDate:
    """An extra occurrence outside the rule (RFC 5545 RDATE): a local start date-time."""

    value: datetime
    key: tuple  # where it is written, for messages: ("rdates", 0)


@dataclass(frozen=True, slots=True)
class Override:
    """One occurrence of a series moved or changed."""

    original: datetime  # the local start it would have had
    start: datetime | None
    duration: int | None  # minutes
    title: str | None
    key: tuple  # where it is written, for messages: ("overrides", 0)


@dataclass(frozen=True, slots=True)
class Image:
    """A picture of an event (or the site's default one): a file in content/, published
    under a name that carries a hash of its bytes, or an https address used as it is."""

    source: str  # as written: "images/meetup.jpg" or "https://..."
    alt: str | None  # what it shows, for people who cannot see it (None: the site's default)
    path: str | None = None  # a file's path under content/, with "/"; None for an address
    digest: str | None = None  # sha256 of the file's bytes, hex

    @property
    def output_path(self) -> str | None:
        """Where the file is published, relative to the site: content/images/meetup.jpg is
        "static/images/meetup.1a2b3c4d5e.jpg" (a new name whenever the bytes change, so it can
        be cached for a year, as assets are)."""
        if self.path is None:
            return None
        folder, _, name = self.path.rpartition("/")
        stem, _, suffix = name.rpartition(".")
        return f"static/{folder + '/' if folder else ''}{stem}.{self.digest[:10]}.{suffix}"


@dataclass(frozen=True, slots=True)
class Place:
    """Where an event meets in person ([location] in its file)."""

    name: str
    address: tuple[str, ...]  # lines, as written: "12 Station Road", "Second floor"
    locality: str | None = None  # the town or city: "Leeds"
    country: str | None = None  # ISO 3166-1 alpha-2, upper case: "GB"
    geo: tuple[float, float] | None = None  # (latitude, longitude), WGS 84 degrees
    notes: str | None = None  # how to find the room: "third floor, ring the bell"

    def one_line(self) -> str:
        """Name, address, town and country on one line, for calendars and map searches."""
        return ", ".join([self.name, *self.address, *filter(None, (self.locality, self.country))])


@dataclass(frozen=True, slots=True)
class Event:
    slug: str
    title: str
    category: str
    timezone: str  # IANA name
    start: datetime  # naive, wall clock in `timezone`: the first occurrence of the series
    duration: int  # minutes; for an all-day event, its days x 1440 (the end is a local midnight)
    rule: Rule | None  # None for a one-off event
    exdates: tuple[ExDate, ...] = ()
    overrides: tuple[Override, ...] = ()
    rdates: tuple[RDate, ...] = ()  # sorted by value
    url: str | None = None
    place: Place | None = None  # None: the event is online only
    rsvp_url: str | None = None  # where people say they are coming (Nextup keeps no RSVPs)
    image: Image | None = None
    project: str | None = None
    audience: str | None = None
    summary: str | None = None
    description: str = ""  # Markdown source
    source: str = ""  # display path of the file
    # An all-day event (`date = ...`): each occurrence is whole local days from a midnight in
    # `timezone`, `days` of them. A timed event with `days` > 1 meets at its start time on each of
    # `days` consecutive days (its rule is DAILY with that COUNT).
    all_day: bool = False
    days: int = 1
    # The region whose public holidays cancel the rule's occurrences (the event's own, or the
    # site's default); None: none are skipped.
    skip_holidays: str | None = None
    meets_on_holidays: bool = False  # the editor wrote skip_holidays = false: do not warn
    review_by: date | None = None  # after this date the series counts as unconfirmed
    status: str | None = None  # "cancelled" or "postponed": the whole event; None: as planned
    reason: str | None = None  # why, with a status
    # The session records of its occurrences (content/sessions/<slug>/...), each matched to an
    # occurrence of the series, in start order; a record that matches none is a problem instead.
    sessions: tuple[Session, ...] = ()
    positions: Mapping[tuple, Position] = field(default_factory=dict, compare=False, repr=False)

    @property
    def repeats(self) -> bool:
        """More than one occurrence is possible: a rule, or extra dates."""
        return self.rule is not None or bool(self.rdates)

    @property
    def attendance(self) -> str:
        """"in_person" (a place, no join link), "hybrid" (both) or "online" (no place)."""
        if self.place is None:
            return "online"
        return "hybrid" if self.url else "in_person"

    def position(self, *key) -> Position | None:
        """Where a field is written: the key itself, else the nearest enclosing one."""
        key = tuple(key)
        while key:
            if key in self.positions:
                return self.positions[key]
            key = key[:-1]
        return None


@dataclass(frozen=True, slots=True)
class SessionLink:
    """A link an editor attached to a session: slides, a write-up, a pull request."""

    title: str
    url: str  # https


@dataclass(frozen=True, slots=True)
class Session:
    """What happened (or will happen) at one occurrence of an event: a session record,
    content/sessions/<event slug>/<YYYY-MM-DD>.md (or <YYYY-MM-DD>-<HHMM>.md for an event that
    meets several times that day). Its front matter holds the fields, its body the notes.

    `day` and `time` name the occurrence as the series schedules it, in the event's zone, before
    any override moved it; `start` and `end` are where that occurrence really is (after a move),
    filled in when the record is matched to its occurrence.
    """

    event: str  # slug of the event
    day: date  # local date of the scheduled occurrence
    time: time | None  # its local time, when the event meets more than once that day; else None
    source: str  # display path of the file
    start: datetime | None = None  # aware, UTC: the occurrence's start (None until matched)
    end: datetime | None = None  # aware, UTC
    title: str | None = None  # what this session was about: "Sprint 42 review"
    hosts: tuple[str, ...] = ()  # who ran it, as written
    recording: str | None = None  # https address of the recording
    links: tuple[SessionLink, ...] = ()
    url: str | None = None  # the join link for this occurrence only, instead of the event's
    cancelled: bool = False  # status = "cancelled": the occurrence does not take place
    reason: str | None = None  # why it is cancelled (or any short note shown beside the date)
    notes: str = ""  # Markdown source (the file's body)
    moved_from: datetime | None = None  # aware, UTC: the scheduled start, when an override moved it
    positions: Mapping[tuple, Position] = field(default_factory=dict, compare=False, repr=False)

    @property
    def key(self) -> str:
        """The session's name in its event's folder and in addresses: "2027-01-05", or
        "2027-01-05-1400" when the event meets more than once that day. Its page is
        /events/<slug>/<key>/."""
        text = self.day.isoformat()
        return text if self.time is None else f"{text}-{self.time:%H%M}"


class Occurrence(NamedTuple):
    """One concrete meeting: UTC instants, plus what an override changed.

    A named tuple, not a dataclass: a large site has hundreds of thousands of these, and tuples
    are the cheapest immutable records Python makes.
    """

    event: str  # slug
    start: datetime  # aware, UTC
    end: datetime  # aware, UTC
    title: str | None = None  # set only when an override renamed this occurrence
    original: datetime | None = None  # local start before an override moved it; None if not moved
    # An all-day occurrence's first and last local days (inclusive), in the event's zone: what
    # it means everywhere, whatever zone a visitor reads its instants in. None: at a time of day.
    dates: tuple[date, date] | None = None


@dataclass(frozen=True, slots=True)
class Revision:
    """How an event has changed, for calendar feeds (see history.py)."""

    sequence: int = 0  # how many times its times changed
    modified: datetime | None = None  # aware; when its file last changed; None if unknown
