"""Warnings: content that is legal but probably not what the editor meant.

Runs after validation, on typed events, and needs the recurrence to answer "does this exdate
match anything?". Warnings never stop a build.
"""
from __future__ import annotations

from datetime import date, datetime, timedelta
from pathlib import Path

from ..schedule.expand import expand_occurrences, is_series_start, last_start, starts_cancelled_by
from ..schedule.holidays import holidays_between
from ..schedule.recurrence import is_rule_start
from ..model import Event, Problem
from ..schedule.dates import day_month_year, long_day
from ..schedule.zones import get_zone, to_local, to_utc
from .outlook import outlook_problems


def _warning(event: Event, position, field: str, message: str, hint: str | None = None) -> Problem:
    line, column = position if position else (None, None)
    return Problem(event.source, line, column, field, message, hint, severity="warning")


def lint_event(event: Event, now: datetime, horizon_end: datetime,
               occurrences_in_horizon: int, holiday_region: str | None = None,
               site_zone: str = "UTC") -> list[Problem]:
    """`holiday_region`: site.toml's, for the warning about meetings on its holidays;
    `site_zone`: the zone in which review_by dates pass."""
    problems = []
    problems += _rule_for_outlook(event)
    if review_overdue(event, now, site_zone):
        problems.append(_warning(
            event, event.position("review_by"), "review_by",
            f"not confirmed since {day_month_year(event.review_by)}",
            "if it still meets, move review_by forward; if not, delete the file or set status"))
    if holiday_region is not None and event.status is None:
        problems += _meets_on_holidays(event, now, horizon_end, holiday_region)
    for index, exdate in enumerate(event.exdates):
        if not starts_cancelled_by(event, exdate):
            problems.append(_warning(event, event.position(*exdate.key), f"exdates[{index}]",
                                     f"{exdate.value.isoformat()} matches no occurrence of this "
                                     "event, so it cancels nothing",
                                     "check the date and the time of day against start"))
    problems += _overlapping_times(event)
    for rdate in event.rdates:
        if rdate.value == event.start or event.rule is not None and \
                is_rule_start(event.rule, event.start, rdate.value):
            problems.append(_warning(event, event.position(*rdate.key), f"rdates[{rdate.key[1]}]",
                                     f"{rdate.value.isoformat()} is already an occurrence, so "
                                     "listing it in rdates adds nothing",
                                     "remove it, or check the date and time"))
    for index, override in enumerate(event.overrides):
        if not is_series_start(event, override.original):
            problems.append(_warning(event, event.position(*override.key, "original"),
                                     f"overrides[{index}].original",
                                     f"{override.original.isoformat()} matches no occurrence of "
                                     "this event, so the override changes nothing",
                                     "original must be the date and time the occurrence would "
                                     "have had"))
    if occurrences_in_horizon == 0 and event.status is None:
        last = last_start(event)
        if last is not None and to_utc(last, event.timezone) < now:
            problems.append(_warning(event, event.position("start"), None,
                                     f"this event ended on {long_day(last.date())}",
                                     "set draft = true or delete the file to hide it"))
        else:
            problems.append(_warning(event, event.position("start"), None,
                                     "this event has no occurrence before the horizon "
                                     f"({long_day(horizon_end.date())})",
                                     "check start and the rule"))
    return problems


def review_overdue(event: Event, now: datetime, site_zone: str) -> bool:
    """Whether the event's review_by date has passed: today, in the site's zone, is later."""
    return (event.review_by is not None
            and now.astimezone(get_zone(site_zone)).date() > event.review_by)


HOLIDAYS_NAMED = 3  # meetings on holidays a warning names; the rest are counted


