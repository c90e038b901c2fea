"""All-day and multi-day events: `date` (with `end_date` or `days`), and `start`/`duration` with
`days`. Checked against zoneinfo and dateutil (independent of the expander), ical.js and the
icalendar package (the ICS we write), and the feed's JSON Schema."""
from __future__ import annotations

import json
import re
from datetime import date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import icalendar
import jsonschema
import pytest
from dateutil import rrule as du

from conftest import ROOT, build, icaljs_expand, write_event
from generator.model import Occurrence
from generator.render.lines import occurrence_line, parse_line

UTC = timezone.utc
NOW = "2027-01-20T12:00:00Z"


def midnight_utc(day: date, zone: str) -> datetime:
    """A local midnight's instant, straight from zoneinfo (not through our zones module)."""
    return datetime(day.year, day.month, day.day, tzinfo=ZoneInfo(zone)).astimezone(UTC)


def iso(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    root = tmp_path_factory.mktemp("all-day")
    content = root / "content"
    # Over the night London's clocks go forward (28 March 2027): the last day has 23 hours.
    write_event(content, "spring-hackathon", """
        title = "Spring Hackathon"
        category = "meeting"
        timezone = "Europe/London"
        date = 2027-03-26
        end_date = 2027-03-28
    """, "Three days.")
    # Every year, three days; one year cancelled, one moved by a day, one renamed.
    write_event(content, "code-camp", """
        title = "Code Camp"
        category = "meeting"
        timezone = "Pacific/Auckland"
        date = 2027-04-03
        days = 3
        exdates = [2029-04-03]

        [repeat]
        every = "year"
        until = 2032-12-31

        [[overrides]]
        original = 2028-04-03
        start = 2028-04-04

        [[overrides]]
        original = 2030-04-03
        title = "Code Camp (tenth)"
    """)
    write_event(content, "open-day", """
        title = "Open Day"
        category = "meeting"
        timezone = "America/New_York"
        date = 2027-02-06
    """)
    # At a time of day on three days in a row, across New York's clock change (14 March 2027).
    write_event(content, "conference", """
        title = "Conference"
        category = "meeting"
        timezone = "America/New_York"
        start = 2027-03-13T09:00:00
        duration = 480
        days = 3
    """)
    output = root / "public"
    result = build(content, output, NOW, horizon_days=3660)
    assert not [p for p in result.problems if p.is_error], [str(p) for p in result.problems]
    feed = json.loads((output / "events.json").read_text())
    return output, feed


def feed_of(feed: dict, slug: str) -> list[dict]:
    return [o for o in feed["occurrences"] if o["event"] == slug]


def test_an_all_day_occurrence_runs_from_local_midnight_to_midnight_across_a_clock_change(site):
    _, feed = site
    [hackathon] = feed_of(feed, "spring-hackathon")
    first, after = date(2027, 3, 26), date(2027, 3, 29)
    assert hackathon == {"event": "spring-hackathon",
                         "start": iso(midnight_utc(first, "Europe/London")),
                         "end": iso(midnight_utc(after, "Europe/London")),
                         "all_day": True, "date": "2027-03-26", "end_date": "2027-03-28"}
    length = midnight_utc(after, "Europe/London") - midnight_utc(first, "Europe/London")
    assert length == timedelta(hours=71)  # 24 + 24 + 23: not 72


def test_a_repeating_all_day_series_has_the_days_dateutil_gives(site):
    _, feed = site
    expected = {}
    for moment in du.rrule(du.YEARLY, dtstart=datetime(2027, 4, 3), until=datetime(2032, 12, 31)):
        expected[moment.date()] = (moment.date(), None)
    del expected[date(2029, 4, 3)]  # exdates
    expected[date(2028, 4, 3)] = (date(2028, 4, 4), None)  # moved a day later
    expected[date(2030, 4, 3)] = (date(2030, 4, 3), "Code Camp (tenth)")
    want = [{"event": "code-camp", "start": iso(midnight_utc(day, "Pacific/Auckland")),
             "end": iso(midnight_utc(day + timedelta(days=3), "Pacific/Auckland")),
             **({"title": title} if title else {}), "all_day": True, "date": day.isoformat(),
             "end_date": (day + timedelta(days=2)).isoformat()}
            for day, title in sorted(expected.values())]
    assert feed_of(feed, "code-camp") == want


def test_icaljs_reads_the_same_days_and_instants_from_our_ics(site):
    output, feed = site
    for slug in ("spring-hackathon", "code-camp", "open-day"):
        found = icaljs_expand(output / "events" / slug / "event.ics", NOW, "2036-12-31T00:00:00Z")
        days = [(o["day"], (date.fromisoformat(o["end_day"]) - timedelta(days=1)).isoformat(),
                 o["summary"]) for o in found]
        ours = [(o["date"], o["end_date"], o.get("title", feed["events"][slug]["title"]))
                for o in feed_of(feed, slug)]
        assert days == ours and ours, slug
    # The conference is three timed meetings: ical.js gives the feed's very instants.
    found = icaljs_expand(output / "events" / "conference" / "event.ics", NOW, "2028-01-01T00:00:00Z")
    assert [(o["start"], o["end"]) for o in found] == \
        [(o["start"], o["end"]) for o in feed_of(feed, "conference")]
    assert [o["start"] for o in found] == ["2027-03-13T14:00:00Z", "2027-03-14T13:00:00Z",
                                          "2027-03-15T13:00:00Z"]


def test_the_ics_states_dates_not_times(site):
    output, _ = site
    text = (output / "events" / "code-camp" / "event.ics").read_text()
    calendar = icalendar.Calendar.from_ical(text)
    [master, *moved] = [c for c in calendar.walk("VEVENT")]
    assert master["DTSTART"].dt == date(2027, 4, 3) and not isinstance(master["DTSTART"].dt, datetime)
    assert master["DTEND"].dt == date(2027, 4, 6)
    assert "UNTIL=20320403;" in text  # a date series ends on a date (RFC 5545 3.3.10)
    assert "EXDATE;VALUE=DATE:20290403" in text
    assert [c["RECURRENCE-ID"].dt for c in moved] == [date(2028, 4, 3), date(2030, 4, 3)]
    assert "TZID" not in text and "VTIMEZONE" not in text  # dates need no zone
    whole = (output / "events.ics").read_text()
    assert "BEGIN:VTIMEZONE\r\nTZID:Pacific/Auckland" not in whole  # only the timed events' zones
    assert "RRULE:FREQ=DAILY;COUNT=3" in (output / "events" / "conference" / "event.ics").read_text()


def test_the_feed_with_all_day_occurrences_matches_its_schema(site):
    _, feed = site
    schema = json.loads((ROOT / "docs" / "events.schema.json").read_text())
    jsonschema.validate(feed, schema)
    broken = json.loads(json.dumps(feed))
    del next(o for o in broken["occurrences"] if o.get("all_day"))["end_date"]
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(broken, schema)


def test_an_all_day_occurrence_survives_the_line_format():
    occurrence = Occurrence("camp", datetime(2027, 3, 26, tzinfo=UTC), datetime(2027, 3, 28, 23, tzinfo=UTC),
                            "Camp (renamed)", datetime(2027, 3, 25), (date(2027, 3, 26), date(2027, 3, 28)))
    assert parse_line(occurrence_line(occurrence)) == occurrence


def json_ld(output, slug: str) -> dict:
    html = (output / "events" / slug / "index.html").read_text()
    return json.loads(re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)[1])


