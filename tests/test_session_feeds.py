"""Session records in the calendars and feeds: an occurrence's own join link, note and title
reach its RECURRENCE-ID VEVENT, events.json, countdown.json and the lists; a cancelled session
is an EXDATE and a STATUS:CANCELLED VEVENT with its reason. Read back by ical.js (Thunderbird's
parser) and the icalendar package, not by our own code."""
from __future__ import annotations

import json
import re
import subprocess
import textwrap
import tomllib
from dataclasses import replace
from datetime import date, datetime, time, timedelta, timezone
from pathlib import Path

import icalendar
import jsonschema
import pytest

from conftest import ROOT
from generator.content.validate import DEFAULT_CATEGORIES, validate_event
from generator.model import Category, RawFile, Revision, Session, Site
from generator.render.feed import event_entry, feed_bytes
from generator.render.ics import calendar_bytes, event_lines, vevent_text
from generator.render.lines import occurrence_line, parse_lines
from generator.render.occurrence_sessions import join_url, session_of
from generator.schedule.expand import cancellations, expand_occurrences
from generator.schedule.zones import to_utc

UTC = timezone.utc
SITE = Site(title="Harbour", base_url="https://events.example.org/", description="",
            timezone="Europe/London", categories=(Category("scrum", "Scrum"),),
            countdown_category="scrum", horizon_days=90)
PAGE = "https://events.example.org/events/scrum/"
WINDOW = (datetime(2027, 1, 20, 12, tzinfo=UTC), datetime(2027, 4, 20, 12, tzinfo=UTC))
REVISION = Revision(sequence=3, modified=datetime(2026, 12, 1, 9, tzinfo=UTC))
SCRUM = """
    title = "Scrum"
    timezone = "Europe/London"
    start = 2026-01-05T07:00:00
    duration = 25
    url = "https://meet.jit.si/scrum"
    rrule = "FREQ=WEEKLY;BYDAY=MO,WE"
"""
SCHEMA = json.loads((ROOT / "docs" / "events.schema.json").read_text())


def make_event(front_matter: str, slug: str):
    """An Event from front matter as an editor writes it, through the build's validation."""
    data = {"category": "scrum", **tomllib.loads(textwrap.dedent(front_matter))}
    path = Path("content/events") / f"{slug}.md"
    event, problems = validate_event(RawFile(path, str(path), data, {}), DEFAULT_CATEGORIES)
    assert event is not None, [str(p) for p in problems]
    return event


def session(event, day: date, *, at: time | None = None, start_local: datetime | None = None,
            **fields) -> Session:
    """A record as loading and matching leave it: start/end where the occurrence really is
    (`start_local`, when an override moved it), moved_from its scheduled start then."""
    scheduled_local = datetime.combine(day, at or event.start.time())
    scheduled = to_utc(scheduled_local, event.timezone)
    start = to_utc(start_local, event.timezone) if start_local else scheduled
    return Session(event=event.slug, day=day, time=at, source=f"content/sessions/x/{day}.md",
                   start=start, end=start + timedelta(minutes=event.duration),
                   moved_from=scheduled if start_local else None, **fields)


def with_sessions(event, *records):
    return replace(event, sessions=tuple(sorted(records, key=lambda s: s.start)))


def calendar_file(tmp_path: Path, event) -> Path:
    vevent = vevent_text(event_lines(event, SITE, PAGE, "Scrum", "Daily stand-up.", REVISION,
                                     WINDOW))
    path = tmp_path / "event.ics"
    path.write_bytes(calendar_bytes(event.title, "", SITE, [event], {event.slug: vevent},
                                    source=PAGE + "event.ics"))
    return path


def icaljs(path: Path, start: str = "2027-01-20T00:00:00Z", end: str = "2027-04-20T00:00:00Z"):
    result = subprocess.run(["node", str(ROOT / "tests" / "js" / "ical_occurrences.mjs"),
                             str(path), start, end], capture_output=True, text=True, check=True)
    return json.loads(result.stdout)


