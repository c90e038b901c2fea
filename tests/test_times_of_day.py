"""Events held several times a day: RRULE BYHOUR/BYMINUTE (RFC 5545: each hour with each minute)
and [repeat] at = ["09:00", "15:30"]. Checked against dateutil (seeded random rules, in wall
clock and in zones with clock changes), ical.js (the ICS we write), and by hand."""
from __future__ import annotations

import json
import random
from datetime import datetime, timedelta, timezone

import pytest
from dateutil import rrule as du

from conftest import icaljs_expand, write_event
from generator.cli import parse_now
from generator.build.pipeline import check_content
from generator.schedule.expand import expand_occurrences
from generator.schedule.recurrence import first_occurrence, iter_starts
from generator.schedule.zones import get_zone
from test_expand import make_event, starts, z
from test_recurrence import make_rule

UTC = timezone.utc
WEEKDAYS = ["MO", "TU", "WE", "TH", "FR", "SA", "SU"]


# --- the engine against dateutil, in wall-clock time ---------------------------------------

def _random_rule(rng: random.Random) -> str:
    freq = rng.choice(["DAILY", "WEEKLY", "MONTHLY", "YEARLY"])
    parts = [f"FREQ={freq}", "BYHOUR=" + ",".join(map(str, sorted(rng.sample(range(24),
                                                                               rng.randint(1, 3)))))]
    if rng.random() < 0.6:
        parts.append("BYMINUTE=" + ",".join(map(str, sorted(rng.sample([0, 15, 30, 45, 50],
                                                                       rng.randint(1, 2))))))
    if rng.random() < 0.3:
        parts.append(f"INTERVAL={rng.choice([2, 3])}")
    if freq in ("WEEKLY", "DAILY") and rng.random() < 0.5:
        parts.append("BYDAY=" + ",".join(rng.sample(WEEKDAYS, rng.randint(1, 3))))
    if freq == "MONTHLY" and rng.random() < 0.5:
        parts.append("BYDAY=" + rng.choice(["1MO", "2TU", "-1FR", "3WE"]))
    if freq == "YEARLY":
        parts.append(f"BYMONTH={rng.randint(1, 12)}")
        parts.append(f"BYMONTHDAY={rng.choice([1, 15, 28, -1])}")
    if freq != "DAILY" and rng.random() < 0.25:
        parts.append("BYSETPOS=" + rng.choice(["1", "-1", "2", "1,-1"]))
    if rng.random() < 0.3:
        parts.append(f"COUNT={rng.choice([1, 5, 17, 100])}")
    return ";".join(parts)


def test_random_rules_with_several_times_a_day_agree_with_dateutil():
    rng = random.Random(124)
    compared = instances = 0
    failures = []
    for _ in range(300):
        text = _random_rule(rng)
        start = datetime(rng.randint(2018, 2026), rng.randint(1, 12), rng.randint(1, 28),
                         rng.randint(0, 23), rng.choice([0, 30]))
        rule = make_rule(text, start)
        first = first_occurrence(rule, start, years=10)
        expected_first = next(iter(du.rrulestr(text, dtstart=start)), None)
        if "BYSETPOS" in text and "WEEKLY" in text:
            continue  # dateutil's partial first week (see test_recurrence)
        if first != expected_first:
            failures.append((text, start, "first", first, expected_first))
            continue
        if first is None:
            continue
        after = first + timedelta(days=rng.choice([0, 3, 40, 400]))
        until = after + timedelta(days=rng.choice([2, 30, 400]))
        oracle = du.rrulestr(text, dtstart=first)
        expected = oracle.between(after, until, inc=True)
        got = list(iter_starts(rule, first, after, until))
        compared += 1
        instances += len(got)
        if got != expected:
            failures.append((text, first, after, got[:4], expected[:4]))
    assert not failures, f"{len(failures)} differ; first: {failures[:3]}"
    assert compared >= 200 and instances >= 2000, (compared, instances)


# --- in zones, across clock changes ---------------------------------------------------------

ZONES = ["Europe/London", "America/New_York", "Australia/Lord_Howe", "Australia/Sydney"]


