"""Wall-clock semantics of expand: events built from front matter as an editor writes it, and
expected instants worked out by hand from the zone's rules (dates of clock changes, offsets).

Clock changes used below (2027):
  Europe/London      +00 -> +01 Sun 28 Mar 01:00 UTC;  +01 -> +00 Sun 31 Oct 01:00 UTC
  America/New_York   -05 -> -04 Sun 14 Mar 02:00 local; -04 -> -05 Sun 7 Nov 02:00 local
  Australia/Sydney   +11 -> +10 Sun 4 Apr 03:00 local;  +10 -> +11 Sun 3 Oct 02:00 local
  Australia/Adelaide +10:30 -> +09:30 Sun 4 Apr;        +09:30 -> +10:30 Sun 3 Oct
  America/Santiago   -03 -> -04 Sun 4 Apr 00:00 local (to Sat 23:00); -04 -> -03 Sun 5 Sep
                     00:00 local (to 01:00)
  Pacific/Chatham    +13:45 -> +12:45 Sun 4 Apr 03:45 local
"""
from __future__ import annotations

import textwrap
import tomllib
from datetime import datetime, timedelta, timezone
from pathlib import Path

from generator.schedule.expand import expand_occurrences, next_occurrences
from generator.model import RawFile
from generator.content.validate import DEFAULT_CATEGORIES, validate_event

UTC = timezone.utc


def make_event(front_matter: str, slug: str = "test-event"):
    """An Event from TOML front matter, through the same validation as a build."""
    data = tomllib.loads(textwrap.dedent(front_matter))
    data.setdefault("title", "Test event")
    data.setdefault("category", "scrum")
    data.setdefault("duration", 30)
    path = Path("content/events") / f"{slug}.md"
    event, problems = validate_event(RawFile(path, str(path), data, {}), DEFAULT_CATEGORIES)
    assert event is not None, [str(p) for p in problems]
    return event


def z(text: str) -> datetime:
    """'2027-03-29T09:00' -> aware UTC datetime."""
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


def starts(event, window_start: str, window_end: str) -> list[datetime]:
    return [o.start for o in expand_occurrences(event, z(window_start), z(window_end))]


# --- daylight saving time, both hemispheres --------------------------------------------------

def test_scrum_stays_at_ten_london_across_dst():
    event = make_event("""
        timezone = "Europe/London"
        start = 2027-03-01T10:00:00
        rrule = "FREQ=WEEKLY;BYDAY=MO"
    """)
    assert starts(event, "2027-03-15T00:00", "2027-04-13T00:00") == [
        z("2027-03-15T10:00"), z("2027-03-22T10:00"),  # GMT
        z("2027-03-29T09:00"), z("2027-04-05T09:00"), z("2027-04-12T09:00")]  # BST
    assert starts(event, "2027-10-18T00:00", "2027-11-09T00:00") == [
        z("2027-10-18T09:00"), z("2027-10-25T09:00"), z("2027-11-01T10:00"), z("2027-11-08T10:00")]


def test_new_york_daily_keeps_local_time_across_both_changes():
    event = make_event("""
        timezone = "America/New_York"
        start = 2027-01-04T09:00:00
        [repeat]
        every = "day"
    """)
    assert starts(event, "2027-03-12T00:00", "2027-03-16T00:00") == [
        z("2027-03-12T14:00"), z("2027-03-13T14:00"), z("2027-03-14T13:00"), z("2027-03-15T13:00")]
    assert starts(event, "2027-11-05T00:00", "2027-11-09T00:00") == [
        z("2027-11-05T13:00"), z("2027-11-06T13:00"), z("2027-11-07T14:00"), z("2027-11-08T14:00")]


def test_sydney_sunday_meeting_follows_southern_summer_time():
    event = make_event("""
        timezone = "Australia/Sydney"
        start = 2027-01-03T09:00:00
        rrule = "FREQ=WEEKLY;BYDAY=SU"
    """)
    # 09:00 AEDT (+11) is 22:00 UTC the day before; 09:00 AEST (+10) is 23:00 UTC.
    assert starts(event, "2027-03-26T00:00", "2027-04-05T00:00") == [
        z("2027-03-27T22:00"), z("2027-04-03T23:00")]
    assert starts(event, "2027-09-24T00:00", "2027-10-04T00:00") == [
        z("2027-09-25T23:00"), z("2027-10-02T22:00")]