def by_recurrence_id(path: Path) -> dict[datetime, icalendar.Event]:
    calendar = icalendar.Calendar.from_ical(path.read_bytes())
    return {e["RECURRENCE-ID"].dt: e for e in calendar.walk("VEVENT") if "RECURRENCE-ID" in e}


def master(path: Path) -> icalendar.Event:
    calendar = icalendar.Calendar.from_ical(path.read_bytes())
    (found,) = [e for e in calendar.walk("VEVENT") if "RECURRENCE-ID" not in e]
    return found


# --- the calendar ---------------------------------------------------------------------------------

def test_an_occurrences_own_join_link_and_title_reach_ical_js_and_icalendar(tmp_path):
    event = make_event(SCRUM, "scrum")
    record = session(event, date(2027, 2, 3), url="https://meet.jit.si/other-room",
                     title="Sprint 42 review")
    path = calendar_file(tmp_path, with_sessions(event, record))

    found = icaljs(path)
    (changed,) = [o for o in found["occurrences"] if o["start"] == "2027-02-03T07:00:00Z"]
    assert changed["summary"] == "Scrum: Sprint 42 review"
    assert changed["url"] == PAGE + "2027-02-03/"
    assert changed["location"] == "https://meet.jit.si/other-room"
    assert "Join: https://meet.jit.si/other-room" in changed["description"]
    assert changed["sequence"] == 3  # the series' own SEQUENCE
    others = [o for o in found["occurrences"] if o["start"] != "2027-02-03T07:00:00Z"]
    assert others and all(o["location"] == "https://meet.jit.si/scrum" and o["summary"] == "Scrum"
                          for o in others)

    (vevent,) = by_recurrence_id(path).values()
    rid = vevent["RECURRENCE-ID"]
    # The same form as the series' DTSTART: local wall clock with the event's TZID.
    assert rid.params["TZID"] == "Europe/London" and rid.dt.replace(tzinfo=None) == \
        datetime(2027, 2, 3, 7, 0)
    assert str(vevent["URL"]) == PAGE + "2027-02-03/"
    assert str(vevent["UID"]) == str(master(path)["UID"])


def test_a_note_leads_the_occurrences_description(tmp_path):
    event = make_event(SCRUM, "scrum")
    record = session(event, date(2027, 2, 8), reason="We start with a demo")
    path = calendar_file(tmp_path, with_sessions(event, record))
    (changed,) = [o for o in icaljs(path)["occurrences"] if o["start"] == "2027-02-08T07:00:00Z"]
    assert changed["description"].startswith("Note: We start with a demo\n\nDaily stand-up.")
    assert changed["summary"] == "Scrum"
    assert changed["location"] == "https://meet.jit.si/scrum"  # no link of its own: the event's


def test_a_session_with_nothing_of_its_own_adds_no_vevent(tmp_path):
    event = make_event(SCRUM, "scrum")
    record = session(event, date(2027, 2, 8), recording="https://www.youtube.com/watch?v=x",
                     hosts=("Sam",), notes="We talked.")
    assert by_recurrence_id(calendar_file(tmp_path, with_sessions(event, record))) == {}


def test_a_cancelled_session_is_an_exdate_and_a_cancelled_vevent_with_its_reason(tmp_path):
    # Cancellation itself is the exdate machinery's (schedule.expand): the event as it leaves it.
    event = make_event(SCRUM + "exdates = [2027-02-10T07:00:00]\n", "scrum")
    record = session(event, date(2027, 2, 10), cancelled=True, reason="Most of us are at FOSDEM")
    path = calendar_file(tmp_path, with_sessions(event, record))

    exdates = [d.dt.replace(tzinfo=None) for prop in [master(path)["EXDATE"]]
               for d in (prop if isinstance(prop, list) else [prop])[0].dts]
    assert datetime(2027, 2, 10, 7, 0) in exdates
    (vevent,) = by_recurrence_id(path).values()
    assert str(vevent["STATUS"]) == "CANCELLED" and str(vevent["TRANSP"]) == "TRANSPARENT"
    assert str(vevent["SUMMARY"]) == "Cancelled: Scrum"
    assert str(vevent["DESCRIPTION"]).startswith("Cancelled: Most of us are at FOSDEM")

    found = icaljs(path)
    # ical.js keeps the EXDATE: no meeting that day ...
    assert "2027-02-10T07:00:00Z" not in [o["start"] for o in found["occurrences"]]
    # ... and still reads the cancelled VEVENT, related to its series, with the reason.
    (exception,) = found["exceptions"]
    assert exception["recurrence_id"] == "2027-02-10T07:00:00Z"
    assert exception["status"] == "CANCELLED"
    assert exception["description"].startswith("Cancelled: Most of us are at FOSDEM")


