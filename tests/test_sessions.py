"""Session records (content/sessions/<event>/<YYYY-MM-DD>[-HHMM].md): found safely, checked with
located messages, matched to the occurrence they name (past ones too, across clock changes,
moved ones, several a day), and cancellations joining exdates and holidays everywhere."""
from __future__ import annotations

import json
import os
import re
import socket
import textwrap
from datetime import date, datetime, time, timezone
from pathlib import Path

import pytest
from dateutil.rrule import rrulestr

from conftest import build, icaljs_expand, parse_now, write_event
from generator.build.pipeline import BuildOptions, build_site, check_content
from generator.content.load import MAX_CONTENT_FILE_BYTES
from generator.schedule.expand import cancellations, expand_occurrences
from generator.schedule.sessions import (Matched, NoOccurrence, TimeNeeded, TimeNotNeeded,
                                         match_session)
from generator.schedule.zones import get_zone

NOW = "2027-01-20T12:00:00Z"
UTC = timezone.utc

SCRUM = """
    title = "EuroAsia Scrum"
    category = "scrum"
    timezone = "Europe/London"
    start = 2014-03-03T07:00:00
    duration = 25
    rrule = "FREQ=WEEKLY;BYDAY=MO,TU,WE,TH"
    exdates = [2027-03-25T07:00:00]
    skip_holidays = "GB-ENG"
"""
PAIRING = """
    title = "Fortnightly Pair Programming"
    category = "pair-programming"
    timezone = "Europe/Berlin"
    start = 2025-01-09T18:00:00
    duration = 90
    url = "https://meet.jit.si/Pairing"

    [repeat]
    every = "week"
    interval = 2
    on = ["thu"]

    [[overrides]]
    original = 2027-02-04T18:00:00
    start = 2027-02-03T18:00:00
"""
OFFICE_HOURS = """
    title = "Office Hours"
    category = "meeting"
    timezone = "America/New_York"
    start = 2027-01-04T09:00:00
    duration = 60

    [repeat]
    every = "week"
    on = ["tue"]
    at = ["09:00", "15:30"]
"""


def write_session(content: Path, slug: str, name: str, front_matter: str = "",
                  notes: str = "") -> Path:
    path = content / "sessions" / slug / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("+++\n" + textwrap.dedent(front_matter).strip() + "\n+++\n" + notes,
                    encoding="utf-8")
    return path


