"""Session pages (render/sessions.py, render/session_pages.py): a record's own page, the "Past
sessions" of an event's page and its archive, notes and reasons beside the next dates, and
/sessions/. Rendered here from hand-built records on the sample's events, so that the pages are
tested apart from how records are read (tests/test_sessions*.py)."""
from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime, timedelta, timezone

import pytest

from conftest import ROOT, SAMPLE_CONTENT, SAMPLE_NOW, parse_now
from generator.build.pipeline import check_content
from generator.model import Session, SessionLink
from generator.render import RenderOptions
from generator.render.assets import collect_assets
from generator.render.context import page_context
from generator.render.event_page import render_event_page
from generator.render.markup import render_description
from generator.render.session_pages import (recorded_sessions, render_archive_page,
                                            render_session_page, render_sessions_pages)
from generator.render.sessions import (PAST_SHOWN, SESSIONS_MAX_PAGES, SESSIONS_PAGE_SIZE,
                                       recording_service, session_page_inputs)
from generator.schedule.expand import next_occurrences
from generator.schedule.zones import to_utc
from pagetools import find_all, parse_page

NOW = parse_now(SAMPLE_NOW)  # Wednesday 20 January 2027, 12:00 UTC


@pytest.fixture(scope="module")
def sample():
    checked = check_content(SAMPLE_CONTENT, NOW)
    assert checked.ok
    asset_paths, _ = collect_assets(ROOT / "static")
    page = page_context(checked.site, RenderOptions(ROOT / "templates", ROOT / "static"),
                        asset_paths)
    return page, {e.slug: e for e in checked.events}


def session(event, day: date, **fields) -> Session:
    """A record matched to the occurrence at the event's usual time that day."""
    start = to_utc(datetime.combine(day, event.start.time()), event.timezone)
    return Session(event.slug, day, None, f"content/sessions/{event.slug}/{day}.md",
                   start=start, end=start + timedelta(minutes=event.duration), **fields)


def elements(html: bytes, tmp_path):
    path = tmp_path / f"page-{abs(hash(html))}.html"
    path.write_bytes(html)
    return parse_page(path)


def texts(found) -> list[str]:
    return [element.text for element in found]


# --- the service a recording is on ---------------------------------------------------------------

@pytest.mark.parametrize("address, service", [
    ("https://www.youtube.com/watch?v=dQw4w9WgXcQ", "YouTube"),
    ("https://m.youtube.com/watch?v=dQw4w9WgXcQ", "YouTube"),
    ("https://youtu.be/dQw4w9WgXcQ", "YouTube"),
    ("https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ", "YouTube"),
    ("https://vimeo.com/76979871", "Vimeo"),
    ("https://player.vimeo.com/video/76979871", "Vimeo"),
    ("https://framatube.org/w/9c9de5e8-0a1e-484a-b099-e80766180a6d", "PeerTube (framatube.org)"),
    ("https://peertube.example/videos/watch/9c9de5e8", "PeerTube (peertube.example)"),
    ("https://www.youtube.com/w/not-peertube", "YouTube"),
    ("https://archive.org/details/scrum-2027-01-12", "archive.org"),
    ("https://www.example.org/w/", "example.org"),  # /w/ alone is no video
])
def test_a_recording_names_its_service(address, service):
    assert recording_service(address) == service


# --- a session's own page ------------------------------------------------------------------------

