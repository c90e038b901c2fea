"""/changes.atom and /sessions.atom: the schedule's changes from real git repositories, and the
sessions with recordings; every built feed valid against RFC 4287's own schema (RELAX NG,
tests/data/atom-rfc4287.rnc, checked with Jing) and the W3C feed validator's main rules."""
import re
import subprocess
import xml.etree.ElementTree as ET
from datetime import date, datetime, timezone
from pathlib import Path
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

import pytest
from dateutil.rrule import MO, WE, WEEKLY, rrule

from conftest import ROOT, build, write_event
from test_history import commit, git

A = "{http://www.w3.org/2005/Atom}"
BASE = "https://events.example.org/"
JING = ["java", "-cp", str(ROOT / "node_modules/vnu-jar/build/dist/vnu.jar"),
        "nu.validator.vendor.thaiopensource.relaxng.util.Driver", "-c",
        str(ROOT / "tests/data/atom-rfc4287.rnc")]
RFC_3339_UTC = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$")

STANDUP = """
    title = "Standup"
    category = "scrum"
    timezone = "Europe/London"
    start = 2026-09-07T10:00:00
    duration = 15
    rrule = "FREQ=WEEKLY;BYDAY=MO,WE"
"""


# --- validity: the RFC's schema and the validator's rules ------------------------------------------

def schema_errors(*paths: Path) -> str:
    """Jing's complaints about these files against RFC 4287 Appendix B ("" when valid)."""
    result = subprocess.run([*JING, *map(str, paths)], capture_output=True, text=True, timeout=120)
    return result.stdout + result.stderr if result.returncode else ""


def feed_rule_problems(data: bytes, address: str) -> list[str]:
    """What the W3C feed validator checks beyond the schema, and the schema's two Schematron
    rules (which Jing does not run): the self link is the feed's own address; ids are absolute
    and unique; dates are RFC 3339; every link is absolute; an author for every entry; an
    alternate link or content in every entry; published never after updated."""
    root = ET.fromstring(data)
    problems = []
    links = {link.get("rel"): link for link in root.findall(A + "link")}
    if "self" not in links or links["self"].get("href") != address:
        problems.append(f"the self link is not {address}")
    if links.get("self") is not None and links["self"].get("type") != "application/atom+xml":
        problems.append("the self link has no Atom type")
    ids = [root.findtext(A + "id")] + [e.findtext(A + "id") for e in root.findall(A + "entry")]
    if len(set(ids)) != len(ids):
        problems.append("ids repeat")
    for value in ids:
        if not re.match(r"^(https://[^/]+/|tag:[a-z0-9.-]+,\d{4}(-\d{2}(-\d{2})?)?:)", value or ""):
            problems.append(f"id {value!r} is not an absolute https: or tag: IRI")
    for element in root.iter():
        if element.tag in (A + "updated", A + "published") and not RFC_3339_UTC.match(element.text or ""):
            problems.append(f"date {element.text!r} is not RFC 3339 in UTC")
        href = element.get("href")
        if href is not None and not urlsplit(href).scheme:
            problems.append(f"relative link {href!r}")
    for entry in root.findall(A + "entry"):
        if not any(link.get("rel", "alternate") == "alternate" for link in entry.findall(A + "link")) \
                and entry.find(A + "content") is None:
            problems.append("an entry without an alternate link or content")
        if root.find(A + "author") is None and entry.find(A + "author") is None:
            problems.append("an entry without an author")
        published = entry.findtext(A + "published")
        if published and published > entry.findtext(A + "updated"):
            problems.append("published after updated")
        content = entry.find(A + "content")
        if content is not None:
            for href in re.findall(r'(?:href|src)="([^"]*)"', content.text or ""):
                if not urlsplit(href).scheme:
                    problems.append(f"relative link {href!r} in content")
    return problems


def assert_valid_feeds(output: Path) -> None:
    feeds = sorted(output.rglob("*.atom"))
    assert {p.name for p in feeds} >= {"changes.atom", "sessions.atom"}
    assert schema_errors(*feeds) == ""
    for path in feeds:
        address = BASE.rstrip("/") + "/" + path.relative_to(output).as_posix()
        assert feed_rule_problems(path.read_bytes(), address) == [], path


