"""The ICS files follow RFC 5545's letter: CRLF, folded lines, escaped text, stable UIDs, one
VTIMEZONE per zone used; and a second parser (the icalendar package) reads them."""
import re

from datetime import date, timedelta

import holidays
import icalendar
import pytest

from conftest import SAMPLE_CONTENT, build, write_event
from generator.render.ics import escape_text, fold


@pytest.fixture(scope="module")
def sample_ics(tmp_path_factory):
    output = tmp_path_factory.mktemp("ics") / "public"
    assert build(SAMPLE_CONTENT, output, "2027-01-20T12:00:00Z").ok
    return output


def test_lines_end_in_crlf_and_fit_75_octets(sample_ics):
    for path in [sample_ics / "events.ics", *sample_ics.glob("events/*/event.ics")]:
        data = path.read_bytes()
        assert data.endswith(b"\r\n")
        assert b"\n" not in data.replace(b"\r\n", b"")
        for line in data.split(b"\r\n")[:-1]:
            assert len(line) <= 75, (path, line)


def test_folding_never_splits_a_utf8_character():
    line = "SUMMARY:" + "Café ☕ crème brûlée — " * 10
    folded = fold(line)
    pieces = folded.split("\r\n ")
    assert "".join(pieces) == line
    assert all(len(p.encode("utf-8")) <= 75 for p in pieces)
    assert len(pieces) > 2


def test_text_escaping_follows_rfc5545():
    assert escape_text("a;b,c\\d\ne") == "a\\;b\\,c\\\\d\\ne"


def test_uids_are_slug_at_host_and_stable_across_builds(tmp_path):
    first, second = tmp_path / "a", tmp_path / "b"
    assert build(SAMPLE_CONTENT, first, "2027-01-20T12:00:00Z").ok
    assert build(SAMPLE_CONTENT, second, "2027-02-20T12:00:00Z").ok
    def uids(output):
        text = (output / "events.ics").read_bytes().decode("utf-8")
        return sorted(set(re.findall(r"^UID:(.*)\r$", text, re.M)))

    assert uids(first) == uids(second)
    assert "euroasia-scrum@events.harbourcode.example" in uids(first)


def test_one_vtimezone_per_zone_in_use_and_a_tzid_on_every_dtstart(sample_ics):
    calendar = icalendar.Calendar.from_ical((sample_ics / "events.ics").read_bytes())
    zones = sorted(str(tz["TZID"]) for tz in calendar.walk("VTIMEZONE"))
    used = sorted({str(e["DTSTART"].params["TZID"]) for e in calendar.walk("VEVENT")
                   if "TZID" in e["DTSTART"].params})
    assert zones == used
    assert len(zones) == len(set(zones))
    assert "Asia/Kolkata" in zones and "Australia/Sydney" in zones


def test_icalendar_package_reads_rules_exdates_and_overrides(sample_ics):
    calendar = icalendar.Calendar.from_ical((sample_ics / "events" / "euroasia-scrum" / "event.ics").read_bytes())
    masters = [e for e in calendar.walk("VEVENT") if "RECURRENCE-ID" not in e]
    assert len(masters) == 1
    master = masters[0]
    assert master["RRULE"]["FREQ"] == ["WEEKLY"]
    assert master["RRULE"]["BYDAY"] == ["MO", "TU", "WE", "TH"]
    exdates = [d.dt for prop in ([master["EXDATE"]] if not isinstance(master["EXDATE"], list) else master["EXDATE"]) for d in prop.dts]
    # Its exdate, the meeting its session record cancels (content/sessions/euroasia-scrum/
    # 2027-02-01.md), and England's holidays on its days (Monday to Thursday) from a year before
    # the build to the horizon's end (from the holidays package itself): past ones stay, so
    # meetings that never happened do not come back in calendars.
    england = holidays.country_holidays("GB", subdiv="ENG", years=[2026, 2027])
    first = date(2027, 1, 20) - timedelta(days=366)  # the series began in 2014
    expected = sorted({"2027-03-25 07:00", "2027-02-01 07:00"} | {f"{day} 07:00" for day in england
                                             if first <= day <= date(2027, 4, 20) and day.weekday() < 4})
    assert [d.strftime("%Y-%m-%d %H:%M") for d in exdates] == expected
    assert "2027-03-29 07:00" in expected and "2026-12-28 07:00" in expected  # Easter Monday; Boxing Day's substitute
    assert str(exdates[0].tzinfo) == "Europe/London"
    atlantic = icalendar.Calendar.from_ical((sample_ics / "events" / "atlantic-scrum" / "event.ics").read_bytes())
    moved = [e for e in atlantic.walk("VEVENT") if "RECURRENCE-ID" in e]
    assert len(moved) == 1
    assert moved[0]["RECURRENCE-ID"].dt.strftime("%Y-%m-%d %H:%M") == "2027-03-30 15:15"
    assert moved[0]["DTSTART"].dt.strftime("%Y-%m-%d %H:%M") == "2027-03-30 16:30"
    assert str(moved[0]["SUMMARY"]) == "Atlantic Scrum (late start)"


def test_text_with_special_characters_survives_a_round_trip(content_dir, output_dir):
    write_event(content_dir, "special", """
        title = "Review; budget, plans \\\\ more"
        category = "meeting"
        timezone = "Europe/London"
        start = 2027-01-05T18:30:00
        duration = 45
    """, body="Line one, with comma; semicolon.\n\nSecond paragraph — ünïcödé.\n")
    assert build(content_dir, output_dir, "2027-01-01T00:00:00Z").ok
    event = icalendar.Calendar.from_ical((output_dir / "events.ics").read_bytes()).walk("VEVENT")[0]
    assert str(event["SUMMARY"]) == "Review; budget, plans \\ more"
    assert str(event["DESCRIPTION"]).startswith("Line one, with comma; semicolon.")
