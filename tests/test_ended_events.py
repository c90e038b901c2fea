"""Ended events keep their pages: a one-off that has taken place says when it did, a series
that has ended says when it last met, and the JSON-LD keeps that occurrence's startDate and
endDate (it used to say "No upcoming dates" and drop them). The last meeting is checked against
dateutil's expansion of the same rule."""
import json
import re
import shutil
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from dateutil.rrule import rrulestr

from conftest import SAMPLE_CONTENT, build, write_event
from pagetools import find_all, parse_page


def json_ld(page) -> dict:
    (script,) = find_all(parse_page(page), "script", type="application/ld+json")
    return json.loads(script.text)


def ended_text(page) -> str | None:
    found = find_all(parse_page(page), "section", cls="ended")
    return found[0].text if found else None


@pytest.fixture(scope="module")
def sample_after_the_retrospective(tmp_path_factory):
    root = tmp_path_factory.mktemp("ended")
    shutil.copytree(SAMPLE_CONTENT, root / "content")
    assert build(root / "content", root / "public", "2027-02-10T12:00:00Z").ok
    return root / "public"


def test_one_off_that_has_ended_says_when_it_took_place(sample_after_the_retrospective):
    page = sample_after_the_retrospective / "events" / "winter-retrospective" / "index.html"
    assert ended_text(page) == ("Ended This event took place on Friday 5 February 2027, "
                                "17:00–18:00 GMT.")
    html = page.read_text()
    assert "No upcoming dates" not in html and "no upcoming dates" not in html
    assert 'data-countdown="event"' not in html  # nothing to count down to
    assert '<time datetime="2027-02-05T17:00:00Z">' in html


def test_one_off_that_has_ended_keeps_start_and_end_in_json_ld(sample_after_the_retrospective):
    data = json_ld(sample_after_the_retrospective / "events" / "winter-retrospective" / "index.html")
    assert data["startDate"] == "2027-02-05T17:00:00+00:00"
    assert data["endDate"] == "2027-02-05T18:00:00+00:00"
    assert "eventSchedule" not in data


def test_an_ended_page_offers_no_subscription_and_no_star(sample_after_the_retrospective):
    elements = parse_page(sample_after_the_retrospective / "events" / "winter-retrospective" / "index.html")
    assert find_all(elements, "details", cls="subscribe-menu") == []
    assert find_all(elements, "button", cls="star") == []
    assert [a.attrs["href"] for a in find_all(elements, "a", cls="button")] == [
        "/events/winter-retrospective/event.ics"]


def test_one_off_still_to_come_has_its_next_date_not_ended(tmp_path):
    content = tmp_path / "content"
    shutil.copytree(SAMPLE_CONTENT, content)
    assert build(content, tmp_path / "public", "2027-02-05T17:30:00Z").ok  # while it runs
    page = tmp_path / "public" / "events" / "winter-retrospective" / "index.html"
    assert ended_text(page) is None
    assert json_ld(page)["startDate"] == "2027-02-05T17:00:00+00:00"


SERIES = """
    title = "Spring Study Group"
    category = "meeting"
    timezone = "America/New_York"
    start = 2027-03-02T18:30:00
    duration = 90
    rrule = "FREQ=WEEKLY;BYDAY=TU;COUNT=6"
    exdates = [2027-04-06T18:30:00]
"""


def test_series_that_has_ended_says_when_it_last_met_as_dateutil_expands_it(content_dir, output_dir):
    write_event(content_dir, "spring-study-group", SERIES)
    assert build(content_dir, output_dir, "2027-05-01T00:00:00Z").ok
    page = output_dir / "events" / "spring-study-group" / "index.html"
    # dateutil: the sixth Tuesday is cancelled, so the last meeting is the fifth.
    starts = list(rrulestr("FREQ=WEEKLY;BYDAY=TU;COUNT=6", dtstart=datetime(2027, 3, 2, 18, 30)))
    last = max(s for s in starts if s != datetime(2027, 4, 6, 18, 30))
    assert last == datetime(2027, 3, 30, 18, 30)
    assert ended_text(page) == ("Ended This series has ended: it last met on Tuesday 30 March "
                                "2027, 18:30–20:00 EDT.")
    data = json_ld(page)
    assert data["startDate"] == last.replace(tzinfo=ZoneInfo("America/New_York")).isoformat()
    assert data["endDate"] == "2027-03-30T20:00:00-04:00"
    assert data["eventSchedule"]["repeatCount"] == 6


