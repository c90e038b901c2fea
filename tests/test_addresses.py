"""Every event, project and category gets a distinct, non-empty, readable address, in any script:
letters and digits kept (as Hugo does by default), percent-encoded in every link (RFC 3986),
UTF-8 on disk. Names that give no address, or one another name already has, are located errors.
"""
from __future__ import annotations

import json
import re
import textwrap
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

from conftest import build, run_cli, write_event
from generator.cli import parse_now
from generator.build.pipeline import check_content

NOW = "2027-01-20T12:00:00Z"
BASE = '''
title = "{title}"
category = "{category}"
timezone = "Europe/London"
start = 2027-01-04T10:00:00
duration = 25
project = "{project}"

[repeat]
every = "week"
'''


def event_text(title="Standup", category="scrum", project="websiteone") -> str:
    return BASE.format(title=title, category=category, project=project)


@pytest.fixture(autouse=True)
def _run_in_tmp(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)


def problems_of(content_dir):
    return check_content(content_dir, parse_now(NOW)).problems


# --- the slug rule ------------------------------------------------------------------------------

@pytest.mark.parametrize("name,slug", [
    ("Web Site", "web-site"),
    ("web-site", "web-site"),
    ("  Atlantic Retro & Planning!  ", "atlantic-retro-planning"),
    ("Team_Sync", "team-sync"),
    ("Ünïcödé", "ünïcödé"),
    ("Ünïcödé", "ünïcödé"),  # decomposed (as macOS writes file names): the same address
    ("日本語", "日本語"),
    ("Русский", "русский"),
    ("Ελληνικά 2027", "ελληνικά-2027"),
    ("हिन्दी भाषा", "हिन्दी-भाषा"),  # vowel signs are marks: kept inside the word
    ("Straße", "strasse"),
    ("ＷＥＢ", "web"),  # full-width letters fold to the ordinary ones
    ("!!! 🎉", ""),
])
def test_slugify_keeps_letters_and_digits_of_every_script(name, slug):
    from generator.text import slugify

    assert slugify(name) == slug


def test_a_slug_is_what_slugify_leaves_unchanged():
    from generator.text import is_slug

    assert all(is_slug(s) for s in ("web-site", "日本語", "ünïcödé", "2027", "a-1-b"))
    assert not any(is_slug(s) for s in ("", "Web", "web--site", "-web", "web_site", "u\u0308",
                                        "日本 語"))


@pytest.mark.parametrize("name", ["日本語", "русский", "ünïcödé", "réunion-2027"])
def test_event_file_names_may_hold_letters_of_any_script(content_dir, name):
    write_event(content_dir, name, event_text())
    assert [str(p) for p in problems_of(content_dir) if p.is_error] == []


def test_decomposed_file_name_is_refused_with_a_hint_that_says_why(content_dir):
    write_event(content_dir, "re\u0301union", event_text())
    (problem,) = [p for p in problems_of(content_dir) if p.is_error]
    assert problem.message.endswith("is not a safe file name: the name becomes the page address")
    assert problem.hint.startswith('retype the name as "r\u00e9union.md": it looks the same')


@pytest.mark.parametrize("project", ["!!!", "🎉🎉", "— · —"])
def test_project_name_without_letters_or_digits_is_a_located_error(content_dir, project):
    write_event(content_dir, "ev", event_text(project=project))
    (problem,) = problems_of(content_dir)
    assert (problem.file, problem.line, problem.column, problem.field) == (
        "content/events/ev.md", 7, 11, "project")
    assert problem.message == (f'"{project}" has no letter or digit, so it cannot have a web '
                               "address")


def test_non_ascii_project_names_no_longer_share_one_empty_address(tmp_path, content_dir):
    """Before: "日本語" and "Русский" both became /projects//, one page for both."""
    write_event(content_dir, "ja", event_text(project="日本語"))
    write_event(content_dir, "ru", event_text(project="Русский"))
    result = build(content_dir, tmp_path / "public", NOW)
    assert result.ok, [str(p) for p in result.problems if p.is_error]
    projects = tmp_path / "public" / "projects"
    assert sorted(p.name for p in projects.iterdir()) == ["русский", "日本語"]
    assert "ja" in (projects / "日本語" / "index.html").read_text() \
        and "/events/ru/" not in (projects / "日本語" / "index.html").read_text()


# --- the same address for different names --------------------------------------------------------

def _event(content_dir, slug, project):
    from generator.content.load import load_event_file
    from generator.content.validate import validate_event

    path = write_event(content_dir, slug, event_text(project=project))
    raw, _ = load_event_file(path)
    event, problems = validate_event(raw, None)
    assert event is not None, problems
    return event


