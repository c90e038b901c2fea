"""The importer's expansion of rules Nextup cannot store (generator/importing/foreign_rule.py),
checked against dateutil, an independent RFC 5545 implementation, on rules that end; and its
bounds on rules dateutil never finishes."""
from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from dateutil.rrule import rrulestr

from generator.importing.foreign_rule import (MAX_STEPS, StepBudget, expand_rule,
                                              parse_foreign_rule)

ALL_MINUTES = ",".join(map(str, range(60)))
RULES = [
    "FREQ=HOURLY;INTERVAL=6", "FREQ=HOURLY;BYHOUR=9,17", "FREQ=HOURLY;INTERVAL=5;BYHOUR=1,2,3,4,5,6",
    "FREQ=HOURLY;INTERVAL=7;BYHOUR=3,4", "FREQ=MINUTELY;INTERVAL=30;BYHOUR=9,10,11",
    "FREQ=MINUTELY;INTERVAL=20;BYDAY=MO,FR;BYHOUR=9", "FREQ=MINUTELY;INTERVAL=90;BYDAY=SA",
    "FREQ=SECONDLY;INTERVAL=3600;BYHOUR=10;BYMINUTE=30", "FREQ=SECONDLY;INTERVAL=7777;BYSECOND=3",
    "FREQ=DAILY;BYHOUR=9,13;BYMINUTE=0,30", "FREQ=DAILY;BYMONTH=2;BYMONTHDAY=29;BYHOUR=1",
    "FREQ=WEEKLY;BYDAY=MO,WE;BYHOUR=8,18", "FREQ=WEEKLY;INTERVAL=3;WKST=SU;BYDAY=SU,TU;BYHOUR=6,7",
    "FREQ=WEEKLY;COUNT=20000", "FREQ=DAILY;INTERVAL=2000",
    "FREQ=MONTHLY;BYDAY=MO,TU,WE,TH,FR;BYHOUR=9,17;BYSETPOS=-1",
    "FREQ=MONTHLY;BYDAY=MO,TU,WE,TH,FR;BYHOUR=9,17;BYSETPOS=1,3",
    "FREQ=MONTHLY;BYSETPOS=-2;BYDAY=MO,TU,WE,TH,FR;BYMINUTE=0,30",
    "FREQ=MONTHLY;BYMONTHDAY=13;BYDAY=FR;BYHOUR=7", "FREQ=YEARLY;BYWEEKNO=20;BYDAY=MO",
    "FREQ=YEARLY;BYWEEKNO=1,52,53;BYDAY=MO,SU", "FREQ=YEARLY;BYWEEKNO=-1;BYDAY=TH",
    "FREQ=YEARLY;BYWEEKNO=1", "FREQ=YEARLY;BYWEEKNO=10;WKST=SU;BYDAY=SU,SA",
    "FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU;BYHOUR=1,2,3", "FREQ=YEARLY;BYYEARDAY=1,100,-1;BYHOUR=12",
    "FREQ=YEARLY;BYMONTH=1,7;BYDAY=2MO;BYHOUR=10", "FREQ=YEARLY;BYDAY=20MO;BYHOUR=10",
    "FREQ=HOURLY;COUNT=50;BYMONTH=1,2", "FREQ=MINUTELY;COUNT=100;BYSECOND=0,30",
    "FREQ=HOURLY;BYMINUTE=0,15,30,45;BYSETPOS=2,-1", "FREQ=HOURLY;INTERVAL=3;UNTIL=20270115T000000",
    "FREQ=YEARLY;BYMONTH=12;BYMONTHDAY=31;BYHOUR=23;BYMINUTE=" + ALL_MINUTES + ";BYSETPOS=-1,1",
]
STARTS = [datetime(2026, 12, 1, 10, 0, 0), datetime(2025, 3, 4, 9, 27, 13),
          datetime(2019, 12, 30, 23, 45)]
BEGIN, END = datetime(2026, 11, 20), datetime(2028, 12, 1)


@pytest.mark.parametrize("text", RULES)
@pytest.mark.parametrize("dtstart", STARTS, ids=lambda d: d.strftime("%Y%m%dT%H%M%S"))
def test_foreign_rules_expand_as_dateutil_expands_them(text, dtstart):
    rule, problem = parse_foreign_rule(text)
    assert problem is None
    ours = expand_rule(rule, dtstart, rule.until, BEGIN, END)
    assert ours.stopped is None
    try:
        theirs = rrulestr(text, dtstart=dtstart).between(BEGIN, END, inc=True)
    except ValueError:  # dateutil refuses a rule whose interval never meets its BYxxx
        theirs = []
    assert ours.starts == theirs


@pytest.mark.parametrize("text", [
    "FREQ=SECONDLY;BYMONTH=2;BYMONTHDAY=30",  # dateutil walks every day to 9999
    "FREQ=SECONDLY;BYSETPOS=2",  # dateutil walks every second, for ever
    "FREQ=SECONDLY;INTERVAL=2;BYSECOND=1",
    "FREQ=MINUTELY;BYHOUR=" + ",".join(map(str, range(24))) + ";BYMINUTE=" + ALL_MINUTES
    + ";BYMONTH=2;BYMONTHDAY=30",
    "FREQ=DAILY;BYSETPOS=5", "FREQ=MINUTELY;BYSECOND=60",
    "FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=30;COUNT=5",
])
def test_rule_that_never_matches_ends_without_reaching_its_bound(text):
    rule, _ = parse_foreign_rule(text)
    for dtstart in (datetime(2026, 12, 1, 10), datetime(1900, 1, 1, 10)):
        found = expand_rule(rule, dtstart, None, datetime(2026, 11, 27), datetime(2028, 11, 27))
        assert found.starts == [] and found.stopped is None and not found.hit_bound
        assert found.steps < MAX_STEPS // 2


