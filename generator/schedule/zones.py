"""Wall clock <-> UTC, following RFC 5545 for the hours that clocks skip or repeat.

RFC 5545 (3.3.5): a local time inside a spring-forward gap is read with the offset from before
the gap (02:30 on a day when 02:00 jumps to 03:00 becomes 03:30); a local time in the hour that
repeats at fall-back means its first instance. Python's `fold=0` gives exactly that reading
(PEP 495), so these functions only make the choice explicit and in one place.
"""
from __future__ import annotations

import zoneinfo
from datetime import date, datetime, timedelta, timezone
from functools import lru_cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

UTC = timezone.utc

def use_pinned_zones() -> None:
    """Read zones only from the pinned tzdata package (requirements.txt), never from the
    machine's /usr/share/zoneinfo: the same content then gives the same instants on every
    machine, and the VTIMEZONEs we write (from the same package) agree with them.

    Process-wide, so the entry points call it (cli.main, the tests' conftest, each worker
    process), never an import."""
    zoneinfo.reset_tzpath(to=())
    ZoneInfo.clear_cache()
    get_zone.cache_clear()


@lru_cache(maxsize=None)
def get_zone(name: str) -> ZoneInfo:
    return ZoneInfo(name)


def is_known_zone(name: str) -> bool:
    if not name or name != name.strip() or name.startswith("/") or ".." in name:
        return False
    try:
        get_zone(name)
    except (ZoneInfoNotFoundError, ValueError, OSError, UnicodeEncodeError):
        return False
    return True


def to_utc(local: datetime, zone_name: str) -> datetime:
    """The UTC instant of a naive wall-clock time in a zone (gap: offset before; fold: first)."""
    return local.replace(tzinfo=get_zone(zone_name), fold=0).astimezone(UTC)


def is_ambiguous(local: datetime, zone_name: str) -> bool:
    """True if a wall-clock time is skipped (gap) or repeated (fold) in the zone.

    Calendar clients disagree about such times (ical.js takes the later offset in both cases),
    so feeds state these occurrences as UTC instants.
    """
    zone = get_zone(zone_name)
    first = local.replace(tzinfo=zone, fold=0)
    second = local.replace(tzinfo=zone, fold=1)
    return first.utcoffset() != second.utcoffset()


def to_local(instant: datetime, zone_name: str) -> datetime:
    """The naive wall-clock time in a zone at an aware instant."""
    return instant.astimezone(get_zone(zone_name)).replace(tzinfo=None, fold=0)


def last_local_not_after(instant: datetime, zone_name: str) -> datetime:
    """The latest wall-clock time whose instant (as to_utc reads it) is not after `instant`.

    Usually just the local time at `instant`. In the second pass of a repeated hour, every
    first-pass time of that hour came earlier, so the limit is the end of the repeated hour:
    an UNTIL at 01:10 (second pass) still includes an occurrence at 01:45 (first pass).
    """
    local = instant.astimezone(get_zone(zone_name))
    naive = local.replace(tzinfo=None, fold=0)
    if not local.fold:
        return naive
    step = timedelta(minutes=1)
    while is_ambiguous(naive + step, zone_name):
        naive += step
    return naive.replace(second=0, microsecond=0) + step - timedelta(microseconds=1)


def clock_change_days(zone_name: str, first: date, last: date) -> dict[date, bool]:
    """The local dates from `first` to `last` on which the zone's offset changes (as a dict,
    for quick lookup; empty for the many zones and windows without a change)."""
    found: dict[date, bool] = {}
    for year in range(first.year, last.year + 1):
        found.update((day, True) for day in _change_days_of_year(zone_name, year)
                     if first <= day <= last)
    return found


@lru_cache(maxsize=4096)
def _change_days_of_year(zone_name: str, year: int) -> tuple[date, ...]:
    zone = get_zone(zone_name)
    found = []
    day = date(year, 1, 1)
    offset = datetime.combine(day, datetime.min.time(), zone).utcoffset()
    while day.year == year:
        following = day + timedelta(days=1)
        next_offset = datetime.combine(following, datetime.min.time(), zone).utcoffset()
        if next_offset != offset:
            found.append(day)
        day, offset = following, next_offset
    return tuple(found)


def latest_instant(local: datetime, zone_name: str) -> datetime:
    """The latest UTC instant a reader may give a wall-clock time: the second pass of a time a
    clock change repeats, the later offset's reading of one it skips. An RRULE's UNTIL at this
    instant keeps the last occurrence for every reader (render/ics.py until_instant)."""
    zone = get_zone(zone_name)
    return max(local.replace(tzinfo=zone, fold=fold).astimezone(UTC) for fold in (0, 1))