def test_santiago_meeting_follows_chilean_summer_time():
    event = make_event("""
        timezone = "America/Santiago"
        start = 2027-01-04T12:00:00
        rrule = "FREQ=WEEKLY;BYDAY=MO"
    """)
    # Summer (-03): 12:00 is 15:00 UTC; winter (-04): 16:00 UTC.
    assert starts(event, "2027-03-28T00:00", "2027-04-06T00:00") == [
        z("2027-03-29T15:00"), z("2027-04-05T16:00")]
    assert starts(event, "2027-08-29T00:00", "2027-09-07T00:00") == [
        z("2027-08-30T16:00"), z("2027-09-06T15:00")]


def test_santiago_saturday_night_in_repeated_hour_is_first_instance():
    # On Saturday 3 April 2027 Santiago's clocks go from 24:00 (-03) back to 23:00 (-04):
    # 23:30 happens twice; RFC 5545 means the first, at -03: 02:30 UTC on 4 April.
    event = make_event("""
        timezone = "America/Santiago"
        start = 2027-03-06T23:30:00
        rrule = "FREQ=WEEKLY;BYDAY=SA"
    """)
    assert starts(event, "2027-03-27T00:00", "2027-04-12T00:00") == [
        z("2027-03-28T02:30"), z("2027-04-04T02:30"), z("2027-04-11T03:30")]


# --- the local weekday ------------------------------------------------------------------------

def test_monday_tokyo_event_is_sunday_in_utc():
    event = make_event("""
        timezone = "Asia/Tokyo"
        start = 2027-03-01T00:30:00
        rrule = "FREQ=WEEKLY;BYDAY=MO"
    """)
    found = starts(event, "2027-02-27T00:00", "2027-03-22T00:00")
    assert found == [z("2027-02-28T15:30"), z("2027-03-07T15:30"), z("2027-03-14T15:30"),
                     z("2027-03-21T15:30")]
    assert {moment.weekday() for moment in found} == {6}  # Sunday in UTC


def test_friday_evening_los_angeles_is_saturday_in_utc():
    event = make_event("""
        timezone = "America/Los_Angeles"
        start = 2027-06-04T19:00:00
        [repeat]
        every = "week"
        on = ["fri"]
    """)
    assert starts(event, "2027-06-04T00:00", "2027-06-13T00:00") == [
        z("2027-06-05T02:00"), z("2027-06-12T02:00")]


# --- half-hour and 45-minute zones ------------------------------------------------------------

def test_kolkata_half_hour_offset():
    event = make_event("""
        timezone = "Asia/Kolkata"
        start = 2027-03-01T09:30:00
        rrule = "FREQ=WEEKLY;BYDAY=MO,WE,FR"
    """)
    assert starts(event, "2027-03-01T00:00", "2027-03-06T00:00") == [
        z("2027-03-01T04:00"), z("2027-03-03T04:00"), z("2027-03-05T04:00")]


def test_adelaide_half_hour_offset_with_dst():
    event = make_event("""
        timezone = "Australia/Adelaide"
        start = 2027-01-07T10:00:00
        rrule = "FREQ=WEEKLY;BYDAY=TH"
    """)
    # +10:30 until 4 April, then +09:30.
    assert starts(event, "2027-03-30T00:00", "2027-04-10T00:00") == [
        z("2027-03-31T23:30"), z("2027-04-08T00:30")]
    # Back to +10:30 from 3 October.
    assert starts(event, "2027-09-29T00:00", "2027-10-08T00:00") == [
        z("2027-09-30T00:30"), z("2027-10-06T23:30")]


def test_kathmandu_45_minute_offset():
    event = make_event("""
        timezone = "Asia/Kathmandu"
        start = 2027-03-01T10:00:00
        [repeat]
        every = "day"
    """)
    assert starts(event, "2027-07-01T00:00", "2027-07-03T00:00") == [
        z("2027-07-01T04:15"), z("2027-07-02T04:15")]


def test_chatham_45_minute_offset_with_dst():
    event = make_event("""
        timezone = "Pacific/Chatham"
        start = 2027-01-04T09:00:00
        rrule = "FREQ=WEEKLY;BYDAY=MO"
    """)
    # +13:45 in summer, +12:45 from 4 April.
    assert starts(event, "2027-03-27T00:00", "2027-04-06T00:00") == [
        z("2027-03-28T19:15"), z("2027-04-04T20:15")]