def test_session_page_states_its_date_title_hosts_recording_links_and_sanitised_notes(sample, tmp_path):
    page, events = sample
    scrum = events["euroasia-scrum"]
    record = session(scrum, date(2027, 1, 12), title="Sprint 51 review", hosts=("Sam Joseph", "Ana Lee"),
                     recording="https://www.youtube.com/watch?v=dQw4w9WgXcQ",
                     links=(SessionLink("Slides", "https://example.org/slides.pdf"),),
                     notes="We looked at the **release plan**.\n\n<script>alert(1)</script>"
                           '<iframe src="https://evil.example/"></iframe>')
    html = render_session_page(replace(scrum, sessions=(record,)), 0, page, NOW)
    found = elements(html, tmp_path)
    assert texts(find_all(found, "h1")) == ["Sprint 51 review"]
    when = find_all(found, "time", cls="when")[0]
    # In the event's zone at build time, as UTC instants for localtimes.js to restate.
    assert when.text == "Tuesday 12 January 2027, 07:00–07:25 GMT"
    assert (when.attrs["datetime"], when.attrs["data-end"]) == ("2027-01-12T07:00:00Z",
                                                                "2027-01-12T07:25:00Z")
    assert when.attrs["data-keep-zone"] == "Europe/London" and "data-long-day" in when.attrs
    assert "Sam Joseph and Ana Lee" in texts(find_all(found, "dd"))
    watch = [a for a in find_all(found, "a", cls="button") if "recording" in a.text]
    assert [(a.text, a.attrs["href"]) for a in watch] == [
        ("Watch the recording on YouTube", "https://www.youtube.com/watch?v=dQw4w9WgXcQ")]
    assert ("Slides", "https://example.org/slides.pdf") in [
        (a.text, a.attrs.get("href")) for a in find_all(found, "a")]
    assert b"<strong>release plan</strong>" in html
    # The notes pass through the same sanitiser as descriptions; no page has a frame.
    assert b"<script>alert" not in html and b"<iframe" not in html


def test_session_page_without_a_title_is_named_by_its_event_and_day(sample, tmp_path):
    page, events = sample
    scrum = events["euroasia-scrum"]
    html = render_session_page(replace(scrum, sessions=(session(scrum, date(2027, 1, 12)),)), 0,
                               page, NOW)
    assert texts(find_all(elements(html, tmp_path), "h1")) == [
        "EuroAsia Scrum on Tuesday 12 January 2027"]


def test_session_pages_link_the_previous_and_next_sessions_of_their_event(sample, tmp_path):
    page, events = sample
    scrum = events["euroasia-scrum"]
    records = (session(scrum, date(2027, 1, 11)), session(scrum, date(2027, 1, 12), title="Review"),
               session(scrum, date(2027, 1, 13)))
    scrum = replace(scrum, sessions=records)

    def neighbours(index):
        found = elements(render_session_page(scrum, index, page, NOW), tmp_path)
        return {a.attrs["rel"]: (a.attrs["href"], a.text) for a in find_all(found, "a")
                if a.attrs.get("rel") in ("prev", "next")}

    assert neighbours(0) == {"next": ("/events/euroasia-scrum/2027-01-12/",
                                      "Next session Review, Tue 12 Jan 2027")}
    assert neighbours(1) == {"prev": ("/events/euroasia-scrum/2027-01-11/",
                                      "Previous session Mon 11 Jan 2027"),
                             "next": ("/events/euroasia-scrum/2027-01-13/",
                                      "Next session Wed 13 Jan 2027")}
    assert neighbours(2) == {"prev": ("/events/euroasia-scrum/2027-01-12/",
                                      "Previous session Review, Tue 12 Jan 2027")}


def join_links(html: bytes, tmp_path) -> list[str]:
    facts = [d for d in find_all(elements(html, tmp_path), "div")
             if "Join at" in d.text and d.children and d.children[0].tag == "dt"]
    return [a.attrs["href"] for d in facts for a in find_all(d.children[1].children, "a")]