@pytest.mark.parametrize("text, dtstart", [
    ("FREQ=SECONDLY", datetime(2026, 12, 1, 10)),
    ("FREQ=MINUTELY", datetime(2026, 12, 1, 10)),
    ("FREQ=SECONDLY;COUNT=2000000000", datetime(1901, 1, 1)),  # every second since 1901 counts
    ("FREQ=HOURLY;COUNT=100000000", datetime(1901, 1, 1)),
])
def test_rule_with_too_many_occurrences_stops_at_its_step_bound_and_says_where(text, dtstart):
    rule, _ = parse_foreign_rule(text)
    found = expand_rule(rule, dtstart, None, datetime(2026, 11, 27), datetime(2028, 11, 27))
    assert found.hit_bound and found.steps == MAX_STEPS + 1
    assert found.stopped.startswith("stopped at ") and "steps to get there" in found.stopped
    assert all(start <= found.complete_until for start in found.starts)
    # Everything up to `complete_until` is there: the same as asking for just that stretch.
    again = expand_rule(rule, dtstart, None, datetime(2026, 11, 27), found.complete_until,
                        max_steps=10 * MAX_STEPS)
    assert again.starts == found.starts


def test_rule_with_31_million_candidates_a_year_is_selected_by_position_not_listed():
    every_second = (";BYHOUR=" + ",".join(map(str, range(24))) + ";BYMINUTE=" + ALL_MINUTES
                    + ";BYSECOND=" + ALL_MINUTES)
    rule, _ = parse_foreign_rule("FREQ=YEARLY;BYYEARDAY=1,-1" + every_second + ";BYSETPOS=-1,1")
    found = expand_rule(rule, datetime(2026, 1, 1), None, datetime(2026, 1, 1),
                        datetime(2028, 12, 31, 23, 59, 59))
    assert found.starts == [datetime(year, month, day, hour, minute, minute)
                            for year in (2026, 2027, 2028)
                            for month, day, hour, minute in ((1, 1, 0, 0), (12, 31, 23, 59))]
    assert found.steps < 5000


def test_limit_ends_the_walk_early_and_says_so():
    rule, _ = parse_foreign_rule("FREQ=MINUTELY")
    found = expand_rule(rule, datetime(2026, 12, 1), None, datetime(2026, 12, 1),
                        datetime(2028, 12, 1), limit=400)
    assert len(found.starts) == 400 and found.starts[-1] == datetime(2026, 12, 1, 6, 39)
    assert found.stopped == "found the 400 asked for" and not found.hit_bound
    assert found.complete_until == found.starts[-1]


def test_shared_budget_bounds_many_expansions_together():
    rule, _ = parse_foreign_rule("FREQ=SECONDLY;INTERVAL=2;BYSECOND=1")
    budget = StepBudget(150_000)
    results = [expand_rule(rule, datetime(2026, 12, 1, 10), None, datetime(2026, 12, 1),
                           datetime(2036, 12, 1), budget=budget) for _ in range(5)]
    assert sum(r.steps for r in results) <= 150_000 + len(results)
    assert [r.hit_bound for r in results] == [False, False, True, True, True]
    assert "the import's steps for following rules are used up" in results[-1].stopped
    assert budget.left == 0


@pytest.mark.parametrize("text, problem", [
    ("FREQ=FORTNIGHTLY", "FREQ=FORTNIGHTLY is not one of"),
    ("INTERVAL=2", "it has no FREQ"),
    ("FREQ=DAILY;COUNT=3;UNTIL=20270101", "both COUNT and UNTIL"),
    ("FREQ=DAILY;BYHOUR=24", "BYHOUR value 24 is out of range"),
    ("FREQ=DAILY;BYMONTHDAY=0", "BYMONTHDAY value 0 is out of range"),
    ("FREQ=YEARLY;BYWEEKNO=54", "BYWEEKNO value 54 is out of range"),
    ("FREQ=MONTHLY;BYDAY=0MO", "BYDAY item \"0MO\""),
    ("FREQ=DAILY;UNTIL=20270231", "not a real date"),
    ("FREQ=DAILY;INTERVAL=2000000000", "absurdly large"),
    ("FREQ=DAILY;BYEASTER=0", "BYEASTER is not a part of an RFC 5545 rule"),
    ("FREQ=DAILY;FREQ=WEEKLY", "FREQ appears twice"),
])
def test_rule_parts_that_cannot_be_used_are_named(text, problem):
    rule, found = parse_foreign_rule(text)
    assert rule is None and problem in found


def test_expansion_past_the_year_9999_stops_instead_of_overflowing():
    rule, _ = parse_foreign_rule("FREQ=YEARLY;INTERVAL=1000")
    found = expand_rule(rule, datetime(2999, 6, 1), None, datetime(2999, 1, 1),
                        datetime(9999, 12, 31) - timedelta(days=1))
    assert [s.year for s in found.starts] == [2999, 3999, 4999, 5999, 6999, 7999, 8999, 9999]
