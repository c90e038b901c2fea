"""Validation and warnings: every problem located (file:line:column: field: what; how to fix),
all of them in one run, errors stop the build, warnings do not."""
import json
import textwrap
import time
from datetime import datetime, timedelta, timezone

import pytest

from conftest import build, write_event
from generator.cli import parse_now
from generator.build.pipeline import check_content
from generator.schedule.expand import expand_occurrences

NOW = "2027-01-20T12:00:00Z"

# A valid weekly-able event; line numbers in the file: +++ is line 1, title line 2 ... duration 6.
BASE = '''
title = "Standup"
category = "scrum"
timezone = "Europe/London"
start = 2027-01-04T10:00:00
duration = 25
'''


@pytest.fixture(autouse=True)
def _run_in_tmp(tmp_path, monkeypatch):
    """Files are named relative to where the command runs: run in tmp_path."""
    monkeypatch.chdir(tmp_path)


def check(content_dir, now=NOW):
    """All problems for the content, as check_content (load, validate, expand, lint) finds them."""
    return check_content(content_dir, parse_now(now)).problems


def event_problems(content_dir, front_matter, slug="ev", now=NOW):
    write_event(content_dir, slug, front_matter)
    return check(content_dir, now)


def errors(problems):
    return [p for p in problems if p.is_error]


def warnings(problems):
    return [p for p in problems if not p.is_error]


def one_error(problems):
    found = errors(problems)
    assert len(found) == 1, [str(p) for p in problems]
    return found[0]


def replace_line(text, start, new):
    """BASE with the line that starts with `start` replaced (or removed when new is None)."""
    lines = [new if line.startswith(start) else line for line in text.splitlines()]
    assert lines != text.splitlines(), start
    return "\n".join(line for line in lines if line is not None) + "\n"


# --- the shape of a message ---------------------------------------------------------------------

def test_problem_names_file_line_column_field_what_and_how(content_dir):
    write_event(content_dir, "euro-scrum", '''
        title = "Euro Scrum"
        category = "scrum"
        start = 2027-01-04T07:00:00
        duration = 25
        url = "https://meet.jit.si/EuroScrum"
        timezone = "Europe/Londn"
    ''')
    assert [str(p) for p in check(content_dir)] == [
        'content/events/euro-scrum.md:7:12: timezone: unknown zone "Europe/Londn"; '
        'did you mean "Europe/London"?']


def test_unknown_zone_suggests_the_closest_name(content_dir):
    problem = one_error(event_problems(content_dir, replace_line(
        BASE, "timezone", 'timezone = "America/New_Yrok"')))
    assert (problem.line, problem.column, problem.field) == (4, 12, "timezone")
    assert problem.message == 'unknown zone "America/New_Yrok"'
    assert problem.hint == 'did you mean "America/New_York"?'


def test_zone_in_the_wrong_case_suggests_the_right_case(content_dir):
    problem = one_error(event_problems(content_dir, replace_line(
        BASE, "timezone", 'timezone = "europe/london"')))
    assert problem.hint == 'did you mean "Europe/London"?'


def test_zone_with_no_close_name_points_at_the_list_of_zones(content_dir):
    problem = one_error(event_problems(content_dir, replace_line(
        BASE, "timezone", 'timezone = "Qq/Zz"')))
    assert "IANA" in problem.hint


# --- required fields and types ---------------------------------------------------------------------

@pytest.mark.parametrize("field", ["title", "category", "timezone", "start", "duration"])
def test_missing_required_field_is_reported_with_what_to_add(content_dir, field):
    problem = one_error(event_problems(content_dir, replace_line(BASE, field, None)))
    assert problem.field == field
    assert problem.message == f"{field} is missing"
    assert problem.hint.startswith(f"add {field} = ")
    assert problem.line == 6  # the closing +++: where the field can be added


def test_all_missing_fields_are_reported_at_once(content_dir):
    problems = event_problems(content_dir, 'title = "Only a title"')
    assert sorted(p.field for p in errors(problems)) == [
        "category", "duration", "start", "timezone"]


def test_duration_in_quotes_says_to_remove_the_quotes(content_dir):
    problem = one_error(event_problems(content_dir, replace_line(BASE, "duration", 'duration = "25"')))
    assert (problem.line, problem.column, problem.field) == (6, 12, "duration")
    assert "'25'" in problem.message
    assert problem.hint == "remove the quotes: write duration = 25"


def test_start_in_quotes_says_to_remove_the_quotes(content_dir):
    problem = one_error(event_problems(content_dir, replace_line(
        BASE, "start", 'start = "2027-01-01T10:00"')))
    assert (problem.line, problem.column, problem.field) == (5, 9, "start")
    assert "is text, not a date-time" in problem.message
    assert "remove the quotes" in problem.hint