def test_an_upcoming_session_offers_its_own_join_link_and_a_past_one_none(sample, tmp_path):
    page, events = sample
    scrum = events["euroasia-scrum"]
    own = session(scrum, date(2027, 1, 21), url="https://meet.jit.si/other-room")
    plain = session(scrum, date(2027, 1, 25))
    past = session(scrum, date(2027, 1, 19), url="https://meet.jit.si/other-room")
    scrum = replace(scrum, sessions=(past, own, plain))
    assert join_links(render_session_page(scrum, 1, page, NOW), tmp_path) == [
        "https://meet.jit.si/other-room"]
    assert join_links(render_session_page(scrum, 2, page, NOW), tmp_path) == [scrum.url]
    assert join_links(render_session_page(scrum, 0, page, NOW), tmp_path) == []
    # A whole event postponed: none of its sessions can be joined.
    postponed = replace(scrum, status="postponed", reason="New times soon")
    assert join_links(render_session_page(postponed, 1, page, NOW), tmp_path) == []


def test_a_cancelled_session_says_so_with_its_reason_and_offers_no_join_link(sample, tmp_path):
    page, events = sample
    scrum = events["euroasia-scrum"]
    record = session(scrum, date(2027, 2, 3), cancelled=True, reason="Most of us are at FOSDEM")
    html = render_session_page(replace(scrum, sessions=(record,)), 0, page, NOW)
    found = elements(html, tmp_path)
    assert texts(find_all(found, "p", cls="event-status")) == ["Cancelled: Most of us are at FOSDEM"]
    assert join_links(html, tmp_path) == []


def test_a_moved_session_says_where_it_was_scheduled(sample, tmp_path):
    page, events = sample
    scrum = events["euroasia-scrum"]
    record = replace(session(scrum, date(2027, 1, 12)),
                     start=datetime(2027, 1, 12, 9, 0, tzinfo=timezone.utc),
                     end=datetime(2027, 1, 12, 9, 25, tzinfo=timezone.utc),
                     moved_from=datetime(2027, 1, 12, 7, 0, tzinfo=timezone.utc))
    found = elements(render_session_page(replace(scrum, sessions=(record,)), 0, page, NOW), tmp_path)
    assert texts(find_all(found, "p", cls="session-when")) == ["Tuesday 12 January 2027, 09:00–09:25 GMT"]
    assert texts(find_all(found, "p", cls="session-moved")) == [
        "Moved from Tuesday 12 January 2027 at 07:00 (Europe/London)."]


# --- an event's page -----------------------------------------------------------------------------

def event_page(page, event, tmp_path):
    coming = next_occurrences(event, NOW, 10)
    html = render_event_page(event, page, coming, NOW, NOW + timedelta(days=90),
                             render_description(event.description))
    return html, elements(html, tmp_path)


def past_rows(found) -> list[str]:
    """The session pages a list of sessions links, in its order."""
    return [a.attrs["href"] for a in find_all(found, "a", cls="session-date")]


def test_event_page_lists_past_sessions_newest_first_bounded_with_a_link_to_all(sample, tmp_path):
    page, events = sample
    scrum = events["euroasia-scrum"]
    days = [date(2026, 12, 1) + timedelta(days=n) for n in range(60)]
    days = [d for d in days if d.weekday() < 4 and d < date(2027, 1, 20)][-PAST_SHOWN - 3:]
    records = tuple(session(scrum, d, recording="https://youtu.be/x" if d.day % 2 else None)
                    for d in days)
    upcoming = session(scrum, date(2027, 1, 25), title="Planning")  # not past: not listed
    scrum = replace(scrum, sessions=records + (upcoming,))
    html, found = event_page(page, scrum, tmp_path)
    newest_first = [f"/events/euroasia-scrum/{d}/" for d in reversed(days)]
    assert past_rows(found) == newest_first[:PAST_SHOWN]
    more = [a for a in find_all(found, "a") if a.text == "All past sessions"]
    assert [a.attrs["href"] for a in more] == ["/events/euroasia-scrum/sessions/"]
    assert "(3 older)" in find_all(found, "section", cls="past-sessions")[0].text
    # Each row with a recording names its service; the archive lists every past one.
    assert len(find_all(found, "a", cls="recording")) == sum(
        1 for d in newest_first[:PAST_SHOWN] if int(d[-3:-1]) % 2)
    archive = elements(render_archive_page(scrum, page, NOW), tmp_path)
    assert past_rows(archive) == newest_first
    assert texts(find_all(archive, "h1")) == ["Past sessions"]


