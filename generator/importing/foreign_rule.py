"""Any RFC 5545 RRULE a calendar may hold, Nextup's own kind or not (HOURLY, MINUTELY, SECONDLY,
BYHOUR, BYMINUTE, BYSECOND, BYWEEKNO, any COUNT or INTERVAL), expanded over a window of wall-clock
time in a bounded number of steps.

The importer writes a rule Nextup cannot store out as dates. dateutil could expand it, but not
within any bound: for a rule that never matches (FREQ=SECONDLY;BYMONTH=2;BYMONTHDAY=30) it walks
every day to the year 9999 before giving up, for FREQ=SECONDLY;BYSETPOS=2 every second, and a
huge COUNT from an old DTSTART yields every occurrence since then. Here the walk visits only the
window's periods (with COUNT, those from DTSTART, since they count), every period, day and
candidate looked at is a step, and the walk stops at a step budget and says so.

Meaning follows RFC 5545 as dateutil reads it (the tests compare the two on rules that end):
FREQ picks the period, every INTERVAL-th one from DTSTART's is visited; BYMONTH, BYWEEKNO,
BYYEARDAY, BYMONTHDAY and BYDAY select its days (their intersection; DTSTART's weekday, day or
month where none is given, as for Nextup's own rules), BYHOUR, BYMINUTE and BYSECOND its times
(DTSTART's where a part finer than FREQ is not given); BYSETPOS picks positions among them;
COUNT and UNTIL end the series. One difference: a negative BYWEEKNO also matches the last days of
December that belong to the next year's weeks, which dateutil leaves as a TODO.
"""
from __future__ import annotations

import calendar
import re
from math import gcd
from dataclasses import dataclass, replace
from datetime import date, datetime, time, timedelta
from typing import Iterator
from ..schedule.recurrence import weekday_matches

FREQUENCIES = ("YEARLY", "MONTHLY", "WEEKLY", "DAILY", "HOURLY", "MINUTELY", "SECONDLY")
SUB_DAILY_SECONDS = {"HOURLY": 3600, "MINUTELY": 60, "SECONDLY": 1}
WEEKDAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
# Steps one expansion may take: periods, days and candidate times looked at. A few hundred
# thousand take well under a second, and every real rule needs far fewer for two years.
MAX_STEPS = 200_000
# Steps for every expansion of one import together: a calendar of thousands of costly rules
# stops here (under a minute of walking) rather than after hours.
MAX_IMPORT_STEPS = 20_000_000
# Beyond this, even every INTERVAL-th second is decades apart, and the walk's arithmetic would
# leave the range of dates.
MAX_INTERVAL = 1_000_000_000

_RANGES = {  # part: (lowest, highest); 0 is never allowed except for the time parts
    "BYSECOND": (0, 60), "BYMINUTE": (0, 59), "BYHOUR": (0, 23), "BYMONTHDAY": (-31, 31),
    "BYYEARDAY": (-366, 366), "BYWEEKNO": (-53, 53), "BYMONTH": (1, 12), "BYSETPOS": (-366, 366),
}
_UNTIL = re.compile(r"(\d{4})(\d{2})(\d{2})(?:T(\d{2})(\d{2})(\d{2})(Z?))?")
_BYDAY = re.compile(r"([+-]?\d{1,2})?(MO|TU|WE|TH|FR|SA|SU)")


@dataclass(frozen=True, slots=True)
class ForeignRule:
    freq: str
    interval: int = 1
    count: int | None = None
    until: datetime | date | None = None  # as written: naive, in UTC when until_is_utc
    until_is_utc: bool = False
    bysecond: tuple[int, ...] = ()
    byminute: tuple[int, ...] = ()
    byhour: tuple[int, ...] = ()
    byday: tuple[tuple[int | None, int], ...] = ()  # (ordinal or None, weekday 0 = Monday)
    bymonthday: tuple[int, ...] = ()
    byyearday: tuple[int, ...] = ()
    byweekno: tuple[int, ...] = ()
    bymonth: tuple[int, ...] = ()
    bysetpos: tuple[int, ...] = ()
    wkst: int = 0


class StepBudget:
    """The steps left to one import's expansions together (MAX_IMPORT_STEPS), spent by each."""

    def __init__(self, steps: int = MAX_IMPORT_STEPS):
        self.left = steps

    def spend(self, steps: int) -> None:
        self.left = max(0, self.left - steps)


