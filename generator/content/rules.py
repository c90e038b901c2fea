"""Recurrence rules: parse RFC 5545 RRULE text and the editor-friendly [repeat] table into a
normalised `Rule`, and write a Rule back out as RRULE text.

Parsing returns errors as values (RuleError), each naming the part of the rule at fault, so that
`validate` can place them in the file.
"""
from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, replace
from datetime import date, datetime, time

from ..model import Rule

WEEKDAY_CODES = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
WEEKDAY_NAMES = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
SUPPORTED_FREQS = ("DAILY", "WEEKLY", "MONTHLY", "YEARLY")
SUB_DAILY_FREQS = ("HOURLY", "MINUTELY", "SECONDLY")
MAX_COUNT = 10_000
MAX_INTERVAL = 1_000
ORDINAL_WORDS = {"first": 1, "1st": 1, "second": 2, "2nd": 2, "third": 3, "3rd": 3,
                 "fourth": 4, "4th": 4, "fifth": 5, "5th": 5, "last": -1,
                 "second last": -2, "second to last": -2, "next to last": -2}
REPEAT_UNITS = {"day": "DAILY", "week": "WEEKLY", "month": "MONTHLY", "year": "YEARLY"}
REPEAT_KEYS = ("every", "interval", "on", "at", "until", "count")


@dataclass(frozen=True, slots=True)
class RuleError:
    message: str
    hint: str | None = None
    key: tuple = ()  # inside [repeat]: ("on", 1); for RRULE text: ()
    offset: int | None = None  # for RRULE text: character offset of the faulty part


def suggest(word: str, choices, quote: str = '"') -> str | None:
    match = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return f"did you mean {quote}{match[0]}{quote}?" if match else None


# --- RRULE text -------------------------------------------------------------------------------

_BYDAY_ITEM = re.compile(r"^([+-]?\d{1,2})?(MO|TU|WE|TH|FR|SA|SU)$")
_UNTIL = re.compile(r"^(\d{4})(\d{2})(\d{2})(?:T(\d{2})(\d{2})(\d{2})(Z?))?$")
_INT_PARTS = {  # name: (lowest, highest, zero allowed)
    "BYMONTHDAY": (-31, 31), "BYMONTH": (1, 12), "BYSETPOS": (-366, 366),
    "BYYEARDAY": (-366, 366), "BYHOUR": (0, 23), "BYMINUTE": (0, 59),
}
_ZERO_ALLOWED = ("BYHOUR", "BYMINUTE")  # 0 o'clock and minute 0 are real; day 0 is not
_KNOWN_PARTS = ("FREQ", "INTERVAL", "COUNT", "UNTIL", "BYDAY", "BYMONTHDAY", "BYMONTH",
                "BYSETPOS", "BYYEARDAY", "BYHOUR", "BYMINUTE", "WKST")
MAX_TIMES_A_DAY = 24  # several times a day, not a clock: more is surely a mistake


@dataclass(frozen=True, slots=True)
class ParsedUntil:
    """UNTIL as written: a local or UTC date-time, or a date (inclusive to its end)."""

    value: datetime | date
    is_utc: bool


def parse_rrule(text: str) -> tuple[dict | None, list[RuleError]]:
    """Parse RRULE text into a dict of Rule fields (UNTIL still a ParsedUntil)."""
    errors: list[RuleError] = []
    body = text.strip()
    offset_base = text.find(body)
    if body.upper().startswith("RRULE:"):
        body = body[6:]
        offset_base += 6
    fields: dict = {}
    seen: set[str] = set()
    offset = offset_base
    for part in body.split(";"):
        here = offset
        offset += len(part) + 1
        if not part.strip():
            continue
        name, sep, value = part.partition("=")
        name = name.strip().upper()
        value = value.strip()
        if not sep or not value:
            errors.append(RuleError(f'"{part}" is not NAME=VALUE',
                                    'write rule parts like FREQ=WEEKLY;BYDAY=MO', offset=here))
            continue
        if name in seen:
            errors.append(RuleError(f"{name} appears twice", "keep one", offset=here))
            continue
        seen.add(name)
        error = _parse_part(name, value, fields)
        if error:
            errors.append(RuleError(error[0], error[1], offset=here))
    if "FREQ" not in seen and not any(e.message.startswith("FREQ") for e in errors):
        errors.append(RuleError("FREQ is missing", "start the rule with FREQ=DAILY, FREQ=WEEKLY, "
                                "FREQ=MONTHLY or FREQ=YEARLY", offset=offset_base))
    if "count" in fields and "until" in fields:
        errors.append(RuleError("COUNT and UNTIL cannot both be given",
                                "keep one: COUNT=n ends after n occurrences, UNTIL ends on a date",
                                offset=offset_base))
    errors.extend(_check_combinations(fields, offset_base))
    return (None if errors else fields), errors


