"""recurrence.iter_starts against independent answers: RFC 5545's own worked examples, and
dateutil.rrule (a separate implementation) on a few hundred seeded random rules, with windows
that open years after DTSTART so that the jump over whole periods is exercised."""
from __future__ import annotations

import random
from collections import Counter
from datetime import datetime, timedelta

import pytest
from dateutil import rrule as du

from generator.schedule.recurrence import first_occurrence, iter_starts
from generator.content.rules import WEEKDAY_CODES, build_rule, parse_rrule, until_as_local

FAR = datetime(2200, 1, 1)


def make_rule(text: str, start: datetime):
    """Rule from RRULE text, as validate builds it (UNTIL read as local wall-clock time)."""
    fields, errors = parse_rrule(text)
    assert not errors, (text, errors)
    until = fields.pop("until", None)
    until_local = until_as_local(until, lambda utc: utc) if until is not None else None
    return build_rule(fields, start, until_local)


def ours(text: str, start: datetime, after: datetime | None = None, until: datetime = FAR,
         limit: int | None = None) -> list[datetime]:
    rule = make_rule(text, start)
    first = first_occurrence(rule, start, years=30)
    if first is None:
        return []
    found = []
    for moment in iter_starts(rule, first, after, until):
        found.append(moment)
        if limit is not None and len(found) >= limit:
            break
    return found


# --- RFC 5545 section 3.8.5.3 examples (expected dates copied from the RFC's text) ----------