@dataclass(frozen=True, slots=True)
class Expansion:
    starts: list[datetime]  # wall-clock starts in the window, in order
    complete_until: datetime  # every start up to here is in `starts`
    stopped: str | None = None  # why the walk ended before the window did, in words
    steps: int = 0
    hit_bound: bool = False  # it stopped at its bound in steps (else at `limit`, or finished)


def parse_foreign_rule(text: str) -> tuple[ForeignRule | None, str | None]:
    """The rule, or None and what is wrong with it."""
    fields: dict = {}
    for part in text.strip().removeprefix("RRULE:").split(";"):
        if not part.strip():
            continue
        name, equals, value = (piece.strip().upper() for piece in part.partition("="))
        if not equals or not value:
            return None, f'"{part}" is not NAME=VALUE'
        if name.lower() in fields or (name == "UNTIL" and "until" in fields):
            return None, f"{name} appears twice"
        problem = _read_part(name, value, fields)
        if problem:
            return None, problem
    if "freq" not in fields:
        return None, "it has no FREQ"
    if "count" in fields and "until" in fields:
        return None, "it has both COUNT and UNTIL, which RFC 5545 does not allow"
    return ForeignRule(**fields), None


def _read_part(name: str, value: str, fields: dict) -> str | None:
    if name == "FREQ":
        if value not in FREQUENCIES:
            return f'FREQ={value} is not one of {", ".join(FREQUENCIES)}'
        fields["freq"] = value
    elif name in ("INTERVAL", "COUNT"):
        if not value.isdigit() or int(value) < 1:
            return f"{name}={value} is not a whole number of at least 1"
        if name == "INTERVAL" and int(value) > MAX_INTERVAL:
            return f"INTERVAL={value} is absurdly large (at most {MAX_INTERVAL:,})"
        fields[name.lower()] = int(value)
    elif name == "UNTIL":
        match = _UNTIL.fullmatch(value)
        if not match:
            return f"UNTIL={value} is not a date like 20270630 or a time like 20270630T120000Z"
        try:
            day = date(int(match[1]), int(match[2]), int(match[3]))
            fields["until"] = day if match[4] is None else datetime.combine(
                day, time(int(match[4]), int(match[5]), int(match[6])))
        except ValueError as error:
            return f"UNTIL={value} is not a real date or time ({error})"
        fields["until_is_utc"] = match[7] == "Z"
    elif name == "BYDAY":
        days = []
        for item in value.split(","):
            match = _BYDAY.fullmatch(item.strip())
            if not match or match[1] and not 1 <= abs(int(match[1])) <= 53:
                return f'BYDAY item "{item}" is not a weekday like MO or 2TU or -1FR'
            days.append((int(match[1]) if match[1] else None, WEEKDAYS.index(match[2])))
        fields["byday"] = tuple(days)
    elif name in _RANGES:
        low, high = _RANGES[name]
        numbers = []
        for item in value.split(","):
            if not re.fullmatch(r"[+-]?\d{1,9}", item.strip()):
                return f"{name}={value} is not a list of whole numbers"
            number = int(item)
            if not low <= number <= high or number == 0 and low < 0:
                return f"{name} value {number} is out of range ({low} to {high})"
            numbers.append(number)
        fields[name.lower()] = tuple(sorted(set(numbers)))
    elif name == "WKST":
        if value not in WEEKDAYS:
            return f"WKST={value} is not a weekday like MO"
        fields["wkst"] = WEEKDAYS.index(value)
    else:
        return f'{name} is not a part of an RFC 5545 rule'
    return None


def with_defaults(rule: ForeignRule, dtstart: datetime) -> ForeignRule:
    """The parts RFC 5545 takes from DTSTART, made explicit (as dateutil does)."""
    changes: dict = {}
    if not (rule.byweekno or rule.byyearday or rule.bymonthday or rule.byday):
        if rule.freq == "YEARLY":
            changes["bymonth"] = rule.bymonth or (dtstart.month,)
            changes["bymonthday"] = (dtstart.day,)
        elif rule.freq == "MONTHLY":
            changes["bymonthday"] = (dtstart.day,)
        elif rule.freq == "WEEKLY":
            changes["byday"] = ((None, dtstart.weekday()),)
    rank = FREQUENCIES.index(rule.freq)
    if not rule.byhour and rank < FREQUENCIES.index("HOURLY"):
        changes["byhour"] = (dtstart.hour,)
    if not rule.byminute and rank < FREQUENCIES.index("MINUTELY"):
        changes["byminute"] = (dtstart.minute,)
    if not rule.bysecond and rank < FREQUENCIES.index("SECONDLY"):
        changes["bysecond"] = (dtstart.second,)
    if rule.freq not in ("MONTHLY", "YEARLY") and any(n is not None for n, _ in rule.byday):
        # Ordinals mean something only within a month or a year; dateutil ignores them here.
        changes["byday"] = tuple(sorted({(None, weekday) for _, weekday in rule.byday}))
    return replace(rule, **changes)