def test_event_page_without_session_records_has_no_past_sessions(sample, tmp_path):
    page, events = sample
    html, found = event_page(page, replace(events["euroasia-scrum"], sessions=()), tmp_path)
    assert b"Past sessions" not in html and not find_all(found, "section", cls="past-sessions")


def test_a_note_and_a_cancellation_reason_stand_beside_the_next_dates(sample, tmp_path):
    page, events = sample
    scrum = events["euroasia-scrum"]
    noted = session(scrum, date(2027, 1, 25), title="Calendar demo", reason="Demo of the new calendar")
    cancelled = session(scrum, date(2027, 1, 26), cancelled=True, reason="Most of us are at FOSDEM")
    # A cancelled record takes its meeting out of the series, as an exdate does.
    scrum = replace(scrum, sessions=(noted, cancelled))
    html, found = event_page(page, scrum, tmp_path)
    rows = find_all(found, "ol", cls="dates")[0].children
    row = next(r for r in rows if "25 Jan" in r.text)
    assert find_all(row.children, "span", cls="note")[0].text == "Demo of the new calendar"
    link = find_all(row.children, "a", cls="session-link")[0]
    assert (link.attrs["href"], link.text) == ("/events/euroasia-scrum/2027-01-25/", "Calendar demo")
    assert not any("26 Jan" in r.text for r in rows)
    assert texts(find_all(found, "p", cls="cancelled")) == [
        "Cancelled: Tuesday 26 January 2027 at 07:00 (Most of us are at FOSDEM)."]


# --- /sessions/ ----------------------------------------------------------------------------------

def test_sessions_page_lists_recorded_past_sessions_of_every_event_newest_first(sample, tmp_path):
    page, events = sample
    scrum, pairing = events["euroasia-scrum"], events["pair-programming-thursdays"]
    scrum = replace(scrum, sessions=(
        session(scrum, date(2027, 1, 12), recording="https://youtu.be/a", title="Sprint 51"),
        session(scrum, date(2027, 1, 13)),  # no recording: not listed
        session(scrum, date(2027, 1, 14), recording="https://youtu.be/c", cancelled=True,
                reason="x"),  # did not happen
        session(scrum, date(2027, 1, 25), recording="https://youtu.be/d")))  # still ahead
    pairing = replace(pairing, sessions=(
        session(pairing, date(2027, 1, 14), recording="https://vimeo.com/1"),))
    written = {}
    without = {slug: replace(event, sessions=()) for slug, event in events.items()}
    addresses = render_sessions_pages(page, {**without, scrum.slug: scrum, pairing.slug: pairing},
                                      NOW, lambda path, data: written.setdefault(path, data))
    assert addresses == ["/sessions/"] and list(written) == ["sessions/index.html"]
    found = elements(written["sessions/index.html"], tmp_path)
    assert past_rows(found) == ["/events/pair-programming-thursdays/2027-01-14/",
                                "/events/euroasia-scrum/2027-01-12/"]
    assert texts(find_all(found, "a", cls="recording")) == ["Watch on Vimeo", "Watch on YouTube"]
    assert texts(find_all(found, "h1")) == ["Recent sessions"]