def test_the_schema_check_can_fail(tmp_path):
    bad = tmp_path / "bad.atom"
    bad.write_text('<feed xmlns="http://www.w3.org/2005/Atom"><title>x</title>'
                   "<updated>yesterday</updated></feed>")
    errors = schema_errors(bad)
    assert "updated" in errors and "id" in errors
    assert feed_rule_problems(bad.read_bytes(), BASE + "bad.atom") == [
        f"the self link is not {BASE}bad.atom", "id None is not an absolute https: or tag: IRI",
        "date 'yesterday' is not RFC 3339 in UTC"]


# --- a real repository: a day of edits --------------------------------------------------------------

def site_toml(content: Path) -> None:
    (content / "site.toml").write_text(f'title = "Example"\nbase_url = "{BASE}"\n')


def entries(output: Path, name: str = "changes.atom") -> list[dict]:
    root = ET.fromstring((output / name).read_bytes())
    return [{"id": e.findtext(A + "id"), "title": e.findtext(A + "title"),
             "updated": e.findtext(A + "updated"),
             "link": e.find(A + "link").get("href")} for e in root.findall(A + "entry")]


@pytest.fixture
def day_of_edits(tmp_path):
    """One day: a series added at 09:00, an occurrence cancelled at 11:00, the time moved at 15:00."""
    repo = tmp_path / "site"
    content = repo / "content"
    (content / "events").mkdir(parents=True)
    site_toml(content)
    git(repo, "init", "-q")
    write_event(content, "standup", STANDUP, "Daily check-in.\n")
    commit(repo, "Add the standup", "2026-10-01T09:00:00+00:00")
    cancelled = STANDUP + "    exdates = [2026-10-12T10:00:00]\n"
    write_event(content, "standup", cancelled, "Daily check-in.\n")
    commit(repo, "No standup on the 12th", "2026-10-01T11:00:00+00:00")
    write_event(content, "standup", cancelled.replace("start = 2026-09-07T10:00:00",
                                                      "start = 2026-09-07T10:30:00")
                .replace("exdates = [2026-10-12T10:00:00]", "exdates = [2026-10-12T10:30:00]"),
                "Daily check-in.\n")
    commit(repo, "Standup half an hour later", "2026-10-01T15:00:00+00:00")
    return repo


def first_meeting_after(moment: datetime, hour: int, minute: int) -> date:
    """dateutil's answer: the first Monday or Wednesday meeting at that London time after `moment`."""
    london = ZoneInfo("Europe/London")
    rule = rrule(WEEKLY, byweekday=(MO, WE), dtstart=datetime(2026, 9, 7, hour, minute))
    return next(d for d in rule if d.replace(tzinfo=london) >= moment).date()


def test_a_days_edits_are_listed_newest_first_with_their_commit_dates(day_of_edits, tmp_path):
    result = build(day_of_edits / "content", tmp_path / "out", "2026-10-02T00:00:00Z")
    assert result.ok, result.problems
    found = entries(tmp_path / "out")
    moved_from = first_meeting_after(datetime(2026, 10, 1, 15, tzinfo=timezone.utc), 10, 30)
    assert [(e["title"], e["updated"]) for e in found] == [
        (f"Standup moves from 10:00 to 10:30 London from "
         f"{moved_from:%A} {moved_from.day} {moved_from:%B %Y}", "2026-10-01T15:00:00Z"),
        ("Standup: Monday 12 October 2026 cancelled", "2026-10-01T11:00:00Z"),
        ("New: Standup, every Monday and Wednesday at 10:00 (Europe/London)",
         "2026-10-01T09:00:00Z")]
    assert {e["link"] for e in found} == {BASE + "events/standup/"}
    hashes = subprocess.run(["git", "log", "--format=%H"], cwd=day_of_edits, capture_output=True,
                            text=True, check=True).stdout.split()
    assert [e["id"] for e in found] == [
        f"tag:events.example.org,2026-10-01:changes/{hashes[0]}/standup/time",
        f"tag:events.example.org,2026-10-01:changes/{hashes[1]}/standup/cancelled/2026-10-12",
        f"tag:events.example.org,2026-10-01:changes/{hashes[2]}/standup/new"]
    root = ET.fromstring((tmp_path / "out" / "changes.atom").read_bytes())
    assert root.findtext(A + "updated") == "2026-10-01T15:00:00Z"
    assert_valid_feeds(tmp_path / "out")


def test_rebuilding_later_gives_the_same_feeds_byte_for_byte(day_of_edits, tmp_path):
    assert build(day_of_edits / "content", tmp_path / "a", "2026-10-02T00:00:00Z").ok
    assert build(day_of_edits / "content", tmp_path / "b", "2026-11-20T06:00:00Z").ok
    for name in ("changes.atom", "sessions.atom"):
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes()


