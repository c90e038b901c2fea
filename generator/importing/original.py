"""`import original`: the original Rails site's `events` table (CSV or JSON export) as drafts.

How the original site scheduled an event (IceCube, as it used it):
- `start_datetime` is a UTC instant, and repeats happen at that UTC time of day, on the UTC
  weekdays of `repeats_weekly_each_days_of_the_week_mask` (Mon=1, Tue=2, Wed=4 ... Sun=64; no
  days means the start's weekday), every `repeats_every_n_weeks` weeks counted in Sunday-based
  weeks (IceCube's default week start) from the start's week. The first meeting is the first
  matching time at or after the start.
- `repeat_ends_on` is a date, and exclusive: the last meeting is the last one before 00:00 UTC
  that day.
- `exclusions` are UTC instants; one removes a meeting only if it is exactly a meeting's start.
- `time_zone` was stored but never used for scheduling.

Imported as is (the default), each series keeps that fixed UTC time: timezone = "UTC". With a
zone (`--zone Europe/London`, or `--zone recorded` for each record's own `time_zone`), each
series is re-anchored to the wall-clock time it had in that zone on its start date, on the same
local days, so it no longer drifts an hour when clocks change.
"""
from __future__ import annotations

import csv
import io
import json
import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone
from pathlib import Path

from ..schedule.dates import WEEKDAYS, clock, long_day
from ..model import Rule
from ..schedule.recurrence import is_rule_start, iter_starts, last_rule_start
from ..content.rules import MAX_INTERVAL
from ..content.validate import EARLIEST_YEAR, LATEST_YEAR
from ..text import slugify
from ..schedule.zones import get_zone, is_known_zone, to_utc
from .draft import APPROXIMATED, INFO, REVIEW, Draft, markdown_from_plain_text
from .zone_names import iana_name

COLUMNS = ("name", "category", "description", "repeats", "repeats_every_n_weeks",
           "repeats_weekly_each_days_of_the_week_mask", "repeat_ends", "repeat_ends_on",
           "start_datetime", "duration", "time_zone", "exclusions", "project", "for", "url")
REQUIRED = ("name", "start_datetime")
CATEGORIES = {"Scrum": "scrum", "PairProgramming": "pair-programming",
              "ClientMeeting": "client-meeting"}
RECORDED = "recorded"  # --zone recorded: each record's own time_zone
DEFAULT_DURATION = 30  # the original site's form default
CHECK_DAYS = timedelta(days=370)  # how far ahead `place` compares the import with the source
SUNDAY = 6
DAY_CODES = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


class RecordError(Exception):
    """A record that cannot be imported: which field, what is wrong, what to do."""

    def __init__(self, field: str | None, message: str, hint: str | None = None):
        super().__init__(message)
        self.field, self.message, self.hint = field, message, hint


@dataclass(frozen=True, slots=True)
class Record:
    where: str  # "events.csv line 4"
    values: dict[str, object]


# --- reading the export ----------------------------------------------------------------------

def read_export(path: Path, text: str) -> list[Record]:
    """Rows of a CSV export (header row first) or a JSON export (a list of objects, or an
    object with an "events" list). Raises ValueError with a message for an unreadable file."""
    name = path.name
    if path.suffix.lower() == ".json" or text.lstrip().startswith(("[", "{")):
        try:
            data = json.loads(text)
        except json.JSONDecodeError as error:
            raise ValueError(f"{name}:{error.lineno}:{error.colno}: not valid JSON: {error.msg}")
        if isinstance(data, dict):
            data = data.get("events")
        if not isinstance(data, list) or not all(isinstance(item, dict) for item in data):
            raise ValueError(f"{name}: expected a list of event objects (or {{\"events\": [...]}})")
        return [Record(f"{name} item {index + 1}", _normalise_keys(item))
                for index, item in enumerate(data)]
    reader = csv.DictReader(io.StringIO(text, newline=""))
    if not reader.fieldnames:
        raise ValueError(f"{name}: empty file; expected a header row naming the columns")
    header = {field.strip().lower() for field in reader.fieldnames if field}
    missing = [c for c in REQUIRED if c not in header]
    if missing:
        raise ValueError(f"{name}:1: the header has no {', '.join(missing)} column; expected "
                         f"the events table's columns: {', '.join(COLUMNS)}")
    records = []
    line = reader.line_num + 1
    for row in reader:
        records.append(Record(f"{name} line {line}", _normalise_keys(row)))
        line = reader.line_num + 1
    return records


