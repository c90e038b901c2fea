"""Whole builds read back by ical.js (Thunderbird's parser, using only our VTIMEZONEs): every
calendar, the site's and each event's, must give exactly the occurrences of events.json, for
content covering clock changes in both hemispheres, odd offsets, skipped and repeated hours,
UNTIL/COUNT, exdates and overrides."""
from __future__ import annotations

import json
from datetime import timezone
from pathlib import Path

import pytest

from conftest import build, feed_instants, icaljs_expand, icaljs_instants, write_event

NOW = "2027-03-01T00:00:00Z"
HORIZON_DAYS = 300  # to 26 December 2027: every 2027 clock change of these zones

NORTH = {
    "london-scrum": """
        title = "London Scrum"
        category = "scrum"
        timezone = "Europe/London"
        start = 2014-03-03T10:00:00
        duration = 25
        rrule = "FREQ=WEEKLY;BYDAY=MO,TU,WE,TH"
        exdates = [2027-03-25T10:00:00, 2027-03-29, 2027-04-12]
        [[overrides]]
        original = 2027-03-30T10:00:00
        start = 2027-03-30T16:30:00
        title = "London Scrum (late start)"
        [[overrides]]
        original = 2027-04-01T10:00:00
        duration = 90
        [[overrides]]
        original = 2027-04-12T10:00:00
        start = 2027-04-13T11:00:00
        [[overrides]]
        original = 2028-01-03T10:00:00
        start = 2027-12-20T15:00:00
        title = "Pulled forward from January"
        [[overrides]]
        original = 2027-03-04T10:00:00
        start = 2028-02-01T10:00:00
    """,
    "ny-gap": """
        title = "Night owls (gap)"
        category = "meeting"
        timezone = "America/New_York"
        start = 2027-02-20T02:30:00
        duration = 30
        [repeat]
        every = "day"
    """,
    "ny-fold": """
        title = "Night owls (fold)"
        category = "meeting"
        timezone = "America/New_York"
        start = 2027-02-20T01:30:00
        duration = 20
        [repeat]
        every = "day"
    """,
    "ny-gap-cancelled": """
        title = "Night owls (gap cancelled)"
        category = "meeting"
        timezone = "America/New_York"
        start = 2027-02-20T02:40:00
        duration = 30
        exdates = [2027-03-14T02:40:00, 2027-11-07T02:40:00]
        [repeat]
        every = "day"
    """,
    "ny-fold-cancelled": """
        title = "Night owls (fold cancelled)"
        category = "meeting"
        timezone = "America/New_York"
        start = 2027-02-20T01:40:00
        duration = 20
        exdates = [2027-11-07T01:40:00, 2027-03-14]
        [repeat]
        every = "day"
    """,
    "ny-weekdays": """
        title = "Americas Scrum"
        category = "scrum"
        timezone = "America/New_York"
        start = 2016-09-05T12:00:00
        duration = 20
        [repeat]
        every = "week"
        on = ["mon", "tue", "wed", "thu", "fri"]
        [[overrides]]
        original = 2027-03-16T12:00:00
        start = 2027-03-14T02:15:00
        title = "Moved into the skipped hour"
    """,
    "ny-until-utc": """
        title = "Spring sprint"
        category = "meeting"
        timezone = "America/New_York"
        start = 2027-03-02T09:15:00
        duration = 60
        rrule = "FREQ=DAILY;UNTIL=20270315T131500Z"
    """,
    # Occurrences that span a clock change, or end in a repeated hour: the feed's end is the
    # exact duration later (RFC 5545), which ical.js gets only if the calendar says it in UTC.
    "london-overnight-span": """
        title = "Overnight deploy"
        category = "meeting"
        timezone = "Europe/London"
        start = 2027-01-03T00:45:00
        duration = 150
        rrule = "FREQ=WEEKLY;BYDAY=SU"
    """,
    "ny-ends-in-fold": """
        title = "Late shift"
        category = "meeting"
        timezone = "America/New_York"
        start = 2027-02-20T00:30:00
        duration = 90
        [repeat]
        every = "day"
    """,
    "one-off-gap": """
        title = "One-off in the skipped hour"
        category = "meeting"
        timezone = "America/New_York"
        start = 2027-03-14T02:30:00
        duration = 30
    """,
    "one-off-fold": """
        title = "One-off in the repeated hour"
        category = "meeting"
        timezone = "America/New_York"
        start = 2027-11-07T01:15:00
        duration = 30
    """,
    "one-off-span": """
        title = "One-off across the change"
        category = "meeting"
        timezone = "Europe/Berlin"
        start = 2027-03-28T01:00:00
        duration = 180
    """,
    "chicago-fortnightly": """
        title = "Client check-in"
        category = "client-meeting"
        timezone = "America/Chicago"
        start = 2026-09-11T16:00:00
        duration = 45
        [repeat]
        every = "week"
        interval = 2
        on = ["fri"]
        until = 2027-06-25
    """,
    "tokyo-monday": """
        title = "Tokyo Monday"
        category = "scrum"
        timezone = "Asia/Tokyo"
        start = 2027-03-01T00:30:00
        duration = 30
        rrule = "FREQ=WEEKLY;BYDAY=MO"
        exdates = [2027-03-08]
    """,
    "kolkata-mwf": """
        title = "Asia-Pacific Scrum"
        category = "scrum"
        timezone = "Asia/Kolkata"
        start = 2021-06-07T09:30:00
        duration = 25
        rrule = "FREQ=WEEKLY;BYDAY=MO,WE,FR"
    """,
    "kathmandu-monthly": """
        title = "Kathmandu review"
        category = "meeting"
        timezone = "Asia/Kathmandu"
        start = 2020-01-01T17:00:00
        duration = 60
        rrule = "FREQ=MONTHLY;BYDAY=MO,TU,WE,TH,FR;BYSETPOS=-1"
    """,
    "london-count": """
        title = "Workshop series"
        category = "meeting"
        timezone = "Europe/London"
        start = 2027-03-02T18:00:00
        duration = 120
        [repeat]
        every = "week"
        count = 6
    """,
    "dublin-yearly": """
        title = "Dublin anniversary"
        category = "meeting"
        timezone = "Europe/Dublin"
        start = 2015-06-30T12:00:00
        duration = 180
        [repeat]
        every = "year"
    """,
    "nuuk-weekly": """
        title = "Nuuk weekly"
        category = "meeting"
        timezone = "America/Nuuk"
        start = 2024-01-06T22:30:00
        duration = 45
        rrule = "FREQ=WEEKLY;BYDAY=SA"
    """,
    "one-off": """
        title = "Summer hackathon"
        category = "pair-programming"
        timezone = "Europe/Berlin"
        start = 2027-07-10T09:00:00
        duration = 480
    """,
}

