"""Descriptions come from many hands: raw HTML in them is sanitized, and nothing dangerous in a
description or title reaches a page, a feed or a calendar unescaped."""
import json
import re

import pytest

from conftest import build, write_event
from generator.render.markup import render_description

HOSTILE_DESCRIPTION = """Welcome! <script>alert("from a description")</script>

<img src="x" onerror="alert('img')"> and <a href="https://good.example" onclick="steal()">a link</a>,
[a trap](javascript:alert('link')), <iframe src="https://evil.example"></iframe>
<style>body { display: none }</style><p style="color:red" onmouseover="alert(2)">styled</p>

Plain https://meet.example/room stays a link.
"""


@pytest.fixture
def hostile_site(content_dir, output_dir):
    write_event(content_dir, "hostile", """
        title = "Review <script>alert('title')</script>"
        category = "meeting"
        timezone = "Europe/London"
        start = 2027-01-05T18:30:00
        duration = 45
        rrule = "FREQ=WEEKLY;BYDAY=TU"
        project = "<b>web</b>"
    """, body=HOSTILE_DESCRIPTION)
    assert build(content_dir, output_dir, "2027-01-01T00:00:00Z").ok
    return output_dir


def test_sanitizer_keeps_formatting_and_drops_code():
    html = render_description(HOSTILE_DESCRIPTION).html
    assert "<script" not in html and "alert(\"from" not in html
    assert "onerror" not in html and "onclick" not in html and "onmouseover" not in html
    assert "javascript:" not in html and "<iframe" not in html and "<style" not in html
    assert "style=" not in html
    assert '<a href="https://good.example" rel="noopener">a link</a>' in html
    assert '<a href="https://meet.example/room" rel="noopener">https://meet.example/room</a>' in html


def test_nothing_from_a_description_reaches_any_output_unescaped(hostile_site):
    files = [p for p in hostile_site.rglob("*") if p.is_file() and "static" not in p.parts]
    assert len(files) > 5
    for path in files:
        text = path.read_text(encoding="utf-8")
        lowered = text.lower()
        for needle in ("onerror", "onclick", "onmouseover", "javascript:", "<iframe",
                       'alert("from a description")', "alert('img')"):
            assert needle not in lowered, (path, needle)


def test_titles_are_escaped_in_pages_and_feeds(hostile_site):
    for page in hostile_site.rglob("*.html"):
        html = page.read_text()
        # Our own script tags load files; no other <script> survives.
        scripts = re.findall(r"<script\b[^>]*>", html)
        assert all("src=" in s or 'type="application/' in s for s in scripts), page
        assert "<script>alert" not in html and "<b>web</b>" not in html, page
    event_page = (hostile_site / "events" / "hostile" / "index.html").read_text()
    assert "Review &lt;script&gt;alert(&#39;title&#39;)&lt;/script&gt;" in event_page
    # The JSON feed says the title as data, and no "<" can close a <script> it is pasted into.
    feed_text = (hostile_site / "events.json").read_text()
    assert "<" not in feed_text
    assert json.loads(feed_text)["events"]["hostile"]["title"] == "Review <script>alert('title')</script>"
    # JSON-LD and the countdown's data inside the page cannot end their <script> element early.
    json_ld = re.search(r'<script type="application/ld\+json">(.*?)</script>', event_page, re.S).group(1)
    assert "<" not in json_ld
    assert json.loads(json_ld)["name"] == "Review <script>alert('title')</script>"
    data = re.search(r'<script type="application/json" id="event-schedule">(.*?)</script>', event_page, re.S).group(1)
    assert "<" not in data
    assert json.loads(data)["events"]["hostile"]["title"] == "Review <script>alert('title')</script>"


def test_calendar_description_is_plain_text_from_the_sanitized_html(hostile_site):
    ics = (hostile_site / "events" / "hostile" / "event.ics").read_bytes().decode()
    vevent = ics.replace("\r\n ", "").split("BEGIN:VEVENT", 1)[1]
    description = re.search(r"^DESCRIPTION:(.*)\r$", vevent, re.M).group(1)
    assert description.startswith("Welcome!")
    assert "<" not in description and "alert" not in description
    assert "a link (https://good.example)" in description
