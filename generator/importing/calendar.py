"""`import ics`: any RFC 5545 calendar (Google, Outlook, Apple, Meetup, Nextup's own) as drafts.

One draft per series (VEVENTs sharing a UID): the VEVENT without RECURRENCE-ID gives the rule,
RDATEs and EXDATEs; each VEVENT with a RECURRENCE-ID moves, renames or cancels one occurrence.

Times: a series keeps the wall-clock times of its DTSTART's zone, so its rule means what it
meant in the calendar. TZIDs are read as IANA names, Windows names (Outlook), or prefixed
IANA names (Mozilla); a TZID that is none of these is matched by its VTIMEZONE's offsets. The
calendar's VTIMEZONE definitions are what instants are computed from, and the importer checks
the IANA zone agrees with them. All-day events come in as all-day events (`date`, `days`), in
the calendar's zone (X-WR-TIMEZONE) or --zone (their countdown's zone); floating times are read in
that zone, and said so.

Whatever a file holds, each problem is reported at its line (ics_text.py finds them) and the
rest of the calendar imports: a value that cannot be read, a date outside Nextup's years, an
end before the start. Every recurrence is expanded in bounded steps (foreign_rule.py,
schedule.py), so a hostile rule ends in a report, not in a hang.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone

from ..schedule.dates import long_day
from ..content.validate import EARLIEST_YEAR, LATEST_YEAR, MAX_ALL_DAY_DAYS, MAX_DURATION_MINUTES
from ..text import slugify
from ..schedule.zones import get_zone, to_utc
from .draft import APPROXIMATED, INFO, REVIEW, Draft, looks_like_html, markdown_from_plain_text
from .foreign_rule import MAX_IMPORT_STEPS, StepBudget, parse_foreign_rule
from .ics_text import Component, broken_reason, scan_calendar_file, shown
from .schedule import Change, UnimportableRule, expand_into_rdates, read_rule, source_meetings
from .zone_names import iana_name, windows_zones

UTC = timezone.utc
NEXTUP_PRODID = "-//Nextup//"
DEFAULT_DURATION = 60  # for an event with no end, which calendars show as taking no time
_CONFERENCE = re.compile(r"https://(?:meet\.google\.com|[\w.-]*zoom\.us/j|teams\.microsoft\.com"
                         r"/l/meetup-join|meet\.jit\.si)/[^\s<>\"]+")
# Control characters other than line breaks and tabs have no place in titles or descriptions
# (and the build rejects them): calendars that carry them lose them, and say so.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
# What reading a malformed value can raise, in icalendar and in the date arithmetic on it.
# Caught per event, so that one event the checks below did not foresee cannot stop the rest.
UNREADABLE = (ValueError, TypeError, OverflowError, ArithmeticError, KeyError, IndexError,
              AttributeError, RecursionError)


class CalendarError(Exception):
    """Why something cannot be imported; `line` is where in the file, when known."""

    def __init__(self, message: str, line: int | None = None):
        super().__init__(message)
        self.line = line


@dataclass
class CalendarImport:
    drafts: list[Draft]
    skipped: list[tuple[str, str]]  # (where, why) for things not imported
    notes: list[str]  # about the calendar as a whole


@dataclass(frozen=True, slots=True)
class Moment:
    """A DTSTART-like value read from the calendar."""

    wall: datetime  # as written (00:00 for a date)
    instant: datetime | None  # aware UTC; None for floating times and dates
    tzid: str | None  # the TZID parameter, "UTC" for a Z time
    is_date: bool
    line: int | None = None  # where it is written


@dataclass
class _Event:
    """A VEVENT as parsed, with where it is in the file."""

    piece: Component
    component: object  # icalendar.Event

    def get(self, name: str, default=None):
        """The property, the first one if it is written more than once."""
        found = self.component.get(name, default)
        return found[0] if isinstance(found, list) and found else found

    def all(self, name: str) -> list:
        found = self.component.get(name)
        return [] if found is None else found if isinstance(found, list) else [found]

    def line(self, name: str, index: int = 0) -> int:
        return self.piece.line_of(name, index)


def read_calendar(data: bytes, name: str, default_zone: DefaultZone, now: datetime,
                  max_steps: int = MAX_IMPORT_STEPS) -> CalendarImport:
    """Every event of an .ics file as a draft, and what could not be imported; `max_steps`
    bounds the walking of all its rules together."""
    text, encoding_note = _decode(data)
    scanned = scan_calendar_file(text)
    if not scanned.calendars:
        raise CalendarError(f"{name}: not an iCalendar file (it has no BEGIN:VCALENDAR line)")
    result = CalendarImport([], [], [])
    if encoding_note:
        result.notes.append(encoding_note)
    result.skipped += [(f"{name}:{line}", why) for line, why in scanned.problems]
    budget = StepBudget(max_steps)  # for every rule of the file together
    for calendar in scanned.calendars:
        _read_one(calendar, name, default_zone, now, result, budget)
    return result


def _decode(data: bytes) -> tuple[str, str | None]:
    try:
        return data.decode("utf-8-sig"), None
    except UnicodeDecodeError as error:
        line = data[:error.start].count(b"\n") + 1
        return data.decode("cp1252", errors="replace"), (
            f"the file is not UTF-8 (line {line}); it was read as Windows-1252, so check "
            "accented letters in titles and descriptions")


def _read_one(calendar_text, name: str, default_zone: DefaultZone, now: datetime,
              result: CalendarImport, budget: StepBudget) -> None:
    import icalendar

    calendar = _calendar_properties(calendar_text, name, result)
    for piece in calendar_text.components:
        if piece.name == "VTIMEZONE":
            _read_zone(piece, name, result)
    events: list[_Event] = []
    for piece in calendar_text.components:
        if piece.name == "VTIMEZONE":
            continue
        if piece.name != "VEVENT":
            result.skipped.append((f"{name}:{piece.line}: a {piece.name}",
                                   "only events (VEVENT) are imported"))
            continue
        try:
            events.append(_Event(piece, icalendar.Event.from_ical(piece.text())))
        except (*UNREADABLE, OSError) as error:  # OSError: a TZID too long for a file name
            result.skipped.append((f"{name}:{piece.line}: a VEVENT", f"cannot be read "
                                   f"({_short(error)}); correct it in the calendar"))

    from_nextup = str(calendar.get("PRODID", "")).startswith(NEXTUP_PRODID)
    wr_zone = _clean_text(calendar.get("X-WR-TIMEZONE"))
    calendar_zone, _ = iana_name(wr_zone or None)
    if wr_zone and calendar_zone is None:
        result.notes.append(f'X-WR-TIMEZONE "{wr_zone}" is not a zone we know; ignored')
    known = _zones_named(events)
    fallback = default_zone.explicit or (known[0] if known else default_zone.zone)
    context = _Context(name, calendar_zone or fallback, now, from_nextup, known, budget)
    groups: dict[str, list[_Event]] = {}
    for index, event in enumerate(events):
        uid = _clean_text(event.get("UID")) or f"(no UID, event at line {event.piece.line})"
        groups.setdefault(uid, []).append(event)
    for uid, members in groups.items():
        masters = [e for e in members if e.component.get("RECURRENCE-ID") is None]
        changes = [e for e in members if e.component.get("RECURRENCE-ID") is not None]
        if not masters:  # an invitation to single occurrences: each is an event of its own
            for change in changes:
                _add(result, context, change, [], uid, lone=True)
            continue
        if len(masters) > 1:
            lines = ", ".join(str(m.piece.line) for m in masters[1:])
            result.notes.append(f'UID "{uid}" has {len(masters)} events without RECURRENCE-ID; '
                                f"imported the first (line {masters[0].piece.line}), skipped "
                                f"the others (line {lines})")
        _add(result, context, masters[0], changes, uid, lone=False)


def _calendar_properties(calendar_text, name: str, result: CalendarImport):
    """The VCALENDAR's own properties (PRODID, X-WR-TIMEZONE, ...), each line that can be read."""
    import icalendar

    def parse(lines: list[str]):
        return icalendar.Calendar.from_ical("BEGIN:VCALENDAR\r\n" + "".join(
            line + "\r\n" for line in lines) + "END:VCALENDAR\r\n")

    try:
        return parse(calendar_text.properties)
    except UNREADABLE:
        readable = []
        for line in calendar_text.properties:
            try:
                parse([line])
                readable.append(line)
            except UNREADABLE as error:
                result.skipped.append((f"{name}:{calendar_text.line}: the calendar's "
                                       f"{line.split(':', 1)[0].split(';', 1)[0]}",
                                       f"cannot be read ({_short(error)}): left out"))
        return parse(readable)


