"""Phase 3: events + a window -> occurrences with UTC instants. Pure: no I/O, no clock.

Each occurrence is computed in the event's wall clock (so a 10:00 London scrum stays at 10:00
London through summer time) and only then converted to UTC, per occurrence, with RFC 5545's
reading of skipped and repeated hours (see zones.py).
"""
from __future__ import annotations

import heapq
from datetime import date, datetime, time, timedelta
from operator import itemgetter
from typing import Iterator, NamedTuple

from ..model import Event, Occurrence
from .holidays import holidays_between
from .recurrence import first_occurrence, iter_starts, last_rule_start
from .zones import UTC, get_zone, to_local, to_utc

__all__ = ["expand_occurrences", "next_occurrences", "first_occurrence", "series_starts",
           "is_series_start", "last_start", "last_occurrence", "cancelled_starts",
           "starts_cancelled_by", "holiday_cancellations", "Cancellation", "cancellations",
           "exdate_starts", "starts_on", "scheduled_start", "session_cancellations"]

_START = itemgetter(1)  # Occurrence.start
UPCOMING_PER_EVENT = 11  # ten to show, and the first one left out

# Offsets differ from UTC by at most ~26 hours; a day and a half either side of the window in
# local time is always enough to find every occurrence that overlaps it.
_LOCAL_MARGIN = timedelta(hours=36)
_NEXT_SEARCH_STEPS = (timedelta(days=35), timedelta(days=400), timedelta(days=366 * 20))


def series_starts(event: Event, after: datetime, until: datetime) -> Iterator[datetime]:
    """Local start times the series would have in [after, until], before exdates and overrides:
    the rule's (or the one start's) and the extra dates (rdates), in order, each once."""
    if event.rule is None:
        regular = iter((event.start,) if after <= event.start <= until else ())
    else:
        regular = iter_starts(event.rule, event.start, after, until)
    if not event.rdates:
        yield from regular
        return
    extra = [r.value for r in event.rdates if after <= r.value <= until]
    previous = None
    for local in heapq.merge(regular, extra):
        if local != previous:
            yield local
        previous = local


def is_series_start(event: Event, local: datetime) -> bool:
    return next(series_starts(event, local, local), None) == local


def starts_cancelled_by(event: Event, exdate) -> list[datetime]:
    """The series' local starts that one exdate cancels: its moment, if that is a start; every
    start on its day, for a date. Empty: it cancels nothing (`lint` warns)."""
    value = exdate.value
    if isinstance(value, datetime):
        return [value] if is_series_start(event, value) else []
    day = datetime.combine(value, datetime.min.time())
    return list(series_starts(event, day, day + timedelta(days=1, seconds=-1)))


def exdate_starts(event: Event) -> list[datetime]:
    """Every local start the event's exdates cancel, in order."""
    return sorted({start for exdate in event.exdates
                   for start in starts_cancelled_by(event, exdate)})


def starts_on(event: Event, day: date) -> list[datetime]:
    """The series' local starts on one local day, before exdates and overrides."""
    first = datetime.combine(day, datetime.min.time())
    return list(series_starts(event, first, first + timedelta(days=1, seconds=-1)))


def scheduled_start(event: Event, day: date, at: time | None) -> datetime | None:
    """The local start a session record names: the series' start on `day` (at `at`, to the
    minute, when given), before any override moves it. None if there is no such start, or
    `at` is None and the event meets more than once that day."""
    starts = starts_on(event, day)
    if at is None:
        return starts[0] if len(starts) == 1 else None
    return next((s for s in starts if (s.hour, s.minute) == (at.hour, at.minute)), None)


def session_cancellations(event: Event) -> dict[datetime, str | None]:
    """Local start -> reason, for each occurrence a session record cancels (status =
    "cancelled" in content/sessions/<slug>/...)."""
    found = {}
    for session in event.sessions:
        if session.cancelled:
            local = scheduled_start(event, session.day, session.time)
            if local is not None:
                found[local] = session.reason
    return found


def cancelled_starts(event: Event) -> list[datetime]:
    """Every local start the event's exdates and cancelled sessions cancel, in order: what
    expansion leaves out and the ICS lists as EXDATE."""
    starts = set(exdate_starts(event)) if event.exdates else set()
    if event.sessions:
        starts.update(session_cancellations(event))
    return sorted(starts)


