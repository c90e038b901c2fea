"""`import ics`: any RFC 5545 calendar (Google, Outlook, Apple, Meetup, Nextup's own) as drafts.

One draft per series (VEVENTs sharing a UID): the VEVENT without RECURRENCE-ID gives the rule,
RDATEs and EXDATEs; each VEVENT with a RECURRENCE-ID moves, renames or cancels one occurrence.

Times: a series keeps the wall-clock times of its DTSTART's zone, so its rule means what it
meant in the calendar. TZIDs are read as IANA names, Windows names (Outlook), or prefixed
IANA names (Mozilla); a TZID that is none of these is matched by its VTIMEZONE's offsets. The
calendar's VTIMEZONE definitions are what instants are computed from, and the importer checks
the IANA zone agrees with them. Nextup has no all-day or floating events: those are placed in
the calendar's zone (X-WR-TIMEZONE) or --zone, and said so.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone

from ..dates import long_day
from ..rules import parse_rrule
from ..validate import MAX_DURATION_MINUTES, slugify
from ..zones import get_zone, to_utc
from .draft import APPROXIMATED, INFO, REVIEW, Draft, Override, looks_like_html, \
    markdown_from_plain_text
from .zone_names import iana_name, windows_zones

UTC = timezone.utc
NEXTUP_PRODID = "-//Nextup//"
DEFAULT_DURATION = 60  # for an event with no end, which calendars show as taking no time
EXPANDED_LIMIT = 400  # occurrences written out for a rule Nextup cannot express
EXPANDED_DAYS = 2 * 366
CHECK_DAYS = timedelta(days=370)
_CONFERENCE = re.compile(r"https://(?:meet\.google\.com|[\w.-]*zoom\.us/j|teams\.microsoft\.com"
                         r"/l/meetup-join|meet\.jit\.si)/[^\s<>\"]+")


class CalendarError(Exception):
    pass


@dataclass
class CalendarImport:
    drafts: list[Draft]
    skipped: list[tuple[str, str]]  # (what, why) for things not imported
    notes: list[str]  # about the calendar as a whole


@dataclass(frozen=True, slots=True)
class Moment:
    """A DTSTART-like value read from the calendar."""

    wall: datetime  # as written (00:00 for a date)
    instant: datetime | None  # aware UTC; None for floating times and dates
    tzid: str | None  # the TZID parameter, "UTC" for a Z time
    is_date: bool


def read_calendar(data: bytes, name: str, default_zone: DefaultZone, now: datetime) -> CalendarImport:
    import icalendar

    try:
        calendars = icalendar.Calendar.from_ical(data, multiple=True)
    except (ValueError, IndexError, KeyError) as error:
        raise CalendarError(f"{name}: not an iCalendar file ({error})") from None
    if not calendars:
        raise CalendarError(f"{name}: no VCALENDAR in the file")
    result = CalendarImport([], [], [])
    for calendar in calendars:
        _read_one(calendar, name, default_zone, now, result)
    return result


def _read_one(calendar, name: str, default_zone: DefaultZone, now: datetime,
              result: CalendarImport) -> None:
    from_nextup = str(calendar.get("PRODID", "")).startswith(NEXTUP_PRODID)
    calendar_zone, _ = iana_name(str(calendar.get("X-WR-TIMEZONE", "")) or None)
    if calendar.get("X-WR-TIMEZONE") and calendar_zone is None:
        result.notes.append(f'X-WR-TIMEZONE "{calendar.get("X-WR-TIMEZONE")}" is not a zone '
                            "we know; ignored")
    known = _zones_named(calendar)
    fallback = default_zone.explicit or (known[0] if known else default_zone.zone)
    context = _Context(name, calendar_zone or fallback, now, from_nextup, known)
    groups: dict[str, list] = {}
    for index, component in enumerate(calendar.subcomponents):
        kind = component.name
        if kind == "VEVENT":
            uid = str(component.get("UID") or f"(no UID, event {index + 1})")
            groups.setdefault(uid, []).append(component)
        elif kind not in ("VTIMEZONE",):
            result.skipped.append((f"{name}: a {kind}", "only events (VEVENT) are imported"))
    for uid, components in groups.items():
        masters = [c for c in components if c.get("RECURRENCE-ID") is None]
        changes = [c for c in components if c.get("RECURRENCE-ID") is not None]
        if not masters:  # an invitation to single occurrences: each is an event of its own
            for component in changes:
                _add(result, context, component, [], uid, lone=True)
            continue
        if len(masters) > 1:
            result.notes.append(f'UID "{uid}" has {len(masters)} events without RECURRENCE-ID; '
                                "imported the first, skipped the others")
        _add(result, context, masters[0], changes, uid, lone=False)


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


def _zones_named(calendar) -> list[str]:
    """The IANA zones of the calendar's events' DTSTARTs, most used first."""
    counts: dict[str, int] = {}
    for component in calendar.walk("VEVENT"):
        prop = component.get("DTSTART")
        tzid = prop.params.get("TZID") if prop is not None else None
        zone = iana_name(str(tzid))[0] if tzid else None
        if zone and zone != "UTC":
            counts[zone] = counts.get(zone, 0) + 1
    return sorted(counts, key=lambda z: (-counts[z], z))


def _add(result: CalendarImport, context: _Context, master, changes: list, uid: str,
         lone: bool) -> None:
    title = _clean_text(master.get("SUMMARY")) or "Untitled event"
    where = f'{context.name}: "{title}"'
    if str(master.get("STATUS", "")).upper() == "CANCELLED" and not changes:
        result.skipped.append((where, "cancelled in the calendar"))
        return
    try:
        draft = _draft(context, master, changes, uid, title, where)
    except CalendarError as error:
        result.skipped.append((where, str(error)))
        return
    if lone:
        draft.note(INFO, "the calendar has only this changed occurrence of a series, not the "
                   "series itself: imported as a one-off")
    result.drafts.append(draft)


def _draft(context: _Context, master, changes: list, uid: str, title: str, where: str) -> Draft:
    start = _moment(master, "DTSTART")
    if start is None:
        raise CalendarError("it has no DTSTART")
    repeating = master.get("RRULE") is not None or master.get("RDATE") is not None
    zone, zone_notes = _event_zone(context, master, start, repeating)
    draft = Draft(source=where, slug=_slug(context, uid, title), title=title,
                  category="", timezone=zone, start=_local(start, zone),
                  duration=DEFAULT_DURATION)
    for kind, text in zone_notes:
        draft.note(kind, text)
    draft.duration, duration_notes = _duration(master, start)
    for kind, text in duration_notes:
        draft.note(kind, text)
    if start.is_date:
        draft.note(APPROXIMATED, f"an all-day event: Nextup has none, so it runs from 00:00 "
                   f"{zone} for {draft.duration // 1440 or 1} day(s); visitors elsewhere see it "
                   "at their own time of day")
    if draft.start.second:
        draft.start = draft.start.replace(second=0)
        draft.note(APPROXIMATED, "its start had seconds; rounded down to the minute")
    _categories(draft, master)
    _links_and_text(draft, context, master)
    if str(master.get("CLASS", "")).upper() in ("PRIVATE", "CONFIDENTIAL"):
        draft.draft = True
        draft.note(REVIEW, "marked private in the calendar: imported as a draft, so it is not "
                   "published until someone removes draft = true")
    rule_text = _rule(draft, master)
    exdates = _values(master, "EXDATE")
    draft.exdates = [_local_or_date(m, zone) for m in exdates]
    rdates = _values(master, "RDATE")
    for moment in rdates:
        draft.rdates.append(_local(moment, zone))
    if rule_text is not None and draft.rrule is None:  # not expressible: written out as rdates
        _expand_into_rdates(draft, context, start, rule_text, exdates, rdates)
    if str(master.get("STATUS", "")).upper() == "CANCELLED":
        draft.draft = True
        draft.note(REVIEW, "the series is cancelled in the calendar: imported as a draft")
    _overrides(draft, context, master, changes, zone)
    draft.expected = _expected(draft, context, master, changes, start)
    _mark_ended(draft, context.now)
    draft.comments.append(f"Imported from {context.name}" + (f" (UID {uid})" if uid else "") + ".")
    return draft


# --- values -----------------------------------------------------------------------------------

def _moment_of(value, params) -> Moment:
    tzid = params.get("TZID") if params else None
    if isinstance(value, datetime):
        if value.tzinfo is None:  # floating, or a TZID the calendar does not define
            zone = iana_name(str(tzid))[0] if tzid else None
            if zone:
                return Moment(value, to_utc(value, zone), str(tzid), False)
            return Moment(value, None, str(tzid) if tzid else None, False)
        instant = value.astimezone(UTC)
        if tzid is None:  # a Z time
            return Moment(value.replace(tzinfo=None), instant, "UTC", False)
        return Moment(value.replace(tzinfo=None), instant, str(tzid), False)
    if isinstance(value, date):
        return Moment(datetime.combine(value, time()), None, None, True)
    raise CalendarError(f"cannot read {value!r} as a date or time")


def _moment(component, name: str) -> Moment | None:
    prop = component.get(name)
    if prop is None:
        return None
    return _moment_of(prop.dt, prop.params)


def _values(component, name: str) -> list[Moment]:
    """Every value of a list property (EXDATE, RDATE), however many lines it is spread over."""
    found = component.get(name)
    if found is None:
        return []
    lines = found if isinstance(found, list) else [found]
    moments = []
    for line in lines:
        for item in line.dts:
            value = item.dt
            if isinstance(value, tuple):  # RDATE;VALUE=PERIOD: its start
                value = value[0]
            moments.append(_moment_of(value, line.params))
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


def _instant(moment: Moment, zone: str) -> datetime:
    if moment.instant is not None:
        return moment.instant
    return to_utc(moment.wall, zone)


# --- zone ---------------------------------------------------------------------------------

def _event_zone(context: _Context, master, start: Moment, repeating: bool) -> tuple[str, list]:
    notes = []
    if start.is_date:
        return context.zone, notes
    if start.tzid is None:
        notes.append((APPROXIMATED, f"its times are floating (no zone): read as {context.zone}"))
        return context.zone, notes
    if start.instant is None:
        notes.append((REVIEW, f'its zone "{start.tzid}" is not a zone name and the calendar '
                      f"does not define it: read as {context.zone}"))
        return context.zone, notes
    if start.tzid == "UTC":
        if repeating:
            notes.append((INFO, "its series is defined in UTC, so it stays at a fixed UTC time "
                          "when clocks change, as in the calendar"))
            return "UTC", notes
        return context.zone, notes  # one instant: state it in the calendar's zone
    zone, how = iana_name(start.tzid)
    tzinfo = master["DTSTART"].dt.tzinfo
    if zone is None:
        zone = _zone_matching(tzinfo, start, context)
        if zone is None:
            raise CalendarError(f'its zone "{start.tzid}" is not a zone name, and its '
                                "VTIMEZONE matches no IANA zone; give it an IANA TZID")
        notes.append((APPROXIMATED, f'zone "{start.tzid}" is not a zone name; its VTIMEZONE '
                      f"matches {zone}, used instead"))
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
    return " ".join(str(value).split()) if value is not None else ""


def _slug(context: _Context, uid: str, title: str) -> str:
    if context.from_nextup and "@" in uid:  # Nextup's UIDs are slug@host: keep the address
        local = uid.split("@", 1)[0]
        if slugify(local) == local and local:
            return local
    return slugify(title) or "event"


def _duration(component, start: Moment) -> tuple[int, list[tuple[str, str]]]:
    """Minutes from DTEND or DURATION, made a usable Nextup duration, and notes on how."""
    end = _moment(component, "DTEND")
    length = None
    if end is not None:
        if start.is_date or end.is_date:
            length = (end.wall.date() - start.wall.date()).days * 1440
        elif start.instant is not None and end.instant is not None:
            length = (end.instant - start.instant).total_seconds() / 60
        else:
            length = (end.wall - start.wall).total_seconds() / 60
    elif component.get("DURATION") is not None:
        length = component["DURATION"].dt.total_seconds() / 60
    elif start.is_date:
        length = 1440
    if length is None or length < 1:
        return DEFAULT_DURATION, [(APPROXIMATED, f"no end time in the calendar: set to "
                                                 f"{DEFAULT_DURATION} minutes")]
    notes = []
    if length != int(length):
        notes.append((APPROXIMATED, "its length was not whole minutes: rounded"))
    minutes = max(1, round(length))
    if minutes > MAX_DURATION_MINUTES:
        notes.append((REVIEW, f"it lasts {minutes // 1440} days; Nextup events last at most 7 "
                      "days, so it is cut to 7"))
        minutes = MAX_DURATION_MINUTES
    return minutes, notes


def _categories(draft: Draft, component) -> None:
    """CATEGORIES as written; `place` matches them with the site's categories."""
    found = component.get("CATEGORIES")
    names = []
    for line in (found if isinstance(found, list) else [found] if found is not None else []):
        names += [str(c) for c in getattr(line, "cats", [])]
    draft.category = ",".join(names)