def _parse_part(name: str, value: str, fields: dict) -> tuple[str, str | None] | None:
    upper = value.upper()
    if name == "FREQ":
        if upper in SUB_DAILY_FREQS:
            return (f"FREQ={upper} would make an absurd number of occurrences",
                    "events repeat DAILY, WEEKLY, MONTHLY or YEARLY")
        if upper not in SUPPORTED_FREQS:
            return (f'FREQ must be DAILY, WEEKLY, MONTHLY or YEARLY, not "{value}"',
                    suggest(upper, SUPPORTED_FREQS))
        fields["freq"] = upper
    elif name in ("INTERVAL", "COUNT"):
        if not value.isdigit() or int(value) < 1:
            return f'{name} must be a whole number of at least 1, not "{value}"', None
        number = int(value)
        limit = MAX_INTERVAL if name == "INTERVAL" else MAX_COUNT
        if number > limit:
            return (f"{name}={number} is absurdly large (at most {limit})",
                    "use UNTIL to end a long series" if name == "COUNT" else None)
        fields[name.lower()] = number
    elif name == "UNTIL":
        match = _UNTIL.match(upper)
        if not match:
            return (f'UNTIL must look like 20270630, 20270630T235959 or 20270630T235959Z, '
                    f'not "{value}"', None)
        try:
            year, month, day = (int(match[i]) for i in (1, 2, 3))
            if match[4] is None:
                fields["until"] = ParsedUntil(date(year, month, day), False)
            else:
                moment = datetime(year, month, day, int(match[4]), int(match[5]), int(match[6]))
                fields["until"] = ParsedUntil(moment, match[7] == "Z")
        except ValueError as error:
            return f'UNTIL "{value}" is not a real date or time ({error})', None
    elif name == "BYDAY":
        items = []
        for item in upper.split(","):
            match = _BYDAY_ITEM.match(item.strip())
            if not match:
                return (f'BYDAY item "{item}" is not a weekday like MO, TU, WE, TH, FR, SA, SU '
                        'optionally with an ordinal like 2TU or -1FR', _byday_guess(item.strip()))
            ordinal = int(match[1]) if match[1] else None
            if ordinal == 0 or (ordinal is not None and abs(ordinal) > 53):
                return f'BYDAY ordinal in "{item}" must be 1 to 53 or -1 to -53', None
            items.append((ordinal, WEEKDAY_CODES.index(match[2])))
        fields["byday"] = tuple(items)
    elif name in _INT_PARTS:
        low, high = _INT_PARTS[name]
        numbers = []
        for item in value.split(","):
            try:
                number = int(item)
            except ValueError:
                return f'{name} must be a list of whole numbers, not "{value}"', None
            if (number == 0 and name not in _ZERO_ALLOWED) or not low <= number <= high:
                return (f"{name} value {number} is out of range ({low} to {high}"
                        + (")" if name in _ZERO_ALLOWED else ", not 0)"), None)
            numbers.append(number)
        fields[name.lower()] = tuple(sorted(set(numbers))) if name in _ZERO_ALLOWED \
            else tuple(numbers)
    elif name == "WKST":
        if upper not in WEEKDAY_CODES:
            return f'WKST must be a weekday code like MO, not "{value}"', suggest(upper, WEEKDAY_CODES)
        fields["wkst"] = WEEKDAY_CODES.index(upper)
    elif name == "BYWEEKNO":
        return ("BYWEEKNO is not supported", "use BYMONTH with BYDAY, or list the dates in "
                "separate one-off events")
    elif name == "BYSECOND":
        return ("BYSECOND is not supported: meetings start on the minute",
                "leave BYSECOND out; the start's seconds are used")
    else:
        return f'unknown rule part "{name}"', suggest(name, _KNOWN_PARTS) or (
            "supported parts: " + ", ".join(_KNOWN_PARTS))
    return None


def _byday_guess(item: str) -> str | None:
    """ "MON" -> did you mean "MO"?; "2TUE" -> "2TU"; "MX" -> None."""
    match = re.fullmatch(r"([+-]?\d{1,2})?([A-Z]+)", item)
    if match and match[2][:2] in WEEKDAY_CODES:
        return f'did you mean "{match[1] or ""}{match[2][:2]}"?'
    return suggest(item[-2:], WEEKDAY_CODES)


