"""Phase 2: raw records -> typed Site and Event objects, or every located problem at once.

The fields an editor may write are declared once, below, with their types; anything else is an
error with a suggestion. Each message says what is wrong and how to fix it.
"""
from __future__ import annotations

import difflib
import math
import os
import re
import unicodedata
from collections.abc import Iterable
from datetime import date, datetime, time
from pathlib import Path
from urllib.parse import urlsplit

from ..schedule.expand import first_occurrence
from ..text import FORBIDDEN_IN_SETTINGS, character_words, is_slug, slugify
from .load import MAX_NESTING, load_toml_file
from ..model import Announce, Category, Editing, Event, ExDate, Override, Problem, RawFile, RDate, Site
from .rules import build_rule, parse_repeat, parse_rrule, suggest, until_as_local
from .hints import old_zone_warning, zone_hint
from .announce import check_announce
from .editing import check_editing
from .image import check_event_image, check_image
from .location import check_location, check_rsvp_url
from .positions import string_character_position
from ..schedule.holidays import close_regions, is_known_region
from ..schedule.zones import is_known_zone, last_local_not_after

DEFAULT_CATEGORIES = ("scrum", "pair-programming", "meeting", "client-meeting")
MAX_DURATION_MINUTES = 7 * 24 * 60
MAX_HORIZON_DAYS = 3660
FIRST_OCCURRENCE_SEARCH_YEARS = 10
# Dates outside these years are typing mistakes, and recurrence arithmetic near year 9999 overflows.
EARLIEST_YEAR, LATEST_YEAR = 1900, 2999
# Entries in exdates, rdates and [[overrides]], each. Every one is written into each calendar
# holding the event (all events, its category's, its project's) and expanded by every calendar
# app at every refresh; real series have a few dozen. The ICS importer writes at most 400 rdates
# for a rule Nextup cannot store, so 1,000 leaves room and still stops a calendar no app can read.
MAX_LIST_ENTRIES = 1000
# The longest text a setting may hold, in characters: the title is on every list page once per
# occurrence, so a megabyte title would make gigabytes of pages.
TEXT_LIMITS = {"summary": 1000, "description": 1000, "url": 2000, "base_url": 2000, "rrule": 2000,
               "rsvp_url": 2000, "image": 2000, "default_image": 2000,
               "recording": 2000}
DEFAULT_TEXT_LIMIT = 300  # a title, a project, a category, a zone
# A project's or category's address is a folder name on disk: file systems allow 255 bytes, and
# a name in another script takes up to four bytes a letter.
MAX_ADDRESS_BYTES = 200
# TOML integers are 64-bit (TOML 1.0, "Integer"); tomllib accepts more, nothing here needs it.
LARGEST_INTEGER = 2 ** 63 - 1
# A message for what should never happen: an exception while checking a file. It is told as a
# problem of that file, so that every other file is still checked and reported.
INTERNAL_ERROR = "this file could not be checked ({error}); this is a bug in Nextup"
INTERNAL_ERROR_HINT = "please report it, with the file; every other file was checked"

TEXT = "text in quotes"
WHOLE_NUMBER = "a whole number"
LOCAL_DATETIME = "a local date-time like 2027-03-01T07:00:00"
LOCAL_DATE = "a date like 2027-07-10"
BOOLEAN = "true or false"

# Every field an event file may have: name -> (what it must be, required).
EVENT_FIELDS = {
    "title": (TEXT, True),
    "category": (TEXT, True),
    "timezone": (TEXT, True),
    "start": (LOCAL_DATETIME, True),
    "duration": (WHOLE_NUMBER, True),
    "date": (LOCAL_DATE, False),
    "end_date": (LOCAL_DATE, False),
    "days": (WHOLE_NUMBER, False),
    "rrule": (TEXT, False),
    "repeat": ("a [repeat] table", False),
    "rdates": ("a list of local date-times", False),
    "exdates": ("a list of local date-times or dates", False),
    "overrides": ("[[overrides]] tables", False),
    "url": (TEXT, False),
    "project": (TEXT, False),
    "audience": (TEXT, False),
    "summary": (TEXT, False),
    "draft": (BOOLEAN, False),
    "location": ("a [location] table", False),
    "rsvp_url": (TEXT, False),
    "image": ("a file in content/ or an https:// address", False),
    "image_alt": (TEXT, False),
    "skip_holidays": ('a region code like "GB-ENG", or false', False),
    "review_by": ("a date like 2027-06-30", False),
    "status": ('"cancelled" or "postponed"', False),
    "reason": (TEXT, False),
}
STATUSES = ("cancelled", "postponed")
OVERRIDE_FIELDS = ("original", "start", "duration", "title")
# An all-day event has `date` (and `end_date` or `days`) where a timed one has these.
TIMED_ONLY_FIELDS = ("start", "duration")
# A festival or a month of events is whole days for weeks; a quarter is surely a mistake.
MAX_ALL_DAY_DAYS = 92
# A conference or a hackathon meeting at the same time each day, as one event.
MAX_TIMED_DAYS = 31
SITE_FIELDS = ("title", "base_url", "description", "timezone", "categories",
               "countdown_category", "horizon_days", "default_image", "skip_holidays",
               "holiday_region", "announce", "editing", "language", "follow_visitor_language")
SITE_DEFAULTS = {
    "title": "Upcoming events",
    "base_url": "http://localhost:8000/",
    "description": "When we meet next.",
    "timezone": "UTC",
    "countdown_category": "scrum",
    "horizon_days": 90,
}