def _links_and_text(draft: Draft, context: _Context, component) -> None:
    description = str(component.get("DESCRIPTION", "") or "")
    location = _clean_text(component.get("LOCATION"))
    page = _clean_text(component.get("URL"))
    conference = _clean_text(component.get("X-GOOGLE-CONFERENCE"))
    location_is_link = bool(re.fullmatch(r"https?://\S+", location))
    if context.from_nextup:
        # Nextup's DESCRIPTION ends with "Details: <page>" and "Join: <url>" paragraphs.
        description = re.sub(r"\n*\s*Details: \S+\s*$", "", re.sub(r"\n*\s*Join: \S+\s*$", "",
                                                                    description.rstrip()))
        page = ""
    if looks_like_html(description):
        from ..markup import html_to_text

        description = html_to_text(description)
        draft.note(INFO, "its description was HTML: imported as plain text")
    in_text = _CONFERENCE.search(description)
    draft.url = (conference or (location if location_is_link else None) or page
                 or (in_text.group(0) if in_text else None))
    text = markdown_from_plain_text(description)
    online = re.search(r"\b(teams|zoom|meet|jitsi|webex|online|virtual)\b", location, re.I)
    if location and not location_is_link and not (online and draft.url):
        text = (f"Where: {markdown_from_plain_text(location)}\n\n" + text).strip()
        draft.note(INFO, "its LOCATION is not a link: written at the top of the description")
    draft.description = text


