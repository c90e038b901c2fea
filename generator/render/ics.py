"""iCalendar (RFC 5545) feeds: one VEVENT per event with its rule, not a list of instances.

Written by hand rather than with the icalendar package: the output must be byte-stable across
builds (fixed property order, no clock), and the format we write is small. Tests read it back
with ical.js (Thunderbird's parser) and with the icalendar package.
"""
from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime, time, timedelta
from typing import Iterable

from ..content.rules import format_rrule
from ..content.validate import FIRST_OCCURRENCE_SEARCH_YEARS
from ..model import Event, Revision, Rule, Session, Site
from ..schedule.expand import cancellations, cancelled_starts, is_series_start, series_starts
from ..schedule.recurrence import first_occurrence, last_rule_start
from ..schedule.zones import clock_change_days, is_ambiguous, latest_instant, to_local, to_utc
from .language import Language, language_for
from .occurrence_sessions import session_scheduled_instant
from .place import coordinate
from .vtimezone import vtimezone_lines

PRODUCT_ID = "-//Nextup//Nextup static event site//EN"
# How often calendar apps should fetch a feed again: the scheduled rebuild's period
# (.github/workflows/refresh.yml; a test checks that the two agree).
REFRESH_INTERVAL = "PT6H"


def escape_text(text: str) -> str:
    """TEXT value escaping (RFC 5545 3.3.11)."""
    return (text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
            .replace("\r\n", "\\n").replace("\n", "\\n").replace("\r", "\\n"))


def fold(line: str) -> str:
    """Fold a content line at 75 octets without splitting a UTF-8 character (RFC 5545 3.1)."""
    if len(line) <= 75 and line.isascii():
        return line
    encoded = line.encode("utf-8")
    if len(encoded) <= 75:
        return line
    pieces, start, limit = [], 0, 75
    while start < len(encoded):
        end = min(start + limit, len(encoded))
        while end < len(encoded) and encoded[end] & 0xC0 == 0x80:  # inside a character
            end -= 1
        pieces.append(encoded[start:end].decode("utf-8"))
        start, limit = end, 74  # continuation lines start with a space
    return "\r\n ".join(pieces)


def vevent_text(lines: list[str]) -> str:
    """An event's VEVENT lines, folded and joined, ready to go into any calendar."""
    return "\r\n".join(fold(line) for line in lines)


def _local(moment: datetime) -> str:
    return moment.strftime("%Y%m%dT%H%M%S")


def _utc(moment: datetime) -> str:
    return moment.strftime("%Y%m%dT%H%M%SZ")


def _duration(minutes: int) -> str:
    days, rest = divmod(minutes, 24 * 60)
    hours, mins = divmod(rest, 60)
    text = "P" + (f"{days}D" if days else "")
    if hours or mins:
        text += "T" + (f"{hours}H" if hours else "") + (f"{mins}M" if mins else "")
    return text


def uid(event: Event, site: Site) -> str:
    return f"{event.slug}@{site.host}"


@dataclass(frozen=True, slots=True)
class _Series:
    """One VEVENT's share of an event: all of it, or, for times of day that one RRULE cannot
    state (09:00 and 15:30: BYHOUR x BYMINUTE would also give 09:30 and 15:00), one time."""

    uid: str
    start: datetime  # the VEVENT's DTSTART, local
    rule: Rule | None
    time: time | None  # the time of day this VEVENT holds; None: every time


def _series_of(event: Event, site: Site) -> list[_Series]:
    rule = event.rule
    # Several times of day are one VEVENT per time even where BYHOUR x BYMINUTE could state
    # them: Outlook keeps one start time per series ([MS-OXCICAL] 2.1.3.2.2, common-parts: one
    # BYHOUR, one BYMINUTE). Only a COUNT, which runs across the times, keeps them in one RRULE
    # (check warns: content/outlook.py).
    if (rule is None or len(rule.times) < 2
            or (rule.count is not None and rule.hours_and_minutes is not None)):
        return [_Series(uid(event, site), event.start, rule, None)]
    found = []
    for moment in rule.times:
        single = replace(rule, times=(moment,))
        start = first_occurrence(single, event.start, FIRST_OCCURRENCE_SEARCH_YEARS)
        if start is not None:
            found.append(_Series(f"{event.slug}-{moment:%H%M}@{site.host}", start, single,
                                 moment))
    return found


