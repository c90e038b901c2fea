"""Size budgets (bytes, not time): the homepage stays small at any site size, and each browser
script stays within its budget, gzipped (README "Script budgets"; tests/js/ report them too)."""
import gzip
import re
import sys
from pathlib import Path

import pytest

from conftest import ROOT, SAMPLE_CONTENT, SAMPLE_NOW, build

sys.path.insert(0, str(ROOT / "bench"))
from generate import generate  # noqa: E402

# 20 KB, and 2 KB since issue 16: every page carries the scripts' words (the language block) and
# the scripts format in the site's language (Intl units, lists, region names).
HOMEPAGE_BUDGET = 22 * 1024 + 512
# Gzipped bytes per script, as in the README's table (which says why each is what it is); names
# under static/js/, or a path under static/ (the widget, which other sites load).
# Issue 16 raised countdown.js, live.js, timechanges.js and stars.js: each reads the page's language
# block and formats with Intl (units, lists, region names) in the site's language.
SCRIPT_BUDGETS = {"countdown.js": 2688, "live.js": 2688, "timechanges.js": 3072, "localtimes.js": 3072,
                  "stars.js": 1792, "my.js": 2560, "calendar.js": 4096, "embed/widget.js": 3072,
                  # The CMS's own scripts (/admin/ only, for editors; Decap itself is 1.5 MB).
                  "admin/manual-init.js": 256, "admin/nextup-widgets.js": 1536,
                  "admin/nextup-format.js": 6144, "admin/nextup-layout.js": 6144}
CALENDAR_SCRIPT_BUDGET = 4096  # static/js/calendar.js, gzipped (issue 13)
CALENDAR_PAGE_BUDGET = 100 * 1024  # a month page, its assets, countdown.json and its occurrences.json


def script_path(script: str) -> str:
    """The script's path in the repository: "static/js/live.js", "static/embed/widget.js"."""
    return f"static/{script}" if "/" in script else f"static/js/{script}"


def homepage_transfer(output: Path, page: str = "index.html") -> dict[str, int]:
    """Gzipped bytes of a page (the homepage) and everything it loads: linked assets and feeds
    (a calendar page's occurrences.json too)."""
    html = (output / page).read_bytes()
    paths = set(re.findall(rb'(?:href|src)="(/static/[^"]+)"', html))
    # data-feed-full (events.json) is fetched only once countdown.json has passed its horizon.
    paths |= set(re.findall(rb'data-(?:feed|calendar)="(/[^"]+)"', html))
    sizes = {page: len(gzip.compress(html))}
    for path in sorted(paths):
        sizes[path.decode()] = len(gzip.compress((output / path.decode().lstrip("/")).read_bytes()))
    return sizes


@pytest.mark.parametrize("events", [0, 1500])
def test_homepage_transfer_stays_under_20_kb(tmp_path, events):
    if events:
        generate(events, tmp_path / "site")
        content = tmp_path / "site" / "nextup"
    else:
        content = SAMPLE_CONTENT
    assert build(content, tmp_path / "public", SAMPLE_NOW).ok
    sizes = homepage_transfer(tmp_path / "public")
    print(f"\nhomepage with {events or 'the sample'} events:", sizes, "total", sum(sizes.values()))
    assert "/countdown.json" in sizes and not any("events.json" in p for p in sizes)
    assert sum(sizes.values()) <= HOMEPAGE_BUDGET


@pytest.mark.parametrize("script", sorted(SCRIPT_BUDGETS))
def test_each_script_stays_within_its_gzipped_budget(script):
    size = len(gzip.compress((ROOT / script_path(script)).read_bytes(), compresslevel=6, mtime=0))
    print(f"\n{script}: {size} bytes gzipped, budget {SCRIPT_BUDGETS[script]}")
    assert size <= SCRIPT_BUDGETS[script]


def test_readme_states_each_scripts_budget():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for script, budget in SCRIPT_BUDGETS.items():
        assert re.search(rf"^\| `{re.escape(script_path(script))}` \| [\d,]+ \| {budget:,} \|", readme, re.M), script


def test_calendar_script_stays_within_4_kb_gzipped():
    size = len(gzip.compress((ROOT / "static" / "js" / "calendar.js").read_bytes(), 9))
    print(f"\ncalendar.js: {size} bytes gzipped")
    assert size <= CALENDAR_SCRIPT_BUDGET


@pytest.mark.parametrize("events", [0, 1500])
def test_calendar_page_transfer_stays_under_100_kb(tmp_path, events):
    """A month of the calendar with everything it loads; a large site's cells are capped and
    its occurrences.json keeps only what some zone's cells can show (render/calendar.py)."""
    if events:
        generate(events, tmp_path / "site")
        content = tmp_path / "site" / "nextup"
    else:
        content = SAMPLE_CONTENT
    assert build(content, tmp_path / "public", SAMPLE_NOW).ok
    sizes = homepage_transfer(tmp_path / "public", "calendar/2027-02/index.html")
    print(f"\ncalendar month with {events or 'the sample'} events:", sizes, "total", sum(sizes.values()))
    assert "/calendar/2027-02/occurrences.json" in sizes
    assert not any("events.json" in p for p in sizes)
    assert sum(sizes.values()) <= CALENDAR_PAGE_BUDGET
