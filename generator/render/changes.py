"""Schedule changes in words: what one commit changed about an event, for /changes.atom.

Two versions of an event are compared as the build reads them (Event records from the
project's own loader and validator), never as text, so a reworded description or a reordered
list says nothing, and a moved time says what a reader needs: "Monthly review moves from 18:00
to 19:00 London from Tuesday 3 June 2027". A session record (content/sessions/) adds what only
it says: one occurrence cancelled with its reason, or a join link for that day.

Each change has a `kind` that is unique within its commit and event ("time", "cancelled/
2027-05-12"), so that the feed can give it an id that never changes.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from ..model import Event
from ..schedule.dates import MONTHS, WEEKDAYS, clock, duration_words, long_day
from ..schedule.expand import expand_occurrences, next_occurrences
from ..schedule.zones import get_zone
from .words import schedule_in_words


@dataclass(frozen=True, slots=True)
class ScheduleChange:
    """One change, as the changes feed shows it."""

    commit: str  # the full hash of the commit that made it
    when: datetime  # aware: the commit's time
    event: str  # slug
    kind: str  # what changed, unique within the commit and event: "time", "cancelled/2027-05-12"
    text: str  # the change in one sentence: "EuroAsia Scrum: Tuesday 12 May 2027 cancelled"
    on_site: bool = True  # False: the event is gone, its page with it


@dataclass(frozen=True, slots=True)
class SessionVersion:
    """What a session record says that changes the schedule: one occurrence cancelled (with
    why), or met through its own join link."""

    key: str  # "2027-05-12" or "2027-05-12-1400": the scheduled local date (and time)
    day: date
    cancelled: bool = False
    reason: str | None = None
    url: str | None = None


def _with_reason(text: str, reason: str | None) -> str:
    return f"{text} — {reason}" if reason else text


def _zone_place(zone: str) -> str:
    """"Europe/London" -> "London", as people name a meeting's time: "19:00 London"."""
    return zone.rsplit("/", 1)[-1].replace("_", " ")


def _local_day(value: datetime | date) -> date:
    return value.date() if isinstance(value, datetime) else value


def _first_from(event: Event, when: datetime) -> str:
    """" from Tuesday 3 June 2027": the first meeting on the new schedule after the change
    (empty when there is none)."""
    upcoming = next_occurrences(event, when, 1)
    if not upcoming:
        return ""
    return " from " + long_day(upcoming[0].start.astimezone(get_zone(event.timezone)).date())


def _meets_on(event: Event, day: date) -> bool:
    """The series has a meeting on this local day (where it stays, or from where an override
    moved it)."""
    zone = get_zone(event.timezone)
    midnight = datetime.combine(day, datetime.min.time(), zone)
    found = expand_occurrences(event, midnight - timedelta(days=1), midnight + timedelta(days=2))
    return any(o.start.astimezone(zone).date() == day
               or (o.original is not None and o.original.date() == day) for o in found)


def _lower_first(text: str) -> str:
    """A sentence's start made to go on another's: "Every Monday" -> "every Monday", but
    "Friday 26 March" keeps its capital."""
    if text.split(" ", 1)[0] in WEEKDAYS + MONTHS:
        return text
    return text[:1].lower() + text[1:]


def _timing(event: Event) -> tuple:
    return (event.start, event.timezone, event.duration, event.rule, event.all_day, event.days,
            event.skip_holidays)


def _schedule_change(before: Event, after: Event, when: datetime) -> str | None:
    if _timing(before) == _timing(after):
        return None
    title = after.title
    only_time = (not after.all_day and before.start.time() != after.start.time()
                 and before.rule == after.rule
                 and (before.timezone, before.duration, before.days)
                 == (after.timezone, after.duration, after.days)
                 and before.skip_holidays == after.skip_holidays
                 and not (after.rule and after.rule.times))
    if only_time:
        return (f"{title} moves from {clock(before.start)} to {clock(after.start)} "
                f"{_zone_place(after.timezone)}{_first_from(after, when)}")
    if (before.start, before.timezone, before.rule, before.all_day, before.days) == (
            after.start, after.timezone, after.rule, after.all_day, after.days) \
            and before.duration != after.duration and not after.all_day:
        return (f"{title} now lasts {duration_words(after.duration)} (was "
                f"{duration_words(before.duration)}){_first_from(after, when)}")
    return (f"{title} has a new schedule{_first_from(after, when)}: "
            f"{_lower_first(schedule_in_words(after))} (was: "
            f"{_lower_first(schedule_in_words(before))})")


