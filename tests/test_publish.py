"""Publishing: every calendar feed reads right in ical.js, search engines get valid schema.org
data, a sitemap and robots.txt, every page is valid HTML, and a refresh rebuild changes only
what time has moved."""
import json
import re
import shutil
import subprocess
from datetime import timedelta
from pathlib import Path
from xml.etree import ElementTree

import pytest

from conftest import (ROOT, SAMPLE_CONTENT, SAMPLE_NOW, build, feed_instants, icaljs_expand,
                      icaljs_instants, parse_now)
from pagetools import find_all, parse_page

BASE = "https://events.harbourcode.example"


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    root = tmp_path_factory.mktemp("publish")
    shutil.copytree(SAMPLE_CONTENT, root / "content")
    assert build(root / "content", root / "public", SAMPLE_NOW).ok
    return root / "public"


def tree(directory: Path) -> dict[str, bytes]:
    return {p.relative_to(directory).as_posix(): p.read_bytes()
            for p in sorted(directory.rglob("*")) if p.is_file()}


def test_every_calendar_feed_reads_as_the_feed_says_in_icaljs(site):
    feed = json.loads((site / "events.json").read_text())
    calendars = sorted(site.rglob("*.ics"))
    assert len(calendars) >= 1 + 4 + 3 + 9  # all, categories, projects, events
    for calendar in calendars:
        text = calendar.read_bytes().decode()
        uids = set(re.findall(r"^UID:([a-z0-9-]+)@", text, re.M))
        expected = sorted(o for o in feed_instants(feed) if o[0] in uids)
        found = icaljs_instants(icaljs_expand(calendar, feed["generated_at"], feed["horizon_end"]))
        assert found == expected, calendar.relative_to(site)
        assert "REFRESH-INTERVAL;VALUE=DURATION:PT6H" in text and "X-PUBLISHED-TTL:PT6H" in text
        assert re.search(r"^X-WR-CALNAME:.+", text, re.M) and re.search(r"^NAME:.+", text, re.M)


def test_category_calendar_holds_exactly_that_category(site):
    text = (site / "categories" / "scrum" / "events.ics").read_bytes().decode()
    assert sorted(set(re.findall(r"^UID:([a-z0-9-]+)@", text, re.M))) == [
        "americas-scrum", "asia-pacific-scrum", "atlantic-scrum", "euroasia-scrum"]
    assert "X-WR-CALNAME:Harbour Code Collective: Scrum" in text


def test_pages_offer_webcal_subscriptions(site):
    links = [a.attrs.get("href") for a in find_all(parse_page(site / "categories" / "scrum" / "index.html"), "a")]
    assert "webcal://events.harbourcode.example/categories/scrum/events.ics" in links
    event_links = [a.attrs.get("href") for a in find_all(parse_page(site / "events" / "euroasia-scrum" / "index.html"), "a")]
    assert "webcal://events.harbourcode.example/events/euroasia-scrum/event.ics" in event_links


def json_ld(page: Path) -> dict:
    block = re.search(r'<script type="application/ld\+json">(.*?)</script>', page.read_text(), re.S)
    return json.loads(block.group(1))


def test_event_pages_carry_schema_org_events(site):
    for page in sorted((site / "events").glob("*/index.html")):
        data = json_ld(page)
        assert data["@context"] == "https://schema.org" and data["@type"] == "Event", page
        for field in ("name", "startDate", "endDate", "location", "eventAttendanceMode", "url",
                      "description", "organizer"):
            assert data.get(field), (page, field)
        locations = data["location"] if isinstance(data["location"], list) else [data["location"]]
        assert {l["@type"] for l in locations} <= {"VirtualLocation", "Place"}, page
        assert all(l["url"] for l in locations if l["@type"] == "VirtualLocation"), page
        # A date-time with the offset attendees saw; a date for an all-day event.
        assert re.fullmatch(r"\d{4}-\d\d-\d\d(T\d\d:\d\d:\d\d[+-]\d\d:\d\d)?", data["startDate"])
        assert ("T" in data["startDate"]) == ("T" in data["endDate"]), page
        assert data["url"] == f"{BASE}/events/{page.parent.name}/"