def _holiday_days(event: Event, local_after: datetime, local_until: datetime) -> dict:
    """The event's skipped holidays from one local moment to another: day -> name."""
    if event.skip_holidays is None or event.rule is None:
        return {}
    return holidays_between(event.skip_holidays, local_after.date(), local_until.date())


def holiday_cancellations(event: Event, local_after: datetime,
                          local_until: datetime) -> list[tuple[datetime, str]]:
    """(local start, holiday's name) of each occurrence in [local_after, local_until] that
    skip_holidays cancels, in order.

    A holiday cancels what the rule gives: an occurrence whose local start date is a holiday
    of the region. What the editor named by date stays: extra dates (rdates), and overridden
    occurrences (an override is a decision about that one meeting, moved onto a holiday or
    off one). Occurrences an exdate cancels already are not listed again."""
    days = _holiday_days(event, local_after, local_until)
    if not days:
        return []
    extra = {r.value for r in event.rdates}
    overridden = {o.original for o in event.overrides}
    excluded = set(cancelled_starts(event)) if event.exdates or event.sessions else set()
    found = []
    for day in sorted(days):
        first = max(local_after, datetime.combine(day, datetime.min.time()))
        last = min(local_until, datetime.combine(day, datetime.max.time()).replace(microsecond=0))
        for local in iter_starts(event.rule, event.start, first, last):
            if local not in extra and local not in overridden and local not in excluded:
                found.append((local, days[day]))
    return found


def expand_occurrences(event: Event, window_start: datetime, window_end: datetime) -> list[Occurrence]:
    """Occurrences of `event` that have not ended at `window_start` and start before `window_end`.

    Both bounds are aware datetimes; results are sorted by start.
    """
    longest = max([event.duration] + [o.duration for o in event.overrides if o.duration])
    local_after = to_local(window_start, event.timezone) - _LOCAL_MARGIN - timedelta(minutes=longest)
    local_until = to_local(window_end, event.timezone) + _LOCAL_MARGIN
    cancelled = set(cancelled_starts(event)) if event.exdates or event.sessions else ()
    holidays = _holiday_days(event, local_after, local_until)
    extra = {r.value for r in event.rdates} if holidays else ()
    overrides = {o.original: o for o in event.overrides}
    zone = get_zone(event.timezone)
    length = timedelta(minutes=event.duration)
    slug = event.slug
    found: list[Occurrence] = []
    if event.all_day:
        return _all_day_occurrences(event, window_start, window_end, local_after, local_until,
                                    cancelled, overrides, holidays, extra)

    # The hot loop of a large build: to_utc() inlined (fold=0 is RFC 5545's reading).
    for local in series_starts(event, local_after, local_until):
        if cancelled and local in cancelled:
            continue
        if local in overrides:
            continue
        if holidays and local.date() in holidays and local not in extra:
            continue  # skip_holidays: see holiday_cancellations
        start = local.replace(tzinfo=zone).astimezone(UTC)
        end = start + length
        if end > window_start and start < window_end:
            found.append(Occurrence(slug, start, end))
    if event.rule is not None and len(event.rule.times) > 1:
        # Times of day the clocks skip read with the offset from before (RFC 5545): 01:30 in
        # London's skipped hour is 02:30's instant. Such pairs are one meeting, as calendar
        # apps show it, and the day's instants are put back in order.
        found = sorted({o.start: o for o in reversed(found)}.values(), key=_START)

    for override in event.overrides:
        if override.original in cancelled:
            continue
        if not is_series_start(event, override.original):
            continue  # matches nothing: reported as a warning by `lint`
        local = override.start or override.original
        start = to_utc(local, event.timezone)
        end = start + timedelta(minutes=override.duration or event.duration)
        if end > window_start and start < window_end:
            moved = override.start is not None and local != override.original
            found.append(Occurrence(slug, start, end, override.title,
                                    override.original if moved else None))

    if event.overrides:  # the series is in order already; moved ones may not be
        found.sort(key=_START)
    return found