# --- recurrence ----------------------------------------------------------------------------

def _rule(draft: Draft, component) -> str | None:
    """The RRULE text; sets draft.rrule when Nextup can follow it as written."""
    found = component.get("RRULE")
    if found is None:
        return None
    rules = found if isinstance(found, list) else [found]
    if len(rules) > 1:
        draft.note(REVIEW, f"it has {len(rules)} RRULEs (RFC 5545 allows one): only the first "
                   "was imported")
    text = rules[0].to_ical().decode()
    fields, errors = parse_rrule(text)
    if errors:
        draft.note(APPROXIMATED, f'Nextup cannot follow its rule "{text}" '
                   f"({errors[0].message}): its occurrences are written out as rdates")
        return text
    draft.rrule = text
    return text


def _expand_into_rdates(draft: Draft, context: _Context, start: Moment, rule_text: str,
                        exdates: list[Moment], rdates: list[Moment]) -> None:
    """A rule Nextup cannot express, as its next occurrences: from now, up to two years or
    EXPANDED_LIMIT of them, in the series' wall clock."""
    from dateutil.rrule import rrulestr

    zone = draft.timezone
    rule = rrulestr(_until_as_wall_clock(rule_text, get_zone(zone)), dtstart=draft.start)
    now_local = context.now.astimezone(get_zone(zone)).replace(tzinfo=None)
    cancelled = {_local(m, zone) for m in exdates}
    found, cut = [], False
    for local in rule.xafter(now_local - timedelta(minutes=draft.duration), inc=True):
        if local > now_local + timedelta(days=EXPANDED_DAYS) or len(found) >= EXPANDED_LIMIT:
            cut = True
            break
        if local not in cancelled:
            found.append(local)
    extra = sorted(set(found) | set(draft.rdates))
    if not extra:
        last = list(rule.between(now_local - timedelta(days=EXPANDED_DAYS), now_local, inc=True))
        extra = [last[-1]] if last else [draft.start]
    draft.start, draft.rdates = extra[0], extra[1:]
    draft.exdates = []
    if cut:
        draft.note(REVIEW, f"{len(extra)} occurrence(s) written out, up to "
                   f"{long_day(extra[-1].date())}; the calendar's series goes on, but this "
                   "event stops there: add more dates to rdates before then")
    else:
        draft.note(INFO, f"all {len(extra)} remaining occurrence(s) written out as rdates")


