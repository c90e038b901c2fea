"""Pictures: an event's `image` (a file in content/, published under a hashed name, or an https
address) with its required `image_alt`, and the site's `default_image`: shown on the event page,
in og:image (absolute) and in JSON-LD; every wrong picture a located problem."""
from __future__ import annotations

import json
import os
import re
from pathlib import Path

import pytest

from conftest import build, write_event
from generator.build.pipeline import check_content
from generator.cli import parse_now
from generator.content.image import image_type
from pagetools import find_all, parse_page

NOW = "2027-01-20T12:00:00Z"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 32
BASE = '''
title = "Leeds Meetup"
category = "meeting"
timezone = "Europe/London"
start = 2027-02-04T18:30:00
duration = 150
'''


@pytest.fixture(autouse=True)
def _run_in_tmp(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # files are named relative to where the command runs


def picture(content_dir: Path, relative: str, data: bytes = PNG) -> Path:
    path = content_dir / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return path


def problems(content_dir, front_matter) -> list[str]:
    write_event(content_dir, "ev", front_matter)
    return [str(p) for p in check_content(content_dir, parse_now(NOW)).problems]


def head_meta(page: Path, name: str) -> str | None:
    found = [m.attrs["content"] for m in find_all(parse_page(page), "meta")
             if m.attrs.get("property") == name]
    return found[0] if found else None


def json_ld(page: Path) -> dict:
    block = re.search(r'<script type="application/ld\+json">(.*?)</script>', page.read_text(), re.S)
    return json.loads(block.group(1))


def test_image_types_are_told_by_their_bytes():
    assert image_type(PNG) == "PNG" and image_type(JPEG) == "JPEG"
    assert image_type(b"GIF89a....") == "GIF"
    assert image_type(b"RIFF\x00\x00\x00\x00WEBPVP8 ") == "WebP"
    assert image_type(b"\x00\x00\x00\x1cftypavif\x00\x00") == "AVIF"
    assert image_type(b"<svg xmlns=...") is None


# --- what the build writes ----------------------------------------------------------------------

def test_an_events_picture_is_published_under_a_hashed_name_and_shown_with_its_alt(
        content_dir, output_dir):
    picture(content_dir, "images/room.png")
    write_event(content_dir, "ev", BASE + 'image = "images/room.png"\n'
                'image_alt = "The library room, people pairing at long tables"')
    assert build(content_dir, output_dir, NOW).ok
    published = sorted(p.relative_to(output_dir).as_posix()
                       for p in (output_dir / "static" / "images").iterdir())
    assert len(published) == 1 and re.fullmatch(r"static/images/room\.[0-9a-f]{10}\.png",
                                                 published[0]), published
    assert (output_dir / published[0]).read_bytes() == PNG
    page = output_dir / "events" / "ev" / "index.html"
    images = find_all(parse_page(page), "img")
    assert [(i.attrs["src"], i.attrs["alt"]) for i in images] == [
        ("/" + published[0], "The library room, people pairing at long tables")]
    address = "http://localhost:8000/" + published[0]
    assert head_meta(page, "og:image") == address
    assert head_meta(page, "og:image:alt") == "The library room, people pairing at long tables"
    assert json_ld(page)["image"] == [address]


def test_an_https_picture_is_used_as_it_is(content_dir, output_dir):
    write_event(content_dir, "ev", BASE + 'image = "https://images.example.org/meetup.jpg"\n'
                'image_alt = "The meetup room"')
    assert build(content_dir, output_dir, NOW).ok
    page = output_dir / "events" / "ev" / "index.html"
    assert [i.attrs["src"] for i in find_all(parse_page(page), "img")] == [
        "https://images.example.org/meetup.jpg"]
    assert head_meta(page, "og:image") == "https://images.example.org/meetup.jpg"


def test_the_sites_default_picture_is_every_pages_preview_but_not_shown(content_dir, output_dir):
    picture(content_dir, "images/card.png")
    (content_dir / "site.toml").write_text('default_image = "images/card.png"\n')
    write_event(content_dir, "ev", BASE)
    assert build(content_dir, output_dir, NOW).ok
    page = output_dir / "events" / "ev" / "index.html"
    preview = head_meta(page, "og:image")
    assert re.fullmatch(r"http://localhost:8000/static/images/card\.[0-9a-f]{10}\.png", preview)
    assert head_meta(output_dir / "index.html", "og:image") == preview
    assert json_ld(page)["image"] == [preview]
    assert not find_all(parse_page(page), "img")  # a site's card is not the event's picture


def test_without_any_picture_pages_have_no_og_image(content_dir, output_dir):
    write_event(content_dir, "ev", BASE)
    assert build(content_dir, output_dir, NOW).ok
    page = output_dir / "events" / "ev" / "index.html"
    assert head_meta(page, "og:image") is None and "image" not in json_ld(page)


def test_a_picture_changed_without_its_event_file_gets_a_new_name(content_dir, output_dir):
    """Defect guarded: the build cache reuses an event whose file did not change; a picture's
    bytes are not in the file, so the page kept the old name (and the new bytes were never
    published)."""
    path = picture(content_dir, "images/room.png")
    write_event(content_dir, "ev", BASE + 'image = "images/room.png"\nimage_alt = "The room"')
    assert build(content_dir, output_dir, NOW).ok
    first = head_meta(output_dir / "events" / "ev" / "index.html", "og:image")
    path.write_bytes(PNG + b"changed")
    assert build(content_dir, output_dir, NOW).ok
    second = head_meta(output_dir / "events" / "ev" / "index.html", "og:image")
    assert first != second
    assert (output_dir / second.removeprefix("http://localhost:8000/")).read_bytes().endswith(
        b"changed")
    path.unlink()
    result = build(content_dir, output_dir, NOW)
    assert [p.message for p in result.problems] == ["there is no file content/images/room.png"]


# --- what is refused ------------------------------------------------------------------------

@pytest.mark.parametrize("value,message", [
    ("images/missing.png", "there is no file content/images/missing.png; check the spelling "
                           "(capitals count) and that the file is committed"),
    ("images/logo.svg", '"images/logo.svg" is not a picture type Nextup publishes (png, jpeg, '
                        "webp, avif or gif); save it as .png or .jpg (SVG is refused: it can "
                        "carry scripts)"),
    ("images/photo.png", "content/images/photo.png is not a PNG picture: its bytes are a JPEG "
                         "picture's; save it again as .png from an image editor, or rename it "
                         "to .jpg"),
    ("images/notes.gif", "content/images/notes.gif is not a GIF picture: its bytes are not a "
                         "picture; save it again as .gif from an image editor"),
    ("http://images.example.org/a.jpg", '"http://images.example.org/a.jpg" is not secure '
                                        "(http://); use the picture's https:// address, or put "
                                        "the file in content/images/"),
    ("../secret.png", '"../secret.png" leads outside the content folder; put the picture in '
                      "content/ (content/images/ is a good place) and write its path from "
                      'there: image = "images/secret.png"'),
    ("/etc/passwd.png", '"/etc/passwd.png" leads outside the content folder; put the picture '
                        "in content/ (content/images/ is a good place) and write its path from "
                        'there: image = "images/passwd.png"'),
    ("ftp://example.org/a.png", '"ftp://example.org/a.png" is neither a file in content/ nor an '
                                'https:// address; write image = "images/meetup.jpg" for '
                                "content/images/meetup.jpg"),
])
def test_a_wrong_picture_is_a_located_problem(content_dir, value, message):
    picture(content_dir, "images/photo.png", JPEG)
    picture(content_dir, "images/notes.gif", b"just text")
    picture(content_dir, "images/logo.svg", b"<svg/>")
    found = problems(content_dir, BASE + f'image = "{value}"\nimage_alt = "A picture"')
    assert found == [f"content/events/ev.md:7:9: image: {message}"]


def test_a_link_to_a_picture_outside_content_is_refused_unopened(content_dir, tmp_path):
    outside = tmp_path / "private.png"
    outside.write_bytes(PNG)
    (content_dir / "images").mkdir()
    os.symlink(outside, content_dir / "images" / "room.png")
    found = problems(content_dir, BASE + 'image = "images/room.png"\nimage_alt = "The room"')
    assert len(found) == 1 and found[0].startswith(
        "content/events/ev.md:7:9: image: content/images/room.png leads outside the content "
        "folder, to "), found


def test_a_picture_needs_its_alt_text_and_alt_text_needs_a_picture(content_dir):
    picture(content_dir, "images/room.png")
    assert problems(content_dir, BASE + 'image = "images/room.png"') == [
        'content/events/ev.md:7:9: image: image_alt is missing: say what the picture shows, '
        'for people who cannot see it; add image_alt = "..." (for example "The meetup room, '
        'people pairing at long tables")']
    assert problems(content_dir, BASE + 'image_alt = "The room"') == [
        "content/events/ev.md:7:13: image_alt: image_alt is set but image is not; add image, "
        "or delete image_alt"]


def test_a_wrong_default_image_is_located_in_site_toml(content_dir):
    (content_dir / "site.toml").write_text('default_image = "images/card.png"\n')
    write_event(content_dir, "ev", BASE)
    found = [str(p) for p in check_content(content_dir, parse_now(NOW)).problems]
    assert found == ["content/site.toml:1:17: default_image: there is no file "
                     "content/images/card.png; check the spelling (capitals count) and that "
                     "the file is committed"]