SOUTH = {
    "sydney-sunday": """
        title = "Sydney Sunday"
        category = "pair-programming"
        timezone = "Australia/Sydney"
        start = 2025-01-05T09:00:00
        duration = 60
        rrule = "FREQ=WEEKLY;BYDAY=SU"
    """,
    "santiago-saturday-fold": """
        title = "Santiago late night (fold)"
        category = "meeting"
        timezone = "America/Santiago"
        start = 2027-02-06T23:30:00
        duration = 20
        rrule = "FREQ=WEEKLY;BYDAY=SA"
    """,
    "santiago-gap": """
        title = "Santiago midnight (gap)"
        category = "meeting"
        timezone = "America/Santiago"
        start = 2027-01-03T00:30:00
        duration = 20
        rrule = "FREQ=WEEKLY;BYDAY=SU"
    """,
    "adelaide-thursday": """
        title = "Adelaide Thursday"
        category = "scrum"
        timezone = "Australia/Adelaide"
        start = 2027-01-07T10:00:00
        duration = 30
        rrule = "FREQ=WEEKLY;BYDAY=TH"
    """,
    "chatham-monday": """
        title = "Chatham Monday"
        category = "scrum"
        timezone = "Pacific/Chatham"
        start = 2027-01-04T09:00:00
        duration = 30
        rrule = "FREQ=WEEKLY;BYDAY=MO"
    """,
    "lord-howe-fold": """
        title = "Lord Howe (fold)"
        category = "meeting"
        timezone = "Australia/Lord_Howe"
        start = 2027-03-28T01:45:00
        duration = 10
        rrule = "FREQ=DAILY;UNTIL=20270410T000000"
    """,
    "lord-howe-gap": """
        title = "Lord Howe (gap)"
        category = "meeting"
        timezone = "Australia/Lord_Howe"
        start = 2027-09-26T02:15:00
        duration = 10
        [repeat]
        every = "day"
        until = 2027-10-10
    """,
    "sao-paulo-monthly": """
        title = "Sao Paulo monthly"
        category = "meeting"
        timezone = "America/Sao_Paulo"
        start = 2015-01-15T19:00:00
        duration = 60
        rrule = "FREQ=MONTHLY;BYMONTHDAY=15,-1"
    """,
    "casablanca-weekly": """
        title = "Casablanca weekly"
        category = "meeting"
        timezone = "Africa/Casablanca"
        start = 2024-01-03T18:00:00
        duration = 60
        rrule = "FREQ=WEEKLY;BYDAY=WE"
    """,
}