def _check_combinations(fields: dict, offset: int) -> list[RuleError]:
    freq = fields.get("freq")
    errors = []
    if fields.get("byyearday") and freq in ("DAILY", "WEEKLY", "MONTHLY"):
        errors.append(RuleError("BYYEARDAY does not work with FREQ=" + freq, None, offset=offset))
    if fields.get("bymonthday") and freq == "WEEKLY":
        errors.append(RuleError("BYMONTHDAY does not work with FREQ=WEEKLY",
                                "use FREQ=MONTHLY for a day of the month", offset=offset))
    if freq in ("DAILY", "WEEKLY") and any(n is not None for n, _ in fields.get("byday", ())):
        errors.append(RuleError(f"BYDAY ordinals like 2TU need FREQ=MONTHLY or YEARLY, not {freq}",
                                None, offset=offset))
    times = len(fields.get("byhour", (0,))) * len(fields.get("byminute", (0,)))
    if times > MAX_TIMES_A_DAY:
        errors.append(RuleError(f"BYHOUR and BYMINUTE make {times} times a day, more than the "
                                f"{MAX_TIMES_A_DAY} allowed", "list fewer hours or minutes: each "
                                "hour is combined with each minute", offset=offset))
    if freq == "MONTHLY" and any(n is not None and abs(n) > 5 for n, _ in fields.get("byday", ())):
        errors.append(RuleError("a month has at most 5 of each weekday: use ordinals 1 to 5 or "
                                "-1 to -5", None, offset=offset))
    return errors


# --- [repeat] table ---------------------------------------------------------------------------

def parse_repeat(table: dict) -> tuple[dict | None, list[RuleError]]:
    """Turn a [repeat] table into the same dict of Rule fields that parse_rrule returns."""
    errors: list[RuleError] = []
    fields: dict = {}
    for key in table:
        if key not in REPEAT_KEYS:
            errors.append(RuleError(f'unknown field "{key}" in [repeat]',
                                    suggest(key, REPEAT_KEYS) or "fields: " + ", ".join(REPEAT_KEYS),
                                    key=(key,)))
    every = table.get("every")
    if every is None:
        errors.append(RuleError("[repeat] needs every", 'add every = "week" (or "day", "month", '
                                '"year")', key=()))
    elif not isinstance(every, str) or every.lower().rstrip("s") not in REPEAT_UNITS:
        hint = ('write every = "week" and interval = 2' if str(every).lower().startswith("fortnight")
                else suggest(str(every).lower(), REPEAT_UNITS))
        errors.append(RuleError(f'every must be "day", "week", "month" or "year", not {every!r}',
                                hint, key=("every",)))
    else:
        fields["freq"] = REPEAT_UNITS[every.lower().rstrip("s")]

    interval = table.get("interval", 1)
    if not _is_int(interval) or not 1 <= interval <= MAX_INTERVAL:
        errors.append(RuleError(f"interval must be a whole number from 1 to {MAX_INTERVAL}, "
                                f"not {interval!r}", "interval = 2 means every other",
                                key=("interval",)))
    elif interval > 1:
        fields["interval"] = interval

    if "count" in table:
        count = table["count"]
        if not _is_int(count) or not 1 <= count <= MAX_COUNT:
            errors.append(RuleError(f"count must be a whole number from 1 to {MAX_COUNT}, "
                                    f"not {count!r}", None, key=("count",)))
        else:
            fields["count"] = count

    if "until" in table:
        until = table["until"]
        if isinstance(until, datetime):
            if until.tzinfo is not None:
                errors.append(RuleError("until must be a local date or date-time, without an "
                                        "offset", "write until = 2027-06-30", key=("until",)))
            else:
                fields["until"] = ParsedUntil(until, False)
        elif isinstance(until, date):
            fields["until"] = ParsedUntil(until, False)
        else:
            errors.append(RuleError(f"until must be a date like 2027-06-30, not {until!r}",
                                    "write the date without quotes", key=("until",)))
        if "count" in table:
            errors.append(RuleError("count and until cannot both be given",
                                    "keep one", key=("until",)))

    if "on" in table:
        on = table["on"]
        if not isinstance(on, list) or not on:
            on = [on] if isinstance(on, (str, int)) and not isinstance(on, bool) else None
        if on is None:
            errors.append(RuleError('on must be a list like ["mon", "thu"]', None, key=("on",)))
        else:
            byday, bymonthday = [], []
            for index, item in enumerate(on):
                parsed = _parse_on_item(item, fields.get("freq"))
                if isinstance(parsed, RuleError):
                    errors.append(replace(parsed, key=("on", index)))
                elif isinstance(parsed, int):
                    bymonthday.append(parsed)
                else:
                    byday.append(parsed)
            if byday:
                fields["byday"] = tuple(byday)
            if bymonthday:
                fields["bymonthday"] = tuple(bymonthday)
    if "at" in table:
        times, at_errors = _parse_at(table["at"])
        errors += at_errors
        if times:
            fields["at"] = times
    if not errors:
        errors.extend(_check_combinations(fields, 0))
        errors = [replace(e, key=("on",), offset=None) for e in errors]
    return (None if errors else fields), errors