D = datetime
RFC_EXAMPLES = [
    # Daily for 10 occurrences.
    ("FREQ=DAILY;COUNT=10", D(1997, 9, 2, 9), None,
     [D(1997, 9, d, 9) for d in range(2, 12)]),
    # Every other day, first few.
    ("FREQ=DAILY;INTERVAL=2", D(1997, 9, 2, 9), 4,
     [D(1997, 9, 2, 9), D(1997, 9, 4, 9), D(1997, 9, 6, 9), D(1997, 9, 8, 9)]),
    # Every 10 days, 5 occurrences.
    ("FREQ=DAILY;INTERVAL=10;COUNT=5", D(1997, 9, 2, 9), None,
     [D(1997, 9, 2, 9), D(1997, 9, 12, 9), D(1997, 9, 22, 9), D(1997, 10, 2, 9),
      D(1997, 10, 12, 9)]),
    # Weekly until 24 December 1997 (local UNTIL here).
    ("FREQ=WEEKLY;UNTIL=19971224T000000", D(1997, 9, 2, 9), None,
     [D(1997, 9, 2, 9) + timedelta(weeks=i) for i in range(17)]),
    # Every other week on Tuesday and Thursday, WKST=SU, for 8 occurrences.
    ("FREQ=WEEKLY;INTERVAL=2;COUNT=8;WKST=SU;BYDAY=TU,TH", D(1997, 9, 2, 9), None,
     [D(1997, 9, 2, 9), D(1997, 9, 4, 9), D(1997, 9, 16, 9), D(1997, 9, 18, 9),
      D(1997, 9, 30, 9), D(1997, 10, 2, 9), D(1997, 10, 14, 9), D(1997, 10, 16, 9)]),
    # WKST changes the result: every other week on Tuesday and Sunday.
    ("FREQ=WEEKLY;INTERVAL=2;COUNT=4;BYDAY=TU,SU;WKST=MO", D(1997, 8, 5, 9), None,
     [D(1997, 8, 5, 9), D(1997, 8, 10, 9), D(1997, 8, 19, 9), D(1997, 8, 24, 9)]),
    ("FREQ=WEEKLY;INTERVAL=2;COUNT=4;BYDAY=TU,SU;WKST=SU", D(1997, 8, 5, 9), None,
     [D(1997, 8, 5, 9), D(1997, 8, 17, 9), D(1997, 8, 19, 9), D(1997, 8, 31, 9)]),
    # Monthly on the first Friday for 10 occurrences.
    ("FREQ=MONTHLY;COUNT=10;BYDAY=1FR", D(1997, 9, 5, 9), None,
     [D(1997, 9, 5, 9), D(1997, 10, 3, 9), D(1997, 11, 7, 9), D(1997, 12, 5, 9),
      D(1998, 1, 2, 9), D(1998, 2, 6, 9), D(1998, 3, 6, 9), D(1998, 4, 3, 9),
      D(1998, 5, 1, 9), D(1998, 6, 5, 9)]),
    # Every other month on the first and last Sunday, 10 occurrences.
    ("FREQ=MONTHLY;INTERVAL=2;COUNT=10;BYDAY=1SU,-1SU", D(1997, 9, 7, 9), None,
     [D(1997, 9, 7, 9), D(1997, 9, 28, 9), D(1997, 11, 2, 9), D(1997, 11, 30, 9),
      D(1998, 1, 4, 9), D(1998, 1, 25, 9), D(1998, 3, 1, 9), D(1998, 3, 29, 9),
      D(1998, 5, 3, 9), D(1998, 5, 31, 9)]),
    # Monthly on the second-to-last Monday for 6 months.
    ("FREQ=MONTHLY;COUNT=6;BYDAY=-2MO", D(1997, 9, 22, 9), None,
     [D(1997, 9, 22, 9), D(1997, 10, 20, 9), D(1997, 11, 17, 9), D(1997, 12, 22, 9),
      D(1998, 1, 19, 9), D(1998, 2, 16, 9)]),
    # Monthly on the third-to-the-last day.
    ("FREQ=MONTHLY;BYMONTHDAY=-3", D(1997, 9, 28, 9), 6,
     [D(1997, 9, 28, 9), D(1997, 10, 29, 9), D(1997, 11, 28, 9), D(1997, 12, 29, 9),
      D(1998, 1, 29, 9), D(1998, 2, 26, 9)]),
    # Monthly on the 2nd and 15th for 10 occurrences.
    ("FREQ=MONTHLY;COUNT=10;BYMONTHDAY=2,15", D(1997, 9, 2, 9), None,
     [D(1997, 9, 2, 9), D(1997, 9, 15, 9), D(1997, 10, 2, 9), D(1997, 10, 15, 9),
      D(1997, 11, 2, 9), D(1997, 11, 15, 9), D(1997, 12, 2, 9), D(1997, 12, 15, 9),
      D(1998, 1, 2, 9), D(1998, 1, 15, 9)]),
    # Monthly on the first and last day for 10 occurrences.
    ("FREQ=MONTHLY;COUNT=10;BYMONTHDAY=1,-1", D(1997, 9, 30, 9), None,
     [D(1997, 9, 30, 9), D(1997, 10, 1, 9), D(1997, 10, 31, 9), D(1997, 11, 1, 9),
      D(1997, 11, 30, 9), D(1997, 12, 1, 9), D(1997, 12, 31, 9), D(1998, 1, 1, 9),
      D(1998, 1, 31, 9), D(1998, 2, 1, 9)]),
    # Yearly in June and July for 10 occurrences.
    ("FREQ=YEARLY;COUNT=10;BYMONTH=6,7", D(1997, 6, 10, 9), None,
     [D(y, m, 10, 9) for y in range(1997, 2002) for m in (6, 7)]),
    # Every third year on the 1st, 100th and 200th day for 10 occurrences.
    ("FREQ=YEARLY;INTERVAL=3;COUNT=10;BYYEARDAY=1,100,200", D(1997, 1, 1, 9), None,
     [D(1997, 1, 1, 9), D(1997, 4, 10, 9), D(1997, 7, 19, 9), D(2000, 1, 1, 9),
      D(2000, 4, 9, 9), D(2000, 7, 18, 9), D(2003, 1, 1, 9), D(2003, 4, 10, 9),
      D(2003, 7, 19, 9), D(2006, 1, 1, 9)]),
    # Every 20th Monday of the year.
    ("FREQ=YEARLY;BYDAY=20MO", D(1997, 5, 19, 9), 3,
     [D(1997, 5, 19, 9), D(1998, 5, 18, 9), D(1999, 5, 17, 9)]),
    # Every Thursday in March.
    ("FREQ=YEARLY;BYMONTH=3;BYDAY=TH", D(1997, 3, 13, 9), 11,
     [D(1997, 3, 13, 9), D(1997, 3, 20, 9), D(1997, 3, 27, 9), D(1998, 3, 5, 9),
      D(1998, 3, 12, 9), D(1998, 3, 19, 9), D(1998, 3, 26, 9), D(1999, 3, 4, 9),
      D(1999, 3, 11, 9), D(1999, 3, 18, 9), D(1999, 3, 25, 9)]),
    # Every Friday the 13th (DTSTART itself is not one, so the series starts at the first).
    ("FREQ=MONTHLY;BYDAY=FR;BYMONTHDAY=13", D(1997, 9, 2, 9), 5,
     [D(1998, 2, 13, 9), D(1998, 3, 13, 9), D(1998, 11, 13, 9), D(1999, 8, 13, 9),
      D(2000, 10, 13, 9)]),
    # The first Saturday that follows the first Sunday of the month.
    ("FREQ=MONTHLY;BYDAY=SA;BYMONTHDAY=7,8,9,10,11,12,13", D(1997, 9, 13, 9), 5,
     [D(1997, 9, 13, 9), D(1997, 10, 11, 9), D(1997, 11, 8, 9), D(1997, 12, 13, 9),
      D(1998, 1, 10, 9)]),
    # US Presidential Election Day: every 4 years, the first Tuesday after a Monday in November.
    ("FREQ=YEARLY;INTERVAL=4;BYMONTH=11;BYDAY=TU;BYMONTHDAY=2,3,4,5,6,7,8", D(1996, 11, 5, 9),
     3, [D(1996, 11, 5, 9), D(2000, 11, 7, 9), D(2004, 11, 2, 9)]),
    # The third instance of Tuesday, Wednesday or Thursday of the month, for 3 months.
    ("FREQ=MONTHLY;COUNT=3;BYDAY=TU,WE,TH;BYSETPOS=3", D(1997, 9, 4, 9), None,
     [D(1997, 9, 4, 9), D(1997, 10, 7, 9), D(1997, 11, 6, 9)]),
    # The second-to-last weekday of the month.
    ("FREQ=MONTHLY;BYDAY=MO,TU,WE,TH,FR;BYSETPOS=-2", D(1997, 9, 29, 9), 7,
     [D(1997, 9, 29, 9), D(1997, 10, 30, 9), D(1997, 11, 27, 9), D(1997, 12, 30, 9),
      D(1998, 1, 29, 9), D(1998, 2, 26, 9), D(1998, 3, 30, 9)]),
    # An invalid date (30 February) is skipped, not moved.
    ("FREQ=MONTHLY;BYMONTHDAY=15,30;COUNT=5", D(2007, 1, 15, 9), None,
     [D(2007, 1, 15, 9), D(2007, 1, 30, 9), D(2007, 2, 15, 9), D(2007, 3, 15, 9),
      D(2007, 3, 30, 9)]),
]


