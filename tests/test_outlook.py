"""check warns, once per rule and at the rule, when Outlook cannot hold a rule ([MS-OXCICAL]
2.1.3.2.2): each pattern gets its warning with a rewrite, and the patterns Outlook's templates
do hold get none."""
from __future__ import annotations

import pytest

from conftest import run_cli, write_event

NOW = "2027-01-20T12:00:00Z"

WARNED = {  # rule -> words the warning must hold
    "FREQ=MONTHLY;BYMONTHDAY=1,15": ("several days of the month", "split it"),
    "FREQ=YEARLY;BYYEARDAY=100": ("BYYEARDAY=100", "BYMONTH with BYMONTHDAY"),
    "FREQ=DAILY;COUNT=1200": ("COUNT=1200", "until instead of count"),
    "FREQ=MONTHLY;BYDAY=TU;BYSETPOS=1,3": ("several positions", "split it"),
    "FREQ=MONTHLY;BYDAY=1TU,3TU": ("several weeks of the month", "BYDAY=1TU and BYDAY=3TU"),
    "FREQ=DAILY;BYHOUR=9,15;COUNT=20": ("one start time per series", "until instead of count"),
    "FREQ=MONTHLY;BYDAY=FR;BYSETPOS=-2": ("BYSETPOS=-2", "rdates"),
    "FREQ=MONTHLY;BYDAY=5FR": ("BYDAY=5FR", "rdates"),
    "FREQ=DAILY;BYDAY=MO,WE": ("FREQ=DAILY with BYDAY", "FREQ=WEEKLY;BYDAY=MO,WE"),
    "FREQ=WEEKLY;BYMONTH=6": ("FREQ=WEEKLY limited", "rdates"),
    "FREQ=MONTHLY;BYDAY=TU": ("every TU of the month", "FREQ=WEEKLY;BYDAY=TU"),
    "FREQ=YEARLY;BYMONTH=3,9;BYMONTHDAY=1": ("several months", "split it"),
}

PLAIN = [
    "FREQ=DAILY", "FREQ=DAILY;INTERVAL=3", "FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR",
    "FREQ=WEEKLY;INTERVAL=2;BYDAY=TH;WKST=SU", "FREQ=MONTHLY;BYMONTHDAY=15",
    "FREQ=MONTHLY;BYMONTHDAY=-1", "FREQ=MONTHLY;BYDAY=2TU", "FREQ=MONTHLY;BYDAY=-1FR",
    "FREQ=MONTHLY;BYDAY=MO,TU,WE,TH,FR;BYSETPOS=-1", "FREQ=YEARLY",
    "FREQ=YEARLY;INTERVAL=3;BYMONTH=3;BYMONTHDAY=15", "FREQ=YEARLY;BYMONTH=6;BYDAY=SU;BYSETPOS=3",
    "FREQ=WEEKLY;BYDAY=TU;COUNT=999", "FREQ=DAILY;BYHOUR=9,15;BYMINUTE=0",
    "FREQ=WEEKLY;BYDAY=TU;UNTIL=20271231",
]


def check(content_dir, rule: str):
    write_event(content_dir, "series", f'''
        title = "Series"
        category = "meeting"
        timezone = "Europe/London"
        start = 2027-01-04T09:00:00
        duration = 30
        rrule = "{rule}"
        ''')
    return run_cli("check", "--content", str(content_dir), "--now", NOW)


@pytest.mark.parametrize("rule", list(WARNED))
def test_each_pattern_outlook_cannot_hold_gets_one_warning_at_the_rule(content_dir, rule):
    result = check(content_dir, rule)
    assert result.returncode == 0, result.stderr
    warnings = [line for line in result.stderr.splitlines() if "Outlook" in line]
    assert len(warnings) == 1, result.stderr
    assert "series.md:7:9: warning: rrule: Outlook cannot show this rule (" in warnings[0]
    for words in WARNED[rule]:
        assert words in warnings[0]


@pytest.mark.parametrize("rule", PLAIN)
def test_patterns_outlook_holds_get_no_warning(content_dir, rule):
    result = check(content_dir, rule)
    assert result.returncode == 0, result.stderr
    assert "Outlook" not in result.stderr


def test_a_repeat_table_is_warned_at_the_table(content_dir):
    write_event(content_dir, "newcomers", '''
        title = "Newcomers"
        category = "meeting"
        timezone = "Europe/Amsterdam"
        start = 2027-01-07T19:30:00
        duration = 60

        [repeat]
        every = "month"
        on = ["first thursday", "third thursday"]
        ''')
    result = run_cli("check", "--content", str(content_dir), "--now", NOW)
    assert "newcomers.md:8:2: warning: repeat: Outlook cannot show this rule" in result.stderr


def test_several_times_a_day_are_one_vevent_per_time_so_outlook_needs_no_warning(
        content_dir, output_dir):
    """BYHOUR=9,15 in one RRULE is no Outlook template (one start time per series): the ICS
    states each time as its own VEVENT with one BYHOUR and BYMINUTE."""
    from conftest import build

    write_event(content_dir, "office-hours", '''
        title = "Office Hours"
        category = "meeting"
        timezone = "Europe/London"
        start = 2027-01-04T09:00:00
        duration = 30
        rrule = "FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR;BYHOUR=9,15;BYMINUTE=0"
        ''')
    assert build(content_dir, output_dir, NOW).ok
    ics = (output_dir / "events/office-hours/event.ics").read_text(encoding="utf-8")
    rules = [line for line in ics.splitlines() if line.startswith("RRULE:") and "BYHOUR" in line]
    assert rules == ["RRULE:FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR;BYHOUR=9;BYMINUTE=0",
                     "RRULE:FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR;BYHOUR=15;BYMINUTE=0"]
    assert "UID:office-hours-0900@" in ics and "UID:office-hours-1500@" in ics