@pytest.mark.parametrize("value", ["2027-01-04T10:00:00Z", "2027-01-04T10:00:00+01:00"])
def test_start_with_an_offset_asks_for_wall_clock_time_and_zone(content_dir, value):
    problem = one_error(event_problems(content_dir, replace_line(BASE, "start", f"start = {value}")))
    assert problem.field == "start" and problem.line == 5
    assert "without an offset" in problem.message
    assert "2027-01-04T10:00:00" in problem.hint and "timezone" in problem.hint


def test_start_as_a_date_only_asks_for_a_time_of_day(content_dir):
    problem = one_error(event_problems(content_dir, replace_line(BASE, "start", "start = 2027-01-04")))
    assert problem.field == "start"
    assert "time of day" in problem.message
    assert "2027-01-04T" in problem.hint


@pytest.mark.parametrize("value", ["10:00:00", "20270104", "true"])
def test_start_of_another_type_is_an_error(content_dir, value):
    problem = one_error(event_problems(content_dir, replace_line(BASE, "start", f"start = {value}")))
    assert problem.field == "start" and "date-time" in problem.message


@pytest.mark.parametrize("value, shown", [("0", "0"), ("-5", "-5"), ("2.5", "2.5"),
                                          ("true", "true"), ("10081", "10081"), ("[25]", "a list")])
def test_duration_must_be_a_positive_whole_number(content_dir, value, shown):
    problem = one_error(event_problems(content_dir, replace_line(BASE, "duration", f"duration = {value}")))
    assert (problem.line, problem.column, problem.field) == (6, 12, "duration")
    assert "positive whole number of minutes" in problem.message
    assert problem.message.endswith(f"not {shown}") or f"not {shown} " in problem.message


def test_fractional_duration_suggests_whole_minutes(content_dir):
    problem = one_error(event_problems(content_dir, replace_line(BASE, "duration", "duration = 29.5")))
    assert "whole minutes" in problem.hint


@pytest.mark.parametrize("line, message", [
    ('title = ""', "empty text"), ("title = 5", "not 5"), ('url = "meet.jit.si/x"', "web address"),
    ('url = "https://meet.jit.si/a b"', "web address"), ('draft = "yes"', "true or false")])
def test_text_url_and_draft_fields_are_checked(content_dir, line, message):
    front_matter = BASE + line if not line.startswith("title") else replace_line(BASE, "title", line)
    problem = one_error(event_problems(content_dir, front_matter))
    assert problem.field == line.split()[0]
    assert message in problem.message


def test_unknown_field_suggests_the_closest_field(content_dir):
    problems = event_problems(content_dir, replace_line(BASE, "title", 'tittle = "Standup"'))
    unknown = next(p for p in problems if p.field == "tittle")
    assert (unknown.line, unknown.column) == (2, 10)
    assert unknown.message == 'unknown field "tittle"'
    assert unknown.hint == 'did you mean "title"?'
    assert str(unknown) == ('content/events/ev.md:2:10: tittle: unknown field "tittle"; '
                            'did you mean "title"?')


def test_misspelt_required_field_is_reported_once_not_also_as_missing(content_dir):
    problems = event_problems(content_dir, replace_line(BASE, "title", 'tittle = "Standup"'))
    assert [p.field for p in problems] == ["tittle"]
    without = event_problems(content_dir, replace_line(BASE, "title", 'colour = "red"'))
    assert sorted(p.field for p in without) == ["colour", "title"]


def test_unknown_field_with_no_close_match_lists_the_fields(content_dir):
    problem = one_error(event_problems(content_dir, BASE + "colour = 3"))
    assert problem.field == "colour"
    assert "fields: title, category" in problem.hint


def test_unknown_category_suggests_the_closest(content_dir):
    problem = one_error(event_problems(content_dir, replace_line(BASE, "category", 'category = "scrumm"')))
    assert (problem.line, problem.column, problem.field) == (3, 12, "category")
    assert problem.message == 'unknown category "scrumm"'
    assert problem.hint == 'did you mean "scrum"?'


def test_unknown_category_without_a_close_one_lists_them_and_says_where_to_add(content_dir):
    problem = one_error(event_problems(content_dir, replace_line(BASE, "category", 'category = "party"')))
    assert "scrum, pair-programming, meeting, client-meeting" in problem.hint
    assert "site.toml" in problem.hint


@pytest.mark.parametrize("name, suggestion", [("Euro Scrum", "euro-scrum"), ("euro_scrum", "euro-scrum"),
                                              ("EuroScrum", "euroscrum"), ("euro--scrum", "euro-scrum")])
def test_unsafe_file_name_is_an_error_with_a_safe_name(content_dir, name, suggestion):
    problem = one_error(event_problems(content_dir, BASE, slug=name))
    assert problem.file == f"content/events/{name}.md"
    assert "not a safe file name" in problem.message
    assert f'"{suggestion}.md"' in problem.hint