def _until_as_wall_clock(rule_text: str, tzinfo) -> str:
    """The rule with a UTC UNTIL restated in the series' wall clock, as dateutil wants it for a
    series expanded in wall-clock time."""
    def restate(match: re.Match) -> str:
        instant = datetime.strptime(match.group(1), "%Y%m%dT%H%M%S").replace(tzinfo=UTC)
        return "UNTIL=" + instant.astimezone(tzinfo).strftime("%Y%m%dT%H%M%S")

    return re.sub(r"UNTIL=(\d{8}T\d{6})Z", restate, rule_text)


def _overrides(draft: Draft, context: _Context, master, changes: list, zone: str) -> None:
    restated, dropped_fields = 0, set()
    for change in changes:
        original_moment = _moment(change, "RECURRENCE-ID")
        original = _local(original_moment, zone)
        if str(change["RECURRENCE-ID"].params.get("RANGE", "")).upper() == "THISANDFUTURE":
            draft.note(REVIEW, f"the change on {long_day(original.date())} applies to all later "
                       "occurrences in the calendar (RANGE=THISANDFUTURE); imported for that one "
                       "occurrence only")
        if str(change.get("STATUS", "")).upper() == "CANCELLED":
            draft.exdates.append(original)
            continue
        moved = _moment(change, "DTSTART") or original_moment
        # The same rules as the series' own length; how one occurrence's length was made
        # usable is not reported.
        minutes = _duration(change, moved)[0] \
            if (change.get("DTEND") is not None or change.get("DURATION") is not None) \
            else draft.duration
        title = _clean_text(change.get("SUMMARY")) or draft.title
        natural = _instant(original_moment, zone)
        if (_instant(moved, zone) == natural and minutes == draft.duration
                and title == draft.title):
            restated += 1  # the same occurrence, stated again (Nextup does so near clock changes)
            continue
        start = _local(moved, zone)
        draft.overrides.append(Override(
            original=original, start=start if start != original else None,
            duration=minutes if minutes != draft.duration else None,
            title=title if title != draft.title else None))
        for name in ("DESCRIPTION", "LOCATION", "URL"):
            if change.get(name) is not None and str(change.get(name)) != str(master.get(name, "")):
                dropped_fields.add(name.lower())
    if dropped_fields:
        draft.note(APPROXIMATED, f"some changed occurrences also changed their "
                   f"{', '.join(sorted(dropped_fields))}; Nextup's overrides change only start, "
                   "duration and title, so those changes were left out")
    if restated and not context.from_nextup:
        draft.note(INFO, f"{restated} changed occurrence(s) were the same as the series: left out")


