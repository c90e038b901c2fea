"""Session records: content/sessions/<event slug>/<YYYY-MM-DD>[-HHMM].md, read, checked and
attached to their event's occurrences, with every problem located (file, line, field).

A session file is shaped like an event file: TOML front matter between +++ lines, then Markdown,
the notes. Its name is the occurrence's scheduled local date (and time, when the event meets
more than once that day): which occurrence it is about is decided by the series, in
schedule/sessions.py; what is wrong with a name that matches none is told here.
"""
from __future__ import annotations

import re
from dataclasses import replace
from datetime import date, datetime, time
from pathlib import Path

from ..model import Event, Problem, RawFile, Session, SessionLink
from ..schedule.dates import clock, long_day
from ..schedule.expand import starts_on
from ..schedule.sessions import (Matched, TimeNeeded, TimeNotNeeded, match_session,
                                 matched_session)
from .load import display_path, parse_event_text
from .rules import suggest
from .web_address import https_fault
from .validate import (EARLIEST_YEAR, LATEST_YEAR, TEXT, _Reporter, _text, _value_words,
                       check_values)

# Links a session may list: slides, a write-up, the pull requests of a review.
MAX_SESSION_LINKS = 50
# Hosts, as written: a pairing session has two, a panel a few.
MAX_HOSTS = 20

_NAME = re.compile(r"(?P<day>\d{4}-\d\d-\d\d)(?:-(?P<time>\d{4}))?")
_NAME_HINT = ("name it by the meeting's date in the event's zone, like 2027-01-05.md (or "
              "2027-01-05-1400.md, with its start time, when the event meets more than once "
              "that day)")


# --- the file's name -------------------------------------------------------------------------

def session_name(path: Path) -> tuple[date | None, time | None, Problem | None]:
    """(day, time or None, None) from a session file's name, or (None, None, what is wrong)."""
    shown = display_path(path)
    match = _NAME.fullmatch(path.stem)
    if match is None:
        return None, None, Problem(shown, None, None, None,
                                   f'"{path.name}" is not a session file name', _NAME_HINT)
    try:
        day = date.fromisoformat(match["day"])
    except ValueError:
        return None, None, Problem(shown, None, None, None,
                                   f'"{match["day"]}" in the file name is not a date',
                                   "check the month and the day: the name is the date of the "
                                   "meeting, year-month-day")
    if not EARLIEST_YEAR <= day.year <= LATEST_YEAR:
        return None, None, Problem(shown, None, None, None,
                                   f"the year {day.year} in the file name is out of range",
                                   f"a session's year is between {EARLIEST_YEAR} and "
                                   f"{LATEST_YEAR}: check for a typo")
    at = None
    if match["time"] is not None:
        hours, minutes = int(match["time"][:2]), int(match["time"][2:])
        if hours > 23 or minutes > 59:
            return None, None, Problem(shown, None, None, None,
                                       f'"{match["time"]}" in the file name is not a time of day',
                                       "write the local start time as four digits, 24-hour: "
                                       "1400 for 2 pm")
        at = time(hours, minutes)
    return day, at, None


def session_key(day: date, at: time | None) -> str:
    """The file name (without .md) of the session on `day` at `at`: as Session.key says."""
    return day.isoformat() if at is None else f"{day.isoformat()}-{at:%H%M}"


# --- the front matter ------------------------------------------------------------------------

def _https(report: _Reporter, data: dict, key: tuple, example: str) -> str | None:
    """An https address: visitors follow it from our pages."""
    value = _lookup(data, key)
    if not isinstance(value, str) or not value.strip():
        report.error(key, f"must be {TEXT}, not {_value_words(value)}",
                     f'write {key[-1]} = "{example}"')
        return None
    url = value.strip()
    fault = https_fault(url)
    if fault == "http":
        report.error(key, f'"{url}" is not secure (http://)',
                     "use its https:// address (most sites have one)")
        return None
    if fault is not None:
        report.error(key, f'"{url}" is not a web address', f'write the full address, like "{example}"')
        return None
    return url


def _lookup(data: dict, key: tuple):
    for part in key:
        data = data[part]
    return data


def _title(report: _Reporter, data: dict) -> str | None:
    return _text(report, data, "title")


def _hosts(report: _Reporter, data: dict) -> tuple[str, ...]:
    value = data["host"]
    names = [value] if isinstance(value, str) else value
    if (not isinstance(names, list) or not names
            or not all(isinstance(n, str) and n.strip() for n in names)):
        report.error(("host",), f"must be a name in quotes or a list of names, not "
                     f"{_value_words(value)}", 'write host = "Sam Joseph", or host = ["Sam '
                     'Joseph", "Ana Lima"] for several')
        return ()
    if len(names) > MAX_HOSTS:
        report.error(("host",), f"lists {len(names)} hosts, more than {MAX_HOSTS}",
                     "name who ran the session; the notes can thank everyone else")
        return ()
    return tuple(dict.fromkeys(n.strip() for n in names))


