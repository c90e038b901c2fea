"""Parallel and refresh builds must produce exactly the output of a clean single-process build;
a refresh must not rewrite files whose bytes did not change."""
import shutil
import sys
from pathlib import Path

import pytest

from conftest import ROOT, parse_now
from generator.build.pipeline import BuildOptions, build_site

sys.path.insert(0, str(ROOT / "bench"))
from generate import generate  # noqa: E402

T0 = "2027-01-20T12:00:00Z"
T1 = "2027-01-20T18:00:00Z"  # a refresh six hours later
T2 = "2027-01-23T07:30:00Z"  # and three days later


def tree(directory: Path) -> dict[str, bytes]:
    return {p.relative_to(directory).as_posix(): p.read_bytes()
            for p in sorted(directory.rglob("*")) if p.is_file()}


def mtimes(directory: Path) -> dict[str, int]:
    return {p.relative_to(directory).as_posix(): p.stat().st_mtime_ns
            for p in directory.rglob("*") if p.is_file()}


def run(content: Path, output: Path, now: str, jobs: int, cache: bool):
    result = build_site(BuildOptions(content, output, parse_now(now), jobs=jobs, use_cache=cache))
    assert result.ok, [str(p) for p in result.problems if p.is_error][:5]
    return result


def clean_build(content: Path, tmp_path: Path, now: str) -> dict[str, bytes]:
    output = tmp_path / f"clean-{now[:13]}"
    shutil.rmtree(output, ignore_errors=True)
    run(content, output, now, jobs=1, cache=False)
    return tree(output)


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    root = tmp_path_factory.mktemp("incremental")
    generate(240, root / "site")
    return root / "site" / "nextup"


def test_parallel_build_equals_single_process_build(site, tmp_path):
    run(site, tmp_path / "parallel", T0, jobs=2, cache=False)
    assert tree(tmp_path / "parallel") == clean_build(site, tmp_path, T0)


def test_refresh_equals_a_clean_build_and_rewrites_only_changed_files(site, tmp_path):
    output = tmp_path / "public"
    run(site, output, T0, jobs=2, cache=True)
    before, times = tree(output), mtimes(output)
    run(site, output, T1, jobs=2, cache=True)
    after = tree(output)
    assert after == clean_build(site, tmp_path, T1)
    unchanged = [name for name in after if before.get(name) == after[name]]
    changed = [name for name in after if before.get(name) != after[name]]
    assert len(unchanged) > len(changed) > 0
    later_times = mtimes(output)
    assert all(later_times[name] == times[name] for name in unchanged), "unchanged files rewritten"
    # Three days on, with the cache, still exactly a clean build.
    run(site, output, T2, jobs=1, cache=True)
    assert tree(output) == clean_build(site, tmp_path, T2)


def test_refresh_after_edits_equals_a_clean_build(site, tmp_path):
    content = tmp_path / "content"
    shutil.copytree(site, content)
    output = tmp_path / "public"
    run(content, output, T0, jobs=2, cache=True)
    events = sorted((content / "events").glob("*.md"))
    # Rename one event, change another's times, delete a third, add a fourth.
    events[0].write_text(events[0].read_text().replace('title = "', 'title = "Renamed '))
    text = events[1].read_text()
    events[1].write_text(text.replace("duration = ", "duration = 1", 1))
    events[2].unlink()
    shutil.copy(events[3], content / "events" / "zz-new-event.md")
    run(content, output, T1, jobs=2, cache=True)
    assert tree(output) == clean_build(content, tmp_path, T1)
    assert not (output / "events" / events[2].stem).exists()


def test_a_tampered_output_file_is_restored(site, tmp_path):
    output = tmp_path / "public"
    run(site, output, T0, jobs=1, cache=True)
    page = next((output / "events").glob("*/index.html"))
    page.write_text("defaced")
    (output / "stray.html").write_text("not ours")
    run(site, output, T0, jobs=1, cache=True)
    restored = tree(output)
    assert restored.pop("stray.html") == b"not ours"  # the user's file is kept (test_cli.py)
    assert restored == clean_build(site, tmp_path, T0)


def test_a_template_change_invalidates_the_cache(site, tmp_path):
    templates = tmp_path / "templates"
    shutil.copytree(ROOT / "templates", templates)
    output = tmp_path / "public"
    options = dict(jobs=1, use_cache=True, templates_dir=templates)
    build_site(BuildOptions(site, output, parse_now(T0), **options))
    event_template = templates / "event.html"
    event_template.write_text(event_template.read_text().replace("<h1>", '<h1 class="changed">'))
    build_site(BuildOptions(site, output, parse_now(T0), **options))
    pages = list((output / "events").glob("*/index.html"))
    assert pages and all('<h1 class="changed">' in p.read_text() for p in pages)