# Built at a `now` just after Europe's spring change, so that an occurrence that started days
# before `now` is still running across it.
LATE_MARCH_NOW = "2027-03-30T00:00:00Z"
LATE_MARCH = {
    "week-long-retreat": """
        title = "Week-long retreat"
        category = "meeting"
        timezone = "Europe/London"
        start = 2027-01-07T12:00:00
        duration = 8640
        rrule = "FREQ=WEEKLY;BYDAY=TH"
    """,
    "daily-scrum": """
        title = "Daily scrum"
        category = "scrum"
        timezone = "Europe/London"
        start = 2027-01-04T09:00:00
        duration = 15
        [repeat]
        every = "week"
        on = ["mon", "tue", "wed", "thu", "fri"]
    """,
}

# Series whose end (local `until`, or an RRULE UNTIL) falls in an hour that a clock change
# repeats or skips. Readers disagree about the instant of such a local time (ical.js takes the
# second pass of a repeated hour, RFC 5545 and Nextup the first), so the UNTIL written in the
# calendar must keep the last occurrence for all of them, and add none after it.
UNTIL_AT_CLOCK_CHANGES = {
    "london-until-in-fold": """
        title = "London 01:30 until the repeated 01:30"
        category = "meeting"
        timezone = "Europe/London"
        start = 2027-10-20T01:30:00
        duration = 15
        [repeat]
        every = "day"
        until = 2027-10-31T01:30:00
    """,
    "london-rrule-until-in-fold": """
        title = "London 01:30, RRULE UNTIL at 01:45 local"
        category = "meeting"
        timezone = "Europe/London"
        start = 2027-10-25T01:30:00
        duration = 15
        rrule = "FREQ=DAILY;UNTIL=20271031T014500"
    """,
    "ny-until-utc-second-pass": """
        title = "New York 01:45, UNTIL in the second 01:10"
        category = "meeting"
        timezone = "America/New_York"
        start = 2027-11-01T01:45:00
        duration = 10
        rrule = "FREQ=DAILY;UNTIL=20271107T061000Z"
    """,
    "ny-weekly-until-in-fold": """
        title = "New York Sundays 01:30"
        category = "meeting"
        timezone = "America/New_York"
        start = 2027-09-05T01:30:00
        duration = 20
        rrule = "FREQ=WEEKLY;BYDAY=SU;UNTIL=20271107T013000"
    """,
    "sydney-until-in-fold": """
        title = "Sydney 02:30 until the repeated 02:30"
        category = "meeting"
        timezone = "Australia/Sydney"
        start = 2027-03-25T02:30:00
        duration = 15
        [repeat]
        every = "day"
        until = 2027-04-04T02:30:00
    """,
    "lord-howe-until-in-fold": """
        title = "Lord Howe 01:45, UNTIL in the repeated half hour"
        category = "meeting"
        timezone = "Australia/Lord_Howe"
        start = 2027-03-28T01:45:00
        duration = 10
        rrule = "FREQ=DAILY;UNTIL=20270404T015000"
    """,
    "london-until-in-gap": """
        title = "London 01:30 until the skipped 01:30"
        category = "meeting"
        timezone = "Europe/London"
        start = 2027-03-20T01:30:00
        duration = 15
        [repeat]
        every = "day"
        until = 2027-03-28T01:30:00
    """,
    "london-until-in-gap-before-the-time": """
        title = "London 01:45, UNTIL at the skipped 01:40"
        category = "meeting"
        timezone = "Europe/London"
        start = 2027-03-20T01:45:00
        duration = 15
        rrule = "FREQ=DAILY;UNTIL=20270328T014000"
    """,
    "lord-howe-until-in-gap": """
        title = "Lord Howe 02:15 until the skipped 02:15"
        category = "meeting"
        timezone = "Australia/Lord_Howe"
        start = 2027-09-26T02:15:00
        duration = 10
        [repeat]
        every = "day"
        until = 2027-10-03T02:15:00
    """,
}