def test_a_moved_occurrence_keeps_its_override_and_gains_its_sessions_link(tmp_path):
    event = make_event(SCRUM + """
        [[overrides]]
        original = 2027-02-15T07:00:00
        start = 2027-02-15T16:00:00
        title = "Scrum (late)"
    """, "scrum")
    record = session(event, date(2027, 2, 15), start_local=datetime(2027, 2, 15, 16, 0),
                     url="https://meet.jit.si/late")
    path = calendar_file(tmp_path, with_sessions(event, record))
    (changed,) = [o for o in icaljs(path)["occurrences"] if o["start"] == "2027-02-15T16:00:00Z"]
    assert changed["summary"] == "Scrum (late)"
    assert changed["location"] == "https://meet.jit.si/late"
    assert "2027-02-15T07:00:00Z" not in [o["start"] for o in icaljs(path)["occurrences"]]


def test_an_all_day_sessions_recurrence_id_is_a_date(tmp_path):
    event = make_event("""
        title = "Hack day"
        timezone = "Europe/London"
        date = 2026-01-10
        [repeat]
        every = "month"
    """, "scrum")
    record = session(event, date(2027, 3, 10), at=None, reason="Bring a laptop")
    record = replace(record, end=to_utc(datetime(2027, 3, 11), "Europe/London"))
    path = calendar_file(tmp_path, with_sessions(event, record))
    (vevent,) = by_recurrence_id(path).values()
    assert vevent["RECURRENCE-ID"].dt == date(2027, 3, 10)
    assert vevent["DTSTART"].dt == date(2027, 3, 10)
    assert str(vevent["DESCRIPTION"]).startswith("Note: Bring a laptop")


def test_a_one_off_events_session_speaks_in_the_event_itself(tmp_path):
    event = make_event("""
        title = "Kick-off"
        timezone = "Europe/London"
        start = 2027-02-20T18:00:00
        duration = 60
        url = "https://meet.jit.si/kickoff"
    """, "scrum")
    record = session(event, date(2027, 2, 20), url="https://meet.jit.si/moved-room")
    path = calendar_file(tmp_path, with_sessions(event, record))
    assert by_recurrence_id(path) == {}  # RECURRENCE-ID names an instance of a series only
    assert str(master(path)["LOCATION"]) == "https://meet.jit.si/moved-room"


def test_sessions_more_than_a_year_back_are_left_to_the_series(tmp_path):
    event = make_event(SCRUM, "scrum")
    old = session(event, date(2026, 1, 5), title="Long ago")
    recent = session(event, date(2026, 3, 2), title="Last spring")
    found = by_recurrence_id(calendar_file(tmp_path, with_sessions(event, old, recent)))
    assert [d.date() for d in found] == [date(2026, 3, 2)]


def test_each_time_of_days_vevent_restates_only_its_own_sessions(tmp_path):
    event = make_event("""
        title = "Scrum"
        timezone = "Europe/London"
        start = 2027-01-04T09:00:00
        duration = 15
        [repeat]
        every = "week"
        on = ["mon"]
        at = ["09:00", "15:30"]
    """, "scrum")
    record = session(event, date(2027, 2, 1), at=time(15, 30), url="https://meet.jit.si/pm")
    found = by_recurrence_id(calendar_file(tmp_path, with_sessions(event, record)))
    (vevent,) = found.values()
    assert str(vevent["UID"]).startswith("scrum-1530@")