_CLOCK_TIME = re.compile(r"^([01]?\d|2[0-3]):([0-5]\d)$")


def _parse_at(value) -> tuple[tuple[time, ...], list[RuleError]]:
    """[repeat] at = ["09:00", "15:30"]: the times of day, as text "HH:MM" or TOML local times."""
    items = value if isinstance(value, list) else [value]
    if not items:
        return (), [RuleError('at must list times of day like ["09:00", "15:00"]', None,
                              key=("at",))]
    times, errors = [], []
    for index, item in enumerate(items):
        key = ("at", index) if isinstance(value, list) else ("at",)
        if isinstance(item, time) and item.tzinfo is None:
            if item.second or item.microsecond:
                errors.append(RuleError(f"{item.isoformat()} has seconds; meetings start on the "
                                        "minute", f'write "{item:%H:%M}"', key=key))
            else:
                times.append(item)
            continue
        match = _CLOCK_TIME.match(item) if isinstance(item, str) else None
        if match is None:
            shown = repr(item) if not isinstance(item, bool) else str(item).lower()
            errors.append(RuleError(f"{shown} is not a time of day like \"09:00\"",
                                    "write 24-hour times in quotes: \"09:00\", \"15:30\"",
                                    key=key))
            continue
        times.append(time(int(match[1]), int(match[2])))
    if len(set(times)) != len(times):
        errors.append(RuleError("a time is listed twice in at", "list each time once",
                                key=("at",)))
    if len(times) > MAX_TIMES_A_DAY:
        errors.append(RuleError(f"{len(times)} times a day are more than the {MAX_TIMES_A_DAY} "
                                "allowed", "list fewer times; for a meeting every half hour, "
                                "make a longer one", key=("at",)))
    return tuple(sorted(set(times))), errors


