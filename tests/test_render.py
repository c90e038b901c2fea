"""What the built pages say: the next scrum, the week, every occurrence, each event's page."""
import json
from datetime import datetime, timedelta
from urllib.parse import parse_qs, urlsplit

import pytest

from conftest import SAMPLE_CONTENT, SAMPLE_NOW, build, write_event
from pagetools import find_all, parse_page


@pytest.fixture(scope="module")
def sample(tmp_path_factory):
    output = tmp_path_factory.mktemp("sample") / "public"
    result = build(SAMPLE_CONTENT, output, SAMPLE_NOW)
    assert result.ok, [str(p) for p in result.problems]
    feed = json.loads((output / "events.json").read_text())
    return output, feed


def _instant(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


def test_homepage_names_the_next_scrum_as_a_utc_time_element(sample):
    output, feed = sample
    scrums = [o for o in feed["occurrences"] if feed["events"][o["event"]]["category"] == "scrum"]
    first = min(scrums, key=lambda o: o["start"])
    banner = find_all(parse_page(output / "index.html"), "section", "next-up")[0]
    assert banner.attrs["data-countdown"] == "banner"
    time_element = [c for c in banner.children if c.tag == "p" and "next-when" in c.classes()][0]
    assert time_element.children[0].attrs["datetime"] == first["start"]
    title = feed["events"][first["event"]]["title"]
    assert title in banner.text
    # The build-time text says the time in the event's own zone, naming it.
    assert feed["events"][first["event"]]["timezone"] in banner.text


def test_homepage_lists_exactly_the_next_seven_days(sample):
    output, feed = sample
    week_end = _instant(feed["generated_at"]) + timedelta(days=7)
    expected = [o["start"] for o in feed["occurrences"] if _instant(o["start"]) < week_end]
    listed = [t.attrs["datetime"] for t in find_all(parse_page(output / "index.html"), "time", "when")]
    assert listed == expected


def test_events_index_lists_every_occurrence_in_the_horizon_grouped_by_day(sample):
    output, feed = sample
    elements = parse_page(output / "events" / "index.html")
    listed = [t.attrs["datetime"] for t in find_all(elements, "time", "when")]
    assert listed == [o["start"] for o in feed["occurrences"]]
    days = [s.attrs["data-day"] for s in find_all(elements, "section", "day")]
    assert days == sorted(set(days)), "one heading per day, in order"


def test_category_and_project_pages_filter_the_list(sample):
    output, feed = sample
    for category in ("scrum", "pair-programming", "meeting", "client-meeting"):
        listed = find_all(parse_page(output / "categories" / category / "index.html"), "li",
                          "occurrence")
        expected = [o for o in feed["occurrences"]
                    if feed["events"][o["event"]]["category"] == category]
        assert [li.attrs["data-event"] for li in listed] == [o["event"] for o in expected]
    listed = find_all(parse_page(output / "projects" / "localsupport" / "index.html"), "li",
                      "occurrence")
    assert {li.attrs["data-event"] for li in listed} == {"americas-scrum", "charity-client-checkin"}


def test_event_page_states_schedule_duration_project_and_ten_next_dates(sample):
    output, _ = sample
    elements = parse_page(output / "events" / "euroasia-scrum" / "index.html")
    assert find_all(elements, "h1")[0].text == "EuroAsia Scrum"
    assert find_all(elements, "p", "schedule")[0].text == \
        "Every Monday to Thursday at 07:00 (Europe/London), except public holidays (GB-ENG)"
    facts = find_all(elements, "dl", "facts")[0].text
    assert "25 minutes" in facts and "websiteone" in facts
    dates = find_all(find_all(elements, "ol", "dates")[0].children, "li")
    assert len(dates) == 10
    assert any(a.attrs.get("href") == "/events/euroasia-scrum/event.ics" for a in find_all(elements, "a"))
    assert any(a.attrs.get("href") == "https://meet.jit.si/HarbourCode_EuroAsiaScrum"
               for a in find_all(elements, "a"))


def test_monthly_event_page_looks_beyond_the_horizon_for_ten_dates(sample):
    output, feed = sample
    elements = parse_page(output / "events" / "monthly-review" / "index.html")
    starts = [t.attrs["datetime"] for t in find_all(elements, "time", "when")]
    assert len(starts) == 10
    assert starts[-1] > feed["horizon_end"]
    assert find_all(elements, "p", "schedule")[0].text.startswith("Second Tuesday of each month")


def test_description_markdown_becomes_html_with_links(sample):
    output, _ = sample
    description = find_all(parse_page(output / "events" / "pair-programming-thursdays" / "index.html"),
                           "div", "description")[0]
    tags = {c.tag for c in description.children}
    assert {"p", "ul"} <= tags
    page = (output / "events" / "pair-programming-thursdays" / "index.html").read_text()
    assert '<a href="https://harbourcode.example/docs/setup" rel="noopener">' in page


def test_google_calendar_link_encodes_every_value(content_dir, output_dir):
    write_event(content_dir, "q-and-a", """
        title = "Q&A: C# #tips, 100% fun?"
        category = "meeting"
        timezone = "Europe/Paris"
        start = 2027-01-05T18:30:00
        duration = 45
        rrule = "FREQ=WEEKLY;BYDAY=TU;COUNT=10"
        url = "https://meet.example/room?id=1&lang=fr"
    """)
    assert build(content_dir, output_dir, "2027-01-10T00:00:00Z").ok
    link = [a.attrs["href"] for a in find_all(parse_page(output_dir / "events" / "q-and-a" / "index.html"), "a")
            if "calendar.google.com/calendar/render?action=TEMPLATE" in (a.attrs.get("href") or "")][0]
    query = urlsplit(link).query
    assert "&lang=" not in query and "#" not in link and " " not in link
    values = parse_qs(query, strict_parsing=True)
    assert values["text"] == ["Q&A: C# #tips, 100% fun?"]
    assert values["ctz"] == ["Europe/Paris"]
    assert values["location"] == ["https://meet.example/room?id=1&lang=fr"]
    assert values["dates"] == ["20270112T183000/20270112T191500"]
    # Offered from the next occurrence: COUNT=10 from 5 January ends on 9 March (17:30 UTC).
    assert values["recur"] == ["RRULE:FREQ=WEEKLY;UNTIL=20270309T173000Z;BYDAY=TU"]


def test_assets_are_fingerprinted_and_linked(sample):
    output, _ = sample
    links = [l.attrs["href"] for l in find_all(parse_page(output / "index.html"), "link", rel="stylesheet")]
    assert len(links) == 1 and links[0].startswith("/static/css/site.")
    assert (output / links[0].lstrip("/")).is_file()


def test_draft_events_appear_nowhere(sample):
    output, feed = sample
    assert "summer-hackathon" not in feed["events"]
    assert not (output / "events" / "summer-hackathon").exists()
    assert "Summer Hackathon" not in (output / "events.ics").read_text()


def test_google_calendar_link_keeps_the_last_occurrence_when_its_time_is_repeated(content_dir):
    """The Google link's UNTIL, like the ICS's, is the latest reading of the last start: a
    daily 01:30 London series that ends on the night clocks go back keeps its last meeting."""
    from datetime import datetime, timezone

    from generator.cli import parse_now
    from generator.model import Occurrence
    from generator.build.pipeline import check_content
    from generator.render.views import google_calendar_link

    write_event(content_dir, "late", '''
        title = "Late"
        category = "scrum"
        timezone = "Europe/London"
        start = 2027-10-25T01:30:00
        duration = 20
        [repeat]
        every = "day"
        until = 2027-10-31T01:30:00
        ''')
    (event,) = check_content(content_dir, parse_now(SAMPLE_NOW)).events
    first = Occurrence("late", datetime(2027, 10, 25, 0, 30, tzinfo=timezone.utc),
                       datetime(2027, 10, 25, 0, 50, tzinfo=timezone.utc))
    link = google_calendar_link(event, first, "https://example.org/events/late/")
    # 01:30 on 31 October happens twice (BST, then GMT): the second is 01:30Z.
    assert "UNTIL%3D20271031T013000Z" in link