def test_date_with_an_impossible_year_is_an_error_not_a_crash(content_dir):
    problem = one_error(event_problems(content_dir, replace_line(
        BASE, "start", "start = 9995-01-04T10:00:00") + 'rrule = "FREQ=WEEKLY"'))
    assert problem.field == "start" and "9995" in problem.message and "out of range" in problem.message


@pytest.mark.parametrize("until", ["UNTIL=99991231", "UNTIL=00010101T000000Z"])
def test_rule_end_with_an_impossible_year_is_an_error_not_a_crash(content_dir, until):
    problem = one_error(event_problems(content_dir, BASE + f'rrule = "FREQ=YEARLY;{until}"'))
    assert problem.field == "rrule" and "out of range" in problem.message


# --- recurrence rules ------------------------------------------------------------------------------

@pytest.mark.parametrize("rule, part, message, hint", [
    ("FREQ=WEEKLY;BYDAI=MO", "BYDAI", 'unknown rule part "BYDAI"', 'did you mean "BYDAY"?'),
    ("FREQ=WEEKY", "FREQ", 'not "WEEKY"', 'did you mean "WEEKLY"?'),
    ("FREQ=DAILY;BYSECOND=30", "BYSECOND", "BYSECOND is not supported", "seconds are used"),
    ("FREQ=DAILY;BYHOUR=24", "BYHOUR", "BYHOUR value 24 is out of range (0 to 23)", None),
    ("FREQ=WEEKLY;BYDAY=MO,XX", "BYDAY", 'BYDAY item "XX" is not a weekday', None),
    ("FREQ=WEEKLY;BYDAY=MON", "BYDAY", 'BYDAY item "MON" is not a weekday', 'did you mean "MO"?'),
    ("FREQ=MONTHLY;BYDAY=2TUE", "BYDAY", 'BYDAY item "2TUE"', 'did you mean "2TU"?'),
    ("FREQ=WEEKLY;INTERVAL=x", "INTERVAL", "INTERVAL must be a whole number", None),
    ("FREQ=WEEKLY;COUNT=0", "COUNT", "COUNT must be a whole number of at least 1", None),
    ("FREQ=WEEKLY;UNTIL=2027-06-30", "UNTIL", "UNTIL must look like 20270630", None),
    ("FREQ=WEEKLY;UNTIL=20270231", "UNTIL", "not a real date", None),
    ("FREQ=WEEKLY;BYMONTHDAY=32", "BYMONTHDAY", "out of range", None),
    ("FREQ=WEEKLY;FREQ=DAILY", "FREQ=DAILY", "FREQ appears twice", None),
    ("FREQ=WEEKLY;BYWEEKNO=3", "BYWEEKNO", "BYWEEKNO is not supported", None),
])
def test_invalid_rrule_part_is_named_and_located(content_dir, rule, part, message, hint):
    problem = one_error(event_problems(content_dir, BASE + f'rrule = "{rule}"'))
    assert problem.field == "rrule"
    assert problem.line == 7
    # The column points at the faulty part; the value's quote is column 9.
    assert problem.column == 10 + rule.rindex(part)
    assert message in problem.message
    if hint:
        assert hint in problem.hint


def test_rrule_error_column_points_at_the_faulty_part(content_dir):
    # rrule = "FREQ=WEEKLY;BYDAI=MO": the quote is column 9, B of BYDAI column 22.
    problem = one_error(event_problems(content_dir, BASE + 'rrule = "FREQ=WEEKLY;BYDAI=MO"'))
    assert str(problem) == ('content/events/ev.md:7:22: rrule: unknown rule part "BYDAI"; '
                            'did you mean "BYDAY"?')


@pytest.mark.parametrize("rule", ["BYDAY=MO", "", "INTERVAL=2"])
def test_rrule_without_freq_is_an_error(content_dir, rule):
    problem = one_error(event_problems(content_dir, BASE + f'rrule = "{rule}"'))
    assert problem.message == "FREQ is missing"


@pytest.mark.parametrize("rule, message", [
    ("FREQ=WEEKLY;BYDAY=2TU", "need FREQ=MONTHLY or YEARLY"),
    ("FREQ=WEEKLY;BYMONTHDAY=3", "BYMONTHDAY does not work with FREQ=WEEKLY"),
    ("FREQ=WEEKLY;COUNT=3;UNTIL=20270601", "COUNT and UNTIL cannot both be given"),
    ("FREQ=MONTHLY;BYDAY=6MO", "at most 5"),
])
def test_rrule_parts_that_do_not_go_together_are_errors(content_dir, rule, message):
    problem = one_error(event_problems(content_dir, BASE + f'rrule = "{rule}"'))
    assert message in problem.message


def test_rrule_that_is_not_text_is_an_error(content_dir):
    problem = one_error(event_problems(content_dir, BASE + "rrule = 7"))
    assert problem.field == "rrule" and "text in quotes" in problem.message


def test_rrule_and_repeat_together_are_an_error(content_dir):
    problem = one_error(event_problems(content_dir, BASE + 'rrule = "FREQ=WEEKLY"\n[repeat]\nevery = "week"'))
    assert (problem.line, problem.field) == (8, "repeat")
    assert "either rrule or [repeat], not both" in problem.message


