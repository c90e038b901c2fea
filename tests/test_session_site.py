"""Session pages in a real build: the sample site with a busy scrum (more past sessions than its
page lists), its archive, /sessions/, the sitemap, valid HTML, one Cache-Control rule each, and
refreshes with the build cache that equal a clean build while rewriting only what changed."""
import json
import shutil
import subprocess
from datetime import date
from xml.etree import ElementTree

import pytest

from conftest import ROOT, SAMPLE_CONTENT, SAMPLE_NOW, build
from generator.render.sessions import PAST_SHOWN
from pagetools import find_all, parse_page
from test_incremental import clean_build, mtimes, run, tree
from test_netlify import SHORT, headers_for, request_paths

BASE = "https://events.harbourcode.example"
# The sample's scrum meets Monday to Thursday; these have no record in the sample yet.
EXTRA_DAYS = [date(2026, 12, 21), date(2026, 12, 22), date(2027, 1, 4), date(2027, 1, 5),
              date(2027, 1, 6), date(2027, 1, 7), date(2027, 1, 11), date(2027, 1, 12),
              date(2027, 1, 13), date(2027, 1, 19)]


def write_session(content, slug: str, day: date, front_matter: str, notes: str = "") -> None:
    folder = content / "sessions" / slug
    folder.mkdir(parents=True, exist_ok=True)
    (folder / f"{day}.md").write_text(f"+++\n{front_matter}\n+++\n{notes}", encoding="utf-8")


def busy_sample(root):
    content = root / "content"
    shutil.copytree(SAMPLE_CONTENT, content)
    for index, day in enumerate(EXTRA_DAYS):
        recording = f'recording = "https://vimeo.com/{1000 + index}"' if index % 2 else ""
        write_session(content, "euroasia-scrum", day, f'host = "Host {index}"\n{recording}',
                      f"Notes of {day}.\n")
    return content


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    root = tmp_path_factory.mktemp("session-site")
    content = busy_sample(root)
    assert build(content, root / "public", SAMPLE_NOW).ok
    return root / "public"


def scrum_past_days(site) -> list[str]:
    return sorted((p.parent.name for p in (site / "events" / "euroasia-scrum").glob("20*/index.html")
                   if p.parent.name < SAMPLE_NOW[:10]), reverse=True)


def test_every_record_has_its_page_and_the_event_page_links_the_latest_ten(site):
    past = scrum_past_days(site)
    assert len(past) > PAST_SHOWN
    page = parse_page(site / "events" / "euroasia-scrum" / "index.html")
    listed = [a.attrs["href"] for a in find_all(page, "a", cls="session-date")]
    assert listed == [f"/events/euroasia-scrum/{day}/" for day in past[:PAST_SHOWN]]
    archive = parse_page(site / "events" / "euroasia-scrum" / "sessions" / "index.html")
    assert [a.attrs["href"] for a in find_all(archive, "a", cls="session-date")] == [
        f"/events/euroasia-scrum/{day}/" for day in past]
    # An event with few records has no archive page.
    assert not (site / "events" / "monthly-review" / "sessions").exists()


def test_sessions_page_lists_every_recording_that_has_ended_newest_first(site):
    page = parse_page(site / "sessions" / "index.html")
    listed = [a.attrs["href"].strip("/").split("/")[1:] for a in find_all(page, "a", cls="session-date")]
    days = [day for _, day in listed]
    assert days == sorted(days, reverse=True) and all(day < SAMPLE_NOW[:10] for day in days)
    scrum = {day for slug, day in listed if slug == "euroasia-scrum"}
    recorded = {str(day) for index, day in enumerate(EXTRA_DAYS) if index % 2}
    assert recorded <= scrum and not (set(map(str, EXTRA_DAYS)) - recorded) & scrum
    footer = (site / "index.html").read_text().split("<footer", 1)[1]
    assert 'href="/sessions/"' in footer  # every page's footer links it


def test_sitemap_lists_session_pages_the_archive_and_sessions(site):
    namespace = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
    root = ElementTree.fromstring((site / "sitemap.xml").read_bytes())
    listed = sorted(loc.text for loc in root.findall("s:url/s:loc", namespace))
    # Every page but the 404, the embed pages (frames for other sites, noindex) and the CMS.
    pages = sorted(f"{BASE}/" + p.relative_to(site).as_posix().removesuffix("index.html")
                   for p in site.rglob("*.html")
                   if p.name != "404.html" and p.relative_to(site).parts[0] not in ("embed", "admin"))
    assert listed == pages
    assert f"{BASE}/events/euroasia-scrum/sessions/" in listed
    assert f"{BASE}/events/euroasia-scrum/2027-01-19/" in listed and f"{BASE}/sessions/" in listed


def test_every_session_page_gets_one_short_cache_rule(site):
    checked = 0
    for path, kind in request_paths(site):
        parts = path.split("/")
        if path.startswith("/sessions/") or (len(parts) > 3 and parts[1] == "events" and (
                parts[3].startswith("20") or parts[3] == "sessions")):
            assert [v for _, v in headers_for(path).get("cache-control", [])] == [SHORT], path
            checked += 1
    assert checked > 2 * (len(EXTRA_DAYS) + 1)