def _is_int(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _weekday_index(word: str) -> int | None:
    word = word.lower().strip()
    for index, name in enumerate(WEEKDAY_NAMES):
        if len(word) >= 2 and name.startswith(word) and (len(word) >= 3 or word in ("mo", "tu",
                                                                                  "we", "th", "fr",
                                                                                  "sa", "su")):
            return index
    return None


def _parse_on_item(item, freq) -> tuple[int | None, int] | int | RuleError:
    if _is_int(item):
        if freq not in ("MONTHLY", "YEARLY"):
            return RuleError(f"a day number ({item}) only works with every = \"month\"",
                             'for weekdays write names like "mon"')
        if item == 0 or not -31 <= item <= 31:
            return RuleError(f"day of month {item} is out of range (1 to 31, or -1 for the last)")
        return item
    if not isinstance(item, str):
        shown = str(item).lower() if isinstance(item, bool) else repr(item)
        return RuleError(f"{shown} is not a weekday", 'write weekdays like "mon", "thursday"')
    # "second-last tue" reads as "second last tue"; "-1 fri" keeps its minus.
    words = re.sub(r"(?<=[a-z])-(?=[a-z])", " ", item.lower()).split()
    if not words:
        return RuleError("empty weekday", 'write weekdays like "mon", "thursday"')
    weekday = _weekday_index(words[-1])
    if weekday is None:
        return RuleError(f'"{item}" is not a weekday',
                         suggest(words[-1], WEEKDAY_NAMES) or 'write weekdays like "mon", "thu"')
    if len(words) == 1:
        return (None, weekday)
    ordinal_text = " ".join(words[:-1])
    ordinal = ORDINAL_WORDS.get(ordinal_text)
    if ordinal is None and re.fullmatch(r"-?\d", ordinal_text):
        ordinal = int(ordinal_text) or None
    if ordinal is None:
        return RuleError(f'"{ordinal_text}" in "{item}" is not an ordinal',
                         'write "first", "second", "third", "fourth", "fifth", "last" or '
                         '"second-last"')
    if freq not in ("MONTHLY", "YEARLY"):
        return RuleError(f'"{item}" only works with every = "month"',
                         'for a weekly event write just the weekday, like "tue"')
    return (ordinal, weekday)


# --- building a Rule --------------------------------------------------------------------------

def build_rule(fields: dict, start: datetime, until_local: datetime | None) -> Rule:
    """Make a Rule from parsed fields, with the defaults RFC 5545 takes from DTSTART explicit.

    Explicit BY* parts let `expand` move the series start forward by whole periods without
    changing which days it falls on.
    """
    freq = fields["freq"]
    byday = fields.get("byday", ())
    bymonthday = fields.get("bymonthday", ())
    bymonth = fields.get("bymonth", ())
    if not (fields.get("byyearday") or bymonthday or byday):
        if freq == "YEARLY":
            bymonth = bymonth or (start.month,)
            bymonthday = (start.day,)
        elif freq == "MONTHLY":
            bymonthday = (start.day,)
        elif freq == "WEEKLY":
            byday = ((None, start.weekday()),)
    times: tuple[time, ...] = fields.get("at", ())
    if fields.get("byhour") or fields.get("byminute"):  # RFC 5545: each hour with each minute
        hours = fields.get("byhour") or (start.hour,)
        minutes = fields.get("byminute") or (start.minute,)
        times = tuple(time(h, m) for h in hours for m in minutes)
    if times == (time(start.hour, start.minute),):
        times = ()  # only the start's own time: the plain, once-a-day rule
    return Rule(
        times=times,
        freq=freq,
        interval=fields.get("interval", 1),
        count=fields.get("count"),
        until=until_local,
        byday=tuple(byday),
        bymonthday=tuple(bymonthday),
        bymonth=tuple(bymonth),
        bysetpos=fields.get("bysetpos", ()),
        byyearday=fields.get("byyearday", ()),
        wkst=fields.get("wkst", 0),
    )


def until_as_local(until: ParsedUntil, to_local) -> datetime:
    """UNTIL as an inclusive local wall-clock limit. `to_local` converts a UTC datetime."""
    if until.is_utc:
        return to_local(until.value)
    if isinstance(until.value, datetime):
        return until.value
    # A date: the whole day counts, as editors expect ("until 30 June" includes 30 June).
    return datetime.combine(until.value, time(23, 59, 59))


def format_rrule(rule: Rule, until_utc: datetime | date | None) -> str:
    """RRULE value text in a fixed order. UNTIL is written in UTC, as RFC 5545 requires
    when DTSTART has a TZID; or, given a date (an all-day series: DTSTART;VALUE=DATE), as that
    date, as RFC 5545 requires when DTSTART is a date."""
    parts = [f"FREQ={rule.freq}"]
    if rule.interval != 1:
        parts.append(f"INTERVAL={rule.interval}")
    if rule.count is not None:
        parts.append(f"COUNT={rule.count}")
    if until_utc is not None:
        parts.append("UNTIL=" + until_utc.strftime(
            "%Y%m%dT%H%M%SZ" if isinstance(until_utc, datetime) else "%Y%m%d"))
    if rule.bymonth:
        parts.append("BYMONTH=" + ",".join(map(str, rule.bymonth)))
    if rule.byyearday:
        parts.append("BYYEARDAY=" + ",".join(map(str, rule.byyearday)))
    if rule.bymonthday:
        parts.append("BYMONTHDAY=" + ",".join(map(str, rule.bymonthday)))
    if rule.byday:
        parts.append("BYDAY=" + ",".join(f"{n if n is not None else ''}{WEEKDAY_CODES[d]}"
                                         for n, d in rule.byday))
    if rule.times:
        hours, minutes = rule.hours_and_minutes  # several VEVENTs carry other sets (render/ics.py)
        parts.append("BYHOUR=" + ",".join(map(str, hours)))
        parts.append("BYMINUTE=" + ",".join(map(str, minutes)))
    if rule.bysetpos:
        parts.append("BYSETPOS=" + ",".join(map(str, rule.bysetpos)))
    if rule.wkst != 0:
        parts.append("WKST=" + WEEKDAY_CODES[rule.wkst])
    return ";".join(parts)