def test_a_description_edit_is_no_schedule_change(day_of_edits, tmp_path):
    content = day_of_edits / "content"
    text = (content / "events" / "standup.md").read_text()
    (content / "events" / "standup.md").write_text(text.replace("Daily check-in.", "Cameras optional."))
    commit(day_of_edits, "Reword", "2026-10-01T16:00:00+00:00")
    assert build(content, tmp_path / "out", "2026-10-02T00:00:00Z").ok
    assert len(entries(tmp_path / "out")) == 3


def test_join_link_status_and_removal_are_told(day_of_edits, tmp_path):
    content = day_of_edits / "content"
    path = content / "events" / "standup.md"
    text = path.read_text()
    path.write_text(text.replace('rrule', 'url = "https://meet.example.org/standup"\nrrule'))
    commit(day_of_edits, "Join link", "2026-10-02T08:00:00+00:00")
    path.write_text(path.read_text().replace(
        'rrule', 'status = "postponed"\nreason = "Until the new team starts"\nrrule'))
    commit(day_of_edits, "Postponed", "2026-10-02T09:00:00+00:00")
    write_event(content, "review", STANDUP.replace("Standup", "Review"))
    commit(day_of_edits, "Review", "2026-10-02T10:00:00+00:00")
    (content / "events" / "review.md").unlink()
    commit(day_of_edits, "No review after all", "2026-10-02T11:00:00+00:00")
    assert build(content, tmp_path / "out", "2026-10-03T00:00:00Z").ok
    found = entries(tmp_path / "out")
    assert [e["title"] for e in found[:4]] == [
        "Review is no longer on the schedule",
        "New: Review, every Monday and Wednesday at 10:00 (Europe/London)",
        "Standup is postponed — Until the new team starts",
        "Standup has a new join link: https://meet.example.org/standup"]
    assert found[0]["link"] == BASE  # its page is gone
    assert_valid_feeds(tmp_path / "out")


def test_moves_extra_dates_durations_rules_and_one_days_join_link_are_told(day_of_edits, tmp_path):
    content = day_of_edits / "content"
    path = content / "events" / "standup.md"

    def edit(old, new, message, when):
        path.write_text(path.read_text().replace(old, new, 1))
        commit(day_of_edits, message, when)

    edit("rrule", "rdates = [2026-10-17T11:00:00]\nrrule", "Extra", "2026-10-02T08:00:00+00:00")
    edit("exdates = [2026-10-12T10:30:00]\n", "exdates = [2026-10-12T10:30:00]\n[[overrides]]\n"
         "original = 2026-10-19T10:30:00\nstart = 2026-10-20T09:00:00\n"
         "title = \"Standup (Tuesday)\"\n", "Move", "2026-10-02T09:00:00+00:00")
    edit("duration = 15", "duration = 20", "Longer", "2026-10-02T10:00:00+00:00")
    edit("BYDAY=MO,WE", "BYDAY=MO,WE,FR", "Fridays too", "2026-10-02T11:00:00+00:00")
    session = content / "sessions" / "standup" / "2026-10-21.md"
    session.parent.mkdir(parents=True)
    session.write_text('+++\nurl = "https://meet.example.org/other-room"\n+++\n')
    commit(day_of_edits, "Other room on the 21st", "2026-10-02T12:00:00+00:00")
    assert build(content, tmp_path / "out", "2026-10-03T00:00:00Z").ok
    assert [e["title"] for e in entries(tmp_path / "out")[:5]] == [
        "Standup, Wednesday 21 October 2026: join at https://meet.example.org/other-room",
        # Friday's meeting was over when the commit landed at 11:00 UTC: Monday is the first.
        "Standup has a new schedule from Monday 5 October 2026: every Monday, Wednesday and "
        "Friday at 10:30 (Europe/London), and on 1 other date (was: every Monday and Wednesday "
        "at 10:30 (Europe/London), and on 1 other date)",
        "Standup now lasts 20 minutes (was 15 minutes) from Monday 5 October 2026",
        "Standup: Monday 19 October 2026 moves to Tuesday 20 October 2026 at 09:00 London, "
        "is called “Standup (Tuesday)”",
        "Standup: an extra meeting on Saturday 17 October 2026 at 11:00 London"]
    assert_valid_feeds(tmp_path / "out")