def _read_zone(piece: Component, name: str, result: CalendarImport) -> None:
    """Read a VTIMEZONE, which the icalendar package then uses for the TZID it defines.

    dateutil, which reads it, expands each STANDARD or DAYLIGHT rule from its DTSTART on every
    lookup: a zone whose rule is not yearly (FREQ=SECONDLY) would make every lookup run for
    hours. Such a zone is left out, and the events that use it are read as an unknown zone."""
    import icalendar

    tzid = next((line.split(":", 1)[1] for line in piece.lines if line.upper().startswith("TZID")
                 and ":" in line), "")
    for line in piece.lines:
        if line.upper().startswith("RRULE") and ":" in line:
            rule, problem = parse_foreign_rule(line.split(":", 1)[1])
            if problem is None and (rule.freq != "YEARLY" or rule.interval != 1
                                    or rule.byhour or rule.byminute or rule.bysecond):
                problem = "clock changes happen yearly, so its rules must be FREQ=YEARLY"
            if problem:
                result.skipped.append((f'{name}:{piece.line}: the VTIMEZONE "{shown(tzid)}"',
                                       f"its rule {shown(line)} cannot be used ({problem}): "
                                       "left out; events in this zone are read as an unknown "
                                       "zone"))
                return
    try:
        icalendar.Timezone.from_ical(piece.text())
    except UNREADABLE as error:
        result.skipped.append((f'{name}:{piece.line}: the VTIMEZONE "{shown(tzid)}"',
                               f"cannot be read ({_short(error)}): left out; events in this "
                               "zone are read as an unknown zone"))