# --- skipped and repeated hours (RFC 5545 3.3.5) ----------------------------------------------

def test_new_york_0230_in_spring_gap_occurs_at_0330_edt():
    event = make_event("""
        timezone = "America/New_York"
        start = 2027-03-10T02:30:00
        [repeat]
        every = "day"
    """)
    found = expand_occurrences(event, z("2027-03-13T00:00"), z("2027-03-16T00:00"))
    assert [o.start for o in found] == [
        z("2027-03-13T07:30"),  # 02:30 EST
        z("2027-03-14T07:30"),  # 02:30 does not exist: read with the offset before, = 03:30 EDT
        z("2027-03-15T06:30")]  # 02:30 EDT
    assert found[1].end == z("2027-03-14T08:00")


def test_new_york_0130_in_autumn_fold_occurs_once_at_first_instance():
    event = make_event("""
        timezone = "America/New_York"
        start = 2027-11-01T01:30:00
        [repeat]
        every = "day"
    """)
    found = starts(event, "2027-11-06T00:00", "2027-11-09T00:00")
    assert found == [z("2027-11-06T05:30"),  # EDT
                     z("2027-11-07T05:30"),  # 01:30 happens twice: the first, EDT; only once
                     z("2027-11-08T06:30")]  # EST
    # A window holding only the second 01:30 (06:30Z) finds nothing.
    assert starts(event, "2027-11-07T06:00", "2027-11-07T07:00") == []


def test_window_opening_at_skipped_hour_occurrence_finds_it():
    # The 02:30 occurrence of 14 March is at 07:30Z = 03:30 EDT, a local time after 02:30:
    # a window opening then must still find it, though its wall-clock start lies before the
    # window's local start.
    event = make_event("""
        timezone = "America/New_York"
        start = 2027-03-10T02:30:00
        duration = 30
        [repeat]
        every = "day"
    """)
    assert starts(event, "2027-03-14T07:45", "2027-03-14T07:50") == [z("2027-03-14T07:30")]


def test_window_closing_in_second_pass_of_repeated_hour_finds_first_pass_occurrence():
    # Window ends at 06:10Z = 01:10 EST (the second 01:10): the 01:30 EDT occurrence (05:30Z)
    # started before it, though 01:30 is a later wall-clock time than 01:10.
    event = make_event("""
        timezone = "America/New_York"
        start = 2027-11-01T01:30:00
        duration = 10
        [repeat]
        every = "day"
    """)
    assert starts(event, "2027-11-07T05:00", "2027-11-07T06:10") == [z("2027-11-07T05:30")]


# --- the end of a series: UNTIL, until, COUNT -------------------------------------------------

def test_until_in_utc_is_an_instant():
    # 10:00 New York is 14:00 UTC after 14 March: UNTIL=...T140000Z includes 15 March.
    text = """
        timezone = "America/New_York"
        start = 2027-03-10T10:00:00
        rrule = "FREQ=DAILY;UNTIL={}"
    """
    included = make_event(text.format("20270315T140000Z"))
    assert starts(included, "2027-03-13T00:00", "2027-03-20T00:00") == [
        z("2027-03-13T15:00"), z("2027-03-14T14:00"), z("2027-03-15T14:00")]
    excluded = make_event(text.format("20270315T135959Z"))
    assert starts(excluded, "2027-03-13T00:00", "2027-03-20T00:00") == [
        z("2027-03-13T15:00"), z("2027-03-14T14:00")]


def test_until_in_second_pass_of_repeated_hour_keeps_first_pass_occurrence():
    # UNTIL 06:10Z is 01:10 EST, in the second pass of New York's repeated hour on 7 November
    # 2027. The 01:45 occurrence that day is its first pass (EDT, 05:45Z): before UNTIL, so it
    # counts, although 01:45 > 01:10 on the wall clock.
    event = make_event("""
        title = "Late"
        category = "meeting"
        timezone = "America/New_York"
        start = 2027-11-05T01:45:00
        duration = 10
        rrule = "FREQ=DAILY;UNTIL=20271107T061000Z"
    """)
    assert starts(event, "2027-11-01T00:00:00Z", "2027-11-30T00:00:00Z") == [
        z("2027-11-05T05:45:00Z"), z("2027-11-06T05:45:00Z"), z("2027-11-07T05:45:00Z")]