def test_session_pages_and_the_archive_are_valid_html(site):
    jar = ROOT / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
    pages = sorted(str(p) for p in site.rglob("*.html")
                   if "sessions" in p.parts or p.parent.name.startswith("20"))
    assert len(pages) > len(EXTRA_DAYS)
    result = subprocess.run(["java", "-jar", str(jar), "--errors-only", "--format", "json", *pages],
                            capture_output=True, text=True, timeout=300)
    messages = json.loads(result.stderr or '{"messages": []}')["messages"]
    assert messages == [], json.dumps(messages[:5], indent=1)


# --- refreshes with the build cache ----------------------------------------------------------

T0, T1 = SAMPLE_NOW, "2027-01-21T12:00:00Z"  # a day later: the scrum of the 21st has ended


def test_a_refresh_and_an_edited_record_rewrite_only_what_they_change(tmp_path):
    content = busy_sample(tmp_path)
    output = tmp_path / "public"
    run(content, output, T0, jobs=1, cache=True)
    before, times = tree(output), mtimes(output)
    # Nothing edited, a day later: still exactly a clean build.
    run(content, output, T1, jobs=1, cache=True)
    assert tree(output) == clean_build(content, tmp_path, T1)
    # Edit one record: its page changes, with its neighbours (their links name it), the event's
    # page and the lists; another event's session pages stay the very same files.
    record = content / "sessions" / "euroasia-scrum" / "2027-01-12.md"
    record.write_text(record.read_text().replace('host = "Host 7"', 'host = "Host 7"\ntitle = "Renamed"'))
    settled = mtimes(output)
    run(content, output, T1, jobs=1, cache=True)
    after = tree(output)
    assert after == clean_build(content, tmp_path, T1)
    assert b"Renamed" in after["events/euroasia-scrum/2027-01-12/index.html"]
    assert b"Renamed" in after["events/euroasia-scrum/2027-01-13/index.html"]  # its next's link
    later = mtimes(output)
    untouched = "events/monthly-review/2027-01-12/index.html"
    assert later[untouched] == settled[untouched] == times[untouched]
    far = "events/euroasia-scrum/2026-12-21/index.html"  # not a neighbour
    assert later[far] == settled[far] and after[far] == before[far]
    # A record deleted: its page goes.
    record.unlink()
    run(content, output, T1, jobs=1, cache=True)
    assert not (output / "events" / "euroasia-scrum" / "2027-01-12").exists()
    assert tree(output) == clean_build(content, tmp_path, T1)


def test_a_session_page_drops_its_join_link_once_it_has_ended(tmp_path):
    content = tmp_path / "content"
    shutil.copytree(SAMPLE_CONTENT, content)
    write_session(content, "euroasia-scrum", date(2027, 1, 21), 'url = "https://meet.jit.si/own-room"')
    output = tmp_path / "public"
    page = output / "events" / "euroasia-scrum" / "2027-01-21" / "index.html"
    # What a visitor sees (the search data's VirtualLocation keeps where the meeting was held).
    def body() -> str:
        return page.read_text().split("<body", 1)[1]
    run(content, output, T0, jobs=1, cache=True)
    assert '<a href="https://meet.jit.si/own-room"' in body()
    run(content, output, T1, jobs=1, cache=True)
    assert "https://meet.jit.si/own-room" not in body()
    assert tree(output) == clean_build(content, tmp_path, T1)


def test_no_page_frames_another_site(site):
    """Recordings are links: no page has a frame, so the CSP needs no frame-src."""
    assert not [p for p in site.rglob("*.html") if b"<iframe" in p.read_bytes()]
    assert b"Watch the recording on YouTube" in (
        site / "events" / "euroasia-scrum" / "2027-01-14" / "index.html").read_bytes()


def _json_ld(page) -> dict:
    text = page.read_text(encoding="utf-8")
    start = text.index('<script type="application/ld+json">') + len('<script type="application/ld+json">')
    return json.loads(text[start:text.index("</script>", start)])


def test_session_pages_tell_search_engines_cancelled_and_moved_meetings(site):
    """The sample's cancelled scrum of 1 February keeps its date with EventCancelled; the
    pairing an override moves from Thursday 4 to Wednesday 3 February is EventRescheduled,
    with the date it had as previousStartDate; a past session is scheduled, recorded."""
    cancelled = _json_ld(site / "events" / "euroasia-scrum" / "2027-02-01" / "index.html")
    assert cancelled["eventStatus"] == "https://schema.org/EventCancelled"
    assert cancelled["startDate"].startswith("2027-02-01T")
    assert "previousStartDate" not in cancelled
    assert cancelled["superEvent"]["url"] == "https://events.harbourcode.example/events/euroasia-scrum/"
    moved = _json_ld(site / "events" / "pair-programming-thursdays" / "2027-02-04" / "index.html")
    assert moved["eventStatus"] == "https://schema.org/EventRescheduled"
    assert moved["startDate"].startswith("2027-02-03T")
    assert moved["previousStartDate"].startswith("2027-02-04T")
    assert moved["url"] == ("https://events.harbourcode.example/events/"
                            "pair-programming-thursdays/2027-02-04/")
    past = _json_ld(site / "events" / "euroasia-scrum" / "2027-01-18" / "index.html")
    assert past["eventStatus"] == "https://schema.org/EventScheduled"
    assert past["recordedIn"]["url"].startswith("https://")