def test_a_version_that_did_not_pass_check_is_skipped(day_of_edits, tmp_path):
    content = day_of_edits / "content"
    path = content / "events" / "standup.md"
    good = path.read_text()
    path.write_text(good.replace('timezone = "Europe/London"', 'timezone = "Europe/Londn"'))
    commit(day_of_edits, "Typo", "2026-10-02T08:00:00+00:00")
    path.write_text(good.replace("duration = 15", "duration = 30"))
    commit(day_of_edits, "Fixed, and longer", "2026-10-02T09:00:00+00:00")
    assert build(content, tmp_path / "out", "2026-10-03T00:00:00Z").ok
    assert [e["updated"] for e in entries(tmp_path / "out")][:1] == ["2026-10-01T15:00:00Z"]


def test_a_cancelled_session_record_gives_the_reason_once(day_of_edits, tmp_path):
    """The editor cancels the 14 October standup with an exdate and the session record that
    says why, in one commit: one entry, with the reason."""
    content = day_of_edits / "content"
    path = content / "events" / "standup.md"
    path.write_text(path.read_text().replace("exdates = [2026-10-12T10:30:00]",
                                             "exdates = [2026-10-12T10:30:00, 2026-10-14]"))
    session = content / "sessions" / "standup" / "2026-10-14.md"
    session.parent.mkdir(parents=True)
    session.write_text('+++\nstatus = "cancelled"\nreason = "Most of us are at FOSDEM"\n+++\n')
    commit(day_of_edits, "No standup on the 14th", "2026-10-03T10:00:00+00:00")
    result = build(content, tmp_path / "out", "2026-10-04T00:00:00Z")
    assert result.ok, result.problems
    found = entries(tmp_path / "out")
    assert found[0]["title"] == "Standup: Wednesday 14 October 2026 cancelled — Most of us are at FOSDEM"
    assert found[1]["updated"] == "2026-10-01T15:00:00Z"
    assert_valid_feeds(tmp_path / "out")


def test_the_walk_stops_once_enough_changes_are_found(day_of_edits, monkeypatch):
    from generator.build import changes
    from generator.build.history import load_git_history
    from generator.content.validate import read_site

    parsed = []
    real = changes._event_version
    monkeypatch.setattr(changes, "_event_version", lambda *a: parsed.append(a) or real(*a))
    content = day_of_edits / "content"
    site, _ = read_site(content)
    found = changes.recent_changes(load_git_history(content), content, site, {}, limit=1)
    assert [c.kind for c in found] == ["time"]
    assert len(parsed) == 2  # the newest commit's two versions, nothing older


# --- without the history -------------------------------------------------------------------------

def test_without_git_the_feed_is_valid_empty_and_says_why(tmp_path):
    content = tmp_path / "content"
    write_event(content, "standup", STANDUP)
    site_toml(content)
    assert build(content, tmp_path / "out", "2026-10-02T00:00:00Z").ok
    root = ET.fromstring((tmp_path / "out" / "changes.atom").read_bytes())
    assert root.findall(A + "entry") == []
    assert "no git history" in root.findtext(A + "subtitle")
    assert_valid_feeds(tmp_path / "out")


def test_a_shallow_clone_lists_only_what_it_can_tell(day_of_edits, tmp_path):
    """Netlify and CI clone shallow. The oldest commit a clone has looks as if it added every
    file; it is left out rather than announced as a new series."""
    clone = tmp_path / "clone"
    subprocess.run(["git", "clone", "-q", "--depth", "2", f"file://{day_of_edits}", str(clone)],
                   check=True)
    assert build(clone / "content", tmp_path / "out", "2026-10-02T00:00:00Z").ok
    found = entries(tmp_path / "out")
    assert [e["updated"] for e in found] == ["2026-10-01T15:00:00Z"]
    root = ET.fromstring((tmp_path / "out" / "changes.atom").read_bytes())
    assert "only the latest part of the history" in root.findtext(A + "subtitle")
    one = tmp_path / "one"
    subprocess.run(["git", "clone", "-q", "--depth", "1", f"file://{day_of_edits}", str(one)],
                   check=True)
    assert build(one / "content", tmp_path / "out1", "2026-10-02T00:00:00Z").ok
    assert entries(tmp_path / "out1") == []
    assert_valid_feeds(tmp_path / "out1")


# --- homepage ------------------------------------------------------------------------------------

def _atom_links(page: Path) -> list[str]:
    return re.findall(r'<link rel="alternate" type="application/atom\+xml" title="[^"]+" '
                      r'href="([^"]+)">', page.read_text())