SITES = {"north": NORTH, "south": SOUTH, "late-march": LATE_MARCH,
         "until-at-clock-changes": UNTIL_AT_CLOCK_CHANGES}
NOWS = {"late-march": LATE_MARCH_NOW}


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """site name -> (output directory, feed), each built once."""
    result = {}
    for name, events in SITES.items():
        root = tmp_path_factory.mktemp(name)
        content = root / "content"
        for slug, front_matter in events.items():
            write_event(content, slug, front_matter, "Test event.\n")
        output = root / "public"
        outcome = build(content, output, NOWS.get(name, NOW), horizon_days=HORIZON_DAYS)
        assert outcome.ok, [str(p) for p in outcome.problems]
        feed = json.loads((output / "events.json").read_text())
        result[name] = (output, feed)
    return result


def _feed_with_titles(feed: dict, slug: str | None = None) -> list[tuple]:
    titles = {name: entry["title"] for name, entry in feed["events"].items()}
    return sorted((o["event"], o["start"], o["end"], o.get("title") or titles[o["event"]])
                  for o in feed["occurrences"] if slug is None or o["event"] == slug)


def _icaljs_with_titles(ics: Path, feed: dict) -> list[tuple]:
    found = icaljs_expand(ics, feed["generated_at"], feed["horizon_end"])
    return sorted((o["uid"].split("@")[0], o["start"], o["end"], o["summary"]) for o in found)


@pytest.mark.parametrize("site", sorted(SITES))
def test_site_calendar_agrees_with_feed_in_icaljs(site, built):
    output, feed = built[site]
    assert {o["event"] for o in feed["occurrences"]} == set(SITES[site])  # every event shows
    found = icaljs_expand(output / "events.ics", feed["generated_at"], feed["horizon_end"])
    assert icaljs_instants(found) == sorted(feed_instants(feed))
    assert _icaljs_with_titles(output / "events.ics", feed) == _feed_with_titles(feed)


@pytest.mark.parametrize("site, slug", [(site, slug) for site in sorted(SITES)
                                        for slug in sorted(SITES[site])])
def test_event_calendar_agrees_with_feed_in_icaljs(site, slug, built):
    output, feed = built[site]
    expected = _feed_with_titles(feed, slug)
    assert expected
    assert _icaljs_with_titles(output / "events" / slug / "event.ics", feed) == expected


def _starts(feed: dict, slug: str) -> list[str]:
    return [o["start"] for o in feed["occurrences"] if o["event"] == slug]