@pytest.mark.parametrize("text, start, limit, expected", RFC_EXAMPLES,
                         ids=[example[0] for example in RFC_EXAMPLES])
def test_rfc5545_examples_give_the_rfc_dates(text, start, limit, expected):
    assert ours(text, start, limit=limit) == expected


def test_rfc5545_examples_from_a_window_years_later():
    # The election-day rule seen from 2027 must still fall on the 4-year cycle from 1996:
    # 2028-11-07 (Tuesday after Monday 6th), 2032-11-02, 2036-11-04.
    text = "FREQ=YEARLY;INTERVAL=4;BYMONTH=11;BYDAY=TU;BYMONTHDAY=2,3,4,5,6,7,8"
    assert ours(text, D(1996, 11, 5, 9), after=D(2027, 1, 1), until=D(2037, 1, 1)) == [
        D(2028, 11, 7, 9), D(2032, 11, 2, 9), D(2036, 11, 4, 9)]


def test_second_tuesday_monthly_by_hand():
    # 1 January 2027 is a Friday: first Tuesday 5th, second 12th. 1 February and 1 March 2027
    # are Mondays: second Tuesdays on the 9th.
    assert ours("FREQ=MONTHLY;BYDAY=2TU", D(2027, 1, 1, 18, 30), limit=3) == [
        D(2027, 1, 12, 18, 30), D(2027, 2, 9, 18, 30), D(2027, 3, 9, 18, 30)]


