"""Which rules Outlook can hold, for `check`'s calendar-app compatibility warning.

Outlook stores a series as one AppointmentRecurrencePattern ([MS-OXOCAL] 2.2.1.44.5), and
[MS-OXCICAL] 2.1.3.2.2 "Recurrence Templates" says which RRULEs map onto one: only those that
fit its templates; the rest "SHOULD gracefully fail to map" (the series is dropped, or only its
first meeting is kept). The templates, by section:

- 2.1.3.2.2.1 daily:       FREQ=DAILY and the common parts only (no BYDAY, BYMONTH...)
- 2.1.3.2.2.2 weekly:      FREQ=WEEKLY [BYDAY], BYDAY "week independent" (no week numbers)
- 2.1.3.2.2.3 monthly:     FREQ=MONTHLY [BYMONTHDAY], one day of the month
- 2.1.3.2.2.4 monthly nth: FREQ=MONTHLY, BYDAY weekdays and one BYSETPOS (1 to 4, or -1 for
                           the last: PatternTypeSpecific.MonthNth.N holds First..Fourth, Last)
- 2.1.3.2.2.5 yearly:      FREQ=YEARLY [BYMONTHDAY] [BYMONTH], one of each
- 2.1.3.2.2.6 yearly nth:  FREQ=YEARLY, BYDAY weekdays, one BYSETPOS, one BYMONTH
- common parts (2.1.3.2.2): [INTERVAL] [BYHOUR] [BYMINUTE] [UNTIL or COUNT] [WKST], with one
  hour and one minute: a series has one start time. INTERVAL is allowed in every template
  (2.1.3.2.2.5's example is "every 3 years"), so no interval is warned about.

Beyond the templates: BYYEARDAY and BYWEEKNO appear in none (Nextup refuses BYWEEKNO
anyway); Outlook counts a series' occurrences in three digits, so COUNT above 999 is cut. One
ordinal BYDAY ("2TU", the usual spelling of the second Tuesday) is read as the monthly-nth
pattern by Outlook and is left alone; several (1TU,3TU) have no pattern.

`outlook_problems` looks at the rule as the ICS writes it (the normalised Rule, after
render/ics.py has split times of day that one RRULE cannot state into one VEVENT each), and
names each pattern with a rewrite that fits.
"""
from __future__ import annotations

from ..model import Rule

MAX_OUTLOOK_COUNT = 999
_POSITIONS = {1, 2, 3, 4, -1}  # first .. fourth, last
_CODES = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
_SPLIT = "split it into one event per {what}, each with its own rule"
_RDATES = "list the dates in rdates, or split it into events Outlook can repeat"


def _days(rule: Rule) -> str:
    return ",".join(f"{n if n is not None else ''}{_CODES[d]}" for n, d in rule.byday)


def outlook_problems(rule: Rule) -> list[tuple[str, str]]:
    """(the pattern, in words with its RRULE part; a rewrite Outlook can hold), for each way
    the rule leaves Outlook's templates. Empty: Outlook shows it as written."""
    found: list[tuple[str, str]] = []
    ordinals = [n for n, _ in rule.byday if n is not None]
    if rule.byyearday:
        found.append((f"days of the year, BYYEARDAY={','.join(map(str, rule.byyearday))}",
                      "use BYMONTH with BYMONTHDAY (FREQ=YEARLY;BYMONTH=3;BYMONTHDAY=1), or "
                      "list the dates in rdates"))
    if rule.count is not None and rule.count > MAX_OUTLOOK_COUNT:
        found.append((f"COUNT={rule.count}, above the {MAX_OUTLOOK_COUNT} Outlook counts to",
                      "end the series with until instead of count"))
    if len(rule.times) > 1 and rule.count is not None:
        # Without COUNT, each time of day is written as its own VEVENT (render/ics.py); a count
        # runs across the times, so one RRULE must carry them all.
        found.append(("several times of day with a count; Outlook has one start time per "
                      "series", "end the series with until instead of count: each time of day "
                      "then becomes its own calendar entry"))
    if len(rule.bymonthday) > 1:
        found.append((f"several days of the month, BYMONTHDAY="
                      f"{','.join(map(str, rule.bymonthday))}", _SPLIT.format(what="day of the month")))
    if len(rule.bysetpos) > 1:
        found.append((f"several positions, BYSETPOS={','.join(map(str, rule.bysetpos))}",
                      _SPLIT.format(what="position")))
    elif rule.bysetpos and rule.bysetpos[0] not in _POSITIONS:
        found.append((f"BYSETPOS={rule.bysetpos[0]}; Outlook has only the first to fourth, and "
                      "the last", _RDATES))
    if rule.freq == "WEEKLY" and ordinals:
        found.append((f"week numbers in BYDAY={_days(rule)} under FREQ=WEEKLY",
                      "write the weekdays without numbers, or use FREQ=MONTHLY"))
    elif len(ordinals) > 1:
        parts = [f"{n}{_CODES[d]}" for n, d in rule.byday]
        found.append((f"several weeks of the month, BYDAY={_days(rule)}",
                      "split it into one event per week of the month: "
                      + ", ".join(f"BYDAY={p}" for p in parts[:-1]) + f" and BYDAY={parts[-1]}"))
    elif ordinals and ordinals[0] not in _POSITIONS:
        found.append((f"BYDAY={_days(rule)}; Outlook has only the first to fourth, and the "
                      "last, weekday of a month", _RDATES))
    found += _outside_templates(rule, ordinals)
    return found


def _outside_templates(rule: Rule, ordinals: list[int]) -> list[tuple[str, str]]:
    """Parts a frequency's templates do not take at all."""
    if rule.freq == "DAILY" and (rule.byday or rule.bymonthday or rule.bymonth or rule.bysetpos):
        if rule.byday and not (rule.bymonthday or rule.bymonth or rule.bysetpos or ordinals):
            return [(f"FREQ=DAILY with BYDAY={_days(rule)}",
                     f"write FREQ=WEEKLY;BYDAY={_days(rule)}: the same days")]
        return [("FREQ=DAILY limited to some days or months", _RDATES)]
    if rule.freq == "WEEKLY" and (rule.bymonthday or rule.bymonth or rule.bysetpos):
        return [("FREQ=WEEKLY limited to some months or days of the month", _RDATES)]
    if rule.freq == "MONTHLY":
        if rule.bymonth:
            return [("FREQ=MONTHLY limited to some months, BYMONTH="
                     f"{','.join(map(str, rule.bymonth))}",
                     _SPLIT.format(what="month, with FREQ=YEARLY"))]
        if rule.byday and rule.bymonthday:
            return [("weekdays and days of the month together", _RDATES)]
        if rule.byday and not ordinals and not rule.bysetpos:
            return [(f"every {_days(rule)} of the month under FREQ=MONTHLY",
                     f"write FREQ=WEEKLY;BYDAY={_days(rule)}: the same days")]
    if rule.freq == "YEARLY":
        if len(rule.bymonth) > 1:
            return [(f"several months, BYMONTH={','.join(map(str, rule.bymonth))}",
                     _SPLIT.format(what="month"))]
        if rule.byday and rule.bymonthday:
            return [("weekdays and days of the month together", _RDATES)]
        if rule.byday and not ordinals and not rule.bysetpos:
            return [(f"every {_days(rule)} of a month under FREQ=YEARLY", _RDATES)]
    return []