def _mark_ended(draft: Draft, now: datetime) -> None:
    if draft.expected is None or draft.draft:
        return
    if draft.expected:
        return
    # Nothing in the coming year: ended if no rule goes on past it either.
    if draft.rrule is None and not draft.rdates and to_utc(draft.start, draft.timezone) + \
            timedelta(minutes=draft.duration) <= now:
        draft.draft = True
        draft.note(INFO, f"it took place on {long_day(draft.start.date())}: imported as a draft, "
                   "so it stays off the site")


# --- what the calendar itself says ---------------------------------------------------------

def rfc_instant(wall: datetime, tzinfo) -> datetime:
    """A wall-clock time in any zone (here the calendar's own VTIMEZONE) read as RFC 5545 says:
    a time that happens twice is its first pass; a time a clock change skips uses the offset
    from before the change. dateutil, which reads VTIMEZONEs, does neither on its own."""
    near = {wall.replace(tzinfo=tzinfo, fold=fold).utcoffset() for fold in (0, 1)}
    for offset in list(near):  # the offsets either side of a change within two hours
        for step in (-2, 2):
            moment = (wall - offset + timedelta(hours=step)).replace(tzinfo=UTC)
            near.add(moment.astimezone(tzinfo).utcoffset())
    real = [wall - offset for offset in near
            if (wall - offset).replace(tzinfo=UTC).astimezone(tzinfo).replace(tzinfo=None) == wall]
    if real:
        return min(real).replace(tzinfo=UTC)
    return (wall - min(near)).replace(tzinfo=UTC)  # skipped: clocks went forward, from the smaller


