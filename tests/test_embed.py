"""What other sites embed (render/embed.py): the widget's next.json per category, project and
event, its iframe pages, and the shields.io badges. Checked against the build's own events.json,
read independently: the widget must show exactly what the site's lists show."""
import json
import re
import shutil
from datetime import datetime, timedelta, timezone

import pytest

from conftest import SAMPLE_CONTENT, SAMPLE_NOW, build, write_event
from generator.render.embed import WIDGET_LIMIT

LATER = "2027-01-20T18:00:00Z"  # a refresh six hours on


@pytest.fixture(scope="module")
def sample(tmp_path_factory):
    output = tmp_path_factory.mktemp("embed") / "public"
    assert build(SAMPLE_CONTENT, output, SAMPLE_NOW).ok
    return output


def read(output, path):
    return json.loads((output / path).read_text(encoding="utf-8"))


def chain(occurrences):
    """What a countdown shows in turn, worked out here from the feed: the first not ended, then
    the first that ends after it, and so on."""
    shown, moment = [], None
    for o in occurrences:
        if moment is None or o["end"] > moment:
            shown.append(o)
            moment = o["end"]
    return shown


def targets(output):
    feed = read(output, "events.json")
    by_kind = {"categories": lambda e, name: e["category"] == name,
               "projects": lambda e, name: (e["project"] or "").lower() == name,
               "events": lambda e, name: False}
    for kind, belongs in by_kind.items():
        for folder in sorted((output / "embed" / kind).iterdir()):
            name = folder.name
            wanted = [o for o in feed["occurrences"]
                      if o["event"] == name or belongs(feed["events"][o["event"]], name)]
            yield kind, name, wanted, feed


def test_every_category_project_and_event_has_widget_data_an_iframe_page_and_a_badge(sample):
    feed = read(sample, "events.json")
    projects = {e["project"].lower() for e in feed["events"].values() if e["project"]}
    expected = ({("categories", c) for c in ("scrum", "pair-programming", "meeting", "client-meeting")}
                | {("projects", p) for p in projects} | {("events", slug) for slug in feed["events"]})
    found = {(kind, folder.name) for kind in ("categories", "projects", "events")
             for folder in (sample / "embed" / kind).iterdir()}
    assert found == expected
    for kind, name in expected:
        for path in (f"embed/{kind}/{name}/next.json", f"embed/{kind}/{name}/index.html",
                     f"badges/{kind}/{name}.json"):
            assert (sample / path).is_file(), path
    assert (sample / "embed" / "widget.js").read_bytes() == (SAMPLE_CONTENT.parent / "static" / "embed" / "widget.js").read_bytes()


def test_widget_data_is_the_countdown_chain_of_what_the_feed_lists(sample):
    for kind, name, wanted, feed in targets(sample):
        data = read(sample, f"embed/{kind}/{name}/next.json")
        expected = chain(wanted)[:WIDGET_LIMIT]
        assert [(o["event"], o["start"], o["end"]) for o in data["occurrences"]] == \
            [(o["event"], o["start"], o["end"]) for o in expected], (kind, name)
        assert set(data["events"]) == {o["event"] for o in expected} | ({name} if kind == "events" else set())
        for slug, entry in data["events"].items():
            assert entry == {k: v for k, v in feed["events"][slug].items() if k != "cancelled"}
        assert "generated_at" not in data  # a refresh must not rewrite it for nothing
        assert data["page"].startswith("https://events.harbourcode.example/")


def test_the_next_scrum_is_the_atlantic_scrum_at_15_15_utc(sample):
    data = read(sample, "embed/categories/scrum/next.json")
    assert data["title"] == "Scrum"
    assert data["page"] == "https://events.harbourcode.example/categories/scrum/"
    assert data["occurrences"][0] == {"event": "atlantic-scrum", "start": "2027-01-20T15:15:00Z",
                                      "end": "2027-01-20T15:40:00Z"}
    assert read(sample, "badges/categories/scrum.json") == {
        "schemaVersion": 1, "label": "next scrum", "message": "Wed 20 Jan 15:15 UTC", "color": "blue",
        "cacheSeconds": 300}


def test_until_when_the_data_is_exact(sample):
    """A busy target's data is exact until its last occurrence ends; a sparse one's until the
    build's horizon, rounded down to a Monday, so it moves once a week, not with every build."""
    busy = read(sample, "embed/categories/scrum/next.json")
    assert len(busy["occurrences"]) == WIDGET_LIMIT
    assert busy["horizon_end"] == busy["occurrences"][-1]["end"]
    sparse = read(sample, "embed/events/monthly-review/next.json")
    assert len(sparse["occurrences"]) < WIDGET_LIMIT
    horizon = datetime(2027, 1, 20, 12, tzinfo=timezone.utc) + timedelta(days=90)  # Tue 20 April
    assert sparse["horizon_end"] == "2027-04-19T00:00:00Z"
    assert datetime.fromisoformat(sparse["horizon_end"].replace("Z", "+00:00")) <= horizon


