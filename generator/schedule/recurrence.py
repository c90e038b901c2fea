"""RFC 5545 recurrence on naive wall-clock datetimes: which local start times a Rule produces.

Why not dateutil.rrule: it walks every period from DTSTART (a daily series from 2006 is 7,000
steps before the first one we want) and, for a rule whose parts never match, it walks to the
year 9999 before giving up. Here every walk is bounded by the caller's window, and a rule
without COUNT jumps straight to the window by whole periods.

Periods follow RFC 5545: FREQ picks the period (day, week starting WKST, month, year), every
INTERVAL-th period counted from the period holding DTSTART is visited, the BY* parts select days
in it (the intersection of every given part, which equals the RFC's expand/limit table for the
parts supported here), BYSETPOS picks positions in that set, and COUNT/UNTIL end the series.
"""
from __future__ import annotations

import calendar
from dataclasses import replace
from datetime import date, datetime, time, timedelta
from functools import lru_cache
from typing import Iterator

from ..model import Rule


def period_start(freq: str, day: date, wkst: int) -> date:
    if freq == "DAILY":
        return day
    if freq == "WEEKLY":
        return day - timedelta(days=(day.weekday() - wkst) % 7)
    if freq == "MONTHLY":
        return day.replace(day=1)
    return date(day.year, 1, 1)