def _normalise_keys(row: dict) -> dict:
    return {str(k).strip().lower(): v for k, v in row.items() if k is not None}


# --- reading one record ----------------------------------------------------------------------

def _text(values: dict, field: str) -> str:
    value = values.get(field)
    if value is None:
        return ""
    return str(value).strip()


_INSTANT = re.compile(r"^(\d{4}-\d{2}-\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?\s*"
                      r"(Z|UTC|[+-]\d{2}(?::?\d{2})?)?$", re.I)


def parse_instant(text: str, field: str) -> datetime:
    """A UTC instant as Rails and databases write them: "2014-03-03 07:00:00 UTC",
    "2014-03-03T07:00:00.000Z", "2014-03-03 07:00:00+00". No offset means UTC."""
    match = _INSTANT.match(text.strip())
    if not match:
        raise RecordError(field, f"{text!r} is not a date and time",
                          "write it like 2014-03-03 07:00:00 UTC")
    day, hour, minute, second, offset = match.groups()
    try:
        moment = datetime.fromisoformat(f"{day}T{hour}:{minute}:{second or '00'}")
    except ValueError as error:
        raise RecordError(field, f"{text!r} is not a real date and time ({error})",
                          "write it like 2014-03-03 07:00:00 UTC") from None
    _check_year(moment, field)
    if offset and offset.upper() not in ("Z", "UTC"):
        sign = 1 if offset[0] == "+" else -1
        digits = offset[1:].replace(":", "")
        shift = timedelta(hours=int(digits[:2]), minutes=int(digits[2:] or 0))
        moment -= sign * shift
    return moment  # naive UTC


def _check_year(value: date, field: str) -> None:
    if not EARLIEST_YEAR <= value.year <= LATEST_YEAR:
        raise RecordError(field, f"the year {value.year} is out of range",
                          f"Nextup's dates are in the years {EARLIEST_YEAR} to {LATEST_YEAR}; "
                          "correct it in the export")


def _whole_number(values: dict, field: str) -> int | None:
    text = _text(values, field)
    if not text or text.lower() in ("null", "nil", "none"):
        return None
    try:
        number = float(text)
    except ValueError:
        raise RecordError(field, f"{text!r} is not a number") from None
    if number != number or number in (float("inf"), float("-inf")):  # nan, inf
        raise RecordError(field, f"{text!r} is not a number")
    if number != int(number):
        raise RecordError(field, f"{text!r} is not a whole number")
    return int(number)


def _exclusions(values: dict) -> list[datetime]:
    raw = values.get("exclusions")
    if raw is None or isinstance(raw, str) and raw.strip().lower() in ("", "null", "nil", "[]"):
        return []
    items = raw
    if isinstance(raw, str):
        text = raw.strip()
        if text.startswith("---"):  # Rails' YAML serialisation: "---\n- 2016-03-14 07:00:00 UTC"
            items = [line.strip()[1:].strip().strip("'\"") for line in text.splitlines()[1:]
                     if line.strip().startswith("-")]
        else:
            try:
                items = json.loads(text)
            except json.JSONDecodeError:
                raise RecordError("exclusions", f"{text[:60]!r} is not a JSON list of times",
                                  'write ["2016-03-14T07:00:00Z", ...]') from None
    if not isinstance(items, list):
        raise RecordError("exclusions", "must be a list of times")
    return [parse_instant(str(item), "exclusions") for item in items]