def test_until_in_local_time_is_inclusive():
    event = make_event("""
        timezone = "America/New_York"
        start = 2027-03-10T10:00:00
        rrule = "FREQ=DAILY;UNTIL=20270315T100000"
    """)
    assert starts(event, "2027-03-14T00:00", "2027-03-20T00:00") == [
        z("2027-03-14T14:00"), z("2027-03-15T14:00")]


def test_repeat_until_date_includes_the_whole_day():
    # 21:00 EDT on 15 March is 01:00 UTC on the 16th: still within "until 15 March".
    event = make_event("""
        timezone = "America/New_York"
        start = 2027-03-10T21:00:00
        [repeat]
        every = "day"
        until = 2027-03-15
    """)
    # 14 March 21:00 EDT, 15 March 21:00 EDT; nothing on the 16th local.
    assert starts(event, "2027-03-14T12:00", "2027-03-20T00:00") == [
        z("2027-03-15T01:00"), z("2027-03-16T01:00")]


def test_count_gives_exactly_that_many():
    event = make_event("""
        timezone = "Europe/London"
        start = 2027-03-02T18:00:00
        [repeat]
        every = "week"
        count = 5
    """)
    assert starts(event, "2026-01-01T00:00", "2030-01-01T00:00") == [
        z("2027-03-02T18:00"), z("2027-03-09T18:00"), z("2027-03-16T18:00"),
        z("2027-03-23T18:00"), z("2027-03-30T17:00")]
    assert next_occurrences(event, z("2027-03-31T00:00"), 10) == []


# --- exdates and overrides --------------------------------------------------------------------

EURO_SCRUM = """
    timezone = "Europe/London"
    start = 2014-03-03T07:00:00
    rrule = "FREQ=WEEKLY;BYDAY=MO,TU,WE,TH"
"""


def test_exdate_datetime_and_whole_date_cancel():
    event = make_event(EURO_SCRUM + "exdates = [2027-03-25T07:00:00, 2027-03-29]\n")
    assert starts(event, "2027-03-22T00:00", "2027-04-02T00:00") == [
        z("2027-03-22T07:00"), z("2027-03-23T07:00"), z("2027-03-24T07:00"),
        # Thursday 25th cancelled at 07:00; Monday 29th cancelled as a whole date.
        z("2027-03-30T06:00"), z("2027-03-31T06:00"), z("2027-04-01T06:00")]


def test_exdate_at_another_time_of_day_cancels_nothing():
    event = make_event(EURO_SCRUM + "exdates = [2027-03-24T08:00:00]\n")
    assert z("2027-03-24T07:00") in starts(event, "2027-03-22T00:00", "2027-03-26T00:00")


def test_exdate_date_in_local_time_not_utc():
    # Tokyo Monday 00:30 is Sunday in UTC: cancelling the local date 2027-03-08 removes it.
    event = make_event("""
        timezone = "Asia/Tokyo"
        start = 2027-03-01T00:30:00
        rrule = "FREQ=WEEKLY;BYDAY=MO"
        exdates = [2027-03-08]
    """)
    assert starts(event, "2027-02-27T00:00", "2027-03-16T00:00") == [
        z("2027-02-28T15:30"), z("2027-03-14T15:30")]


WEEKLY_MONDAY = """
    timezone = "Europe/London"
    start = 2027-01-04T10:00:00
    duration = 25
    rrule = "FREQ=WEEKLY;BYDAY=MO"
"""


def test_override_moves_occurrence_into_window():
    event = make_event(WEEKLY_MONDAY + """
        [[overrides]]
        original = 2027-03-08T10:00:00
        start = 2027-03-04T15:00:00
    """)
    found = expand_occurrences(event, z("2027-03-02T00:00"), z("2027-03-06T00:00"))
    assert [(o.start, o.end, o.original) for o in found] == [
        (z("2027-03-04T15:00"), z("2027-03-04T15:25"), datetime(2027, 3, 8, 10, 0))]
    # ... and away from its own slot.
    assert starts(event, "2027-03-07T00:00", "2027-03-16T00:00") == [z("2027-03-15T10:00")]


