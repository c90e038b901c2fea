"""Exactly one <h1> on every page of every kind (homepage, lists and their later pages, event
pages, 404), whatever the events: one that has ended, none in the countdown category, an
editor's own top-level heading in a description."""
import shutil
import sys

import pytest

from conftest import ROOT, SAMPLE_CONTENT, SAMPLE_NOW, build, write_event
from pagetools import find_all, parse_page

sys.path.insert(0, str(ROOT / "bench"))
from generate import generate  # noqa: E402


def h1_texts(page) -> list[str]:
    return [element.text for element in find_all(parse_page(page), "h1")]


def pages_without_exactly_one_h1(output) -> dict[str, list[str]]:
    # The CMS's page (admin/) is Decap's application, which draws its own headings.
    pages = sorted(p for p in output.rglob("*.html") if p.relative_to(output).parts[0] != "admin")
    assert pages, "no pages built"
    return {page.relative_to(output).as_posix(): found for page in pages
            if len(found := h1_texts(page)) != 1 or not found[0]}


@pytest.fixture(scope="module")
def sample_site(tmp_path_factory):
    output = tmp_path_factory.mktemp("headings") / "public"
    assert build(SAMPLE_CONTENT, output, SAMPLE_NOW).ok
    return output


def test_every_page_of_the_sample_site_has_exactly_one_h1(sample_site):
    kinds = {"index.html", "404.html", "events/index.html", "events/euroasia-scrum/index.html",
             "categories/scrum/index.html", "projects/websiteone/index.html",
             "events/euroasia-scrum/2027-01-14/index.html", "sessions/index.html"}
    built = {p.relative_to(sample_site).as_posix() for p in sample_site.rglob("*.html")}
    assert kinds <= built
    assert pages_without_exactly_one_h1(sample_site) == {}


def test_homepage_has_an_h1_naming_the_site(sample_site):
    """The homepage had no <h1> at all: its first heading was the banner's "Next scrum"."""
    assert h1_texts(sample_site / "index.html") == ["Harbour Code Collective"]


def test_one_h1_with_no_countdown_events_an_ended_event_and_an_editors_heading(tmp_path):
    content = tmp_path / "content"
    shutil.copytree(SAMPLE_CONTENT, content)
    for path in (content / "events").glob("*.md"):
        if 'category = "scrum"' in path.read_text():
            path.unlink()
            shutil.rmtree(content / "sessions" / path.stem, ignore_errors=True)  # its records
    write_event(content, "ended-workshop", """
        title = "Ended workshop"
        category = "meeting"
        timezone = "Europe/London"
        start = 2027-01-10T10:00:00
        duration = 60
        """, "# Our own title\n\nSome text.\n\n<h1>Raw HTML heading</h1>\n")
    assert build(content, tmp_path / "public", SAMPLE_NOW).ok
    assert pages_without_exactly_one_h1(tmp_path / "public") == {}
    assert h1_texts(tmp_path / "public" / "events" / "ended-workshop" / "index.html") == ["Ended workshop"]


def test_one_h1_on_every_page_of_a_paginated_list(tmp_path):
    generate(120, tmp_path / "site")
    assert build(tmp_path / "site" / "nextup", tmp_path / "public", SAMPLE_NOW).ok
    later_pages = sorted((tmp_path / "public").glob("**/page/*/index.html"))
    assert later_pages, "the site is big enough to paginate"
    assert pages_without_exactly_one_h1(tmp_path / "public") == {}
