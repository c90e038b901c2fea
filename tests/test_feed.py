"""events.json: valid against its published schema, sorted, and exactly the window it promises."""
import json
from datetime import datetime, timedelta

import jsonschema
import pytest

from conftest import ROOT, SAMPLE_CONTENT, build, write_event

SCHEMA = json.loads((ROOT / "docs" / "events.schema.json").read_text())


def _instant(text):
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


@pytest.mark.parametrize("now", ["2027-01-20T12:00:00Z", "2026-11-27T08:00:00Z", "2027-06-30T23:59:59Z"])
def test_sample_feed_matches_the_schema_and_its_window(tmp_path, now):
    output = tmp_path / "public"
    assert build(SAMPLE_CONTENT, output, now).ok
    feed = json.loads((output / "events.json").read_text())
    jsonschema.validate(feed, SCHEMA, format_checker=jsonschema.FormatChecker())
    generated, horizon = _instant(feed["generated_at"]), _instant(feed["horizon_end"])
    assert horizon - generated == timedelta(days=90)
    starts = [o["start"] for o in feed["occurrences"]]
    assert starts == sorted(starts)
    for occurrence in feed["occurrences"]:
        assert _instant(occurrence["end"]) > generated
        assert _instant(occurrence["start"]) < horizon
        assert occurrence["event"] in feed["events"]


def test_schema_rejects_a_feed_with_a_local_time(tmp_path):
    """The schema is strict enough to catch a regression to offset or local times."""
    output = tmp_path / "public"
    assert build(SAMPLE_CONTENT, output, "2027-01-20T12:00:00Z").ok
    feed = json.loads((output / "events.json").read_text())
    feed["occurrences"][0]["start"] = "2027-01-20T12:00:00+00:00"
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(feed, SCHEMA)


def test_occurrence_in_progress_at_now_is_listed_and_one_just_ended_is_not(content_dir, output_dir):
    write_event(content_dir, "standup", """
        title = "Standup"
        category = "scrum"
        timezone = "UTC"
        start = 2027-01-01T10:00:00
        duration = 30
        rrule = "FREQ=DAILY"
    """)
    assert build(content_dir, output_dir, "2027-01-05T10:29:59Z").ok
    first = json.loads((output_dir / "events.json").read_text())["occurrences"][0]
    assert first["start"] == "2027-01-05T10:00:00Z"
    assert build(content_dir, output_dir, "2027-01-05T10:30:00Z").ok
    first = json.loads((output_dir / "events.json").read_text())["occurrences"][0]
    assert first["start"] == "2027-01-06T10:00:00Z"


def test_horizon_days_option_limits_the_feed(content_dir, output_dir):
    write_event(content_dir, "standup", """
        title = "Standup"
        category = "scrum"
        timezone = "UTC"
        start = 2027-01-01T10:00:00
        duration = 30
        rrule = "FREQ=DAILY"
    """)
    assert build(content_dir, output_dir, "2027-01-01T00:00:00Z", horizon_days=10).ok
    feed = json.loads((output_dir / "events.json").read_text())
    assert len(feed["occurrences"]) == 10
    assert feed["horizon_end"] == "2027-01-11T00:00:00Z"


def test_renamed_occurrence_carries_its_own_title(content_dir, output_dir):
    write_event(content_dir, "standup", """
        title = "Standup"
        category = "scrum"
        timezone = "UTC"
        start = 2027-01-01T10:00:00
        duration = 30
        rrule = "FREQ=DAILY"

        [[overrides]]
        original = 2027-01-03T10:00:00
        title = "Standup with demo"
    """)
    assert build(content_dir, output_dir, "2027-01-01T00:00:00Z", horizon_days=5).ok
    feed = json.loads((output_dir / "events.json").read_text())
    titles = [o.get("title") for o in feed["occurrences"]]
    assert titles == [None, None, "Standup with demo", None, None]
    jsonschema.validate(feed, SCHEMA)


def test_occurrence_fragment_is_the_entry_as_script_safe_json():
    """occurrence_fragment writes an occurrence's JSON by hand (the per-occurrence json.dumps
    was a second of a large build): it must be the same text as json.dumps of the entry, for
    every field an occurrence or its session record can carry, whatever the editor wrote."""
    from datetime import date, time, timezone

    from generator.model import Occurrence, Session
    from generator.render.feed import occurrence_entry, occurrence_fragment, script_safe_json

    start = datetime(2027, 3, 28, 0, 30, tzinfo=timezone.utc)
    end = start + timedelta(minutes=45)
    texts = [None, "Sprint </script> review", 'Quote " and \\ back', "日本語の会 🎉", "tab\there"]
    slugs = ["weekly-scrum", "日本語", "a<b"]
    sessions = [None,
                Session("weekly-scrum", date(2027, 3, 28), None, "x.md"),
                Session("weekly-scrum", date(2027, 3, 28), time(0, 30), "x.md",
                        url="https://meet.example.org/r?a=1&b=<2>", reason="Moved: \"room\" </a>")]
    seen = 0
    for slug in slugs:
        for title in texts:
            for dates in (None, (date(2027, 3, 28), date(2027, 3, 30))):
                for session in sessions:
                    occurrence = Occurrence(slug, start, end, title,
                                            datetime(2027, 3, 27, 9) if title else None, dates)
                    expected = script_safe_json(occurrence_entry(occurrence, session))
                    assert occurrence_fragment(occurrence, session) == expected
                    assert json.loads(expected) == occurrence_entry(occurrence, session)
                    seen += 1
    assert seen == len(slugs) * len(texts) * 2 * len(sessions)