def test_address_problems_names_the_first_spelling_and_its_file(content_dir):
    from generator.content.validate import address_problems

    events = [_event(content_dir, "b", "web-site"), _event(content_dir, "a", "Web Site"),
              _event(content_dir, "c", "Web Site"), _event(content_dir, "d", "WEB SITE"),
              _event(content_dir, "e", "Other")]
    problems = address_problems(events)
    assert [(p.file, p.line, p.column, p.field, p.message) for p in problems] == [
        ("content/events/b.md", 7, 11, "project",
         '"web-site" gets the same address as "Web Site" in content/events/a.md '
         "(projects/web-site/)"),
        ("content/events/d.md", 7, 11, "project",
         '"WEB SITE" gets the same address as "Web Site" in content/events/a.md '
         "(projects/web-site/)"),
    ]
    assert problems[0].hint.startswith("write the two names the same way")
    assert address_problems(events[1:3] + events[4:]) == []


def test_address_problems_of_no_events_is_nothing():
    from generator.content.validate import address_problems

    assert address_problems([]) == []


def test_check_reports_two_spellings_of_one_project_address(tmp_path, content_dir):
    write_event(content_dir, "design", event_text(project="Web Site"))
    write_event(content_dir, "sprint", event_text(project="web-site"))
    result = run_cli("check", "--content", "content", "--now", NOW, cwd=tmp_path)
    assert result.returncode == 1
    assert ('content/events/sprint.md:7:11: project: "web-site" gets the same address as '
            '"Web Site" in content/events/design.md (projects/web-site/); write the two names '
            "the same way, or make them differ in a letter or digit") in result.stderr


def test_build_refuses_two_spellings_of_one_project_address(tmp_path, content_dir):
    write_event(content_dir, "design", event_text(project="Web Site"))
    write_event(content_dir, "sprint", event_text(project="web-site"))
    result = build(content_dir, tmp_path / "public", NOW)
    assert [(p.file, p.field) for p in result.problems if p.is_error] == [
        ("content/events/sprint.md", "project")]


def test_categories_in_site_toml_follow_the_slug_rule(content_dir):
    (content_dir / "site.toml").write_text(
        'categories = ["réunion", "日本語", "Pair Programming", "!!"]\n'
        'countdown_category = "réunion"\n')
    found = [(p.field, p.message, p.hint) for p in problems_of(content_dir)]
    assert found == [
        ("categories[2]", 'category "Pair Programming" is not a slug',
         "use lowercase letters, digits and hyphens, like pair-programming"),
        ("categories[3]", 'category "!!" is not a slug',
         "use lowercase letters, digits and hyphens, like pair-programming"),
    ]


# --- links, end to end --------------------------------------------------------------------------

class _Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.links: list[str] = []

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if name in ("href", "src") and value:
                self.links.append(value)


def _site_path(url: str, site_root: str) -> str | None:
    """The output path a link on the site leads to, or None for links elsewhere."""
    parts = urlsplit(url)
    if parts.scheme in ("http", "https", "webcal") and parts.netloc != "events.example.org":
        return None
    if parts.scheme not in ("", "http", "https", "webcal") or url.startswith("#"):
        return None
    path = parts.path
    assert path.startswith(site_root), url
    return unquote(path[len(site_root):])


def _resolves(output: Path, relative: str) -> bool:
    target = output / relative
    return (target / "index.html").is_file() if relative.endswith("/") or not relative else \
        target.is_file()


@pytest.fixture(scope="module")
def international_site(tmp_path_factory):
    root = tmp_path_factory.mktemp("international")
    content = root / "content"
    (content / "events").mkdir(parents=True)
    (content / "site.toml").write_text(textwrap.dedent('''
        title = "Communauté"
        base_url = "https://events.example.org/gemeinschaft/"
        categories = ["scrum", "réunion", "会議"]
    ''').lstrip(), encoding="utf-8")
    for slug, title, category, project in [
            ("日本語-スクラム", "日本語のスクラム", "scrum", "日本語"),
            ("русский-митинг", "Русский митинг", "réunion", "Русский"),
            ("ünïcödé", "Ünïcödé", "会議", "Ünïcödé Ärger"),
            ("plain", "Plain", "scrum", "Web Site")]:
        write_event(content, slug, event_text(title, category, project),
                    f"About {title}.\n")
    output = root / "public"
    result = build(content, output, NOW)
    assert result.ok, [str(p) for p in result.problems if p.is_error]
    return output


def test_every_link_of_an_international_site_is_ascii_and_resolves_on_disk(international_site):
    output = international_site
    pages = sorted(output.rglob("*.html"))
    assert {p.relative_to(output).as_posix() for p in pages} >= {
        "events/日本語-スクラム/index.html", "events/русский-митинг/index.html",
        "projects/日本語/index.html", "projects/русский/index.html",
        "projects/ünïcödé-ärger/index.html", "categories/会議/index.html",
        "categories/réunion/index.html"}
    checked = 0
    for page in pages:
        collector = _Links()
        collector.feed(page.read_text(encoding="utf-8"))
        canonical = re.search(r'<link rel="canonical" href="([^"]+)"', page.read_text())
        for link in collector.links + ([canonical[1]] if canonical else []):
            assert link.isascii(), f"{page}: {link} is not percent-encoded"
            relative = _site_path(link.replace("&amp;", "&"), "/gemeinschaft/")
            if relative is None:
                continue
            assert _resolves(output, relative), f"{page.relative_to(output)}: {link} leads nowhere"
            checked += 1
    assert checked > 100