def event_lines(event: Event, site: Site, page_url: str, category_label: str,
                description: str, revision: Revision,
                window: tuple[datetime, datetime]) -> list[str]:
    """The VEVENT of a series (one per time of day, if its times need several), then one VEVENT
    per changed occurrence (RECURRENCE-ID).

    Changed occurrences are the editor's overrides, plus occurrences in the `window` (UTC) whose
    wall-clock start or end is skipped or repeated by a clock change, or that span one: those are
    restated in UTC so that every client shows the instants RFC 5545 means, whatever it does with
    such local times (ical.js adds DURATION to the wall clock, not to the instant).
    """
    zone = event.timezone
    language = language_for(site.language)
    # DTSTAMP is required; with no history it falls back to a value that never changes.
    stamp = revision.modified or to_utc(event.start, zone)
    stamps = [f"DTSTAMP:{_utc(stamp)}"]
    if revision.modified:
        stamps.append(f"LAST-MODIFIED:{_utc(revision.modified)}")
    stamps.append(f"SEQUENCE:{revision.sequence}")
    tail = _tail(event, category_label, page_url, (_status_words(event, language), description),
                 event.url, ics_status(event), language)
    # Session records with something of their own to say (a join link, a note, a title) restate
    # their occurrence (RECURRENCE-ID); cancelled ones do too, with STATUS:CANCELLED and the
    # reason, beside the EXDATE that cancels them (docs/feed.md says why both).
    sessions = calendar_sessions(event, window)
    session_tails = {local: _session_tail(event, session, category_label, page_url, description,
                                           language)
                     for local, session in sessions.items()}
    summary = event.title
    if not event.repeats and sessions:
        # One meeting: its record's words are the event's own (a RECURRENCE-ID names an instance
        # of a recurring event), and a cancelled record cancels it.
        (local, session), = sessions.items()
        summary, tail = _session_summary(event.title, session, language), session_tails[local]
        sessions, session_tails = {}, {}
    if event.all_day:
        return _all_day_lines(event, site, stamps, tail, window, summary, sessions,
                              session_tails)

    cancelled = cancelled_starts(event) if event.repeats else []
    if event.skip_holidays:
        # Holidays are computed at build time: their EXDATEs reach from a year back to the
        # window's end (see holiday_exdates).
        cancelled = sorted(set(cancelled) | set(holiday_exdates(event, window)))
    changed = {local: (local, event.duration, event.title)
               for local in ambiguous_starts(event, window)}  # original local start -> change
    for override in event.overrides:
        if is_series_start(event, override.original):
            changed[override.original] = (override.start or override.original,
                                          override.duration or event.duration,
                                          override.title or event.title)
    for local, session in sessions.items():
        if local not in changed and not session.cancelled:
            changed[local] = (local, event.duration, event.title)
    lines = []
    series_list = _series_of(event, site)
    for index, series in enumerate(series_list):
        def own(local: datetime) -> bool:  # a start of this VEVENT's series
            return series.time is None or local.time().replace(second=0) == series.time

        head = [f"UID:{series.uid}", *stamps]
        # A series' DTSTART stays local: its RRULE repeats in wall-clock time. A one-off is a
        # single occurrence, stated in UTC where clients could misread it.
        dtstart = (f"DTSTART;TZID={zone}:{_local(series.start)}" if event.repeats
                   else _dtstart(series.start, event.duration, zone))
        lines += ["BEGIN:VEVENT", *head, dtstart, f"DURATION:{_duration(event.duration)}"]
        if series.rule is not None:
            lines.append(f"RRULE:{format_rrule(series.rule, until_instant(event, series.rule, series.start))}")
        if event.rdates and index == 0:  # extra dates belong to no rule: the first VEVENT has them
            lines.append(f"RDATE;TZID={zone}:" + ",".join(_local(r.value) for r in event.rdates))
        mine = [c for c in cancelled if own(c) or (index == 0 and c in _rdate_starts(event))]
        if mine:
            lines.append(f"EXDATE;TZID={zone}:" + ",".join(_local(c) for c in mine))
        lines += [f"SUMMARY:{escape_text(summary)}", *tail]
        cancelled_sessions = {local: (local, event.duration, event.title)
                              for local, session in sessions.items() if session.cancelled}
        for original in sorted(changed.keys() | cancelled_sessions.keys()):
            session = sessions.get(original)
            if original in cancelled and not (session and session.cancelled):
                continue
            if not (own(original) or (index == 0 and original in _rdate_starts(event))):
                continue
            start, minutes, title = cancelled_sessions.get(original) or changed[original]
            lines += ["BEGIN:VEVENT", *head, f"RECURRENCE-ID;TZID={zone}:{_local(original)}",
                      _dtstart(start, minutes, zone), f"DURATION:{_duration(minutes)}",
                      f"SUMMARY:{escape_text(_session_summary(title, session, language))}"]
            lines += session_tails.get(original, tail)
    return lines


