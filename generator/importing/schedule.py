"""A calendar event's recurrence: its RRULE read and checked, written out as dates when Nextup
cannot store it, and the meetings the calendar itself defines, for `place` to compare with
what Nextup makes of the written file.

Every expansion here is bounded: rules Nextup cannot store are walked by foreign_rule.py, which
counts its steps; rules it can store are expanded by dateutil (independent of Nextup's own
engine) only once foreign_rule.py has found them an occurrence, so that dateutil's search never
runs to the year 9999, and dateutil's own steps are counted too. A bound that is hit is said in
the report, with the RRULE's line.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from datetime import date, datetime, time, timedelta

from ..schedule.dates import long_day
from ..content.rules import parse_rrule
from ..content.validate import EARLIEST_YEAR, FIRST_OCCURRENCE_SEARCH_YEARS, LATEST_YEAR
from ..schedule.zones import UTC, get_zone, last_local_not_after, to_local
from .draft import APPROXIMATED, INFO, REVIEW, Draft
from .foreign_rule import MAX_STEPS, ForeignRule, StepBudget, expand_rule, parse_foreign_rule
from .ics_text import broken_reason, shown

EXPANDED_LIMIT = 400  # occurrences written out for a rule Nextup cannot express
EXPANDED_DAYS = 2 * 366
CHECK_DAYS = timedelta(days=370)  # how far ahead the calendar's own meetings are worked out


@dataclass(frozen=True, slots=True)
class Change:
    """A VEVENT with a RECURRENCE-ID: one occurrence moved, renamed or cancelled."""

    original: object  # calendar.Moment: the occurrence it changes
    moved: object | None  # calendar.Moment: its new start, None if it keeps its own
    length: timedelta | None  # its own length, None if it keeps the series'
    title: str | None
    cancelled: bool
    this_and_future: bool  # RANGE=THISANDFUTURE
    line: int
    fields: dict = field(default_factory=dict)  # DESCRIPTION, LOCATION, URL as written


class UnimportableRule(Exception):
    """An RRULE that cannot be imported; `line` is where it is written."""

    def __init__(self, message: str, line: int):
        super().__init__(message)
        self.line = line


def read_rule(draft: Draft, line: int, rrules: list, series_start: datetime,
              budget: StepBudget) -> ForeignRule | None:
    """The series' RRULE, checked; sets draft.rrule when Nextup can follow it as written.
    None when there is none, or when it gives no occurrence at all (RFC 5545 then has the
    series meet once, at DTSTART; said so). Raises UnimportableRule when it cannot be imported."""
    if not rrules:
        return None
    if len(rrules) > 1:
        draft.note(REVIEW, f"it has {len(rrules)} RRULEs (RFC 5545 allows one): only the first "
                   f"(line {line}) was imported")
    broken = broken_reason(rrules[0])
    if broken:
        raise UnimportableRule(f"RRULE: {shown(str(rrules[0]))} cannot be read ({broken}); "
                            "correct the rule in the calendar", line)
    text = rrules[0].to_ical().decode()
    rule, problem = parse_foreign_rule(text)
    if problem:
        raise UnimportableRule(f"RRULE: {problem}; correct the rule in the calendar", line)
    if rule.until is not None and rule.until.year > LATEST_YEAR:
        draft.note(APPROXIMATED, f"its RRULE (line {line}) ends in the year {rule.until.year}, "
                   f"after Nextup's last year ({LATEST_YEAR}): imported as a series without end")
        rule = replace(rule, until=None, until_is_utc=False)
        text = re.sub(r"(^|;)UNTIL=[^;]*", "", text).lstrip(";")
    if rule.until is not None and rule.until.year < EARLIEST_YEAR:
        raise UnimportableRule(f"RRULE: it ends in the year {rule.until.year}, before Nextup's "
                            f"first year ({EARLIEST_YEAR}) and before its DTSTART: correct "
                            "UNTIL in the calendar", line)
    probe = expand_rule(rule, series_start, until_local(rule, draft.timezone), series_start,
                        series_start + timedelta(days=366 * FIRST_OCCURRENCE_SEARCH_YEARS),
                        limit=1, budget=budget)
    if not probe.starts and probe.stopped is None:
        draft.note(REVIEW, f"its RRULE (line {line}) gives no occurrence in the "
                   f"{FIRST_OCCURRENCE_SEARCH_YEARS} years after its start (check that its days "
                   "exist: there is no 30 February): imported as the one meeting at its start")
        return None
    fields, errors = parse_rrule(text)
    if errors:
        draft.note(APPROXIMATED, f'Nextup cannot follow its rule "{shown(text, 120)}" '
                   f"({errors[0].message}): its occurrences are written out as rdates")
        return rule
    draft.rrule = text
    return rule


def until_local(rule: ForeignRule, zone: str) -> datetime | None:
    """The rule's UNTIL as an inclusive wall-clock limit in `zone`, read as Nextup reads its own
    rules (validate.py): a UTC instant through the zone, a date as its whole day."""
    if rule.until is None:
        return None
    if isinstance(rule.until, datetime):
        if rule.until_is_utc:
            return last_local_not_after(rule.until.replace(tzinfo=UTC), zone)
        return rule.until
    return datetime.combine(rule.until, time(23, 59, 59))


def expand_into_rdates(draft: Draft, now: datetime, rule: ForeignRule, line: int,
                       series_start: datetime, cancelled: set[datetime],
                       budget: StepBudget) -> None:
    """A rule Nextup cannot express, as its next occurrences: from now, up to two years or
    EXPANDED_LIMIT of them, in the series' wall clock. Raises UnimportableRule when the walk's bound
    is hit before any occurrence is found."""
    zone = draft.timezone
    now_local = to_local(now, zone)
    begin = now_local - timedelta(minutes=draft.duration)
    end = now_local + timedelta(days=EXPANDED_DAYS)
    limit = until_local(rule, zone)
    expansion = expand_rule(rule, series_start, limit, begin, end,
                            limit=EXPANDED_LIMIT + len(cancelled), budget=budget)
    starts = set(expansion.starts)
    if begin <= series_start <= end:
        starts.add(series_start)  # DTSTART is always an occurrence (RFC 5545 3.8.5.3)
    found = sorted({_to_minute(s) for s in starts if s not in cancelled})
    seconds_dropped = any(s.second or s.microsecond for s in starts)
    budget_hit = expansion.hit_bound
    if not found and budget_hit:
        raise UnimportableRule(f"RRULE: {expansion.stopped}, and found no occurrence from "
                            f"{long_day(now_local.date())}: the rule is too costly to follow; "
                            "list its dates as RDATEs, or simplify it", line)
    cut = expansion.stopped is not None or len(found) > EXPANDED_LIMIT
    found = found[:EXPANDED_LIMIT]
    extra = sorted(set(found) | set(draft.rdates))
    if not extra:
        past = expand_rule(rule, series_start, limit, now_local - timedelta(days=EXPANDED_DAYS),
                           now_local, budget=budget)
        extra = [_to_minute(past.starts[-1])] if past.starts else [draft.start]
    draft.start, draft.rdates = extra[0], extra[1:]
    draft.exdates = []
    if seconds_dropped:
        draft.note(APPROXIMATED, "its occurrences had seconds: each written at its minute, "
                   "once")
    if budget_hit:
        draft.note(REVIEW, f"its RRULE (line {line}) {expansion.stopped}; {len(extra)} "
                   f"occurrence(s) written out, up to {long_day(extra[-1].date())}: check the "
                   "rule in the calendar, and add any later dates to rdates")
    elif cut:
        draft.note(REVIEW, f"{len(extra)} occurrence(s) written out, up to "
                   f"{long_day(extra[-1].date())}; the calendar's series goes on, but this "
                   "event stops there: add more dates to rdates before then")
    else:
        draft.note(INFO, f"all {len(extra)} remaining occurrence(s) written out as rdates")
    if cut and found:
        # The source goes on; the file stops at its last date on purpose (said above), so the
        # comparison with the source stops there too.
        last = found[-1]
        draft.expected_until = last.replace(tzinfo=get_zone(zone)).astimezone(UTC) + \
            timedelta(seconds=1)


def _to_minute(moment: datetime) -> datetime:
    return moment.replace(second=0, microsecond=0)


def source_meetings(draft: Draft, rule: ForeignRule | None, tzinfo, wall_start: datetime,
                    now: datetime, rdates: list[datetime], exdates: list[datetime | date],
                    changes: list[Change], budget: StepBudget) -> tuple[list | None, datetime | None]:
    """Occurrences of the coming year as the calendar defines them, as (start, end, title or
    None) in UTC, read through the calendar's own VTIMEZONE (`tzinfo`); and the instant up to
    which they are known (None: the whole year), if the walk's bound stopped it earlier.
    (None, None) when there is nothing trustworthy to compare with."""
    # `place` compares the meetings that start from a day after `now`: from `now` is enough.
    begin = now.astimezone(tzinfo).replace(tzinfo=None)
    end = (now + CHECK_DAYS).astimezone(tzinfo).replace(tzinfo=None)
    if draft.expected_until is not None:  # the file stops there on purpose: so does the check
        end = min(end, draft.expected_until.astimezone(tzinfo).replace(tzinfo=None))
    complete_until = end
    starts: set[datetime] = set()
    if rule is not None:
        limit = until_local(rule, draft.timezone)
        if draft.rrule is not None:
            try:
                walked = _dateutil_starts(draft.rrule, rule, tzinfo, wall_start, limit, begin,
                                          end, budget)
            except _NotCompared as reason:
                draft.note(REVIEW, f"its meetings were not compared with the calendar's: {reason}")
                return None, None
        else:  # written out as dates, each at its minute (as the report says)
            expansion = expand_rule(rule, wall_start, limit, begin, end, budget=budget)
            walked = ([_to_minute(s) for s in expansion.starts], expansion.complete_until)
        found, complete_until = walked
        starts.update(found)
    starts.update(s for s in [wall_start, *rdates] if begin <= s <= end)
    cancelled_moments = {e for e in exdates if isinstance(e, datetime)}
    cancelled_days = {e for e in exdates if not isinstance(e, datetime)}
    by_original = {_wall(change.original, tzinfo): change for change in changes}
    length = timedelta(minutes=draft.duration)
    found = []
    for local in sorted(starts):
        if local > complete_until:
            break
        if local in cancelled_moments or local.date() in cancelled_days:
            continue
        instant = rfc_instant(local, tzinfo)
        change = by_original.pop(local, None)
        if change is None:
            found.append((instant, instant + length, None))
            continue
        if change.cancelled:
            continue
        moved = change.moved
        moved_instant = (instant if moved is None else moved.instant if moved.instant is not None
                         else rfc_instant(moved.wall, tzinfo))
        title = change.title if change.title != draft.title else None
        found.append((moved_instant, moved_instant + (change.length or length), title))
    until = None
    if complete_until < end:
        until = rfc_instant(complete_until, tzinfo)
        draft.note(REVIEW, f"the calendar's own meetings were worked out only up to "
                   f"{long_day(complete_until.date())} (the rule has too many to follow "
                   f"further); the check with the source stops there")
    if draft.expected_until is not None:
        until = draft.expected_until if until is None else min(until, draft.expected_until)
    return sorted(found), until


def _dateutil_starts(text: str, rule: ForeignRule, tzinfo, wall_start: datetime,
                     limit: datetime | None, begin: datetime, end: datetime, budget: StepBudget):
    """(starts in [begin, end], complete up to) of a rule Nextup stores, by dateutil; raises
    _NotCompared when that cannot be worked out. dateutil searches to the year 9999 for a rule that matches
    nothing more, so it is asked only once foreign_rule.py has found an occurrence after
    `begin`: from there on, a rule's days recur at least every 400 years (the Gregorian cycle),
    so each of its steps is bounded; their number is counted as well."""
    from dateutil.rrule import rrulestr

    probe = expand_rule(rule, wall_start, limit, begin, end + timedelta(days=1), limit=1,
                        budget=budget)
    if not probe.starts:
        if probe.hit_bound:
            raise _NotCompared(f"finding its next occurrence {probe.stopped}")
        return [], end
    allowed = min(MAX_STEPS, budget.left)
    found, steps, complete_until = [], 0, end
    try:
        for local in rrulestr(_until_as_wall_clock(text, tzinfo), dtstart=wall_start):
            steps += 1
            if local > end:
                break
            if steps > allowed:
                complete_until = local - timedelta(seconds=1)
                break
            if local >= begin:
                found.append(local)
    except (ValueError, TypeError, OverflowError) as error:
        raise _NotCompared(f"dateutil cannot read its rule ({shown(str(error), 120)})") from None
    finally:
        budget.spend(steps)
    return found, complete_until


class _NotCompared(Exception):
    """Why the calendar's own meetings cannot be worked out."""


