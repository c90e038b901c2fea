"""VTIMEZONE components built from the IANA database that Nextup itself uses (tzdata).

A calendar client that does not know a zone by name reads its offsets from VTIMEZONE, so it must
be right for every date the client may expand, not only the next few months. The TZif file holds
the history as explicit transitions and the rule in force today as a POSIX TZ string (its
footer). We write the history from the first year an event needs as explicit observances, and
the footer as RRULE observances, which stay right for every later year (and are the form Outlook
understands).
"""
from __future__ import annotations

import calendar
import re
import struct
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from functools import lru_cache

_UTC = timezone.utc
_WEEKDAY_CODES = ("SU", "MO", "TU", "WE", "TH", "FR", "SA")  # POSIX counts from Sunday
_FALLBACK_LAST_YEAR = 2100  # explicit transitions this far when the footer has no RRULE form


@dataclass(frozen=True, slots=True)
class _Type:
    offset: int  # seconds east of UTC
    is_dst: bool
    name: str


@dataclass(frozen=True, slots=True)
class _Transition:
    at: int  # Unix time
    before: _Type
    after: _Type


def read_tzif(zone: str) -> bytes:
    from importlib import resources  # only when a calendar is written: it costs an import chain

    return resources.files("tzdata").joinpath("zoneinfo", *zone.split("/")).read_bytes()


def _parse_tzif(data: bytes) -> tuple[list[tuple[int, _Type]], _Type, str]:
    """(transitions as (unix time, new type), the type before the first, footer TZ string)."""
    if data[:4] != b"TZif":
        raise ValueError("not a TZif file")
    counts = struct.unpack(">6l", data[20:44])
    isut, isstd, leap, times, types, chars = counts
    offset = 44 + times * 5 + types * 6 + chars + leap * 8 + isstd + isut  # skip version 1 data
    isut, isstd, leap, times, types, chars = struct.unpack(">6l", data[offset + 20:offset + 44])
    position = offset + 44
    moments = struct.unpack(f">{times}q", data[position:position + times * 8])
    position += times * 8
    indexes = data[position:position + times]
    position += times
    raw_types = [struct.unpack(">lBB", data[position + i * 6:position + i * 6 + 6])
                 for i in range(types)]
    position += types * 6
    names = data[position:position + chars]
    table = [_Type(off, bool(dst), names[abbr:names.index(b"\0", abbr)].decode("ascii"))
             for off, dst, abbr in raw_types]
    footer = data.rstrip(b"\n").rsplit(b"\n", 1)[1].decode("ascii")
    return [(m, table[i]) for m, i in zip(moments, indexes)], table[0], footer


# --- POSIX TZ footer ----------------------------------------------------------------------------

_NAME = r"(?:<[^>]+>|[A-Za-z]{3,})"
_OFFSET = r"[+-]?\d{1,2}(?::\d{2}(?::\d{2})?)?"
_FOOTER = re.compile(rf"^(?P<std>{_NAME})(?P<stdoff>{_OFFSET})"
                     rf"(?:(?P<dst>{_NAME})(?P<dstoff>{_OFFSET})?,(?P<start>[^,]+),(?P<end>[^,]+))?$")
_RULE = re.compile(r"^M(?P<month>\d{1,2})\.(?P<week>[1-5])\.(?P<weekday>[0-6])"
                   r"(?:/(?P<time>[+-]?\d{1,3}(?::\d{2}(?::\d{2})?)?))?$")


def _seconds(text: str) -> int:
    sign = -1 if text.startswith("-") else 1
    parts = [int(p) for p in text.lstrip("+-").split(":")] + [0, 0]
    return sign * (parts[0] * 3600 + parts[1] * 60 + parts[2])