class _Reporter:
    """Collects problems for one file, placing each at its field's position."""

    def __init__(self, raw: RawFile):
        self.raw = raw
        self.problems: list[Problem] = []
        self.rejected: set[tuple] = set()  # values found unusable before any field check

    def error(self, key: tuple, message: str, hint: str | None = None, column_offset: int = 0,
              severity: str = "error", position: tuple[int, int] | None = None) -> None:
        line, column = position or self._position(key)
        if column is not None and column_offset:
            column += column_offset
        self.problems.append(Problem(self.raw.display_path, line, column, field_name(key),
                                     message, hint, severity))

    @property
    def has_errors(self) -> bool:
        return any(p.is_error for p in self.problems)

    def _position(self, key: tuple) -> tuple[int | None, int | None]:
        while key:
            if key in self.raw.positions:
                return self.raw.positions[key]
            key = key[:-1]
        return (1, None) if self.raw.body_line > 1 else (None, None)


def field_name(key: tuple) -> str | None:
    """("overrides", 0, "start") -> "overrides[0].start"."""
    name = ""
    for part in key:
        name += f"[{part}]" if isinstance(part, int) else (f".{part}" if name else part)
    return name or None


# --- site -----------------------------------------------------------------------------------

def validate_site(raw: RawFile | None) -> tuple[Site | None, list[Problem]]:
    site, _categories, problems = _check_site(raw)
    return site, problems


def read_site(content_dir: Path) -> tuple[Site | None, list[Problem]]:
    """content/site.toml, read and checked as the build's find phase does (no file: the
    defaults). For the commands around the build (new, serve, import)."""
    path = content_dir / "site.toml"
    if not os.path.lexists(path):
        return validate_site(None)
    raw, problems = load_toml_file(path, content_dir)
    if raw is None:
        return None, problems
    site, site_problems = validate_site(raw)
    return site, problems + site_problems


def _check_site(raw: RawFile | None) -> tuple[Site | None, list[str] | None, list[Problem]]:
    """The Site (None if site.toml has errors), the categories events may use (None if
    site.toml gets them wrong, so events cannot be checked against them), and the problems."""
    data = dict(SITE_DEFAULTS)
    if raw is None:
        return _site_from(data, list(DEFAULT_CATEGORIES), None), list(DEFAULT_CATEGORIES), []
    report = _Reporter(raw)
    try:
        return _check_site_file(raw, report, data)
    except Exception as error:  # noqa: BLE001 - see INTERNAL_ERROR
        return None, None, [_internal_error(raw, error)]


def _internal_error(raw: RawFile, error: Exception) -> Problem:
    return Problem(raw.display_path, None, None, None,
                   INTERNAL_ERROR.format(error=type(error).__name__), INTERNAL_ERROR_HINT)


def _check_site_file(raw: RawFile, report: _Reporter, data: dict):
    """_check_site for a site.toml that was read."""
    if not check_values(report, raw.data):
        return None, None, report.problems
    categories_known = True
    for key in raw.data:
        if key not in SITE_FIELDS:
            report.error((key,), f'unknown field "{key}"',
                         suggest(key, SITE_FIELDS) or "fields: " + ", ".join(SITE_FIELDS))
    for key in ("title", "description", "base_url", "timezone", "countdown_category"):
        if key in raw.data and (key,) not in report.rejected:
            if isinstance(raw.data[key], str) and raw.data[key].strip():
                data[key] = raw.data[key].strip()
            else:
                report.error((key,), f"must be {TEXT}, not {_value_words(raw.data[key])}",
                             f'write {key} = "..."')
    base = data["base_url"]
    if not _is_web_address(base):
        report.error(("base_url",), f'"{base}" is not a web address',
                     'write the address the site is served from, like "https://events.example.org/"')
    elif not base.endswith("/"):
        data["base_url"] = base + "/"
    if not is_known_zone(data["timezone"]):
        report.error(("timezone",), f'unknown zone "{data["timezone"]}"', zone_hint(data["timezone"]))
        data["timezone"] = "UTC"
    categories = list(DEFAULT_CATEGORIES)
    labels: dict[str, str] = {}
    if "categories" in raw.data:
        value = raw.data["categories"]
        if isinstance(value, dict):
            value, labels = list(value), {k: v for k, v in value.items() if isinstance(v, str)}
        if (isinstance(value, list) and value and all(isinstance(v, str) for v in value)):
            categories = []
            for index, slug in enumerate(value):
                if not is_slug(slug):
                    if ("categories", index) not in report.rejected:
                        report.error(("categories", index), f'category "{slug}" is not a slug',
                                     "use lowercase letters, digits and hyphens, like "
                                     + (slugify(slug) or "pair-programming"))
                elif slug in categories:
                    report.error(("categories", index), f'category "{slug}" is listed twice')
                elif _address_fits(report, ("categories", index), slug):
                    categories.append(slug)
        else:
            categories_known = False
            report.error(("categories",), "must be a list of category names",
                         'write categories = ["scrum", "pair-programming"]')
    if data["countdown_category"] not in categories and categories_known:
        # Not written: the default "scrum" was dropped from categories; point at those.
        where = "countdown_category" if "countdown_category" in raw.data else "categories"
        report.error((where,),
                     f'"{data["countdown_category"]}" is not one of the categories',
                     suggest(data["countdown_category"], categories)
                     or "categories: " + ", ".join(categories))
    horizon = raw.data.get("horizon_days", data["horizon_days"])
    if not _is_int(horizon) or not 1 <= horizon <= MAX_HORIZON_DAYS:
        report.error(("horizon_days",), f"must be a whole number of days from 1 to "
                     f"{MAX_HORIZON_DAYS}, not {_value_words(horizon)}",
                     f"remove the quotes: write horizon_days = {horizon.strip()}"
                     if isinstance(horizon, str) and horizon.strip().isdigit() else None)
    else:
        data["horizon_days"] = horizon
    # The site's picture for link previews and search engines, when an event has none of its own.
    data["default_image"] = check_image(report, raw.data, "default_image", raw.path.parent, None)
    for key in ("skip_holidays", "holiday_region"):
        if key in raw.data and (key,) not in report.rejected:
            data[key] = _region(report, (key,), raw.data[key])
    _check_language(report, raw.data, data)
    known = categories if categories_known else None
    data["announce"] = check_announce(report, raw.data, known)
    data["editing"] = check_editing(report, raw.data)
    if report.has_errors:
        return None, known, report.problems
    return _site_from(data, categories, raw.display_path, labels), known, []