def _repeat_ends_on(values: dict) -> date | None:
    text = _text(values, "repeat_ends_on")
    if not text or text.lower() in ("null", "nil"):
        return None
    try:
        day = date.fromisoformat(text[:10])
    except ValueError:
        raise RecordError("repeat_ends_on", f"{text!r} is not a date",
                          "write it like 2027-06-30") from None
    _check_year(day, "repeat_ends_on")
    return day


def _ends(values: dict) -> bool:
    text = _text(values, "repeat_ends").lower()
    return text in ("on", "true", "t", "1", "yes")


def map_category(name: str) -> str:
    """Scrum -> scrum, PairProgramming -> pair-programming, anything else the same way."""
    if name in CATEGORIES:
        return CATEGORIES[name]
    return slugify(re.sub(r"(?<=[a-z0-9])(?=[A-Z])", "-", name))


def weekdays_of_mask(mask: int) -> list[int]:
    """Mon=1, Tue=2, Wed=4 ... Sun=64 -> [0 .. 6], Monday first."""
    return [day for day in range(7) if mask & (1 << day)]


# --- the schedule the original site showed ---------------------------------------------------

@dataclass(frozen=True, slots=True)
class OriginalSchedule:
    """One record's schedule as the original site computed it, in naive UTC."""

    start: datetime
    rule: Rule | None  # None: it never repeats; its until is the last second before end_bound
    end_bound: datetime | None  # exclusive: 00:00 UTC on repeat_ends_on
    exclusions: tuple[datetime, ...]

    def starts(self, after: datetime, until: datetime):
        """Meeting starts in [after, until] (naive UTC), exclusions removed."""
        if self.rule is None:
            found = [self.start] if after <= self.start <= until else []
        else:
            found = iter_starts(self.rule, self.start, after, until)
        return [s for s in found if s not in self.exclusions]

    def is_meeting(self, moment: datetime) -> bool:
        if self.rule is None:
            return moment == self.start
        return is_rule_start(self.rule, self.start, moment)

    def last(self) -> datetime | None:
        """The last meeting's start (exclusions ignored: they do not move the end), or None if
        the series never ends."""
        if self.rule is None:
            return self.start
        return last_rule_start(self.rule, self.start)


def original_schedule(values: dict) -> tuple[OriginalSchedule, list[str]]:
    """The schedule of one record, and notes about how its fields were read."""
    notes = []
    start = parse_instant(_text(values, "start_datetime"), "start_datetime")
    repeats = _text(values, "repeats").lower() or "never"
    if repeats not in ("never", "weekly", "biweekly"):
        raise RecordError("repeats", f"{repeats!r} is not one the original site knew",
                          "expected never, weekly or biweekly")
    exclusions = tuple(_exclusions(values))
    if repeats == "never":
        return OriginalSchedule(start, None, None, exclusions), notes
    interval = _whole_number(values, "repeats_every_n_weeks")
    if interval is None or interval < 1:
        interval = 2 if repeats == "biweekly" else 1
    if interval > MAX_INTERVAL:
        raise RecordError("repeats_every_n_weeks", f"{interval} weeks is absurdly large",
                          f"at most {MAX_INTERVAL}: correct it in the export")
    mask = _whole_number(values, "repeats_weekly_each_days_of_the_week_mask") or 0
    if not 0 <= mask <= 127:
        raise RecordError("repeats_weekly_each_days_of_the_week_mask",
                          f"{mask} is not a weekday mask", "Mon=1, Tue=2, Wed=4 ... Sun=64, added up")
    days = weekdays_of_mask(mask)
    if not days:
        days = [start.weekday()]
        notes.append(f"no weekdays were ticked, so it repeated on the start's weekday "
                     f"({WEEKDAYS[start.weekday()]}), as the original site did")
    end_bound = None
    ends_on = _repeat_ends_on(values)
    if _ends(values):
        if ends_on is None:
            notes.append("repeat_ends was set but repeat_ends_on is empty: it never ends, as "
                         "on the original site")
        else:
            end_bound = datetime.combine(ends_on, time())
    rule = Rule(freq="WEEKLY", interval=interval, byday=tuple((None, d) for d in days),
                wkst=SUNDAY, until=end_bound - timedelta(seconds=1) if end_bound else None)
    return OriginalSchedule(start, rule, end_bound, exclusions), notes