@dataclass(frozen=True, slots=True)
class _YearlyRule:
    month: int
    week: int  # 1-4, or 5 meaning "last"
    weekday: int  # 0 = Sunday
    time: int  # seconds after local midnight, in the offset before the change; may be <0 or >24h

    def local_moment(self, year: int) -> datetime:
        first_weekday = (calendar.weekday(year, self.month, 1) + 1) % 7  # Sunday = 0
        day = 1 + (self.weekday - first_weekday) % 7 + (self.week - 1) * 7
        length = calendar.monthrange(year, self.month)[1]
        while day > length:
            day -= 7
        return datetime(year, self.month, day) + timedelta(seconds=self.time)

    def rrule(self) -> tuple[str, int] | None:
        """RRULE text and the local time of day, or None if RRULE cannot say it plainly."""
        shift, time_of_day = divmod(self.time, 86400)
        weekday = _WEEKDAY_CODES[(self.weekday + shift) % 7]
        if shift == 0:
            ordinal = -1 if self.week == 5 else self.week
            return f"FREQ=YEARLY;BYMONTH={self.month};BYDAY={ordinal}{weekday}", time_of_day
        # "The Saturday before the last Sunday" and the like: that weekday within shifted days,
        # kept to days that every month has. Days counted from the end of the month are written
        # from its start (ical.js finds nothing for BYMONTHDAY=-8,...,-2 with BYDAY), so only
        # for months whose length never changes.
        if self.week == 5:
            length = calendar.monthrange(2001, self.month)[1]
            low, high = length - 6 + shift, length + shift
            valid = high <= length and low >= 1 and self.month != 2
        else:
            low, high = 7 * (self.week - 1) + 1 + shift, 7 * self.week + shift
            valid = low >= 1 and high <= 28
        if not valid:
            return None
        monthdays = ",".join(str(d) for d in range(low, high + 1))
        return (f"FREQ=YEARLY;BYMONTH={self.month};BYDAY={weekday};BYMONTHDAY={monthdays}",
                time_of_day)


def _parse_rule(text: str) -> _YearlyRule | None:
    match = _RULE.match(text)
    if not match:
        return None  # Julian-day forms: no zone in use today needs them
    time = _seconds(match["time"]) if match["time"] else 7200
    return _YearlyRule(int(match["month"]), int(match["week"]), int(match["weekday"]), time)


@dataclass(frozen=True, slots=True)
class _Footer:
    standard: _Type
    daylight: _Type | None = None
    starts: _YearlyRule | None = None  # when daylight time begins
    ends: _YearlyRule | None = None

    def transitions(self, year: int) -> list[_Transition]:
        if not self.daylight:
            return []
        found = [
            _Transition(_unix(self.starts.local_moment(year), self.standard.offset),
                        self.standard, self.daylight),
            _Transition(_unix(self.ends.local_moment(year), self.daylight.offset),
                        self.daylight, self.standard),
        ]
        return sorted(found, key=lambda t: t.at)


def _parse_footer(text: str) -> _Footer | None:
    match = _FOOTER.match(text)
    if not match:
        return None
    standard = _Type(-_seconds(match["stdoff"]), False, match["std"].strip("<>"))
    if not match["dst"]:
        return _Footer(standard)
    dst_offset = -_seconds(match["dstoff"]) if match["dstoff"] else standard.offset + 3600
    starts, ends = _parse_rule(match["start"]), _parse_rule(match["end"])
    if not starts or not ends:
        return None
    return _Footer(standard, _Type(dst_offset, True, match["dst"].strip("<>")), starts, ends)


def _unix(local: datetime, offset: int) -> int:
    return int((local - timedelta(seconds=offset)).replace(tzinfo=_UTC).timestamp())


# --- VTIMEZONE text ----------------------------------------------------------------------------

def _offset_text(seconds: int) -> str:
    sign = "-" if seconds < 0 else "+"
    hours, rest = divmod(abs(seconds), 3600)
    minutes, secs = divmod(rest, 60)
    return f"{sign}{hours:02d}{minutes:02d}" + (f"{secs:02d}" if secs else "")


def _local_text(moment: datetime) -> str:
    return moment.strftime("%Y%m%dT%H%M%S")