def _status(report: _Reporter, data: dict) -> bool:
    value = data["status"]
    if isinstance(value, str) and value.strip() == "cancelled":
        return True
    if isinstance(value, str) and value.strip() == "postponed":
        report.error(("status",), "a single meeting is cancelled or moved, not postponed",
                     'write status = "cancelled" (with the reason), and add the new date to '
                     "the event's rdates, or move this meeting with [[overrides]] in the event "
                     "file")
        return False
    guess = suggest(value, ["cancelled"]) if isinstance(value, str) else None
    report.error(("status",), f'must be "cancelled", not {_value_words(value)}',
                 guess or 'write status = "cancelled" if the meeting does not take place; '
                 "otherwise delete status")
    return False


def _links(report: _Reporter, data: dict) -> tuple[SessionLink, ...]:
    value = data["links"]
    hint = ('write each link as a table: [[links]] on its own line, then title = "Slides" and '
            'url = "https://..." under it')
    if not isinstance(value, list) or not all(isinstance(item, dict) for item in value):
        report.error(("links",), f"must be [[links]] tables, not {_value_words(value)}", hint)
        return ()
    if len(value) > MAX_SESSION_LINKS:
        report.error(("links",), f"lists {len(value)} links, more than {MAX_SESSION_LINKS}",
                     "link to one page that lists the rest")
        return ()
    links = []
    for index, item in enumerate(value):
        for name in item:
            if name not in LINK_FIELDS:
                report.error(("links", index, name), f'unknown field "{name}"',
                             suggest(name, LINK_FIELDS) or "a link has: " + ", ".join(LINK_FIELDS))
        missing = [name for name in LINK_FIELDS if name not in item]
        for name in missing:
            report.error(("links", index), f"has no {name}",
                         'add title = "Slides"' if name == "title" else
                         'add url = "https://..."')
        title = _text(report, item, "title", ("links", index)) if "title" in item else None
        url = (_https(report, data, ("links", index, "url"), "https://slides.example.org/42")
               if "url" in item and ("links", index, "url") not in report.rejected else None)
        if title and url:
            links.append(SessionLink(title, url))
    return tuple(links)


LINK_FIELDS = ("title", "url")

# Every field a session file may have: name -> (what it must be, how it is read into
# Session's fields). The reader gets the reporter and the front matter; it reports what is
# wrong and returns the value (or None / an empty tuple).
SESSION_FIELDS = {
    "title": (TEXT, lambda report, data: {"title": _title(report, data)}),
    "host": ("a name, or a list of names", lambda report, data: {"hosts": _hosts(report, data)}),
    "recording": ("an https:// address", lambda report, data: {
        "recording": _https(report, data, ("recording",), "https://www.youtube.com/watch?v=...")}),
    "url": ("an https:// address", lambda report, data: {
        "url": _https(report, data, ("url",), "https://meet.jit.si/OurScrum")}),
    "status": ('"cancelled"', lambda report, data: {"cancelled": _status(report, data)}),
    "reason": (TEXT, lambda report, data: {"reason": _text(report, data, "reason")}),
    "links": ("[[links]] tables", lambda report, data: {"links": _links(report, data)}),
}
_MISPLACED = {  # fields people write that the file's name or body holds instead
    "date": "the file's name is the meeting's date: 2027-01-05.md",
    "start": "the file's name is the meeting's date: 2027-01-05.md (and the event file its time)",
    "notes": "write the notes below the closing +++, in Markdown",
    "description": "write the notes below the closing +++, in Markdown",
}


def load_session(path: Path, data: bytes, event_slug: str) -> tuple[Session | None, list[Problem]]:
    """One session file's bytes -> a Session (not yet matched to an occurrence), or None and
    every problem in it."""
    day, at, bad_name = session_name(path)
    problems = [bad_name] if bad_name else []
    try:
        text = data.decode("utf-8-sig").replace("\r\n", "\n").replace("\r", "\n")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        return None, problems + [Problem(display_path(path), line, None, None,
                                         "the file is not valid UTF-8 text",
                                         "save it as UTF-8 (the default in most editors and on "
                                         "GitHub)")]
    raw, parse_problems = parse_event_text(path, text, body_field="notes")
    problems += parse_problems
    if raw is None:
        return None, problems
    fields, field_problems = _check_fields(raw)
    problems += field_problems
    if any(p.is_error for p in problems) or fields is None:
        return None, problems
    return Session(event=event_slug, day=day, time=at, source=raw.display_path,
                   notes=raw.body, positions=raw.positions, **fields), problems


def _check_fields(raw: RawFile) -> tuple[dict | None, list[Problem]]:
    report = _Reporter(raw)
    data = raw.data
    if not check_values(report, data):
        return None, report.problems
    fields = {}
    for key in data:
        if key not in SESSION_FIELDS:
            report.error((key,), f'unknown field "{key}"',
                         _MISPLACED.get(key) or suggest(key, SESSION_FIELDS)
                         or "fields: " + ", ".join(SESSION_FIELDS))
        elif (key,) not in report.rejected:
            fields.update({k: v for k, v in SESSION_FIELDS[key][1](report, data).items()
                           if v is not None})
    cancelled = fields.get("cancelled", False)
    if "status" in data and "reason" not in data:
        report.error(("status",), "needs a reason", 'add reason = "..." (shown beside the date: '
                     "say why, and where to go instead)")
    if cancelled:
        for key, words in (("recording", "recording"), ("url", "join link")):
            if key in data:
                report.error((key,), f"a cancelled session has no {words}",
                             f'delete {key}, or delete status = "cancelled" if the meeting '
                             "took place")
    return fields, report.problems