# --- record -> draft -------------------------------------------------------------------------

def draft_from_record(record: Record, zone_choice: str | None, now: datetime) -> Draft:
    """One record as a draft event file. `zone_choice`: None keeps the fixed UTC times; an
    IANA zone re-anchors every series there; RECORDED uses each record's own time_zone.
    Raises RecordError if the record cannot be imported at all."""
    values = record.values
    title = _text(values, "name")
    if not title:
        raise RecordError("name", "is empty", "every event needs a name")
    schedule, reading_notes = original_schedule(values)
    last = schedule.last()
    if schedule.rule is not None and schedule.end_bound is not None and (
            last is None):
        raise RecordError("repeat_ends_on", f"the series ends ({schedule.end_bound.date()}, "
                          "exclusive) before its first meeting, so the original site never "
                          "showed it", "nothing to import; fix the date if it is wrong")
    recorded_text = _text(values, "time_zone")
    recorded, _ = iana_name(recorded_text)

    duration = _whole_number(values, "duration")
    draft = Draft(source=record.where, slug=slugify(title) or "event", title=title,
                  category=map_category(_text(values, "category") or "Scrum"),
                  timezone="UTC", start=schedule.start, duration=duration or DEFAULT_DURATION)
    for text in reading_notes:
        draft.note(INFO, text)
    if duration is None or not 1 <= duration <= 7 * 24 * 60:
        draft.duration = DEFAULT_DURATION if not duration or duration < 1 else 7 * 24 * 60
        draft.note(REVIEW, f"duration {_text(values, 'duration') or '(empty)'} is not a usable "
                   f"length; set to {draft.duration} minutes")
    if recorded_text and recorded is None:
        draft.note(REVIEW, f'time_zone "{recorded_text}" is not a zone name we know')

    draft.comments.append(f"Imported from {record.where} (the original site's events table).")
    ended = last is not None and last + timedelta(minutes=draft.duration) <= now.replace(tzinfo=None)
    zone = _chosen_zone(draft, zone_choice, recorded, recorded_text)
    meeting_instant = _same_instant
    if schedule.rule is None:
        _one_off(draft, schedule, zone or recorded)
    elif zone is None:
        _fixed_utc_series(draft, schedule, last, None if ended else recorded, recorded_text, now)
    else:
        meeting_instant = _reanchored_series(draft, schedule, last, zone, now)
    begin = now.replace(tzinfo=None)
    length = timedelta(minutes=draft.duration)
    draft.expected = [(instant.replace(tzinfo=timezone.utc), (instant + length).replace(tzinfo=timezone.utc), None)
                      for instant in map(meeting_instant, schedule.starts(
                          begin - length - timedelta(days=1), begin + CHECK_DAYS))]

    if ended:
        draft.draft = True
        draft.note(INFO, f"its last meeting was on {long_day(last.date())}: imported as a "
                   "draft, so it stays off the site (delete draft = true to show its page)")

    draft.url = _text(values, "url") or None
    if draft.url is None:
        draft.note(REVIEW, "no meeting link (url) in the export: the original site made up a "
                   "Jitsi room from the name; add url")
    draft.project = _text(values, "project") or None
    draft.audience = _text(values, "for") or None
    description = _text(values, "description")
    draft.description = markdown_from_plain_text(description)
    return draft