def _expected(draft: Draft, context: _Context, master, changes: list,
              start: Moment) -> list[tuple[datetime, datetime, str | None]] | None:
    """Occurrences of the coming year as the calendar defines them, for `place` to compare with
    what Nextup makes of the written file: dateutil's RFC 5545 recurrence in the DTSTART's wall
    clock, read through the calendar's own VTIMEZONE. None when there is nothing exact to
    compare with (all-day and floating events)."""
    from dateutil.rrule import rruleset, rrulestr

    if start.is_date or start.instant is None:
        return None
    tzinfo = master["DTSTART"].dt.tzinfo
    if tzinfo is None:  # a zone name icalendar did not resolve, but we did
        tzinfo = get_zone(iana_name(start.tzid)[0] or "UTC")
    wall_start = start.wall

    def wall(moment: Moment) -> datetime:
        if moment.instant is None:
            return moment.wall
        return moment.instant.astimezone(tzinfo).replace(tzinfo=None)

    occurrences = rruleset()
    rule = master.get("RRULE")
    if rule is not None:
        rule = rule[0] if isinstance(rule, list) else rule
        occurrences.rrule(rrulestr(_until_as_wall_clock(rule.to_ical().decode(), tzinfo),
                                   dtstart=wall_start))
    occurrences.rdate(wall_start)
    for moment in _values(master, "RDATE"):
        occurrences.rdate(wall(moment))
    cancelled_days = set()
    for moment in _values(master, "EXDATE"):
        if moment.is_date:
            cancelled_days.add(moment.wall.date())
        else:
            occurrences.exdate(wall(moment))
    length = timedelta(minutes=draft.duration)
    by_original = {}
    for change in changes:
        moment = _moment(change, "RECURRENCE-ID")
        by_original[wall(moment)] = change
    begin = (context.now - timedelta(days=8)).astimezone(tzinfo).replace(tzinfo=None)
    end = (context.now + CHECK_DAYS).astimezone(tzinfo).replace(tzinfo=None)
    found = []
    for local in occurrences.between(begin, end, inc=True):
        if local.date() in cancelled_days:
            continue
        instant = rfc_instant(local, tzinfo)
        change = by_original.pop(local, None)
        if change is None:
            found.append((instant, instant + length, None))
            continue
        if str(change.get("STATUS", "")).upper() == "CANCELLED":
            continue
        moved = _moment(change, "DTSTART")
        moved_instant = (moved.instant if moved and moved.instant is not None
                         else rfc_instant(moved.wall, tzinfo) if moved else instant)
        end_moment = _moment(change, "DTEND")
        if end_moment is not None and end_moment.instant is not None:
            moved_end = end_moment.instant
        elif change.get("DURATION") is not None:
            moved_end = moved_instant + change["DURATION"].dt
        else:
            moved_end = moved_instant + length
        title = _clean_text(change.get("SUMMARY")) or None
        found.append((moved_instant, moved_end, None if title == draft.title else title))
    return sorted(found)