@dataclass(frozen=True, slots=True)
class DefaultZone:
    """Where all-day and floating events go when the calendar has no X-WR-TIMEZONE."""

    zone: str  # the site's timezone
    explicit: str | None = None  # --zone, which wins over the zones the calendar's events use


@dataclass
class _Context:
    name: str
    zone: str  # for floating times and dates (see DefaultZone)
    now: datetime
    from_nextup: bool
    known_zones: list[str]  # IANA zones the calendar's TZIDs name, most used first
    budget: StepBudget  # steps left for expanding the file's rules


def _zones_named(events: list[_Event]) -> list[str]:
    """The IANA zones of the calendar's events' DTSTARTs, most used first."""
    counts: dict[str, int] = {}
    for event in events:
        prop = event.get("DTSTART")
        tzid = getattr(prop, "params", {}).get("TZID") if prop is not None else None
        zone = iana_name(str(tzid))[0] if tzid else None
        if zone and zone != "UTC":
            counts[zone] = counts.get(zone, 0) + 1
    return sorted(counts, key=lambda z: (-counts[z], z))


def _add(result: CalendarImport, context: _Context, master: _Event, changes: list[_Event],
         uid: str, lone: bool) -> None:
    title = _clean_text(master.get("SUMMARY")) or "Untitled event"

    def where(line: int | None = None) -> str:
        return f'{context.name}:{line or master.piece.line}: "{title}"'

    if str(master.get("STATUS", "")).upper() == "CANCELLED" and not changes:
        result.skipped.append((where(), "cancelled in the calendar"))
        return
    try:
        draft = _draft(context, master, changes, uid, title, where())
    except (CalendarError, UnimportableRule) as error:
        result.skipped.append((where(error.line), str(error)))
        return
    except UNREADABLE as error:
        result.skipped.append((where(), f"could not be read ({type(error).__name__}: "
                               f"{_short(error)}); import it by hand, and please report it"))
        return
    if lone:
        draft.note(INFO, "the calendar has only this changed occurrence of a series, not the "
                   "series itself: imported as a one-off")
    result.drafts.append(draft)