def _chosen_zone(draft: Draft, zone_choice: str | None, recorded: str | None,
                 recorded_text: str) -> str | None:
    if zone_choice != RECORDED:
        return zone_choice
    if recorded is None:
        draft.note(REVIEW, "--zone recorded, but it has no usable time_zone"
                   + (f' ("{recorded_text}")' if recorded_text else "")
                   + ": kept at its fixed UTC time")
    return recorded


def _one_off(draft: Draft, schedule: OriginalSchedule, zone: str | None) -> None:
    """A single meeting: the same instant in any zone, so it is written in the event's own zone
    when one is known (pages then state it as the organiser meant it)."""
    zone = zone or "UTC"
    draft.timezone = zone
    draft.start = _utc_to_local(schedule.start, zone)
    if schedule.exclusions and schedule.start in schedule.exclusions:
        draft.draft = True
        draft.note(REVIEW, "its only meeting is in exclusions, so the original site never showed "
                   "it: imported as a draft")


def _fixed_utc_series(draft: Draft, schedule: OriginalSchedule, last: datetime | None,
                      recorded: str | None, recorded_text: str, now: datetime) -> None:
    rule = schedule.rule
    draft.timezone = "UTC"
    draft.start = schedule.start
    _write_rule(draft, rule, shift=0, until=_until(draft, schedule, last, 0))
    draft.exdates = _exdates(draft, schedule, shift=0, local_time=schedule.start.time())
    if recorded and recorded != "UTC" and _has_clock_changes(recorded, now):
        winter, summer = _offset_range(recorded, now)
        draft.note(REVIEW, f"kept at {clock(schedule.start)} UTC all year, as the original site "
                   f'did: in {recorded} (its time_zone "{recorded_text}") that is '
                   f"{_shifted_clock(schedule.start, winter)} on standard time and "
                   f"{_shifted_clock(schedule.start, summer)} on summer time. To keep it at one "
                   f"local time all year, import with --zone {recorded} (or --zone recorded)")
    draft.comments.append("Repeats at a fixed UTC time, as on the original site.")


def _same_instant(start: datetime) -> datetime:
    return start


def _reanchored_series(draft: Draft, schedule: OriginalSchedule, last: datetime | None, zone: str,
                       now: datetime):
    """Same days, same local wall-clock time as at the start, in `zone`. Returns the function
    from an original meeting's start (naive UTC) to the re-anchored one's."""
    local_start = _utc_to_local(schedule.start, zone)
    shift = (local_start.date() - schedule.start.date()).days  # -1, 0 or 1

    def meeting_instant(start: datetime) -> datetime:
        local = datetime.combine(start.date() + timedelta(days=shift), local_start.time())
        return to_utc(local, zone).replace(tzinfo=None)

    draft.timezone = zone
    draft.start = local_start
    _write_rule(draft, schedule.rule, shift, _until(draft, schedule, last, shift))
    draft.exdates = _exdates(draft, schedule, shift, local_start.time())
    moved = _moved_meetings(schedule, meeting_instant, now)
    text = (f"re-anchored to {clock(local_start)} {zone}, the time it had there on its start "
            f"date ({long_day(local_start.date())})")
    if shift:
        text += (f"; its UTC weekdays are {'the next' if shift > 0 else 'the previous'} "
                 f"day in {zone}")
    if moved:
        first, count = moved
        text += (f". It now keeps that time when clocks change: {count} of the next year's "
                 f"meetings are an hour away from where the original site put them (the first "
                 f"on {long_day(first.date())})")
        draft.note(APPROXIMATED, text)
    else:
        draft.note(INFO, text + "; no meeting in the next year moves")
    draft.comments.append(f"Re-anchored from {clock(schedule.start)} UTC to {clock(local_start)} "
                          f"{zone} on import.")
    return meeting_instant


