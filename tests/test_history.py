"""SEQUENCE and LAST-MODIFIED in calendar feeds come from the content's git history: they change
when an event's times change, and never merely because the site was rebuilt."""
import os
import re
import subprocess

import pytest

from conftest import build, write_event

STANDUP = """
    title = "Standup"
    category = "scrum"
    timezone = "Europe/London"
    start = 2027-01-04T10:00:00
    duration = 15
    rrule = "FREQ=WEEKLY;BYDAY=MO,WE"
"""


def git(repo, *args, when=None):
    env = dict(os.environ, GIT_AUTHOR_NAME="Editor", GIT_AUTHOR_EMAIL="editor@example.org",
               GIT_COMMITTER_NAME="Editor", GIT_COMMITTER_EMAIL="editor@example.org")
    if when:
        env.update(GIT_AUTHOR_DATE=when, GIT_COMMITTER_DATE=when)
    subprocess.run(["git", *args], cwd=repo, env=env, check=True, capture_output=True)


def commit(repo, message, when):
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", message, when=when)


def revision(output, slug="standup"):
    text = (output / "events" / slug / "event.ics").read_bytes().decode()
    master = text.split("BEGIN:VEVENT", 1)[1]
    fields = dict(re.findall(r"^(DTSTAMP|LAST-MODIFIED|SEQUENCE):(.*)\r$", master, re.M))
    return fields


@pytest.fixture
def repo(tmp_path):
    repo = tmp_path / "site"
    (repo / "content" / "events").mkdir(parents=True)
    git(repo, "init", "-q")
    write_event(repo / "content", "standup", STANDUP, "Daily check-in.\n")
    commit(repo, "Add the standup", "2026-10-01T09:00:00+00:00")
    return repo


def test_new_event_has_sequence_zero_and_its_commit_time(repo, tmp_path):
    assert build(repo / "content", tmp_path / "out", "2027-01-01T00:00:00Z").ok
    assert revision(tmp_path / "out") == {"DTSTAMP": "20261001T090000Z",
                                          "LAST-MODIFIED": "20261001T090000Z", "SEQUENCE": "0"}


def test_a_description_edit_moves_last_modified_but_not_sequence(repo, tmp_path):
    write_event(repo / "content", "standup", STANDUP, "Daily check-in, cameras optional.\n")
    commit(repo, "Reword", "2026-10-05T12:30:00+00:00")
    assert build(repo / "content", tmp_path / "out", "2027-01-01T00:00:00Z").ok
    assert revision(tmp_path / "out") == {"DTSTAMP": "20261005T123000Z",
                                          "LAST-MODIFIED": "20261005T123000Z", "SEQUENCE": "0"}


def test_each_change_of_times_bumps_sequence(repo, tmp_path):
    write_event(repo / "content", "standup", STANDUP.replace("10:00:00", "10:30:00"), "Daily check-in.\n")
    commit(repo, "Later start", "2026-11-02T08:00:00+00:00")
    write_event(repo / "content", "standup", STANDUP.replace("MO,WE", "MO,WE,FR").replace("10:00:00", "10:30:00"),
                "Daily check-in.\n")
    commit(repo, "Add Fridays", "2026-11-20T08:00:00+00:00")
    assert build(repo / "content", tmp_path / "out", "2027-01-01T00:00:00Z").ok
    assert revision(tmp_path / "out")["SEQUENCE"] == "2"
    assert revision(tmp_path / "out")["LAST-MODIFIED"] == "20261120T080000Z"


def test_rebuilding_later_changes_nothing_in_the_calendar(repo, tmp_path):
    assert build(repo / "content", tmp_path / "a", "2027-01-01T00:00:00Z").ok
    assert build(repo / "content", tmp_path / "b", "2027-01-01T06:00:00Z").ok
    for name in ("events.ics", "events/standup/event.ics"):
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes()


def test_uncommitted_change_of_times_counts_at_the_build_time(repo, tmp_path):
    write_event(repo / "content", "standup", STANDUP.replace("duration = 15", "duration = 20"),
                "Daily check-in.\n")
    assert build(repo / "content", tmp_path / "out", "2027-01-01T00:00:00Z").ok
    assert revision(tmp_path / "out") == {"DTSTAMP": "20270101T000000Z",
                                          "LAST-MODIFIED": "20270101T000000Z", "SEQUENCE": "1"}


def test_without_git_the_values_are_stable_and_sequence_is_zero(content_dir, tmp_path):
    write_event(content_dir, "standup", STANDUP)
    assert build(content_dir, tmp_path / "a", "2027-01-01T00:00:00Z").ok
    assert build(content_dir, tmp_path / "b", "2027-02-01T00:00:00Z").ok
    # DTSTAMP is required: without history it is the series' first start, which never moves.
    assert revision(tmp_path / "a") == {"DTSTAMP": "20270104T100000Z", "SEQUENCE": "0"}
    assert revision(tmp_path / "a") == revision(tmp_path / "b")