def _all_day_occurrences(event: Event, window_start: datetime, window_end: datetime,
                         local_after: datetime, local_until: datetime, cancelled,
                         overrides: dict, holidays, extra) -> list[Occurrence]:
    """Whole local days: each occurrence runs from a midnight to the midnight `days` later on the
    wall clock (RFC 5545's DTSTART;VALUE=DATE with a nominal P{n}D), so a day the clocks change
    is 23 or 25 hours long, and a midnight the clocks skip reads as RFC 5545 says (to_utc)."""
    span = timedelta(days=event.days)
    found = []

    def add(day: datetime, title: str | None = None, original: datetime | None = None) -> None:
        start, end = to_utc(day, event.timezone), to_utc(day + span, event.timezone)
        if end > window_start and start < window_end:
            last = (day + span).date() - timedelta(days=1)
            found.append(Occurrence(event.slug, start, end, title, original, (day.date(), last)))

    for local in series_starts(event, local_after, local_until):
        if holidays and local.date() in holidays and local not in extra:
            continue  # skip_holidays: a holiday on its first day cancels it
        if local not in cancelled and local not in overrides:
            add(local)
    for override in overrides.values():
        if override.original in cancelled or not is_series_start(event, override.original):
            continue
        day = override.start or override.original
        add(day, override.title, override.original if day != override.original else None)
    found.sort(key=_START)
    return found


def next_occurrences(event: Event, after: datetime, limit: int) -> list[Occurrence]:
    """The next `limit` occurrences that have not ended at `after`, looking up to 20 years ahead.

    Unlike the feed, this is not cut at the horizon: a monthly event's page still lists ten dates.
    """
    found: list[Occurrence] = []
    for step in _NEXT_SEARCH_STEPS:
        found = expand_occurrences(event, after, after + step)
        if len(found) >= limit:
            break
    return found[:limit]


def last_start(event: Event) -> datetime | None:
    """The local start of the series' last occurrence, or None if it never ends."""
    last = event.start if event.rule is None else last_rule_start(event.rule, event.start)
    if last is None or not event.rdates:
        return last
    return max(last, event.rdates[-1].value)


class Cancellation(NamedTuple):
    """An occurrence that does not happen: cancelled by an exdate (reason None), by a session
    record with status = "cancelled" (reason: its reason; this also gives an exdate of the same
    meeting its reason) or by a public holiday (reason: the holiday's name)."""

    start: datetime  # aware, UTC
    end: datetime  # aware, UTC
    local: datetime  # the local start it would have had
    reason: str | None
    cause: str = "exdate"  # "exdate", "session" or "holiday"


def cancellations(event: Event, window_start: datetime, window_end: datetime) -> list[Cancellation]:
    """The occurrences that exdates, cancelled sessions and skip_holidays cancel and that would
    have overlapped [window_start, window_end) (aware bounds), in start order."""
    if not event.repeats:
        return []
    length = timedelta(minutes=event.duration)
    local_after = to_local(window_start, event.timezone) - _LOCAL_MARGIN - length
    local_until = to_local(window_end, event.timezone) + _LOCAL_MARGIN
    by_session = session_cancellations(event) if event.sessions else {}
    found = [(local, by_session[local], "session") if local in by_session else
             (local, None, "exdate")
             for local in (cancelled_starts(event) if event.exdates or by_session else ())
             if local_after <= local <= local_until]
    found += [(local, name, "holiday")
              for local, name in holiday_cancellations(event, local_after, local_until)]
    result = []
    for local, reason, cause in sorted(found, key=lambda item: item[0]):
        start = to_utc(local, event.timezone)
        # All day: to the local midnight after its last day (see _all_day_occurrences).
        end = (to_utc(local + timedelta(days=event.days), event.timezone) if event.all_day
               else start + length)
        if end > window_start and start < window_end:
            result.append(Cancellation(start, end, local, reason, cause))
    return result


# How far before the series' last start its last occurrence can be: exdates may cancel the last
# few, an override may move it earlier.
_LAST_SEARCH = timedelta(days=400)


def last_occurrence(event: Event, before: datetime) -> Occurrence | None:
    """The last occurrence of a series that has ended by `before` (an aware instant): what an
    ended event's page states. None for a series that never ends, or that has not ended."""
    last = last_start(event)
    if last is None:
        return None
    moved = [o.start for o in event.overrides if o.start is not None]
    latest = to_utc(max([last, *moved]), event.timezone) + _LOCAL_MARGIN
    if latest > before and expand_occurrences(event, before, latest):
        return None  # still running, or more to come
    earliest = min([last, *moved]) - _LAST_SEARCH
    found = expand_occurrences(event, to_utc(earliest, event.timezone), before)
    return max(found, key=lambda o: o.end) if found else None