def test_badges_follow_the_shields_endpoint_schema_and_say_the_date_in_utc(sample):
    for kind, name, wanted, feed in targets(sample):
        badge = read(sample, f"badges/{kind}/{name}.json")
        assert set(badge) == {"schemaVersion", "label", "message", "color", "cacheSeconds"}
        assert badge["schemaVersion"] == 1 and badge["message"] and badge["cacheSeconds"] >= 300
        first = wanted[0]
        if first.get("all_day"):
            day = datetime.fromisoformat(first["date"])
            assert badge["message"] == f"{day:%a} {day.day} {day:%b}, all day"
        else:
            start = datetime.fromisoformat(first["start"].replace("Z", "+00:00"))
            assert badge["message"] == f"{start:%a} {start.day} {start:%b %H:%M} UTC", (kind, name)
            assert re.fullmatch(r"[A-Z][a-z]{2} \d{1,2} [A-Z][a-z]{2} \d\d:\d\d UTC", badge["message"])
    assert read(sample, "badges/events/monthly-review.json")["label"] == "next Monthly Project Review"
    assert read(sample, "badges/projects/websiteone.json")["label"] == "next websiteone"


def test_the_iframe_page_holds_the_widget_and_says_what_is_next_without_javascript(sample):
    html = (sample / "embed" / "categories" / "scrum" / "index.html").read_text(encoding="utf-8")
    assert '<nextup-next category="scrum">' in html
    assert '<script src="/embed/widget.js" defer></script>' in html
    assert '<meta name="robots" content="noindex">' in html
    assert "Atlantic Scrum</a>: <time datetime=\"2027-01-20T15:15:00Z\">Wednesday 20 January 2027, 15:15–15:40 GMT (Europe/London)</time>" in html
    assert 'target="_blank" rel="noopener"' in html  # links leave the frame
    event = (sample / "embed" / "events" / "euroasia-scrum" / "index.html").read_text(encoding="utf-8")
    assert '<nextup-next event="euroasia-scrum">' in event
    sitemap = (sample / "sitemap.xml").read_text(encoding="utf-8")
    assert "/embed/" not in sitemap


def test_an_event_with_nothing_ahead_says_so(tmp_path):
    content = tmp_path / "content"
    shutil.copytree(SAMPLE_CONTENT, content)
    write_event(content, "long-gone", """
        title = "Long Gone"
        category = "meeting"
        timezone = "Europe/London"
        start = 2020-01-01T10:00:00
        duration = 30
        """)
    assert build(content, tmp_path / "public", SAMPLE_NOW).ok
    data = read(tmp_path / "public", "embed/events/long-gone/next.json")
    assert data["occurrences"] == [] and data["title"] == "Long Gone"
    assert list(data["events"]) == ["long-gone"]  # its title and page, for the widget's link
    badge = read(tmp_path / "public", "badges/events/long-gone.json")
    assert (badge["message"], badge["color"]) == ("none scheduled", "lightgrey")
    html = (tmp_path / "public" / "embed/events/long-gone/index.html").read_text(encoding="utf-8")
    assert "no upcoming dates" in html


def test_a_refresh_rewrites_only_the_embeds_whose_next_occurrence_passed(sample, tmp_path):
    output = tmp_path / "public"
    shutil.copytree(sample, output, symlinks=True)
    assert build(SAMPLE_CONTENT, output, LATER).ok
    before = {p.relative_to(sample).as_posix(): p.read_bytes() for p in sample.rglob("*")
              if p.is_file() and p.relative_to(sample).parts[0] in ("embed", "badges")}
    changed = sorted(path for path, data in before.items() if (output / path).read_bytes() != data)
    # 12:00 to 18:00 on 20 January: the Atlantic Scrum (15:15) and the Americas Scrum (17:00)
    # ended, and with them the scrum category's next, websiteone's and localsupport's.
    assert {path.split("/")[2].removesuffix(".json") for path in changed} == {
        "scrum", "atlantic-scrum", "americas-scrum", "websiteone", "localsupport"}, changed
    assert read(output, "badges/categories/scrum.json")["message"] == "Thu 21 Jan 07:00 UTC"


def test_a_site_under_a_path_loads_the_widget_from_there(tmp_path):
    content = tmp_path / "content"
    shutil.copytree(SAMPLE_CONTENT, content)
    site = content / "site.toml"
    site.write_text(site.read_text().replace('base_url = "https://events.harbourcode.example/"',
                                             'base_url = "https://example.org/community/"'))
    assert build(content, tmp_path / "public", SAMPLE_NOW).ok
    html = (tmp_path / "public" / "embed" / "categories" / "scrum" / "index.html").read_text()
    assert '<script src="/community/embed/widget.js" defer></script>' in html
    assert read(tmp_path / "public", "embed/categories/scrum/next.json")["page"] == \
        "https://example.org/community/categories/scrum/"


def test_widget_data_has_the_feeds_shape_with_its_title_and_page(sample):
    """docs/feed.md: countdown.json's shape (docs/events.schema.json) with `title` and `page`,
    without `generated_at`."""
    import jsonschema

    from conftest import ROOT

    schema = json.loads((ROOT / "docs" / "events.schema.json").read_text())
    schema["required"] = [name for name in schema["required"] if name != "generated_at"]
    schema["properties"] |= {"title": {"type": "string"}, "page": {"type": "string", "format": "uri"}}
    for path in sorted(sample.glob("embed/*/*/next.json")):
        jsonschema.validate(json.loads(path.read_text()), schema)
