"""Session records -> the occurrences they belong to. Pure: no I/O, no clock.

A record names its occurrence as the series schedules it: the local date in the event's zone
(and the time, when the event meets more than once that day), before any override moved it.
Matching looks at that one day only (`starts_on`, which jumps straight to it), so a record of a
meeting years back costs what one of tomorrow's does; the nearest dates are searched for only
when a record matches nothing.
"""
from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime, time, timedelta
from typing import NamedTuple

from ..model import Event, Session
from .expand import exdate_starts, holiday_cancellations, series_starts, starts_on
from .zones import to_utc

# How far either side of a date the nearest scheduled dates are looked for, step by step.
_NEAREST_STEPS = (timedelta(days=35), timedelta(days=400), timedelta(days=366 * 20))


class Matched(NamedTuple):
    """The record's occurrence: where it really is (after an override), UTC."""

    local: datetime  # the scheduled local start
    start: datetime  # aware, UTC
    end: datetime  # aware, UTC
    moved_from: datetime | None  # aware, UTC: the scheduled start, when an override moved it
    cancelled_by: str | None  # the occurrence is cancelled already: "exdates" or a holiday's name


class NoOccurrence(NamedTuple):
    """The series has no meeting on the record's day (or at its time)."""

    before: datetime | None  # the nearest scheduled local start before that day
    after: datetime | None  # ... and after it
    moved_here: datetime | None  # an override moved the meeting of this scheduled start there
    times: tuple[time, ...] = ()  # with a time given: the times the series has that day


class TimeNeeded(NamedTuple):
    """The event meets more than once that day: the file name must say which meeting."""

    times: tuple[time, ...]


class TimeNotNeeded(NamedTuple):
    """The event meets once that day: the file name must not carry a time."""

    local: datetime


Match = Matched | NoOccurrence | TimeNeeded | TimeNotNeeded


def match_session(event: Event, day: date, at: time | None) -> Match:
    """Which occurrence of `event` a record named `day` (and `at`) is about."""
    starts = starts_on(event, day)
    if not starts:
        return _no_occurrence(event, day)
    if at is None:
        if len(starts) > 1:
            return TimeNeeded(tuple(s.time() for s in starts))
        local = starts[0]
    else:
        if len(starts) == 1:
            return TimeNotNeeded(starts[0])
        local = next((s for s in starts if (s.hour, s.minute) == (at.hour, at.minute)), None)
        if local is None:
            return NoOccurrence(None, None, None, tuple(s.time() for s in starts))
    return _matched(event, local)


def _matched(event: Event, local: datetime) -> Matched:
    override = next((o for o in event.overrides if o.original == local), None)
    scheduled = to_utc(local, event.timezone)
    moved_from = None
    if event.all_day:
        day = override.start if override is not None and override.start else local
        start = to_utc(day, event.timezone)
        end = to_utc(day + timedelta(days=event.days), event.timezone)
    else:
        moved = override.start if override is not None and override.start else local
        start = to_utc(moved, event.timezone)
        minutes = (override.duration if override is not None and override.duration
                   else event.duration)
        end = start + timedelta(minutes=minutes)
    if start != scheduled:
        moved_from = scheduled
    cancelled_by = None
    if event.exdates and local in exdate_starts(event):
        cancelled_by = "exdates"
    else:
        holiday = holiday_cancellations(event, local, local)
        if holiday:
            cancelled_by = holiday[0][1]
    return Matched(local, start, end, moved_from, cancelled_by)


def _no_occurrence(event: Event, day: date) -> NoOccurrence:
    first = datetime.combine(day, datetime.min.time())
    last = first + timedelta(days=1, seconds=-1)
    before = after = None
    for step in _NEAREST_STEPS:
        if before is None:
            found = list(series_starts(event, first - step, first - timedelta(seconds=1)))
            before = found[-1] if found else None
        if after is None:
            after = next(series_starts(event, last + timedelta(seconds=1), last + step), None)
        if before is not None and after is not None:
            break
    moved_here = next((o.original for o in sorted(event.overrides, key=lambda o: o.original)
                       if o.start is not None and o.start.date() == day
                       and o.original.date() != day), None)
    return NoOccurrence(before, after, moved_here)


def matched_session(session: Session, match: Matched) -> Session:
    """The record with its occurrence's instants filled in."""
    return replace(session, start=match.start, end=match.end, moved_from=match.moved_from)