@pytest.mark.parametrize("freq", ["MINUTELY", "SECONDLY", "HOURLY"])
def test_sub_daily_frequency_is_refused_as_absurd(content_dir, freq):
    problem = one_error(event_problems(content_dir, BASE + f'rrule = "FREQ={freq}"'))
    assert "absurd number of occurrences" in problem.message
    assert problem.column == 10


def test_count_over_the_limit_is_refused(content_dir):
    problem = one_error(event_problems(content_dir, BASE + 'rrule = "FREQ=DAILY;COUNT=10001"'))
    assert "COUNT=10001 is absurdly large" in problem.message
    problem = one_error(event_problems(content_dir, BASE + '[repeat]\nevery = "day"\ncount = 20000'))
    assert problem.field == "repeat.count" and "10000" in problem.message


def test_interval_over_the_limit_is_refused(content_dir):
    problem = one_error(event_problems(content_dir, BASE + 'rrule = "FREQ=DAILY;INTERVAL=5000"'))
    assert "INTERVAL=5000 is absurdly large" in problem.message


@pytest.mark.parametrize("rule", ["FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=30",
                                  "FREQ=DAILY;BYMONTH=2;BYMONTHDAY=30",
                                  "FREQ=MONTHLY;BYMONTH=4;BYMONTHDAY=31;COUNT=5"])
def test_rule_that_never_matches_fails_fast(content_dir, rule):
    started = time.perf_counter()
    problem = one_error(event_problems(content_dir, BASE + f'rrule = "{rule}"'))
    assert time.perf_counter() - started < 2
    assert problem.field == "rrule"
    assert "no occurrence" in problem.message and "30 February" in problem.hint


def test_rrule_until_before_start_is_an_error(content_dir):
    problem = one_error(event_problems(content_dir, BASE + 'rrule = "FREQ=WEEKLY;UNTIL=20261231"'))
    assert (problem.line, problem.field) == (7, "rrule")
    assert "ends (2026-12-31 23:59) before it starts (2027-01-04 10:00)" in problem.message


def test_rrule_until_an_instant_before_start_is_an_error(content_dir):
    # 09:59:59Z is 09:59:59 in London in winter: one second too early.
    problem = one_error(event_problems(content_dir, BASE + 'rrule = "FREQ=WEEKLY;UNTIL=20270104T095959Z"'))
    assert "before it starts" in problem.message


def test_until_on_the_first_occurrence_is_allowed(content_dir):
    problems = event_problems(content_dir, BASE + 'rrule = "FREQ=WEEKLY;UNTIL=20270104T100000"')
    assert errors(problems) == []


def test_repeat_until_before_start_is_an_error(content_dir):
    problem = one_error(event_problems(content_dir, BASE + '[repeat]\nevery = "week"\nuntil = 2026-12-31'))
    assert (problem.line, problem.column, problem.field) == (9, 9, "repeat.until")
    assert "before it starts" in problem.message


# --- [repeat] ------------------------------------------------------------------------------------

def repeat_starts(content_dir, repeat, start="2027-01-04T10:00:00", now="2027-01-01T00:00:00Z",
                  days=120):
    """UTC start instants (as "YYYY-MM-DD HH:MM") of a UTC event with this [repeat] table."""
    write_event(content_dir, "rep", f'''
        title = "Rep"
        category = "scrum"
        timezone = "UTC"
        start = {start}
        duration = 30

        [repeat]
    ''' + textwrap.dedent(repeat))
    checked = check_content(content_dir, parse_now(now), days)
    problems = checked.problems
    assert errors(problems) == [], [str(p) for p in problems]
    (event,) = checked.events
    window = expand_occurrences(event, parse_now(now), parse_now(now) + timedelta(days=days))
    return [o.start.strftime("%Y-%m-%d %a") for o in window]


def test_repeat_every_day(content_dir):
    assert repeat_starts(content_dir, 'every = "day"', days=6) == [
        "2027-01-04 Mon", "2027-01-05 Tue", "2027-01-06 Wed"]


def test_repeat_every_week_keeps_the_weekday_of_start(content_dir):
    assert repeat_starts(content_dir, 'every = "week"', days=20) == [
        "2027-01-04 Mon", "2027-01-11 Mon", "2027-01-18 Mon"]


def test_repeat_every_month_keeps_the_day_of_start(content_dir):
    assert repeat_starts(content_dir, 'every = "month"', start="2027-01-15T10:00:00", days=80) == [
        "2027-01-15 Fri", "2027-02-15 Mon", "2027-03-15 Mon"]


def test_repeat_interval_skips_periods(content_dir):
    assert repeat_starts(content_dir, 'every = "week"\ninterval = 2', days=30) == [
        "2027-01-04 Mon", "2027-01-18 Mon"]