def _check_language(report: _Reporter, values: dict, data: dict) -> None:
    from .languages import canonical_tag, catalogue_tags, language_problem

    if "language" in values and ("language",) not in report.rejected:
        tag = values["language"]
        problem = (f"must be a language tag like \"pt-BR\", not {_value_words(tag)}"
                   if not isinstance(tag, str) or not tag.strip() else language_problem(tag.strip()))
        if problem:
            shipped = catalogue_tags()
            report.error(("language",), problem,
                         (suggest(tag, shipped) if isinstance(tag, str) else None)
                         or "languages: " + ", ".join(shipped)
                         + ', or a region of one ("es-MX"); the README\'s "Translating Nextup" '
                         "adds a language")
        else:
            data["language"] = canonical_tag(tag.strip())
    if "follow_visitor_language" in values:
        follow = values["follow_visitor_language"]
        if isinstance(follow, bool):
            data["follow_visitor_language"] = follow
        else:
            report.error(("follow_visitor_language",),
                         f"must be true or false, not {_value_words(follow)}",
                         "write follow_visitor_language = true, or leave it out")


def _site_from(data: dict, categories: list[str], source: str | None,
               labels: dict[str, str] | None = None) -> Site:
    labels = labels or {}
    return Site(
        title=data["title"], base_url=data["base_url"], description=data["description"],
        timezone=data["timezone"],
        categories=tuple(Category(slug, labels.get(slug) or category_label(slug))
                         for slug in categories),
        countdown_category=data["countdown_category"], horizon_days=data["horizon_days"],
        source=source, default_image=data.get("default_image"),
        skip_holidays=data.get("skip_holidays"), holiday_region=data.get("holiday_region"),
        announce=data.get("announce", Announce()), editing=data.get("editing", Editing()),
        language=data.get("language", "en"),
        follow_visitor_language=data.get("follow_visitor_language", False))


def category_label(slug: str) -> str:
    return slug.replace("-", " ").capitalize()


# --- events ---------------------------------------------------------------------------------

def validate_site_and_categories(raw_site: RawFile | None, site_unreadable: bool = False):
    """(Site or None, the categories events may use or None if unknown, problems)."""
    site, categories, problems = _check_site(raw_site)
    return site, (None if site_unreadable else categories), problems


def validate_event(raw: RawFile, categories,
                   site_skip_holidays: str | None = None) -> tuple[Event | None, list[Problem]]:
    """Check one event file; return the Event (None if it has errors or is a draft).

    `categories`: the ones site.toml allows, or None when site.toml is broken (not checked).
    `site_skip_holidays`: site.toml's default region for skip_holidays, if any."""
    try:
        return _validate_event(raw, categories, site_skip_holidays)
    except Exception as error:  # noqa: BLE001 - see INTERNAL_ERROR
        return None, [_internal_error(raw, error)]


