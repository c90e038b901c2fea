"""content/public/: files a site needs that the build does not make (_redirects, CNAME,
.well-known/security.txt) are published as they are, at the same path, in every build."""
from __future__ import annotations

import os
from pathlib import Path

from conftest import SAMPLE_NOW, build, run_cli, write_event
from generator.build.write import OUTPUT_MARKER, read_marker

EVENT = '''
title = "Standup"
category = "scrum"
timezone = "Europe/London"
start = 2027-01-04T10:00:00
duration = 25
rrule = "FREQ=WEEKLY;BYDAY=MO,WE"
'''
PUBLIC = {
    "_redirects": b"/old-scrum  /events/standup/  301\n",
    "CNAME": b"events.example.org\n",
    ".well-known/security.txt": b"Contact: mailto:security@example.org\n",
    "images/logo.png": bytes(range(256)) * 4,  # bytes, not text
}


def add_public_files(content: Path) -> None:
    for relative, data in PUBLIC.items():
        target = content / "public" / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)


def test_public_files_are_copied_as_they_are_and_belong_to_the_build(content_dir, output_dir):
    write_event(content_dir, "standup", EVENT)
    add_public_files(content_dir)
    assert build(content_dir, output_dir, SAMPLE_NOW).ok
    for relative, data in PUBLIC.items():
        assert (output_dir / relative).read_bytes() == data  # same path, same bytes, no hash
    assert set(PUBLIC) <= read_marker(output_dir / OUTPUT_MARKER)
    (content_dir / "public" / "CNAME").unlink()  # removed from content: removed from the site
    assert build(content_dir, output_dir, SAMPLE_NOW).ok
    assert not (output_dir / "CNAME").exists()
    assert (output_dir / "_redirects").read_bytes() == PUBLIC["_redirects"]


def test_a_public_file_at_a_path_the_build_writes_is_an_error(content_dir, output_dir):
    write_event(content_dir, "standup", EVENT)
    assert build(content_dir, output_dir, SAMPLE_NOW).ok
    before = {p: p.read_bytes() for p in output_dir.rglob("*") if p.is_file()}
    for relative in ("index.html", "events/standup/event.ics", ".nextup-site"):
        target = content_dir / "public" / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text("mine")
    result = build(content_dir, output_dir, SAMPLE_NOW)
    messages = sorted(str(p) for p in result.problems if p.is_error)
    assert len(messages) == 3
    assert all("this file would be lost" in m for m in messages)
    for relative, where in (("index.html", "index.html"), ("events/standup/event.ics", "events/"),
                            (".nextup-site", ".nextup-site")):
        assert sum(f"public/{relative}: the build writes {where} itself" in m
                   for m in messages) == 1
    assert {p: p.read_bytes() for p in output_dir.rglob("*") if p.is_file()} == before


def test_a_link_in_public_leading_out_of_content_is_refused(content_dir, output_dir, tmp_path):
    write_event(content_dir, "standup", EVENT)
    secret = tmp_path / "secret.txt"
    secret.write_text("not for the web")
    (content_dir / "public").mkdir()
    os.symlink(secret, content_dir / "public" / "leak.txt")
    result = run_cli("build", "--content", str(content_dir), "--output", str(output_dir),
                     "--now", SAMPLE_NOW)
    assert result.returncode == 1
    assert "leak.txt: leads outside the content folder" in result.stderr
    assert not output_dir.exists()


def test_every_file_a_build_writes_is_where_public_files_may_not_go(tmp_path):
    """content/public/ is checked against SITE_FILES and SITE_FOLDERS by name (so `check` can
    say it): every file of a real build must be covered, or a public file could be lost."""
    import shutil

    from conftest import SAMPLE_CONTENT
    from generator.render.site import SITE_FILES, SITE_FOLDERS

    content = tmp_path / "content"
    shutil.copytree(SAMPLE_CONTENT, content)
    assert build(content, tmp_path / "public", SAMPLE_NOW).ok
    for path in (tmp_path / "public").rglob("*"):
        relative = path.relative_to(tmp_path / "public").as_posix()
        if path.is_file() and relative != OUTPUT_MARKER:
            assert relative in SITE_FILES or relative.split("/")[0] in SITE_FOLDERS, relative