def test_series_that_never_ends_is_not_ended(content_dir, output_dir):
    write_event(content_dir, "weekly", """
        title = "Weekly"
        category = "meeting"
        timezone = "Europe/London"
        start = 2027-01-04T10:00:00
        duration = 30
        rrule = "FREQ=WEEKLY"
    """)
    assert build(content_dir, output_dir, "2027-03-01T00:00:00Z").ok
    page = output_dir / "events" / "weekly" / "index.html"
    assert ended_text(page) is None and 'data-countdown="event"' in page.read_text()


def test_series_whose_remaining_dates_are_all_cancelled_has_ended_at_its_last_meeting(
        content_dir, output_dir):
    write_event(content_dir, "yearly", """
        title = "Yearly"
        category = "meeting"
        timezone = "Europe/London"
        start = 2026-01-05T10:00:00
        duration = 30
        rrule = "FREQ=YEARLY;COUNT=3"
        exdates = [2028-01-05T10:00:00]
    """)
    assert build(content_dir, output_dir, "2027-03-01T00:00:00Z").ok
    page = output_dir / "events" / "yearly" / "index.html"
    assert ended_text(page) == ("Ended This series has ended: it last met on Tuesday 5 January "
                                "2027, 10:00–10:30 GMT.")


def test_all_day_event_that_has_ended_gives_its_days(content_dir, output_dir):
    write_event(content_dir, "retreat", """
        title = "Retreat"
        category = "meeting"
        timezone = "Europe/Berlin"
        date = 2027-06-04
        end_date = 2027-06-06
    """)
    assert build(content_dir, output_dir, "2027-07-01T00:00:00Z").ok
    page = output_dir / "events" / "retreat" / "index.html"
    assert ended_text(page) == "Ended This event took place on Friday 4 to Sunday 6 June 2027, all day."
    data = json_ld(page)
    assert (data["startDate"], data["endDate"]) == ("2027-06-04", "2027-06-06")


def test_an_event_page_is_rewritten_once_when_the_event_ends(tmp_path):
    """The refresh that sees it end rewrites its page (the build cache keys on the dates ahead);
    a later refresh leaves it as it is."""
    content = tmp_path / "content"
    shutil.copytree(SAMPLE_CONTENT, content)
    output = tmp_path / "public"
    page = output / "events" / "winter-retrospective" / "index.html"
    assert build(content, output, "2027-02-05T17:30:00Z").ok
    before = page.read_bytes()
    assert build(content, output, "2027-02-05T18:30:00Z").ok
    ended = page.read_bytes()
    assert ended != before and re.search(rb'class="ended"', ended)
    assert build(content, output, "2027-03-05T18:30:00Z").ok
    assert page.read_bytes() == ended


def test_event_on_several_days_at_one_time_has_ended_over_all_its_days(content_dir, output_dir):
    write_event(content_dir, "workshop", """
        title = "Workshop"
        category = "meeting"
        timezone = "Europe/London"
        start = 2027-07-09T09:00:00
        duration = 480
        days = 3
    """)
    # Between its first and last days it is one event from the first day's start.
    assert build(content_dir, output_dir, "2027-07-10T18:00:00Z").ok
    page = output_dir / "events" / "workshop" / "index.html"
    assert ended_text(page) is None
    assert (json_ld(page)["startDate"], json_ld(page)["endDate"]) == (
        "2027-07-09T09:00:00+01:00", "2027-07-11T17:00:00+01:00")
    assert build(content_dir, output_dir, "2027-08-01T00:00:00Z").ok
    assert ended_text(page) == ("Ended This event took place on Friday 9 to Sunday 11 July 2027, "
                                "09:00–17:00 BST.")
    assert (json_ld(page)["startDate"], json_ld(page)["endDate"]) == (
        "2027-07-09T09:00:00+01:00", "2027-07-11T17:00:00+01:00")


def test_last_occurrence_is_none_while_a_series_runs_or_has_more_to_come():
    from datetime import timezone

    from generator.schedule.expand import last_occurrence
    from test_expand import make_event

    event = make_event("""
        timezone = "Europe/London"
        start = 2027-03-02T18:30:00
        duration = 90
        rrule = "FREQ=WEEKLY;COUNT=3"
    """)
    at = lambda text: datetime.fromisoformat(text).replace(tzinfo=timezone.utc)  # noqa: E731
    assert last_occurrence(event, at("2027-03-10T12:00:00")) is None  # one more to come
    assert last_occurrence(event, at("2027-03-16T19:00:00")) is None  # the last one runs
    last = last_occurrence(event, at("2027-03-16T20:00:00"))
    assert (last.start, last.end) == (at("2027-03-16T18:30:00"), at("2027-03-16T20:00:00"))
    assert last_occurrence(make_event("""
        timezone = "Europe/London"
        start = 2027-03-02T18:30:00
        rrule = "FREQ=WEEKLY"
    """), at("2030-01-01T00:00:00")) is None  # never ends