def _validate_event(raw: RawFile, categories,
                    site_skip_holidays: str | None) -> tuple[Event | None, list[Problem]]:
    report = _Reporter(raw)
    data = raw.data
    slug = raw.path.stem
    if not is_slug(slug):
        report.problems.append(Problem(
            raw.display_path, None, None, None,
            f'"{raw.path.name}" is not a safe file name: the name becomes the page address',
            _file_name_hint(slug)))
    if not check_values(report, data):
        return None, report.problems

    all_day = "date" in data
    misspelt = set()  # required fields an unknown field most likely meant ("tittle")
    for key in data:
        if key not in EVENT_FIELDS:
            guess = difflib.get_close_matches(key, list(EVENT_FIELDS), n=1, cutoff=0.6)
            misspelt.update(g for g in guess if g not in data)
            report.error((key,), f'unknown field "{key}"',
                         suggest(key, EVENT_FIELDS) or "fields: " + ", ".join(EVENT_FIELDS))
    for key, (kind, required) in EVENT_FIELDS.items():
        # A misspelt field is reported once, as unknown, with the right name to use.
        if required and key not in data and key not in misspelt \
                and not (all_day and key in TIMED_ONLY_FIELDS):
            report.problems.append(Problem(raw.display_path, _end_of_front_matter(raw), None, key,
                                           f"{key} is missing", _missing_hint(key, categories)))

    title = _text(report, data, "title")
    category = _text(report, data, "category")
    if category is not None and categories is not None and category not in categories:
        report.error(("category",), f'unknown category "{category}"',
                     suggest(category, categories) or "categories: " + ", ".join(categories)
                     + " (add more in content/site.toml)")
        category = None
    zone = _text(report, data, "timezone")
    if zone is not None and not is_known_zone(zone):
        report.error(("timezone",), f'unknown zone "{zone}"', zone_hint(zone))
        zone = None
    elif zone is not None and old_zone_warning(zone):
        report.error(("timezone",), old_zone_warning(zone), None, severity="warning")
    days = _days(report, data, all_day)
    if all_day:
        start, duration = _all_day_start(report, data), days * 24 * 60 if days else None
    else:
        start = _local_datetime(report, ("start",), data.get("start")) if "start" in data else None
        duration = (_duration(report, ("duration",), data.get("duration"))
                    if "duration" in data else None)
    url = _url(report, data)
    place = check_location(report, data, _value_words)
    rsvp_url = check_rsvp_url(report, data, _value_words)
    # The content folder: the one above events/ (pictures are found from there).
    image = check_event_image(report, data, raw.path.parent.parent, _value_words)
    project = _text(report, data, "project")
    if project is not None and not slugify(project):
        report.error(("project",), f'"{project}" has no letter or digit, so it cannot have a web '
                     "address", 'add a word or a number to the name, like "Project 7"')
        project = None
    elif project is not None and not _address_fits(report, ("project",), slugify(project)):
        project = None
    audience = _text(report, data, "audience")
    summary = _text(report, data, "summary")
    draft = data.get("draft", False)
    if not isinstance(draft, bool):
        report.error(("draft",), f"must be {BOOLEAN}, not {draft!r}", "write draft = true")
        draft = False

    skip_holidays, meets_on_holidays = _skip_holidays(report, data, site_skip_holidays)
    review_by = _review_by(report, data)
    status, reason = _status(report, data)

    rule_fields = _rule_fields(report, data)
    rdates = _rdates(report, data, all_day)
    repeating = rule_fields is not None or "repeat" in data or "rrule" in data or bool(rdates)
    if all_day and rule_fields and (rule_fields.get("at") or rule_fields.get("byhour")
                                    or rule_fields.get("byminute")):
        key = ("rrule",) if "rrule" in data else ("repeat", "at")
        report.error(key, "an all-day event has no times of day",
                     "remove the times, or write start = ... and duration = ... instead of date")
    if days and days > 1 and not all_day:
        if repeating:
            report.error(("days",), "a repeating event cannot also run over several days at a "
                         "time of day", "for a yearly three-day conference, write date = ... and "
                         "days = 3 (all day) with [repeat]; or write one event per day")
        else:
            rule_fields, repeating = {"freq": "DAILY", "count": days}, True
    exdates = _exdates(report, data, repeating)
    overrides = _overrides(report, data, repeating, all_day)

    rule = None
    if rule_fields and zone and start:
        until = rule_fields.pop("until", None)
        until_local = None
        until_key = ("rrule",) if "rrule" in data else ("repeat", "until")
        if until is not None and not _year_in_range(report, until_key, until.value,
                                                    "the end year"):
            until = None
        if until is not None:
            until_local = until_as_local(until, lambda utc: last_local_not_after(utc, zone))
            if until_local < start:
                report.error(until_key, f"the series ends ({until_local:%Y-%m-%d %H:%M}) before it "
                             f"starts ({start:%Y-%m-%d %H:%M})", "check the end date and start")
        rule = build_rule(rule_fields, start, until_local)
        if not report.has_errors:
            first = first_occurrence(rule, start, years=FIRST_OCCURRENCE_SEARCH_YEARS)
            if first is None:
                key = ("rrule",) if "rrule" in data else ("repeat",)
                report.error(key, f"the rule gives no occurrence in the "
                             f"{FIRST_OCCURRENCE_SEARCH_YEARS} years after start",
                             "check that its days exist (there is no 30 February)")
            else:
                start = first
    if start is not None and rdates and rdates[0].value < start:
        report.error(rdates[0].key, f"{rdates[0].value.isoformat()} is before the first "
                     f"occurrence ({start.isoformat()})", "start must be the first meeting: "
                     "move start to the earliest date, or remove this one")

    if report.has_errors or draft:
        return None, report.problems
    return Event(
        slug=slug, title=title, category=category, timezone=zone, start=start,
        duration=duration, rule=rule, exdates=tuple(exdates), overrides=tuple(overrides),
        rdates=tuple(rdates),
        url=url, place=place, rsvp_url=rsvp_url, image=image, project=project, audience=audience,
        summary=summary, all_day=all_day, days=days or 1, description=raw.body,
        source=raw.display_path, positions=raw.positions,
        skip_holidays=skip_holidays if repeating else None, meets_on_holidays=meets_on_holidays,
        review_by=review_by, status=status, reason=reason), report.problems


def _end_of_front_matter(raw: RawFile) -> int:
    return max(raw.body_line - 1, 1)


def _missing_hint(key: str, categories) -> str:
    categories = categories or DEFAULT_CATEGORIES
    return {
        "title": 'add title = "Name of the event"',
        "category": f'add category = "{categories[0] if categories else "scrum"}" (one of: '
                    + ", ".join(categories) + ")",
        "timezone": 'add timezone = "Europe/London" (the IANA zone the event is planned in)',
        "start": "add start = 2027-03-01T07:00:00 (wall-clock time in the event's zone), or "
                 "date = 2027-07-10 for an all-day event",
        "duration": "add duration = 30 (minutes)",
    }[key]