def test_override_moves_occurrence_from_far_away_into_window():
    event = make_event(WEEKLY_MONDAY + """
        [[overrides]]
        original = 2027-09-06T10:00:00
        start = 2027-03-04T15:00:00
    """)
    assert starts(event, "2027-03-02T00:00", "2027-03-06T00:00") == [z("2027-03-04T15:00")]
    assert z("2027-09-06T09:00") not in starts(event, "2027-09-01T00:00", "2027-09-10T00:00")


def test_override_moves_occurrence_out_of_window():
    event = make_event(WEEKLY_MONDAY + """
        [[overrides]]
        original = 2027-03-01T10:00:00
        start = 2027-03-09T15:00:00
    """)
    assert starts(event, "2027-02-28T00:00", "2027-03-07T00:00") == []
    assert starts(event, "2027-03-07T00:00", "2027-03-10T00:00") == [
        z("2027-03-08T10:00"), z("2027-03-09T15:00")]


def test_override_renames_and_changes_duration():
    event = make_event(WEEKLY_MONDAY + """
        [[overrides]]
        original = 2027-03-29T10:00:00
        title = "Scrum (long one)"
        duration = 90
    """)
    found = expand_occurrences(event, z("2027-03-22T00:00"), z("2027-04-06T00:00"))
    assert [(o.start, o.end, o.title, o.original) for o in found] == [
        (z("2027-03-22T10:00"), z("2027-03-22T10:25"), None, None),
        (z("2027-03-29T09:00"), z("2027-03-29T10:30"), "Scrum (long one)", None),
        (z("2027-04-05T09:00"), z("2027-04-05T09:25"), None, None)]


def test_override_of_cancelled_occurrence_stays_cancelled():
    event = make_event(WEEKLY_MONDAY + """
        exdates = [2027-03-08]
        [[overrides]]
        original = 2027-03-08T10:00:00
        start = 2027-03-04T15:00:00
    """)
    assert starts(event, "2027-03-01T12:00", "2027-03-14T00:00") == []


def test_override_matching_no_occurrence_changes_nothing():
    event = make_event(WEEKLY_MONDAY + """
        [[overrides]]
        original = 2027-03-09T10:00:00
        start = 2027-03-10T15:00:00
    """)
    assert starts(event, "2027-03-07T00:00", "2027-03-14T00:00") == [z("2027-03-08T10:00")]


def test_long_override_that_started_before_window_is_included():
    # Moved to the previous Friday and made five days long: still running on Monday.
    event = make_event(WEEKLY_MONDAY + """
        [[overrides]]
        original = 2027-03-08T10:00:00
        start = 2027-03-05T10:00:00
        duration = 7200
    """)
    found = expand_occurrences(event, z("2027-03-09T00:00"), z("2027-03-10T00:00"))
    assert [(o.start, o.end) for o in found] == [(z("2027-03-05T10:00"), z("2027-03-10T10:00"))]


# --- long series, `now`, and looking ahead ----------------------------------------------------

def test_series_started_ten_years_ago_still_on_its_days():
    event = make_event("""
        timezone = "America/New_York"
        start = 2016-09-05T12:00:00
        duration = 20
        [repeat]
        every = "week"
        on = ["mon", "tue", "wed", "thu", "fri"]
    """)
    assert starts(event, "2027-03-08T00:00", "2027-03-16T00:00") == [
        z("2027-03-08T17:00"), z("2027-03-09T17:00"), z("2027-03-10T17:00"),
        z("2027-03-11T17:00"), z("2027-03-12T17:00"), z("2027-03-15T16:00")]


def test_fortnightly_series_from_long_ago_keeps_its_weeks():
    # Every other Tuesday from Tuesday 5 January 2010. 2027-03-02 is 6265 days later
    # (17 years incl. 4 leap days = 6209, + 56): 447.5 fortnights, so not on the cycle;
    # 2027-03-09 (6272 = 448 * 14) is.
    event = make_event("""
        timezone = "Europe/Berlin"
        start = 2010-01-05T19:00:00
        rrule = "FREQ=WEEKLY;INTERVAL=2;BYDAY=TU"
    """)
    assert starts(event, "2027-03-01T00:00", "2027-04-01T00:00") == [
        z("2027-03-09T18:00"), z("2027-03-23T18:00")]