def _draft(context: _Context, master: _Event, changes: list[_Event], uid: str, title: str,
           where: str) -> Draft:
    start = _moment(master, "DTSTART")
    if start is None:
        raise CalendarError("it has no DTSTART; add the first meeting's start to it in the "
                            "calendar", master.piece.line)
    repeating = master.get("RRULE") is not None or master.get("RDATE") is not None
    zone, zone_notes = _event_zone(context, master, start, repeating)
    series_start = _local(start, zone)  # before rounding: the rule's own DTSTART
    draft = Draft(source=where, slug=_slug(context, uid, title), title=title,
                  category="", timezone=zone, start=series_start, duration=DEFAULT_DURATION)
    for kind, text in zone_notes:
        draft.note(kind, text)
    draft.duration, duration_notes = _duration(master, start)
    for kind, text in duration_notes:
        draft.note(kind, text)
    if start.is_date and draft.duration % 1440 == 0 and \
            1 <= draft.duration // 1440 <= MAX_ALL_DAY_DAYS:
        draft.all_day = True  # its days, from midnight to midnight in `zone`
    elif start.is_date:
        draft.note(APPROXIMATED, f"an all-day event of {draft.duration} minutes, not whole days "
                   f"(at most {MAX_ALL_DAY_DAYS}): it runs from 00:00 {zone} for that long")
    if draft.start.second or draft.start.microsecond:
        draft.start = draft.start.replace(second=0, microsecond=0)
        draft.note(APPROXIMATED, "its start had seconds; rounded down to the minute")
    if _has_control_characters(master.get("SUMMARY")):
        draft.note(APPROXIMATED, f"its title (line {master.line('SUMMARY')}) had control "
                   "characters: removed")
    _categories(draft, master)
    _links_and_text(draft, context, master)
    if str(master.get("CLASS", "")).upper() in ("PRIVATE", "CONFIDENTIAL"):
        draft.draft = True
        draft.note(REVIEW, "marked private in the calendar: imported as a draft, so it is not "
                   "published until someone removes draft = true")
    rule = read_rule(draft, master.line("RRULE"), master.all("RRULE"), series_start,
                     context.budget)
    exdates = _values(draft, master, "EXDATE")
    draft.exdates = [_local_or_date(m, zone) for m in exdates]
    rdates = _values(draft, master, "RDATE")
    draft.rdates = [_local(m, zone) for m in rdates]
    if rule is not None and draft.rrule is None:  # not expressible: written out as rdates
        expand_into_rdates(draft, context.now, rule, master.line("RRULE"), series_start,
                           {_local(m, zone) for m in exdates}, context.budget)
    if str(master.get("STATUS", "")).upper() == "CANCELLED":
        draft.draft = True
        draft.note(REVIEW, "the series is cancelled in the calendar: imported as a draft")
    read_changes = _changes(draft, changes)
    _overrides(draft, context, master, read_changes, zone)
    if not (start.is_date or start.instant is None):
        tzinfo = _tzinfo(master, start)
        wall_rdates = [_wall(m, tzinfo) for m in rdates]
        wall_exdates = [m.wall.date() if m.is_date else _wall(m, tzinfo) for m in exdates]
        # Worked out when `place` compares, so that a large calendar's meetings are never all
        # held at once.
        draft.source_meetings = lambda: source_meetings(
            draft, rule, tzinfo, start.wall, context.now, wall_rdates, wall_exdates,
            read_changes, context.budget)
        _mark_ended(draft, context.now)
    draft.comments.append(f"Imported from {context.name}" + (f" (UID {uid})" if uid else "") + ".")
    return draft


# --- values -----------------------------------------------------------------------------------

def _in_nextup_years(value: date, name: str, line: int | None) -> None:
    if not EARLIEST_YEAR <= value.year <= LATEST_YEAR:
        raise CalendarError(f"{name}: the year {value.year} is out of range; Nextup's dates are "
                            f"in the years {EARLIEST_YEAR} to {LATEST_YEAR}: correct the date in "
                            "the calendar", line)