@pytest.mark.parametrize("zone", ZONES)
def test_times_across_clock_changes_agree_with_dateutil_in_the_zone(zone):
    """Every time of day through the year's clock changes: wall clock in the zone, a time the
    clocks skip read with the offset before the gap, a repeated one as its first pass (RFC 5545,
    what dateutil gives with fold=0); two times that fall on one instant are one meeting."""
    event = make_event(f"""
        timezone = "{zone}"
        start = 2027-01-01T00:30:00
        duration = 20
        rrule = "FREQ=DAILY;BYHOUR=0,1,2,3;BYMINUTE=0,30"
    """)
    window = (z("2027-01-01T00:00"), z("2028-01-01T00:00"))
    tz = get_zone(zone)
    rule = du.rrulestr("FREQ=DAILY;BYHOUR=0,1,2,3;BYMINUTE=0,30",
                       dtstart=datetime(2027, 1, 1, 0, 30))
    instants = sorted({moment.replace(tzinfo=tz).astimezone(UTC)
                       for moment in rule.between(datetime(2026, 12, 30), datetime(2028, 1, 2),
                                                  inc=True)})
    expected = [i for i in instants if window[0] < i + timedelta(minutes=20) and i < window[1]]
    got = [o.start for o in expand_occurrences(event, *window)]
    assert got == expected
    assert len(got) >= 365 * 8 - 8  # each day's eight, less the skipped ones


def test_count_counts_every_instance_not_every_day():
    event = make_event("""
        timezone = "Europe/London"
        start = 2027-01-04T09:00:00
        rrule = "FREQ=WEEKLY;BYDAY=MO,WE;BYHOUR=9,15;COUNT=5"
    """)
    assert starts(event, "2027-01-01T00:00", "2028-01-01T00:00") == [
        z("2027-01-04T09:00"), z("2027-01-04T15:00"), z("2027-01-06T09:00"),
        z("2027-01-06T15:00"), z("2027-01-11T09:00")]


def test_bysetpos_picks_among_the_instances_of_the_period():
    """RFC 5545: BYSETPOS selects from the set of instances, not of days: the last instance of
    each month is the later time on its last Friday."""
    event = make_event("""
        timezone = "UTC"
        start = 2027-01-01T09:00:00
        rrule = "FREQ=MONTHLY;BYDAY=FR;BYHOUR=9,16;BYSETPOS=-1"
    """)
    assert starts(event, "2027-01-01T00:00", "2027-04-01T00:00") == [
        z("2027-01-29T16:00"), z("2027-02-26T16:00"), z("2027-03-26T16:00")]


# --- [repeat] at ---------------------------------------------------------------------------------

def test_repeat_at_lists_the_times_of_each_day_and_exdates_cancel_one_of_them():
    event = make_event("""
        timezone = "Europe/Berlin"
        start = 2027-01-04T09:00:00
        exdates = [2027-01-05T15:30:00]
        [repeat]
        every = "week"
        on = ["mon", "tue"]
        at = ["09:00", "15:30"]
        until = 2027-01-12
    """)
    assert starts(event, "2027-01-01T00:00", "2027-02-01T00:00") == [
        z("2027-01-04T08:00"), z("2027-01-04T14:30"), z("2027-01-05T08:00"),
        z("2027-01-11T08:00"), z("2027-01-11T14:30"), z("2027-01-12T08:00"),
        z("2027-01-12T14:30")]


def test_an_override_moves_one_instance_of_the_day():
    event = make_event("""
        timezone = "UTC"
        start = 2027-01-04T09:00:00
        [repeat]
        every = "day"
        at = ["09:00", "15:00"]
        count = 4
        [[overrides]]
        original = 2027-01-04T15:00:00
        start = 2027-01-04T16:00:00
    """)
    found = expand_occurrences(event, z("2027-01-01T00:00"), z("2027-02-01T00:00"))
    assert [(o.start, o.original) for o in found] == [
        (z("2027-01-04T09:00"), None), (z("2027-01-04T16:00"), datetime(2027, 1, 4, 15)),
        (z("2027-01-05T09:00"), None), (z("2027-01-05T15:00"), None)]


def check_problems(content_dir, front_matter: str) -> list[str]:
    write_event(content_dir, "ev", front_matter)
    return [str(p) for p in check_content(content_dir, parse_now("2027-01-20T12:00:00Z")).problems]


BASE = '''title = "Office Hours"
category = "meeting"
timezone = "Europe/London"
start = 2027-01-04T09:00:00
duration = 30
'''


@pytest.mark.parametrize("at,message", [
    ('["9am"]', 'at[0]: \'9am\' is not a time of day like "09:00"'),
    ('["25:00"]', "at[0]: '25:00' is not a time of day like \"09:00\""),
    ('["09:00", "09:00"]', "at: a time is listed twice in at"),
    ("[09:00:30]", "at[0]: 09:00:30 has seconds; meetings start on the minute"),
    ("[]", 'at: at must list times of day like ["09:00", "15:00"]'),
])
def test_bad_at_is_a_located_error(content_dir, at, message):
    problems = check_problems(content_dir, BASE + f'[repeat]\nevery = "day"\nat = {at}\n')
    assert len(problems) == 1 and message in problems[0], problems
    assert "content/events/ev.md:9:" in problems[0]