def test_structured_data_gives_dates_for_all_day_and_the_last_day_for_a_conference(site):
    output, _ = site
    data = json_ld(output, "spring-hackathon")
    assert (data["startDate"], data["endDate"], data["duration"]) == ("2027-03-26", "2027-03-28", "P3D")
    data = json_ld(output, "code-camp")
    assert data["eventSchedule"]["duration"] == "P3D" and "startTime" not in data["eventSchedule"]
    data = json_ld(output, "conference")
    assert (data["startDate"], data["endDate"]) == ("2027-03-13T09:00:00-05:00",
                                                    "2027-03-15T17:00:00-04:00")


def test_pages_show_all_day_occurrences_on_their_own_days_without_times(site):
    output, _ = site
    page = (output / "events" / "spring-hackathon" / "index.html").read_text()
    assert "Friday 26 to Sunday 28 March 2027, all day" in page
    assert 'data-all-day="2027-03-26/2027-03-28"' in page
    assert "Times in Europe/London" not in page  # no times to speak of
    assert "<dd>3 days</dd>" in page
    assert "dates=20270326%2F20270329" in page  # Google's all-day form: the end exclusive
    listing = (output / "events" / "index.html").read_text()
    section = re.search(r'<section class="day" id="day-2027-03-26" data-day="2027-03-26">.*?</section>', listing, re.S)[0]
    assert "Spring Hackathon" in section and "all day, to Sun 28 Mar" in section
    conference = (output / "events" / "conference" / "index.html").read_text()
    assert "Saturday 13 to Monday 15 March 2027, each day at 09:00 (America/New_York)" in conference
    assert "8 hours each day, for 3 days" in conference