def calendar_sessions(event: Event, window: tuple[datetime, datetime]) -> dict[datetime, Session]:
    """Original local start -> session record, for the records the calendar restates: matched
    ones with a join link, a note or a title of their own, and cancelled ones, whose meeting was
    scheduled from a year before the window (UTC bounds) on, as holiday EXDATEs are kept (past
    that, their EXDATE stays, and the series' own description suffices). An input of the
    VEVENT (see vevent_inputs): session files change without the event's file."""
    since = window[0] - HOLIDAY_EXDATES_KEPT
    found = {}
    for session in event.sessions:
        scheduled = session_scheduled_instant(session)
        if scheduled is None or scheduled < since:
            continue
        if session.cancelled or session.url or session.reason or session.title:
            found[to_local(scheduled, event.timezone)] = session
    return found


def session_page_url(page_url: str, session: Session) -> str:
    """The session's page (/events/<slug>/<key>/), from its event's page address."""
    return f"{page_url}{session.key}/"


def _session_summary(title: str, session: Session | None, language: Language) -> str:
    """"Cancelled: EuroAsia Scrum" (legible even where a client ignores STATUS); "EuroAsia
    Scrum: Sprint 42 review" for a titled session."""
    if session is None:
        return title
    if session.cancelled:
        return language.gettext("Cancelled: %(title)s", title=title)
    return f"{title}: {session.title}" if session.title else title


def _session_tail(event: Event, session: Session, category_label: str, page_url: str,
                  description: str, language: Language) -> list[str]:
    """The lines after SUMMARY of a session's RECURRENCE-ID VEVENT: its note or reason first in
    DESCRIPTION, its page as URL, its own join link (else the event's) where the series has
    the event's. A cancelled one is STATUS:CANCELLED and TRANSP:TRANSPARENT (no busy time)."""
    url = session_page_url(page_url, session)
    if session.cancelled:
        words = (language.gettext("Cancelled: %(reason)s", reason=session.reason)
                 if session.reason else language.gettext("Cancelled."))
        return _tail(event, category_label, url, (words,), None, "CANCELLED", language,
                     transparent=True)
    note = language.gettext("Note: %(reason)s", reason=session.reason) if session.reason else ""
    return _tail(event, category_label, url, (_status_words(event, language), note, description),
                 session.url or event.url, ics_status(event), language)


def _tail(event: Event, category_label: str, page_url: str, texts, join: str | None,
          status: str, language: Language, transparent: bool = False) -> list[str]:
    """A VEVENT's lines after SUMMARY: DESCRIPTION (`texts`, then the page and the join link),
    URL, CATEGORIES, LOCATION (and GEO), STATUS."""
    # TRANSLATORS: in a calendar event's description: the event's page, then where to join.
    details = "\n\n".join(p for p in (*texts, language.gettext("Details: %(url)s", url=page_url),
                                      language.gettext("Join: %(url)s", url=join) if join else "")
                          if p)
    tail = [f"DESCRIPTION:{escape_text(details)}", f"URL:{page_url}",
            f"CATEGORIES:{escape_text(category_label)}"]
    if event.place is not None:
        # The place where people meet; a hybrid event's join link stays in DESCRIPTION.
        tail.append(f"LOCATION:{escape_text(event.place.one_line())}")
        if event.place.geo is not None:
            tail.append("GEO:" + ";".join(coordinate(v) for v in event.place.geo))
    elif join:
        tail.append(f"LOCATION:{escape_text(join)}")
    if transparent and not event.all_day:  # all-day VEVENTs say TRANSP after SUMMARY already
        tail.append("TRANSP:TRANSPARENT")
    return tail + [f"STATUS:{status}", "END:VEVENT"]


def _day(moment: datetime) -> str:
    return moment.strftime("%Y%m%d")