def test_feed_holds_the_hand_worked_gap_and_fold_instants(built):
    # The agreement above would prove little if these occurrences were missing from both.
    _, north = built["north"]
    assert "2027-03-14T07:30:00Z" in _starts(north, "ny-gap")  # 02:30 skipped -> 03:30 EDT
    assert "2027-03-15T06:30:00Z" in _starts(north, "ny-gap")
    fold = [s for s in _starts(north, "ny-fold") if s.startswith("2027-11-07")]
    assert fold == ["2027-11-07T05:30:00Z"]  # the first 01:30, once
    assert "2027-03-14T07:15:00Z" in _starts(north, "ny-weekdays")  # override into the gap
    assert not [s for s in _starts(north, "ny-gap-cancelled") if s.startswith("2027-03-14")]
    assert not [s for s in _starts(north, "ny-fold-cancelled") if s.startswith("2027-11-07")]
    assert len([s for s in _starts(north, "ny-gap-cancelled") if s.startswith("2027-11")]) == 29
    assert _starts(north, "ny-until-utc")[-1] == "2027-03-15T13:15:00Z"
    assert _starts(north, "london-count")[-1] == "2027-04-06T17:00:00Z"
    assert len(_starts(north, "london-count")) == 6
    assert "2027-12-20T15:00:00Z" in _starts(north, "london-scrum")
    spans = {(o["event"], o["start"], o["end"]) for o in north["occurrences"]}
    assert {
        # 00:45 GMT + 2h30 = 03:15 UTC (04:15 BST); 00:45 BST (23:45 UTC) + 2h30 = 02:15 GMT.
        ("london-overnight-span", "2027-03-28T00:45:00Z", "2027-03-28T03:15:00Z"),
        ("london-overnight-span", "2027-10-30T23:45:00Z", "2027-10-31T02:15:00Z"),
        # 00:30 EST + 1h30 = 03:00 EDT; 00:30 EDT + 1h30 = the second 01:00 (EST).
        ("ny-ends-in-fold", "2027-03-14T05:30:00Z", "2027-03-14T07:00:00Z"),
        ("ny-ends-in-fold", "2027-11-07T04:30:00Z", "2027-11-07T06:00:00Z"),
        ("one-off-gap", "2027-03-14T07:30:00Z", "2027-03-14T08:00:00Z"),
        ("one-off-fold", "2027-11-07T05:15:00Z", "2027-11-07T05:45:00Z"),
        # 01:00 CET + 3h = 03:00 UTC = 05:00 CEST.
        ("one-off-span", "2027-03-28T00:00:00Z", "2027-03-28T03:00:00Z"),
        # Nuuk, Saturday 27 March 22:30 (-02) + 45 min: clocks jump 23:00 -> 00:00 (-01).
        ("nuuk-weekly", "2027-03-28T00:30:00Z", "2027-03-28T01:15:00Z"),
    } <= spans
    _, south = built["south"]
    # Santiago: Saturday 3 April 23:30 happens twice (24:00 -> 23:00): the first, at -03.
    assert "2027-04-04T02:30:00Z" in _starts(south, "santiago-saturday-fold")
    # Santiago: Sunday 5 September 00:30 is skipped (00:00 -> 01:00): read at -04.
    assert "2027-09-05T04:30:00Z" in _starts(south, "santiago-gap")
    # Lord Howe: 4 April 01:45 repeats (02:00 +11 -> 01:30 +10:30): first, at +11.
    assert "2027-04-03T14:45:00Z" in _starts(south, "lord-howe-fold")
    # Lord Howe: 3 October 02:15 is skipped (02:00 +10:30 -> 02:30 +11): read at +10:30.
    assert "2027-10-02T15:45:00Z" in _starts(south, "lord-howe-gap")


def test_gap_and_fold_occurrences_are_pinned_in_utc_in_the_calendar(built):
    output, _ = built["north"]
    text = (output / "events" / "ny-gap" / "event.ics").read_text()
    assert "RECURRENCE-ID;TZID=America/New_York:20270314T023000" in text
    assert "DTSTART:20270314T073000Z" in text
    text = (output / "events" / "ny-fold" / "event.ics").read_text()
    assert "RECURRENCE-ID;TZID=America/New_York:20271107T013000" in text
    assert "DTSTART:20271107T053000Z" in text