def _is_int(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _text(report: _Reporter, data: dict, key: str, path: tuple = ()) -> str | None:
    """The text value of data[key] (None if absent or wrong); `path` locates `data`."""
    if key not in data or path + (key,) in report.rejected:
        return None
    value = data[key]
    if not isinstance(value, str) or not value.strip():
        report.error(path + (key,), f"must be {TEXT}, not {_value_words(value)}",
                     f'write {key} = "..."')
        return None
    return value.strip()


def _value_words(value) -> str:
    if isinstance(value, str):
        return "empty text" if not value.strip() else repr(value)
    if isinstance(value, bool):
        return f"{str(value).lower()} (true/false)"
    if isinstance(value, datetime):
        return f"a date-time ({value.isoformat()})"
    if isinstance(value, date):
        return f"a date ({value.isoformat()})"
    if isinstance(value, time):
        return f"a time of day ({value.isoformat()})"
    if isinstance(value, (list, dict)):
        return "a list" if isinstance(value, list) else "a table"
    return repr(value)


def _local_datetime(report: _Reporter, key: tuple, value) -> datetime | None:
    if isinstance(value, datetime):
        if value.tzinfo is not None:
            report.error(key, "write the wall-clock time without an offset or Z",
                         f"write {value.replace(tzinfo=None).isoformat()} and give the zone in "
                         "timezone")
            return None
        return value if _year_in_range(report, key, value) else None
    if isinstance(value, date):
        report.error(key, f"needs a time of day, not just the date {value.isoformat()}",
                     f"write {value.isoformat()}T19:00:00 with the real start time")
        return None
    if isinstance(value, str):
        report.error(key, f"{value!r} is text, not a date-time", _quoted_datetime_hint(value))
        return None
    report.error(key, f"must be {LOCAL_DATETIME}, not {_value_words(value)}")
    return None


def _quoted_datetime_hint(text: str) -> str:
    """How to write a date-time given as text: its own value without quotes. Text with Z or an
    offset is what a CMS's own TOML writer makes (Decap's: "2027-01-05T15:15:00.000Z", a moment
    in UTC): the file needs the wall clock of the event's zone instead, which only the editor
    knows (the CMS at /admin/ writes it so)."""
    try:
        moment = datetime.fromisoformat(text.strip().replace("Z", "+00:00"))
    except ValueError:
        return "remove the quotes: write 2027-03-01T07:00:00"
    if moment.tzinfo is not None:
        return ("this is a moment in UTC or with an offset, as a CMS's own TOML writes it: write "
                "the time as the clock shows it in the event's timezone, without quotes, like "
                f"{moment.replace(tzinfo=None, microsecond=0).isoformat()} if that is the local time")
    return f"remove the quotes: write {moment.replace(microsecond=0).isoformat()}"


def _local_date(report: _Reporter, key: tuple, value) -> date | None:
    """A whole day, as an all-day event's dates are written."""
    if isinstance(value, datetime):
        report.error(key, f"an all-day event's dates are days, not the time "
                     f"{value.isoformat()}", f"write {value.date().isoformat()}; or, for a "
                     "meeting at a time of day, use start and duration instead of date")
        return None
    if isinstance(value, date):
        return value if _year_in_range(report, key, value) else None
    if isinstance(value, str):
        try:
            example = date.fromisoformat(value.strip()).isoformat()
        except ValueError:
            example = "2027-07-10"
        report.error(key, f"{value!r} is text, not a date", f"remove the quotes: write {example}")
        return None
    report.error(key, f"must be {LOCAL_DATE}, not {_value_words(value)}")
    return None


def _moment(report: _Reporter, key: tuple, value, all_day: bool) -> datetime | None:
    """An occurrence's start as the event's kind writes it: a date-time, or, all day, a date
    (read as its local midnight)."""
    if not all_day:
        return _local_datetime(report, key, value)
    day = _local_date(report, key, value)
    return datetime.combine(day, time()) if day is not None else None


def _all_day_start(report: _Reporter, data: dict) -> datetime | None:
    for name in TIMED_ONLY_FIELDS:
        if name in data:
            report.error((name,), f"an all-day event (date = ...) has no {name}",
                         f"remove {name}; for several days write days = 3 or end_date = ...; "
                         "for a meeting at a time of day, remove date instead")
    return _moment(report, ("date",), data["date"], True)


def _days(report: _Reporter, data: dict, all_day: bool) -> int | None:
    """How many consecutive days each occurrence spans: `days`, or an all-day event's inclusive
    `end_date`. 1 when neither is given; None when what is given is wrong."""
    if "end_date" in data and "days" in data:
        report.error(("end_date",), "give either end_date or days, not both", "delete one of them")
        return None
    limit = MAX_ALL_DAY_DAYS if all_day else MAX_TIMED_DAYS
    if "end_date" in data:
        if not all_day:
            report.error(("end_date",), "end_date belongs to an all-day event (date = ...)",
                         "for a meeting at the same time on several days, write days = 3")
            return None
        first, last = data.get("date"), _local_date(report, ("end_date",), data["end_date"])
        if last is None or not isinstance(first, date) or isinstance(first, datetime):
            return None
        if last < first:
            report.error(("end_date",), f"the event ends ({last.isoformat()}) before it starts "
                         f"({first.isoformat()})", "end_date is the last day, inclusive")
            return None
        days = (last - first).days + 1
        if days > limit:
            report.error(("end_date",), f"{days} days are more than the {limit} an event may span",
                         "check the dates; for a long season of meetings, use [repeat]")
            return None
        return days
    if "days" not in data:
        return 1
    days = data["days"]
    if not _is_int(days) or not 1 <= days <= limit:
        what = "all-day event" if all_day else "event at a time of day"
        report.error(("days",), f"must be a whole number of days from 1 to {limit} for an {what}, "
                     f"not {_value_words(days)}", "write days = 3 for three days in a row")
        return None
    return days


def _year_in_range(report: _Reporter, key: tuple, value: date, what: str = "the year") -> bool:
    if EARLIEST_YEAR <= value.year <= LATEST_YEAR:
        return True
    report.error(key, f"{what} {value.year} is out of range",
                 f"dates must be in the years {EARLIEST_YEAR} to {LATEST_YEAR}; check for a typo")
    return False


def _duration(report: _Reporter, key: tuple, value) -> int | None:
    if not _is_int(value) or not 1 <= value <= MAX_DURATION_MINUTES:
        hint = "write the length in minutes, like duration = 25"
        if isinstance(value, float) and not math.isfinite(value):
            pass  # inf or nan: nothing to round
        elif isinstance(value, float) and 0 < value < 12:
            hint = (f"write minutes, not hours: {value:g} hours is duration = "
                    f"{round(value * 60)}")
        elif isinstance(value, float) and value > 0:
            hint = f"write whole minutes, like duration = {round(value) or 1}"
        elif isinstance(value, str) and value.strip().isdigit():
            hint = f"remove the quotes: write duration = {value.strip()}"
        report.error(key, f"must be a positive whole number of minutes (at most "
                     f"{MAX_DURATION_MINUTES}), not {_value_words(value)}", hint)
        return None
    return value


def _url(report: _Reporter, data: dict) -> str | None:
    url = _text(report, data, "url")
    if url is None:
        return None
    if not _is_web_address(url) or " " in url:
        report.error(("url",), f'"{url}" is not a web address',
                     'write the full join link, like "https://meet.jit.si/OurScrum"')
        return None
    return url


def _is_web_address(text: str) -> bool:
    """An http(s) address with a host. urlsplit raises ValueError on some malformed ones
    ("https://]x/", a port that is not a number): those are not addresses either."""
    try:
        parts = urlsplit(text)
        return parts.scheme in ("http", "https") and bool(parts.hostname) and (
            parts.port is None or parts.port > 0)
    except ValueError:
        return False


def _region(report: _Reporter, key: tuple, value) -> str | None:
    """A holiday region code ("GB-ENG"), or None after reporting what is wrong with it."""
    if not isinstance(value, str) or not value.strip():
        report.error(key, f'must be a region code like "GB-ENG", not {_value_words(value)}',
                     f'write {key[-1]} = "GB-ENG" (a country, or country-subdivision, code)')
        return None
    code = value.strip()
    if is_known_region(code):
        return code
    close = close_regions(code)
    report.error(key, f'unknown holiday region "{code}"',
                 ("did you mean " + " or ".join(f'"{c}"' for c in close) + "?") if close else
                 'use an ISO 3166 code: a country ("BR"), or country-subdivision ("GB-ENG", '
                 '"DE-BY", "US-CA")')
    return None


def _skip_holidays(report: _Reporter, data: dict,
                   site_default: str | None) -> tuple[str | None, bool]:
    """(the region whose holidays the event skips or None, whether it opted out with false)."""
    if "skip_holidays" not in data or ("skip_holidays",) in report.rejected:
        return site_default, False
    value = data["skip_holidays"]
    if value is False:
        return None, True
    if value is True:
        report.error(("skip_holidays",), "needs the region whose holidays to skip, not true",
                     f'write skip_holidays = "{site_default or "GB-ENG"}" (a country, or '
                     "country-subdivision, code)")
        return None, False
    return _region(report, ("skip_holidays",), value), False


def _review_by(report: _Reporter, data: dict) -> date | None:
    if "review_by" not in data:
        return None
    value = data["review_by"]
    if isinstance(value, date) and not isinstance(value, datetime):
        return value if _year_in_range(report, ("review_by",), value) else None
    report.error(("review_by",), f"must be a date like 2027-06-30, not {_value_words(value)}",
                 "write review_by = 2027-06-30 without quotes: the day by which an organiser "
                 "confirms the series still meets")
    return None


def _status(report: _Reporter, data: dict) -> tuple[str | None, str | None]:
    """(status, reason): both or neither; the page shows the reason beside the status."""
    status = None
    if "status" in data and ("status",) not in report.rejected:
        value = data["status"]
        if isinstance(value, str) and value.strip() in STATUSES:
            status = value.strip()
        else:
            guess = suggest(value, STATUSES) if isinstance(value, str) else None
            report.error(("status",), f'must be "cancelled" or "postponed", not '
                         f"{_value_words(value)}", guess or 'write status = "cancelled" (it '
                         'will not meet again) or status = "postponed" (no new date yet); to '
                         "cancel single meetings, use exdates")
    reason = _text(report, data, "reason")
    if "status" in data and "reason" not in data:
        report.error(("status",), "needs a reason", 'add reason = "..." (shown on the page '
                     "beside the status: say why, and where to go instead)")
    elif reason is not None and "status" not in data:
        report.error(("reason",), "a reason needs a status",
                     'add status = "cancelled" or "postponed", or delete reason')
        reason = None
    return status, reason


def _rule_fields(report: _Reporter, data: dict) -> dict | None:
    if "rrule" in data and "repeat" in data:
        report.error(("repeat",), "give either rrule or [repeat], not both",
                     "delete one of them")
        return None
    if "rrule" in data:
        text = data["rrule"]
        if ("rrule",) in report.rejected:
            return None
        if not isinstance(text, str):
            report.error(("rrule",), f"must be {TEXT}", 'write rrule = "FREQ=WEEKLY;BYDAY=MO"')
            return None
        fields, errors = parse_rrule(text)
        for error in errors:
            # +1: the position points at the opening quote of the value.
            offset = error.offset + 1 if error.offset is not None else 0
            report.error(("rrule",), error.message, error.hint, column_offset=offset)
        return fields
    if "repeat" in data:
        table = data["repeat"]
        if not isinstance(table, dict):
            report.error(("repeat",), "must be a table", 'write [repeat] on its own line, then '
                         'every = "week" below it')
            return None
        fields, errors = parse_repeat(table)
        for error in errors:
            report.error(("repeat",) + error.key, error.message, error.hint)
        return fields
    return None


def _rdates(report: _Reporter, data: dict, all_day: bool = False) -> list[RDate]:
    """Extra occurrences, sorted; the same date-time twice counts once."""
    if "rdates" not in data:
        return []
    values = data["rdates"]
    if not isinstance(values, list):
        report.error(("rdates",), "must be a list", "write rdates = [2027-04-02T07:00:00]")
        return []
    if len(values) > MAX_LIST_ENTRIES:
        _too_many(report, "rdates", len(values), "if the extra dates follow a pattern, write it "
                  "as [repeat] or rrule; otherwise split the series into several events")
        return []
    found: dict[datetime, RDate] = {}
    for index, value in enumerate(values):
        key = ("rdates", index)
        local = _moment(report, key, value, all_day)
        if local is not None:
            found.setdefault(local, RDate(local, key))
    return sorted(found.values(), key=lambda r: r.value)


def _exdates(report: _Reporter, data: dict, repeating: bool) -> list[ExDate]:
    if "exdates" not in data:
        return []
    values = data["exdates"]
    if not isinstance(values, list):
        report.error(("exdates",), "must be a list", "write exdates = [2027-03-26T07:00:00]")
        return []
    if len(values) > MAX_LIST_ENTRIES:
        _too_many(report, "exdates", len(values), "end the series with until (or count) where the "
                  "cancellations begin, and start a new event when it resumes")
        return []
    if not repeating:
        report.error(("exdates",), "only a repeating event can cancel occurrences",
                     "for a one-off event, set draft = true or delete the file")
    result = []
    for index, value in enumerate(values):
        key = ("exdates", index)
        if isinstance(value, datetime):
            local = _local_datetime(report, key, value)
            if local is not None:
                result.append(ExDate(local, key))
        elif isinstance(value, date):
            if _year_in_range(report, key, value):
                result.append(ExDate(value, key))
        else:
            report.error(key, f"must be a local date-time or a date, not {_value_words(value)}",
                         "write 2027-03-26T07:00:00 or 2027-03-26 without quotes")
    return result


def _overrides(report: _Reporter, data: dict, repeating: bool,
               all_day: bool = False) -> list[Override]:
    if "overrides" not in data:
        return []
    tables = data["overrides"]
    if not isinstance(tables, list) or not all(isinstance(t, dict) for t in tables):
        report.error(("overrides",), "must be [[overrides]] tables",
                     "write [[overrides]], then original = ... and start = ... below it")
        return []
    if not repeating:
        report.error(("overrides",), "only a repeating event can have overrides",
                     "for a one-off event, change start or duration instead")
        return []
    if len(tables) > MAX_LIST_ENTRIES:
        _too_many(report, "overrides", len(tables), "if many meetings moved the same way, change "
                  "start or the rule instead, or split the series into several events")
        return []
    result, seen = [], set()
    for index, table in enumerate(tables):
        key = ("overrides", index)
        for name in table:
            if name not in OVERRIDE_FIELDS:
                report.error(key + (name,), f'unknown field "{name}" in [[overrides]]',
                             suggest(name, OVERRIDE_FIELDS) or "fields: " + ", ".join(OVERRIDE_FIELDS))
        if "original" not in table:
            report.error(key, "original is missing", "add original = <the local date-time the "
                         "occurrence would have had>")
            continue
        original = _moment(report, key + ("original",), table["original"], all_day)
        start = (_moment(report, key + ("start",), table["start"], all_day)
                 if "start" in table else None)
        duration = None
        if "duration" in table and all_day:
            report.error(key + ("duration",), "an all-day event's occurrences last whole days",
                         "remove duration; to change the days, write a separate one-off event")
        elif "duration" in table:
            duration = _duration(report, key + ("duration",), table["duration"])
        title = _text(report, table, "title", key)
        unknown = set(table) - set(OVERRIDE_FIELDS)
        if not ({"start", "duration", "title"} & set(table)) and not unknown:
            report.error(key, "an override must change start, duration or title",
                         "to cancel an occurrence, add it to exdates instead")
        if original is None:
            continue
        if original in seen:
            report.error(key + ("original",), f"{original.isoformat()} is overridden twice",
                         "merge the two [[overrides]]")
        seen.add(original)
        result.append(Override(original, start, duration, title, key))
    return result


def _too_many(report: _Reporter, name: str, count: int, hint: str) -> None:
    report.error((name,), f"{count:,} entries are more than the {MAX_LIST_ENTRIES:,} allowed: each "
                 "one is written into every calendar that holds the event, and calendar apps slow "
                 "down or give up on thousands", hint)


# --- what no value may be -------------------------------------------------------------------

_NESTING_HINT = ("an event needs at most a list of tables ([[overrides]]): look for a stray "
                 "[ or { there")


def check_values(report: _Reporter, data: dict) -> bool:
    """Check every value a file holds for what no field may hold, whatever the field: nesting
    deeper than MAX_NESTING, integers beyond 64 bits, text that is too long or holds control
    characters. Text found unusable is put in `report.rejected`, so that field checks skip it.
    False if the file must not be looked at further (its structure is hostile)."""
    return _check_container(report, (), "", data, 0)  # the file itself is not nesting


def _check_container(report: _Reporter, key: tuple, name: str, value, depth: int) -> bool:
    """`name`: the nearest field name above the values, for their length limit. Recursion is
    bounded: it stops at MAX_NESTING."""
    if depth > MAX_NESTING:
        report.error(key, f"lists or tables are nested more than {MAX_NESTING} deep",
                     _NESTING_HINT)
        return False
    sound = True
    for part, item in (value.items() if isinstance(value, dict) else enumerate(value)):
        kind = type(item)
        if kind is str:
            if len(item) > DEFAULT_TEXT_LIMIT or FORBIDDEN_IN_SETTINGS.search(item):
                _check_text(report, key + (part,), part if isinstance(part, str) else name, item)
        elif kind is int:
            if not -LARGEST_INTEGER - 1 <= item <= LARGEST_INTEGER:
                report.error(key + (part,), "the number is too large",
                             "TOML numbers must fit in 64 bits: check for a typo")
                sound = False
        elif kind is dict or kind is list:
            inner = part if isinstance(part, str) else name
            if not _check_container(report, key + (part,), inner, item, depth + 1):
                return False
    return sound


def _check_text(report: _Reporter, key: tuple, name: str, value: str) -> None:
    """One text value; `name` is its field's, for the length limit."""
    limit = TEXT_LIMITS.get(name, DEFAULT_TEXT_LIMIT)
    if len(value) > limit:
        report.error(key, f"the text is {len(value):,} characters long, more than the {limit:,} "
                     "allowed here", "shorten it: longer text belongs in the description, below "
                     "the closing +++" if name != "url" else "use the meeting's short link")
        report.rejected.add(key)
    unwanted = FORBIDDEN_IN_SETTINGS.search(value)
    if unwanted is None:
        return
    char = unwanted.group()
    position = _written_at(report.raw, key, lambda c: bool(FORBIDDEN_IN_SETTINGS.match(c)))
    report.error(key, f"the text holds {character_words(char)}", _character_hint(report.raw, char,
                                                                                 position),
                 position=position)
    report.rejected.add(key)


def _written_at(raw: RawFile, key: tuple, wanted) -> tuple[int, int] | None:
    """Where in the file the first character of a string value that `wanted` is written."""
    text = getattr(raw.positions, "text", None)
    start = raw.positions.get(key) if text is not None else None
    if start is None or start[1] is None:
        return None
    return string_character_position(text, start, wanted, raw.positions.first_line)


def _character_hint(raw: RawFile, char: str, position) -> str:
    written = None
    text = getattr(raw.positions, "text", None)
    if position is not None and text is not None:
        line = text.split("\n")[position[0] - raw.positions.first_line]
        escape = re.match(r"\\(?:u[0-9A-Fa-f]{4}|U[0-9A-Fa-f]{8}|.)", line[position[1] - 1:])
        written = escape.group() if escape else None
    if written:
        return f"delete the {written} there: settings hold one line of plain text"
    if char in "\n\r\u2028\u2029":
        return ("keep the setting on one line; longer text belongs in the description, below "
                "the closing +++")
    if 0x202A <= ord(char) <= 0x202E or 0x2066 <= ord(char) <= 0x2069:
        return ("delete it: it makes text show in another order than it is written, and is "
                "invisible in most editors")
    return "delete it: it is invisible in most editors"


# --- addresses ------------------------------------------------------------------------------

def _address_fits(report: _Reporter, key: tuple, slug: str) -> bool:
    size = len(slug.encode("utf-8"))
    if size <= MAX_ADDRESS_BYTES:
        return True
    report.error(key, f"its address would be {size} bytes long, more than the "
                 f"{MAX_ADDRESS_BYTES} a folder name may have", "shorten the name")
    return False


def _file_name_hint(slug: str) -> str:
    suggestion = slugify(slug)
    if suggestion and suggestion == unicodedata.normalize("NFC", slug):
        return (f'retype the name as "{suggestion}.md": it looks the same, but its accents are '
                "stored as separate marks (as macOS does)")
    return f'use lowercase letters, digits and hyphens, like "{suggestion or "my-event"}.md"'


def address_problems(events: Iterable[Event]) -> list[Problem]:
    """Different project names that give one address ("Web Site" and "web-site" are both
    /projects/web-site/) would share a page and a calendar: an error on each name but the
    first, in file order, naming the first and its file. Runs over every event of the build at
    once (the per-event checks cannot see this); pure."""
    first: dict[str, Event] = {}
    problems = []
    for event in sorted(events, key=lambda e: e.source):
        if not event.project:
            continue
        address = slugify(event.project)
        other = first.setdefault(address, event)
        if other.project != event.project:
            line, column = event.position("project") or (None, None)
            problems.append(Problem(
                event.source, line, column, "project",
                f'"{event.project}" gets the same address as "{other.project}" in {other.source} '
                f"(projects/{address}/)",
                'write the two names the same way, or make them differ in a letter or digit'))
    return problems