def test_start_off_the_rule_begins_at_first_matching_day():
    # Start on Monday 1 March 2027, repeat on Tuesdays: the series begins Tuesday 2 March.
    assert ours("FREQ=WEEKLY;BYDAY=TU", D(2027, 3, 1, 7), limit=2) == [
        D(2027, 3, 2, 7), D(2027, 3, 9, 7)]


def test_start_on_a_matching_day_is_the_first_not_an_earlier_day_of_its_period():
    # Start Tuesday 2 March 2027 on a Monday+Tuesday rule: Monday 1 March is in the same week
    # but before the start.
    assert ours("FREQ=WEEKLY;BYDAY=MO,TU", D(2027, 3, 2, 9), limit=3) == [
        D(2027, 3, 2, 9), D(2027, 3, 8, 9), D(2027, 3, 9, 9)]
    assert ours("FREQ=MONTHLY;BYMONTHDAY=1,2", D(2027, 3, 2, 9), limit=3) == [
        D(2027, 3, 2, 9), D(2027, 4, 1, 9), D(2027, 4, 2, 9)]
    # Same day, earlier time of day than the start: not an occurrence either.
    assert ours("FREQ=DAILY", D(2027, 3, 2, 9), after=D(2027, 3, 1), limit=1) == [D(2027, 3, 2, 9)]


def test_weekly_bysetpos_counts_in_the_whole_first_week():
    # Weeks start on Wednesday (WKST=WE). Start Sunday 7 July 2013: its week is Wed 3 - Tue 9
    # July, whose Saturdays and Mondays are 6 and 8 July; the 2nd of those is Monday 8 July,
    # after the start, so it is the first occurrence. Then every 7th week: 26 August.
    text = "FREQ=WEEKLY;INTERVAL=7;BYDAY=SA,MO;BYSETPOS=2;WKST=WE"
    assert ours(text, D(2013, 7, 7, 11, 15), limit=2) == [D(2013, 7, 8, 11, 15),
                                                          D(2013, 8, 26, 11, 15)]


def test_rule_that_never_matches_ends_at_the_window():
    # 30 February never exists: the walk must stop at `until`, not run on to year 9999.
    rule = make_rule("FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=30", D(2027, 1, 1, 9))
    assert list(iter_starts(rule, D(2027, 1, 1, 9), D(2030, 1, 1), D(2040, 1, 1))) == []
    assert first_occurrence(rule, D(2027, 1, 1, 9), years=10) is None


def test_count_counts_from_dtstart_not_from_the_window():
    # COUNT=10 weekly from 4 January 2027: the last is 8 March; a window opening on 1 March
    # sees 1 March and 8 March only.
    rule = make_rule("FREQ=WEEKLY;COUNT=10", D(2027, 1, 4, 9))
    assert list(iter_starts(rule, D(2027, 1, 4, 9), D(2027, 3, 1), D(2028, 1, 1))) == [
        D(2027, 3, 1, 9), D(2027, 3, 8, 9)]


def test_interval_phase_kept_after_jump():
    # Every third week on Wednesday from Wednesday 6 January 2010: weeks 0, 3, 6, ... 3 * 7 =
    # 21 days apart. From 2027 on, the dates are 6 Jan 2010 + 21k days.
    start = D(2010, 1, 6, 12)
    found = ours("FREQ=WEEKLY;INTERVAL=3;BYDAY=WE", start, after=D(2027, 1, 1), until=D(2027, 4, 1))
    # 2010-01-06 .. 2027-01-06 is 17 * 365 + 4 leap days = 6209 days; 6216 = 296 * 21, so
    # 13 January 2027 is on the cycle, then every 21 days.
    assert found == [D(2027, 1, 13, 12), D(2027, 2, 3, 12), D(2027, 2, 24, 12), D(2027, 3, 17, 12)]


# --- dateutil oracle ----------------------------------------------------------------------