def test_the_homepage_links_both_feeds_and_the_sessions_page_its_own(day_of_edits, tmp_path):
    assert build(day_of_edits / "content", tmp_path / "out", "2026-10-02T00:00:00Z").ok
    assert _atom_links(tmp_path / "out" / "index.html") == [BASE + "changes.atom",
                                                            BASE + "sessions.atom"]
    assert _atom_links(tmp_path / "out" / "sessions" / "index.html") == [BASE + "sessions.atom"]
    # Pages that follow neither feed link none.
    assert _atom_links(tmp_path / "out" / "events" / "index.html") == []


def test_the_sample_sites_feeds_are_valid(tmp_path):
    assert build(ROOT / "content", tmp_path / "out", "2027-01-01T00:00:00Z").ok
    feeds = sorted((tmp_path / "out").rglob("*.atom"))
    assert schema_errors(*feeds) == ""
    base = "https://events.harbourcode.example/"
    for path in feeds:
        assert feed_rule_problems(path.read_bytes(), base + path.name) == [], path


# --- sessions.atom ---------------------------------------------------------------------------------

def _sessions_feed(sessions, session_times=None):
    """sessions.atom of the sample site's events, with these session records attached (built
    by hand: what the session loader gives is tested through real builds below)."""
    from dataclasses import replace

    from generator.content.validate import read_site
    from generator.render import RenderOptions
    from generator.render.atom_feeds import FeedHistory, sessions_feed
    from generator.render.context import page_context
    from generator.build.pipeline import check_content

    site, _ = read_site(ROOT / "content")
    checked = check_content(ROOT / "content", datetime(2027, 1, 1, tzinfo=timezone.utc))
    events = {e.slug: replace(e, sessions=()) for e in checked.events}  # only these records
    for session in sessions:
        events[session.event] = replace(events[session.event],
                                        sessions=events[session.event].sessions + (session,))
    from generator.render.assets import collect_assets

    page = page_context(site, RenderOptions(ROOT / "templates", ROOT / "static"),
                        collect_assets(ROOT / "static")[0])
    return sessions_feed(page, events, FeedHistory(True, False, (), session_times or {}))


def _session(day, hour, recording="https://www.youtube.com/watch?v=abc", **fields):
    from datetime import timedelta

    from generator.model import Session

    start = datetime(2027, 1, day, hour, tzinfo=timezone.utc)
    return Session("euroasia-scrum", date(2027, 1, day), None,
                   f"content/sessions/euroasia-scrum/2027-01-{day:02d}.md", start=start,
                   end=start + timedelta(minutes=25), recording=recording, **fields)


def test_sessions_feed_lists_recorded_sessions_newest_first_at_their_pages(tmp_path):
    data = _sessions_feed([
        _session(4, 7, notes="We paired on [the feed](https://example.org/pr/1) and "
                 "[the page](/events/) with ![a sketch](sketch.png).\n\n<script>x()</script>",
                 title="Sprint 42 review", hosts=("Sam", "Ana")),
        _session(6, 7),
        _session(5, 7, recording=None, notes="No recording"),
        _session(7, 7, cancelled=True, reason="FOSDEM")])
    path = tmp_path / "sessions.atom"
    path.write_bytes(data)
    assert schema_errors(path) == ""
    base = "https://events.harbourcode.example/"
    assert feed_rule_problems(data, base + "sessions.atom") == []
    root = ET.fromstring(data)
    found = root.findall(A + "entry")
    assert [e.findtext(A + "id") for e in found] == [
        base + "events/euroasia-scrum/2027-01-06/", base + "events/euroasia-scrum/2027-01-04/"]
    assert [e.find(A + "link").get("href") for e in found] == [e.findtext(A + "id") for e in found]
    assert found[1].findtext(A + "title") == "EuroAsia Scrum, Monday 4 January 2027: Sprint 42 review"
    html = found[1].findtext(A + "content")
    assert '<a href="https://example.org/pr/1" rel="noopener">the feed</a>' in html
    assert "script" not in html and "x()" not in html
    assert 'href="https://events.harbourcode.example/events/"' in html
    assert 'src="https://events.harbourcode.example/events/euroasia-scrum/2027-01-04/sketch.png"' in html
    assert 'href="https://www.youtube.com/watch?v=abc"' in html and "Sam, Ana" in html
    # Without git history: updated is when the session ended, which no rebuild moves.
    assert found[0].findtext(A + "updated") == "2027-01-06T07:25:00Z"
    assert root.findtext(A + "updated") == "2027-01-06T07:25:00Z"