def _until_as_wall_clock(rule_text: str, tzinfo) -> str:
    """The rule with a UTC UNTIL restated in the series' wall clock, as dateutil wants it for a
    series expanded in wall-clock time."""
    def restate(match: re.Match) -> str:
        instant = datetime.strptime(match.group(1), "%Y%m%dT%H%M%S").replace(tzinfo=UTC)
        return "UNTIL=" + instant.astimezone(tzinfo).strftime("%Y%m%dT%H%M%S")

    return re.sub(r"UNTIL=(\d{8}T\d{6})Z", restate, rule_text)


def _wall(moment, tzinfo) -> datetime:
    if moment.instant is None:
        return moment.wall
    return moment.instant.astimezone(tzinfo).replace(tzinfo=None)


def rfc_instant(wall: datetime, tzinfo) -> datetime:
    """A wall-clock time in any zone (here the calendar's own VTIMEZONE) read as RFC 5545 says:
    a time that happens twice is its first pass; a time a clock change skips uses the offset
    from before the change. dateutil, which reads VTIMEZONEs, does neither on its own."""
    near = {wall.replace(tzinfo=tzinfo, fold=fold).utcoffset() for fold in (0, 1)}
    if len(near) == 1:  # most times: one offset; unless it is skipped, that is the instant
        offset = next(iter(near))
        moment = (wall - offset).replace(tzinfo=UTC)
        if moment.astimezone(tzinfo).replace(tzinfo=None) == wall:
            return moment
    for offset in list(near):  # the offsets either side of a change within two hours
        for step in (-2, 2):
            moment = (wall - offset + timedelta(hours=step)).replace(tzinfo=UTC)
            near.add(moment.astimezone(tzinfo).utcoffset())
    real = [wall - offset for offset in near
            if (wall - offset).replace(tzinfo=UTC).astimezone(tzinfo).replace(tzinfo=None) == wall]
    if real:
        return min(real).replace(tzinfo=UTC)
    return (wall - min(near)).replace(tzinfo=UTC)  # skipped: clocks went forward, from the smaller