def event_changes(before: Event | None, after: Event | None, when: datetime) -> list[tuple[str, str]]:
    """What changed from `before` to `after` (None: no published version: the file is new,
    deleted, or a draft), as (kind, sentence) pairs in a fixed order."""
    if before is None and after is None:
        return []
    if before is None:
        return [("new", f"New: {after.title}, {_lower_first(schedule_in_words(after))}")]
    if after is None:
        return [("removed", f"{before.title} is no longer on the schedule")]
    title = after.title
    changes: list[tuple[str, str]] = []
    if before.status != after.status or (after.status and before.reason != after.reason):
        if after.status:
            changes.append(("status", _with_reason(f"{title} is {after.status}", after.reason)))
        else:
            changes.append(("status", f"{title} is back on"))
    schedule = _schedule_change(before, after, when)
    if schedule:
        changes.append(("time", schedule))
    old_exdates = {_local_day(x.value) for x in before.exdates}
    new_exdates = {_local_day(x.value) for x in after.exdates}
    # Only what makes a difference: an exdate on a day a holiday already skips cancels nothing,
    # and one dropped for skip_holidays to do its work brings nothing back.
    for day in sorted(new_exdates - old_exdates):
        if _meets_on(before, day):
            changes.append((f"cancelled/{day.isoformat()}", f"{title}: {long_day(day)} cancelled"))
    for day in sorted(old_exdates - new_exdates):
        if _meets_on(after, day):
            changes.append((f"restored/{day.isoformat()}", f"{title}: {long_day(day)} is back on"))
    changes += _override_changes(before, after)
    old_rdates = {r.value for r in before.rdates}
    new_rdates = {r.value for r in after.rdates}
    for moment in sorted(new_rdates - old_rdates):
        changes.append((f"added/{moment.isoformat()}", f"{title}: an extra meeting on "
                        f"{long_day(moment.date())} at {clock(moment)} {_zone_place(after.timezone)}"))
    for moment in sorted(old_rdates - new_rdates):
        changes.append((f"dropped/{moment.isoformat()}",
                        f"{title}: no meeting on {long_day(moment.date())} after all"))
    if before.url != after.url:
        changes.append(("url", f"{title} has a new join link: {after.url}" if after.url
                        else f"{title} has no join link any more"))
    return changes


def _override_changes(before: Event, after: Event) -> list[tuple[str, str]]:
    title, place = after.title, _zone_place(after.timezone)
    old = {o.original: o for o in before.overrides}
    new = {o.original: o for o in after.overrides}
    changes = []
    for original in sorted(set(old) | set(new)):
        was, now = old.get(original), new.get(original)
        if was is not None and now is not None and (was.start, was.duration, was.title) == (
                now.start, now.duration, now.title):
            continue
        day = long_day(original.date())
        kind = f"moved/{original.isoformat()}"
        if now is None:
            changes.append((kind, f"{title}: {day} is back at {clock(original)} {place}"))
            continue
        parts = []
        if now.start is not None and now.start != original:
            target = (clock(now.start) if now.start.date() == original.date()
                      else f"{long_day(now.start.date())} at {clock(now.start)}")
            parts.append(f"moves to {target} {place}")
        if now.duration is not None:
            parts.append(f"lasts {duration_words(now.duration)}")
        if now.title is not None:
            parts.append(f"is called “{now.title}”")
        if parts:
            changes.append((kind, f"{title}: {day} " + ", ".join(parts)))
    return changes


def session_changes(title: str, before: SessionVersion | None,
                    after: SessionVersion | None) -> list[tuple[str, str]]:
    """What a change to one session record changed about the schedule."""
    current = after or before
    if current is None:
        return []
    day = long_day(current.day)
    was_cancelled = before is not None and before.cancelled
    is_cancelled = after is not None and after.cancelled
    changes = []
    if is_cancelled and (not was_cancelled or before.reason != after.reason):
        changes.append((f"cancelled/{current.key}",
                        _with_reason(f"{title}: {day} cancelled", after.reason)))
    elif was_cancelled and not is_cancelled:
        changes.append((f"restored/{current.key}", f"{title}: {day} is back on"))
    old_url = before.url if before else None
    new_url = after.url if after else None
    if old_url != new_url and not is_cancelled:
        changes.append((f"url/{current.key}", f"{title}, {day}: join at {new_url}" if new_url
                        else f"{title}, {day}: back to the usual join link"))
    return changes