def _meets_on_holidays(event: Event, now: datetime, horizon_end: datetime,
                       region: str) -> list[Problem]:
    """One warning for a series that meets on the site's holiday_region's public holidays in
    the horizon, and neither skips holidays nor says it meets on them (skip_holidays = false).
    Only the holidays' own days are expanded, so this costs a few lookups per event."""
    if event.skip_holidays is not None or event.meets_on_holidays or not event.repeats:
        return []
    zone = get_zone(event.timezone)
    first, last = to_local(now, event.timezone).date(), to_local(horizon_end, event.timezone).date()
    found: list[tuple[date, str]] = []
    for day, name in sorted(holidays_between(region, first, last).items()):
        start = datetime.combine(day, datetime.min.time()).replace(tzinfo=zone)
        meetings = expand_occurrences(event, max(now, start), min(horizon_end, start + timedelta(days=1)))
        if any(o.start.astimezone(zone).date() == day for o in meetings):
            found.append((day, name))
    if not found:
        return []
    named = ", ".join(f"{long_day(day)} ({name})" for day, name in found[:HOLIDAYS_NAMED])
    more = len(found) - HOLIDAYS_NAMED
    return [_warning(event, event.position("start"), None,
                     f"meets on {len(found)} public holiday{'s' if len(found) != 1 else ''} of "
                     f"{region} before the horizon: {named}"
                     + (f", and {more} more" if more > 0 else ""),
                     f'add skip_holidays = "{region}" to cancel those meetings, or '
                     "skip_holidays = false if it does meet on holidays")]


def _rule_for_outlook(event: Event) -> list[Problem]:
    if event.rule is None:
        return []
    found = outlook_problems(event.rule)
    if not found:
        return []
    key = "rrule" if event.position("rrule") else "repeat"
    pattern, rewrite = found[0]
    return [_warning(event, event.position(key), key,
                     f"Outlook cannot show this rule ({pattern}) and may drop the series or "
                     "show it differently", rewrite)]


class SameStartCheck:
    """Two events of one category starting at the same moment: two scrums at once is usually a
    typo in a time or a zone. Reported once per event, for its first clash, on its file.

    (Overlapping but not simultaneous events are common in a large community, so only the same
    start counts.) Offered every occurrence in start order, it needs to remember only those at
    the current start.
    """

    LIMIT = 20  # more of these would drown every other message: the rest are counted

    def __init__(self, events):
        self.by_slug = {e.slug: e for e in events}
        self.start = None
        self.first: dict[str, str] = {}  # category -> first event at the current start
        self.warned: set[str] = set()
        self._problems: list[Problem] = []

    @property
    def problems(self) -> list[Problem]:
        extra = len(self.warned) - len(self._problems)
        if extra <= 0:
            return self._problems
        folder = str(Path(next(iter(self.by_slug.values())).source).parent)
        return self._problems + [Problem(
            folder, None, None, None,
            f"{extra} more events start at the same time as another of their category",
            "run check and fix the ones above first; often one zone or time is wrong for many",
            severity="warning")]

    def offer(self, slug: str, start_key, occurrence) -> None:
        """`start_key` orders and groups starts; `occurrence.instant` is the start itself."""
        if start_key != self.start:
            self.start, self.first = start_key, {}
        event = self.by_slug[slug]
        other = self.first.setdefault(event.category, slug)
        if other == slug or slug in self.warned:
            return
        self.warned.add(slug)
        if len(self._problems) == self.LIMIT:
            return
        local = to_local(occurrence.instant, event.timezone)
        self._problems.append(_warning(
            event, event.position("start"), None,
            f"starts at the same time as {self.by_slug[other].title} ({other}), also "
            f"{event.category}, on {long_day(local.date())} at {local:%H:%M} ({event.timezone})",
            "check the time and the zone of both events"))


def _overlapping_times(event: Event) -> list[Problem]:
    """Times of day closer together than the meeting lasts: the event would overlap itself."""
    times = event.rule.times if event.rule is not None else ()
    for earlier, later in zip(times, times[1:]):
        gap = (later.hour * 60 + later.minute) - (earlier.hour * 60 + earlier.minute)
        if gap < event.duration:
            return [_warning(event, event.position("duration"), "duration",
                             f"the meetings at {earlier:%H:%M} and {later:%H:%M} overlap: "
                             f"each lasts {event.duration} minutes",
                             "shorten the duration, or space the times further apart")]
    return []