def _all_day_lines(event: Event, site: Site, stamps: list[str], tail: list[str],
                   window: tuple[datetime, datetime], summary: str,
                   sessions: dict[datetime, Session],
                   session_tails: dict[datetime, list[str]]) -> list[str]:
    """An all-day event's VEVENTs: dates, not times (RFC 5545 3.6.1: DTSTART;VALUE=DATE with the
    day after the last as DTEND), so every calendar shows the same days in every zone; no TZID,
    no clock change to misread. TRANSP:TRANSPARENT, as Google and Apple mark all-day events:
    a three-day conference in a subscribed calendar should not make its reader busy all week."""
    language = language_for(site.language)
    span = timedelta(days=event.days)
    head = [f"UID:{uid(event, site)}", *stamps]
    lines = ["BEGIN:VEVENT", *head, f"DTSTART;VALUE=DATE:{_day(event.start)}",
             f"DTEND;VALUE=DATE:{_day(event.start + span)}"]
    if event.rule is not None:
        last = last_rule_start(event.rule, event.start) if event.rule.until else None
        until = (last or event.rule.until).date() if event.rule.until else None
        lines.append(f"RRULE:{format_rrule(event.rule, until)}")
    if event.rdates:
        lines.append("RDATE;VALUE=DATE:" + ",".join(_day(r.value) for r in event.rdates))
    cancelled = cancelled_starts(event) if event.repeats else []
    if event.skip_holidays:
        cancelled = sorted(set(cancelled) | set(holiday_exdates(event, window)))
    if cancelled:
        lines.append("EXDATE;VALUE=DATE:" + ",".join(_day(c) for c in cancelled))
    lines += [f"SUMMARY:{escape_text(summary)}", "TRANSP:TRANSPARENT", *tail]
    changed = {o.original: (o.start or o.original, o.title or event.title)
               for o in event.overrides if is_series_start(event, o.original)}
    for local in sessions:
        changed.setdefault(local, (local, event.title))
    for original in sorted(changed):
        session = sessions.get(original)
        if original in cancelled and not (session and session.cancelled):
            continue
        day, title = (original, event.title) if session and session.cancelled else changed[original]
        lines += ["BEGIN:VEVENT", *head, f"RECURRENCE-ID;VALUE=DATE:{_day(original)}",
                  f"DTSTART;VALUE=DATE:{_day(day)}", f"DTEND;VALUE=DATE:{_day(day + span)}",
                  f"SUMMARY:{escape_text(_session_summary(title, session, language))}",
                  "TRANSP:TRANSPARENT", *session_tails.get(original, tail)]
    return lines


def holiday_exdates(event: Event, window: tuple[datetime, datetime]) -> list[datetime]:
    """Local starts skip_holidays cancels, from a year before the window (UTC bounds) to its
    end: the ICS's EXDATEs for them, and so an input of the VEVENT (see vevent_inputs)."""
    # From a year back: a holiday that has left the window keeps its EXDATE, so that past
    # meetings that never happened do not reappear in subscribers' calendars after it passes.
    since = window[0] - HOLIDAY_EXDATES_KEPT
    return [c.local for c in cancellations(event, since, window[1]) if c.cause == "holiday"]


HOLIDAY_EXDATES_KEPT = timedelta(days=366)


def ics_status(event: Event) -> str:
    """RFC 5545 3.8.1.11 gives a VEVENT TENTATIVE, CONFIRMED or CANCELLED. A postponed event
    is CANCELLED too: its dates as written will not happen, and TENTATIVE would keep them in
    people's calendars as likely meetings; the description says it is postponed, and why."""
    return "CONFIRMED" if event.status is None else "CANCELLED"


def _status_words(event: Event, language: Language) -> str:
    if event.status is None:
        return ""
    if event.status == "cancelled":
        return language.gettext("Cancelled: %(reason)s", reason=event.reason)
    if event.status == "postponed":
        return language.gettext("Postponed: %(reason)s", reason=event.reason)
    return f"{event.status.capitalize()}: {event.reason}"


def _rdate_starts(event: Event) -> set[datetime]:
    return {r.value for r in event.rdates}


def until_instant(event: Event, rule: Rule | None = None,
                  start: datetime | None = None) -> datetime | None:
    """The RRULE's UNTIL as a UTC instant (RFC 5545 requires UTC when DTSTART has a TZID), chosen
    so that every reader keeps the series' last occurrence and no reader adds the next one.

    UNTIL is compared with each occurrence's instant, and readers disagree about the instant of
    a wall-clock time that a clock change skips or repeats: RFC 5545 (and Nextup) read a repeated
    01:30 as its first pass, ical.js as its second, so an UNTIL at the first pass drops the last
    occurrence in ical.js. UNTIL is therefore the latest instant any reader can give the last
    local start. The next start is at least a day later on the wall clock, so no reader's
    instant for it comes before that.
    """
    rule = rule or event.rule
    if rule is None or rule.until is None:
        return None
    last = last_rule_start(rule, start or event.start)
    if last is None:  # no occurrence up to UNTIL (validation does not let such a rule through)
        return to_utc(rule.until, event.timezone)
    return latest_instant(last, event.timezone)