def test_last_week_of_series_still_has_next_occurrence():
    # Fortnightly Fridays from 11 Sep 2026 until 25 June 2027: 25 June is 287 days on (20.5
    # fortnights), so the last is Friday 18 June, 16:00 CDT = 21:00 UTC.
    event = make_event("""
        timezone = "America/Chicago"
        start = 2026-09-11T16:00:00
        duration = 45
        [repeat]
        every = "week"
        interval = 2
        on = ["fri"]
        until = 2027-06-25
    """)
    found = next_occurrences(event, z("2027-06-14T12:00"), 10)
    assert [(o.start, o.end) for o in found] == [(z("2027-06-18T21:00"), z("2027-06-18T21:45"))]
    # During the last meeting it is still "next"; once it has ended there is none.
    assert [o.start for o in next_occurrences(event, z("2027-06-18T21:30"), 10)] == [
        z("2027-06-18T21:00")]
    assert next_occurrences(event, z("2027-06-18T21:45"), 10) == []


def test_next_occurrences_finds_dates_more_than_two_months_ahead():
    yearly = make_event("""
        timezone = "Europe/London"
        start = 2020-11-20T18:00:00
        [repeat]
        every = "year"
    """)
    assert [o.start for o in next_occurrences(yearly, z("2027-01-20T12:00"), 3)] == [
        z("2027-11-20T18:00"), z("2028-11-20T18:00"), z("2029-11-20T18:00")]
    leap_day = make_event("""
        timezone = "UTC"
        start = 2024-02-29T12:00:00
        rrule = "FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=29"
    """)
    assert [o.start for o in next_occurrences(leap_day, z("2027-01-20T12:00"), 3)] == [
        z("2028-02-29T12:00"), z("2032-02-29T12:00"), z("2036-02-29T12:00")]
    monthly = make_event("""
        timezone = "Europe/London"
        start = 2026-01-12T19:00:00
        rrule = "FREQ=MONTHLY;BYDAY=2TU"
    """)
    found = next_occurrences(monthly, z("2027-01-20T12:00"), 10)
    # Second Tuesdays, Feb to Nov 2027: 9 Feb, 9 Mar, 13 Apr, 11 May, 8 Jun, 13 Jul, 10 Aug,
    # 14 Sep, 12 Oct (BST: 18:00 UTC), 9 Nov.
    assert [o.start for o in found] == [
        z("2027-02-09T19:00"), z("2027-03-09T19:00"), z("2027-04-13T18:00"),
        z("2027-05-11T18:00"), z("2027-06-08T18:00"), z("2027-07-13T18:00"),
        z("2027-08-10T18:00"), z("2027-09-14T18:00"), z("2027-10-12T18:00"),
        z("2027-11-09T19:00")]


def test_occurrence_in_progress_at_now_is_included():
    event = make_event(WEEKLY_MONDAY)
    now = z("2027-03-08T10:10")  # ten minutes into the 10:00-10:25 scrum
    assert [o.start for o in expand_occurrences(event, now, now + timedelta(days=8))] == [
        z("2027-03-08T10:00"), z("2027-03-15T10:00")]
    assert next_occurrences(event, now, 1)[0].start == z("2027-03-08T10:00")
    # At its end it is over.
    assert next_occurrences(event, z("2027-03-08T10:25"), 1)[0].start == z("2027-03-15T10:00")


def test_multi_day_occurrence_that_started_days_before_now_is_included():
    event = make_event("""
        timezone = "Europe/London"
        start = 2027-03-05T18:00:00
        duration = 4320
        rrule = "FREQ=WEEKLY;BYDAY=FR"
    """)
    # Friday 18:00 for three days: on Sunday noon the 5 March weekend is still on.
    found = expand_occurrences(event, z("2027-03-07T12:00"), z("2027-03-10T00:00"))
    assert [(o.start, o.end) for o in found] == [(z("2027-03-05T18:00"), z("2027-03-08T18:00"))]


def test_one_off_event():
    event = make_event("""
        timezone = "Europe/London"
        start = 2027-07-01T14:00:00
        duration = 60
    """)
    assert starts(event, "2027-01-01T00:00", "2028-01-01T00:00") == [z("2027-07-01T13:00")]
    # 14:00-15:00 BST is 13:00-14:00 UTC.
    assert next_occurrences(event, z("2027-07-01T13:30"), 5)[0].start == z("2027-07-01T13:00")
    assert next_occurrences(event, z("2027-07-01T14:00"), 5) == []