# --- events.json and countdown.json ----------------------------------------------------------------

def test_feed_occurrences_carry_their_sessions_key_link_and_note_and_validate():
    event = make_event(SCRUM, "scrum")
    linked = session(event, date(2027, 2, 3), url="https://meet.jit.si/other-room")
    noted = session(event, date(2027, 2, 8), reason="We start with a demo", title="Demo day")
    cancelled = session(event, date(2027, 2, 10), cancelled=True, reason="FOSDEM")
    event = with_sessions(make_event(SCRUM + "exdates = [2027-02-10T07:00:00]\n", "scrum"),
                          linked, noted, cancelled)
    occurrences = expand_occurrences(event, *WINDOW)
    lines = sorted(occurrence_line(o, session_of(event, o)) for o in occurrences)
    feed = json.loads(feed_bytes(WINDOW[0], WINDOW[1],
                                 {"scrum": event_entry(event, PAGE, cancellations(event, *WINDOW))},
                                 [line.fragment for line in parse_lines(lines)]))
    jsonschema.validate(feed, SCHEMA, format_checker=jsonschema.FormatChecker())
    by_start = {o["start"]: o for o in feed["occurrences"]}
    assert by_start["2027-02-03T07:00:00Z"] == {
        "event": "scrum", "start": "2027-02-03T07:00:00Z", "end": "2027-02-03T07:25:00Z",
        "session": "2027-02-03", "url": "https://meet.jit.si/other-room"}
    assert by_start["2027-02-08T07:00:00Z"]["note"] == "We start with a demo"
    assert "url" not in by_start["2027-02-08T07:00:00Z"]
    assert "session" not in by_start["2027-02-01T07:00:00Z"]
    assert "2027-02-10T07:00:00Z" not in by_start
    (entry,) = [c for c in feed["events"]["scrum"]["cancelled"] if c["start"].startswith("2027-02-10")]
    assert entry["session"] == "2027-02-10"


def test_the_schema_refuses_a_session_key_that_is_no_date():
    entry = {"event": "scrum", "start": "2027-02-03T07:00:00Z", "end": "2027-02-03T07:25:00Z",
             "session": "tuesday"}
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(entry, {**SCHEMA, "$ref": "#/$defs/occurrence"})


def test_lists_and_countdowns_join_by_the_occurrences_own_link():
    event = make_event(SCRUM, "scrum")
    record = session(event, date(2027, 2, 3), url="https://meet.jit.si/other-room")
    event = with_sessions(event, record)
    links = {o.start.date(): join_url(event, o) for o in expand_occurrences(event, *WINDOW)}
    assert links[date(2027, 2, 3)] == "https://meet.jit.si/other-room"
    assert links[date(2027, 2, 1)] == "https://meet.jit.si/scrum"


# --- JSON-LD ----------------------------------------------------------------------------------------

def _view():
    from types import SimpleNamespace
    return SimpleNamespace(summary="Daily stand-up.", schedule="Mondays and Wednesdays")


def test_an_event_page_whose_next_meeting_was_moved_says_rescheduled_with_the_previous_date():
    from generator.render.discovery import event_json_ld

    event = make_event(SCRUM + """
        [[overrides]]
        original = 2027-02-15T07:00:00
        start = 2027-02-15T16:00:00
    """, "scrum")
    (moved,) = [o for o in expand_occurrences(event, *WINDOW) if o.original is not None]
    data = json.loads(event_json_ld(event, SITE, _view(), moved, PAGE))
    assert data["eventStatus"] == "https://schema.org/EventRescheduled"
    assert data["previousStartDate"] == "2027-02-15T07:00:00+00:00"
    assert data["startDate"] == "2027-02-15T16:00:00+00:00"
    plain = expand_occurrences(event, *WINDOW)[0]
    data = json.loads(event_json_ld(event, SITE, _view(), plain, PAGE))
    assert data["eventStatus"] == "https://schema.org/EventScheduled"
    assert "previousStartDate" not in data