def test_a_sessions_updated_date_is_its_files_last_commit(tmp_path):
    first = datetime(2027, 1, 5, 9, tzinfo=timezone.utc)
    last = datetime(2027, 1, 8, 17, 30, tzinfo=timezone.utc)
    data = _sessions_feed([_session(4, 7)], {("euroasia-scrum", "2027-01-04"): (first, last)})
    entry = ET.fromstring(data).find(A + "entry")
    assert (entry.findtext(A + "published"), entry.findtext(A + "updated")) == (
        "2027-01-05T09:00:00Z", "2027-01-08T17:30:00Z")


def test_sessions_feed_is_bounded():
    from generator.render.atom_feeds import SESSIONS_LIMIT

    sessions = [_session(1 + i % 28, i // 28) for i in range(SESSIONS_LIMIT + 10)]
    assert len(ET.fromstring(_sessions_feed(sessions)).findall(A + "entry")) == SESSIONS_LIMIT


def test_a_built_sessions_updated_is_its_files_last_commit_not_the_build(day_of_edits, tmp_path):
    content = day_of_edits / "content"
    session = content / "sessions" / "standup" / "2026-09-30.md"
    session.parent.mkdir(parents=True)
    session.write_text('+++\nrecording = "https://www.youtube.com/watch?v=abc"\n+++\nFirst notes.\n')
    commit(day_of_edits, "Recording", "2026-10-01T16:00:00+00:00")
    session.write_text(session.read_text().replace("First notes.", "Better notes."))
    commit(day_of_edits, "Notes", "2026-10-01T17:00:00+00:00")
    session.write_text(session.read_text().replace("Better notes.", "Uncommitted notes."))
    for output, now in (("a", "2026-10-02T00:00:00Z"), ("b", "2026-10-09T00:00:00Z")):
        result = build(content, tmp_path / output, now)
        assert result.ok, result.problems
        root = ET.fromstring((tmp_path / output / "sessions.atom").read_bytes())
        entry = root.find(A + "entry")
        assert entry.findtext(A + "id") == BASE + "events/standup/2026-09-30/"
        assert (entry.findtext(A + "published"), entry.findtext(A + "updated")) == (
            "2026-10-01T16:00:00Z", "2026-10-01T17:00:00Z")
        assert "Uncommitted notes." in entry.findtext(A + "content")
    assert (tmp_path / "a" / "sessions.atom").read_bytes() == (tmp_path / "b" / "sessions.atom").read_bytes()
    assert_valid_feeds(tmp_path / "a")


def _event(front_matter: str):
    import textwrap

    from generator.content.load import load_event_file
    from generator.content.validate import validate_event

    text = "+++\n" + textwrap.dedent(front_matter).strip() + "\n+++\n"
    raw, _ = load_event_file(Path("/content/events/standup.md"), data=text.encode())
    event, problems = validate_event(raw, None)
    assert event is not None, problems
    return event


def test_an_exdate_only_counts_where_it_cancels_or_brings_back_a_meeting():
    """Early May bank holiday, Monday 3 May 2027: an exdate replaced by skip_holidays brings
    nothing back, and an exdate on a day skip_holidays already skips cancels nothing."""
    from generator.render.changes import event_changes

    when = datetime(2027, 4, 1, tzinfo=timezone.utc)
    with_exdate = _event(STANDUP + "exdates = [2027-05-03]\n")
    skipping = _event(STANDUP + 'skip_holidays = "GB-ENG"\n')
    both = _event(STANDUP + 'skip_holidays = "GB-ENG"\nexdates = [2027-05-03]\n')
    assert [kind for kind, _ in event_changes(with_exdate, skipping, when)] == ["time"]
    assert event_changes(skipping, both, when) == []
    assert event_changes(_event(STANDUP), with_exdate, when) == [
        ("cancelled/2027-05-03", "Standup: Monday 3 May 2027 cancelled")]


def test_the_changes_feed_holds_the_latest_fifty(day_of_edits, tmp_path):
    from generator.build.changes import CHANGES_LIMIT

    content = day_of_edits / "content"
    for number in range(CHANGES_LIMIT + 5):
        write_event(content, f"series-{number:02d}", STANDUP.replace("Standup", f"Series {number}"))
    commit(day_of_edits, "Many series", "2026-10-05T08:00:00+00:00")
    assert build(content, tmp_path / "out", "2026-10-06T00:00:00Z").ok
    found = entries(tmp_path / "out")
    assert CHANGES_LIMIT == 50 and len(found) == 50
    assert {e["updated"] for e in found} == {"2026-10-05T08:00:00Z"}