def _random_rule(rng: random.Random) -> str:
    freq = rng.choice(["DAILY", "WEEKLY", "MONTHLY", "MONTHLY", "YEARLY", "YEARLY", "YEARLY"])
    parts = [f"FREQ={freq}"]
    if rng.random() < 0.4:
        parts.append(f"INTERVAL={rng.choice([2, 2, 3, 4, 5, 7])}")
    has_by = False
    with_month = rng.random() < 0.3
    if rng.random() < 0.5:
        days = rng.sample(WEEKDAY_CODES, rng.randint(1, 3))
        # With BYMONTH, YEARLY ordinals count within the month (dateutil crashes on 53TU there).
        if (freq == "MONTHLY" or (freq == "YEARLY" and with_month)) and rng.random() < 0.5:
            days = [f"{rng.choice([1, 2, 3, 4, 5, -1, -2, -5])}{d}" for d in days]
        elif freq == "YEARLY" and rng.random() < 0.5:
            days = [f"{rng.choice([1, 2, 10, 20, 52, 53, -1, -3, -53])}{d}" for d in days]
        parts.append("BYDAY=" + ",".join(days))
        has_by = True
    if freq != "WEEKLY" and rng.random() < 0.35:
        days = rng.sample([1, 2, 5, 13, 15, 28, 29, 30, 31, -1, -2, -7, -31], rng.randint(1, 3))
        parts.append("BYMONTHDAY=" + ",".join(map(str, days)))
        has_by = True
    if with_month:
        months = sorted(rng.sample(range(1, 13), rng.randint(1, 4)))
        parts.append("BYMONTH=" + ",".join(map(str, months)))
        has_by = True
    if freq == "YEARLY" and rng.random() < 0.4:
        days = rng.sample([1, 32, 60, 100, 200, 365, 366, -1, -100, -366], rng.randint(1, 4))
        parts.append("BYYEARDAY=" + ",".join(map(str, days)))
        has_by = True
    if has_by and rng.random() < 0.25:
        positions = rng.sample([1, 2, 3, -1, -2], rng.randint(1, 2))
        parts.append("BYSETPOS=" + ",".join(map(str, positions)))
    if rng.random() < 0.3:
        parts.append("WKST=" + rng.choice(WEEKDAY_CODES))
    roll = rng.random()
    if roll < 0.25:
        parts.append(f"COUNT={rng.choice([1, 3, 20, 200, 2000])}")
    elif roll < 0.45:
        parts.append("UNTIL=PLACEHOLDER")
    rng.shuffle(parts)
    return ";".join(parts)


def _random_cases(seed: int, how_many: int):
    rng = random.Random(seed)
    cases = []
    while len(cases) < how_many:
        text = _random_rule(rng)
        start = datetime(rng.randint(1995, 2015), rng.randint(1, 12), rng.randint(1, 28),
                         rng.randint(0, 23), rng.choice([0, 15, 30, 45]))
        if "PLACEHOLDER" in text:
            until = start + timedelta(days=rng.randint(200, 365 * 30), hours=rng.randint(0, 23))
            text = text.replace("PLACEHOLDER", until.strftime("%Y%m%dT%H%M%S"))
        years_on = rng.choice([0, 0, 1, 3, 7, 12, 20, 25])
        after = start + timedelta(days=365 * years_on + rng.randint(-40, 200),
                                  hours=rng.randint(0, 23))
        spans = [400, 1500, 3000] if "YEARLY" in text else [1, 7, 45, 400, 1500]
        until = after + timedelta(days=rng.choice(spans))
        cases.append((text, start, after, until))
    return cases


def oracle(text: str, first: datetime, after: datetime, until: datetime) -> list[datetime]:
    """dateutil's occurrences in [after, until], for a series whose DTSTART is `first`."""
    rule = du.rrulestr(text, dtstart=first)
    if "COUNT=" not in text:
        # Bound dateutil's walk (a sparse rule would otherwise run on to the next match).
        own = rule._until
        rule = rule.replace(until=min(until, own) if own else until)
        return [moment for moment in rule if moment >= after]
    return rule.between(after, until, inc=True)