# --- matching records to occurrences ---------------------------------------------------------

def attach_sessions(event: Event, sessions: list[Session]) -> tuple[Event, list[Problem]]:
    """The event with its sessions matched to their occurrences (Event.sessions, in start
    order), and a problem for each record that matches none."""
    matched, problems = [], []
    for session in sessions:
        found = match_session(event, session.day, session.time)
        problem = match_problem(event, session.source, session.day, session.time, found,
                                session.cancelled, session.positions)
        if problem is None:
            matched.append(matched_session(session, found))
        else:
            problems.append(problem)
    matched.sort(key=lambda s: (s.start, s.key))
    return replace(event, sessions=tuple(matched)), problems


def match_problem(event: Event, source: str, day: date, at: time | None, found,
                  cancelled: bool = False, positions=None,
                  fix: tuple[str, str] = ("rename the file ", ".md")) -> Problem | None:
    """What is wrong with the record `source` (named `day`, `at`) given what matching found,
    or None when it names a meeting it may describe. `fix`: how a hint offers the right names
    (the words before them, and their ending)."""
    def session_problem(message: str, hint: str | None, key: tuple = ()) -> Problem:
        line, column = (positions or {}).get(key, (None, None)) if key else (None, None)
        return Problem(source, line, column, key[0] if key else None, message, hint)

    if isinstance(found, Matched):
        return _matched_problem(event, session_problem, found, cancelled)
    return _unmatched_problem(event, session_problem, day, at, found, fix)


def _when(local: datetime, all_day: bool = False) -> str:
    return long_day(local.date()) if all_day else f"{long_day(local.date())} at {clock(local)}"


def _name_of(event: Event, local: datetime, ending: str = ".md") -> str:
    """The file name a session of the meeting at `local` has."""
    several = len(starts_on(event, local.date())) > 1
    return session_key(local.date(), local.time() if several else None) + ending


def _matched_problem(event: Event, session_problem, found: Matched, cancelled: bool) -> Problem | None:
    when = _when(found.local, event.all_day)
    if found.cancelled_by is not None and not cancelled:
        if found.cancelled_by == "exdates":
            return session_problem(f"the meeting of {when} is cancelled by exdates in "
                           f"{event.source}", 'to say why, add status = "cancelled" and a '
                           "reason here; if it takes place, remove it from exdates")
        return session_problem(f"the meeting of {when} does not take place: it is "
                       f"{found.cancelled_by}, a holiday skip_holidays skips",
                       "delete this file; or, if it takes place, add [[overrides]] with "
                       f"original = {found.local.isoformat()} to {event.source}")
    if cancelled and not event.repeats:
        return session_problem("cancels the only meeting of a one-off event",
                       f'write status = "cancelled" and the reason in {event.source} instead',
                       ("status",))
    return None


def _unmatched_problem(event: Event, session_problem, on: date, at: time | None, found,
                       fix: tuple[str, str]) -> Problem:
    day = long_day(on)
    rename, ending = fix
    if isinstance(found, TimeNeeded):
        names = [session_key(on, t) + ending for t in found.times]
        return session_problem(f"{event.title} meets {len(found.times)} times on {day}: the "
                       "file name must say which meeting", rename + _either(names))
    if isinstance(found, TimeNotNeeded):
        return session_problem(f"{event.title} meets once on {day}, at {clock(found.local)}: "
                       "the file name takes no time", rename + session_key(on, None) + ending)
    if found.times:
        names = [session_key(on, t) + ending for t in found.times]
        times = [t.strftime("%H:%M") for t in found.times]
        return session_problem(f"{event.title} does not meet at {at:%H:%M} on {day}",
                       f"that day it meets at {_either(times, 'and')}: " + rename
                       + _either(names))
    if found.moved_here is not None:
        return session_problem(f"{event.title} has no meeting scheduled on {day}",
                       f"an override moves the meeting of {_when(found.moved_here, event.all_day)}"
                       " to this day, and a session is named by the date the series gives it: "
                       + rename + _name_of(event, found.moved_here, ending))
    nearest = [local for local in (found.before, found.after) if local is not None]
    if not nearest:
        return session_problem(f"{event.title} has no meeting on {day}",
                       "delete this file: the series has no meeting within 20 years of it")
    names = [_name_of(event, local, ending) for local in nearest]
    dates = [_when(local, event.all_day) for local in nearest]
    return session_problem(f"{event.title} has no meeting on {day}",
                   f"the nearest {'is' if len(nearest) == 1 else 'are'} {_either(dates, 'and')}: "
                   + rename + _either(names))


def _either(items: list[str], word: str = "or") -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + f" {word} " + items[-1]