def ambiguous_starts(event: Event, window: tuple[datetime, datetime]) -> list[datetime]:
    """Series starts in the window (UTC bounds) that calendar clients may misread: their start
    or end is in a skipped or repeated hour, or they span a clock change."""
    if not event.repeats:
        return []
    zone = event.timezone
    first, last = (to_local(moment, zone) for moment in window)
    # From early enough to catch an occurrence that began before the window and is still on.
    earliest = first - timedelta(days=2, minutes=event.duration)
    latest = last + timedelta(days=2)
    change_days = clock_change_days(zone, earliest.date(), latest.date())
    if not change_days:
        return []
    length = timedelta(minutes=event.duration)
    found = set()
    # Only an occurrence that touches a day the clocks change can be misread: one that starts
    # at most `length` before that day's midnight and before the next. Only those few starts
    # are walked, not the whole window's (a daily series has some 90, and 10,000 events ask).
    for day in change_days:
        midnight = datetime(day.year, day.month, day.day)
        near = series_starts(event, max(earliest, midnight - length - timedelta(days=1)),
                             min(latest, midnight + timedelta(days=2)))
        found.update(local for local in near
                     if any(change_days.get(d) for d in _days_between(local, local + length))
                     and _needs_utc(local, event.duration, zone))
    return sorted(found)


def _days_between(start: datetime, end: datetime):
    day = start.date()
    while day <= end.date():
        yield day
        day += timedelta(days=1)


def _needs_utc(local: datetime, minutes: int, zone: str) -> bool:
    """True if clients may read this occurrence differently from RFC 5545 unless it is in UTC:
    its start or end wall-clock time is skipped or repeated, or a clock change lies between."""
    if is_ambiguous(local, zone):
        return True
    end = to_local(to_utc(local, zone) + timedelta(minutes=minutes), zone)
    return end != local + timedelta(minutes=minutes) or is_ambiguous(end, zone)


def _dtstart(local: datetime, minutes: int, zone: str) -> str:
    if _needs_utc(local, minutes, zone):
        return f"DTSTART:{_utc(to_utc(local, zone))}"
    return f"DTSTART;TZID={zone}:{_local(local)}"


CALENDAR_END = "END:VCALENDAR\r\n"


def first_years(events: Iterable[Event]) -> dict[str, int]:
    """Per zone in use, the first year a VTIMEZONE must cover for these events."""
    found: dict[str, int] = {}
    for event in events:
        if event.all_day:
            continue  # dates need no zone (see _all_day_lines)
        years = [event.start.year] + [o.start.year for o in event.overrides if o.start]
        found[event.timezone] = min(found.get(event.timezone, 9999), *years)
    return found


def calendar_head(name: str, description: str, site: Site, events: Iterable[Event],
                  source: str) -> str:
    """A VCALENDAR up to its first VEVENT: calendar properties, then a VTIMEZONE per zone used.

    NAME, DESCRIPTION, SOURCE and REFRESH-INTERVAL are RFC 7986; the X-WR- and X-PUBLISHED-TTL
    twins are what Apple, Google and Outlook read.
    """
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", f"PRODID:{PRODUCT_ID}", "CALSCALE:GREGORIAN",
             "METHOD:PUBLISH", f"NAME:{escape_text(name)}", f"X-WR-CALNAME:{escape_text(name)}",
             f"DESCRIPTION:{escape_text(description)}", f"X-WR-CALDESC:{escape_text(description)}",
             f"SOURCE;VALUE=URI:{source}", f"URL:{site.base_url}",
             f"REFRESH-INTERVAL;VALUE=DURATION:{REFRESH_INTERVAL}",
             f"X-PUBLISHED-TTL:{REFRESH_INTERVAL}"]
    years = first_years(events)
    for zone in sorted(years):
        lines += vtimezone_lines(zone, years[zone])
    return "".join(fold(line) + "\r\n" for line in lines)


def calendar_bytes(name: str, description: str, site: Site, events: Iterable[Event],
                   vevents: dict[str, str], source: str) -> bytes:
    """A VCALENDAR of the given events, VEVENTs in slug order (`vevents`: folded texts)."""
    events = sorted(events, key=lambda e: e.slug)
    body = "".join(vevents[event.slug] + "\r\n" for event in events)
    return (calendar_head(name, description, site, events, source) + body
            + CALENDAR_END).encode("utf-8")