def _moment_of(value, params, name: str, line: int | None) -> Moment:
    tzid = params.get("TZID") if params else None
    if isinstance(value, datetime):
        _in_nextup_years(value, name, line)
        wall = value.replace(tzinfo=None, fold=0)
        if value.tzinfo is None:  # floating, or a TZID the calendar does not define
            zone = iana_name(str(tzid))[0] if tzid else None
            if zone:
                return Moment(wall, to_utc(wall, zone), str(tzid), False, line)
            return Moment(wall, None, str(tzid) if tzid else None, False, line)
        instant = value.astimezone(UTC)
        return Moment(wall, instant, "UTC" if tzid is None else str(tzid), False, line)
    if isinstance(value, date):
        _in_nextup_years(value, name, line)
        return Moment(datetime.combine(value, time()), None, None, True, line)
    raise CalendarError(f"{name}: cannot read {shown(str(value))} as a date or time", line)


def _moment(event: _Event, name: str) -> Moment | None:
    """A date-time property, checked: None if absent; CalendarError if it cannot be used."""
    prop = event.get(name)
    if prop is None:
        return None
    line = event.line(name)
    broken = broken_reason(prop)
    if broken:
        raise CalendarError(f"{name}: {shown(str(prop))} is not a date or a date-time "
                            f"({broken}); write it like 20270301T090000", line)
    return _moment_of(prop.dt, prop.params, name, line)


def _values(draft: Draft, event: _Event, name: str) -> list[Moment]:
    """Every value of a list property (EXDATE, RDATE), however many lines it is spread over;
    a value that cannot be used is left out, and said so."""
    moments = []
    for index, line_value in enumerate(event.all(name)):
        line = event.line(name, index)
        broken = broken_reason(line_value)
        if broken:
            draft.note(APPROXIMATED, f"{name} on line {line} cannot be read ({broken}): left out")
            continue
        for item in line_value.dts:
            value = item.dt
            if isinstance(value, tuple):  # RDATE;VALUE=PERIOD: its start
                value = value[0]
            if isinstance(value, date) and not EARLIEST_YEAR <= value.year <= LATEST_YEAR:
                draft.note(INFO if name == "EXDATE" else APPROXIMATED,
                           f"{name} on line {line} is in the year {value.year}, outside "
                           f"Nextup's years ({EARLIEST_YEAR} to {LATEST_YEAR}): left out, as "
                           + ("it cancels nothing Nextup can show" if name == "EXDATE"
                              else "Nextup cannot show it"))
                continue
            try:
                moments.append(_moment_of(value, line_value.params, name, line))
            except CalendarError as error:
                draft.note(APPROXIMATED, f"{name} on line {line}: {error}; left out")
    return moments


def _local(moment: Moment, zone: str) -> datetime:
    """Wall-clock time in `zone`. Written as is when already in that zone, so a series keeps
    its wall-clock time even where a clock change skips it; else through the instant."""
    if moment.instant is None or _same_zone(moment.tzid, zone):
        return moment.wall
    return moment.instant.astimezone(get_zone(zone)).replace(tzinfo=None)


def _local_or_date(moment: Moment, zone: str) -> datetime | date:
    return moment.wall.date() if moment.is_date else _local(moment, zone)


def _same_zone(tzid: str | None, zone: str) -> bool:
    return tzid is not None and iana_name(tzid)[0] == zone


def _tzinfo(master: _Event, start: Moment):
    """The zone the calendar defines for the series' DTSTART (its VTIMEZONE, or the IANA zone
    its TZID names)."""
    tzinfo = master.get("DTSTART").dt.tzinfo
    if tzinfo is None:  # a zone name icalendar did not resolve, but we did
        tzinfo = get_zone(iana_name(start.tzid)[0] or "UTC")
    return tzinfo


def _wall(moment: Moment, tzinfo) -> datetime:
    """A moment on the series' wall clock."""
    if moment.instant is None:
        return moment.wall
    return moment.instant.astimezone(tzinfo).replace(tzinfo=None)


# --- zone ---------------------------------------------------------------------------------