def test_occurrence_lines_of_several_events_merge_in_time_order():
    """The site-wide pass merges each chunk's sorted occurrence lines (render/lines.py)."""
    import heapq

    from generator.render.lines import occurrence_line, parse_line

    london = make_event(WEEKLY_MONDAY, slug="london")
    tokyo = make_event("""
        timezone = "Asia/Tokyo"
        start = 2027-03-01T00:30:00
        rrule = "FREQ=WEEKLY;BYDAY=MO"
    """, slug="tokyo")
    chunks = [sorted(occurrence_line(o) for o in expand_occurrences(event, z("2027-03-07T00:00"),
                                                                    z("2027-03-16T00:00")))
              for event in (london, tokyo)]
    found = [parse_line(line) for line in heapq.merge(*chunks)]
    assert [(o.event, o.start) for o in found] == [
        ("tokyo", z("2027-03-07T15:30")), ("london", z("2027-03-08T10:00")),
        ("tokyo", z("2027-03-14T15:30")), ("london", z("2027-03-15T10:00"))]


# --- against a brute-force oracle -------------------------------------------------------------

ORACLE_ZONES = ("Europe/London", "America/New_York", "Australia/Sydney", "America/Santiago",
                "Asia/Tokyo", "Asia/Kolkata", "Australia/Adelaide", "Asia/Kathmandu",
                "Pacific/Chatham", "Australia/Lord_Howe", "America/Nuuk", "UTC")
ORACLE_RULES = ("FREQ=DAILY", "FREQ=DAILY;INTERVAL=3", "FREQ=WEEKLY;BYDAY=MO,WE,FR",
                "FREQ=WEEKLY;INTERVAL=2;BYDAY=SA,SU", "FREQ=MONTHLY;BYDAY=-1SU",
                "FREQ=MONTHLY;BYMONTHDAY=1,15,-1", "FREQ=YEARLY;BYMONTH=3,10;BYDAY=-1SU",
                "FREQ=WEEKLY;BYDAY=SU;COUNT=40", "FREQ=DAILY;UNTIL=20270401T020000")


def _random_event(rng):
    """(front matter, rule text) for a random event with exdates and overrides on real slots."""
    from dateutil import rrule as du

    zone = rng.choice(ORACLE_ZONES)
    text = rng.choice(ORACLE_RULES)
    start = datetime(rng.choice([2020, 2025, 2026]), rng.randint(1, 12), rng.randint(1, 28),
                     rng.choice([0, 1, 2, 3, 9, 23]), rng.choice([0, 15, 30, 45]))
    slots = list(du.rrulestr(text, dtstart=start).between(datetime(2026, 12, 1),
                                                          datetime(2028, 1, 1), inc=True))[:80]
    if not slots:
        return None
    lines = [f'timezone = "{zone}"', f"start = {start.isoformat()}",
             f"duration = {rng.choice([15, 60, 150, 1500])}", f'rrule = "{text}"']
    chosen = rng.sample(slots, min(len(slots), 6))
    if rng.random() < 0.5:  # extra dates: off the rule, and one that is on it already
        extra = [slots[0] + timedelta(days=rng.randint(1, 300), minutes=rng.choice([0, 30, 75]))
                 for _ in range(rng.randint(1, 4))] + [rng.choice(slots)]
        lines.append(f"rdates = [{', '.join(e.isoformat() for e in extra)}]")
        chosen += [e for e in extra[:1] if e not in chosen]  # cancel or move one like any other
    if len(chosen) > 2:
        exdates = [c.isoformat() for c in chosen[:2]] + [chosen[2].date().isoformat()]
        lines.append(f"exdates = [{', '.join(exdates)}]")
    for original in chosen[2:]:  # chosen[2] is also cancelled by date: it must stay cancelled
        lines += ["[[overrides]]", f"original = {original.isoformat()}"]
        roll = rng.random()
        if roll < 0.5:
            moved = original + timedelta(days=rng.randint(-40, 40), minutes=rng.choice([0, 30, 90]))
            lines.append(f"start = {moved.isoformat()}")
        if roll > 0.3:
            lines.append(f"duration = {rng.choice([5, 45, 600])}")
        if roll < 0.2 or roll > 0.8:
            lines.append(f'title = "Changed {original.isoformat()}"')
    return "\n".join(lines) + "\n", text


