"""Phase 3: events + a window -> occurrences with UTC instants. Pure: no I/O, no clock.

Each occurrence is computed in the event's wall clock (so a 10:00 London scrum stays at 10:00
London through summer time) and only then converted to UTC, per occurrence, with RFC 5545's
reading of skipped and repeated hours (see zones.py).
"""
from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Iterable, Iterator

from .model import Event, Occurrence, Schedule
from .recurrence import first_occurrence, iter_starts
from .zones import to_local, to_utc

__all__ = ["expand_schedule", "expand_occurrences", "next_occurrences", "expand_all",
           "first_occurrence", "series_starts", "is_series_start", "last_start"]

UPCOMING_PER_EVENT = 10

# Offsets differ from UTC by at most ~26 hours; a day and a half either side of the window in
# local time is always enough to find every occurrence that overlaps it.
_LOCAL_MARGIN = timedelta(hours=36)
_NEXT_SEARCH_STEPS = (timedelta(days=35), timedelta(days=400), timedelta(days=366 * 20))


def series_starts(event: Event, after: datetime, until: datetime) -> Iterator[datetime]:
    """Local start times the series would have in [after, until], before exdates and overrides."""
    if event.rule is None:
        if after <= event.start <= until:
            yield event.start
        return
    yield from iter_starts(event.rule, event.start, after, until)


def is_series_start(event: Event, local: datetime) -> bool:
    return next(series_starts(event, local, local), None) == local


def _cancelled(event: Event) -> tuple[set[datetime], set[date]]:
    moments, days = set(), set()
    for exdate in event.exdates:
        if isinstance(exdate.value, datetime):
            moments.add(exdate.value)
        else:
            days.add(exdate.value)
    return moments, days


def expand_occurrences(event: Event, window_start: datetime, window_end: datetime) -> list[Occurrence]:
    """Occurrences of `event` that have not ended at `window_start` and start before `window_end`.

    Both bounds are aware datetimes; results are sorted by start.
    """
    longest = max([event.duration] + [o.duration for o in event.overrides if o.duration])
    local_after = to_local(window_start, event.timezone) - _LOCAL_MARGIN - timedelta(minutes=longest)
    local_until = to_local(window_end, event.timezone) + _LOCAL_MARGIN
    cancelled_moments, cancelled_days = _cancelled(event)
    overrides = {o.original: o for o in event.overrides}
    found: list[Occurrence] = []

    def keep(start: datetime, minutes: int, **changes) -> None:
        end = start + timedelta(minutes=minutes)
        if end > window_start and start < window_end:
            found.append(Occurrence(event.slug, start, end, **changes))

    for local in series_starts(event, local_after, local_until):
        if local in cancelled_moments or local.date() in cancelled_days or local in overrides:
            continue
        keep(to_utc(local, event.timezone), event.duration)

    for override in event.overrides:
        if override.original in cancelled_moments or override.original.date() in cancelled_days:
            continue
        if not is_series_start(event, override.original):
            continue  # matches nothing: reported as a warning by `lint`
        local = override.start or override.original
        keep(to_utc(local, event.timezone), override.duration or event.duration,
             title=override.title,
             original=override.original if override.start and local != override.original else None)

    found.sort(key=lambda o: o.start)
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


def expand_all(events: Iterable[Event], window_start: datetime,
               window_end: datetime) -> list[Occurrence]:
    """Every event's occurrences in the window, merged and sorted by start, then event."""
    merged = [occurrence for event in events
              for occurrence in expand_occurrences(event, window_start, window_end)]
    merged.sort(key=lambda o: (o.start, o.event))
    return merged


def last_start(event: Event) -> datetime | None:
    """The local start of the series' last occurrence, or None if it never ends."""
    rule = event.rule
    if rule is None:
        return event.start
    if rule.until is None and rule.count is None:
        return None
    last = None
    bound = rule.until or event.start + timedelta(days=366 * 1000)
    for last in iter_starts(rule, event.start, None, bound):
        pass
    return last


def expand_schedule(events: Iterable[Event], now: datetime, horizon_end: datetime) -> Schedule:
    """Everything the pages and feeds need to know about time, worked out once per build."""
    events = list(events)
    return Schedule(
        now=now, horizon_end=horizon_end,
        occurrences=expand_all(events, now, horizon_end),
        upcoming={e.slug: next_occurrences(e, now, UPCOMING_PER_EVENT) for e in events})