def test_repeat_on_several_weekdays(content_dir):
    assert repeat_starts(content_dir, 'every = "week"\non = ["mon", "thursday"]', days=11) == [
        "2027-01-04 Mon", "2027-01-07 Thu", "2027-01-11 Mon"]


def test_repeat_on_the_second_tuesday_of_the_month(content_dir):
    assert repeat_starts(content_dir, 'every = "month"\non = ["second tuesday"]', days=90) == [
        "2027-01-12 Tue", "2027-02-09 Tue", "2027-03-09 Tue"]


def test_repeat_on_the_last_friday_of_the_month(content_dir):
    assert repeat_starts(content_dir, 'every = "month"\non = ["last fri"]', days=90) == [
        "2027-01-29 Fri", "2027-02-26 Fri", "2027-03-26 Fri"]


def test_repeat_until_is_inclusive(content_dir):
    assert repeat_starts(content_dir, 'every = "week"\nuntil = 2027-01-18', days=60) == [
        "2027-01-04 Mon", "2027-01-11 Mon", "2027-01-18 Mon"]


def test_repeat_count_limits_the_series(content_dir):
    assert repeat_starts(content_dir, 'every = "day"\ncount = 3', days=60) == [
        "2027-01-04 Mon", "2027-01-05 Tue", "2027-01-06 Wed"]


def test_misspelt_weekdays_each_get_a_suggestion_at_their_position(content_dir):
    problems = event_problems(content_dir, BASE + '[repeat]\nevery = "week"\non = ["mondy", "thu", "tusday"]')
    found = {(p.field, p.line, p.column, p.hint) for p in errors(problems)}
    assert found == {("repeat.on[0]", 9, 7, 'did you mean "monday"?'),
                     ("repeat.on[2]", 9, 23, 'did you mean "tuesday"?')}


@pytest.mark.parametrize("table, field, message", [
    ('every = "wek"', "repeat.every", 'not \'wek\''),
    ("every = 7", "repeat.every", 'every must be "day", "week", "month" or "year"'),
    ('on = ["mon"]', "repeat", "[repeat] needs every"),
    ('every = "week"\nintervall = 2', "repeat.intervall", 'unknown field "intervall" in [repeat]'),
    ('every = "week"\ninterval = 0', "repeat.interval", "interval must be a whole number"),
    ('every = "week"\ncount = 0', "repeat.count", "count must be a whole number"),
    ('every = "week"\nuntil = "2027-06-30"', "repeat.until", "until must be a date"),
    ('every = "week"\nuntil = 2027-06-30T00:00:00Z', "repeat.until", "without an offset"),
    ('every = "week"\ncount = 3\nuntil = 2027-06-30', "repeat.until", "count and until"),
    ('every = "week"\non = ["second tuesday"]', "repeat.on[0]", 'only works with every = "month"'),
    ('every = "month"\non = ["tenth tuesday"]', "repeat.on[0]", "is not an ordinal"),
    ('every = "week"\non = [3]', "repeat.on[0]", "only works with every = \"month\""),
    ('every = "month"\non = [32]', "repeat.on[0]", "out of range"),
    ('every = "week"\non = []', "repeat.on", "on must be a list"),
])
def test_bad_repeat_table_is_located_and_explained(content_dir, table, field, message):
    problem = one_error(event_problems(content_dir, BASE + "[repeat]\n" + table))
    assert problem.field == field
    assert message in problem.message
    assert problem.line is not None and problem.line >= 7


def test_misspelt_repeat_unit_gets_a_suggestion(content_dir):
    problem = one_error(event_problems(content_dir, BASE + '[repeat]\nevery = "wek"'))
    assert problem.hint == 'did you mean "week"?'


def test_repeat_written_as_dotted_keys_is_located(content_dir):
    problem = one_error(event_problems(content_dir, BASE + 'repeat.on = ["mon"]'))
    assert (problem.field, problem.line) == ("repeat", 7)
    assert "needs every" in problem.message


def test_repeat_that_is_not_a_table_is_an_error(content_dir):
    problem = one_error(event_problems(content_dir, BASE + 'repeat = "weekly"'))
    assert problem.field == "repeat" and "must be a table" in problem.message


# --- exdates and overrides ---------------------------------------------------------------------

WEEKLY = BASE + 'rrule = "FREQ=WEEKLY;BYDAY=MO"\n'  # Mondays 10:00 London from 4 January 2027


def test_exdates_on_a_one_off_event_are_an_error(content_dir):
    problem = one_error(event_problems(content_dir, BASE + "exdates = [2027-01-04T10:00:00]"))
    assert (problem.line, problem.column, problem.field) == (7, 11, "exdates")
    assert "only a repeating event" in problem.message