def test_bysecond_is_refused_with_its_message(content_dir):
    problems = check_problems(content_dir, BASE + 'rrule = "FREQ=DAILY;BYHOUR=9;BYSECOND=30"\n')
    assert len(problems) == 1
    assert "BYSECOND is not supported: meetings start on the minute" in problems[0]


def test_several_times_that_overlap_are_a_warning(content_dir):
    problems = check_problems(content_dir, BASE.replace("duration = 30", "duration = 90")
                              + '[repeat]\nevery = "day"\nat = ["09:00", "10:00"]\n')
    assert [p.split("content/", 1)[1] for p in problems] == [
        "events/ev.md:6:12: warning: duration: the meetings at 09:00 "
                        "and 10:00 overlap: each lasts 90 minutes; shorten the duration, or "
                        "space the times further apart"]


# --- words, calendars, feeds -------------------------------------------------------------------

def test_schedule_in_words_names_every_time():
    from generator.render.words import schedule_in_words

    event = make_event(BASE.replace('title = "Office Hours"\n', "") + """
        [repeat]
        every = "week"
        on = ["mon", "tue", "wed", "thu", "fri"]
        at = ["09:00", "15:00"]
    """.replace("        ", ""))
    assert schedule_in_words(event) == \
        "Every Monday to Friday at 09:00 and 15:00 (Europe/London)"


@pytest.fixture(scope="module")
def times_site(tmp_path_factory):
    from conftest import build

    root = tmp_path_factory.mktemp("times")
    content = root / "content"
    (content / "events").mkdir(parents=True)
    cases = {
        # One RRULE can say it (each hour with each minute).
        "office-hours": 'rrule = "FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR;BYHOUR=9,15;BYMINUTE=0"',
        # One cannot (09:30 and 14:00): a VEVENT per time of day.
        "clinic": '[repeat]\nevery = "day"\nat = ["09:30", "14:00"]\nuntil = 2027-04-30',
        # Times the clocks skip and repeat, in New York.
        "night-desk": ('timezone = "America/New_York"\n'
                       'rrule = "FREQ=DAILY;BYHOUR=1,2,3;BYMINUTE=30;COUNT=200"'),
        # With cancelled and moved instances.
        "drop-in": ('exdates = [2027-01-27T15:00:00, 2027-02-03]\n'
                    '[repeat]\nevery = "week"\non = ["wed"]\nat = ["09:00", "15:00"]\n'
                    '[[overrides]]\noriginal = 2027-02-10T09:00:00\nstart = 2027-02-10T10:00:00'),
    }
    for slug, rule in cases.items():
        zone = "" if "timezone" in rule else 'timezone = "Europe/London"\n'
        text = BASE.replace('timezone = "Europe/London"\n', zone) + rule
        (content / "events" / f"{slug}.md").write_text("+++\n" + text + "\n+++\n")
    result = build(content, root / "public", "2027-01-20T12:00:00Z")
    assert result.ok, [str(p) for p in result.problems]
    return root / "public"


def test_icaljs_reads_every_instance_of_events_held_several_times_a_day(times_site):
    feed = json.loads((times_site / "events.json").read_text())
    for slug in ("office-hours", "clinic", "night-desk", "drop-in"):
        found = icaljs_expand(times_site / "events" / slug / "event.ics",
                              feed["generated_at"], feed["horizon_end"])
        ours = sorted((o["start"], o["end"]) for o in feed["occurrences"] if o["event"] == slug)
        theirs = sorted((o["start"], o["end"]) for o in found)
        assert ours == theirs and len(ours) > 20, slug


def test_one_vevent_per_time_of_day_even_when_one_rule_could_say_the_times(times_site):
    """Outlook keeps one start time per series ([MS-OXCICAL] 2.1.3.2.2), so BYHOUR=9,15 in
    one RRULE is split into one VEVENT per time (only a COUNT keeps them together)."""
    office = (times_site / "events" / "office-hours" / "event.ics").read_text()
    assert office.count("BEGIN:VEVENT") == 2
    assert "RRULE:FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR;BYHOUR=9;BYMINUTE=0" in office
    assert "RRULE:FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR;BYHOUR=15;BYMINUTE=0" in office
    clinic = (times_site / "events" / "clinic" / "event.ics").read_text()
    assert "UID:clinic-0930@localhost" in clinic and "UID:clinic-1400@localhost" in clinic
    assert "BYHOUR=9;BYMINUTE=30" in clinic and "BYHOUR=14;BYMINUTE=0" in clinic