def _partial_first_week(text: str) -> bool:
    """dateutil builds the first WEEKLY set from DTSTART's day, not from WKST, so BYSETPOS
    counts in a partial week there (see test_weekly_bysetpos_counts_in_the_whole_first_week)."""
    return "FREQ=WEEKLY" in text and "BYSETPOS" in text


CASES = _random_cases(seed=5545, how_many=600)


def _features(text: str) -> set[str]:
    found = set()
    for part in text.split(";"):
        name, _, value = part.partition("=")
        found.add(part if name == "FREQ" else name)
        if name == "BYDAY" and any(ch.isdigit() for ch in value):
            found.add("BYDAY ordinal")
        if name == "BYMONTHDAY" and "-" in value:
            found.add("BYMONTHDAY negative")
        if name == "INTERVAL":
            found.add(f"INTERVAL with FREQ={text.split('FREQ=')[1].split(';')[0]}")
    return found


def test_random_rules_agree_with_dateutil_rrule():
    compared, nonempty, jumped = 0, 0, 0
    covered = Counter()
    failures = []
    for text, start, after, until in CASES:
        rule = make_rule(text, start)
        first = first_occurrence(rule, start, years=30)
        if first is None:
            continue  # no occurrence at all (e.g. 30 February): validate rejects these
        # The series starts where dateutil, given the editor's start, finds its first match.
        if not _partial_first_week(text) and first != next(iter(du.rrulestr(text, dtstart=start)),
                                                           None):
            failures.append((text, start, "first occurrence", first))
            continue
        expected = oracle(text, first, after, until)
        got = list(iter_starts(rule, first, after, until))
        compared += 1
        nonempty += bool(expected)
        jumped += after - first > timedelta(days=366 * 3)
        if expected:
            covered.update(_features(text))
        if got != expected:
            failures.append((text, first, after, until, got[:5], expected[:5]))
    assert not failures, f"{len(failures)} differ; first: {failures[:3]}"
    assert compared >= 450 and nonempty >= 250 and jumped >= 150, (compared, nonempty, jumped)
    # Every part of the rule language shows up in many non-empty comparisons.
    for feature in ("FREQ=DAILY", "FREQ=WEEKLY", "FREQ=MONTHLY", "FREQ=YEARLY", "BYDAY",
                    "BYDAY ordinal", "BYMONTHDAY", "BYMONTHDAY negative", "BYMONTH", "BYSETPOS",
                    "BYYEARDAY", "WKST", "COUNT", "UNTIL", "INTERVAL with FREQ=WEEKLY",
                    "INTERVAL with FREQ=MONTHLY", "INTERVAL with FREQ=YEARLY"):
        assert covered[feature] >= 8, (feature, covered)


def test_random_rules_from_dtstart_agree_with_dateutil_rrule():
    # Without a window start (after=None: the walk from DTSTART, no jump), first 60 each.
    failures = []
    for text, start, _after, _until in CASES[:200]:
        rule = make_rule(text, start)
        first = first_occurrence(rule, start, years=30)
        if first is None:
            continue
        limit = first + timedelta(days=366 * 6)
        got = list(iter_starts(rule, first, None, limit))
        expected = oracle(text, first, first, limit)
        if _partial_first_week(text):
            second_week = first + timedelta(days=7)
            got = [moment for moment in got if moment >= second_week]
            expected = [moment for moment in expected if moment >= second_week]
        got, expected = got[:60], expected[:60]
        if got != expected:
            failures.append((text, first, got[:5], expected[:5]))
    assert not failures, f"{len(failures)} differ; first: {failures[:3]}"


def test_daily_series_from_20_years_ago_matches_dateutil():
    start = datetime(2007, 2, 20, 7, 0)
    text = "FREQ=DAILY"
    after, until = datetime(2027, 2, 15, 12, 0), datetime(2027, 5, 16, 12, 0)
    rule = make_rule(text, start)
    got = list(iter_starts(rule, start, after, until))
    assert got == oracle(text, start, after, until)
    assert got[0] == datetime(2027, 2, 16, 7, 0) and got[-1] == datetime(2027, 5, 16, 7, 0)
    assert len(got) == 90  # 16 Feb .. 16 May 2027: 13 + 31 + 30 + 16