def test_a_shallow_clone_is_reported(repo, tmp_path):
    write_event(repo / "content", "standup", STANDUP, "Second version.\n")
    commit(repo, "Second", "2026-10-02T09:00:00+00:00")
    clone = tmp_path / "clone"
    subprocess.run(["git", "clone", "-q", "--depth", "1", f"file://{repo}", str(clone)], check=True)
    result = build(clone / "content", tmp_path / "out", "2027-01-01T00:00:00Z")
    assert result.ok
    assert any("shallow" in p.message and not p.is_error for p in result.problems)


def test_a_hostile_old_version_in_git_history_does_not_stop_the_build():
    """A past version of an event file is read from git without the checks of today's files:
    nesting that overflows the parser, or a number too long to read, gives no fingerprint."""
    from generator.build.history import _fingerprint_of

    assert _fingerprint_of(b"+++\nx = " + b"[" * 100_000 + b"\n+++\n") is None
    assert _fingerprint_of(b"+++\nduration = " + b"9" * 10_000 + b"\n+++\n") is None
    assert _fingerprint_of(b'+++\nduration = 25\n+++\n') is not None


def write_session(repo, day, front_matter):
    folder = repo / "content" / "sessions" / "standup"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / f"{day}.md").write_text(f"+++\n{front_matter}\n+++\n", encoding="utf-8")


def test_a_session_that_cancels_a_meeting_bumps_sequence_and_taking_it_back_bumps_it_again(repo, tmp_path):
    """The calendar's EXDATEs change with a cancelling session record, so calendar apps must
    see a new SEQUENCE; a note on a meeting changes no times, and deleting the cancellation
    is a change too (SEQUENCE never goes down)."""
    write_session(repo, "2027-01-11", 'title = "Planning"')
    commit(repo, "A note on a meeting", "2026-10-03T09:00:00+00:00")
    assert build(repo / "content", tmp_path / "a", "2027-01-01T00:00:00Z").ok
    assert revision(tmp_path / "a") == {"DTSTAMP": "20261001T090000Z",
                                        "LAST-MODIFIED": "20261001T090000Z", "SEQUENCE": "0"}
    write_session(repo, "2027-01-13", 'status = "cancelled"\nreason = "Office move"')
    commit(repo, "Cancel the 13th", "2026-10-04T09:00:00+00:00")
    assert build(repo / "content", tmp_path / "b", "2027-01-01T00:00:00Z").ok
    assert revision(tmp_path / "b") == {"DTSTAMP": "20261004T090000Z",
                                        "LAST-MODIFIED": "20261004T090000Z", "SEQUENCE": "1"}
    write_session(repo, "2027-01-13", 'status = "cancelled"\nreason = "The office moves"')
    commit(repo, "Reword the reason", "2026-10-05T09:00:00+00:00")
    assert build(repo / "content", tmp_path / "c", "2027-01-01T00:00:00Z").ok
    assert revision(tmp_path / "c")["SEQUENCE"] == "1"
    (repo / "content" / "sessions" / "standup" / "2027-01-13.md").unlink()
    commit(repo, "We meet after all", "2026-10-06T09:00:00+00:00")
    assert build(repo / "content", tmp_path / "d", "2027-01-01T00:00:00Z").ok
    assert revision(tmp_path / "d") == {"DTSTAMP": "20261006T090000Z",
                                        "LAST-MODIFIED": "20261006T090000Z", "SEQUENCE": "2"}
    # Uncommitted (a preview): counted at the build's clock, as an edited event file is.
    write_session(repo, "2027-01-18", 'status = "cancelled"\nreason = "Holiday"')
    assert build(repo / "content", tmp_path / "e", "2027-01-01T00:00:00Z").ok
    assert revision(tmp_path / "e") == {"DTSTAMP": "20270101T000000Z",
                                        "LAST-MODIFIED": "20270101T000000Z", "SEQUENCE": "3"}


def test_past_versions_are_read_once_and_their_fingerprints_kept_in_the_cache(repo, tmp_path,
                                                                               monkeypatch):
    """A past version's schedule fingerprint depends only on its bytes (its blob id): the build
    cache keeps it, and a later build parses only versions it has not seen, with the same
    SEQUENCE as a build without the cache."""
    from generator.build import history

    write_event(repo / "content", "standup", STANDUP.replace("10:00:00", "10:30:00"), "Daily.\n")
    commit(repo, "Later start", "2026-11-02T08:00:00+00:00")
    parsed = []
    original = history._fingerprint_of
    monkeypatch.setattr(history, "_fingerprint_of", lambda blob: parsed.append(blob) or original(blob))
    assert build(repo / "content", tmp_path / "out", "2027-01-01T00:00:00Z").ok
    assert len(parsed) == 2  # both versions, once each
    write_event(repo / "content", "standup", STANDUP.replace("10:00:00", "11:00:00"), "Daily.\n")
    commit(repo, "Later still", "2026-11-09T08:00:00+00:00")
    parsed.clear()
    assert build(repo / "content", tmp_path / "out", "2027-01-01T06:00:00Z").ok
    assert len(parsed) == 1  # only the new version
    assert build(repo / "content", tmp_path / "clean", "2027-01-01T06:00:00Z").ok
    assert revision(tmp_path / "out")["SEQUENCE"] == "2"
    assert (tmp_path / "out" / "events/standup/event.ics").read_bytes() == \
        (tmp_path / "clean" / "events/standup/event.ics").read_bytes()
