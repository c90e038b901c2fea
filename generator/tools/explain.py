"""`check --explain`: each event's next occurrences in its own zone and in UTC, so an editor can
confirm "yes, that's Tuesday at 15:15 London" before merging."""
from __future__ import annotations

from datetime import datetime

from ..schedule.dates import clock, short_day, short_day_range, zone_abbreviation
from ..render.language import language_for
from ..render.words import schedule_in_words
from ..schedule.expand import cancellations, next_occurrences
from ..model import Event, Session
from ..schedule.zones import get_zone

EXPLAINED_OCCURRENCES = 5


def explain_event(event: Event, now: datetime, limit: int = EXPLAINED_OCCURRENCES) -> str:
    lines = [f"{event.slug}: {event.title}", f"  {schedule_in_words(event, language_for('en'))}"]
    if event.place is not None:  # an online event says nothing: that was every event before
        where = "In person" if event.attendance == "in_person" else "Hybrid, online and"
        lines.append(f"  {where} at {event.place.one_line()}")
    if event.rsvp_url:
        lines.append(f"  RSVP at {event.rsvp_url}")
    if event.status is not None:
        lines.append(f"  {event.status.capitalize()}: {event.reason} (its dates are in no list "
                     "or feed)")
    upcoming = next_occurrences(event, now, limit)
    if not upcoming:
        lines.append("  no upcoming occurrence")
    # Meetings public holidays and session records cancel among the dates shown, in their
    # place, with the holiday or the reason.
    holidays = [c for c in cancellations(event, now, upcoming[-1].start)
                if c.cause != "exdate"] if upcoming and (event.skip_holidays
                                                         or event.sessions) else []
    for occurrence in upcoming:
        while holidays and holidays[0].start < occurrence.start:
            lines.append(_holiday_line(event, holidays.pop(0)))
        if occurrence.dates:
            lines.append(_explain_all_day(event, occurrence))
            continue
        local = occurrence.start.astimezone(get_zone(event.timezone))
        local_end = occurrence.end.astimezone(get_zone(event.timezone))
        utc_text = f"{short_day(occurrence.start.date())} {clock(occurrence.start)}–{_end(occurrence.start, occurrence.end)} UTC"
        start_zone, end_zone = zone_abbreviation(local), zone_abbreviation(local_end)
        # On the night clocks change, the end can be in the other offset: say so.
        span = (f"{clock(local)}–{_end(local, local_end)} {start_zone}" if start_zone == end_zone
                else f"{clock(local)} {start_zone}–{_end(local, local_end)} {end_zone}")
        local_text = (f"{short_day(local.date())} {local.year} {span}"
                      + ("" if event.timezone == start_zone else f" ({event.timezone})"))
        note = f"  [{occurrence.title}]" if occurrence.title else ""
        if occurrence.original is not None:
            note += f"  [moved from {short_day(occurrence.original.date())} {clock(occurrence.original)}]"
        lines.append(f"  {local_text:<48} = {utc_text}{note}")
    if event.sessions:
        lines.append(f"  Sessions ({len(event.sessions)}, content/sessions/{event.slug}/):")
        lines += [_session_line(event, session) for session in event.sessions]
    return "\n".join(lines)


def _session_line(event: Event, session: Session) -> str:
    """"Thu 14 Jan 2027 07:00 GMT  2027-01-14: "Sprint 41 review", host Sam Joseph,
    recording https://..."; a cancelled one: "cancelled: <reason>"."""
    zone = get_zone(event.timezone)
    local = session.start.astimezone(zone)
    when = (f"{short_day(local.date())} {local.year}" if event.all_day else
            f"{short_day(local.date())} {local.year} {clock(local)} {zone_abbreviation(local)}")
    parts = []
    if session.cancelled:
        parts.append(f"cancelled: {session.reason}")
    else:
        if session.title:
            parts.append(f'"{session.title}"')
        if session.hosts:
            parts.append(("host " if len(session.hosts) == 1 else "hosts ")
                         + " and ".join(session.hosts))
        if session.recording:
            parts.append(f"recording {session.recording}")
        if session.url:
            parts.append(f"join {session.url}")
        if session.reason:
            parts.append(f"note: {session.reason}")
        if session.links:
            parts.append(f"{len(session.links)} link{'s' * (len(session.links) != 1)}")
        if session.notes:
            parts.append("notes")
    if session.moved_from is not None:
        before = session.moved_from.astimezone(zone)
        parts.append(f"moved from {short_day(before.date())}"
                     + ("" if event.all_day else f" {clock(before)}"))
    return f"    {when:<28} {session.key}: " + (", ".join(parts) or "(nothing written yet)")


def _explain_all_day(event: Event, occurrence) -> str:
    """"Fri 26–Sun 28 Mar 2027, all day (Europe/Berlin) = Thu 25 Mar 23:00–Sun 28 Mar 22:00 UTC"."""
    first, last = occurrence.dates
    local_text = f"{short_day_range(first, last)} {last.year}, all day ({event.timezone})"
    utc_text = (f"{short_day(occurrence.start.date())} {clock(occurrence.start)}–"
                f"{_end(occurrence.start, occurrence.end)} UTC")
    note = f"  [{occurrence.title}]" if occurrence.title else ""
    if occurrence.original is not None:
        note += f"  [moved from {short_day(occurrence.original.date())}]"
    return f"  {local_text:<48} = {utc_text}{note}"


def _holiday_line(event: Event, cancelled) -> str:
    local = cancelled.local
    text = (f"{short_day(local.date())} {local.year} {clock(local)} "
            f"{zone_abbreviation(cancelled.start.astimezone(get_zone(event.timezone)))}")
    return f"  {text:<48}   no meeting: {cancelled.reason}"


def _end(start: datetime, end: datetime) -> str:
    """The end's clock time, with its day when that is another day."""
    return clock(end) if end.date() == start.date() else f"{short_day(end.date())} {clock(end)}"


def explain_events(events: tuple[Event, ...], slugs: list[str], now: datetime) -> str:
    chosen = [e for e in events if not slugs or e.slug in slugs]
    unknown = sorted(set(slugs) - {e.slug for e in events})
    parts = [explain_event(event, now) for event in sorted(chosen, key=lambda e: e.slug)]
    parts += [f"{slug}: no such event (or it is a draft, or has errors)" for slug in unknown]
    return "\n\n".join(parts)