def test_every_other_day_from_20_years_ago_keeps_its_phase():
    # INTERVAL=2 from 1 January 2007: days an even number of days later. 2027-01-01 is
    # 7305 days on (20 years with 5 leap days), odd: so 2 January 2027 is the first in 2027.
    start = datetime(2007, 1, 1, 18, 0)
    got = list(iter_starts(make_rule("FREQ=DAILY;INTERVAL=2", start), start,
                           datetime(2027, 1, 1), datetime(2027, 1, 10)))
    assert got == [datetime(2027, 1, d, 18, 0) for d in (2, 4, 6, 8)]
    assert got == oracle("FREQ=DAILY;INTERVAL=2", start, datetime(2027, 1, 1),
                         datetime(2027, 1, 10))


@pytest.mark.parametrize("text", [
    "FREQ=WEEKLY;INTERVAL=2;BYDAY=MO,TH;WKST=SU",
    "FREQ=MONTHLY;INTERVAL=5;BYDAY=-1FR",
    "FREQ=YEARLY;INTERVAL=3;BYMONTH=2;BYMONTHDAY=29",
    "FREQ=MONTHLY;INTERVAL=7;BYMONTHDAY=31",
    "FREQ=YEARLY;BYDAY=53MO",
])
def test_sparse_rules_from_long_ago_match_dateutil(text):
    start = datetime(2000, 1, 3, 8, 0)
    rule = make_rule(text, start)
    first = first_occurrence(rule, start, years=30)
    after, until = datetime(2026, 6, 1), datetime(2046, 6, 1)
    got = list(iter_starts(rule, first, after, until))
    assert got, text
    assert got == oracle(text, first, after, until)


def test_until_date_form_counts_the_whole_day():
    # UNTIL=20270315 (a date) includes an occurrence at 21:00 that day.
    got = ours("FREQ=DAILY;UNTIL=20270315", D(2027, 3, 13, 21), limit=10)
    assert got == [D(2027, 3, 13, 21), D(2027, 3, 14, 21), D(2027, 3, 15, 21)]


# --- every walk is bounded: by its window, never by the distance to DTSTART -----------------
#
# Steps are counted, not timed: each period the engine visits is one call of advance_periods.

import calendar as _calendar  # noqa: E402

from generator.schedule import recurrence  # noqa: E402
from generator.model import Rule  # noqa: E402
from generator.schedule.recurrence import count_end, is_rule_start, last_rule_start  # noqa: E402


@pytest.fixture
def periods_visited(monkeypatch):
    """How many periods the engine has visited since the test began."""
    counter = Counter()
    real = recurrence.advance_periods

    def counted(freq, start, count):
        counter["periods"] += 1
        return real(freq, start, count)

    monkeypatch.setattr(recurrence, "advance_periods", counted)
    recurrence.count_end.cache_clear()
    return counter


def test_sparse_count_rule_is_walked_from_dtstart_once_not_per_question(periods_visited):
    """A COUNT rule that matches every 29 February, from 1904, asked about 40 of its dates
    (as lint and the calendar do for each exdate and override): each question walked every day
    from 1904 again, so a file with a few hundred exdates took minutes to check."""
    rule = make_rule("FREQ=DAILY;BYMONTH=2;BYMONTHDAY=29;COUNT=10000", D(1904, 2, 29, 10))
    leap_days = [D(year, 2, 29, 10) for year in range(1904, 2999, 4) if _calendar.isleap(year)]
    for day in leap_days[-40:]:
        assert is_rule_start(rule, D(1904, 2, 29, 10), day)
        assert not is_rule_start(rule, D(1904, 2, 29, 10), day + timedelta(days=1))
    one_walk = 366 * recurrence.COUNT_SEARCH_YEARS
    assert periods_visited["periods"] <= one_walk + 2 * 40 * 2