def _event_zone(context: _Context, master: _Event, start: Moment,
                repeating: bool) -> tuple[str, list]:
    notes = []
    if start.is_date:
        return context.zone, notes
    if start.tzid is None:
        notes.append((APPROXIMATED, f"its times are floating (no zone): read as {context.zone}"))
        return context.zone, notes
    if start.instant is None:
        notes.append((REVIEW, f'its zone "{shown(start.tzid)}" (line {start.line}) is not a '
                      f"zone name and the calendar does not define it: read as {context.zone}"))
        return context.zone, notes
    if start.tzid == "UTC":
        if repeating:
            notes.append((INFO, "its series is defined in UTC, so it stays at a fixed UTC time "
                          "when clocks change, as in the calendar"))
            return "UTC", notes
        return context.zone, notes  # one instant: state it in the calendar's zone
    zone, how = iana_name(start.tzid)
    tzinfo = master.get("DTSTART").dt.tzinfo
    if zone is None:
        zone = _zone_matching(tzinfo, start, context)
        if zone is None:
            raise CalendarError(f'its zone "{shown(start.tzid)}" is not a zone name, and its '
                                "VTIMEZONE matches no IANA zone; give it an IANA TZID",
                                start.line)
        notes.append((APPROXIMATED, f'zone "{shown(start.tzid)}" is not a zone name; its '
                      f"VTIMEZONE matches {zone}, used instead"))
        return zone, notes
    if how in ("windows", "display", "rails"):
        notes.append((INFO, f'zone "{start.tzid}" read as {zone}'))
    disagreement = _disagreement(tzinfo, zone, start, context.now)
    if disagreement:
        notes.append((REVIEW, f'the calendar\'s own definition of "{start.tzid}" differs from '
                      f"{zone} {disagreement}; used {zone}, whose rules are current"))
    return zone, notes


def _sample_instants(start: Moment, now: datetime) -> list[datetime]:
    begin = max(start.instant or now, now - timedelta(days=366))
    return [begin + timedelta(days=7 * week) for week in range(0, 2 * 53)]


def _offsets_agree(tzinfo, zone: str, instants: list[datetime]) -> datetime | None:
    """The first instant at which the two zones' offsets differ, or None."""
    iana = get_zone(zone)
    for instant in instants:
        if instant.astimezone(tzinfo).utcoffset() != instant.astimezone(iana).utcoffset():
            return instant
    return None


def _disagreement(tzinfo, zone: str, start: Moment, now: datetime) -> str | None:
    if tzinfo is None or isinstance(tzinfo, type(get_zone("UTC"))):
        return None  # icalendar resolved the TZID to the IANA zone itself
    differs = _offsets_agree(tzinfo, zone, _sample_instants(start, now))
    return f"on {long_day(differs.date())}" if differs else None


def _zone_matching(tzinfo, start: Moment, context: _Context) -> str | None:
    if tzinfo is None:
        return None
    instants = _sample_instants(start, context.now)
    # The calendar's own zones first, then one zone per Windows zone (CLDR's choice for it).
    candidates = [context.zone, *context.known_zones, *windows_zones().values()]
    for zone in candidates:
        current, _ = iana_name(zone)
        if current and _offsets_agree(tzinfo, current, instants) is None:
            return current
    return None


# --- fields -------------------------------------------------------------------------------

def _clean_text(value) -> str:
    """One line of text: white space collapsed, control characters removed."""
    return " ".join(_CONTROL.sub("", str(value)).split()) if value is not None else ""


def _has_control_characters(value) -> bool:
    return value is not None and bool(_CONTROL.search(str(value)))


def _slug(context: _Context, uid: str, title: str) -> str:
    if context.from_nextup and "@" in uid:  # Nextup's UIDs are slug@host: keep the address
        local = uid.split("@", 1)[0]
        if slugify(local) == local and local:
            return local
    return slugify(title) or "event"