def _oracle(event, text, window_start, window_end):
    """Occurrences by brute force: dateutil in wall-clock time from DTSTART, then zoneinfo."""
    from dateutil import rrule as du

    from generator.schedule.zones import get_zone

    zone = get_zone(event.timezone)
    moments = {e.value for e in event.exdates if isinstance(e.value, datetime)}
    days = {e.value for e in event.exdates if not isinstance(e.value, datetime)}
    overrides = {o.original: o for o in event.overrides}
    found = []
    series = du.rruleset()
    series.rrule(du.rrulestr(text, dtstart=event.start))
    for extra in event.rdates:
        series.rdate(extra.value)
    for local in series:
        if local > datetime(2028, 6, 1):
            break
        if local in moments or local.date() in days:
            continue
        override = overrides.get(local)
        begin, minutes, title, original = local, event.duration, None, None
        if override:
            begin = override.start or local
            minutes = override.duration or event.duration
            title = override.title
            original = local if begin != local else None
        utc = begin.replace(tzinfo=zone, fold=0).astimezone(UTC)
        end = utc + timedelta(minutes=minutes)
        if end > window_start and utc < window_end:
            found.append((utc, end, title, original))
    return sorted(found, key=lambda o: (o[0], o[1], o[2] or "", o[3] or datetime.min))


def test_random_events_agree_with_brute_force_oracle():
    import random

    rng = random.Random(20270314)
    checked = nonempty = with_rdates = 0
    for index in range(220):
        made = _random_event(rng)
        if made is None:
            continue
        front_matter, text = made
        event = make_event(front_matter, slug=f"random-{index}")
        window_start = datetime(2027, 1, 1, tzinfo=UTC) + timedelta(hours=rng.randint(0, 24 * 330))
        window_end = window_start + timedelta(hours=rng.choice([1, 30, 24 * 9, 24 * 40]))
        got = sorted(((o.start, o.end, o.title, o.original)
                      for o in expand_occurrences(event, window_start, window_end)),
                     key=lambda o: (o[0], o[1], o[2] or "", o[3] or datetime.min))
        expected = _oracle(event, text, window_start, window_end)
        assert got == expected, (front_matter, window_start, window_end)
        checked += 1
        nonempty += bool(expected)
        with_rdates += bool(event.rdates)
    assert checked >= 180 and nonempty >= 80 and with_rdates >= 60, (checked, nonempty, with_rdates)


# --- bounded walks -----------------------------------------------------------------------------

def test_schedule_of_sparse_count_series_with_many_overrides_walks_from_dtstart_once(monkeypatch):
    """Each override and exdate asks whether it is one of the series' starts; for a COUNT rule
    that walked every period from DTSTART again (minutes for a sparse rule from 1904). Periods
    visited are counted, not timed."""
    import calendar

    from generator.schedule import recurrence

    leap_years = [y for y in range(1904, 2999, 4) if calendar.isleap(y)]
    event = make_event(f"""
        timezone = "Europe/London"
        start = 1904-02-29T10:00:00
        rrule = "FREQ=DAILY;BYMONTH=2;BYMONTHDAY=29;COUNT=10000"
        exdates = [{", ".join(f"{y}-02-29T10:00:00" for y in leap_years[-60:-30])}]
        {"".join(f'''
        [[overrides]]
        original = {y}-02-29T10:00:00
        start = {y}-02-29T11:00:00''' for y in leap_years[-30:])}
    """)
    visited = [0]
    real = recurrence.advance_periods

    def counted(freq, start, count):
        visited[0] += 1
        return real(freq, start, count)

    monkeypatch.setattr(recurrence, "advance_periods", counted)
    recurrence.count_end.cache_clear()
    # What the per-event stage asks: the window's occurrences, then the next dates beyond it.
    assert expand_occurrences(event, z("2026-11-27T12:00"), z("2027-02-25T12:00")) == []
    upcoming = next_occurrences(event, z("2027-02-25T12:00"), 11)
    assert [o.start for o in upcoming][:2] == [z("2028-02-29T10:00"), z("2032-02-29T10:00")]
    assert visited[0] <= 366 * recurrence.COUNT_SEARCH_YEARS + 20 * 366 * 3