def test_recurring_events_state_their_schedule(site):
    scrum = json_ld(site / "events" / "euroasia-scrum" / "index.html")
    assert scrum["startDate"] == "2027-01-21T07:00:00+00:00"
    schedule = scrum["eventSchedule"]
    assert schedule["@type"] == "Schedule" and schedule["repeatFrequency"] == "P1W"
    assert schedule["byDay"] == [f"https://schema.org/{d}" for d in ("Monday", "Tuesday", "Wednesday", "Thursday")]
    assert (schedule["startTime"], schedule["endTime"], schedule["scheduleTimezone"]) == \
        ("07:00:00", "07:25:00", "Europe/London")
    assert json_ld(site / "events" / "pair-programming-thursdays" / "index.html")["eventSchedule"]["repeatFrequency"] == "P2W"
    review = json_ld(site / "events" / "monthly-review" / "index.html")["eventSchedule"]
    assert (review["repeatFrequency"], review["byDay"], review["byMonthWeek"]) == \
        ("P1M", ["https://schema.org/Tuesday"], [2])
    assert "eventSchedule" not in json_ld(site / "events" / "winter-retrospective" / "index.html")


def test_every_page_has_canonical_address_and_open_graph(site):
    for page in sorted(site.rglob("*.html")):
        if page.relative_to(site).parts[0] == "admin":
            continue  # the CMS: noindex, no previews (tests/test_cms_config.py)
        elements = parse_page(page)
        canonical = find_all(elements, "link", rel="canonical")[0].attrs["href"]
        relative = page.relative_to(site).as_posix().removesuffix("index.html")
        assert canonical == f"{BASE}/{relative}", page
        assert find_all(elements, "meta", name="description")[0].attrs["content"]
        if relative.startswith("embed/"):
            # The widget's iframe pages are for frames, not for search or link previews.
            assert find_all(elements, "meta", name="robots")[0].attrs["content"] == "noindex", page
            continue
        og = {m.attrs["property"]: m.attrs["content"] for m in find_all(elements, "meta")
              if m.attrs.get("property", "").startswith("og:")}
        assert og["og:url"] == canonical and og["og:title"] and og["og:description"], page


def test_sitemap_lists_every_page_once_and_robots_points_to_it(site):
    namespace = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
    root = ElementTree.fromstring((site / "sitemap.xml").read_bytes())
    listed = [loc.text for loc in root.findall("s:url/s:loc", namespace)]
    # Every page but the 404, the widget's iframe pages (noindex: they are for frames) and the
    # CMS (noindex: for editors).
    pages = sorted(f"{BASE}/" + p.relative_to(site).as_posix().removesuffix("index.html")
                   for p in site.rglob("*.html")
                   if p.name != "404.html" and p.relative_to(site).parts[0] not in ("embed", "admin"))
    assert sorted(listed) == pages and len(listed) == len(set(listed))
    assert f"Sitemap: {BASE}/sitemap.xml" in (site / "robots.txt").read_text()
    assert "Page not found" in (site / "404.html").read_text()


def test_every_page_is_valid_html(site):
    """The Nu HTML Checker (vnu-jar, the W3C validator) finds no error in any page."""
    jar = ROOT / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
    pages = sorted(str(p) for p in site.rglob("*.html"))
    result = subprocess.run(["java", "-jar", str(jar), "--errors-only", "--format", "json", *pages],
                            capture_output=True, text=True, timeout=300)
    messages = json.loads(result.stderr or '{"messages": []}')["messages"]
    assert messages == [], json.dumps(messages[:5], indent=1)
    assert result.returncode == 0


def test_refresh_changes_only_what_time_moved(site, tmp_path):
    """Six hours later with nothing edited: calendars, assets, sitemap and 404 stay the same
    bytes; the feed and the pages whose upcoming dates moved change."""
    later = parse_now(SAMPLE_NOW) + timedelta(hours=6)
    content = site.parent / "content"
    assert build(content, tmp_path / "later", later.strftime("%Y-%m-%dT%H:%M:%SZ")).ok
    before, after = tree(site), tree(tmp_path / "later")
    assert sorted(before) == sorted(after)
    changed = sorted(name for name in before if before[name] != after[name])
    print(f"\nrefresh after 6 hours: {len(changed)} of {len(before)} files changed:", *changed, sep="\n  ")
    assert "events.json" in changed and "index.html" in changed
    unchanged_kinds = [n for n in changed if n.endswith((".ics", ".css", ".js", ".svg", ".xml", ".txt"))
                       or n == "404.html"]
    assert unchanged_kinds == []
    # The Atlantic Scrum of 20 January (15:15Z) has passed by 18:00Z: its page lists new dates;
    # the monthly review (next on 9 February) has not moved.
    assert "events/atlantic-scrum/index.html" in changed
    assert "events/monthly-review/index.html" not in changed