@pytest.mark.parametrize("value, message", [
    ('["2027-02-01"]', "must be a local date-time or a date"),
    ("[2027-02-01T10:00:00Z]", "without an offset"),
    ("2027-02-01T10:00:00", "must be a list"),
])
def test_bad_exdate_values_are_errors(content_dir, value, message):
    problem = one_error(event_problems(content_dir, WEEKLY + f"exdates = {value}"))
    assert problem.field.startswith("exdates") and message in problem.message


def test_override_without_original_is_an_error(content_dir):
    problem = one_error(event_problems(content_dir, WEEKLY + "[[overrides]]\nstart = 2027-02-01T11:00:00"))
    assert (problem.line, problem.field) == (8, "overrides[0]")
    assert problem.message == "original is missing"


def test_unknown_override_field_suggests_the_closest(content_dir):
    problems = event_problems(content_dir, WEEKLY + '''[[overrides]]
original = 2027-02-01T10:00:00
title = "Late"
strat = 2027-02-01T11:00:00''')
    problem = one_error(problems)
    assert (problem.line, problem.column, problem.field) == (11, 9, "overrides[0].strat")
    assert 'unknown field "strat" in [[overrides]]' in problem.message
    assert problem.hint == 'did you mean "start"?'


def test_override_on_a_one_off_event_is_an_error_at_the_override(content_dir):
    problem = one_error(event_problems(content_dir, BASE + '''[[overrides]]
original = 2027-01-04T10:00:00
title = "x"'''))
    assert problem.field == "overrides"
    assert problem.line == 7  # the [[overrides]] line, not the top of the file
    assert "only a repeating event can have overrides" in problem.message


def test_two_overrides_of_the_same_original_are_an_error(content_dir):
    problem = one_error(event_problems(content_dir, WEEKLY + '''[[overrides]]
original = 2027-02-01T10:00:00
start = 2027-02-01T11:00:00
[[overrides]]
original = 2027-02-01T10:00:00
title = "Renamed"'''))
    assert (problem.line, problem.column, problem.field) == (12, 12, "overrides[1].original")
    assert "overridden twice" in problem.message


def test_override_that_changes_nothing_is_an_error(content_dir):
    problem = one_error(event_problems(content_dir, WEEKLY + "[[overrides]]\noriginal = 2027-02-01T10:00:00"))
    assert "must change start, duration or title" in problem.message
    assert "exdates" in problem.hint


def test_overrides_written_as_inline_tables_are_located_per_element(content_dir):
    problem = one_error(event_problems(content_dir, WEEKLY + '''overrides = [
  {original = 2027-02-01T10:00:00, title = "Fine"},
  {original = 2027-02-08T10:00:00, strat = 2027-02-08T11:00:00, title = "x"},
]'''))
    assert (problem.line, problem.column, problem.field) == (10, 3, "overrides[1].strat")


def test_override_values_are_type_checked(content_dir):
    problems = event_problems(content_dir, WEEKLY + '''[[overrides]]
original = "2027-02-01T10:00:00"
duration = 0
title = 3''')
    assert sorted(p.field for p in errors(problems)) == [
        "overrides[0].duration", "overrides[0].original", "overrides[0].title"]


# --- warnings -----------------------------------------------------------------------------------

def test_exdate_that_matches_nothing_is_a_warning_at_its_line(content_dir, output_dir):
    write_event(content_dir, "ev", WEEKLY + '''exdates = [2027-02-01T10:00:00,
  2027-02-08T10:00:00,
    2027-02-02T10:00:00,
  2027-02-15T10:00:00]''')
    result = build(content_dir, output_dir, NOW)
    assert result.ok
    warning = one_warning(result.problems)
    assert (warning.file, warning.line, warning.column) == ("content/events/ev.md", 10, 5)
    assert warning.field == "exdates[2]"
    assert str(warning).startswith("content/events/ev.md:10:5: warning: exdates[2]: "
                                   "2027-02-02T10:00:00 matches no occurrence")


def one_warning(problems):
    found = warnings(problems)
    assert len(found) == 1, [str(p) for p in problems]
    return found[0]


def test_date_exdate_that_matches_nothing_is_a_warning(content_dir, output_dir):
    write_event(content_dir, "ev", WEEKLY + "exdates = [2027-02-01, 2027-02-03]")
    result = build(content_dir, output_dir, NOW)
    assert result.ok
    warning = one_warning(result.problems)
    assert (warning.line, warning.column, warning.field) == (8, 24, "exdates[1]")


def test_override_that_matches_nothing_is_a_warning_at_its_original(content_dir, output_dir):
    write_event(content_dir, "ev", WEEKLY + '''[[overrides]]
original = 2027-02-01T10:00:00
title = "Fine"
[[overrides]]
original = 2027-02-02T10:00:00
title = "Wrong day"''')
    result = build(content_dir, output_dir, NOW)
    assert result.ok
    warning = one_warning(result.problems)
    assert (warning.file, warning.line, warning.column) == ("content/events/ev.md", 12, 12)
    assert warning.field == "overrides[1].original"
    assert "matches no occurrence" in warning.message