def _duration(event: _Event, start: Moment) -> tuple[int, list[tuple[str, str]]]:
    """Minutes from DTEND or DURATION, made a usable Nextup duration, and notes on how."""
    notes = []
    length = None
    try:
        end = _moment(event, "DTEND")
    except CalendarError as error:
        notes.append((APPROXIMATED, f"its end (line {error.line}) cannot be used: "
                      f"{str(error).split(': ', 1)[1]}"))
        end = None
    said = "DTEND"
    if end is not None:
        if start.is_date or end.is_date:
            length = (end.wall.date() - start.wall.date()).days * 1440
        elif start.instant is not None and end.instant is not None:
            length = (end.instant - start.instant).total_seconds() / 60
        else:
            length = (end.wall - start.wall).total_seconds() / 60
    elif event.get("DURATION") is not None:
        said = "DURATION"
        duration = event.get("DURATION")
        broken = broken_reason(duration)
        if broken:
            notes.append((APPROXIMATED, f"its DURATION (line {event.line('DURATION')}) cannot "
                          f"be read ({broken})"))
        elif isinstance(duration.dt, timedelta):
            length = duration.dt.total_seconds() / 60
    elif start.is_date:
        length = 1440
    if length is None:
        return DEFAULT_DURATION, notes + [(APPROXIMATED, f"no end time in the calendar: set "
                                                         f"to {DEFAULT_DURATION} minutes")]
    if length < 0 or length < 1 and length != 0:
        return DEFAULT_DURATION, notes + [(APPROXIMATED, f"it ends before it starts ({said} on "
                                           f"line {event.line(said)}): set to "
                                           f"{DEFAULT_DURATION} minutes; correct its end")]
    if length == 0:
        return DEFAULT_DURATION, notes + [(APPROXIMATED, f"it takes no time in the calendar "
                                           f"({said} on line {event.line(said)}): set to "
                                           f"{DEFAULT_DURATION} minutes")]
    if length != int(length):
        notes.append((APPROXIMATED, "its length was not whole minutes: rounded"))
    minutes = max(1, round(length))
    if start.is_date and minutes % 1440 == 0 and minutes <= MAX_ALL_DAY_DAYS * 1440:
        return minutes, notes  # whole days: an all-day event (up to MAX_ALL_DAY_DAYS)
    if minutes > MAX_DURATION_MINUTES:
        notes.append((REVIEW, f"it lasts {minutes // 1440:,} days ({said} on line "
                      f"{event.line(said)}); Nextup events last at most 7 days, so it is cut "
                      "to 7"))
        minutes = MAX_DURATION_MINUTES
    return minutes, notes


def _categories(draft: Draft, event: _Event) -> None:
    """CATEGORIES as written; `place` matches them with the site's categories."""
    names = []
    for line in event.all("CATEGORIES"):
        if not broken_reason(line):
            names += [_clean_text(c) for c in getattr(line, "cats", [])]
    draft.category = ",".join(n for n in names if n)


def _links_and_text(draft: Draft, context: _Context, event: _Event) -> None:
    raw_description = str(event.get("DESCRIPTION", "") or "")
    description = _CONTROL.sub("", raw_description)
    if description != raw_description:
        draft.note(APPROXIMATED, f"its description (line {event.line('DESCRIPTION')}) had "
                   "control characters: removed")
    location = _clean_text(event.get("LOCATION"))
    page = _clean_text(event.get("URL"))
    conference = _clean_text(event.get("X-GOOGLE-CONFERENCE"))
    location_is_link = bool(re.fullmatch(r"https?://\S+", location))
    joined = None
    if context.from_nextup:
        # Nextup's DESCRIPTION ends with "Details: <page>" and "Join: <url>" paragraphs; the
        # join link is only there when LOCATION holds the event's place (a hybrid event).
        join = re.search(r"\n*\s*Join: (\S+)\s*$", description.rstrip())
        joined = join.group(1) if join else None
        description = re.sub(r"\n*\s*Details: \S+\s*$", "", re.sub(r"\n*\s*Join: \S+\s*$", "",
                                                                    description.rstrip()))
        page = ""
    if looks_like_html(description):
        from ..render.markup import html_to_text

        description = html_to_text(description)
        draft.note(INFO, "its description was HTML: imported as plain text")
    in_text = _CONFERENCE.search(description)
    draft.url = (conference or (location if location_is_link else None) or joined or page
                 or (in_text.group(0) if in_text else None))
    text = markdown_from_plain_text(description)
    online = re.search(r"\b(teams|zoom|meet|jitsi|webex|online|virtual)\b", location, re.I)
    if location and not location_is_link and not (online and draft.url):
        text = (f"Where: {markdown_from_plain_text(location)}\n\n" + text).strip()
        draft.note(INFO, "its LOCATION is not a link: written at the top of the description")
    draft.description = text


# --- changed occurrences ------------------------------------------------------------------