def test_occurrence_started_days_before_now_and_spanning_the_change(built):
    # Thursday 25 March 12:00 GMT for six days: until Wednesday 31 March 12:00 UTC, which is
    # 13:00 BST. It started four days before `now` and is still on, so the feed lists it.
    _, feed = built["late-march"]
    assert {"event": "week-long-retreat", "start": "2027-03-25T12:00:00Z",
            "end": "2027-03-31T12:00:00Z"} in feed["occurrences"]


# The last occurrence of each series above, worked out by hand (RFC 5545: a repeated local
# time is its first pass, a skipped one is read with the offset from before the change).
LAST_OCCURRENCES = {
    "london-until-in-fold": "2027-10-31T00:30:00Z",  # 01:30 BST, the first 01:30
    "london-rrule-until-in-fold": "2027-10-31T00:30:00Z",
    "ny-until-utc-second-pass": "2027-11-07T05:45:00Z",  # 01:45 EDT precedes 01:10 EST
    "ny-weekly-until-in-fold": "2027-11-07T05:30:00Z",  # 01:30 EDT
    "sydney-until-in-fold": "2027-04-03T15:30:00Z",  # 02:30 AEDT (+11)
    "lord-howe-until-in-fold": "2027-04-03T14:45:00Z",  # 01:45 at +11
    "london-until-in-gap": "2027-03-28T01:30:00Z",  # 01:30 read as GMT
    "london-until-in-gap-before-the-time": "2027-03-27T01:45:00Z",  # the 28th's 01:45 > 01:40
    "lord-howe-until-in-gap": "2027-10-02T15:45:00Z",  # 02:15 read at +10:30
}


@pytest.mark.parametrize("slug", sorted(LAST_OCCURRENCES))
def test_until_at_a_clock_change_keeps_the_last_occurrence_in_icaljs(slug, built):
    """ical.js dropped the last occurrence when a local UNTIL fell in a repeated hour (it reads
    that hour as its second pass, after an UNTIL written at the first), and added one when it
    fell in a skipped hour before the series' time of day."""
    output, feed = built["until-at-clock-changes"]
    assert _starts(feed, slug)[-1] == LAST_OCCURRENCES[slug]
    found = icaljs_expand(output / "events" / slug / "event.ics", feed["generated_at"],
                          "2028-06-01T00:00:00Z")
    assert [o["start"] for o in found][-1] == LAST_OCCURRENCES[slug]
    assert [o["start"] for o in found] == _starts(feed, slug)


@pytest.mark.parametrize("slug", sorted(LAST_OCCURRENCES))
def test_until_at_a_clock_change_keeps_the_last_occurrence_in_dateutil(slug, built):
    """The same calendars read by the icalendar package and expanded by python-dateutil, with
    the zone as an aware DTSTART: its instants (RECURRENCE-IDs applied) are the feed's."""
    import icalendar
    from dateutil.rrule import rrulestr

    output, feed = built["until-at-clock-changes"]
    calendar = icalendar.Calendar.from_ical((output / "events" / slug / "event.ics").read_bytes())
    events = list(calendar.walk("VEVENT"))
    master = next(e for e in events if "RECURRENCE-ID" not in e)
    moved = {e["RECURRENCE-ID"].dt.replace(tzinfo=None): e["DTSTART"].dt for e in events
             if "RECURRENCE-ID" in e}
    start = master["DTSTART"].dt
    rule = rrulestr(master["RRULE"].to_ical().decode(), dtstart=start)
    instants = []
    for local in rule:
        instant = moved.get(local.replace(tzinfo=None), local)
        instants.append(instant.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"))
    assert instants[-1] == LAST_OCCURRENCES[slug]
    assert [i for i in instants if i >= feed["generated_at"]] == _starts(feed, slug)