def _write_rule(draft: Draft, rule: Rule, shift: int, until: date | None) -> None:
    days = sorted((d + shift) % 7 for _, d in rule.byday)
    wkst = (rule.wkst + shift) % 7
    # Week start matters only when weeks are skipped and a week has more than one meeting.
    if rule.interval > 1 and len(days) > 1 and wkst != 0:
        parts = ["FREQ=WEEKLY", f"INTERVAL={rule.interval}",
                 "BYDAY=" + ",".join(("MO", "TU", "WE", "TH", "FR", "SA", "SU")[d] for d in days),
                 "WKST=" + ("MO", "TU", "WE", "TH", "FR", "SA", "SU")[wkst]]
        if until is not None:
            parts.insert(2, "UNTIL=" + until.strftime("%Y%m%d"))
        draft.rrule = ";".join(parts)
        draft.note(INFO, f"every {rule.interval} weeks, counting weeks from "
                   f"{WEEKDAYS[wkst]} as the original site did: written as rrule with WKST")
        return
    draft.repeat = {"every": "week"}
    if rule.interval > 1:
        draft.repeat["interval"] = rule.interval
    draft.repeat["on"] = [DAY_CODES[d] for d in days]
    if until is not None:
        draft.repeat["until"] = until


def _until(draft: Draft, schedule: OriginalSchedule, last: datetime | None,
           shift: int) -> date | None:
    """The inclusive last day: the day of the `last` meeting before the exclusive end date
    (`draft_from_record` refuses a series that ends before its first meeting)."""
    if schedule.end_bound is None:
        return None
    ends_on = schedule.end_bound.date()
    until = last.date() + timedelta(days=shift)
    draft.note(INFO, f"repeat_ends_on {ends_on.isoformat()} was exclusive on the original site: "
               f"it ends with the meeting on {long_day(until)} (until = {until.isoformat()}, "
               "which includes that day)")
    return until


def _exdates(draft: Draft, schedule: OriginalSchedule, shift: int, local_time: time) -> list[datetime]:
    kept, unmatched = [], []
    for moment in sorted(set(schedule.exclusions)):
        if schedule.is_meeting(moment):  # the rule's until already stops at the end date
            kept.append(datetime.combine(moment.date() + timedelta(days=shift), local_time))
        else:
            unmatched.append(moment)
    if unmatched:
        shown = ", ".join(f"{m:%Y-%m-%d %H:%M} UTC" for m in unmatched[:5])
        more = f" and {len(unmatched) - 5} more" if len(unmatched) > 5 else ""
        draft.note(INFO, f"left out {len(unmatched)} exclusion(s) that matched no meeting, so "
                   f"cancelled nothing on the original site either: {shown}{more}")
    return kept


def _moved_meetings(schedule: OriginalSchedule, meeting_instant,
                    now: datetime) -> tuple[datetime, int] | None:
    """(first, how many) of the next year's meetings whose instant re-anchoring changes."""
    begin = max(now.replace(tzinfo=None), schedule.start)
    moved = [start for start in schedule.starts(begin, begin + timedelta(days=366))
             if meeting_instant(start) != start]
    return (moved[0], len(moved)) if moved else None


def _utc_to_local(moment: datetime, zone: str) -> datetime:
    return moment.replace(tzinfo=timezone.utc).astimezone(get_zone(zone)).replace(tzinfo=None)


def _offset_range(zone: str, now: datetime) -> tuple[timedelta, timedelta]:
    year = now.year
    offsets = {datetime(year, month, 15, 12, tzinfo=get_zone(zone)).utcoffset()
               for month in range(1, 13)}
    return min(offsets), max(offsets)


def _has_clock_changes(zone: str, now: datetime) -> bool:
    low, high = _offset_range(zone, now)
    return low != high


def _shifted_clock(moment: datetime, offset: timedelta) -> str:
    return clock(moment + offset)


def zone_choice_problem(value: str | None) -> str | None:
    """Why a --zone value cannot be used, or None."""
    if value is None or value == RECORDED:
        return None
    if not is_known_zone(value) or "/" not in value and value != "UTC":
        return (f'--zone "{value}" is not an IANA zone name; write one like Europe/London, or '
                f"--zone {RECORDED} for each event's own time_zone")
    return None
