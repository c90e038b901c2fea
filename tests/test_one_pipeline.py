"""`check` is `build` with rendering and writing off (build/pipeline.py): on any content, the two
report exactly the same problems, in one process or in several."""
from __future__ import annotations

import shutil
import sys
from pathlib import Path

import pytest

from conftest import ROOT, SAMPLE_CONTENT, parse_now
from generator.build.pipeline import BuildOptions, build_site, check_content

sys.path.insert(0, str(ROOT / "bench"))
from generate import generate  # noqa: E402

NOW = "2027-01-20T12:00:00Z"
BROKEN = ROOT / "tests" / "fixtures" / "broken" / "content"


def hostile(content: Path) -> None:
    """Problems of every kind at once: unreadable files, bad values, clashes across events,
    warnings from the site-wide pass, a public file where the build writes."""
    events = content / "events"
    (events / "bad-toml.md").write_text("+++\ntitle = \n+++\n")
    (events / "nested.md").write_text("+++\nx = " + "[" * 50_000 + "\n+++\n")
    (events / "bell.md").write_text('+++\ntitle = "Ring \\u0007"\ncategory = "scrum"\n'
                                    'timezone = "UTC"\nstart = 2027-01-25T07:00:00\n'
                                    "duration = 25\n+++\n")
    (events / "Not_A_Slug.md").write_text((events / "euroasia-scrum.md").read_text())
    (events / "folder").mkdir()
    (events / "notes.txt").write_text("not an event")
    (events / "outside.md").symlink_to("/etc/hostname")
    for name, project in (("spelling-a", "Web Site"), ("spelling-b", "web-site")):
        text = (events / "atlantic-scrum.md").read_text()
        (events / f"{name}.md").write_text(text.replace('project = "websiteone"',
                                                        f'project = "{project}"'))
    (content / "public").mkdir()
    (content / "public" / "events.json").write_text("{}")


def warnings_only(content: Path) -> None:
    """Content that builds, with warnings from the per-event and the site-wide checks."""
    events = content / "events"
    for n in range(3):  # the same scrum three times: same-start warnings
        shutil.copy(events / "euroasia-scrum.md", events / f"copy-{n}.md")
    (events / "notes.txt").write_text("not an event")


def problems_of_both(content: Path, tmp_path: Path, jobs: int | None = None):
    checked = check_content(content, parse_now(NOW), jobs=jobs)
    built = build_site(BuildOptions(content, tmp_path / "public", parse_now(NOW), jobs=jobs))
    return [str(p) for p in checked.problems], [str(p) for p in built.problems]


@pytest.mark.parametrize("jobs", [1, 2])
@pytest.mark.parametrize("make", [hostile, warnings_only], ids=["hostile", "warnings"])
def test_check_and_build_report_the_same_problems_on_the_sample(tmp_path, make, jobs):
    content = tmp_path / "content"
    shutil.copytree(SAMPLE_CONTENT, content)
    make(content)
    checked, built = problems_of_both(content, tmp_path, jobs)
    assert checked == built
    assert len(checked) >= 4  # the content did have problems to report


def test_check_and_build_report_the_same_problems_on_the_broken_fixture(tmp_path):
    content = tmp_path / "content"
    shutil.copytree(BROKEN, content)
    checked, built = problems_of_both(content, tmp_path)
    assert checked == built and len(checked) >= 10


def test_check_and_build_report_the_same_problems_on_a_large_hostile_site(tmp_path):
    generate(450, tmp_path / "site")  # large enough for worker processes
    content = tmp_path / "site" / "nextup"
    hostile_events = content / "events"
    for index, path in enumerate(sorted(hostile_events.glob("*.md"))[::45]):
        text = path.read_text()
        path.write_text(text.replace("duration = ", "duration = -" if index % 2 else
                                     'duration = "', 1))
    checked, built = problems_of_both(content, tmp_path)
    assert checked == built
    assert sum(": duration: " in line for line in checked) == 5  # -25
    assert sum("invalid TOML" in line for line in checked) == 5  # an unclosed "25
    assert any("warning: this event ended" in line for line in checked)  # per-event checks ran


def test_check_with_a_broken_site_toml_still_checks_every_event_as_build_does(tmp_path):
    content = tmp_path / "content"
    shutil.copytree(SAMPLE_CONTENT, content)
    (content / "site.toml").write_text('title = "A"\nhorizon_days = = 3\n')
    (content / "events" / "bad.md").write_text("+++\ntitle = \n+++\n")
    checked, built = problems_of_both(content, tmp_path)
    assert checked == built
    assert any(line.startswith("content/site.toml") or "site.toml:2" in line for line in checked)
    assert any("bad.md" in line for line in checked)
