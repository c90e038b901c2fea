"""The sample site builds, and ical.js reads its calendar as the same instants as its feed."""
import json

from conftest import (SAMPLE_CONTENT, SAMPLE_NOW, build, feed_instants, icaljs_expand,
                      icaljs_instants)


def test_sample_site_feed_and_calendar_agree_in_icaljs(output_dir):
    result = build(SAMPLE_CONTENT, output_dir, SAMPLE_NOW)
    assert result.ok, [str(p) for p in result.problems]
    feed = json.loads((output_dir / "events.json").read_text())
    assert len(feed["occurrences"]) > 150
    found = icaljs_expand(output_dir / "events.ics", feed["generated_at"], feed["horizon_end"])
    assert icaljs_instants(found) == sorted(feed_instants(feed))