def test_count_end_is_the_count_th_start_as_dateutil_counts(periods_visited):
    for text, start in [("FREQ=WEEKLY;BYDAY=MO,TH;COUNT=25", D(2026, 1, 1, 9)),
                        ("FREQ=MONTHLY;BYDAY=-1FR;COUNT=7", D(2026, 1, 1, 18)),
                        ("FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=29;COUNT=3", D(2024, 2, 29, 8))]:
        rule = make_rule(text, start)
        first = first_occurrence(rule, start, years=10)
        expected = list(du.rrulestr(text, dtstart=start))[-1]
        assert count_end(rule, first) == last_rule_start(rule, first) == expected
        # and a window long after DTSTART holds exactly dateutil's starts there
        after = expected - timedelta(days=90)
        assert list(iter_starts(rule, first, after, FAR)) == \
            [s for s in du.rrulestr(text, dtstart=start) if s >= after]


NEVER_MATCHING = [  # built directly: validation would refuse them ("no occurrence in 10 years")
    Rule("DAILY", bymonth=(2,), bymonthday=(30,)),
    Rule("WEEKLY", byday=((None, 0),), bymonth=(2,), bymonthday=(31,)),
    Rule("MONTHLY", bymonthday=(31,), bymonth=(4, 6, 9, 11)),
    Rule("YEARLY", bymonth=(2,), bymonthday=(30,)),
    Rule("YEARLY", byyearday=(366,), bymonth=(1,)),
    Rule("MONTHLY", byday=((None, 0),), bysetpos=(6,)),
    Rule("YEARLY", byday=((None, 4),), bymonthday=(13,), bymonth=(2,), bysetpos=(2,),
         interval=1000),
]


@pytest.mark.parametrize("base", NEVER_MATCHING, ids=lambda r: r.freq.lower())
@pytest.mark.parametrize("ending", ["forever", "count", "until"])
def test_rule_that_never_matches_is_walked_only_over_its_window(base, ending, periods_visited):
    from dataclasses import replace

    start = D(1900, 1, 1, 10)
    rule = {"forever": base, "count": replace(base, count=10_000),
            "until": replace(base, until=D(2999, 12, 31, 23, 59))}[ending]
    # Ten years for the first occurrence, a two-year window in 2026, and a point question.
    assert first_occurrence(rule, start, years=10) is None
    assert list(iter_starts(rule, start, D(2026, 1, 1), D(2027, 12, 31))) == []
    assert not is_rule_start(rule, start, D(2026, 6, 1, 10))
    days = {"DAILY": 1, "WEEKLY": 7, "MONTHLY": 28, "YEARLY": 365}[rule.freq]
    window_periods = (366 * 10 + 366 * 2) // days + 10
    last = last_rule_start(rule, start)
    assert last is None
    # The end of the series: the walk back from UNTIL covers each year once; COUNT's walk
    # covers COUNT_SEARCH_YEARS once; a rule without either needs none.
    ends = {"forever": 0, "count": 366 * recurrence.COUNT_SEARCH_YEARS // days + 1,
            "until": (2999 - 1900 + 2) * 366 // days + 2 * (2999 - 1900 + 2)}[ending]
    assert periods_visited["periods"] <= window_periods + ends, periods_visited


def test_walk_back_from_until_covers_each_year_once(periods_visited):
    """The last start of a series ending by date: its walk back went over the years from
    each step to UNTIL again, so a rule whose last match was decades before UNTIL cost the
    square of the decades. Leap days on a Monday: none between 2872 and 2912."""
    text = "FREQ=DAILY;BYMONTH=2;BYMONTHDAY=29;BYDAY=MO;UNTIL=29111231T000000"
    rule = make_rule(text, D(1904, 2, 29, 9))
    last = last_rule_start(rule, D(1904, 2, 29, 9))
    assert last == list(du.rrulestr(text, dtstart=D(1904, 2, 29, 9)))[-1] == D(2872, 2, 29, 9)
    assert periods_visited["periods"] <= 366 * (2911 - 2872 + 2)


def test_walk_past_the_year_9999_ends_instead_of_raising():
    rule = Rule("YEARLY", interval=1000, bymonth=(6,), bymonthday=(1,))
    assert [s.year for s in iter_starts(rule, D(2999, 6, 1), D(5000, 1, 1), datetime.max)] == \
        [5999, 6999, 7999, 8999, 9999]
    assert count_end(Rule("YEARLY", interval=1000, bymonth=(6,), bymonthday=(1,), count=20),
                     D(2999, 6, 1)) is None