def test_series_that_has_ended_is_a_warning_and_the_build_succeeds(content_dir, output_dir):
    write_event(content_dir, "ev", replace_line(BASE, "start", "start = 2025-01-06T10:00:00")
                + '[repeat]\nevery = "week"\ncount = 3')
    result = build(content_dir, output_dir, NOW)
    assert result.ok
    warning = one_warning(result.problems)
    assert (warning.line, warning.column) == (5, 9)
    assert "ended on Monday 20 January 2025" in warning.message
    assert "draft = true" in warning.hint


def test_one_off_event_in_the_past_is_a_warning(content_dir, output_dir):
    write_event(content_dir, "ev", replace_line(BASE, "start", "start = 2026-06-01T10:00:00"))
    result = build(content_dir, output_dir, NOW)
    assert result.ok
    assert "ended on" in one_warning(result.problems).message


# --- everything in one run -----------------------------------------------------------------------

def test_every_problem_in_every_file_is_reported_in_one_run(content_dir):
    (content_dir / "site.toml").write_text("horizon_days = 0\n")
    write_event(content_dir, "a", replace_line(BASE, "duration", "duration = 0"))
    write_event(content_dir, "b", replace_line(BASE, "timezone", 'timezone = "Mars/Olympus"')
                + 'rrule = "FREQ=SECONDLY"')
    write_event(content_dir, "c", 'title = "A"\ncategory = scrum')
    (content_dir / "events" / "d.md").write_text("nothing here\n")
    write_event(content_dir, "good", BASE)
    found = sorted((p.file, p.field) for p in errors(check(content_dir)))
    assert found == [("content/events/a.md", "duration"),
                     ("content/events/b.md", "rrule"),
                     ("content/events/b.md", "timezone"),
                     ("content/events/c.md", None),
                     ("content/events/d.md", None),
                     ("content/site.toml", "horizon_days")]


def test_draft_is_still_checked(content_dir):
    problem = one_error(event_problems(content_dir, replace_line(BASE, "duration", "duration = 0")
                                       + "draft = true"))
    assert problem.field == "duration"


# --- site.toml -----------------------------------------------------------------------------------

def site_problems(content_dir, site_toml):
    (content_dir / "site.toml").write_text(textwrap.dedent(site_toml).lstrip())
    write_event(content_dir, "ev", BASE)
    return check(content_dir)


def test_site_unknown_field_suggests_the_closest(content_dir):
    problem = one_error(site_problems(content_dir, 'titel = "Our events"'))
    assert str(problem) == 'content/site.toml:1:9: titel: unknown field "titel"; did you mean "title"?'


@pytest.mark.parametrize("value", ['"events.example.org"', '"ftp://events.example.org/"', '"https://"'])
def test_site_base_url_must_be_a_web_address(content_dir, value):
    problem = one_error(site_problems(content_dir, f"base_url = {value}"))
    assert (problem.line, problem.column, problem.field) == (1, 12, "base_url")
    assert "is not a web address" in problem.message and "https://" in problem.hint


def test_site_base_url_gets_a_trailing_slash(content_dir):
    (content_dir / "site.toml").write_text('base_url = "https://example.org/events"\n')
    write_event(content_dir, "ev", BASE)
    checked = check_content(content_dir, parse_now(NOW))
    site, problems = checked.site, checked.problems
    assert errors(problems) == []
    assert site.base_url == "https://example.org/events/" and site.path_prefix == "/events/"


def test_site_unknown_countdown_category_suggests_the_closest(content_dir):
    problem = one_error(site_problems(content_dir, 'countdown_category = "scrumm"'))
    assert (problem.line, problem.column, problem.field) == (1, 22, "countdown_category")
    assert problem.hint == 'did you mean "scrum"?'


def test_site_categories_without_the_default_countdown_category_are_located(content_dir):
    problems = site_problems(content_dir, '''
        title = "x"
        categories = ["meeting", "scrum-of-scrums"]
    ''')
    problem = next(p for p in problems if p.file == "content/site.toml")
    assert problem.field == "categories" and problem.line == 2
    assert '"scrum" is not one of the categories' in problem.message


@pytest.mark.parametrize("value, shown", [("0", "0"), ('"90"', "'90'"), ("true", "true (true/false)"),
                                          ("99999", "99999"), ("2.5", "2.5")])
def test_site_horizon_days_must_be_a_whole_number_in_range(content_dir, value, shown):
    problem = one_error(site_problems(content_dir, f"horizon_days = {value}"))
    assert (problem.line, problem.column, problem.field) == (1, 16, "horizon_days")
    assert problem.message == f"must be a whole number of days from 1 to 3660, not {shown}"
    assert problem.hint == ("remove the quotes: write horizon_days = 90" if value == '"90"' else None)


def test_site_unknown_zone_suggests_the_closest(content_dir):
    problem = one_error(site_problems(content_dir, 'timezone = "Europe/Londn"'))
    assert problem.hint == 'did you mean "Europe/London"?'