def _observance(kind_type: _Type, offset_from: int, start_local: datetime,
                rrule: str | None = None) -> list[str]:
    kind = "DAYLIGHT" if kind_type.is_dst else "STANDARD"
    lines = [f"BEGIN:{kind}", f"DTSTART:{_local_text(start_local)}"]
    if rrule:
        lines.append(f"RRULE:{rrule}")
    lines += [f"TZOFFSETFROM:{_offset_text(offset_from)}",
              f"TZOFFSETTO:{_offset_text(kind_type.offset)}",
              f"TZNAME:{kind_type.name}", f"END:{kind}"]
    return lines


def _local_of(transition: _Transition) -> datetime:
    """A transition's moment as the wall clock showed it just before (RFC 5545 DTSTART)."""
    return (datetime(1970, 1, 1) + timedelta(seconds=transition.at + transition.before.offset))


@lru_cache(maxsize=None)
def vtimezone_lines(zone: str, first_year: int) -> tuple[str, ...]:
    """VTIMEZONE content lines for `zone`, right from 1 January `first_year` onwards."""
    explicit, initial, footer_text = _parse_tzif(read_tzif(zone))
    footer = _parse_footer(footer_text)
    range_start = _unix(datetime(first_year, 1, 1), 0) - 86400 * 2

    transitions: list[_Transition] = []
    previous = initial
    for moment, kind in explicit:
        transitions.append(_Transition(moment, previous, kind))
        previous = kind
    last_explicit = transitions[-1].at if transitions else None
    # 1 January as the zone's wall clock shows it: a change in the days before (Samoa skipped
    # 30 December 2011) is already in force, and listing it would put it after this observance.
    first_moment = _first_moment(zone, first_year)
    in_force = _type_at(zone, first_moment)

    lines = ["BEGIN:VTIMEZONE", f"TZID:{zone}"]
    # The state on the first day we need, as an observance of its own.
    lines += _observance(in_force, in_force.offset, datetime(first_year, 1, 1))
    for transition in transitions:
        if transition.at > first_moment and (transition.before.offset != transition.after.offset
                                            or transition.before.name != transition.after.name):
            lines += _observance(transition.after, transition.before.offset, _local_of(transition))

    if footer is not None and footer.daylight is not None:
        lines += _footer_observances(footer, last_explicit, range_start)
    lines.append("END:VTIMEZONE")
    return tuple(lines)


def _footer_observances(footer: _Footer, last_explicit: int | None, range_start: int) -> list[str]:
    after = max(last_explicit if last_explicit is not None else range_start, range_start)
    year = datetime.fromtimestamp(after, _UTC).year
    upcoming = [t for y in (year, year + 1) for t in footer.transitions(y) if t.at > after]
    lines: list[str] = []
    for rule, first in ((footer.starts, next(t for t in upcoming if t.after.is_dst)),
                        (footer.ends, next(t for t in upcoming if not t.after.is_dst))):
        form = rule.rrule()
        if form is not None:
            lines += _observance(first.after, first.before.offset, _local_of(first), form[0])
            continue
        # No plain RRULE for this rule: list its transitions explicitly, far ahead.
        for y in range(datetime.fromtimestamp(first.at, _UTC).year, _FALLBACK_LAST_YEAR + 1):
            for transition in footer.transitions(y):
                if transition.after.is_dst == first.after.is_dst and transition.at >= first.at:
                    lines += _observance(transition.after, transition.before.offset,
                                         _local_of(transition))
    return lines


def _first_moment(zone: str, year: int) -> int:
    """The Unix time of 00:00 on 1 January `year` in the zone."""
    from ..schedule import zones

    return int(zones.to_utc(datetime(year, 1, 1), zone).timestamp())


def _type_at(zone: str, moment: int) -> _Type:
    """The offset, DST flag and abbreviation in force at a Unix time (from zoneinfo itself)."""
    from ..schedule import zones

    local = datetime.fromtimestamp(moment, zones.get_zone(zone))
    return _Type(int(local.utcoffset().total_seconds()), bool(local.dst()), local.tzname())