def test_explain_lists_days(tmp_path):
    from conftest import run_cli
    write_event(tmp_path / "content", "open-day", """
        title = "Open Day"
        category = "meeting"
        timezone = "America/New_York"
        date = 2027-02-06
    """)
    result = run_cli("check", "--content", str(tmp_path / "content"), "--now", NOW, "--explain")
    assert result.returncode == 0, result.stderr
    assert "Saturday 6 February 2027, all day" in result.stdout
    assert "Sat 6 Feb 2027, all day (America/New_York)" in result.stdout


def test_a_list_puts_an_all_day_occurrence_on_its_own_day_whatever_the_list_zone(tmp_path):
    """A Tokyo all-day event starts at 15:00 the day before in London: in London's list it is
    still under its own day, first, and that day is listed once."""
    content = tmp_path / "content"
    write_event(content, "tokyo-day", """
        title = "Tokyo Day"
        category = "meeting"
        timezone = "Asia/Tokyo"
        date = 2027-02-10
    """)
    write_event(content, "evening", """
        title = "Evening Talk"
        category = "meeting"
        timezone = "Europe/London"
        start = 2027-02-09T19:00:00
        duration = 60
    """)
    write_event(content, "morning", """
        title = "Morning Talk"
        category = "meeting"
        timezone = "Europe/London"
        start = 2027-02-10T09:00:00
        duration = 60
    """)
    assert not [p for p in build(content, tmp_path / "out", NOW).problems if p.is_error]
    listing = (tmp_path / "out" / "events" / "index.html").read_text()
    days = re.findall(r'data-day="([0-9-]+)"', listing)
    assert days == sorted(set(days)) == ["2027-02-09", "2027-02-10"]
    tenth = re.search(r'data-day="2027-02-10">.*?</section>', listing, re.S)[0]
    assert re.findall(r'data-event="([a-z-]+)"', tenth) == ["tokyo-day", "morning"]


def test_holidays_cancel_all_day_occurrences_and_stay_cancelled_in_the_ics_after_they_pass(tmp_path):
    """A weekly all-day event that skips England's holidays: Easter Monday (from the holidays
    package itself) is absent from the feed, an EXDATE date in the ICS, and still an EXDATE a
    fortnight later, when it has left the window (a subscriber's calendar must not get it back)."""
    import holidays

    content = tmp_path / "content"
    write_event(content, "field-day", """
        title = "Field Day"
        category = "meeting"
        timezone = "Europe/London"
        date = 2027-03-01
        skip_holidays = "GB-ENG"

        [repeat]
        every = "week"
    """)
    [easter_monday] = [d for d, name in holidays.country_holidays("GB", subdiv="ENG", years=2027).items()
                       if name == "Easter Monday"]
    for now in (NOW, "2027-04-12T12:00:00Z"):
        output = tmp_path / now[:10]
        assert build(content, output, now).ok
        feed = json.loads((output / "events.json").read_text())
        days = [o["date"] for o in feed_of(feed, "field-day")]
        assert easter_monday.isoformat() not in days
        ics = (output / "events" / "field-day" / "event.ics").read_text()
        assert f"EXDATE;VALUE=DATE:{easter_monday:%Y%m%d}" in ics.replace("\r\n ", "")
    first = json.loads((tmp_path / NOW[:10] / "events.json").read_text())
    assert {"reason": "Easter Monday"}.items() <= next(
        c for c in first["events"]["field-day"]["cancelled"]
        if c["start"] == iso(midnight_utc(easter_monday, "Europe/London"))).items()
    assert easter_monday - timedelta(days=7) == date.fromisoformat(
        [d for d in (o["date"] for o in feed_of(first, "field-day")) if d < easter_monday.isoformat()][-1])