def _changes(draft: Draft, changes: list[_Event]) -> list[Change]:
    """The VEVENTs with a RECURRENCE-ID, read and checked; one that cannot be used is left out,
    and said so."""
    found = []
    for event in changes:
        try:
            original = _moment(event, "RECURRENCE-ID")
            moved = _moment(event, "DTSTART")
            end = _moment(event, "DTEND")
        except CalendarError as error:
            draft.note(APPROXIMATED, f"the changed occurrence at line {event.piece.line} is "
                       f"left out: {error} (line {error.line})")
            continue
        duration = event.get("DURATION")
        length = None
        if end is not None and end.instant is not None and (moved or original).instant is not None:
            length = end.instant - (moved or original).instant
        elif duration is not None and not broken_reason(duration) and isinstance(duration.dt, timedelta):
            length = duration.dt
        if length is not None and not timedelta(0) < length <= timedelta(
                minutes=MAX_DURATION_MINUTES):
            length = None  # the series' own length; how it was made usable is not reported
        recurrence_id = event.get("RECURRENCE-ID")
        found.append(Change(
            original=original, moved=moved, length=length,
            title=_clean_text(event.get("SUMMARY")) or None,
            cancelled=str(event.get("STATUS", "")).upper() == "CANCELLED",
            this_and_future=str(recurrence_id.params.get("RANGE", "")).upper() == "THISANDFUTURE",
            line=event.piece.line,
            fields={name: str(event.get(name)) for name in ("DESCRIPTION", "LOCATION", "URL")
                    if event.get(name) is not None}))
    return found


def _overrides(draft: Draft, context: _Context, master: _Event, changes: list[Change],
               zone: str) -> None:
    from .draft import Override

    restated, dropped_fields = 0, set()
    for change in changes:
        original = _local(change.original, zone)
        if change.this_and_future:
            draft.note(REVIEW, f"the change on {long_day(original.date())} (line {change.line}) "
                       "applies to all later occurrences in the calendar (RANGE=THISANDFUTURE); "
                       "imported for that one occurrence only")
        if change.cancelled:
            draft.exdates.append(original)
            continue
        moved = change.moved or change.original
        minutes = round(change.length.total_seconds() / 60) if change.length else draft.duration
        minutes = max(1, minutes)
        title = change.title or draft.title
        if (_instant(moved, zone) == _instant(change.original, zone)
                and minutes == draft.duration and title == draft.title):
            restated += 1  # the same occurrence, stated again (Nextup does so near clock changes)
            continue
        start = _local(moved, zone)
        if draft.all_day and minutes != draft.duration:
            draft.note(APPROXIMATED, f"the change on {long_day(original.date())} (line "
                       f"{change.line}) lasts other days than the series; kept at the series' "
                       "length (an all-day event's occurrences all last the same days)")
            minutes = draft.duration
        draft.overrides.append(Override(
            original=original, start=start if start != original else None,
            duration=minutes if minutes != draft.duration else None,
            title=title if title != draft.title else None))
        for name, value in change.fields.items():
            if value != str(master.get(name.upper(), "")):
                dropped_fields.add(name.lower())
    if dropped_fields:
        draft.note(APPROXIMATED, f"some changed occurrences also changed their "
                   f"{', '.join(sorted(dropped_fields))}; Nextup's overrides change only start, "
                   "duration and title, so those changes were left out")
    if restated and not context.from_nextup:
        draft.note(INFO, f"{restated} changed occurrence(s) were the same as the series: left out")


def _instant(moment: Moment, zone: str) -> datetime:
    if moment.instant is not None:
        return moment.instant
    return to_utc(moment.wall, zone)


def _mark_ended(draft: Draft, now: datetime) -> None:
    """A one-off whose meeting is over becomes a draft."""
    if draft.draft or draft.rrule is not None or draft.rdates:
        return
    moved = [o for o in draft.overrides if o.original == draft.start]
    start = (moved[0].start or draft.start) if moved else draft.start
    minutes = (moved[0].duration or draft.duration) if moved else draft.duration
    if draft.start in draft.exdates or to_utc(start, draft.timezone) + \
            timedelta(minutes=minutes) <= now:
        draft.draft = True
        draft.note(INFO, f"it took place on {long_day(draft.start.date())}: imported as a draft, "
                   "so it stays off the site")


# --- messages -------------------------------------------------------------------------------

def _short(error) -> str:
    """An exception's message on one line, short enough for a report."""
    return shown(" ".join(str(error).split()), 160)