def test_sessions_pages_are_paginated_and_bounded(sample, tmp_path):
    page, events = sample
    scrum = events["euroasia-scrum"]
    bound = SESSIONS_PAGE_SIZE * SESSIONS_MAX_PAGES
    first = date(2027, 1, 19)
    records = tuple(session(scrum, first - timedelta(days=n), recording=f"https://youtu.be/{n}")
                    for n in range(bound + 20))[::-1]
    scrum = replace(scrum, sessions=records)
    listed, total = recorded_sessions({scrum.slug: scrum}, NOW)
    assert (len(listed), total) == (bound, bound + 20)
    written = {}
    addresses = render_sessions_pages(page, {scrum.slug: scrum}, NOW,
                                      lambda path, data: written.setdefault(path, data))
    assert addresses == ["/sessions/"] + [f"/sessions/page/{n}/" for n in range(2, SESSIONS_MAX_PAGES + 1)]
    second = elements(written["sessions/page/2/index.html"], tmp_path)
    rows = past_rows(second)
    assert len(rows) == SESSIONS_PAGE_SIZE
    assert rows[0] == f"/events/euroasia-scrum/{first - timedelta(days=SESSIONS_PAGE_SIZE)}/"
    pages = {a.attrs["rel"]: a.attrs["href"] for a in find_all(second, "a")
             if a.attrs.get("rel") in ("prev", "next")}
    assert pages == {"prev": "/sessions/", "next": "/sessions/page/3/"}
    last = written[f"sessions/page/{SESSIONS_MAX_PAGES}/index.html"].decode()
    assert "20 older recordings are not listed here" in last
    assert 'rel="next"' not in last


# --- what the build cache keys on ----------------------------------------------------------------

def test_a_session_page_is_rendered_again_when_it_ends_or_a_neighbour_changes(sample):
    _, events = sample
    scrum = events["euroasia-scrum"]
    records = (session(scrum, date(2027, 1, 19)), session(scrum, date(2027, 1, 21)),
               session(scrum, date(2027, 1, 25)))
    event = replace(scrum, sessions=records)
    before = session_page_inputs(event, 1, "digest", NOW)
    assert session_page_inputs(event, 1, "digest", NOW + timedelta(hours=1)) == before
    assert session_page_inputs(event, 1, "digest", NOW + timedelta(days=2)) != before  # ended
    retitled = replace(event, sessions=(records[0], records[1], replace(records[2], title="New")))
    assert session_page_inputs(retitled, 1, "digest", NOW) != before
    assert session_page_inputs(event, 1, "other digest", NOW) != before


def test_a_cancelled_past_session_stays_in_the_list_struck_through_with_its_reason(sample, tmp_path):
    page, events = sample
    scrum = events["euroasia-scrum"]
    records = (session(scrum, date(2027, 1, 13), cancelled=True, reason="Server move"),
               session(scrum, date(2027, 1, 14), title="Sprint 41 review"))
    _, found = event_page(page, replace(scrum, sessions=records), tmp_path)
    rows = find_all(found, "li", cls="session-row")
    assert [("was-cancelled" in r.classes(), r.text) for r in rows] == [
        (False, "Thu 14 Jan 2027 Sprint 41 review"),
        (True, "Wed 13 Jan 2027 Cancelled: Server move")]
    css = (ROOT / "static" / "css" / "site.css").read_text()
    assert ".was-cancelled .session-title, .was-cancelled .session-date { text-decoration: line-through; }" in css


def test_an_all_day_session_keeps_its_days_in_every_zone(sample, tmp_path):
    page, events = sample
    hackathon = events["spring-hackathon"]
    start = to_utc(datetime(2027, 3, 26), hackathon.timezone)
    record = Session(hackathon.slug, date(2027, 3, 26), None, "x", start=start,
                     end=to_utc(datetime(2027, 3, 29), hackathon.timezone), title="Kick-off")
    found = elements(render_session_page(replace(hackathon, sessions=(record,)), 0, page, NOW),
                     tmp_path)
    when = find_all(found, "time", cls="when")[0]
    assert when.text == "Friday 26 to Sunday 28 March 2027, all day"
    assert when.attrs["data-all-day"] == "2027-03-26/2027-03-28"  # localtimes.js keeps the text
    assert not find_all(found, "p", cls="zone-note")