def advance_periods(freq: str, start: date, count: int) -> date:
    """The period start `count` periods after the period starting at `start`."""
    if freq == "DAILY":
        return start + timedelta(days=count)
    if freq == "WEEKLY":
        return start + timedelta(weeks=count)
    if freq == "MONTHLY":
        months = start.year * 12 + start.month - 1 + count
        return date(months // 12, months % 12 + 1, 1)
    return date(start.year + count, 1, 1)


def periods_between(freq: str, first: date, later: date) -> int:
    """How many periods lie from the period starting at `first` to the one starting at `later`."""
    if freq == "DAILY":
        return (later - first).days
    if freq == "WEEKLY":
        return (later - first).days // 7
    if freq == "MONTHLY":
        return (later.year - first.year) * 12 + later.month - first.month
    return later.year - first.year


def _period_days(freq: str, start: date) -> list[date]:
    if freq == "DAILY":
        return [start]
    if freq == "WEEKLY":
        return [start + timedelta(days=i) for i in range(7)]
    if freq == "MONTHLY":
        length = calendar.monthrange(start.year, start.month)[1]
        return [start.replace(day=d) for d in range(1, length + 1)]
    length = 366 if calendar.isleap(start.year) else 365
    return [start + timedelta(days=i) for i in range(length)]


def _matches(rule: Rule, day: date) -> bool:
    if rule.bymonth and day.month not in rule.bymonth:
        return False
    if rule.bymonthday:
        month_length = calendar.monthrange(day.year, day.month)[1]
        if day.day not in rule.bymonthday and day.day - month_length - 1 not in rule.bymonthday:
            return False
    if rule.byyearday:
        year_day = day.timetuple().tm_yday
        year_length = 366 if calendar.isleap(day.year) else 365
        if year_day not in rule.byyearday and year_day - year_length - 1 not in rule.byyearday:
            return False
    if rule.byday and not any(weekday_matches(rule, day, n, weekday) for n, weekday in rule.byday):
        return False
    return True


def weekday_matches(rule, day: date, ordinal: int | None, weekday: int) -> bool:
    """Whether `day` is BYDAY's `ordinal` `weekday` ("2TU", "-1FR", "MO") under `rule`: any rule
    with `freq` and `bymonth` (a Rule, or the importer's ForeignRule)."""
    if day.weekday() != weekday:
        return False
    if ordinal is None:
        return True
    # "2TU": the second Tuesday of the month (MONTHLY, or YEARLY with BYMONTH), else of the year.
    if rule.freq == "MONTHLY" or rule.bymonth:
        position, length = day.day, calendar.monthrange(day.year, day.month)[1]
    else:
        position = day.timetuple().tm_yday
        length = 366 if calendar.isleap(day.year) else 365
    if ordinal > 0:
        return (position - 1) // 7 + 1 == ordinal
    return -((length - position) // 7 + 1) == ordinal


@lru_cache(maxsize=4096)
def _fixed_offsets(rule: Rule) -> tuple[int, ...] | None:
    """For rules that pick the same days in every period ("Monday and Thursday" each week,
    every day): those days as offsets from the period start. None for any other rule.

    Most real schedules are of this kind; counting days beats testing each day of the period.
    """
    if rule.bymonth or rule.bymonthday or rule.byyearday or rule.bysetpos:
        return None
    if rule.freq == "DAILY":
        if not rule.byday:
            return (0,)
        return None
    if rule.freq == "WEEKLY" and all(n is None for n, _ in rule.byday):
        return tuple(sorted({(weekday - rule.wkst) % 7 for _, weekday in rule.byday}))
    return None


@lru_cache(maxsize=4096)
def _is_nth_weekdays_of_month(rule: Rule) -> bool:
    """"Second Tuesday", "first and third Monday", "last Friday": each month, no other part."""
    return (rule.freq == "MONTHLY" and bool(rule.byday)
            and all(n is not None for n, _ in rule.byday)
            and not (rule.bymonth or rule.bymonthday or rule.byyearday or rule.bysetpos))


def _nth_weekdays(rule: Rule, month_start: date) -> list[date]:
    first_weekday, length = calendar.monthrange(month_start.year, month_start.month)
    days = set()
    for ordinal, weekday in rule.byday:
        first = 1 + (weekday - first_weekday) % 7  # the month's first such weekday
        count = (length - first) // 7 + 1  # how many the month has
        index = ordinal - 1 if ordinal > 0 else count + ordinal
        if 0 <= index < count:
            days.add(first + 7 * index)
    return [month_start.replace(day=day) for day in sorted(days)]


def _period_selector(rule: Rule):
    """A function from a period's first day to the days the rule selects in it: a shortcut for
    the common shapes of rule, the general filter for the rest (tests check they agree)."""
    offsets = _fixed_offsets(rule)
    if offsets is not None:
        steps = [timedelta(days=offset) for offset in offsets]
        return lambda start: [start + step for step in steps]
    if _is_nth_weekdays_of_month(rule):
        return lambda start: _nth_weekdays(rule, start)
    return lambda start: _filtered_days(rule, start)


def _filtered_days(rule: Rule, start: date) -> list[date]:
    days = [day for day in _period_days(rule.freq, start) if _matches(rule, day)]
    if not rule.bysetpos:
        return days
    chosen = set()
    for position in rule.bysetpos:
        index = position - 1 if position > 0 else len(days) + position
        if 0 <= index < len(days):
            chosen.add(days[index])
    return sorted(chosen)


def _times_of_day(rule: Rule, dtstart: datetime) -> tuple[time, ...]:
    """The wall-clock times of each occurring day: the rule's (BYHOUR/BYMINUTE expand in RFC
    5545, seconds from DTSTART), else DTSTART's own."""
    if not rule.times:
        return (dtstart.time(),)
    return tuple(t.replace(second=dtstart.second) for t in rule.times)


def _period_instances(rule: Rule, times: tuple[time, ...]):
    """A function from a period's first day to the local start times the rule gives in it, in
    order. With several times a day, BYSETPOS picks among all of the period's instances (RFC
    5545 3.3.10), not among its days."""
    if len(times) == 1 or not rule.bysetpos:
        select = _period_selector(rule)
        return lambda start: [datetime.combine(day, t) for day in select(start) for t in times]
    select = _period_selector(replace(rule, bysetpos=()))

    def chosen(start: date) -> list[datetime]:
        moments = [datetime.combine(day, t) for day in select(start) for t in times]
        picked = set()
        for position in rule.bysetpos:
            index = position - 1 if position > 0 else len(moments) + position
            if 0 <= index < len(moments):
                picked.add(moments[index])
        return sorted(picked)

    return chosen


def iter_starts(rule: Rule, dtstart: datetime, after: datetime | None,
                until: datetime) -> Iterator[datetime]:
    """Local start times of the series beginning at `dtstart`, from `after` to `until`, inclusive.

    `dtstart` must be the series' first occurrence (see first_occurrence). The walk never goes
    past `until` (or the rule's own UNTIL), so it ends even for a rule that matches nothing;
    and it begins at the period holding `after`, so its length is the window's, not the
    distance from DTSTART: a COUNT rule's end is found once (count_end) and then bounds it.
    """
    limit = until if rule.until is None else min(until, rule.until)
    if rule.count is not None:
        if after is None or after <= dtstart:  # from the start: counting as it goes is cheapest
            yield from _walk(rule, dtstart, after, limit, counting=True)
            return
        end = count_end(rule, dtstart)
        if end is not None:
            limit = min(limit, end)
    yield from _walk(rule, dtstart, after, limit, counting=False)


def _walk(rule: Rule, dtstart: datetime, after: datetime | None, limit: datetime,
          counting: bool) -> Iterator[datetime]:
    """The series' starts up to `limit`, from `after` on: from the period holding `after`,
    unless `counting` (COUNT then needs every start from DTSTART)."""
    times = _times_of_day(rule, dtstart)
    first_period = period_start(rule.freq, dtstart.date(), rule.wkst)
    skipped = 0
    if not counting and after is not None and after > dtstart:
        # Jump over whole INTERVAL-aligned periods before `after`: nothing in them is needed.
        target = period_start(rule.freq, after.date(), rule.wkst)
        skipped = periods_between(rule.freq, first_period, target) // rule.interval * rule.interval
    produced = 0
    last_day = limit.date()
    instances = _period_instances(rule, times)
    while True:
        try:
            start = advance_periods(rule.freq, first_period, skipped)
        except (OverflowError, ValueError):  # past the year 9999: no period is left
            return
        if start > last_day:
            return
        for moment in instances(start):
            if moment < dtstart:
                continue
            if moment > limit:
                return
            if counting:
                produced += 1
                if produced > rule.count:
                    return
            if after is None or moment >= after:
                yield moment
        skipped += rule.interval


# How far from DTSTART the COUNT-th start of a series is looked for: past every date Nextup
# accepts (DTSTART from 1900, windows up to the year 2999 and 30 years beyond), and no further.
COUNT_SEARCH_YEARS = 1200


@lru_cache(maxsize=4096)
def count_end(rule: Rule, dtstart: datetime) -> datetime | None:
    """The COUNT-th (last) start of a COUNT rule's series, or None if the rule has fewer
    starts than COUNT within COUNT_SEARCH_YEARS of DTSTART (so it goes on past every window).

    Found once per series by walking from DTSTART, and cached: every walk that starts later
    then jumps to its window as a rule without COUNT does. Without this, each "is this a
    start?" question (one per exdate and override) walked from DTSTART again: a sparse COUNT
    rule from 1904 with a few hundred exdates took minutes to check."""
    try:
        horizon = dtstart + timedelta(days=366 * COUNT_SEARCH_YEARS)
    except OverflowError:
        horizon = datetime.max
    last, produced = None, 0
    for last in _walk(rule, dtstart, None, horizon, counting=True):
        produced += 1
    return last if produced == rule.count else None


def first_occurrence(rule: Rule, start: datetime, years: int) -> datetime | None:
    """The first local time on or after `start` that the rule selects, searching `years` ahead.

    An editor's start need not fall on the rule ("start on Monday, repeat on Tuesdays"): the
    series begins at the first day that does. This is also what calendar clients see as DTSTART.
    """
    horizon = start + timedelta(days=366 * years)
    return next(iter_starts(rule, start, None, horizon), None)


def is_rule_start(rule: Rule, dtstart: datetime, local: datetime) -> bool:
    """Whether the rule's series from `dtstart` has an occurrence starting at `local`."""
    return next(iter_starts(rule, dtstart, local, local), None) == local


def last_rule_start(rule: Rule, dtstart: datetime) -> datetime | None:
    """The last local start of the rule's series from `dtstart`, or None if it never ends (a
    COUNT that is not reached within COUNT_SEARCH_YEARS counts as never ending)."""
    if rule.until is None and rule.count is None:
        return None
    if rule.count is not None:
        return count_end(rule, dtstart)
    # Ends by date: walk back from the end a year at a time, each year once, rather than from
    # the start.
    last, upper = None, rule.until
    while last is None and upper >= dtstart:
        lower = max(upper - timedelta(days=366), dtstart)
        for last in iter_starts(rule, dtstart, lower, upper):
            pass
        upper = lower - timedelta(microseconds=1)
    return last