def test_site_category_names_must_be_slugs_and_unique(content_dir):
    problems = site_problems(content_dir, 'categories = ["scrum", "Pair Programming", "scrum"]')
    found = sorted((p.field, p.column) for p in errors(problems))
    assert found == [("categories[1]", 24), ("categories[2]", 44)]


def test_site_categories_let_events_use_them(content_dir):
    (content_dir / "site.toml").write_text('categories = ["scrum", "social"]\n')
    write_event(content_dir, "party", replace_line(BASE, "category", 'category = "social"'))
    assert errors(check(content_dir)) == []


def test_site_with_an_error_still_checks_events_against_its_own_categories(content_dir):
    """A mistake in site.toml must not make every event with a site category look wrong."""
    (content_dir / "site.toml").write_text('categories = ["scrum", "social"]\nhorizon_days = 0\n')
    write_event(content_dir, "party", replace_line(BASE, "category", 'category = "social"'))
    write_event(content_dir, "typo", replace_line(BASE, "category", 'category = "socal"'))
    found = sorted((p.file, p.field, p.hint) for p in errors(check(content_dir)))
    assert found == [("content/events/typo.md", "category", 'did you mean "social"?'),
                     ("content/site.toml", "horizon_days", None)]


def test_unreadable_site_toml_does_not_invent_category_errors(content_dir):
    (content_dir / "site.toml").write_text('categories = ["scrum", "social"\n')
    write_event(content_dir, "party", replace_line(BASE, "category", 'category = "social"'))
    problem = one_error(check(content_dir))
    assert problem.file == "content/site.toml" and "invalid TOML" in problem.message


def test_content_with_only_events_builds_with_defaults(content_dir, output_dir):
    write_event(content_dir, "ev", WEEKLY)
    result = build(content_dir, output_dir, NOW)
    assert result.ok and result.problems == ()
    feed = json.loads((output_dir / "events.json").read_text())
    assert list(feed["events"]) == ["ev"]
    home = (output_dir / "index.html").read_text()
    assert "Upcoming events" in home  # the default title
    end = datetime.fromisoformat(feed["horizon_end"].replace("Z", "+00:00"))
    assert (end - datetime(2027, 1, 20, 12, tzinfo=timezone.utc)).days == 90


def test_draft_is_left_out_of_every_output(content_dir, output_dir):
    write_event(content_dir, "ev", BASE + 'rrule = "FREQ=WEEKLY"')
    write_event(content_dir, "secret-plan", replace_line(BASE, "title", 'title = "Secret Plan"')
                + 'rrule = "FREQ=DAILY"\nproject = "hush"\ndraft = true')
    result = build(content_dir, output_dir, NOW)
    assert result.ok and result.events == 1
    feed = json.loads((output_dir / "events.json").read_text())
    assert list(feed["events"]) == ["ev"]
    assert {o["event"] for o in feed["occurrences"]} == {"ev"}
    files = [p for p in output_dir.rglob("*") if p.is_file()]
    assert not any("secret-plan" in str(p.relative_to(output_dir)) or "hush" in p.parts
                   for p in files)
    for path in files:
        data = path.read_bytes()
        assert b"Secret Plan" not in data and b"secret-plan" not in data, path
    assert b"Standup" in (output_dir / "events.ics").read_bytes()


def test_numbered_ordinals_keep_their_sign(content_dir):
    from generator.content.rules import parse_repeat

    fields, errors = parse_repeat({"every": "month", "on": ["-1 fri", "second-last tue", "2 mon"]})
    assert errors == []
    assert fields["byday"] == ((-1, 4), (-2, 1), (2, 0))


@pytest.mark.parametrize("zone,hint", [
    ("BST", 'write the city zone, such as "Europe/London"'),
    ("pst", 'write the city zone, such as "America/Los_Angeles"'),
    ("UTC+1", "a fixed offset ignores summer time"),
    ("Paris", 'did you mean "Europe/Paris"?'),
])
def test_zone_abbreviations_and_cities_get_a_useful_hint(content_dir, zone, hint):
    problem = one_error(event_problems(content_dir, replace_line(BASE, "timezone", f'timezone = "{zone}"')))
    assert hint in problem.hint


@pytest.mark.parametrize("zone,expected", [
    ("EST", "EST is an old zone name without summer time"),
    ("US/Eastern", "US/Eastern is an old zone name"),
    ("Etc/GMT+1", "Etc/GMT+1 is a fixed offset with the sign reversed (Etc/GMT+1 is UTC-1)"),
])
def test_old_and_fixed_zones_build_with_a_warning(content_dir, zone, expected):
    problems = event_problems(content_dir, replace_line(BASE, "timezone", f'timezone = "{zone}"'))
    assert not any(p.is_error for p in problems)
    zone_problems = [p for p in problems if p.field == "timezone"]
    assert len(zone_problems) == 1 and zone_problems[0].message.startswith(expected)