def test_a_cancelled_sessions_json_ld_keeps_its_date_and_says_cancelled():
    from generator.render.discovery import session_json_ld

    event = make_event(SCRUM, "scrum")
    record = session(event, date(2027, 2, 10), cancelled=True, reason="FOSDEM")
    data = json.loads(session_json_ld(event, record, SITE, PAGE + "2027-02-10/", PAGE, "FOSDEM"))
    assert data["eventStatus"] == "https://schema.org/EventCancelled"
    assert data["startDate"] == "2027-02-10T07:00:00+00:00"
    assert data["endDate"] == "2027-02-10T07:25:00+00:00"
    assert data["superEvent"] == {"@type": "Event", "name": "Scrum", "url": PAGE}
    assert "previousStartDate" not in data


def test_a_moved_sessions_json_ld_is_rescheduled_with_its_own_link_and_recording():
    from generator.render.discovery import session_json_ld

    event = make_event(SCRUM + """
        [[overrides]]
        original = 2027-06-14T07:00:00
        start = 2027-06-14T16:00:00
    """, "scrum")
    record = session(event, date(2027, 6, 14), start_local=datetime(2027, 6, 14, 16, 0),
                     url="https://meet.jit.si/late", title="Retro", hosts=("Sam", "Ana"),
                     recording="https://www.youtube.com/watch?v=abc")
    data = json.loads(session_json_ld(event, record, SITE, PAGE + "2027-06-14/", PAGE, "Retro"))
    assert data["name"] == "Scrum: Retro"
    assert data["eventStatus"] == "https://schema.org/EventRescheduled"
    # Summer: London's own offset, as attendees saw it.
    assert data["previousStartDate"] == "2027-06-14T07:00:00+01:00"
    assert data["startDate"] == "2027-06-14T16:00:00+01:00"
    assert data["location"] == {"@type": "VirtualLocation", "url": "https://meet.jit.si/late"}
    assert data["recordedIn"]["url"] == "https://www.youtube.com/watch?v=abc"
    assert [p["name"] for p in data["performer"]] == ["Sam", "Ana"]


# --- the sample site, built ----------------------------------------------------------------------

@pytest.fixture(scope="module")
def sample(tmp_path_factory):
    from conftest import SAMPLE_CONTENT, SAMPLE_NOW, build

    output = tmp_path_factory.mktemp("sessions") / "public"
    assert build(SAMPLE_CONTENT, output, SAMPLE_NOW).ok
    return output


MOVED_ROOM = "https://meet.jit.si/HarbourCode_PairingWednesday"


def test_the_samples_moved_pairing_session_reaches_the_feed_the_lists_and_the_page(sample):
    feed = json.loads((sample / "events.json").read_text())
    jsonschema.validate(feed, SCHEMA, format_checker=jsonschema.FormatChecker())
    (entry,) = [o for o in feed["occurrences"] if o.get("session") == "2027-02-04"]
    assert entry["event"] == "pair-programming-thursdays" and entry["url"] == MOVED_ROOM
    assert entry["start"] == "2027-02-03T17:00:00Z" and entry["note"].startswith("A day early")
    # The live lists join by it: /events/ and the event page's own dates.
    listed = (sample / "events" / "index.html").read_text()
    assert f'data-join="{MOVED_ROOM}"' in listed
    page = (sample / "events" / "pair-programming-thursdays" / "index.html").read_text()
    assert f'<li data-join="{MOVED_ROOM}">' in page
    schedule = json.loads(re.search(r'id="event-schedule">(.*?)</script>', page, re.S).group(1))
    assert [o.get("url") for o in schedule["occurrences"] if o.get("session")] == [MOVED_ROOM]


def test_countdown_json_carries_the_feeds_own_occurrence_entries(sample):
    feed = json.loads((sample / "events.json").read_text())
    countdown = json.loads((sample / "countdown.json").read_text())
    jsonschema.validate(countdown, SCHEMA)
    for occurrence in countdown["occurrences"]:
        assert occurrence in feed["occurrences"]