def expand_rule(rule: ForeignRule, dtstart: datetime, until: datetime | None, begin: datetime,
                end: datetime, limit: int | None = None, max_steps: int = MAX_STEPS,
                budget: StepBudget | None = None) -> Expansion:
    """Starts of the series from `dtstart` (wall clock) in [begin, end], at most `limit` of
    them; `until` is the rule's UNTIL as an inclusive wall-clock limit (the caller reads a UTC
    UNTIL in the series' zone). At most `max_steps` steps, and no more than `budget` has left."""
    allowed = max_steps if budget is None else min(max_steps, budget.left)
    walk = _Walk(with_defaults(rule, dtstart), dtstart, begin, end,
                 end if until is None else min(end, until), limit, allowed,
                 shared=allowed < max_steps)
    try:
        if not walk.positions_can_match():
            pass
        elif rule.freq in SUB_DAILY_SECONDS:
            walk.sub_daily()
        else:
            walk.by_period()
    except _Stop:
        pass
    if budget is not None:
        budget.spend(walk.steps)
    return Expansion(walk.found, walk.complete_until, walk.stopped, walk.steps, walk.hit_bound)


class _Stop(Exception):
    """The walk is over: the window, the rule or the budget ended."""


class _Walk:
    def __init__(self, rule: ForeignRule, dtstart: datetime, begin: datetime, end: datetime,
                 last: datetime, limit: int | None, max_steps: int, shared: bool):
        self.rule, self.dtstart, self.begin = rule, dtstart, begin
        self.last = last  # the window's end, or UNTIL if that is earlier
        self.limit, self.max_steps = limit, max_steps
        self.shared = shared  # max_steps is what the import's budget had left
        self.found: list[datetime] = []
        self.counted = 0  # occurrences since DTSTART, for COUNT
        self.offered = 0  # candidates the rule selected, before DTSTART, UNTIL and COUNT
        self.steps = 0
        self.stopped: str | None = None
        self.hit_bound = False
        self.complete_until = end  # lowered when the walk stops before the window's end
        self.walk_from = dtstart  # where a sub-daily walk's grid begins (see sub_daily)
        self.times = sorted(time(h, m, s) for h in rule.byhour for m in rule.byminute
                            for s in rule.bysecond if s < 60)

    def step(self, where: datetime, many: int = 1) -> None:
        self.steps += many
        if self.steps > self.max_steps:
            self.hit_bound = True
            self.stopped = (f"stopped at {where:%Y-%m-%d %H:%M:%S}, before the end of the "
                            "window: " + ("the import's steps for following rules are used up"
                                          if self.shared else
                                          f"it took {self.max_steps:,} steps to get there"))
            self.complete_until = where - timedelta(seconds=1)
            raise _Stop

    def positions_can_match(self) -> bool:
        """False for a BYSETPOS that no period can have, where every period has the same number
        of candidates (DAILY and finer): FREQ=SECONDLY;BYSETPOS=2 would else walk every second
        of the window for nothing."""
        rule = self.rule
        if rule.freq in ("YEARLY", "MONTHLY", "WEEKLY"):
            return True
        size = len(self.times) if rule.freq == "DAILY" else \
            len(self._times_in_period(self.dtstart.replace(microsecond=0)))
        if not rule.bysetpos:
            return size > 0
        return any(1 <= abs(position) <= size for position in rule.bysetpos)

    def offer(self, moment: datetime) -> None:
        """One start the rule selects, in order."""
        self.step(moment)
        self.offered += 1
        if moment < self.dtstart:
            return
        if moment > self.last:
            raise _Stop
        if self.rule.count is not None:
            self.counted += 1
            if self.counted > self.rule.count:
                raise _Stop
        if moment >= self.begin:
            self.found.append(moment)
            if self.limit is not None and len(self.found) >= self.limit:
                self.stopped = f"found the {self.limit} asked for"
                self.complete_until = moment
                raise _Stop

    def first_day(self) -> date:
        """Where the walk begins: DTSTART's day with COUNT (every occurrence counts), else the
        window's (or DTSTART's, if later)."""
        if self.rule.count is not None or self.begin <= self.dtstart:
            return self.dtstart.date()
        return self.begin.date()

    # --- DAILY, WEEKLY, MONTHLY, YEARLY ------------------------------------------------------

    def by_period(self) -> None:
        rule = self.rule
        first = _period_start(rule.freq, self.dtstart.date(), rule.wkst)
        target = _period_start(rule.freq, self.first_day(), rule.wkst)
        index = _periods_between(rule.freq, first, target) // rule.interval * rule.interval
        while True:
            start = _advance(rule.freq, first, index)
            if start is None or start > self.last.date():
                raise _Stop
            days = _period_days(rule.freq, start)
            self.step(datetime.combine(start, time()), len(days))
            chosen = [day for day in days if day_matches(rule, day)]
            for moment in _select_positions(rule.bysetpos, chosen, self.times):
                self.offer(moment)
            index += rule.interval

    # --- HOURLY, MINUTELY, SECONDLY --------------------------------------------------------

    def sub_daily(self) -> None:
        rule = self.rule
        unit = SUB_DAILY_SECONDS[rule.freq]
        step = unit * rule.interval
        origin = self.dtstart.replace(microsecond=0)
        if rule.freq == "HOURLY":
            origin = origin.replace(minute=0, second=0)
        elif rule.freq == "MINUTELY":
            origin = origin.replace(second=0)
        # A day's periods start at the same times of day as those of every day whose midnight
        # lies at the same point of the grid ("phase"): once a whole day at some phase has
        # given nothing, so will every other. When every phase has, the rule never matches
        # (FREQ=SECONDLY;INTERVAL=2;BYSECOND=1 from an even second), and the walk ends there.
        phases = step // gcd(step, 86400)
        barren: set[int] = set()
        # Without COUNT, nothing before the window counts: its first day is walked from the
        # period that holds `begin`, not from midnight.
        self.walk_from = self.begin - timedelta(seconds=unit) if self.rule.count is None \
            else self.dtstart
        day = self.first_day()
        while day <= self.last.date():
            midnight = datetime.combine(day, time())
            self.step(midnight)
            whole = midnight >= max(self.dtstart, self.walk_from)
            phase = (midnight - origin) // timedelta(seconds=1) % step
            if day_matches(rule, day) and not (whole and phase in barren):
                before = self.offered
                for block_start, block_end in self._blocks(midnight):
                    self._periods_in(origin, step, block_start, block_end)
                if whole and self.offered == before:
                    barren.add(phase)
                    if len(barren) == phases:
                        raise _Stop
            day += timedelta(days=1)
        raise _Stop

    def _blocks(self, midnight: datetime) -> list[tuple[datetime, datetime]]:
        """The stretches of a day where a period may start: BYHOUR (and, below HOURLY,
        BYMINUTE) limit where, so only those hours and minutes are walked."""
        rule = self.rule
        hours = rule.byhour or range(24)
        if rule.freq == "HOURLY" or not rule.byminute:
            if not rule.byhour:
                return [(midnight, midnight + timedelta(days=1))]
            return [(midnight + timedelta(hours=h), midnight + timedelta(hours=h + 1))
                    for h in hours]
        return [(midnight + timedelta(hours=h, minutes=m),
                 midnight + timedelta(hours=h, minutes=m + 1))
                for h in hours for m in rule.byminute]

    def _periods_in(self, origin: datetime, step: int, start: datetime, end: datetime) -> None:
        """Each period of the rule's grid (every INTERVAL-th hour, minute or second from
        DTSTART's) that starts in [start, end), with the times the rule selects in it."""
        rule = self.rule
        start = max(start, self.walk_from)
        offset = -((origin - start) // timedelta(seconds=step))  # periods to the first >= start
        moment = origin + timedelta(seconds=step * max(offset, 0))
        self.step(start)
        while moment < end:
            self.step(moment)
            if (not rule.byhour or moment.hour in rule.byhour) and \
                    (rule.freq == "HOURLY" or not rule.byminute or moment.minute in rule.byminute) and \
                    (rule.freq != "SECONDLY" or not rule.bysecond or moment.second in rule.bysecond):
                for chosen in _select_positions(rule.bysetpos, [moment.date()],
                                                self._times_in_period(moment)):
                    self.offer(chosen)
            moment += timedelta(seconds=step)

    def _times_in_period(self, moment: datetime) -> list[time]:
        rule = self.rule
        if rule.freq == "HOURLY":
            minutes = rule.byminute or (self.dtstart.minute,)
            seconds = rule.bysecond or (self.dtstart.second,)
            return [time(moment.hour, m, s) for m in minutes for s in seconds if s < 60]
        if rule.freq == "MINUTELY":
            seconds = rule.bysecond or (self.dtstart.second,)
            return [time(moment.hour, moment.minute, s) for s in seconds if s < 60]
        return [moment.time()]


# --- days -----------------------------------------------------------------------------------

def day_matches(rule: ForeignRule, day: date) -> bool:
    """Whether the rule's day parts select `day` (their intersection; a part not given
    selects every day)."""
    if rule.bymonth and day.month not in rule.bymonth:
        return False
    if rule.byweekno and not _week_matches(rule, day):
        return False
    if rule.byyearday:
        number = day.timetuple().tm_yday
        length = 366 if calendar.isleap(day.year) else 365
        if number not in rule.byyearday and number - length - 1 not in rule.byyearday:
            return False
    if rule.bymonthday:
        length = calendar.monthrange(day.year, day.month)[1]
        if day.day not in rule.bymonthday and day.day - length - 1 not in rule.bymonthday:
            return False
    if rule.byday and not any(weekday_matches(rule, day, n, w) for n, w in rule.byday):
        return False
    return True


def _week_one(year: int, wkst: int) -> date:
    """The first day of week 1: the first week (starting on WKST) with four days in the year."""
    january_first = date(year, 1, 1)
    into_week = (january_first.weekday() - wkst) % 7
    return january_first - timedelta(days=into_week) if into_week <= 3 else \
        january_first + timedelta(days=7 - into_week)


def _week_matches(rule: ForeignRule, day: date) -> bool:
    year = day.year
    if day < _week_one(year, rule.wkst):
        year -= 1
    elif day >= _week_one(year + 1, rule.wkst):
        year += 1
    first = _week_one(year, rule.wkst)
    number = (day - first).days // 7 + 1
    weeks = (_week_one(year + 1, rule.wkst) - first).days // 7
    return number in rule.byweekno or number - weeks - 1 in rule.byweekno


def _select_positions(positions: tuple[int, ...], days: list[date],
                      times: list[time]) -> Iterator[datetime]:
    """The period's candidates (each day at each time, in order), or the BYSETPOS-th of them,
    worked out by position, never listed: a YEARLY rule with every hour, minute and second has
    31 million in each year."""
    if not positions:
        return (datetime.combine(day, moment) for day in days for moment in times)
    total = len(days) * len(times)
    chosen = set()
    for position in positions:
        index = position - 1 if position > 0 else total + position
        if 0 <= index < total:
            day_index, time_index = divmod(index, len(times))
            chosen.add(datetime.combine(days[day_index], times[time_index]))
    return iter(sorted(chosen))


# --- periods --------------------------------------------------------------------------------

def _period_start(freq: str, day: date, wkst: int) -> date:
    if freq == "WEEKLY":
        return day - timedelta(days=(day.weekday() - wkst) % 7)
    if freq == "MONTHLY":
        return day.replace(day=1)
    if freq == "YEARLY":
        return date(day.year, 1, 1)
    return day


def _periods_between(freq: str, first: date, later: date) -> int:
    if freq == "WEEKLY":
        return (later - first).days // 7
    if freq == "MONTHLY":
        return (later.year - first.year) * 12 + later.month - first.month
    if freq == "YEARLY":
        return later.year - first.year
    return (later - first).days


def _advance(freq: str, start: date, count: int) -> date | None:
    """The period `count` periods after the one starting at `start`; None past the year 9999."""
    try:
        if freq == "WEEKLY":
            return start + timedelta(weeks=count)
        if freq == "MONTHLY":
            months = start.year * 12 + start.month - 1 + count
            return date(months // 12, months % 12 + 1, 1)
        if freq == "YEARLY":
            return date(start.year + count, 1, 1)
        return start + timedelta(days=count)
    except (OverflowError, ValueError):
        return None


def _period_days(freq: str, start: date) -> list[date]:
    if freq == "WEEKLY":
        length = 7
    elif freq == "MONTHLY":
        length = calendar.monthrange(start.year, start.month)[1]
    elif freq == "YEARLY":
        length = 366 if calendar.isleap(start.year) else 365
    else:
        length = 1
    return [start + timedelta(days=i) for i in range(length)]