def test_sitemap_feed_and_calendars_carry_encoded_addresses_that_resolve(international_site):
    output = international_site
    locations = re.findall(r"<loc>([^<]+)</loc>", (output / "sitemap.xml").read_text())
    assert "https://events.example.org/gemeinschaft/projects/%E6%97%A5%E6%9C%AC%E8%AA%9E/" \
        in locations
    feed = json.loads((output / "events.json").read_text(encoding="utf-8"))
    pages = [entry["page"] for entry in feed["events"].values()]
    calendar_addresses = []
    for calendar in output.rglob("*.ics"):
        text = calendar.read_bytes().decode("utf-8").replace("\r\n ", "")  # unfolded
        calendar_addresses += re.findall(r"^(?:URL|SOURCE;VALUE=URI):(\S+)\r?$", text, re.M)
    assert len(calendar_addresses) > 10
    for address in locations + pages + calendar_addresses:
        assert address.isascii(), address
        relative = _site_path(address, "/gemeinschaft/")
        assert relative is not None and _resolves(output, relative), address
    assert set(feed["events"]) == {"日本語-スクラム", "русский-митинг", "ünïcödé", "plain"}


def test_calendar_uids_keep_the_slug_and_are_distinct(international_site):
    text = (international_site / "events.ics").read_bytes().decode("utf-8").replace("\r\n ", "")
    uids = re.findall(r"^UID:(.+?)\r?$", text, re.M)
    assert sorted(uids) == sorted(f"{slug}@events.example.org" for slug in
                                  ("日本語-スクラム", "русский-митинг", "ünïcödé", "plain"))


def test_links_percent_encode_and_keep_what_is_already_encoded():
    from generator.model import Category, Site
    from generator.render.views import Links, absolute_url

    links = Links("/")
    assert links.project("Ünïcödé") == "/projects/%C3%BCn%C3%AFc%C3%B6d%C3%A9/"
    assert links.event("日本語") == "/events/%E6%97%A5%E6%9C%AC%E8%AA%9E/"
    assert links.category("réunion") == "/categories/r%C3%A9union/"
    site = Site("T", "https://x.org/", "", "UTC", (Category("scrum", "Scrum"),), "scrum", 90)
    assert absolute_url(site, links.event("日本語")) == absolute_url(site, "/events/日本語/") \
        == "https://x.org/events/%E6%97%A5%E6%9C%AC%E8%AA%9E/"


# --- `new` -----------------------------------------------------------------------------------------

@pytest.mark.parametrize("title,slug", [("日本語", "日本語"), ("Ünïcödé", "ünïcödé"),
                                        ("Русский митинг", "русский-митинг")])
def test_new_makes_an_address_from_a_title_in_any_script(tmp_path, title, slug):
    (tmp_path / "content" / "events").mkdir(parents=True)
    made = run_cli("new", title, "--content", "content", "--now", NOW, cwd=tmp_path)
    assert made.returncode == 0, made.stderr
    path = tmp_path / "content" / "events" / f"{slug}.md"
    assert path.is_file() and f'title = "{title}"' in path.read_text(encoding="utf-8")
    checked = run_cli("check", "--content", "content", "--now", NOW, cwd=tmp_path)
    assert checked.returncode == 0 and checked.stderr == "", checked.stderr


@pytest.mark.parametrize("title", ["Stand\nup", "Bell\x07", "x" * 301])
def test_new_refuses_a_title_that_no_event_file_may_hold(tmp_path, title):
    (tmp_path / "content" / "events").mkdir(parents=True)
    made = run_cli("new", title, "--content", "content", cwd=tmp_path)
    assert made.returncode == 2
    assert made.stderr.startswith("error: the title ")
    assert list((tmp_path / "content" / "events").iterdir()) == []


def test_project_whose_address_is_too_long_for_a_folder_name_is_a_located_error(content_dir):
    """A 300-character name is allowed as text, but in Japanese its address would be 900
    bytes: no file system has folder names that long."""
    write_event(content_dir, "ev", event_text(project="日本語" * 100))
    (problem,) = problems_of(content_dir)
    assert (problem.line, problem.field) == (7, "project")
    assert problem.message == ("its address would be 900 bytes long, more than the 200 a folder "
                               "name may have")


def test_feed_of_an_international_site_matches_the_published_schema(international_site):
    import jsonschema

    from conftest import ROOT

    schema = json.loads((ROOT / "docs" / "events.schema.json").read_text())
    feed = json.loads((international_site / "events.json").read_text(encoding="utf-8"))
    jsonschema.validate(feed, schema, format_checker=jsonschema.FormatChecker())