@pytest.fixture
def content(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # messages name files relative to here: content/...
    content = tmp_path / "content"
    write_event(content, "euroasia-scrum", SCRUM, "The morning scrum.\n")
    write_event(content, "pairing", PAIRING)
    write_event(content, "office-hours", OFFICE_HOURS)
    return content


def problems_of(content: Path) -> list[str]:
    return [str(p) for p in check_content(content, parse_now(NOW)).problems]


def event_of(content: Path, slug: str):
    checked = check_content(content, parse_now(NOW))
    assert checked.ok, [str(p) for p in checked.problems]
    return next(e for e in checked.events if e.slug == slug)


# --- the format --------------------------------------------------------------------------------

def test_a_session_file_fills_every_field_of_its_record(content):
    write_session(content, "euroasia-scrum", "2027-01-18.md", '''
        title = "Sprint 42 planning"
        host = ["Ana Lima", "Sam Joseph"]
        recording = "https://www.youtube.com/watch?v=abc"
        reason = "Half an hour longer: planning"

        [[links]]
        title = "Slides"
        url = "https://slides.example.org/42"
    ''', "Twelve tickets picked.\n")
    write_session(content, "euroasia-scrum", "2027-01-14.md", 'host = "Sam Joseph"')
    event = event_of(content, "euroasia-scrum")
    first, second = event.sessions  # in start order
    assert (first.key, first.hosts, first.title) == ("2027-01-14", ("Sam Joseph",), None)
    assert second.key == "2027-01-18" and second.day == date(2027, 1, 18) and second.time is None
    assert second.title == "Sprint 42 planning"
    assert second.hosts == ("Ana Lima", "Sam Joseph")
    assert second.recording == "https://www.youtube.com/watch?v=abc"
    assert [(link.title, link.url) for link in second.links] == [("Slides",
                                                                  "https://slides.example.org/42")]
    assert second.notes == "Twelve tickets picked."
    assert second.reason == "Half an hour longer: planning" and not second.cancelled
    assert second.source == "content/sessions/euroasia-scrum/2027-01-18.md"
    assert second.start == datetime(2027, 1, 18, 7, 0, tzinfo=UTC)
    assert second.end == datetime(2027, 1, 18, 7, 25, tzinfo=UTC)
    assert second.moved_from is None


def test_every_problem_of_a_session_file_is_reported_in_one_run_with_line_and_field(content):
    write_session(content, "euroasia-scrum", "2027-01-18.md", '''
        titel = "Sprint 42"
        host = 42
        recording = "http://www.youtube.com/watch?v=abc"
        url = "meet.jit.si/Other"
        status = "canceled"

        [[links]]
        title = "Slides"
        adress = "https://slides.example.org/42"
    ''')
    shown = "content/sessions/euroasia-scrum/2027-01-18.md"
    found = problems_of(content)
    assert len(found) == 8, found
    for expected in (
            f'{shown}:2:9: titel: unknown field "titel"; did you mean "title"?',
            f"{shown}:3:8: host: must be a name in quotes or a list of names, not 42",
            f'{shown}:4:13: recording: "http://www.youtube.com/watch?v=abc" is not secure (http://)',
            f'{shown}:5:7: url: "meet.jit.si/Other" is not a web address',
            f'{shown}:6:10: status: must be "cancelled", not \'canceled\'; did you mean "cancelled"?',
            f"{shown}:6:10: status: needs a reason",
            f'links[0].adress: unknown field "adress"',
            f"links[0]: has no url"):
        assert any(expected in line for line in found), (expected, found)


@pytest.mark.parametrize("name,message", [
    ("18-01-2027.md", '"18-01-2027.md" is not a session file name; name it by the meeting\'s date'),
    ("2027-1-18.md", '"2027-1-18.md" is not a session file name'),
    ("2027-01-18-7am.md", '"2027-01-18-7am.md" is not a session file name'),
    ("2027-02-30.md", '"2027-02-30" in the file name is not a date; check the month and the day'),
    ("2027-01-18-2460.md", '"2460" in the file name is not a time of day; write the local start '
                           "time as four digits, 24-hour: 1400 for 2 pm"),
    ("0207-01-18.md", "the year 207 in the file name is out of range"),
])
def test_a_bad_file_name_is_an_error_that_says_how_to_name_it(content, name, message):
    write_session(content, "euroasia-scrum", name, 'host = "Sam"')
    found = problems_of(content)
    assert len(found) == 1 and found[0].startswith(
        f"content/sessions/euroasia-scrum/{name}: " + message), found


def test_https_only_for_every_address_of_a_session(content):
    write_session(content, "euroasia-scrum", "2027-01-18.md", '''
        recording = "ftp://videos.example.org/42.mp4"
        url = "http://meet.example.org/room"

        [[links]]
        title = "Slides"
        url = "javascript:alert(1)"
    ''')
    found = problems_of(content)
    assert any('recording: "ftp://videos.example.org/42.mp4" is not a web address' in p
               for p in found)
    assert any('url: "http://meet.example.org/room" is not secure (http://)' in p for p in found)
    assert any('links[0].url: "javascript:alert(1)" is not a web address' in p for p in found)


def test_misplaced_fields_say_where_their_value_goes(content):
    write_session(content, "euroasia-scrum", "2027-01-18.md", '''
        date = 2027-01-18
        notes = "We met."
        hosts = "Sam"
    ''')
    found = problems_of(content)
    assert any('date: unknown field "date"; the file\'s name is the meeting\'s date' in p
               for p in found)
    assert any('notes: unknown field "notes"; write the notes below the closing +++' in p
               for p in found)
    assert any('hosts: unknown field "hosts"; did you mean "host"?' in p for p in found)


def test_a_cancelled_session_needs_a_reason_and_has_no_recording_or_join_link(content):
    write_session(content, "euroasia-scrum", "2027-02-01.md", '''
        status = "cancelled"
        recording = "https://vimeo.com/1"
        url = "https://meet.jit.si/Other"
    ''')
    found = problems_of(content)
    assert any("status: needs a reason" in p for p in found)
    assert any("recording: a cancelled session has no recording" in p for p in found)
    assert any("url: a cancelled session has no join link" in p for p in found)


def test_postponed_is_not_a_status_of_one_meeting(content):
    write_session(content, "euroasia-scrum", "2027-02-01.md",
                  'status = "postponed"\nreason = "Later"')
    assert any('status: a single meeting is cancelled or moved, not postponed' in p
               for p in problems_of(content))


def test_links_must_be_tables(content):
    write_session(content, "euroasia-scrum", "2027-01-18.md",
                  'links = ["https://slides.example.org/42"]')
    assert any("links: must be [[links]] tables, not a list; write each link as a table" in p
               for p in problems_of(content))


def test_notes_with_control_characters_are_located(content):
    write_session(content, "euroasia-scrum", "2027-01-18.md", 'host = "Sam"',
                  "Ring the bell \x07 to start.\n")
    found = problems_of(content)
    assert found == ["content/sessions/euroasia-scrum/2027-01-18.md:4:15: notes: the notes "
                     "hold a control character (U+0007 BEL); delete it: it is invisible in "
                     "most editors (tabs and line breaks are fine)"], found


def test_a_session_of_a_broken_event_is_still_checked(content):
    write_event(content, "broken", 'title = "Broken"\ncategory = "scrum"')
    write_session(content, "broken", "2027-01-18.md", 'hots = "Sam"')
    found = problems_of(content)
    assert any(p.startswith('content/sessions/broken/2027-01-18.md:2:8: hots: unknown field')
               for p in found), found


# --- finding the files safely ----------------------------------------------------------------

def test_a_folder_named_after_no_event_is_an_error_with_the_nearest_name(content):
    write_session(content, "euroasia-scrun", "2027-01-18.md", 'host = "Sam"')
    assert problems_of(content) == [
        'content/sessions/euroasia-scrun: no event is called "euroasia-scrun": a session folder '
        "is named like its event's file in events/; did you mean \"euroasia-scrum\"? rename the "
        "folder"]


def test_a_session_of_a_draft_event_is_no_stranger(content):
    write_event(content, "draft-event", SCRUM.replace('"EuroAsia Scrum"', '"Draft"')
                + "\n    draft = true")
    write_session(content, "draft-event", "2027-01-18.md", 'host = "Sam"')
    assert problems_of(content) == []


def test_stray_files_in_sessions_are_warnings(content):
    (content / "sessions" / "euroasia-scrum" / "old").mkdir(parents=True)
    (content / "sessions" / "euroasia-scrum" / "notes.txt").write_text("x")
    (content / "sessions" / "README.md").write_text("x")
    found = problems_of(content)
    assert sorted(found) == sorted([
        "content/sessions/README.md: warning: not a session folder: sessions/ holds one folder "
        "per event; move it into sessions/<event>/, named by the date of the meeting, like "
        "sessions/<event>/2027-01-05.md",
        "content/sessions/euroasia-scrum/notes.txt: warning: not a session file: session files "
        'end in .md; rename it to "notes.md", or move it out of sessions/euroasia-scrum/',
        "content/sessions/euroasia-scrum/old: warning: is a folder: a session folder holds only "
        ".md files, and folders in it are not read; move the session files in it up into "
        "sessions/euroasia-scrum/"])


def test_hostile_session_files_are_refused_without_being_opened(content, tmp_path):
    folder = content / "sessions" / "euroasia-scrum"
    folder.mkdir(parents=True)
    secret = tmp_path / "secret.md"
    secret.write_text("+++\nhost = \"Sam\"\n+++\nprivate\n")
    os.symlink(secret, folder / "2027-01-18.md")
    os.symlink("/dev/zero", folder / "2027-01-14.md")
    os.mkfifo(folder / "2027-01-13.md")
    with open(folder / "2027-01-12.md", "wb") as out:
        out.truncate(MAX_CONTENT_FILE_BYTES + 1)
    listening = socket.socket(socket.AF_UNIX)
    listening.bind("content/sessions/euroasia-scrum/2027-01-11.md")  # relative: AF_UNIX is short
    found = problems_of(content)
    listening.close()
    text = "\n".join(found)
    assert "content/sessions/euroasia-scrum/2027-01-18.md: leads outside the content folder" in text
    assert "content/sessions/euroasia-scrum/2027-01-14.md: leads outside the content folder" in text
    assert ("content/sessions/euroasia-scrum/2027-01-13.md: is a named pipe (FIFO), not an "
            "ordinary file") in text
    assert "content/sessions/euroasia-scrum/2027-01-12.md: the file is 1 MiB, more than" in text
    assert "content/sessions/euroasia-scrum/2027-01-11.md: is a socket, not an ordinary file" in text
    assert len(found) == 5, found


def test_a_session_folder_that_is_a_link_is_refused(content, tmp_path):
    (content / "sessions").mkdir()
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    os.symlink(elsewhere, content / "sessions" / "euroasia-scrum")
    os.symlink(content / "events", content / "sessions" / "pairing")
    found = problems_of(content)
    assert any(p.startswith("content/sessions/euroasia-scrum: leads outside the content folder")
               for p in found), found
    assert any(p.startswith("content/sessions/pairing: is a link to a folder") for p in found)


def test_sessions_that_is_a_link_out_of_content_is_refused(content, tmp_path):
    elsewhere = tmp_path / "elsewhere"
    write_session(elsewhere, "euroasia-scrum", "2027-01-18.md", 'host = "Sam"')
    os.symlink(elsewhere / "sessions", content / "sessions")
    found = problems_of(content)
    assert len(found) == 1 and found[0].startswith(
        "content/sessions: leads outside the content folder"), found


def test_a_link_to_a_session_file_inside_content_is_read_like_a_copy(content):
    write_session(content, "euroasia-scrum", "2027-01-18.md", 'host = "Sam"')
    os.symlink("2027-01-18.md", content / "sessions" / "euroasia-scrum" / "2027-01-19.md")
    event = event_of(content, "euroasia-scrum")
    assert [s.key for s in event.sessions] == ["2027-01-18", "2027-01-19"]


# --- matching ----------------------------------------------------------------------------------

def test_a_session_years_back_matches_its_occurrence(content):
    write_session(content, "euroasia-scrum", "2014-03-04.md", 'title = "The second scrum ever"')
    (session,) = event_of(content, "euroasia-scrum").sessions
    assert session.start == datetime(2014, 3, 4, 7, 0, tzinfo=UTC)


def test_a_session_stays_at_the_local_time_across_the_clock_change(content):
    write_session(content, "euroasia-scrum", "2027-03-24.md", 'host = "Sam"')  # GMT
    write_session(content, "euroasia-scrum", "2027-03-30.md", 'host = "Sam"')  # BST
    before, after = event_of(content, "euroasia-scrum").sessions
    assert before.start == datetime(2027, 3, 24, 7, 0, tzinfo=UTC)
    assert after.start == datetime(2027, 3, 30, 6, 0, tzinfo=UTC)


def test_a_session_on_a_day_without_a_meeting_names_the_nearest_dates(content):
    write_session(content, "euroasia-scrum", "2027-01-16.md", 'host = "Sam"')  # a Saturday
    assert problems_of(content) == [
        "content/sessions/euroasia-scrum/2027-01-16.md: EuroAsia Scrum has no meeting on "
        "Saturday 16 January 2027; the nearest are Thursday 14 January 2027 at 07:00 and "
        "Monday 18 January 2027 at 07:00: rename the file 2027-01-14.md or 2027-01-18.md"]


def test_a_session_before_the_series_names_its_first_meeting(content):
    write_session(content, "euroasia-scrum", "2014-02-27.md", 'host = "Sam"')
    assert problems_of(content) == [
        "content/sessions/euroasia-scrum/2014-02-27.md: EuroAsia Scrum has no meeting on "
        "Thursday 27 February 2014; the nearest is Monday 3 March 2014 at 07:00: rename the "
        "file 2014-03-03.md"]


def test_a_session_of_a_moved_meeting_is_named_by_its_scheduled_date(content):
    write_session(content, "pairing", "2027-02-04.md",
                  'url = "https://meet.jit.si/PairingWednesday"')
    (session,) = event_of(content, "pairing").sessions
    assert session.start == datetime(2027, 2, 3, 17, 0, tzinfo=UTC)
    assert session.end == datetime(2027, 2, 3, 18, 30, tzinfo=UTC)
    assert session.moved_from == datetime(2027, 2, 4, 17, 0, tzinfo=UTC)
    assert session.url == "https://meet.jit.si/PairingWednesday"


def test_a_session_named_by_the_day_a_meeting_was_moved_to_says_which_name_it_takes(content):
    write_session(content, "pairing", "2027-02-03.md", 'host = "Jonas"')
    assert problems_of(content) == [
        "content/sessions/pairing/2027-02-03.md: Fortnightly Pair Programming has no meeting "
        "scheduled on Wednesday 3 February 2027; an override moves the meeting of Thursday 4 "
        "February 2027 at 18:00 to this day, and a session is named by the date the series "
        "gives it: rename the file 2027-02-04.md"]


def test_several_meetings_a_day_need_the_time_in_the_name(content):
    write_session(content, "office-hours", "2027-01-05.md", 'host = "Sam"')
    assert problems_of(content) == [
        "content/sessions/office-hours/2027-01-05.md: Office Hours meets 2 times on Tuesday 5 "
        "January 2027: the file name must say which meeting; rename the file "
        "2027-01-05-0900.md or 2027-01-05-1530.md"]


def test_the_time_in_the_name_picks_the_meeting(content):
    write_session(content, "office-hours", "2027-01-05-1530.md", 'host = "Sam"')
    write_session(content, "office-hours", "2027-01-05-0900.md", 'host = "Ana"')
    morning, afternoon = event_of(content, "office-hours").sessions
    assert (morning.key, morning.hosts) == ("2027-01-05-0900", ("Ana",))
    assert morning.start == datetime(2027, 1, 5, 14, 0, tzinfo=UTC)
    assert afternoon.start == datetime(2027, 1, 5, 20, 30, tzinfo=UTC)
    assert afternoon.time == time(15, 30)


def test_a_time_the_series_does_not_meet_at_lists_the_times_it_does(content):
    write_session(content, "office-hours", "2027-01-05-1000.md", 'host = "Sam"')
    assert problems_of(content) == [
        "content/sessions/office-hours/2027-01-05-1000.md: Office Hours does not meet at 10:00 "
        "on Tuesday 5 January 2027; that day it meets at 09:00 and 15:30: rename the file "
        "2027-01-05-0900.md or 2027-01-05-1530.md"]


def test_a_time_in_the_name_of_a_single_meeting_is_an_error(content):
    write_session(content, "euroasia-scrum", "2027-01-18-0700.md", 'host = "Sam"')
    assert problems_of(content) == [
        "content/sessions/euroasia-scrum/2027-01-18-0700.md: EuroAsia Scrum meets once on "
        "Monday 18 January 2027, at 07:00: the file name takes no time; rename the file "
        "2027-01-18.md"]


def test_the_nearest_dates_carry_a_time_when_their_day_has_several_meetings(content):
    write_session(content, "office-hours", "2027-01-06.md", 'host = "Sam"')
    assert problems_of(content) == [
        "content/sessions/office-hours/2027-01-06.md: Office Hours has no meeting on Wednesday "
        "6 January 2027; the nearest are Tuesday 5 January 2027 at 15:30 and Tuesday 12 "
        "January 2027 at 09:00: rename the file 2027-01-05-1530.md or 2027-01-12-0900.md"]


def test_a_session_of_a_meeting_exdates_cancel_must_say_it_is_cancelled(content):
    write_session(content, "euroasia-scrum", "2027-03-25.md", 'host = "Sam"')
    assert problems_of(content) == [
        "content/sessions/euroasia-scrum/2027-03-25.md: the meeting of Thursday 25 March 2027 "
        "at 07:00 is cancelled by exdates in content/events/euroasia-scrum.md; to say why, add "
        'status = "cancelled" and a reason here; if it takes place, remove it from exdates']


def test_a_session_of_a_meeting_a_holiday_cancels_is_an_error(content):
    write_session(content, "euroasia-scrum", "2027-03-29.md", 'host = "Sam"')
    assert problems_of(content) == [
        "content/sessions/euroasia-scrum/2027-03-29.md: the meeting of Monday 29 March 2027 at "
        "07:00 does not take place: it is Easter Monday, a holiday skip_holidays skips; delete "
        "this file; or, if it takes place, add [[overrides]] with original = "
        "2027-03-29T07:00:00 to content/events/euroasia-scrum.md"]


def test_cancelling_a_one_off_event_belongs_in_its_own_file(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    content = tmp_path / "content"
    write_event(content, "talk", 'title = "Talk"\ncategory = "meeting"\ntimezone = "UTC"\n'
                "start = 2027-02-01T18:00:00\nduration = 60")
    write_session(content, "talk", "2027-02-01.md", 'status = "cancelled"\nreason = "Ill"')
    assert problems_of(content) == [
        'content/sessions/talk/2027-02-01.md:2:10: status: cancels the only meeting of a '
        'one-off event; write status = "cancelled" and the reason in content/events/talk.md '
        "instead"]


# --- matching, against an independent implementation -------------------------------------------

@pytest.mark.parametrize("rule,start,zone", [
    ("FREQ=WEEKLY;BYDAY=MO,TU,WE,TH", "20140303T070000", "Europe/London"),
    ("FREQ=MONTHLY;BYDAY=2TU", "20230110T180000", "America/New_York"),
    ("FREQ=WEEKLY;INTERVAL=2;BYDAY=TH", "20250109T180000", "Europe/Berlin"),
    ("FREQ=MONTHLY;BYDAY=-1FR", "20200131T013000", "Australia/Sydney"),
    ("FREQ=DAILY;BYHOUR=9,15;BYMINUTE=0", "20260301T090000", "America/Sao_Paulo"),
])
def test_every_occurrence_dateutil_gives_is_matched_at_the_same_instant(rule, start, zone):
    from generator.content.rules import build_rule, parse_rrule
    from generator.model import Event

    first = datetime.strptime(start, "%Y%m%dT%H%M%S")
    fields, errors = parse_rrule(rule)
    assert not errors
    event = Event(slug="e", title="E", category="scrum", timezone=zone, start=first,
                  duration=30, rule=build_rule(fields, first, None))
    reference = rrulestr(rule, dtstart=first)
    starts = reference.between(datetime(2026, 1, 1), datetime(2027, 6, 1), inc=True)
    per_day: dict[date, list[datetime]] = {}
    for local in starts:
        per_day.setdefault(local.date(), []).append(local)
    assert starts
    for day, locals_ in per_day.items():
        for local in locals_:
            found = match_session(event, day, local.time() if len(locals_) > 1 else None)
            assert isinstance(found, Matched), (day, found)
            expected = local.replace(tzinfo=get_zone(zone)).astimezone(UTC)
            assert found.start == expected and found.local == local
    # And every other day of the period matches nothing.
    day = date(2026, 1, 1)
    while day < date(2026, 3, 1):
        if day not in per_day:
            assert isinstance(match_session(event, day, None), NoOccurrence), day
        day = date.fromordinal(day.toordinal() + 1)


def test_match_results_are_values():
    from generator.content.rules import build_rule, parse_rrule
    from generator.model import Event

    first = datetime(2027, 1, 4, 9, 0)
    fields, _ = parse_rrule("FREQ=WEEKLY;BYDAY=MO;BYHOUR=9,15;BYMINUTE=0")
    event = Event(slug="e", title="E", category="scrum", timezone="UTC", start=first,
                  duration=30, rule=build_rule(fields, first, None))
    assert match_session(event, date(2027, 1, 4), None) == TimeNeeded((time(9), time(15)))
    assert isinstance(match_session(event, date(2027, 1, 4), time(9)), Matched)
    single = Event(slug="s", title="S", category="scrum", timezone="UTC", start=first,
                   duration=30, rule=None)
    assert match_session(single, date(2027, 1, 4), time(9)) == TimeNotNeeded(first)


# --- cancellation --------------------------------------------------------------------------------

def _cancelled_scrum(content: Path) -> Path:
    return write_session(content, "euroasia-scrum", "2027-02-01.md",
                         'status = "cancelled"\nreason = "Most of us are at FOSDEM."')


def test_a_cancelled_session_joins_the_cancellations_with_its_reason(content):
    _cancelled_scrum(content)
    event = event_of(content, "euroasia-scrum")
    window = (datetime(2027, 1, 31, tzinfo=UTC), datetime(2027, 2, 3, tzinfo=UTC))
    assert [(c.start, c.reason, c.cause) for c in cancellations(event, *window)] == [
        (datetime(2027, 2, 1, 7, 0, tzinfo=UTC), "Most of us are at FOSDEM.", "session")]
    starts = [o.start for o in expand_occurrences(event, *window)]
    assert datetime(2027, 2, 1, 7, 0, tzinfo=UTC) not in starts
    assert datetime(2027, 2, 2, 7, 0, tzinfo=UTC) in starts


def test_a_cancelled_session_gives_an_exdate_its_reason(content):
    write_session(content, "euroasia-scrum", "2027-03-25.md",
                  'status = "cancelled"\nreason = "Maundy Thursday: the office is closed"')
    event = event_of(content, "euroasia-scrum")
    window = (datetime(2027, 3, 25, tzinfo=UTC), datetime(2027, 3, 26, tzinfo=UTC))
    assert [(c.reason, c.cause) for c in cancellations(event, *window)] == [
        ("Maundy Thursday: the office is closed", "session")]


def test_a_cancelled_moved_meeting_leaves_both_days_empty(content):
    write_session(content, "pairing", "2027-02-04.md", 'status = "cancelled"\nreason = "Ill"')
    event = event_of(content, "pairing")
    window = (datetime(2027, 2, 1, tzinfo=UTC), datetime(2027, 2, 10, tzinfo=UTC))
    assert expand_occurrences(event, *window) == []
    assert [(c.start, c.reason) for c in cancellations(event, *window)] == [
        (datetime(2027, 2, 4, 17, 0, tzinfo=UTC), "Ill")]


def test_a_cancelled_session_reaches_the_feed_the_calendars_the_lists_and_the_page(
        content, tmp_path):
    _cancelled_scrum(content)
    output = tmp_path / "public"
    result = build(content, output, NOW)
    assert result.ok, [str(p) for p in result.problems]
    feed = json.loads((output / "events.json").read_text())
    assert {"start": "2027-02-01T07:00:00Z", "end": "2027-02-01T07:25:00Z",
            "reason": "Most of us are at FOSDEM."} in feed["events"]["euroasia-scrum"]["cancelled"]
    assert not [o for o in feed["occurrences"] if o["event"] == "euroasia-scrum"
                and o["start"] == "2027-02-01T07:00:00Z"]
    ics = (output / "events" / "euroasia-scrum" / "event.ics").read_bytes().decode()
    exdates = "".join(line for line in ics.replace("\r\n ", "").split("\r\n")
                      if line.startswith("EXDATE"))
    assert "20270201T070000" in exdates
    seen = {o["start"] for o in icaljs_expand(output / "events" / "euroasia-scrum" / "event.ics",
                                              "2027-01-31T00:00:00Z", "2027-02-03T00:00:00Z")}
    assert seen == {"2027-02-02T07:00:00Z"}
    page = (output / "events" / "euroasia-scrum" / "index.html").read_text()
    assert "Monday 1 February 2027 at 07:00 (Most of us are at FOSDEM)" in page
    assert '"exceptDate":[' in page and '"2027-02-01T07:00:00"' in page  # JSON-LD
    month = (output / "calendar" / "2027-02" / "index.html").read_text()
    assert re.search(r'<li class="cal-item[^"]* is-cancelled"[^>]*><a href="/events/'
                     r'euroasia-scrum/"><time datetime="2027-02-01T07:00:00Z">', month)
    for listing in ("events/index.html", "categories/scrum/index.html", "index.html"):
        assert 'datetime="2027-02-01T07:00:00Z"' not in (output / listing).read_text(), listing
    assert 'datetime="2027-02-02T07:00:00Z"' in (output / "events" / "index.html").read_text()


def test_check_reports_session_problems_exactly_as_build_does(content, tmp_path):
    write_session(content, "euroasia-scrum", "2027-01-16.md", 'host = "Sam"')
    write_session(content, "euroasia-scrun", "2027-01-18.md", 'host = "Sam"')
    write_session(content, "office-hours", "2027-01-05.md", 'hots = "Sam"')
    checked = check_content(content, parse_now(NOW))
    built = build(content, tmp_path / "public", NOW)
    assert [str(p) for p in built.problems] == [str(p) for p in checked.problems]
    assert len(checked.problems) == 3 and not built.ok
    assert not (tmp_path / "public").exists()


# --- the cache ---------------------------------------------------------------------------------

def _build_cached(content: Path, output: Path, now: str = NOW):
    result = build_site(BuildOptions(content, output, parse_now(now), use_cache=True))
    assert result.ok, [str(p) for p in result.problems]
    return result


def _clean(content: Path, output: Path) -> dict[str, bytes]:
    result = build_site(BuildOptions(content, output, parse_now(NOW), use_cache=False))
    assert result.ok
    return {p.relative_to(output).as_posix(): p.read_bytes()
            for p in sorted(output.rglob("*")) if p.is_file()}


def _tree(output: Path) -> dict[str, bytes]:
    return {p.relative_to(output).as_posix(): p.read_bytes()
            for p in sorted(output.rglob("*")) if p.is_file()}


@pytest.mark.parametrize("edit", ["add", "change", "delete", "rename"])
def test_changing_a_session_file_invalidates_its_events_cached_work(content, tmp_path, edit):
    output = tmp_path / "public"
    session = write_session(content, "euroasia-scrum", "2027-02-01.md",
                            'status = "cancelled"\nreason = "FOSDEM"')
    if edit == "add":
        session.unlink()
    _build_cached(content, output)
    pairing_page = (output / "events" / "pairing" / "index.html").stat().st_mtime_ns
    if edit == "add":
        _cancelled_scrum(content)
    elif edit == "change":
        session.write_text('+++\nstatus = "cancelled"\nreason = "Snow"\n+++\n')
    elif edit == "delete":
        session.unlink()
    else:
        session.rename(session.with_name("2027-02-02.md"))
    _build_cached(content, output)
    assert _tree(output) == _clean(content, tmp_path / f"clean-{edit}")
    ics = (output / "events" / "euroasia-scrum" / "event.ics").read_text()
    assert ("20270201T070000" in ics) == (edit in ("add", "change"))
    # Other events' work is reused: their pages are not even rewritten.
    assert (output / "events" / "pairing" / "index.html").stat().st_mtime_ns == pairing_page


def test_a_new_session_with_an_error_fails_a_cached_build_too(content, tmp_path):
    output = tmp_path / "public"
    _build_cached(content, output)
    write_session(content, "euroasia-scrum", "2027-01-16.md", 'host = "Sam"')
    result = build_site(BuildOptions(content, output, parse_now(NOW), use_cache=True))
    assert not result.ok
    assert "has no meeting on Saturday 16 January 2027" in str(result.problems[0])


# --- new session, check --explain ---------------------------------------------------------------

def _cli(tmp_path: Path, *args: str):
    from conftest import run_cli

    return run_cli(*args, cwd=tmp_path)


def test_new_session_writes_the_next_meeting_and_the_file_passes_check(content, tmp_path):
    made = _cli(tmp_path, "new", "session", "euroasia-scrum", "--content", "content", "--now", NOW)
    assert made.returncode == 0, made.stderr
    path = content / "sessions" / "euroasia-scrum" / "2027-01-21.md"  # Thursday, after noon Wed
    assert made.stdout.startswith(f"Wrote content/sessions/euroasia-scrum/2027-01-21.md.")
    text = path.read_text()
    assert "# EuroAsia Scrum, Thursday 21 January 2027 at 07:00 (Europe/London):" in text
    checked = check_content(content, parse_now(NOW))
    assert checked.ok and not checked.problems, [str(p) for p in checked.problems]
    # Every commented field, switched on, passes too (the join link, not with status).
    lines = [line[2:] if line.startswith("# ") and " = " in line and "status" not in line
             else line for line in text.splitlines()]
    lines = [line if not line.startswith("# [[links]]") else "[[links]]" for line in lines]
    path.write_text("\n".join(lines) + "\n")
    checked = check_content(content, parse_now(NOW))
    assert checked.ok, [str(p) for p in checked.problems]
    (session,) = next(e for e in checked.events if e.slug == "euroasia-scrum").sessions
    assert session.title and session.hosts and session.recording and session.url and session.links


def test_new_session_of_several_meetings_a_day_names_the_time(content, tmp_path):
    made = _cli(tmp_path, "new", "session", "office-hours", "--content", "content",
                "--now", "2027-01-05T15:00:00Z")  # 10:00 in New York: the 15:30 is next
    assert made.returncode == 0, made.stderr
    assert (content / "sessions" / "office-hours" / "2027-01-05-1530.md").exists()


def test_new_session_of_a_moved_meeting_keeps_its_scheduled_date(content, tmp_path):
    made = _cli(tmp_path, "new", "session", "pairing", "--content", "content",
                "--now", "2027-01-25T00:00:00Z")
    assert made.returncode == 0, made.stderr
    text = (content / "sessions" / "pairing" / "2027-02-04.md").read_text()
    assert "# An override moves it to Wednesday 3 February 2027 at 18:00" in text
    assert check_content(content, parse_now(NOW)).ok


def test_new_session_of_an_exdate_writes_a_cancelled_record_that_passes(content, tmp_path):
    made = _cli(tmp_path, "new", "session", "euroasia-scrum", "2027-03-25", "--content",
                "content")
    assert made.returncode == 0, made.stderr
    checked = check_content(content, parse_now(NOW))
    assert checked.ok and not checked.problems
    (session,) = next(e for e in checked.events if e.slug == "euroasia-scrum").sessions
    assert session.cancelled


def test_new_session_refuses_a_date_without_a_meeting_with_the_nearest_dates(content, tmp_path):
    made = _cli(tmp_path, "new", "session", "euroasia-scrum", "2027-01-16", "--content",
                "content")
    assert made.returncode == 1
    assert made.stderr == (
        "content/sessions/euroasia-scrum/2027-01-16.md: EuroAsia Scrum has no meeting on "
        "Saturday 16 January 2027; the nearest are Thursday 14 January 2027 at 07:00 and "
        "Monday 18 January 2027 at 07:00: give the date: new session euroasia-scrum "
        "2027-01-14 or 2027-01-18\n")
    assert not (content / "sessions").exists()


def test_new_session_refuses_an_existing_file_an_unknown_event_and_a_bad_date(content, tmp_path):
    path = write_session(content, "euroasia-scrum", "2027-01-18.md", 'host = "Sam"')
    before = path.read_text()
    again = _cli(tmp_path, "new", "session", "euroasia-scrum", "2027-01-18", "--content", "content")
    assert again.returncode == 2 and again.stderr == (
        "error: content/sessions/euroasia-scrum/2027-01-18.md already exists; edit it, or give "
        "another date\n")
    assert path.read_text() == before
    unknown = _cli(tmp_path, "new", "session", "euroasia-scrm", "--content", "content")
    assert unknown.returncode == 2 and unknown.stderr == (
        'error: no event is called "euroasia-scrm" in content/events/; did you mean '
        '"euroasia-scrum"?\n')
    bad = _cli(tmp_path, "new", "session", "euroasia-scrum", "18/01/2027", "--content", "content")
    assert bad.returncode == 2 and '"18/01/2027" is not a date like 2027-01-18' in bad.stderr
    holiday = _cli(tmp_path, "new", "session", "euroasia-scrum", "2027-03-29", "--content",
                   "content")
    assert holiday.returncode == 1 and "it is Easter Monday" in holiday.stderr
    several = _cli(tmp_path, "new", "Weekly", "Scrum", "--content", "content")
    assert several.returncode == 2 and 'put it in quotes: new "Weekly Scrum"' in several.stderr


def test_check_explain_shows_the_sessions(content, tmp_path):
    write_session(content, "euroasia-scrum", "2027-01-14.md", '''
        title = "Sprint 41 review"
        host = "Sam Joseph"
        recording = "https://www.youtube.com/watch?v=abc"
    ''', "Notes.\n")
    _cancelled_scrum(content)
    write_session(content, "pairing", "2027-02-04.md", 'url = "https://meet.jit.si/Other"\n'
                  'reason = "A day early"')
    explained = _cli(tmp_path, "check", "--content", "content", "--now", NOW, "--explain",
                     "euroasia-scrum", "pairing")
    assert explained.returncode == 0, explained.stderr
    lines = explained.stdout.splitlines()
    index = lines.index("  Sessions (2, content/sessions/euroasia-scrum/):")
    assert lines[index + 1:index + 3] == [
        '    Thu 14 Jan 2027 07:00 GMT    2027-01-14: "Sprint 41 review", host Sam Joseph, '
        "recording https://www.youtube.com/watch?v=abc, notes",
        "    Mon 1 Feb 2027 07:00 GMT     2027-02-01: cancelled: Most of us are at FOSDEM."]
    assert ("    Wed 3 Feb 2027 18:00 CET     2027-02-04: join https://meet.jit.si/Other, note: "
            "A day early, moved from Thu 4 Feb 18:00") in lines


# --- the editors' guide's session files ---------------------------------------------------------

def test_every_session_file_in_the_guide_passes_check_in_the_sample(tmp_path, monkeypatch):
    """A ```markdown block of the guide's Sessions section, after a line naming
    `content/sessions/...md`:, is that file: written into a copy of the sample, it must pass."""
    import re
    import shutil

    from conftest import ROOT, SAMPLE_CONTENT

    guide = (ROOT / "docs" / "editing.md").read_text(encoding="utf-8")
    section = guide.split("\n## Sessions: what happened at each meeting\n", 1)[1].split("\n## ", 1)[0]
    blocks = re.findall(r"`(content/sessions/[^`]+\.md)`:\n\n```markdown\n(.*?)\n```", section,
                        re.S)
    assert len(blocks) >= 3
    monkeypatch.chdir(tmp_path)
    content = tmp_path / "content"
    shutil.copytree(SAMPLE_CONTENT, content)
    shutil.rmtree(content / "sessions")
    for path, text in blocks:
        (tmp_path / path).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / path).write_text(text + "\n", encoding="utf-8")
    checked = check_content(content, parse_now(NOW))
    assert checked.ok and not checked.problems, [str(p) for p in checked.problems]
    sessions = [s for e in checked.events for s in e.sessions]
    assert len(sessions) == len(blocks)
    assert any(s.cancelled and s.reason for s in sessions)
    assert any(s.recording and s.links for s in sessions)
    assert any(s.moved_from and s.url for s in sessions)


def test_the_sample_sessions_are_the_ones_the_guide_shows(tmp_path):
    """The guide quotes three of the sample's session files: they must say the same."""
    import re

    from conftest import ROOT, SAMPLE_CONTENT

    guide = (ROOT / "docs" / "editing.md").read_text(encoding="utf-8")
    for path, text in re.findall(r"`content/(sessions/[^`]+\.md)`:\n\n```markdown\n(.*?)\n```",
                                 guide, re.S):
        sample = (SAMPLE_CONTENT / path).read_text(encoding="utf-8")
        settings = re.compile(r"\A\+\+\+\n(.*?)\n\+\+\+", re.S)
        assert settings.match(text)[1] == settings.match(sample)[1], path


def test_matching_a_record_looks_at_its_own_day_only(content, monkeypatch):
    """A record of 2014 costs what tomorrow's does: the series is asked about that day (and
    that meeting), never walked from its start."""
    from generator.schedule import expand

    event = event_of(content, "office-hours")
    asked = []
    real = expand.iter_starts

    def recording(rule, start, after, until):
        asked.append((after, until))
        return real(rule, start, after, until)

    monkeypatch.setattr(expand, "iter_starts", recording)
    for day, at in ((date(2027, 1, 5), time(9)), (date(2030, 6, 4), time(15, 30))):
        asked.clear()
        assert isinstance(match_session(event, day, at), Matched)
        assert asked and all(after.date() == day and until.date() == day
                             for after, until in asked), asked


def test_every_sample_session_is_at_an_occurrence_expansion_gives(tmp_path):
    """Matching and expansion agree: each of the sample's sessions starts and ends where its
    occurrence does (a cancelled one where the cancellation is)."""
    from datetime import timedelta

    from conftest import SAMPLE_CONTENT

    checked = check_content(SAMPLE_CONTENT, parse_now(NOW))
    assert checked.ok
    sessions = [(e, s) for e in checked.events for s in e.sessions]
    assert len(sessions) >= 8
    assert {s.recording.split("/")[2] for _, s in sessions if s.recording} >= {
        "www.youtube.com", "vimeo.com", "peertube.example.org"}
    assert any(s.cancelled and s.start > parse_now(NOW) for _, s in sessions)
    assert any(s.moved_from and s.url for _, s in sessions)
    for event, session in sessions:
        around = (session.start - timedelta(days=1), session.end + timedelta(days=1))
        if session.cancelled:
            found = [(c.start, c.end) for c in cancellations(event, *around)]
        else:
            found = [(o.start, o.end) for o in expand_occurrences(event, *around)]
        assert (session.start, session.end) in found, session.source


def _write(content: Path, slug: str, front_matter: str) -> None:
    write_event(content, slug, front_matter)


def test_a_session_of_an_all_day_event_an_extra_date_and_a_skipped_hour(content):
    _write(content, "open-day", 'title = "Open Day"\ncategory = "meeting"\n'
           'timezone = "Europe/Berlin"\ndate = 2027-03-27\ndays = 2\n\n[repeat]\n'
           'every = "year"')
    _write(content, "night-shift", 'title = "Night Shift"\ncategory = "meeting"\n'
           'timezone = "Europe/London"\nstart = 2027-03-27T01:30:00\nduration = 60\n'
           'rrule = "FREQ=DAILY;COUNT=3"\nrdates = [2027-04-10T12:00:00]')
    write_session(content, "open-day", "2027-03-27.md", 'host = "Ana"')
    write_session(content, "night-shift", "2027-03-28.md", 'host = "Sam"')  # 01:30 is skipped
    write_session(content, "night-shift", "2027-04-10.md", 'host = "Sam"')  # the extra date
    checked = check_content(content, parse_now(NOW))
    assert checked.ok, [str(p) for p in checked.problems]
    events = {e.slug: e for e in checked.events}
    (open_day,) = events["open-day"].sessions
    assert open_day.start == datetime(2027, 3, 26, 23, 0, tzinfo=UTC)  # midnight CET
    assert open_day.end == datetime(2027, 3, 28, 22, 0, tzinfo=UTC)  # two days on, CEST: 47 h
    skipped, extra = events["night-shift"].sessions
    occurrences = expand_occurrences(events["night-shift"], datetime(2027, 3, 27, tzinfo=UTC),
                                     datetime(2027, 4, 11, tzinfo=UTC))
    assert (skipped.start, skipped.end) in [(o.start, o.end) for o in occurrences]
    assert skipped.start == datetime(2027, 3, 28, 1, 30, tzinfo=UTC)  # GMT's reading (RFC 5545)
    assert extra.start == datetime(2027, 4, 10, 11, 0, tzinfo=UTC)
